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

/* genkey: a key file; genkey hp: a header protection key */
static int parse_genkey(int argc, char **argv, struct zc_args *a)
{
	a->cmd = ZC_GENKEY;
	if (argc > 0 && !strcmp(argv[0], "hp")) {
		a->genkey_hp = true;
		argc--;
		argv++;
	}
	if (argc > 0)
		return cli_usage_error("unknown argument \"%s\" for \"genkey\"",
				       argv[0]);
	return 0;
}

/* --- set ------------------------------------------------------------------- */

/*
 * "12.87" packets per second, at most 3 decimals, into milli-hertz within
 * ZEQ_COVER_RATE_MIN_MHZ..ZEQ_COVER_RATE_MAX_MHZ. Every character is
 * checked before the range: "99999999999x" is not a number.
 */
static int parse_rate(const char *s, uint32_t *mhz)
{
	uint64_t v = 0, cap = (uint64_t)ZEQ_COVER_RATE_MAX_MHZ + 1;
	int decimals = -1, digits = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return cli_usage_error("invalid cover rate \"%s\": not a "
					       "number of packets per second", s);
		if (decimals >= 0 && ++decimals > 3)
			return cli_usage_error("invalid cover rate \"%s\": at "
					       "most 3 decimals", s);
		digits++;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > cap)
			v = cap;	/* out of range whatever follows */
	}
	if (!digits)
		return cli_usage_error("invalid cover rate \"%s\": not a number "
				       "of packets per second", s);
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 3; decimals++)
		v = v * 10 > cap ? cap : v * 10;
	if (v < ZEQ_COVER_RATE_MIN_MHZ || v > ZEQ_COVER_RATE_MAX_MHZ)
		return cli_usage_error("invalid cover rate \"%s\": 0.001 to %u "
				       "packets per second", s,
				       ZEQ_COVER_RATE_MAX_MHZ / 1000);
	*mhz = (uint32_t)v;
	return 0;
}

/* "LO-HI" (or one number: LO-LO), each within min..max, LO <= HI. */
static int parse_range(const char *what, const char *s, uint32_t min,
		       uint32_t max, uint32_t *lo, uint32_t *hi)
{
	char buf[32], *dash, why[ZEQ_WHY_LEN];

	if (strlen(s) >= sizeof(buf))
		return cli_usage_error("invalid %s \"%s\": too long", what, s);
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (zeq_parse_u32(buf, min, max, lo, why, sizeof(why)) < 0 ||
	    zeq_parse_u32(dash ? dash + 1 : buf, min, max, hi, why,
			  sizeof(why)) < 0)
		return cli_usage_error("invalid %s \"%s\": %s", what, s, why);
	if (*lo > *hi)
		return cli_usage_error("invalid %s \"%s\": min is greater than "
				       "max", what, s);
	return 0;
}

/* "on" / "off" */
static int parse_on_off(const char *what, const char *v, uint8_t *out)
{
	if (!strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "off"))
		*out = 0;
	else
		return cli_usage_error("invalid %s \"%s\": on or off", what, v);
	return 0;
}

/* "128,256,1024": strictly ascending sizes into the padding. */
static int parse_buckets(const char *list, struct zeq_padding *pd)
{
	char *copy = strdup(list), *rest = copy, *tok, why[ZEQ_WHY_LEN];
	uint32_t v;
	int ret = 0;

	if (!copy)
		return cli_error("out of memory");
	while (!ret && (tok = strsep(&rest, ","))) {
		if (pd->n_buckets == ZEQ_PAD_BUCKETS_MAX)
			ret = cli_usage_error("invalid buckets \"%s\": at most %u "
					      "sizes", list, ZEQ_PAD_BUCKETS_MAX);
		else if (zeq_parse_u32(tok, 1, ZEQ_PAD_SIZE_MAX, &v, why,
				       sizeof(why)) < 0)
			ret = cli_usage_error("invalid bucket size \"%s\": %s",
					      tok, why);
		else if (pd->n_buckets && v <= pd->buckets[pd->n_buckets - 1])
			ret = cli_usage_error("invalid buckets \"%s\": sizes must "
					      "be strictly ascending", list);
		else
			pd->buckets[pd->n_buckets++] = (uint16_t)v;
	}
	free(copy);
	if (!ret)
		ZEQ_MARK(pd, ZEQ_A_PADDING_BUCKET);
	return ret;
}

