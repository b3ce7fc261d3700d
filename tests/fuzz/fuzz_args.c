// SPDX-License-Identifier: MIT
/*
 * fuzz_args.c - zeqctl's whole command line (tools/args.c): global
 * options, every subcommand (show, set, peer add|set|del, key
 * add|swap|del, genkey [hp], monitor, help), keywords and their values
 * (devices, numbers, ports, key-max-age, endpoints, allowed-ips lists,
 * cover rates, padding modes and buckets, obfuscation ranges).
 *
 * Input: the argument vector, argv[0] included, NUL-separated.
 * Checks: the parse either fails with the usage status or yields values
 * within their documented ranges; the request it would send builds, and
 * parses back (tools/zeq_attrs.c) to exactly what was parsed; no key
 * bytes (session or header protection) come from argv.
 */
#include "fuzz.h"

#include <sys/socket.h>
#include <linux/genetlink.h>

#include "args.h"
#include "cli.h"
#include "nl.h"
#include "parse.h"
#include "zeq_attrs.h"

#define MAX_ARGS 64

static void check_dev(const char *dev)
{
	FUZZ_CHECK(dev && *dev && strlen(dev) < IFNAMSIZ &&
		   !strchr(dev, '/') && !strchr(dev, ' '),
		   "device \"%s\" accepted", dev ? dev : "(null)");
}

static void check_prefix(const struct zeq_prefix *p)
{
	unsigned int bits = p->addr.family == AF_INET ? 32 : 128;
	char text[ZEQ_PREFIX_STRLEN], why[ZEQ_WHY_LEN];
	struct zeq_prefix back;

	FUZZ_CHECK(p->addr.family == AF_INET || p->addr.family == AF_INET6,
		   "prefix family %u", p->addr.family);
	FUZZ_CHECK(p->cidr <= bits, "cidr %u", p->cidr);
	for (unsigned int i = p->cidr; i < bits; i++)
		FUZZ_CHECK(!(p->addr.bytes[i / 8] & (0x80 >> (i % 8))),
			   "host bit %u set in an accepted prefix", i);
	/* the canonical text form reads back the same */
	zeq_prefix_str(p, text, sizeof(text));
	FUZZ_CHECK(zeq_parse_prefix(text, &back, why, sizeof(why)) == 0,
		   "\"%s\" does not parse back: %s", text, why);
	FUZZ_CHECK(!memcmp(&back, p, sizeof(back)), "\"%s\" parses back "
		   "differently", text);
}

/* Bytes of the ZEQ_A_PEER nest of a request (attribute sizes, aligned). */
static size_t peer_nest_len(const struct zeq_peer *p)
{
	size_t len = 4 + 8;				/* nest, id */

	if (p->endpoint.addr.family == AF_INET)
		len += 8 + 8;				/* address, port */
	else if (p->endpoint.addr.family == AF_INET6)
		len += 20 + 8;
	if (ZEQ_HAS(p, ZEQ_A_PEER_KEEPALIVE))
		len += 8;
	if (ZEQ_HAS(p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS))
		len += 4;
	if (ZEQ_HAS(p, ZEQ_A_PEER_COVER))
		len += 8;
	if (ZEQ_HAS(p, ZEQ_A_PEER_COVER_RATE))
		len += 8;
	for (size_t i = 0; i < p->n_aips; i++)	/* nest, family, addr, cidr */
		len += 4 + 8 + (p->aips[i].addr.family == AF_INET ? 8 : 20) + 8;
	return len;
}

/*
 * The request as zeqctl would send it; NULL when zeqctl refuses it as too
 * large, which must be exactly when a nest would not fit nla_len.
 */
static struct nlmsghdr *build(const struct zc_args *a, char **bufp)
{
	struct znl nl = { .family = 0x20, .version = ZEQ_GENL_VERSION };
	size_t len = zc_request_len(a);
	bool fits = a->cmd != ZC_PEER || peer_nest_len(&a->peer) <= UINT16_MAX;
	struct nlmsghdr *nlh;
	bool ok;

