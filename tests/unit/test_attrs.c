// SPDX-License-Identifier: MIT
/* test_attrs.c - zeq attribute build -> parse round trips on a buffer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "unit.h"
#include "zeq_attrs.h"
#include "zeq_query.h"

#define BUFLEN 16384

/* A zeq message header in buf: nlmsghdr + genlmsghdr. */
static struct nlmsghdr *msg(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, BUFLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ZEQ_GENL_VERSION;
	return nlh;
}

static void fill_stats(struct zeq_stats *s, uint64_t base)
{
	s->rx_packets = base + 1;
	s->rx_bytes = base + 2;
	s->tx_packets = base + 3;
	s->tx_bytes = UINT64_MAX - base;
	s->rx_keepalive = base + 5;
	s->tx_keepalive = base + 6;
	s->tx_cover = base + 7;
	s->rx_cover = base + 8;
	s->tx_junk = base + 9;
	s->rx_junk = base + 10;
	s->tx_pad_bytes = UINT64_MAX - base - 11;
	for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++)
		s->drops[r] = base * 100 + r;
	s->has = ZEQ_BIT(ZEQ_A_STATS_RX_PACKETS) | ZEQ_BIT(ZEQ_A_STATS_RX_BYTES) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_PACKETS) | ZEQ_BIT(ZEQ_A_STATS_TX_BYTES) |
		 ZEQ_BIT(ZEQ_A_STATS_RX_KEEPALIVE) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_KEEPALIVE) | ZEQ_BIT(ZEQ_A_STATS_DROPS) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_COVER) | ZEQ_BIT(ZEQ_A_STATS_RX_COVER) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_JUNK) | ZEQ_BIT(ZEQ_A_STATS_RX_JUNK) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_PAD_BYTES);
}

/* Every obfuscation parameter, at the ends of its range, and a digest. */
static void fill_obfs(struct zeq_obfs *o)
{
	o->junk_count = ZEQ_JUNK_COUNT_MAX;
	o->junk_min = ZEQ_JUNK_SIZE_MIN(ZEQ_PREFIX_MAX);
	o->junk_max = ZEQ_JUNK_SIZE_MAX;
	o->prefix_min = 1;
	o->prefix_max = ZEQ_PREFIX_MAX;
	o->type_data_min = 0x10000;
	o->type_data_max = UINT32_MAX;
	o->type_junk_min = 0;
	o->type_junk_max = 0xffff;
	o->header_protection = 1;
	for (unsigned int i = 0; i < ZEQ_OBFS_DIGEST_LEN; i++)
		o->digest[i] = (uint8_t)(0xd0 + i);
	for (int t = ZEQ_A_OBFS_JUNK_COUNT; t <= ZEQ_A_OBFS_DIGEST; t++)
		if (t != ZEQ_A_OBFS_HP_KEY)
			ZEQ_MARK(o, t);
}

