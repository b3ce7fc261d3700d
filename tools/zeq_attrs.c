// SPDX-License-Identifier: MIT
/*
 * zeq_attrs.c - build and parse the attributes of the "zeq" family.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "zeq_attrs.h"

/* --- names ------------------------------------------------------------ */

#define ZEQ_NAME_ENTRY(n, s) s,
static const char *const drop_names[] = { ZEQ_DROP_REASONS(ZEQ_NAME_ENTRY) };
static const char *const event_names[] = { ZEQ_EVENTS(ZEQ_NAME_ENTRY) };
#undef ZEQ_NAME_ENTRY

static const char *const slot_names[ZEQ_NSLOTS] = {
	[ZEQ_KEY_SLOT_CURRENT] = "current",
	[ZEQ_KEY_SLOT_NEXT] = "next",
	[ZEQ_KEY_SLOT_PREVIOUS] = "previous",
};

_Static_assert(sizeof(drop_names) / sizeof(drop_names[0]) == __ZEQ_DROP_MAX,
	       "drop names out of step with enum zeq_drop_reason");
_Static_assert(sizeof(event_names) / sizeof(event_names[0]) == __ZEQ_EVENT_MAX,
	       "event names out of step with enum zeq_event_type");

const char *zeq_drop_name(unsigned int reason)
{
	return reason < __ZEQ_DROP_MAX ? drop_names[reason] : NULL;
}

const char *zeq_event_name(unsigned int type)
{
	return type < __ZEQ_EVENT_MAX ? event_names[type] : NULL;
}

const char *zeq_slot_name(unsigned int slot)
{
	return slot < ZEQ_NSLOTS ? slot_names[slot] : NULL;
}

static const char *const cover_mode_names[] = {
	[ZEQ_COVER_DEVICE] = "device",
	[ZEQ_COVER_ON] = "on",
	[ZEQ_COVER_OFF] = "off",
};
static const char *const padding_mode_names[] = {
	[ZEQ_PADDING_OFF] = "off",
	[ZEQ_PADDING_BUCKET] = "bucket",
	[ZEQ_PADDING_MTU] = "mtu",
	[ZEQ_PADDING_RANDOM] = "random",
};
static const char *const pad_dist_names[] = {
	[ZEQ_PAD_DIST_UNIFORM] = "uniform",
	[ZEQ_PAD_DIST_EXPONENTIAL] = "exponential",
};

#define NAME_OF(table, i) \
	((i) < sizeof(table) / sizeof((table)[0]) ? (table)[i] : NULL)

const char *zeq_cover_mode_name(unsigned int mode)
{
	return NAME_OF(cover_mode_names, mode);
}

const char *zeq_padding_mode_name(unsigned int mode)
{
	return NAME_OF(padding_mode_names, mode);
}

const char *zeq_pad_dist_name(unsigned int dist)
{
	return NAME_OF(pad_dist_names, dist);
}

int zeq_slot_from_name(const char *name)
{
	for (int i = 0; i < ZEQ_NSLOTS; i++)
		if (strcmp(name, slot_names[i]) == 0)
			return i;
	return -1;
}

/* --- text forms ------------------------------------------------------- */

char *zeq_endpoint_str(const struct zeq_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(ep->addr.family, ep->addr.bytes, a, sizeof(a))) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	if (ep->addr.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ep->port);
	else
		snprintf(buf, len, "%s:%u", a, ep->port);
	return buf;
}

char *zeq_prefix_str(const struct zeq_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->addr.family, p->addr.bytes, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->cidr);
	return buf;
}

/* --- builders ----------------------------------------------------------- */

struct nlattr *zeq_nest_start(struct nlmsghdr *nlh, size_t buflen,
			      uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, buflen, type);

	if (nest)
		nest->nla_type |= NLA_F_NESTED;
	return nest;
}

bool zeq_nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	size_t len = (size_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
			      (char *)nest);

	if (len > UINT16_MAX)
		return false;	/* nla_len would wrap */
	mnl_attr_nest_end(nlh, nest);
	return true;
}