	*bufp = calloc(1, len);
	if (!*bufp)
		abort();
	nlh = znl_msg(&nl, *bufp, a->nl_cmd, 0);
	ok = zc_put_request(nlh, len, a);
	FUZZ_CHECK(nlh->nlmsg_len <= len, "request overran its buffer");
	FUZZ_CHECK(ok == fits, "%s: request %s, but it %s", a->ctx,
		   ok ? "built" : "refused", fits ? "fits" : "does not fit");
	return ok ? nlh : NULL;
}

static void check_dev_sel(const struct nlmsghdr *nlh, const char *dev)
{
	struct zeq_device d = { 0 };

	FUZZ_CHECK(zeq_parse_dev(nlh, &d) == 0, "device selector unreadable");
	FUZZ_CHECK(d.has == ZEQ_BIT(ZEQ_A_IFNAME) && !strcmp(d.ifname, dev),
		   "device selector \"%s\" != \"%s\"", d.ifname, dev);
}

/* A cover rate zeqctl sends: within the kernel's range. */
static bool rate_ok(uint32_t mhz)
{
	return mhz >= ZEQ_COVER_RATE_MIN_MHZ && mhz <= ZEQ_COVER_RATE_MAX_MHZ;
}

/* Padding as "set" parsed it: one mode with its own parameters only. */
static void check_padding(const struct zeq_padding *p)
{
	uint64_t random_only = ZEQ_BIT(ZEQ_A_PADDING_DIST) |
			       ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MAX) |
			       ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MEAN) |
			       ZEQ_BIT(ZEQ_A_PADDING_OVERHEAD_CAP);

	FUZZ_CHECK(ZEQ_HAS(p, ZEQ_A_PADDING_MODE) && p->mode <= ZEQ_PADDING_MAX,
		   "padding mode %u", p->mode);
	FUZZ_CHECK(ZEQ_HAS(p, ZEQ_A_PADDING_BUCKET) ==
		   (p->mode == ZEQ_PADDING_BUCKET) &&
		   (p->n_buckets > 0) == (p->mode == ZEQ_PADDING_BUCKET) &&
		   p->n_buckets <= ZEQ_PAD_BUCKETS_MAX,
		   "%u buckets in mode %u", p->n_buckets, p->mode);
	for (unsigned int i = 0; i < p->n_buckets; i++)
		FUZZ_CHECK(p->buckets[i] >= 1 &&
			   (!i || p->buckets[i] > p->buckets[i - 1]),
			   "bucket %u: %u", i, p->buckets[i]);
	if (p->mode != ZEQ_PADDING_RANDOM) {
		FUZZ_CHECK(!(p->has & random_only), "random padding parameters "
			   "in mode %u", p->mode);
		return;
	}
	FUZZ_CHECK(ZEQ_HAS(p, ZEQ_A_PADDING_RANDOM_MAX) && p->random_max >= 1 &&
		   p->random_max <= ZEQ_PAD_RANDOM_MAX, "padding max %u",
		   p->random_max);
	FUZZ_CHECK(p->dist <= ZEQ_PAD_DIST_MAX, "padding dist %u", p->dist);
	if (ZEQ_HAS(p, ZEQ_A_PADDING_RANDOM_MEAN))
		FUZZ_CHECK(p->dist == ZEQ_PAD_DIST_EXPONENTIAL &&
			   p->random_mean >= 1 && p->random_mean <= p->random_max,
			   "padding mean %u (dist %u, max %u)", p->random_mean,
			   p->dist, p->random_max);
	FUZZ_CHECK(p->overhead_cap <= ZEQ_PAD_OVERHEAD_CAP_MAX, "padding cap %u",
		   p->overhead_cap);
}