/* The keywords of "set", in the order of this table (see kw_val). */
enum {
	KW_PORT, KW_FWMARK, KW_MAX_AGE, KW_COVER, KW_RATE, KW_PADDING,
	KW_BUCKETS, KW_MAX, KW_DIST, KW_MEAN, KW_CAP, KW_JUNK_COUNT,
	KW_JUNK_SIZE, KW_PREFIX, KW_TYPE_DATA, KW_TYPE_JUNK, KW_HP,
	KW_HP_KEY_FILE, KW_N
};

static int set_cover(const struct cli_kw *kw, struct zeq_device *d)
{
	const char *cover = kw[KW_COVER].value, *rate = kw[KW_RATE].value;
	int ret;

	if (rate && (!cover || strcmp(cover, "on")))
		return cli_usage_error("set: \"rate\" goes with \"cover on\"");
	if (cover) {
		if ((ret = parse_on_off("cover", cover, &d->cover)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_COVER);
	}
	if (rate) {
		if ((ret = parse_rate(rate, &d->cover_rate)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_COVER_RATE);
	}
	return 0;
}

static int set_padding(const struct cli_kw *kw, struct zeq_device *d)
{
	const char *mode = kw[KW_PADDING].value;
	struct zeq_padding *pd = &d->padding;
	uint32_t u;
	int ret, m;

	for (m = KW_MAX; m <= KW_CAP; m++)
		if (kw[m].value && (!mode || strcmp(mode, "random")))
			return cli_usage_error("set: \"%s\" goes with \"padding "
					       "random\"", kw[m].name);
	if (kw[KW_BUCKETS].value && (!mode || strcmp(mode, "bucket")))
		return cli_usage_error("set: \"buckets\" goes with \"padding "
				       "bucket\"");
	if (!mode)
		return 0;
	for (m = 0; m <= ZEQ_PADDING_MAX; m++)
		if (!strcmp(mode, zeq_padding_mode_name((unsigned int)m)))
			break;
	if (m > ZEQ_PADDING_MAX)
		return cli_usage_error("invalid padding \"%s\": off, bucket, mtu "
				       "or random", mode);
	pd->mode = (uint8_t)m;
	ZEQ_MARK(pd, ZEQ_A_PADDING_MODE);
	ZEQ_MARK(d, ZEQ_A_PADDING);
	if (m == ZEQ_PADDING_BUCKET) {
		if (!kw[KW_BUCKETS].value)
			return cli_usage_error("set: \"padding bucket\" needs the "
					       "sizes, e.g. 128,256,512,1024");
		return parse_buckets(kw[KW_BUCKETS].value, pd);
	}
	if (m != ZEQ_PADDING_RANDOM)
		return 0;
	if (!kw[KW_MAX].value)
		return cli_usage_error("set: \"padding random\" needs \"max\"");
	if ((ret = cli_u32("padding max", kw[KW_MAX].value, 1,
			   ZEQ_PAD_RANDOM_MAX, &u)))
		return ret;
	pd->random_max = (uint16_t)u;
	ZEQ_MARK(pd, ZEQ_A_PADDING_RANDOM_MAX);
	if (kw[KW_DIST].value) {
		if (!strcmp(kw[KW_DIST].value, "uniform"))
			pd->dist = ZEQ_PAD_DIST_UNIFORM;
		else if (!strcmp(kw[KW_DIST].value, "exponential"))
			pd->dist = ZEQ_PAD_DIST_EXPONENTIAL;
		else
			return cli_usage_error("invalid dist \"%s\": uniform or "
					       "exponential", kw[KW_DIST].value);
		ZEQ_MARK(pd, ZEQ_A_PADDING_DIST);
	}
	if (kw[KW_MEAN].value) {
		if (pd->dist != ZEQ_PAD_DIST_EXPONENTIAL)
			return cli_usage_error("set: \"mean\" goes with \"dist "
					       "exponential\"");
		if ((ret = cli_u32("padding mean", kw[KW_MEAN].value, 1,
				   pd->random_max, &u)))
			return ret;
		pd->random_mean = (uint16_t)u;
		ZEQ_MARK(pd, ZEQ_A_PADDING_RANDOM_MEAN);
	}
	if (kw[KW_CAP].value) {
		if ((ret = cli_u32("padding cap", kw[KW_CAP].value, 0,
				   ZEQ_PAD_OVERHEAD_CAP_MAX, &u)))
			return ret;
		pd->overhead_cap = (uint16_t)u;
		ZEQ_MARK(pd, ZEQ_A_PADDING_OVERHEAD_CAP);
	}
	return 0;
}

/*
 * Obfuscation keywords. Only what is given is sent; the kernel checks the
 * result merged with what the device has (ranges, junk size against the
 * prefix, overlapping types). This checks each value, and the rules
 * between values only when this command gives all the values a rule
 * reads: never refuse what depends on a value it did not see.
 */
static int set_obfs(const struct cli_kw *kw, struct zc_args *a)
{
	struct zeq_obfs *o = &a->conf.obfs;
	uint32_t lo, hi;
	int ret;

	if (kw[KW_JUNK_COUNT].value) {
		if ((ret = cli_u32("junk count", kw[KW_JUNK_COUNT].value, 0,
				   ZEQ_JUNK_COUNT_MAX, &lo)))
			return ret;
		o->junk_count = (uint8_t)lo;
		ZEQ_MARK(o, ZEQ_A_OBFS_JUNK_COUNT);
	}
	if (kw[KW_JUNK_SIZE].value) {
		if ((ret = parse_range("junk size", kw[KW_JUNK_SIZE].value, 0,
				       ZEQ_JUNK_SIZE_MAX, &lo, &hi)))
			return ret;
		o->junk_min = (uint16_t)lo;
		o->junk_max = (uint16_t)hi;
		ZEQ_MARK(o, ZEQ_A_OBFS_JUNK_MIN);
		ZEQ_MARK(o, ZEQ_A_OBFS_JUNK_MAX);
	}
	if (kw[KW_PREFIX].value) {
		if ((ret = parse_range("prefix", kw[KW_PREFIX].value, 0,
				       ZEQ_PREFIX_MAX, &lo, &hi)))
			return ret;
		o->prefix_min = (uint8_t)lo;
		o->prefix_max = (uint8_t)hi;
		ZEQ_MARK(o, ZEQ_A_OBFS_PREFIX_MIN);
		ZEQ_MARK(o, ZEQ_A_OBFS_PREFIX_MAX);
	}
	if (kw[KW_TYPE_DATA].value) {
		if ((ret = parse_range("type-data", kw[KW_TYPE_DATA].value, 0,
				       UINT32_MAX, &o->type_data_min,
				       &o->type_data_max)))
			return ret;
		ZEQ_MARK(o, ZEQ_A_OBFS_TYPE_DATA_MIN);
		ZEQ_MARK(o, ZEQ_A_OBFS_TYPE_DATA_MAX);
	}
	if (kw[KW_TYPE_JUNK].value) {
		if ((ret = parse_range("type-junk", kw[KW_TYPE_JUNK].value, 0,
				       UINT32_MAX, &o->type_junk_min,
				       &o->type_junk_max)))
			return ret;
		ZEQ_MARK(o, ZEQ_A_OBFS_TYPE_JUNK_MIN);
		ZEQ_MARK(o, ZEQ_A_OBFS_TYPE_JUNK_MAX);
	}
	/*
	 * Junk needs room for the longest prefix, a header and a sample:
	 * checked when this command sends junk and its sizes (without
	 * "prefix" the device's prefix is unknown, but at least 0).
	 */
	if (kw[KW_JUNK_COUNT].value && o->junk_count && kw[KW_JUNK_SIZE].value &&
	    o->junk_min < ZEQ_JUNK_SIZE_MIN(o->prefix_max)) {
		if (!kw[KW_PREFIX].value)
			return cli_usage_error("invalid junk size \"%s\": with "
					       "junk-count the min must be at "
					       "least the prefix max + %u",
					       kw[KW_JUNK_SIZE].value,
					       (unsigned int)ZEQ_JUNK_SIZE_MIN(0));
		return cli_usage_error("invalid junk size \"%s\": with junk-count "
				       "the min must be at least %u (prefix max "
				       "%u + %u)", kw[KW_JUNK_SIZE].value,
				       (unsigned int)ZEQ_JUNK_SIZE_MIN(o->prefix_max),
				       (unsigned int)o->prefix_max,
				       (unsigned int)ZEQ_JUNK_SIZE_MIN(0));
	}
	if (kw[KW_TYPE_DATA].value && kw[KW_TYPE_JUNK].value &&
	    o->type_data_min <= o->type_junk_max &&
	    o->type_junk_min <= o->type_data_max)
		return cli_usage_error("set: type-data and type-junk ranges "
				       "overlap");
	if (kw[KW_HP].value) {
		if ((ret = parse_on_off("header-protection", kw[KW_HP].value,
					&o->header_protection)))
			return ret;
		ZEQ_MARK(o, ZEQ_A_OBFS_HEADER_PROTECTION);
	}
	a->hp_key_file = kw[KW_HP_KEY_FILE].value;	/* read by cmd_set */
	if (o->has || a->hp_key_file)
		ZEQ_MARK(&a->conf, ZEQ_A_OBFS);
	return 0;
}

/*
 * "padding bucket 128,256" names its sizes without a keyword: give them
 * the hidden keyword "buckets" (argv is reordered, never grown).
 */
static void name_buckets(int argc, char **argv, int *n_out, char **list)
{
	int i;

	*n_out = argc;
	*list = NULL;
	for (i = 0; i + 2 < argc; i++) {
		if (strcmp(argv[i], "padding") || strcmp(argv[i + 1], "bucket"))
			continue;
		*list = argv[i + 2];
		memmove(&argv[i + 2], &argv[i + 3],
			(size_t)(argc - i - 3) * sizeof(*argv));
		*n_out = argc - 1;
		return;
	}
}

static int parse_set(int argc, char **argv, struct zc_args *a)
{
	struct cli_kw kw[KW_N] = {
		[KW_PORT] = { "listen-port", true, NULL },
		[KW_FWMARK] = { "fwmark", true, NULL },
		[KW_MAX_AGE] = { "key-max-age", true, NULL },
		[KW_COVER] = { "cover", true, NULL },
		[KW_RATE] = { "rate", true, NULL },
		[KW_PADDING] = { "padding", true, NULL },
		[KW_BUCKETS] = { "buckets", true, NULL },
		[KW_MAX] = { "max", true, NULL },
		[KW_DIST] = { "dist", true, NULL },
		[KW_MEAN] = { "mean", true, NULL },
		[KW_CAP] = { "cap", true, NULL },
		[KW_JUNK_COUNT] = { "junk-count", true, NULL },
		[KW_JUNK_SIZE] = { "junk-size", true, NULL },
		[KW_PREFIX] = { "prefix", true, NULL },
		[KW_TYPE_DATA] = { "type-data", true, NULL },
		[KW_TYPE_JUNK] = { "type-junk", true, NULL },
		[KW_HP] = { "header-protection", true, NULL },
		[KW_HP_KEY_FILE] = { "hp-key-file", true, NULL },
	};
	struct zeq_device *d = &a->conf;
	char *buckets;
	uint32_t n;
	int ret, nargs;

	a->cmd = ZC_SET;
	a->nl_cmd = ZEQ_CMD_DEV_SET;
	snprintf(a->ctx, sizeof(a->ctx), "set");
	if ((ret = cli_check_dev("set", argc > 0 ? argv[0] : NULL)))
		return ret;
	name_buckets(argc - 1, argv + 1, &nargs, &buckets);
	if ((ret = cli_parse_kw("set", nargs, argv + 1, kw, KW_N)))
		return ret;
	if (kw[KW_BUCKETS].value)	/* only through "padding bucket" */
		return cli_usage_error("unknown argument \"buckets\" for \"set\"");
	kw[KW_BUCKETS].value = buckets;
	a->dev = argv[0];
	if (kw[KW_PORT].value) {
		if ((ret = cli_u32("listen port", kw[KW_PORT].value, 0,
				   UINT16_MAX, &n)))
			return ret;
		d->listen_port = (uint16_t)n;
		ZEQ_MARK(d, ZEQ_A_LISTEN_PORT);
	}
	if (kw[KW_FWMARK].value) {
		if ((ret = cli_u32("fwmark", kw[KW_FWMARK].value, 0, UINT32_MAX,
				   &d->fwmark)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_FWMARK);
	}
	if (kw[KW_MAX_AGE].value) {
		if ((ret = cli_u32("key max age", kw[KW_MAX_AGE].value,
				   ZEQ_KEY_MAX_AGE_MIN, ZEQ_KEY_MAX_AGE_MAX,
				   &d->key_max_age)))
			return ret;
		ZEQ_MARK(d, ZEQ_A_KEY_MAX_AGE);
	}
	if ((ret = set_cover(kw, d)) || (ret = set_padding(kw, d)) ||
	    (ret = set_obfs(kw, a)))
		return ret;
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

/* cover on [rate R] | off | device */
static int peer_cover(const char *cover, const char *rate, struct zeq_peer *p)
{
	int ret;

	if (rate && (!cover || strcmp(cover, "on")))
		return cli_usage_error("peer: \"rate\" goes with \"cover on\"");
	if (!cover)
		return 0;
	if (!strcmp(cover, "on"))
		p->cover = ZEQ_COVER_ON;
	else if (!strcmp(cover, "off"))
		p->cover = ZEQ_COVER_OFF;
	else if (!strcmp(cover, "device"))
		p->cover = ZEQ_COVER_DEVICE;
	else
		return cli_usage_error("invalid cover \"%s\": on, off or device",
				       cover);
	ZEQ_MARK(p, ZEQ_A_PEER_COVER);
	/* on without a rate, or off/device: back to the device's rate */
	p->cover_rate = 0;
	ZEQ_MARK(p, ZEQ_A_PEER_COVER_RATE);
	if (rate && (ret = parse_rate(rate, &p->cover_rate)))
		return ret;
	return 0;
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
	return peer_cover(cli_kw(kw, n, "cover"), cli_kw(kw, n, "rate"), p);
}

static int parse_peer_sub(const char *sub, int argc, char **argv,
			  struct zc_args *a)
{
	struct cli_kw kw[] = {
		{ "id", true, NULL },
		{ "endpoint", true, NULL },
		{ "allowed-ips", true, NULL },
		{ "keepalive", true, NULL },
		{ "cover", true, NULL },
		{ "rate", true, NULL },
		{ "replace-allowed-ips", false, NULL },
	};
	bool add = strcmp(sub, "add") == 0, del = strcmp(sub, "del") == 0;
	/* add takes no replace flag; del only the id */
	size_t n_kw = del ? 1 : add ? 6 : 7;
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

/* --- daemon commands (zeqd's control API) ---------------------------------- */

/* a ZID: 32 lowercase hex digits (zeqd checks it too; fail early here) */
static int check_zid(const char *what, const char *z)
{
	size_t i;

	for (i = 0; z[i]; i++)
		if (!((z[i] >= '0' && z[i] <= '9') || (z[i] >= 'a' && z[i] <= 'f')))
			break;
	if (z[i] || i != ZEQ_ZID_HEX_LEN)
		return cli_usage_error("%s \"%s\": a node id is %d lowercase "
				       "hex digits", what, z, ZEQ_ZID_HEX_LEN);
	return 0;
}

static int parse_tunnel_id(const char *ctx, int argc, char **argv,
			   struct zc_args *a)
{
	uint32_t id;

	if (argc < 1)
		return cli_usage_error("\"%s\" needs a tunnel ID", ctx);
	if (argc > 1)
		return cli_usage_error("unknown argument \"%s\" for \"%s\"",
				       argv[1], ctx);
	if (cli_u32("tunnel ID", argv[0], 1, UINT32_MAX, &id))
		return EXIT_USAGE;
	a->tunnel_id = id;
	return 0;
}

/* tunnels add PEER [via HOP[,HOP...]] */
static int parse_tunnels_add(int argc, char **argv, struct zc_args *a)
{
	char *h, *save = NULL;

	if (argc < 1)
		return cli_usage_error("\"tunnels add\" needs a PEER node id");
	if (check_zid("PEER", argv[0]))
		return EXIT_USAGE;
	a->peer_zid = argv[0];
	if (argc == 1)
		return 0;
	if (strcmp(argv[1], "via") || argc != 3)
		return cli_usage_error("unknown argument \"%s\" for \"tunnels add\" "
				       "(want: via HOP[,HOP...])",
				       strcmp(argv[1], "via") ? argv[1] :
				       argc > 3 ? argv[3] : "via");
	a->hops_buf = strdup(argv[2]);
	if (!a->hops_buf)
		return cli_error("out of memory");
	for (h = strtok_r(a->hops_buf, ",", &save); h;
	     h = strtok_r(NULL, ",", &save)) {
		if (a->nhops == ZEQ_TUNNEL_HOPS_MAX)
			return cli_usage_error("via: at most %d hops",
					       ZEQ_TUNNEL_HOPS_MAX);
		if (check_zid("via", h))
			return EXIT_USAGE;
		a->hops[a->nhops++] = h;
	}
	if (!a->nhops)
		return cli_usage_error("via: no hop given");
	return 0;
}

static int parse_tunnels(int argc, char **argv, struct zc_args *a)
{
	const char *sub = argc > 0 ? argv[0] : "list";

	a->cmd = ZC_API;
	if (!strcmp(sub, "list")) {
		a->api_op = "tunnels.list";
		if (argc > 1)
			return cli_usage_error("unknown argument \"%s\" for "
					       "\"tunnels list\"", argv[1]);
		return 0;
	}
	if (!strcmp(sub, "add")) {
		a->api_op = "tunnels.create";
		return parse_tunnels_add(argc - 1, argv + 1, a);
	}
	if (!strcmp(sub, "show"))
		a->api_op = "tunnels.get";
	else if (!strcmp(sub, "stop"))
		a->api_op = "tunnels.stop";
	else if (!strcmp(sub, "del"))
		a->api_op = "tunnels.delete";
	else
		return cli_usage_error("unknown \"tunnels\" command \"%s\" "
				       "(list, add, show, stop, del)", sub);
	snprintf(a->ctx, sizeof(a->ctx), "tunnels %s", sub);
	return parse_tunnel_id(a->ctx, argc - 1, argv + 1, a);
}

/* secrets [list] | token [show] | token revoke */
static int parse_api_simple(const char *cmd, int argc, char **argv,
			    struct zc_args *a)
{
	static const struct { const char *cmd, *sub, *op; } ops[] = {
		{ "secrets", "list", "secrets.list" },
		{ "token", "show", "whoami" },
		{ "token", "revoke", "token.revoke" },
	};
	/* without a subcommand: the command's first one (list, show) */
	const char *sub = argc > 0 ? argv[0] : strcmp(cmd, "token") ? "list" : "show";

	a->cmd = ZC_API;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(cmd, ops[i].cmd) || strcmp(sub, ops[i].sub))
			continue;
		a->api_op = ops[i].op;
		if (argc > 1)
			return cli_usage_error("unknown argument \"%s\" for "
					       "\"%s %s\"", argv[1], cmd, sub);
		return 0;
	}
	return cli_usage_error("unknown \"%s\" command \"%s\" (%s)", cmd, sub,
			       strcmp(cmd, "token") ? "list" : "show, revoke");
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
		} else if (!strcmp(argv[i], "--socket") ||
			   !strcmp(argv[i], "--token-file")) {
			if (i + 1 >= argc)
				return cli_usage_error("\"%s\" needs a %s", argv[i],
						       argv[i][2] == 's' ? "PATH" : "FILE");
			if (argv[i][2] == 's')
				a->socket_path = argv[++i];
			else
				a->token_file = argv[++i];
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
	if (!strcmp(cmd, "tunnels"))
		return parse_tunnels(strip_json(argc, argv, &a->json), argv, a);
	if (!strcmp(cmd, "secrets") || !strcmp(cmd, "token"))
		return parse_api_simple(cmd, strip_json(argc, argv, &a->json),
					argv, a);
	if (!strcmp(cmd, "help")) {
		a->cmd = ZC_HELP;
		return 0;
	}
	return cli_usage_error("unknown command \"%s\"", cmd);
}

void zc_args_free(struct zc_args *a)
{
	free(a->hops_buf);
	a->hops_buf = NULL;
	zeq_peer_free(&a->peer);
	explicit_bzero(&a->kc, sizeof(a->kc));
	explicit_bzero(a->conf.obfs.hp_key, sizeof(a->conf.obfs.hp_key));
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