static void device_round_trip(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_GET);

	(void)state;
	in.ifindex = 42;
	strcpy(in.ifname, "zeq-test0");
	in.listen_port = 51900;
	in.fwmark = 0xdeadbeef;
	in.key_max_age = ZEQ_KEY_MAX_AGE_MAX;
	strcpy(in.crypto_driver, "generic-gcm-aesni");
	in.peer_count = 65536;
	fill_stats(&in.stats, 7);
	in.cover = 1;
	in.cover_rate = ZEQ_COVER_RATE_MAX_MHZ;
	in.padding.mode = ZEQ_PADDING_RANDOM;
	in.padding.dist = ZEQ_PAD_DIST_EXPONENTIAL;
	in.padding.random_max = ZEQ_PAD_RANDOM_MAX;
	in.padding.random_mean = 1;
	in.padding.overhead_cap = ZEQ_PAD_OVERHEAD_CAP_MAX;
	in.padding.has = ZEQ_BIT(ZEQ_A_PADDING_MODE) |
			 ZEQ_BIT(ZEQ_A_PADDING_DIST) |
			 ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MAX) |
			 ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MEAN) |
			 ZEQ_BIT(ZEQ_A_PADDING_OVERHEAD_CAP);
	fill_obfs(&in.obfs);
	in.has = ZEQ_BIT(ZEQ_A_IFINDEX) | ZEQ_BIT(ZEQ_A_IFNAME) |
		 ZEQ_BIT(ZEQ_A_LISTEN_PORT) | ZEQ_BIT(ZEQ_A_FWMARK) |
		 ZEQ_BIT(ZEQ_A_KEY_MAX_AGE) | ZEQ_BIT(ZEQ_A_CRYPTO_DRIVER) |
		 ZEQ_BIT(ZEQ_A_PEER_COUNT) | ZEQ_BIT(ZEQ_A_STATS) |
		 ZEQ_BIT(ZEQ_A_COVER) | ZEQ_BIT(ZEQ_A_COVER_RATE) |
		 ZEQ_BIT(ZEQ_A_PADDING) | ZEQ_BIT(ZEQ_A_OBFS);
	assert_true(zeq_put_dev(nlh, BUFLEN, &in));
	assert_int_equal(zeq_parse_dev(nlh, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
}

/* The attribute of type type inside nest (NULL if none). */
static const struct nlattr *nested(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/* The top-level attribute of type type of a zeq message (NULL if none). */
static const struct nlattr *top(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/*
 * Bucket padding: every size a u16 of its own, in order, in a nest with
 * NLA_F_NESTED; only the marked attributes go out, and come back.
 */
static void padding_buckets_round_trip(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_SET);
	const struct nlattr *pad, *a;
	unsigned int n = 0;

	(void)state;
	strcpy(in.ifname, "zeq0");
	in.padding.mode = ZEQ_PADDING_BUCKET;
	for (unsigned int i = 0; i < ZEQ_PAD_BUCKETS_MAX; i++)
		in.padding.buckets[i] = (uint16_t)(ZEQ_PAD_SIZE_MAX -
						   ZEQ_PAD_BUCKETS_MAX + 1 + i);
	in.padding.n_buckets = ZEQ_PAD_BUCKETS_MAX;
	in.padding.random_max = 99;	/* not marked: not sent */
	in.padding.has = ZEQ_BIT(ZEQ_A_PADDING_MODE) |
			 ZEQ_BIT(ZEQ_A_PADDING_BUCKET);
	in.has = ZEQ_BIT(ZEQ_A_IFNAME) | ZEQ_BIT(ZEQ_A_PADDING);
	assert_true(zeq_put_dev(nlh, BUFLEN, &in));
	pad = top(nlh, ZEQ_A_PADDING);
	assert_non_null(pad);
	assert_true(pad->nla_type & NLA_F_NESTED);
	mnl_attr_for_each_nested(a, pad) {
		if (mnl_attr_get_type(a) == ZEQ_A_PADDING_MODE) {
			assert_int_equal(mnl_attr_get_payload_len(a), 1);
			assert_int_equal(mnl_attr_get_u8(a), ZEQ_PADDING_BUCKET);
			continue;
		}
		assert_int_equal(mnl_attr_get_type(a), ZEQ_A_PADDING_BUCKET);
		assert_int_equal(mnl_attr_get_payload_len(a), 2);
		assert_int_equal(mnl_attr_get_u16(a), in.padding.buckets[n++]);
	}
	assert_int_equal(n, ZEQ_PAD_BUCKETS_MAX);
	assert_int_equal(zeq_parse_dev(nlh, &out), 0);
	assert_int_equal(out.has, in.has);
	assert_int_equal(out.padding.has, in.padding.has);
	assert_int_equal(out.padding.n_buckets, ZEQ_PAD_BUCKETS_MAX);
	assert_memory_equal(out.padding.buckets, in.padding.buckets,
			    sizeof(in.padding.buckets));
	assert_int_equal(out.padding.random_max, 0);

	/* a ninth bucket from the kernel is malformed, not an overflow */
	nlh = msg(buf, ZEQ_CMD_DEV_GET);
	pad = zeq_nest_start(nlh, BUFLEN, ZEQ_A_PADDING);
	for (unsigned int i = 0; i <= ZEQ_PAD_BUCKETS_MAX; i++)
		mnl_attr_put_u16(nlh, ZEQ_A_PADDING_BUCKET, (uint16_t)(i + 1));
	mnl_attr_nest_end(nlh, (struct nlattr *)pad);
	memset(&out, 0, sizeof(out));
	errno = 0;
	assert_int_equal(zeq_parse_dev(nlh, &out), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(out.padding.n_buckets, ZEQ_PAD_BUCKETS_MAX);
}

/*
 * DEV_SET with obfuscation: only the parameters given, the hp key exactly
 * ZEQ_HP_KEY_LEN bytes; parsing never reads a key back.
 */
static void obfs_partial_and_hp_key(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_SET);
	const struct nlattr *obfs, *a;
	static const uint8_t zero[ZEQ_HP_KEY_LEN];

	(void)state;
	strcpy(in.ifname, "zeq0");
	in.obfs.prefix_min = 2;
	in.obfs.prefix_max = 9;
	in.obfs.header_protection = 1;
	in.obfs.junk_count = 77;	/* not marked: not sent */
	memset(in.obfs.hp_key, 0x3c, sizeof(in.obfs.hp_key));
	in.obfs.has = ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MIN) |
		      ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MAX) |
		      ZEQ_BIT(ZEQ_A_OBFS_HEADER_PROTECTION) |
		      ZEQ_BIT(ZEQ_A_OBFS_HP_KEY);
	in.has = ZEQ_BIT(ZEQ_A_IFNAME) | ZEQ_BIT(ZEQ_A_OBFS);
	assert_true(zeq_put_dev(nlh, BUFLEN, &in));
	obfs = top(nlh, ZEQ_A_OBFS);
	assert_non_null(obfs);
	assert_true(obfs->nla_type & NLA_F_NESTED);
	assert_null(nested(obfs, ZEQ_A_OBFS_JUNK_COUNT));
	assert_null(nested(obfs, ZEQ_A_OBFS_DIGEST));
	a = nested(obfs, ZEQ_A_OBFS_PREFIX_MAX);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), 1);
	assert_int_equal(mnl_attr_get_u8(a), 9);
	a = nested(obfs, ZEQ_A_OBFS_HP_KEY);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), ZEQ_HP_KEY_LEN);
	assert_memory_equal(mnl_attr_get_payload(a), in.obfs.hp_key,
			    ZEQ_HP_KEY_LEN);

	assert_int_equal(zeq_parse_dev(nlh, &out), 0);
	assert_int_equal(out.has, in.has);
	assert_int_equal(out.obfs.has, ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MIN) |
			 ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MAX) |
			 ZEQ_BIT(ZEQ_A_OBFS_HEADER_PROTECTION));
	assert_int_equal(out.obfs.prefix_min, 2);
	assert_int_equal(out.obfs.prefix_max, 9);
	assert_int_equal(out.obfs.header_protection, 1);
	assert_int_equal(out.obfs.junk_count, 0);
	assert_memory_equal(out.obfs.hp_key, zero, ZEQ_HP_KEY_LEN);

	/* an hp key only (as "hp-key-file" alone sends) */
	memset(&in.obfs, 0, sizeof(in.obfs));
	memset(in.obfs.hp_key, 0x5d, sizeof(in.obfs.hp_key));
	ZEQ_MARK(&in.obfs, ZEQ_A_OBFS_HP_KEY);
	nlh = msg(buf, ZEQ_CMD_DEV_SET);
	assert_true(zeq_put_dev(nlh, BUFLEN, &in));
	obfs = top(nlh, ZEQ_A_OBFS);
	assert_non_null(nested(obfs, ZEQ_A_OBFS_HP_KEY));
	mnl_attr_for_each_nested(a, obfs)
		assert_int_equal(mnl_attr_get_type(a), ZEQ_A_OBFS_HP_KEY);
}

