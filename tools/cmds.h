/* SPDX-License-Identifier: MIT */
/*
 * cmds.h - zeqctl subcommands. Each runs a command line parsed by
 * zc_parse_args() (args.h) and returns the exit status.
 */
#ifndef ZEQ_CMDS_H
#define ZEQ_CMDS_H

#include "args.h"

int cmd_show(const struct zc_args *a);
int cmd_set(struct zc_args *a);	/* reads the hp key file into a->conf */
int cmd_peer(const struct zc_args *a);
int cmd_key(struct zc_args *a);		/* reads the key file into a->kc */
int cmd_genkey(bool hp);	/* hp: a header protection key */
int cmd_monitor(const struct zc_args *a);
/* tunnels, secrets, token: one request to zeqd (cmd_api.c) */
int cmd_api(const struct zc_args *a);

/*
 * Reads a secret file (path, or stdin for NULL / "-"; "what" names it in
 * errors) and hands it to parse, which fills out. Every buffer the secret
 * passed through is zeroed. Returns 0 or EXIT_RUNTIME (after printing).
 */
typedef int (*secret_parser)(const char *buf, size_t len, void *out,
			     char *why, size_t whylen);
int cli_load_secret(const char *path, const char *what, secret_parser parse,
		    void *out);

#endif /* ZEQ_CMDS_H */