/* Obfuscation as "set" parsed it: each range within the kernel's policy. */
static void check_obfs(const struct zc_args *a)
{
	static const uint8_t zero[ZEQ_HP_KEY_LEN];
	const struct zeq_obfs *o = &a->conf.obfs;

	FUZZ_CHECK(ZEQ_HAS(&a->conf, ZEQ_A_OBFS) == (o->has || a->hp_key_file),
		   "obfs nest without parameters or key file");
	FUZZ_CHECK(!ZEQ_HAS(o, ZEQ_A_OBFS_HP_KEY) &&
		   !memcmp(o->hp_key, zero, sizeof(zero)), "hp key from argv");
	FUZZ_CHECK(!ZEQ_HAS(o, ZEQ_A_OBFS_DIGEST), "digest (read only) sent");
	FUZZ_CHECK(o->junk_count <= ZEQ_JUNK_COUNT_MAX, "junk count %u",
		   o->junk_count);
	FUZZ_CHECK(o->junk_min <= o->junk_max && o->junk_max <= ZEQ_JUNK_SIZE_MAX,
		   "junk size %u-%u", o->junk_min, o->junk_max);
	FUZZ_CHECK(o->prefix_min <= o->prefix_max && o->prefix_max <= ZEQ_PREFIX_MAX,
		   "prefix %u-%u", o->prefix_min, o->prefix_max);
	FUZZ_CHECK(o->type_data_min <= o->type_data_max &&
		   o->type_junk_min <= o->type_junk_max, "type ranges");
	FUZZ_CHECK(o->header_protection <= 1, "header protection %u",
		   o->header_protection);
	/* rules between values hold when every value is in the command */
	if (ZEQ_HAS(o, ZEQ_A_OBFS_TYPE_DATA_MIN) &&
	    ZEQ_HAS(o, ZEQ_A_OBFS_TYPE_JUNK_MIN))
		FUZZ_CHECK(o->type_data_max < o->type_junk_min ||
			   o->type_junk_max < o->type_data_min,
			   "overlapping type ranges accepted");
	if (ZEQ_HAS(o, ZEQ_A_OBFS_JUNK_COUNT) && o->junk_count &&
	    ZEQ_HAS(o, ZEQ_A_OBFS_JUNK_MIN))
		FUZZ_CHECK(o->junk_min >= ZEQ_JUNK_SIZE_MIN(o->prefix_max),
			   "junk min %u with prefix max %u accepted",
			   o->junk_min, o->prefix_max);
}

static void check_set(const struct zc_args *a)
{
	const struct zeq_device *c = &a->conf;
	struct zeq_device back = { 0 };
	struct nlmsghdr *nlh;
	char *buf;

	check_dev(a->dev);
	FUZZ_CHECK(a->nl_cmd == ZEQ_CMD_DEV_SET, "set: command %u", a->nl_cmd);
	FUZZ_CHECK(ZEQ_HAS(c, ZEQ_A_IFNAME) && !strcmp(c->ifname, a->dev),
		   "set: ifname");
	FUZZ_CHECK(c->has & ~ZEQ_BIT(ZEQ_A_IFNAME), "set: nothing set");
	FUZZ_CHECK(!(c->has & (ZEQ_BIT(ZEQ_A_IFINDEX) |
			       ZEQ_BIT(ZEQ_A_CRYPTO_DRIVER) |
			       ZEQ_BIT(ZEQ_A_PEER_COUNT) | ZEQ_BIT(ZEQ_A_STATS))),
		   "set: read-only attributes %#llx",
		   (unsigned long long)c->has);
	if (ZEQ_HAS(c, ZEQ_A_KEY_MAX_AGE))
		FUZZ_CHECK(c->key_max_age >= ZEQ_KEY_MAX_AGE_MIN &&
			   c->key_max_age <= ZEQ_KEY_MAX_AGE_MAX,
			   "key-max-age %u", c->key_max_age);
	if (ZEQ_HAS(c, ZEQ_A_COVER_RATE))
		FUZZ_CHECK(ZEQ_HAS(c, ZEQ_A_COVER) && c->cover == 1 &&
			   rate_ok(c->cover_rate), "cover %u rate %u",
			   c->cover, c->cover_rate);
	FUZZ_CHECK(c->cover <= 1, "cover %u", c->cover);
	if (ZEQ_HAS(c, ZEQ_A_PADDING))
		check_padding(&c->padding);
	else
		FUZZ_CHECK(!c->padding.has, "padding parameters without the nest");
	check_obfs(a);
	nlh = build(a, &buf);
	FUZZ_CHECK(nlh && zeq_parse_dev(nlh, &back) == 0,
		   "set: request unreadable");
	FUZZ_CHECK(!memcmp(&back, c, sizeof(back)), "set: request differs");
	free(buf);
}