static void device_partial(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_SET);

	(void)state;
	strcpy(in.ifname, "zeq0");
	in.fwmark = 0;		/* zero but present */
	in.listen_port = 1234;	/* not marked: must not be sent */
	in.has = ZEQ_BIT(ZEQ_A_IFNAME) | ZEQ_BIT(ZEQ_A_FWMARK);
	assert_true(zeq_put_dev(nlh, BUFLEN, &in));
	assert_int_equal(zeq_parse_dev(nlh, &out), 0);
	assert_int_equal(out.has, in.has);
	assert_int_equal(out.listen_port, 0);
	assert_string_equal(out.ifname, "zeq0");
}

static void peer_round_trip(void **state)
{
	static char buf[BUFLEN];
	struct zeq_peer in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_PEER_GET);
	struct zeq_prefix pfx = { 0 };

	(void)state;
	in.id = ZEQ_PEER_ID_MAX;
	in.endpoint.addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", in.endpoint.addr.bytes);
	in.endpoint.port = 65535;
	in.keepalive = ZEQ_KEEPALIVE_MAX;
	for (int i = 0; i < 40; i++) {
		pfx.addr.family = i % 2 ? AF_INET6 : AF_INET;
		memset(pfx.addr.bytes, 0, 16);
		pfx.addr.bytes[0] = (uint8_t)(10 + i);
		pfx.cidr = (uint8_t)(i % 2 ? 128 : 32);
		assert_int_equal(zeq_peer_add_aip(&in, &pfx), 0);
	}
	for (unsigned int s = 0; s < ZEQ_NSLOTS; s++) {
		struct zeq_keyconf *k = &in.keys[in.n_keys++];

		k->slot = (uint8_t)s;
		k->key_id = 100 + s;
		k->remote_key_id = 200 + s;
		k->age = 3 + s;
		k->tx_packets = 4;
		k->rx_packets = 5;
		k->tx_usage = ZEQ_KEY_USAGE_NOTIFY;
		k->rx_usage = 6;
		k->usage_limit = ZEQ_KEY_USAGE_LIMIT;
		k->has = ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) | ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_AGE) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_TX_PACKETS) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_RX_PACKETS) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_TX_USAGE) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_RX_USAGE) |
			 ZEQ_BIT(ZEQ_A_KEYCONF_USAGE_LIMIT);
	}
	fill_stats(&in.stats, 9);
	in.last_rx = 0;			/* present and zero */
	in.last_key = 1700000000;
	in.cover = ZEQ_COVER_ON;
	in.cover_rate = ZEQ_COVER_RATE_MIN_MHZ;
	in.cover_active_rate = ZEQ_COVER_RATE_MAX_MHZ;
	in.has |= ZEQ_BIT(ZEQ_A_PEER_ID) | ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV6) |
		  ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_PORT) |
		  ZEQ_BIT(ZEQ_A_PEER_KEEPALIVE) | ZEQ_BIT(ZEQ_A_PEER_KEY) |
		  ZEQ_BIT(ZEQ_A_PEER_STATS) | ZEQ_BIT(ZEQ_A_PEER_LAST_RX) |
		  ZEQ_BIT(ZEQ_A_PEER_LAST_KEY) |
		  ZEQ_BIT(ZEQ_A_PEER_REPLACE_ALLOWED_IPS) |
		  ZEQ_BIT(ZEQ_A_PEER_COVER) | ZEQ_BIT(ZEQ_A_PEER_COVER_RATE) |
		  ZEQ_BIT(ZEQ_A_PEER_COVER_ACTIVE_RATE);
	assert_true(zeq_put_peer(nlh, BUFLEN, &in));
	assert_int_equal(zeq_msg_peer_id(nlh), ZEQ_PEER_ID_MAX);
	assert_int_equal(zeq_parse_peer(nlh, &out), 0);

	assert_int_equal(out.has, in.has);
	assert_int_equal(out.id, in.id);
	assert_memory_equal(&out.endpoint, &in.endpoint, sizeof(in.endpoint));
	assert_int_equal(out.keepalive, in.keepalive);
	assert_int_equal(out.n_aips, 40);
	assert_memory_equal(out.aips, in.aips, 40 * sizeof(pfx));
	assert_int_equal(out.n_keys, ZEQ_NSLOTS);
	assert_memory_equal(out.keys, in.keys, sizeof(in.keys));
	assert_memory_equal(&out.stats, &in.stats, sizeof(in.stats));
	assert_int_equal(out.last_rx, 0);
	assert_int_equal(out.last_key, 1700000000);
	assert_int_equal(out.cover, ZEQ_COVER_ON);
	assert_int_equal(out.cover_rate, ZEQ_COVER_RATE_MIN_MHZ);
	assert_int_equal(out.cover_active_rate, ZEQ_COVER_RATE_MAX_MHZ);
	zeq_peer_free(&in);
	zeq_peer_free(&out);
}

