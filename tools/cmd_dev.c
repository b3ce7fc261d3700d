// SPDX-License-Identifier: MIT
/*
 * cmd_dev.c - zeqctl show, set, monitor.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "cli.h"
#include "cmds.h"
#include "monitor.h"
#include "show.h"

int cmd_show(const struct zc_args *a)
{
	struct zeq_dev_info *info;
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
	if (a->json)
		show_json(stdout, info, n);
	else
		show_text(stdout, info, n);
	zeq_collect_free(info, n);
	znl_close(&nl);
	return fflush(stdout) == 0 ? EXIT_OK : cli_error("write error");
}

int cmd_set(const struct zc_args *a)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	struct znl nl;
	int ret;

	if ((ret = cli_open(&nl)))
		return ret;
	nlh = znl_msg(&nl, buf, a->nl_cmd, 0);
	if (zc_put_request(nlh, sizeof(buf), a))
		ret = cli_talk(&nl, nlh, a->ctx);
	else
		ret = cli_error("%s: request too large", a->ctx);
	znl_close(&nl);
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
