// SPDX-License-Identifier: MIT
/*
 * args.c - zeqctl's argument grammar: global options, subcommands,
 * keywords and their values, into a struct zc_args. Nothing here reads a
 * file or talks to the kernel (cmd_*.c do, with the result).
 */
#define _GNU_SOURCE		/* strsep, strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "cli.h"
#include "nl.h"
#include "parse.h"

static bool is_json_opt(const char *a)
{
	return strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0;
}

/* Removes -j/--json from argv (after the subcommand); sets *json. */
static int strip_json(int argc, char **argv, bool *json)
{
	int out = 0;

	for (int i = 0; i < argc; i++) {
		if (is_json_opt(argv[i]))
			*json = true;
		else
			argv[out++] = argv[i];
	}
	return out;
}

/* --- show, monitor, genkey ----------------------------------------------- */

static int parse_show(int argc, char **argv, struct zc_args *a)
{
	a->cmd = ZC_SHOW;
	a->dev = argc > 0 ? argv[0] : NULL;
	if (argc > 1)
		return cli_usage_error("unknown argument \"%s\" for \"show\"",
				       argv[1]);
	if (a->dev)
		return cli_check_dev("show", a->dev);
	return 0;
}

static int parse_monitor(int argc, char **argv, struct zc_args *a)
{
	a->cmd = ZC_MONITOR;
	if (argc > 0)
		return cli_usage_error("unknown argument \"%s\" for \"monitor\"",
				       argv[0]);
	return 0;
}

static int parse_genkey(int argc, char **argv, struct zc_args *a)
{
	a->cmd = ZC_GENKEY;
	if (argc > 0)
		return cli_usage_error("unknown argument \"%s\" for \"genkey\"",
				       argv[0]);
	return 0;
}

/* --- set ------------------------------------------------------------------- */

static int parse_set(int argc, char **argv, struct zc_args *a)
{
	struct cli_kw kw[] = {
		{ "listen-port", true, NULL },
		{ "fwmark", true, NULL },
		{ "key-max-age", true, NULL },
	};
	struct zeq_device *d = &a->conf;
	const char *v;
	uint32_t n;
	int ret;

	a->cmd = ZC_SET;
	a->nl_cmd = ZEQ_CMD_DEV_SET;
	snprintf(a->ctx, sizeof(a->ctx), "set");
	if ((ret = cli_check_dev("set", argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw("set", argc - 1, argv + 1, kw, 3)))
		return ret;
	a->dev = argv[0];
	if ((v = cli_kw(kw, 3, "listen-port"))) {
		if ((ret = cli_u32("listen port", v, 0, UINT16_MAX, &n)))
			return ret;
		d->listen_port = (uint16_t)n;
		ZEQ_MARK(d, ZEQ_A_LISTEN_PORT);
	}
	if ((v = cli_kw(kw, 3, "fwmark"))) {
		if ((ret = cli_u32("fwmark", v, 0, UINT32_MAX, &d->fwmark)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_FWMARK);
	}
	if ((v = cli_kw(kw, 3, "key-max-age"))) {
		if ((ret = cli_u32("key max age", v, ZEQ_KEY_MAX_AGE_MIN,
				   ZEQ_KEY_MAX_AGE_MAX, &d->key_max_age)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_KEY_MAX_AGE);
	}
	if (!d->has)
		return cli_usage_error("set: nothing to set");
	snprintf(d->ifname, sizeof(d->ifname), "%s", argv[0]);
	ZEQ_MARK(d, ZEQ_A_IFNAME);
	return 0;
}

/* --- peer add | set | del ------------------------------------------------- */

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

static int parse_peer_sub(const char *sub, int argc, char **argv,
			  struct zc_args *a)
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
	struct zeq_peer *p = &a->peer;
	int ret;

	a->nl_cmd = add ? ZEQ_CMD_PEER_NEW : del ? ZEQ_CMD_PEER_DEL
						 : ZEQ_CMD_PEER_SET;
	snprintf(a->ctx, sizeof(a->ctx), "peer %s", sub);
	if ((ret = cli_check_dev(a->ctx, argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw(a->ctx, argc - 1, argv + 1, kw, n_kw)))
		return ret;
	a->dev = argv[0];
	if (!cli_kw(kw, n_kw, "id"))
		return cli_usage_error("%s: missing \"id\"", a->ctx);
	if ((ret = cli_u32("peer id", cli_kw(kw, n_kw, "id"), 1,
			   ZEQ_PEER_ID_MAX, &p->id)))
		return ret;
	ZEQ_MARK(p, ZEQ_A_PEER_ID);
	return peer_from_kw(kw, n_kw, p);
}

static int parse_peer(int argc, char **argv, struct zc_args *a)
{
	static const char *const subs[] = { "add", "set", "del" };

	a->cmd = ZC_PEER;
	if (argc < 1)
		return cli_usage_error("\"peer\" needs a subcommand: add, set, del");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[0], subs[i]) == 0)
			return parse_peer_sub(subs[i], argc - 1, argv + 1, a);
	return cli_usage_error("unknown subcommand \"peer %s\"", argv[0]);
}

/* --- key add | swap | del -------------------------------------------------- */

static int parse_key_sub(const char *sub, int argc, char **argv,
			 struct zc_args *a)
{
	struct cli_kw kw[] = {
		{ "peer", true, NULL },
		{ "id", true, NULL },
		{ "remote-id", true, NULL },
		{ "key-file", true, NULL },
		{ "reverse", false, NULL },
		{ "slot", true, NULL },
	};
	bool add = strcmp(sub, "add") == 0, del = strcmp(sub, "del") == 0;
	struct cli_kw *slot_kw = &kw[5];
	struct zeq_keyconf *kc = &a->kc;
	size_t n_kw = add ? 5 : 1;
	const char *v;
	int ret;

	a->nl_cmd = ZEQ_CMD_KEY_SWAP;
	snprintf(a->ctx, sizeof(a->ctx), "key %s", sub);
	if (del) {		/* peer and slot only */
		kw[1] = *slot_kw;
		n_kw = 2;
	}
	if ((ret = cli_check_dev(a->ctx, argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw(a->ctx, argc - 1, argv + 1, kw, n_kw)))
		return ret;
	a->dev = argv[0];
	if (!(v = cli_kw(kw, n_kw, "peer")))
		return cli_usage_error("%s: missing \"peer\"", a->ctx);
	if ((ret = cli_u32("peer id", v, 1, ZEQ_PEER_ID_MAX, &kc->peer_id)))
		return ret;
	ZEQ_MARK(kc, ZEQ_A_KEYCONF_PEER_ID);

	if (del) {
		int slot;

		a->nl_cmd = ZEQ_CMD_KEY_DEL;
		if (!(v = cli_kw(kw, n_kw, "slot")))
			return cli_usage_error("%s: missing \"slot\"", a->ctx);
		if ((slot = zeq_slot_from_name(v)) < 0)
			return cli_usage_error("invalid slot \"%s\": expected "
					       "current, next or previous", v);
		kc->slot = (uint8_t)slot;
		ZEQ_MARK(kc, ZEQ_A_KEYCONF_SLOT);
	}
	if (add) {
		a->nl_cmd = ZEQ_CMD_KEY_NEW;
		if (!(v = cli_kw(kw, n_kw, "id")))
			return cli_usage_error("%s: missing \"id\"", a->ctx);
		if ((ret = cli_u32("key id", v, 1, UINT32_MAX, &kc->key_id)))
			return ret;
		kc->remote_key_id = kc->key_id;
		v = cli_kw(kw, n_kw, "remote-id");
		if (v && (ret = cli_u32("remote key id", v, 1, UINT32_MAX,
					&kc->remote_key_id)))
			return ret;
		/* Always the next slot: the kernel promotes it at once when
		 * the peer has no current key. */
		kc->slot = ZEQ_KEY_SLOT_NEXT;
		kc->has |= ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
			   ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) |
			   ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID);
		a->read_keys = true;
		a->key_file = cli_kw(kw, n_kw, "key-file");
		a->reverse = cli_kw(kw, n_kw, "reverse") != NULL;
	}
	return 0;
}