static void peer_endpoint_v4(void **state)
{
	static char buf[BUFLEN];
	struct zeq_peer in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_PEER_NEW);
	const struct nlattr *a, *p;
	int seen = 0;

	(void)state;
	in.id = 1;
	in.endpoint.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.241.2", in.endpoint.addr.bytes);
	in.endpoint.port = 51900;
	in.has = ZEQ_BIT(ZEQ_A_PEER_ID) | ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV4);
	assert_true(zeq_put_peer(nlh, BUFLEN, &in));
	/* on the wire: a nested peer with a 4-byte address and a u16 port */
	mnl_attr_for_each(p, nlh, sizeof(struct genlmsghdr)) {
		assert_int_equal(mnl_attr_get_type(p), ZEQ_A_PEER);
		assert_true(p->nla_type & NLA_F_NESTED);
		mnl_attr_for_each_nested(a, p) {
			if (mnl_attr_get_type(a) == ZEQ_A_PEER_ENDPOINT_IPV4) {
				assert_int_equal(mnl_attr_get_payload_len(a), 4);
				seen++;
			}
			if (mnl_attr_get_type(a) == ZEQ_A_PEER_ENDPOINT_PORT) {
				assert_int_equal(mnl_attr_get_payload_len(a), 2);
				assert_int_equal(mnl_attr_get_u16(a), 51900);
				seen++;
			}
		}
	}
	assert_int_equal(seen, 2);
	assert_int_equal(zeq_parse_peer(nlh, &out), 0);
	assert_memory_equal(&out.endpoint, &in.endpoint, sizeof(in.endpoint));
}