#define PUT(kind, ...) \
	do { if (!mnl_attr_put_##kind##_check(nlh, buflen, __VA_ARGS__)) \
		return false; } while (0)
#define PUT_BIN(type, ptr, size) \
	do { if (!mnl_attr_put_check(nlh, buflen, type, size, ptr)) \
		return false; } while (0)

bool zeq_put_dev_sel(struct nlmsghdr *nlh, size_t buflen, uint32_t ifindex,
		     const char *ifname)
{
	if (ifindex)
		PUT(u32, ZEQ_A_IFINDEX, ifindex);
	if (ifname && *ifname)
		PUT(strz, ZEQ_A_IFNAME, ifname);
	return true;
}

bool zeq_put_stats(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		   const struct zeq_stats *s)
{
	static const struct { uint16_t type; size_t off; } f[] = {
		{ ZEQ_A_STATS_RX_PACKETS, offsetof(struct zeq_stats, rx_packets) },
		{ ZEQ_A_STATS_RX_BYTES, offsetof(struct zeq_stats, rx_bytes) },
		{ ZEQ_A_STATS_TX_PACKETS, offsetof(struct zeq_stats, tx_packets) },
		{ ZEQ_A_STATS_TX_BYTES, offsetof(struct zeq_stats, tx_bytes) },
		{ ZEQ_A_STATS_RX_KEEPALIVE, offsetof(struct zeq_stats, rx_keepalive) },
		{ ZEQ_A_STATS_TX_KEEPALIVE, offsetof(struct zeq_stats, tx_keepalive) },
		{ ZEQ_A_STATS_TX_COVER, offsetof(struct zeq_stats, tx_cover) },
		{ ZEQ_A_STATS_RX_COVER, offsetof(struct zeq_stats, rx_cover) },
		{ ZEQ_A_STATS_TX_JUNK, offsetof(struct zeq_stats, tx_junk) },
		{ ZEQ_A_STATS_RX_JUNK, offsetof(struct zeq_stats, rx_junk) },
		{ ZEQ_A_STATS_TX_PAD_BYTES, offsetof(struct zeq_stats, tx_pad_bytes) },
	};
	struct nlattr *nest, *drops;

	nest = zeq_nest_start(nlh, buflen, type);
	if (!nest)
		return false;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint64_t v;

		if (!ZEQ_HAS(s, f[i].type))
			continue;
		memcpy(&v, (const char *)s + f[i].off, sizeof(v));
		PUT(u64, f[i].type, v);
	}
	if (ZEQ_HAS(s, ZEQ_A_STATS_DROPS)) {
		drops = zeq_nest_start(nlh, buflen, ZEQ_A_STATS_DROPS);
		if (!drops)
			return false;
		for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++)
			PUT(u64, r + 1, s->drops[r]);
		if (!zeq_nest_end(nlh, drops))
			return false;
	}
	return zeq_nest_end(nlh, nest);
}

static bool put_padding(struct nlmsghdr *nlh, size_t buflen,
			const struct zeq_padding *p)
{
	struct nlattr *nest = zeq_nest_start(nlh, buflen, ZEQ_A_PADDING);

	if (!nest)
		return false;
	if (ZEQ_HAS(p, ZEQ_A_PADDING_MODE))
		PUT(u8, ZEQ_A_PADDING_MODE, p->mode);
	for (unsigned int i = 0; ZEQ_HAS(p, ZEQ_A_PADDING_BUCKET) &&
			     i < p->n_buckets; i++)
		PUT(u16, ZEQ_A_PADDING_BUCKET, p->buckets[i]);
	if (ZEQ_HAS(p, ZEQ_A_PADDING_DIST))
		PUT(u8, ZEQ_A_PADDING_DIST, p->dist);
	if (ZEQ_HAS(p, ZEQ_A_PADDING_RANDOM_MAX))
		PUT(u16, ZEQ_A_PADDING_RANDOM_MAX, p->random_max);
	if (ZEQ_HAS(p, ZEQ_A_PADDING_RANDOM_MEAN))
		PUT(u16, ZEQ_A_PADDING_RANDOM_MEAN, p->random_mean);
	if (ZEQ_HAS(p, ZEQ_A_PADDING_OVERHEAD_CAP))
		PUT(u16, ZEQ_A_PADDING_OVERHEAD_CAP, p->overhead_cap);
	return zeq_nest_end(nlh, nest);
}

/* The fixed-size fields of struct zeq_obfs, by attribute (hp key apart). */
#define OBFS_FIELD(attr, field) \
	{ attr, offsetof(struct zeq_obfs, field), sizeof(((struct zeq_obfs *)0)->field) }