static void check_peer(const struct zc_args *a)
{
	const struct zeq_peer *p = &a->peer;
	struct zeq_peer back = { 0 };
	struct nlmsghdr *nlh;
	uint64_t want;
	char *buf;

	check_dev(a->dev);
	FUZZ_CHECK(a->nl_cmd == ZEQ_CMD_PEER_NEW || a->nl_cmd == ZEQ_CMD_PEER_SET ||
		   a->nl_cmd == ZEQ_CMD_PEER_DEL, "peer: command %u", a->nl_cmd);
	FUZZ_CHECK(ZEQ_HAS(p, ZEQ_A_PEER_ID) && p->id >= 1 &&
		   p->id <= ZEQ_PEER_ID_MAX, "peer id %u", p->id);
	FUZZ_CHECK(p->keepalive <= ZEQ_KEEPALIVE_MAX, "keepalive %u",
		   p->keepalive);
	if (a->nl_cmd == ZEQ_CMD_PEER_DEL)
		FUZZ_CHECK(p->has == ZEQ_BIT(ZEQ_A_PEER_ID), "peer del takes "
			   "only the id (has %#llx)", (unsigned long long)p->has);
	FUZZ_CHECK(!ZEQ_HAS(p, ZEQ_A_PEER_COVER_ACTIVE_RATE) &&
		   !ZEQ_HAS(p, ZEQ_A_PEER_STATS) && !ZEQ_HAS(p, ZEQ_A_PEER_KEY),
		   "peer: read-only attributes %#llx",
		   (unsigned long long)p->has);
	/* a cover mode always comes with its rate: 0 (the device's) or own */
	FUZZ_CHECK(ZEQ_HAS(p, ZEQ_A_PEER_COVER) ==
		   ZEQ_HAS(p, ZEQ_A_PEER_COVER_RATE) && p->cover <= ZEQ_COVER_MAX &&
		   (p->cover_rate == 0 ||
		    (p->cover == ZEQ_COVER_ON && rate_ok(p->cover_rate))),
		   "peer cover %u rate %u", p->cover, p->cover_rate);
	if (a->nl_cmd == ZEQ_CMD_PEER_NEW)
		FUZZ_CHECK(!ZEQ_HAS(p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS),
			   "peer add with replace-allowed-ips");
	if (p->endpoint.addr.family) {
		FUZZ_CHECK(p->endpoint.port >= 1, "endpoint port 0");
		FUZZ_CHECK(ZEQ_HAS(p, p->endpoint.addr.family == AF_INET ?
				   ZEQ_A_PEER_ENDPOINT_IPV4 :
				   ZEQ_A_PEER_ENDPOINT_IPV6), "endpoint unmarked");
	}
	for (size_t i = 0; i < p->n_aips; i++)
		check_prefix(&p->aips[i]);

	nlh = build(a, &buf);
	if (!nlh) {
		free(buf);
		return;
	}
	check_dev_sel(nlh, a->dev);
	FUZZ_CHECK(zeq_parse_peer(nlh, &back) == 0, "peer: request unreadable");
	/* the parser also marks the port that comes with an address */
	want = p->has;
	if (p->endpoint.addr.family)
		want |= ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_PORT);
	FUZZ_CHECK(back.has == want, "peer: attributes %#llx sent, %#llx "
		   "read back", (unsigned long long)want,
		   (unsigned long long)back.has);
	FUZZ_CHECK(back.id == p->id && back.keepalive == p->keepalive &&
		   !memcmp(&back.endpoint, &p->endpoint, sizeof(back.endpoint)) &&
		   back.cover == p->cover && back.cover_rate == p->cover_rate,
		   "peer: request differs");
	FUZZ_CHECK(back.n_aips == p->n_aips, "peer: %zu allowed IPs sent, "
		   "%zu read back", p->n_aips, back.n_aips);
	for (size_t i = 0; i < p->n_aips; i++)
		FUZZ_CHECK(!memcmp(&back.aips[i], &p->aips[i], sizeof(back.aips[i])),
			   "peer: allowed IP %zu differs", i);
	zeq_peer_free(&back);
	free(buf);
}