/* KEY_NEW carries the key bytes, exactly sized; parsing never reads them. */
static void keyconf_key_material(void **state)
{
	static char buf[BUFLEN];
	struct zeq_keyconf k = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_KEY_NEW);
	const struct nlattr *a, *kc;
	unsigned int seen = 0;

	(void)state;
	k.peer_id = 1;
	k.slot = ZEQ_KEY_SLOT_NEXT;
	k.key_id = 7;
	k.remote_key_id = 9;
	memset(k.tx_key, 0x11, ZEQ_KEY_LEN);
	memset(k.tx_salt, 0x22, ZEQ_SALT_LEN);
	memset(k.rx_key, 0x33, ZEQ_KEY_LEN);
	memset(k.rx_salt, 0x44, ZEQ_SALT_LEN);
	k.has = ZEQ_BIT(ZEQ_A_KEYCONF_PEER_ID) | ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
		ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) | ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID) |
		ZEQ_BIT(ZEQ_A_KEYCONF_TX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_TX_SALT) |
		ZEQ_BIT(ZEQ_A_KEYCONF_RX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_RX_SALT);
	assert_true(zeq_put_dev_sel(nlh, BUFLEN, 0, "zeq0"));
	assert_true(zeq_put_keyconf(nlh, BUFLEN, ZEQ_A_KEYCONF, &k));
	mnl_attr_for_each(kc, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(kc) != ZEQ_A_KEYCONF)
			continue;
		mnl_attr_for_each_nested(a, kc) {
			const uint8_t *v = mnl_attr_get_payload(a);
			size_t len = mnl_attr_get_payload_len(a);

			switch (mnl_attr_get_type(a)) {
			case ZEQ_A_KEYCONF_TX_KEY:
				assert_int_equal(len, ZEQ_KEY_LEN);
				assert_int_equal(v[0], 0x11);
				break;
			case ZEQ_A_KEYCONF_TX_SALT:
				assert_int_equal(len, ZEQ_SALT_LEN);
				assert_int_equal(v[3], 0x22);
				break;
			case ZEQ_A_KEYCONF_RX_KEY:
				assert_int_equal(len, ZEQ_KEY_LEN);
				assert_int_equal(v[31], 0x33);
				break;
			case ZEQ_A_KEYCONF_RX_SALT:
				assert_int_equal(len, ZEQ_SALT_LEN);
				assert_int_equal(v[0], 0x44);
				break;
			case ZEQ_A_KEYCONF_SLOT:
				assert_int_equal(len, 1);
				break;
			default:
				continue;
			}
			seen |= 1u << mnl_attr_get_type(a);
		}
		assert_int_equal(zeq_parse_keyconf(kc, &out), 0);
	}
	assert_int_equal(seen, (1u << ZEQ_A_KEYCONF_TX_KEY) |
			       (1u << ZEQ_A_KEYCONF_TX_SALT) |
			       (1u << ZEQ_A_KEYCONF_RX_KEY) |
			       (1u << ZEQ_A_KEYCONF_RX_SALT) |
			       (1u << ZEQ_A_KEYCONF_SLOT));
	assert_int_equal(out.peer_id, 1);
	assert_int_equal(out.slot, ZEQ_KEY_SLOT_NEXT);
	assert_int_equal(out.key_id, 7);
	assert_int_equal(out.remote_key_id, 9);
	assert_false(ZEQ_HAS(&out, ZEQ_A_KEYCONF_TX_KEY));
	assert_int_equal(out.tx_key[0], 0);
}