static const struct { uint16_t type; size_t off, size; } obfs_fields[] = {
	OBFS_FIELD(ZEQ_A_OBFS_JUNK_COUNT, junk_count),
	OBFS_FIELD(ZEQ_A_OBFS_JUNK_MIN, junk_min),
	OBFS_FIELD(ZEQ_A_OBFS_JUNK_MAX, junk_max),
	OBFS_FIELD(ZEQ_A_OBFS_PREFIX_MIN, prefix_min),
	OBFS_FIELD(ZEQ_A_OBFS_PREFIX_MAX, prefix_max),
	OBFS_FIELD(ZEQ_A_OBFS_TYPE_DATA_MIN, type_data_min),
	OBFS_FIELD(ZEQ_A_OBFS_TYPE_DATA_MAX, type_data_max),
	OBFS_FIELD(ZEQ_A_OBFS_TYPE_JUNK_MIN, type_junk_min),
	OBFS_FIELD(ZEQ_A_OBFS_TYPE_JUNK_MAX, type_junk_max),
	OBFS_FIELD(ZEQ_A_OBFS_HEADER_PROTECTION, header_protection),
	OBFS_FIELD(ZEQ_A_OBFS_DIGEST, digest),
};
#undef OBFS_FIELD

static bool put_obfs(struct nlmsghdr *nlh, size_t buflen,
		     const struct zeq_obfs *o)
{
	struct nlattr *nest = zeq_nest_start(nlh, buflen, ZEQ_A_OBFS);

	if (!nest)
		return false;
	for (size_t i = 0; i < sizeof(obfs_fields) / sizeof(obfs_fields[0]); i++)
		if (ZEQ_HAS(o, obfs_fields[i].type))
			PUT_BIN(obfs_fields[i].type,
				(const char *)o + obfs_fields[i].off,
				obfs_fields[i].size);
	if (ZEQ_HAS(o, ZEQ_A_OBFS_HP_KEY))
		PUT_BIN(ZEQ_A_OBFS_HP_KEY, o->hp_key, sizeof(o->hp_key));
	return zeq_nest_end(nlh, nest);
}

bool zeq_put_dev(struct nlmsghdr *nlh, size_t buflen,
		 const struct zeq_device *d)
{
	if (ZEQ_HAS(d, ZEQ_A_IFINDEX))
		PUT(u32, ZEQ_A_IFINDEX, d->ifindex);
	if (ZEQ_HAS(d, ZEQ_A_IFNAME))
		PUT(strz, ZEQ_A_IFNAME, d->ifname);
	if (ZEQ_HAS(d, ZEQ_A_LISTEN_PORT))
		PUT(u16, ZEQ_A_LISTEN_PORT, d->listen_port);
	if (ZEQ_HAS(d, ZEQ_A_FWMARK))
		PUT(u32, ZEQ_A_FWMARK, d->fwmark);
	if (ZEQ_HAS(d, ZEQ_A_KEY_MAX_AGE))
		PUT(u32, ZEQ_A_KEY_MAX_AGE, d->key_max_age);
	if (ZEQ_HAS(d, ZEQ_A_CRYPTO_DRIVER))
		PUT(strz, ZEQ_A_CRYPTO_DRIVER, d->crypto_driver);
	if (ZEQ_HAS(d, ZEQ_A_PEER_COUNT))
		PUT(u32, ZEQ_A_PEER_COUNT, d->peer_count);
	if (ZEQ_HAS(d, ZEQ_A_COVER))
		PUT(u8, ZEQ_A_COVER, d->cover);
	if (ZEQ_HAS(d, ZEQ_A_COVER_RATE))
		PUT(u32, ZEQ_A_COVER_RATE, d->cover_rate);
	if (ZEQ_HAS(d, ZEQ_A_PADDING) && !put_padding(nlh, buflen, &d->padding))
		return false;
	if (ZEQ_HAS(d, ZEQ_A_OBFS) && !put_obfs(nlh, buflen, &d->obfs))
		return false;
	if (ZEQ_HAS(d, ZEQ_A_STATS) &&
	    !zeq_put_stats(nlh, buflen, ZEQ_A_STATS, &d->stats))
		return false;
	return true;
}