/* The ZEQ_A_KEYCONF nest of a key request, key bytes included. */
static void check_key_request(const struct nlmsghdr *nlh,
			      const struct zeq_keyconf *kc)
{
	const struct nlattr *a, *b;
	struct zeq_keyconf back = { 0 };
	int nests = 0;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != ZEQ_A_KEYCONF)
			continue;
		nests++;
		FUZZ_CHECK(zeq_parse_keyconf(a, &back) == 0, "keyconf unreadable");
		mnl_attr_for_each_nested(b, a) {
			uint16_t t = mnl_attr_get_type(b);

			/* key bytes are sent only by key add, after the file */
			FUZZ_CHECK(t < ZEQ_A_KEYCONF_TX_KEY ||
				   t > ZEQ_A_KEYCONF_RX_SALT,
				   "key bytes (attr %u) in a request built "
				   "from arguments alone", t);
		}
	}
	FUZZ_CHECK(nests == 1, "%d keyconf nests", nests);
	FUZZ_CHECK(back.has == kc->has && back.peer_id == kc->peer_id &&
		   back.slot == kc->slot && back.key_id == kc->key_id &&
		   back.remote_key_id == kc->remote_key_id,
		   "key: request differs");
}

static void check_key(const struct zc_args *a)
{
	const struct zeq_keyconf *kc = &a->kc;
	static const uint8_t zero[ZEQ_KEY_LEN];
	struct nlmsghdr *nlh;
	char *buf;

	check_dev(a->dev);
	FUZZ_CHECK(kc->peer_id >= 1 && kc->peer_id <= ZEQ_PEER_ID_MAX,
		   "key: peer id %u", kc->peer_id);
	/* arguments never carry key material */
	FUZZ_CHECK(!memcmp(kc->tx_key, zero, ZEQ_KEY_LEN) &&
		   !memcmp(kc->rx_key, zero, ZEQ_KEY_LEN), "key bytes from argv");
	switch (a->nl_cmd) {
	case ZEQ_CMD_KEY_NEW:
		FUZZ_CHECK(a->read_keys && kc->key_id && kc->remote_key_id &&
			   kc->slot == ZEQ_KEY_SLOT_NEXT, "key add");
		break;
	case ZEQ_CMD_KEY_DEL:
		FUZZ_CHECK(!a->read_keys && kc->slot <= ZEQ_KEY_SLOT_MAX &&
			   ZEQ_HAS(kc, ZEQ_A_KEYCONF_SLOT), "key del");
		break;
	case ZEQ_CMD_KEY_SWAP:
		FUZZ_CHECK(!a->read_keys && kc->has == ZEQ_BIT(ZEQ_A_KEYCONF_PEER_ID),
			   "key swap");
		break;
	default:
		FUZZ_CHECK(0, "key: command %u", a->nl_cmd);
	}
	nlh = build(a, &buf);
	FUZZ_CHECK(nlh, "key: request refused");
	check_dev_sel(nlh, a->dev);
	check_key_request(nlh, kc);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zc_args a;
	int argc, ret;
	char **argv = fuzz_argv(data, size, MAX_ARGS, &argc);

	ret = zc_parse_args(argc, argv, &a);
	FUZZ_CHECK(ret == 0 || ret == EXIT_USAGE, "status %d", ret);
	FUZZ_CHECK(fuzz_terminated(a.ctx, sizeof(a.ctx)), "ctx");
	if (ret == 0) {
		switch (a.cmd) {
		case ZC_SHOW:
			if (a.dev)
				check_dev(a.dev);
			break;
		case ZC_SET: check_set(&a); break;
		case ZC_PEER: check_peer(&a); break;
		case ZC_KEY: check_key(&a); break;
		default: break;
		}
	}
	zc_args_free(&a);
	fuzz_argv_free(argv, argc);
	return 0;
}
