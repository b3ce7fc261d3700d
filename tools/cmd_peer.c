// SPDX-License-Identifier: MIT
/*
 * cmd_peer.c - zeqctl peer add | set | del.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "cli.h"
#include "cmds.h"

int cmd_peer(const struct zc_args *a)
{
	size_t len = zc_request_len(a);
	struct nlmsghdr *nlh;
	char *buf = NULL;
	struct znl nl;
	int ret;

	if ((ret = cli_open(&nl)))
		return ret;
	buf = malloc(len);
	if (!buf) {
		ret = cli_error("out of memory");
		goto close;
	}
	nlh = znl_msg(&nl, buf, a->nl_cmd, 0);
	if (!zc_put_request(nlh, len, a)) {	/* a nest is at most 64 kB */
		ret = cli_error("%s: request too large (%zu allowed IPs; "
				"add them with several \"peer set\")", a->ctx,
				a->peer.n_aips);
		goto close;
	}
	ret = cli_talk(&nl, nlh, a->ctx);
close:
	znl_close(&nl);
	free(buf);
	return ret;
}
