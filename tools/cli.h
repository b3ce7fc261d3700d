/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what every zeqctl command shares: exit codes, error reporting,
 * keyword arguments, talking to the kernel.
 */
#ifndef ZEQ_CLI_H
#define ZEQ_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"

enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* kernel or system error, bad key file */
	EXIT_USAGE = 2,		/* bad command line */
};

/* "zeqctl: <message>" on stderr plus a hint; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "zeqctl: <message>" on stderr; returns EXIT_RUNTIME. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A failed request: "Error: <extack>" like iproute2, or
 * "zeqctl: <what>: <strerror>" when the kernel sent no message.
 * Returns EXIT_RUNTIME.
 */
int cli_kernel_error(const char *what, const struct znl_err *e);

/* Keyword arguments: "name value" pairs and bare flags, any order. */
struct cli_kw {
	const char *name;
	bool takes_value;
	const char *value;	/* set when seen (flags: the name) */
};

/*
 * Fills kws from argv[0..argc). ctx names the command in errors
 * (unknown argument, given twice, missing value). Returns 0 or
 * EXIT_USAGE (after printing).
 */
int cli_parse_kw(const char *ctx, int argc, char **argv, struct cli_kw *kws,
		 size_t n);
/* The value of keyword name (NULL if not given). */
const char *cli_kw(const struct cli_kw *kws, size_t n, const char *name);

/* Checks a device name; returns 0 or EXIT_USAGE. */
int cli_check_dev(const char *ctx, const char *dev);
/* Number argument within min..max; returns 0 or EXIT_USAGE. */
int cli_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	    uint32_t *out);

/* Opens the "zeq" family; returns 0 or EXIT_RUNTIME (after printing). */
int cli_open(struct znl *nl);
/*
 * Sends a request and waits for its ack (printing a kernel warning if
 * any). Returns 0 or EXIT_RUNTIME (after printing).
 */
int cli_talk(struct znl *nl, const struct nlmsghdr *nlh, const char *what);

#endif /* ZEQ_CLI_H */