static size_t addr_len(uint16_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

bool zeq_put_aip(struct nlmsghdr *nlh, size_t buflen,
		 const struct zeq_prefix *p)
{
	struct nlattr *nest = zeq_nest_start(nlh, buflen, ZEQ_A_PEER_ALLOWED_IP);

	if (!nest)
		return false;
	PUT(u16, ZEQ_A_AIP_FAMILY, p->addr.family);
	PUT_BIN(ZEQ_A_AIP_ADDR, p->addr.bytes, addr_len(p->addr.family));
	PUT(u8, ZEQ_A_AIP_CIDR, p->cidr);
	return zeq_nest_end(nlh, nest);
}

bool zeq_put_keyconf(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		     const struct zeq_keyconf *k)
{
	static const struct { uint16_t type; size_t off; } u64s[] = {
		{ ZEQ_A_KEYCONF_AGE, offsetof(struct zeq_keyconf, age) },
		{ ZEQ_A_KEYCONF_TX_PACKETS, offsetof(struct zeq_keyconf, tx_packets) },
		{ ZEQ_A_KEYCONF_RX_PACKETS, offsetof(struct zeq_keyconf, rx_packets) },
		{ ZEQ_A_KEYCONF_TX_USAGE, offsetof(struct zeq_keyconf, tx_usage) },
		{ ZEQ_A_KEYCONF_RX_USAGE, offsetof(struct zeq_keyconf, rx_usage) },
		{ ZEQ_A_KEYCONF_USAGE_LIMIT, offsetof(struct zeq_keyconf, usage_limit) },
	};
	struct nlattr *nest = zeq_nest_start(nlh, buflen, type);

	if (!nest)
		return false;
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_PEER_ID))
		PUT(u32, ZEQ_A_KEYCONF_PEER_ID, k->peer_id);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_SLOT))
		PUT(u8, ZEQ_A_KEYCONF_SLOT, k->slot);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_KEY_ID))
		PUT(u32, ZEQ_A_KEYCONF_KEY_ID, k->key_id);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_REMOTE_KEY_ID))
		PUT(u32, ZEQ_A_KEYCONF_REMOTE_KEY_ID, k->remote_key_id);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_TX_KEY))
		PUT_BIN(ZEQ_A_KEYCONF_TX_KEY, k->tx_key, ZEQ_KEY_LEN);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_TX_SALT))
		PUT_BIN(ZEQ_A_KEYCONF_TX_SALT, k->tx_salt, ZEQ_SALT_LEN);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_RX_KEY))
		PUT_BIN(ZEQ_A_KEYCONF_RX_KEY, k->rx_key, ZEQ_KEY_LEN);
	if (ZEQ_HAS(k, ZEQ_A_KEYCONF_RX_SALT))
		PUT_BIN(ZEQ_A_KEYCONF_RX_SALT, k->rx_salt, ZEQ_SALT_LEN);
	for (size_t i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++) {
		uint64_t v;

		if (!ZEQ_HAS(k, u64s[i].type))
			continue;
		memcpy(&v, (const char *)k + u64s[i].off, sizeof(v));
		PUT(u64, u64s[i].type, v);
	}
	return zeq_nest_end(nlh, nest);
}

static bool put_endpoint(struct nlmsghdr *nlh, size_t buflen,
			 const struct zeq_endpoint *ep, uint16_t a4,
			 uint16_t a6, uint16_t aport)
{
	if (ep->addr.family == AF_INET)
		PUT_BIN(a4, ep->addr.bytes, 4);
	else if (ep->addr.family == AF_INET6)
		PUT_BIN(a6, ep->addr.bytes, 16);
	else
		return true;
	PUT(u16, aport, ep->port);
	return true;
}

bool zeq_put_peer(struct nlmsghdr *nlh, size_t buflen,
		  const struct zeq_peer *p)
{
	struct nlattr *nest = zeq_nest_start(nlh, buflen, ZEQ_A_PEER);

	if (!nest)
		return false;
	if (ZEQ_HAS(p, ZEQ_A_PEER_ID))
		PUT(u32, ZEQ_A_PEER_ID, p->id);
	if ((ZEQ_HAS(p, ZEQ_A_PEER_ENDPOINT_IPV4) ||
	     ZEQ_HAS(p, ZEQ_A_PEER_ENDPOINT_IPV6)) &&
	    !put_endpoint(nlh, buflen, &p->endpoint, ZEQ_A_PEER_ENDPOINT_IPV4,
			  ZEQ_A_PEER_ENDPOINT_IPV6, ZEQ_A_PEER_ENDPOINT_PORT))
		return false;
	if (ZEQ_HAS(p, ZEQ_A_PEER_KEEPALIVE))
		PUT(u16, ZEQ_A_PEER_KEEPALIVE, p->keepalive);
	if (ZEQ_HAS(p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS))
		PUT_BIN(ZEQ_A_PEER_REPLACE_ALLOWED_IPS, NULL, 0);
	for (size_t i = 0; i < p->n_aips; i++)
		if (!zeq_put_aip(nlh, buflen, &p->aips[i]))
			return false;
	for (unsigned int i = 0; i < p->n_keys; i++)
		if (!zeq_put_keyconf(nlh, buflen, ZEQ_A_PEER_KEY, &p->keys[i]))
			return false;
	if (ZEQ_HAS(p, ZEQ_A_PEER_STATS) &&
	    !zeq_put_stats(nlh, buflen, ZEQ_A_PEER_STATS, &p->stats))
		return false;
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_RX))
		PUT(u64, ZEQ_A_PEER_LAST_RX, p->last_rx);
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_KEY))
		PUT(u64, ZEQ_A_PEER_LAST_KEY, p->last_key);
	if (ZEQ_HAS(p, ZEQ_A_PEER_COVER))
		PUT(u8, ZEQ_A_PEER_COVER, p->cover);
	if (ZEQ_HAS(p, ZEQ_A_PEER_COVER_RATE))
		PUT(u32, ZEQ_A_PEER_COVER_RATE, p->cover_rate);
	if (ZEQ_HAS(p, ZEQ_A_PEER_COVER_ACTIVE_RATE))
		PUT(u32, ZEQ_A_PEER_COVER_ACTIVE_RATE, p->cover_active_rate);
	return zeq_nest_end(nlh, nest);
}