static void event_round_trip(void **state)
{
	static char buf[BUFLEN];
	struct zeq_event in = { 0 }, out = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_EVENT);

	(void)state;
	in.ifindex = 5;
	strcpy(in.ifname, "zeq0");
	in.type = ZEQ_EVENT_KEY_NEAR_LIMIT;
	in.peer_id = 1;
	in.key_id = 7;
	in.slot = ZEQ_KEY_SLOT_CURRENT;
	in.endpoint.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.241.3", in.endpoint.addr.bytes);
	in.endpoint.port = 51900;
	in.count = 1ULL << 40;
	in.has = ZEQ_BIT(ZEQ_A_EVENT_TYPE) | ZEQ_BIT(ZEQ_A_EVENT_PEER_ID) |
		 ZEQ_BIT(ZEQ_A_EVENT_KEY_ID) | ZEQ_BIT(ZEQ_A_EVENT_SLOT) |
		 ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_IPV4) |
		 ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_PORT) | ZEQ_BIT(ZEQ_A_EVENT_COUNT);
	assert_true(zeq_put_event(nlh, BUFLEN, &in));
	assert_int_equal(zeq_parse_event(nlh, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
}

static void wrong_sizes_rejected(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device d = { 0 };
	struct zeq_peer p = { 0 };
	struct zeq_event ev = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *n, *a;
	uint8_t addr[16] = { 0 };

	(void)state;
	nlh = msg(buf, ZEQ_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, ZEQ_A_LISTEN_PORT, 51900);	/* u16 expected */
	errno = 0;
	assert_int_equal(zeq_parse_dev(nlh, &d), -1);
	assert_int_equal(errno, EBADMSG);

	nlh = msg(buf, ZEQ_CMD_DEV_GET);
	mnl_attr_put(nlh, ZEQ_A_IFNAME, 4, "zeq0");		/* no NUL */
	assert_int_equal(zeq_parse_dev(nlh, &d), -1);

	nlh = msg(buf, ZEQ_CMD_PEER_GET);
	n = zeq_nest_start(nlh, BUFLEN, ZEQ_A_PEER);
	mnl_attr_put(nlh, ZEQ_A_PEER_ENDPOINT_IPV4, 16, addr);	/* 4 expected */
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(zeq_parse_peer(nlh, &p), -1);

	nlh = msg(buf, ZEQ_CMD_PEER_GET);
	n = zeq_nest_start(nlh, BUFLEN, ZEQ_A_PEER);
	a = zeq_nest_start(nlh, BUFLEN, ZEQ_A_PEER_ALLOWED_IP);
	mnl_attr_put_u16(nlh, ZEQ_A_AIP_FAMILY, AF_INET);
	mnl_attr_put(nlh, ZEQ_A_AIP_ADDR, 4, addr);
	mnl_attr_put_u8(nlh, ZEQ_A_AIP_CIDR, 33);		/* > 32 */
	mnl_attr_nest_end(nlh, a);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(zeq_parse_peer(nlh, &p), -1);
	zeq_peer_free(&p);

	nlh = msg(buf, ZEQ_CMD_EVENT);
	n = zeq_nest_start(nlh, BUFLEN, ZEQ_A_EVENT);
	mnl_attr_put_u64(nlh, ZEQ_A_EVENT_TYPE, 1);		/* u32 expected */
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(zeq_parse_event(nlh, &ev), -1);
}

/*
 * The cover, padding and obfuscation attributes and the new counters with
 * a wrong size, each alone, in its nest (0: top level): malformed.
 */
static void new_attrs_wrong_sizes(void **state)
{
	static const struct { uint16_t nest, type, len; } bad_sizes[] = {
		{ 0, ZEQ_A_COVER, 4 },				/* u8 */
		{ 0, ZEQ_A_COVER_RATE, 8 },			/* u32 */
		{ ZEQ_A_PADDING, ZEQ_A_PADDING_MODE, 2 },	/* u8 */
		{ ZEQ_A_PADDING, ZEQ_A_PADDING_BUCKET, 4 },	/* u16 */
		{ ZEQ_A_OBFS, ZEQ_A_OBFS_JUNK_MIN, 1 },		/* u16 */
		{ ZEQ_A_OBFS, ZEQ_A_OBFS_TYPE_DATA_MIN, 2 },	/* u32 */
		{ ZEQ_A_OBFS, ZEQ_A_OBFS_DIGEST, 16 },		/* 32 bytes */
		{ ZEQ_A_STATS, ZEQ_A_STATS_TX_PAD_BYTES, 4 },	/* u64 */
		{ ZEQ_A_PEER, ZEQ_A_PEER_COVER, 4 },		/* u8 */
		{ ZEQ_A_PEER, ZEQ_A_PEER_COVER_RATE, 1 },	/* u32 */
	};
	static char buf[BUFLEN];
	static const uint8_t zero[32];

	(void)state;
	for (size_t i = 0; i < N_TESTS(bad_sizes); i++) {
		bool peer = bad_sizes[i].nest == ZEQ_A_PEER;
		struct nlmsghdr *nlh = msg(buf, peer ? ZEQ_CMD_PEER_GET :
						       ZEQ_CMD_DEV_GET);
		struct nlattr *n = NULL;
		struct zeq_device d = { 0 };
		struct zeq_peer p = { 0 };

		if (bad_sizes[i].nest)
			n = zeq_nest_start(nlh, BUFLEN, bad_sizes[i].nest);
		mnl_attr_put(nlh, bad_sizes[i].type, bad_sizes[i].len, zero);
		if (n)
			mnl_attr_nest_end(nlh, n);
		errno = 0;
		assert_int_equal(peer ? zeq_parse_peer(nlh, &p) :
					zeq_parse_dev(nlh, &d), -1);
		assert_int_equal(errno, EBADMSG);
	}
}

static void unknown_attrs_skipped(void **state)
{
	static char buf[BUFLEN];
	struct zeq_device d = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_GET);

	(void)state;
	mnl_attr_put_u32(nlh, ZEQ_A_IFINDEX, 3);
	mnl_attr_put_u64(nlh, 99, 1);		/* from a newer kernel */
	mnl_attr_put_u64(nlh, ZEQ_A_PAD, 0);
	assert_int_equal(zeq_parse_dev(nlh, &d), 0);
	assert_int_equal(d.ifindex, 3);
	assert_int_equal(d.has, ZEQ_BIT(ZEQ_A_IFINDEX));
}

/*
 * Inside the padding and obfuscation nests too: newer attributes are
 * skipped, and a kernel's hp key (it never sends one) is not read.
 */