static int parse_key(int argc, char **argv, struct zc_args *a)
{
	static const char *const subs[] = { "add", "swap", "del" };

	a->cmd = ZC_KEY;
	if (argc < 1)
		return cli_usage_error("\"key\" needs a subcommand: add, swap, del");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[0], subs[i]) == 0)
			return parse_key_sub(subs[i], argc - 1, argv + 1, a);
	return cli_usage_error("unknown subcommand \"key %s\"", argv[0]);
}

/* --- the command line ------------------------------------------------------- */

int zc_parse_args(int argc, char **argv, struct zc_args *a)
{
	const char *cmd;
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (is_json_opt(argv[i])) {
			a->json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			a->cmd = ZC_HELP;
			return 0;
		} else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			a->cmd = ZC_VERSION;
			return 0;
		} else {
			return cli_usage_error("unknown option \"%s\"", argv[i]);
		}
	}
	if (i >= argc) {	/* argc is 0 when run with an empty argv */
		a->cmd = ZC_USAGE;
		return 0;
	}
	cmd = argv[i++];
	argc -= i;
	argv += i;

	if (!strcmp(cmd, "show"))
		return parse_show(strip_json(argc, argv, &a->json), argv, a);
	if (!strcmp(cmd, "monitor"))
		return parse_monitor(strip_json(argc, argv, &a->json), argv, a);
	if (!strcmp(cmd, "set"))
		return parse_set(argc, argv, a);
	if (!strcmp(cmd, "peer"))
		return parse_peer(argc, argv, a);
	if (!strcmp(cmd, "key"))
		return parse_key(argc, argv, a);
	if (!strcmp(cmd, "genkey"))
		return parse_genkey(argc, argv, a);
	if (!strcmp(cmd, "help")) {
		a->cmd = ZC_HELP;
		return 0;
	}
	return cli_usage_error("unknown command \"%s\"", cmd);
}

void zc_args_free(struct zc_args *a)
{
	zeq_peer_free(&a->peer);
	explicit_bzero(&a->kc, sizeof(a->kc));
}

/* --- the request -------------------------------------------------------------- */

size_t zc_request_len(const struct zc_args *a)
{
	return ZNL_BUF_LEN + (a->cmd == ZC_PEER ? a->peer.n_aips * 64 : 0);
}

bool zc_put_request(struct nlmsghdr *nlh, size_t buflen,
		    const struct zc_args *a)
{
	switch (a->cmd) {
	case ZC_SET:
		return zeq_put_dev(nlh, buflen, &a->conf);
	case ZC_PEER:
		return zeq_put_dev_sel(nlh, buflen, 0, a->dev) &&
		       zeq_put_peer(nlh, buflen, &a->peer);
	case ZC_KEY:
		return zeq_put_dev_sel(nlh, buflen, 0, a->dev) &&
		       zeq_put_keyconf(nlh, buflen, ZEQ_A_KEYCONF, &a->kc);
	default:
		return false;
	}
}
