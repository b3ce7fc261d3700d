// SPDX-License-Identifier: MIT
/*
 * cmd_peer.c - zeqctl peer add | set | del.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "parse.h"
#include "zeq_attrs.h"

/* "10.0.0.2/32,fd00::2/128" appended to p. */
static int parse_allowed_ips(const char *list, struct zeq_peer *p)
{
	char *copy = strdup(list), *rest = copy, *tok;
	int ret = 0;

	if (!copy)
		return cli_error("out of memory");
	while (!ret && (tok = strsep(&rest, ","))) {
		struct zeq_prefix pfx;
		char why[ZEQ_WHY_LEN];

		if (!*tok)
			ret = cli_usage_error("invalid allowed-ips \"%s\": empty "
					      "prefix", list);
		else if (zeq_parse_prefix(tok, &pfx, why, sizeof(why)) < 0)
			ret = cli_usage_error("invalid prefix \"%s\": %s", tok, why);
		else if (zeq_peer_add_aip(p, &pfx) < 0)
			ret = cli_error("out of memory");
	}
	free(copy);
	return ret;
}

/* peer add / peer set: the peer from the keyword arguments. */
static int peer_from_kw(const struct cli_kw *kw, size_t n, struct zeq_peer *p)
{
	const char *v;
	uint32_t u;
	int ret;

	if ((v = cli_kw(kw, n, "endpoint"))) {
		char why[ZEQ_WHY_LEN];

		if (zeq_parse_endpoint(v, &p->endpoint, why, sizeof(why)) < 0)
			return cli_usage_error("invalid endpoint \"%s\": %s", v, why);
		ZEQ_MARK(p, p->endpoint.addr.family == AF_INET ?
			 ZEQ_A_PEER_ENDPOINT_IPV4 : ZEQ_A_PEER_ENDPOINT_IPV6);
	}
	if ((v = cli_kw(kw, n, "allowed-ips")) &&
	    (ret = parse_allowed_ips(v, p)))
		return ret;
	if ((v = cli_kw(kw, n, "keepalive"))) {
		if ((ret = cli_u32("keepalive", v, 0, ZEQ_KEEPALIVE_MAX, &u)))
			return ret;
		p->keepalive = (uint16_t)u;
		ZEQ_MARK(p, ZEQ_A_PEER_KEEPALIVE);
	}
	if (cli_kw(kw, n, "replace-allowed-ips"))
		ZEQ_MARK(p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS);
	return 0;
}

static int peer_cmd(const char *sub, int argc, char **argv)
{
	struct cli_kw kw[] = {
		{ "id", true, NULL },
		{ "endpoint", true, NULL },
		{ "allowed-ips", true, NULL },
		{ "keepalive", true, NULL },
		{ "replace-allowed-ips", false, NULL },
	};
	bool add = strcmp(sub, "add") == 0, del = strcmp(sub, "del") == 0;
	/* add takes no replace flag; del only the id */
	size_t n_kw = del ? 1 : add ? 4 : 5;
	uint8_t cmd = add ? ZEQ_CMD_PEER_NEW : del ? ZEQ_CMD_PEER_DEL
						   : ZEQ_CMD_PEER_SET;
	char ctx[16], *buf = NULL;
	struct zeq_peer p = { 0 };
	struct nlmsghdr *nlh;
	struct znl nl;
	size_t len;
	int ret;

	snprintf(ctx, sizeof(ctx), "peer %s", sub);
	if ((ret = cli_check_dev(ctx, argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw(ctx, argc - 1, argv + 1, kw, n_kw)))
		return ret;
	if (!cli_kw(kw, n_kw, "id"))
		return cli_usage_error("%s: missing \"id\"", ctx);
	if ((ret = cli_u32("peer id", cli_kw(kw, n_kw, "id"), 1,
			   ZEQ_PEER_ID_MAX, &p.id)))
		return ret;
	ZEQ_MARK(&p, ZEQ_A_PEER_ID);
	if ((ret = peer_from_kw(kw, n_kw, &p)))
		goto out;
	if ((ret = cli_open(&nl)))
		goto out;

	len = ZNL_BUF_LEN + p.n_aips * 64;
	buf = malloc(len);
	if (!buf) {
		ret = cli_error("out of memory");
		goto close;
	}
	nlh = znl_msg(&nl, buf, cmd, 0);
	if (!zeq_put_dev_sel(nlh, len, 0, argv[0]) ||
	    !zeq_put_peer(nlh, len, &p)) {
		ret = cli_error("%s: request too large", ctx);
		goto close;
	}
	ret = cli_talk(&nl, nlh, ctx);
close:
	znl_close(&nl);
out:
	free(buf);
	zeq_peer_free(&p);
	return ret;
}

int cmd_peer(int argc, char **argv)
{
	static const char *const subs[] = { "add", "set", "del" };

	if (argc < 1)
		return cli_usage_error("\"peer\" needs a subcommand: add, set, del");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[0], subs[i]) == 0)
			return peer_cmd(subs[i], argc - 1, argv + 1);
	return cli_usage_error("unknown subcommand \"peer %s\"", argv[0]);
}