static void unknown_nested_skipped(void **state)
{
	static char buf[BUFLEN];
	static const uint8_t key[ZEQ_HP_KEY_LEN] = { 1, 2, 3 };
	struct zeq_device d = { 0 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_DEV_GET);
	struct nlattr *n;

	(void)state;
	n = zeq_nest_start(nlh, BUFLEN, ZEQ_A_PADDING);
	mnl_attr_put_u8(nlh, ZEQ_A_PADDING_MODE, ZEQ_PADDING_MTU);
	mnl_attr_put_u64(nlh, ZEQ_A_PADDING_MAX + 1, 5);
	mnl_attr_nest_end(nlh, n);
	n = zeq_nest_start(nlh, BUFLEN, ZEQ_A_OBFS);
	mnl_attr_put(nlh, ZEQ_A_OBFS_HP_KEY, sizeof(key), key);
	mnl_attr_put_u8(nlh, ZEQ_A_OBFS_JUNK_COUNT, 3);
	mnl_attr_put_u32(nlh, ZEQ_A_OBFS_MAX + 1, 5);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(zeq_parse_dev(nlh, &d), 0);
	assert_int_equal(d.has, ZEQ_BIT(ZEQ_A_PADDING) | ZEQ_BIT(ZEQ_A_OBFS));
	assert_int_equal(d.padding.has, ZEQ_BIT(ZEQ_A_PADDING_MODE));
	assert_int_equal(d.padding.mode, ZEQ_PADDING_MTU);
	assert_int_equal(d.obfs.has, ZEQ_BIT(ZEQ_A_OBFS_JUNK_COUNT));
	assert_int_equal(d.obfs.junk_count, 3);
	assert_int_equal(d.obfs.hp_key[0], 0);
}

static void buffer_too_small(void **state)
{
	static char buf[BUFLEN];
	struct zeq_peer p = { 0 };
	struct zeq_prefix pfx = { .addr.family = AF_INET6, .cidr = 128 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_PEER_SET);

	(void)state;
	p.id = 1;
	p.has = ZEQ_BIT(ZEQ_A_PEER_ID);
	for (int i = 0; i < 10; i++)
		assert_int_equal(zeq_peer_add_aip(&p, &pfx), 0);
	assert_false(zeq_put_peer(nlh, 128, &p));
	assert_true(nlh->nlmsg_len <= 128);
	zeq_peer_free(&p);
}

/*
 * A nest longer than its 16-bit nla_len can say is refused, where
 * mnl_attr_nest_end wrapped the length silently.
 */
static void nest_too_long(void **state)
{
	static char buf[4 * BUFLEN + 4096], payload[65532];
	struct zeq_peer p = { .id = 1, .has = ZEQ_BIT(ZEQ_A_PEER_ID) };
	struct zeq_prefix pfx = { .addr.family = AF_INET6, .cidr = 128 };
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_PEER_SET);
	struct nlattr *n;

	(void)state;
	/* 12 + 1638 * 40 = 65532 bytes: the largest that fits */
	for (int i = 0; i < 1638; i++)
		assert_int_equal(zeq_peer_add_aip(&p, &pfx), 0);
	assert_true(zeq_put_peer(nlh, sizeof(buf), &p));
	n = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	assert_int_equal(n->nla_len, 65532);
	assert_int_equal(zeq_peer_add_aip(&p, &pfx), 0);
	nlh = msg(buf, ZEQ_CMD_PEER_SET);
	assert_false(zeq_put_peer(nlh, sizeof(buf), &p));
	zeq_peer_free(&p);

	nlh = msg(buf, ZEQ_CMD_PEER_SET);
	n = zeq_nest_start(nlh, sizeof(buf), ZEQ_A_PEER);
	assert_non_null(n);
	assert_true(mnl_attr_put_check(nlh, sizeof(buf), 1, 65524, payload));
	assert_true(zeq_nest_end(nlh, n));		/* 4 + 4 + 65524 */
	assert_int_equal(n->nla_len, 65532);
	nlh = msg(buf, ZEQ_CMD_PEER_SET);
	n = zeq_nest_start(nlh, sizeof(buf), ZEQ_A_PEER);
	assert_true(mnl_attr_put_check(nlh, sizeof(buf), 1, 65528, payload));
	assert_false(zeq_nest_end(nlh, n));		/* 65536 */
}

/* One PEER_GET reply with the given id and one allowed IP. */
static struct nlmsghdr *peer_msg(void *buf, uint32_t id, uint8_t last_octet,
				 int slot)
{
	struct nlmsghdr *nlh = msg(buf, ZEQ_CMD_PEER_GET);
	struct zeq_peer p = { .id = id, .has = ZEQ_BIT(ZEQ_A_PEER_ID) };
	struct zeq_prefix pfx = { .addr.family = AF_INET, .cidr = 32 };

	pfx.addr.bytes[0] = 10;
	pfx.addr.bytes[3] = last_octet;
	assert_int_equal(zeq_peer_add_aip(&p, &pfx), 0);
	if (slot >= 0) {
		p.keys[0].slot = (uint8_t)slot;
		p.keys[0].key_id = last_octet;
		p.keys[0].has = ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
				ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID);
		p.n_keys = 1;
	}
	assert_true(zeq_put_peer(nlh, BUFLEN, &p));
	zeq_peer_free(&p);
	return nlh;
}