bool zeq_put_event(struct nlmsghdr *nlh, size_t buflen,
		   const struct zeq_event *ev)
{
	struct nlattr *nest;

	if (!zeq_put_dev_sel(nlh, buflen, ev->ifindex, ev->ifname))
		return false;
	nest = zeq_nest_start(nlh, buflen, ZEQ_A_EVENT);
	if (!nest)
		return false;
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_TYPE))
		PUT(u32, ZEQ_A_EVENT_TYPE, ev->type);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_PEER_ID))
		PUT(u32, ZEQ_A_EVENT_PEER_ID, ev->peer_id);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_KEY_ID))
		PUT(u32, ZEQ_A_EVENT_KEY_ID, ev->key_id);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_SLOT))
		PUT(u8, ZEQ_A_EVENT_SLOT, ev->slot);
	if ((ZEQ_HAS(ev, ZEQ_A_EVENT_ENDPOINT_IPV4) ||
	     ZEQ_HAS(ev, ZEQ_A_EVENT_ENDPOINT_IPV6)) &&
	    !put_endpoint(nlh, buflen, &ev->endpoint,
			  ZEQ_A_EVENT_ENDPOINT_IPV4, ZEQ_A_EVENT_ENDPOINT_IPV6,
			  ZEQ_A_EVENT_ENDPOINT_PORT))
		return false;
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_COUNT))
		PUT(u64, ZEQ_A_EVENT_COUNT, ev->count);
	return zeq_nest_end(nlh, nest);
}

#undef PUT
#undef PUT_BIN

/* --- parsers ------------------------------------------------------------ */

static int bad(void)
{
	errno = EBADMSG;
	return -1;
}

static bool len_is(const struct nlattr *a, size_t len)
{
	return mnl_attr_get_payload_len(a) == len;
}

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!len_is(a, 1))
		return bad();
	*v = mnl_attr_get_u8(a);
	return 0;
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	if (!len_is(a, 2))
		return bad();
	*v = mnl_attr_get_u16(a);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!len_is(a, 4))
		return bad();
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (!len_is(a, 8))
		return bad();
	*v = mnl_attr_get_u64(a);
	return 0;
}

/* A NUL-terminated string that fits size bytes, or truncated if !strict. */
static int get_str(const struct nlattr *a, char *buf, size_t size,
		   bool strict)
{
	size_t plen = mnl_attr_get_payload_len(a);
	size_t n = strnlen(mnl_attr_get_payload(a), plen);

	if (n == plen && strict)
		return bad();		/* not terminated */
	if (n >= size) {
		if (strict)
			return bad();
		n = size - 1;
	}
	memcpy(buf, mnl_attr_get_payload(a), n);
	buf[n] = '\0';
	return 0;
}

static int get_addr(const struct nlattr *a, uint16_t family,
		    struct zeq_addr *out)
{
	if (!len_is(a, addr_len(family)))
		return bad();
	memset(out, 0, sizeof(*out));
	out->family = family;
	memcpy(out->bytes, mnl_attr_get_payload(a), addr_len(family));
	return 0;
}

/* The nested parsers walk the nest themselves; unknown types are skipped. */

