// SPDX-License-Identifier: MIT
/*
 * cli.c - error reporting, keyword arguments, requests for zeqctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "cli.h"
#include "parse.h"
#include "zeq_query.h"

static void vreport(const char *fmt, va_list ap)
{
	fputs("zeqctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	fputs("Try \"zeqctl help\".\n", stderr);
	return EXIT_USAGE;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return EXIT_RUNTIME;
}

int cli_kernel_error(const char *what, const struct znl_err *e)
{
	if (e->msg[0])
		fprintf(stderr, "Error: %s\n", e->msg);
	else if (e->has_miss_type)
		fprintf(stderr, "Error: %s: missing attribute (type %u)\n",
			what, e->miss_type);
	else
		fprintf(stderr, "zeqctl: %s: %s\n", what, strerror(e->err));
	return EXIT_RUNTIME;
}

int cli_parse_kw(const char *ctx, int argc, char **argv, struct cli_kw *kws,
		 size_t n)
{
	for (int i = 0; i < argc; i++) {
		struct cli_kw *kw = NULL;

		for (size_t k = 0; k < n; k++)
			if (strcmp(argv[i], kws[k].name) == 0)
				kw = &kws[k];
		if (!kw)
			return cli_usage_error("unknown argument \"%s\" for \"%s\"",
					       argv[i], ctx);
		if (kw->value)
			return cli_usage_error("\"%s\" given twice", kw->name);
		if (!kw->takes_value) {
			kw->value = kw->name;
			continue;
		}
		if (i + 1 >= argc)
			return cli_usage_error("\"%s\" needs a value", kw->name);
		kw->value = argv[++i];
	}
	return 0;
}

const char *cli_kw(const struct cli_kw *kws, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(kws[k].name, name) == 0)
			return kws[k].value;
	return NULL;
}

int cli_check_dev(const char *ctx, const char *dev)
{
	if (!dev)
		return cli_usage_error("%s: missing device", ctx);
	if (!*dev || strlen(dev) >= IFNAMSIZ || strchr(dev, '/') ||
	    strchr(dev, ' '))
		return cli_usage_error("invalid device name \"%s\"", dev);
	return 0;
}

int cli_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	    uint32_t *out)
{
	char why[ZEQ_WHY_LEN];

	if (zeq_parse_u32(s, min, max, out, why, sizeof(why)) < 0)
		return cli_usage_error("invalid %s \"%s\": %s", what, s, why);
	return 0;
}

int cli_open(struct znl *nl)
{
	struct znl_err e;

	if (zeq_nl_open(nl, &e) == 0)
		return 0;
	if (e.err == ENOENT)
		return cli_error("generic netlink family \"%s\" not found "
				 "(is the zeq module loaded?)", ZEQ_GENL_NAME);
	return cli_kernel_error("netlink", &e);
}

int cli_talk(struct znl *nl, const struct nlmsghdr *nlh, const char *what)
{
	struct znl_err e;

	if (znl_talk(nl, nlh, NULL, NULL, &e) < 0)
		return cli_kernel_error(what, &e);
	if (e.warning[0])
		fprintf(stderr, "Warning: %s\n", e.warning);
	return 0;
}