static void split_peer_merged(void **state)
{
	static char buf[BUFLEN];
	struct zeq_peer *peers = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(zeq_peer_list_add(&peers, &n, peer_msg(buf, 1, 1, 0)), 0);
	assert_int_equal(zeq_peer_list_add(&peers, &n, peer_msg(buf, 1, 2, 0)), 0);
	assert_int_equal(zeq_peer_list_add(&peers, &n, peer_msg(buf, 1, 3, -1)), 0);
	assert_int_equal(zeq_peer_list_add(&peers, &n, peer_msg(buf, 2, 4, 1)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(peers[0].id, 1);
	assert_int_equal(peers[0].n_aips, 3);
	assert_int_equal(peers[0].aips[2].addr.bytes[3], 3);
	assert_int_equal(peers[0].n_keys, 1);		/* same slot: replaced */
	assert_int_equal(peers[0].keys[0].key_id, 2);
	assert_int_equal(peers[1].id, 2);
	assert_int_equal(peers[1].n_aips, 1);
	assert_int_equal(peers[1].aips[0].addr.bytes[3], 4);
	zeq_peers_free(peers, n);
}

static void names_from_xmacros(void **state)
{
	(void)state;
	assert_string_equal(zeq_drop_name(ZEQ_DROP_MALFORMED), "malformed");
	assert_string_equal(zeq_drop_name(ZEQ_DROP_CRYPTO), "crypto");
	assert_null(zeq_drop_name(__ZEQ_DROP_MAX));
	assert_string_equal(zeq_event_name(ZEQ_EVENT_KEY_NEAR_LIMIT), "key-near-limit");
	assert_string_equal(zeq_event_name(ZEQ_EVENT_AUTH_FAIL_BURST), "auth-fail-burst");
	assert_null(zeq_event_name(__ZEQ_EVENT_MAX));
	assert_string_equal(zeq_drop_name(ZEQ_DROP_OBFS), "obfs-mismatch");
	assert_int_equal(ZEQ_DROP_OBFS, __ZEQ_DROP_MAX - 1);	/* the last */
	assert_string_equal(zeq_cover_mode_name(ZEQ_COVER_DEVICE), "device");
	assert_string_equal(zeq_cover_mode_name(ZEQ_COVER_OFF), "off");
	assert_null(zeq_cover_mode_name(__ZEQ_COVER_MAX));
	assert_string_equal(zeq_padding_mode_name(ZEQ_PADDING_RANDOM), "random");
	assert_null(zeq_padding_mode_name(__ZEQ_PADDING_MAX));
	assert_string_equal(zeq_pad_dist_name(ZEQ_PAD_DIST_EXPONENTIAL),
			    "exponential");
	assert_null(zeq_pad_dist_name(__ZEQ_PAD_DIST_MAX));
	assert_string_equal(zeq_slot_name(ZEQ_KEY_SLOT_PREVIOUS), "previous");
	assert_null(zeq_slot_name(ZEQ_KEY_SLOT_MAX + 1));
	assert_int_equal(zeq_slot_from_name("current"), ZEQ_KEY_SLOT_CURRENT);
	assert_int_equal(zeq_slot_from_name("next"), ZEQ_KEY_SLOT_NEXT);
	assert_int_equal(zeq_slot_from_name("previous"), ZEQ_KEY_SLOT_PREVIOUS);
	assert_int_equal(zeq_slot_from_name("Current"), -1);
	assert_int_equal(zeq_slot_from_name(""), -1);
}

const struct CMUnitTest attrs_tests[] = {
	cmocka_unit_test(device_round_trip),
	cmocka_unit_test(device_partial),
	cmocka_unit_test(padding_buckets_round_trip),
	cmocka_unit_test(obfs_partial_and_hp_key),
	cmocka_unit_test(peer_round_trip),
	cmocka_unit_test(peer_endpoint_v4),
	cmocka_unit_test(keyconf_key_material),
	cmocka_unit_test(event_round_trip),
	cmocka_unit_test(wrong_sizes_rejected),
	cmocka_unit_test(new_attrs_wrong_sizes),
	cmocka_unit_test(unknown_attrs_skipped),
	cmocka_unit_test(unknown_nested_skipped),
	cmocka_unit_test(buffer_too_small),
	cmocka_unit_test(nest_too_long),
	cmocka_unit_test(split_peer_merged),
	cmocka_unit_test(names_from_xmacros),
};
const size_t attrs_tests_n = N_TESTS(attrs_tests);
