// SPDX-License-Identifier: MIT
/*
 * cmd_dev.c - zeqctl show, set, monitor.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "monitor.h"
#include "parse.h"
#include "show.h"

int cmd_show(const struct zc_args *a)
{
	struct zeq_dev_info *info;
	struct zeqd_status st;
	struct znl_err e;
	struct znl nl;
	size_t n;
	int ret;

	if ((ret = cli_open(&nl)))
		return ret;
	if (zeq_collect(&nl, a->dev, &info, &n, &e) < 0) {
		ret = cli_kernel_error(a->dev ? a->dev : "show", &e);
		znl_close(&nl);
		return ret;
	}
	zeqd_status_load(&st);
	if (a->json)
		show_json(stdout, info, n, &st);
	else
		show_text(stdout, info, n, &st);
	zeqd_status_free(&st);
	zeq_collect_free(info, n);
	znl_close(&nl);
	return fflush(stdout) == 0 ? EXIT_OK : cli_error("write error");
}

static int parse_hp_key(const char *buf, size_t len, void *key, char *why,
			size_t whylen)
{
	return zeq_parse_secret(buf, len, key, ZEQ_HP_KEY_LEN, why, whylen);
}

int cmd_set(struct zc_args *a)
{
	struct zeq_obfs *o = &a->conf.obfs;
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	struct znl nl;
	int ret;

	if (a->hp_key_file) {
		if ((ret = cli_load_secret(a->hp_key_file, "hp key file",
					   parse_hp_key, o->hp_key)))
			return ret;
		ZEQ_MARK(o, ZEQ_A_OBFS_HP_KEY);
	}
	/* The message buffer may hold the hp key: zeroed after. */
	if ((ret = cli_open(&nl)))
		goto out;
	nlh = znl_msg(&nl, buf, a->nl_cmd, 0);
	if (zc_put_request(nlh, sizeof(buf), a))
		ret = cli_talk(&nl, nlh, a->ctx);
	else
		ret = cli_error("%s: request too large", a->ctx);
	explicit_bzero(buf, sizeof(buf));
	znl_close(&nl);
out:
	explicit_bzero(o->hp_key, sizeof(o->hp_key));
	return ret;
}

int cmd_monitor(const struct zc_args *a)
{
	struct znl nl;
	int ret;

	if ((ret = cli_open(&nl)))
		return ret;
	ret = monitor_run(&nl, a->json);
	znl_close(&nl);
	return ret;
}