int zeq_parse_stats(const struct nlattr *nest, struct zeq_stats *s)
{
	const struct nlattr *a, *d;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);
		uint64_t *field = NULL;

		switch (type) {
		case ZEQ_A_STATS_RX_PACKETS: field = &s->rx_packets; break;
		case ZEQ_A_STATS_RX_BYTES: field = &s->rx_bytes; break;
		case ZEQ_A_STATS_TX_PACKETS: field = &s->tx_packets; break;
		case ZEQ_A_STATS_TX_BYTES: field = &s->tx_bytes; break;
		case ZEQ_A_STATS_RX_KEEPALIVE: field = &s->rx_keepalive; break;
		case ZEQ_A_STATS_TX_KEEPALIVE: field = &s->tx_keepalive; break;
		case ZEQ_A_STATS_TX_COVER: field = &s->tx_cover; break;
		case ZEQ_A_STATS_RX_COVER: field = &s->rx_cover; break;
		case ZEQ_A_STATS_TX_JUNK: field = &s->tx_junk; break;
		case ZEQ_A_STATS_RX_JUNK: field = &s->rx_junk; break;
		case ZEQ_A_STATS_TX_PAD_BYTES: field = &s->tx_pad_bytes; break;
		case ZEQ_A_STATS_DROPS:
			mnl_attr_for_each_nested(d, a) {
				uint16_t r = mnl_attr_get_type(d);

				if (r < 1 || r > __ZEQ_DROP_MAX)
					continue;
				if (get_u64(d, &s->drops[r - 1]))
					return -1;
			}
			break;
		default:
			continue;
		}
		if (field && get_u64(a, field))
			return -1;
		ZEQ_MARK(s, type);
	}
	return 0;
}

int zeq_parse_keyconf(const struct nlattr *nest, struct zeq_keyconf *k)
{
	const struct nlattr *a;
	int ret = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case ZEQ_A_KEYCONF_PEER_ID: ret = get_u32(a, &k->peer_id); break;
		case ZEQ_A_KEYCONF_SLOT: ret = get_u8(a, &k->slot); break;
		case ZEQ_A_KEYCONF_KEY_ID: ret = get_u32(a, &k->key_id); break;
		case ZEQ_A_KEYCONF_REMOTE_KEY_ID:
			ret = get_u32(a, &k->remote_key_id);
			break;
		case ZEQ_A_KEYCONF_AGE: ret = get_u64(a, &k->age); break;
		case ZEQ_A_KEYCONF_TX_PACKETS:
			ret = get_u64(a, &k->tx_packets);
			break;
		case ZEQ_A_KEYCONF_RX_PACKETS:
			ret = get_u64(a, &k->rx_packets);
			break;
		case ZEQ_A_KEYCONF_TX_USAGE: ret = get_u64(a, &k->tx_usage); break;
		case ZEQ_A_KEYCONF_RX_USAGE: ret = get_u64(a, &k->rx_usage); break;
		case ZEQ_A_KEYCONF_USAGE_LIMIT:
			ret = get_u64(a, &k->usage_limit);
			break;
		default:
			continue;	/* key bytes are never read back */
		}
		if (ret)
			return -1;
		ZEQ_MARK(k, type);
	}
	return 0;
}

int zeq_parse_aip(const struct nlattr *nest, struct zeq_prefix *p)
{
	const struct nlattr *a, *addr = NULL;
	uint16_t family = 0;
	bool have_cidr = false;

	memset(p, 0, sizeof(*p));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case ZEQ_A_AIP_FAMILY:
			if (get_u16(a, &family))
				return -1;
			break;
		case ZEQ_A_AIP_ADDR:
			addr = a;
			break;
		case ZEQ_A_AIP_CIDR:
			if (get_u8(a, &p->cidr))
				return -1;
			have_cidr = true;
			break;
		}
	}
	if (!addr || !have_cidr || (family != AF_INET && family != AF_INET6))
		return bad();
	if (get_addr(addr, family, &p->addr))
		return -1;
	if (p->cidr > addr_len(family) * 8)
		return bad();
	return 0;
}

/* Endpoint from address + port attributes of one nest. */
static int get_endpoint(const struct nlattr *v4, const struct nlattr *v6,
			const struct nlattr *port, struct zeq_endpoint *ep)
{
	if (v4 && get_addr(v4, AF_INET, &ep->addr))
		return -1;
	if (v6 && get_addr(v6, AF_INET6, &ep->addr))
		return -1;
	if (port && get_u16(port, &ep->port))
		return -1;
	return 0;
}

/* A key slot status; one repeated in a continued dump replaces the first. */
static int add_key(struct zeq_peer *p, const struct nlattr *nest)
{
	struct zeq_keyconf k = { 0 };
	unsigned int i;

	if (zeq_parse_keyconf(nest, &k))
		return -1;
	for (i = 0; i < p->n_keys; i++)
		if (ZEQ_HAS(&k, ZEQ_A_KEYCONF_SLOT) &&
		    ZEQ_HAS(&p->keys[i], ZEQ_A_KEYCONF_SLOT) &&
		    p->keys[i].slot == k.slot)
			break;
	if (i == ZEQ_NSLOTS)
		return bad();
	p->keys[i] = k;
	if (i == p->n_keys)
		p->n_keys++;
	return 0;
}

