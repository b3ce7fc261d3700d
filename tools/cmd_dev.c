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

int cmd_show(int argc, char **argv, bool json)
{
	const char *dev = argc > 0 ? argv[0] : NULL;
	struct zeq_dev_info *info;
	struct znl_err e;
	struct znl nl;
	size_t n;
	int ret;

	if (argc > 1)
		return cli_usage_error("unknown argument \"%s\" for \"show\"",
				       argv[1]);
	if (dev && (ret = cli_check_dev("show", dev)))
		return ret;
	if ((ret = cli_open(&nl)))
		return ret;
	if (zeq_collect(&nl, dev, &info, &n, &e) < 0) {
		ret = cli_kernel_error(dev ? dev : "show", &e);
		znl_close(&nl);
		return ret;
	}
	if (json)
		show_json(stdout, info, n);
	else
		show_text(stdout, info, n);
	zeq_collect_free(info, n);
	znl_close(&nl);
	return fflush(stdout) == 0 ? EXIT_OK : cli_error("write error");
}

int cmd_set(int argc, char **argv)
{
	struct cli_kw kw[] = {
		{ "listen-port", true, NULL },
		{ "fwmark", true, NULL },
		{ "key-max-age", true, NULL },
	};
	struct zeq_device d = { 0 };
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	const char *v;
	uint32_t n;
	struct znl nl;
	int ret;

	if ((ret = cli_check_dev("set", argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw("set", argc - 1, argv + 1, kw, 3)))
		return ret;
	if ((v = cli_kw(kw, 3, "listen-port"))) {
		if ((ret = cli_u32("listen port", v, 0, UINT16_MAX, &n)))
			return ret;
		d.listen_port = (uint16_t)n;
		ZEQ_MARK(&d, ZEQ_A_LISTEN_PORT);
	}
	if ((v = cli_kw(kw, 3, "fwmark"))) {
		if ((ret = cli_u32("fwmark", v, 0, UINT32_MAX, &d.fwmark)))
			return ret;
		ZEQ_MARK(&d, ZEQ_A_FWMARK);
	}
	if ((v = cli_kw(kw, 3, "key-max-age"))) {
		if ((ret = cli_u32("key max age", v, ZEQ_KEY_MAX_AGE_MIN,
				   ZEQ_KEY_MAX_AGE_MAX, &d.key_max_age)))
			return ret;
		ZEQ_MARK(&d, ZEQ_A_KEY_MAX_AGE);
	}
	if (!d.has)
		return cli_usage_error("set: nothing to set");
	snprintf(d.ifname, sizeof(d.ifname), "%s", argv[0]);
	ZEQ_MARK(&d, ZEQ_A_IFNAME);

	if ((ret = cli_open(&nl)))
		return ret;
	nlh = znl_msg(&nl, buf, ZEQ_CMD_DEV_SET, 0);
	zeq_put_dev(nlh, sizeof(buf), &d);
	ret = cli_talk(&nl, nlh, "set");
	znl_close(&nl);
	return ret;
}

int cmd_monitor(int argc, char **argv, bool json)
{
	struct znl nl;
	int ret;

	if (argc > 0)
		return cli_usage_error("unknown argument \"%s\" for \"monitor\"",
				       argv[0]);
	if ((ret = cli_open(&nl)))
		return ret;
	ret = monitor_run(&nl, json);
	znl_close(&nl);
	return ret;
}