static int parse_peer_nest(const struct nlattr *nest, struct zeq_peer *p)
{
	const struct nlattr *a, *v4 = NULL, *v6 = NULL, *port = NULL;
	struct zeq_prefix pfx;
	int ret = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case ZEQ_A_PEER_ID: ret = get_u32(a, &p->id); break;
		case ZEQ_A_PEER_ENDPOINT_IPV4: v4 = a; break;
		case ZEQ_A_PEER_ENDPOINT_IPV6: v6 = a; break;
		case ZEQ_A_PEER_ENDPOINT_PORT: port = a; break;
		case ZEQ_A_PEER_KEEPALIVE: ret = get_u16(a, &p->keepalive); break;
		case ZEQ_A_PEER_REPLACE_ALLOWED_IPS: break;
		case ZEQ_A_PEER_ALLOWED_IP:
			ret = zeq_parse_aip(a, &pfx);
			if (!ret)
				ret = zeq_peer_add_aip(p, &pfx);
			break;
		case ZEQ_A_PEER_KEY:
			ret = add_key(p, a);
			break;
		case ZEQ_A_PEER_STATS: ret = zeq_parse_stats(a, &p->stats); break;
		case ZEQ_A_PEER_LAST_RX: ret = get_u64(a, &p->last_rx); break;
		case ZEQ_A_PEER_LAST_KEY: ret = get_u64(a, &p->last_key); break;
		case ZEQ_A_PEER_COVER: ret = get_u8(a, &p->cover); break;
		case ZEQ_A_PEER_COVER_RATE: ret = get_u32(a, &p->cover_rate); break;
		case ZEQ_A_PEER_COVER_ACTIVE_RATE:
			ret = get_u32(a, &p->cover_active_rate);
			break;
		default:
			continue;
		}
		if (ret)
			return -1;
		ZEQ_MARK(p, type);
	}
	if (v4 && v6)
		return bad();
	return get_endpoint(v4, v6, port, &p->endpoint);
}

static int parse_padding(const struct nlattr *nest, struct zeq_padding *p)
{
	const struct nlattr *a;
	int ret = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case ZEQ_A_PADDING_MODE: ret = get_u8(a, &p->mode); break;
		case ZEQ_A_PADDING_BUCKET:
			if (p->n_buckets == ZEQ_PAD_BUCKETS_MAX)
				return bad();
			ret = get_u16(a, &p->buckets[p->n_buckets++]);
			break;
		case ZEQ_A_PADDING_DIST: ret = get_u8(a, &p->dist); break;
		case ZEQ_A_PADDING_RANDOM_MAX:
			ret = get_u16(a, &p->random_max);
			break;
		case ZEQ_A_PADDING_RANDOM_MEAN:
			ret = get_u16(a, &p->random_mean);
			break;
		case ZEQ_A_PADDING_OVERHEAD_CAP:
			ret = get_u16(a, &p->overhead_cap);
			break;
		default:
			continue;
		}
		if (ret)
			return -1;
		ZEQ_MARK(p, type);
	}
	return 0;
}

static int get_bin(const struct nlattr *a, uint8_t *buf, size_t len)
{
	if (!len_is(a, len))
		return bad();
	memcpy(buf, mnl_attr_get_payload(a), len);
	return 0;
}

static int parse_obfs(const struct nlattr *nest, struct zeq_obfs *o)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		/* the hp key is never read back; unknown types are skipped */
		for (size_t i = 0; i < sizeof(obfs_fields) / sizeof(obfs_fields[0]); i++) {
			if (obfs_fields[i].type != type)
				continue;
			if (get_bin(a, (uint8_t *)o + obfs_fields[i].off,
				    obfs_fields[i].size))
				return -1;
			ZEQ_MARK(o, type);
		}
	}
	return 0;
}

/* Each top-level attribute of a generic netlink message. */
#define for_each_top_attr(a, nlh) \
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))

int zeq_parse_dev(const struct nlmsghdr *nlh, struct zeq_device *d)
{
	const struct nlattr *a;
	int ret = 0;

	for_each_top_attr(a, nlh) {
		uint16_t type = mnl_attr_get_type(a);

		switch (type) {
		case ZEQ_A_IFINDEX: ret = get_u32(a, &d->ifindex); break;
		case ZEQ_A_IFNAME:
			ret = get_str(a, d->ifname, sizeof(d->ifname), true);
			break;
		case ZEQ_A_LISTEN_PORT: ret = get_u16(a, &d->listen_port); break;
		case ZEQ_A_FWMARK: ret = get_u32(a, &d->fwmark); break;
		case ZEQ_A_KEY_MAX_AGE: ret = get_u32(a, &d->key_max_age); break;
		case ZEQ_A_CRYPTO_DRIVER:
			ret = get_str(a, d->crypto_driver,
				      sizeof(d->crypto_driver), false);
			break;
		case ZEQ_A_PEER_COUNT: ret = get_u32(a, &d->peer_count); break;
		case ZEQ_A_COVER: ret = get_u8(a, &d->cover); break;
		case ZEQ_A_COVER_RATE: ret = get_u32(a, &d->cover_rate); break;
		case ZEQ_A_PADDING: ret = parse_padding(a, &d->padding); break;
		case ZEQ_A_OBFS: ret = parse_obfs(a, &d->obfs); break;
		case ZEQ_A_STATS: ret = zeq_parse_stats(a, &d->stats); break;
		default:
			continue;
		}
		if (ret)
			return -1;
		ZEQ_MARK(d, type);
	}
	return 0;
}

int zeq_parse_peer(const struct nlmsghdr *nlh, struct zeq_peer *p)
{
	const struct nlattr *a;

	for_each_top_attr(a, nlh)
		if (mnl_attr_get_type(a) == ZEQ_A_PEER &&
		    parse_peer_nest(a, p))
			return -1;
	return 0;
}

uint32_t zeq_msg_peer_id(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *b;
	uint32_t id = 0;

	for_each_top_attr(a, nlh) {
		if (mnl_attr_get_type(a) != ZEQ_A_PEER)
			continue;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == ZEQ_A_PEER_ID &&
			    get_u32(b, &id))
				return 0;
	}
	return id;
}

int zeq_parse_event(const struct nlmsghdr *nlh, struct zeq_event *ev)
{
	const struct nlattr *a, *b, *v4 = NULL, *v6 = NULL, *port = NULL;
	int ret = 0;

	for_each_top_attr(a, nlh) {
		switch (mnl_attr_get_type(a)) {
		case ZEQ_A_IFINDEX:
			if (get_u32(a, &ev->ifindex))
				return -1;
			continue;
		case ZEQ_A_IFNAME:
			if (get_str(a, ev->ifname, sizeof(ev->ifname), true))
				return -1;
			continue;
		case ZEQ_A_EVENT:
			break;
		default:
			continue;
		}
		mnl_attr_for_each_nested(b, a) {
			uint16_t type = mnl_attr_get_type(b);

			switch (type) {
			case ZEQ_A_EVENT_TYPE: ret = get_u32(b, &ev->type); break;
			case ZEQ_A_EVENT_PEER_ID:
				ret = get_u32(b, &ev->peer_id);
				break;
			case ZEQ_A_EVENT_KEY_ID: ret = get_u32(b, &ev->key_id); break;
			case ZEQ_A_EVENT_SLOT: ret = get_u8(b, &ev->slot); break;
			case ZEQ_A_EVENT_ENDPOINT_IPV4: v4 = b; break;
			case ZEQ_A_EVENT_ENDPOINT_IPV6: v6 = b; break;
			case ZEQ_A_EVENT_ENDPOINT_PORT: port = b; break;
			case ZEQ_A_EVENT_COUNT: ret = get_u64(b, &ev->count); break;
			default:
				continue;
			}
			if (ret)
				return -1;
			ZEQ_MARK(ev, type);
		}
	}
	if (v4 && v6)
		return bad();
	return get_endpoint(v4, v6, port, &ev->endpoint);
}

/* --- peer helpers --------------------------------------------------------- */

int zeq_peer_add_aip(struct zeq_peer *p, const struct zeq_prefix *pfx)
{
	if (p->n_aips == p->cap_aips) {
		size_t cap = p->cap_aips ? p->cap_aips * 2 : 8;
		struct zeq_prefix *n = realloc(p->aips, cap * sizeof(*n));

		if (!n)
			return -1;
		p->aips = n;
		p->cap_aips = cap;
	}
	p->aips[p->n_aips++] = *pfx;
	ZEQ_MARK(p, ZEQ_A_PEER_ALLOWED_IP);
	return 0;
}

void zeq_peer_free(struct zeq_peer *p)
{
	free(p->aips);
	p->aips = NULL;
	p->n_aips = p->cap_aips = 0;
}
