// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "zeq" generic netlink family (include/zeq.h,
 * docs/netlink.md, docs/zeq.yaml).
 *
 * Every operation has its own strict policy: an attribute an operation
 * does not take is rejected, as is any value out of range, each with an
 * extack message. A request is parsed and checked completely before the
 * first change, so a rejected request changes nothing. Every operation and
 * the events group need CAP_NET_ADMIN in the requester's namespace, where
 * the device is looked up. No operation returns key bytes.
 */

#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include "cover.h"
#include "device.h"
#include "events.h"
#include "keys.h"
#include "netlink.h"
#include "obfs.h"
#include "padding.h"
#include "peer.h"
#include "routing.h"
#include "socket.h"

enum { ZEQ_NLGRP_EVENTS };

static struct genl_family zeq_family;

/* --- Policies --------------------------------------------------------- */

static struct netlink_range_validation zeq_peer_id_range = {
	.min = 1, .max = ZEQ_PEER_ID_MAX,
};

static struct netlink_range_validation zeq_key_max_age_range = {
	.min = ZEQ_KEY_MAX_AGE_MIN, .max = ZEQ_KEY_MAX_AGE_MAX,
};

static struct netlink_range_validation zeq_cover_rate_range = {
	.min = ZEQ_COVER_RATE_MIN_MHZ, .max = ZEQ_COVER_RATE_MAX_MHZ,
};

/* A peer's own rate: 0 (the device's) or a rate. */
static struct netlink_range_validation zeq_peer_cover_rate_range = {
	.min = 0, .max = ZEQ_COVER_RATE_MAX_MHZ,
};

#define ZEQ_POLICY_DEVICE						\
	[ZEQ_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),			\
	[ZEQ_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

static const struct nla_policy zeq_dev_get_policy[ZEQ_A_IFNAME + 1] = {
	ZEQ_POLICY_DEVICE,
};

static const struct nla_policy zeq_padding_policy[ZEQ_A_PADDING_MAX + 1] = {
	[ZEQ_A_PADDING_MODE] = NLA_POLICY_MAX(NLA_U8, ZEQ_PADDING_MAX),
	[ZEQ_A_PADDING_BUCKET] = NLA_POLICY_MIN(NLA_U16, 1),
	[ZEQ_A_PADDING_DIST] = NLA_POLICY_MAX(NLA_U8, ZEQ_PAD_DIST_MAX),
	[ZEQ_A_PADDING_RANDOM_MAX] = NLA_POLICY_RANGE(NLA_U16, 1,
						      ZEQ_PAD_RANDOM_MAX),
	[ZEQ_A_PADDING_RANDOM_MEAN] = NLA_POLICY_MIN(NLA_U16, 1),
	[ZEQ_A_PADDING_OVERHEAD_CAP] = NLA_POLICY_MAX(NLA_U16,
						      ZEQ_PAD_OVERHEAD_CAP_MAX),
};

static const struct nla_policy zeq_obfs_policy[ZEQ_A_OBFS_MAX + 1] = {
	[ZEQ_A_OBFS_JUNK_COUNT] = NLA_POLICY_MAX(NLA_U8, ZEQ_JUNK_COUNT_MAX),
	[ZEQ_A_OBFS_JUNK_MIN] = NLA_POLICY_MAX(NLA_U16, ZEQ_JUNK_SIZE_MAX),
	[ZEQ_A_OBFS_JUNK_MAX] = NLA_POLICY_MAX(NLA_U16, ZEQ_JUNK_SIZE_MAX),
	[ZEQ_A_OBFS_PREFIX_MIN] = NLA_POLICY_MAX(NLA_U8, ZEQ_PREFIX_MAX),
	[ZEQ_A_OBFS_PREFIX_MAX] = NLA_POLICY_MAX(NLA_U8, ZEQ_PREFIX_MAX),
	[ZEQ_A_OBFS_TYPE_DATA_MIN] = { .type = NLA_U32 },
	[ZEQ_A_OBFS_TYPE_DATA_MAX] = { .type = NLA_U32 },
	[ZEQ_A_OBFS_TYPE_JUNK_MIN] = { .type = NLA_U32 },
	[ZEQ_A_OBFS_TYPE_JUNK_MAX] = { .type = NLA_U32 },
	[ZEQ_A_OBFS_HEADER_PROTECTION] = NLA_POLICY_MAX(NLA_U8, 1),
	[ZEQ_A_OBFS_HP_KEY] = NLA_POLICY_EXACT_LEN(ZEQ_HP_KEY_LEN),
	/* ZEQ_A_OBFS_DIGEST is read only: rejected on input. */
};

static const struct nla_policy zeq_dev_set_policy[ZEQ_A_OBFS + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_LISTEN_PORT] = { .type = NLA_U16 },
	[ZEQ_A_FWMARK] = { .type = NLA_U32 },
	[ZEQ_A_KEY_MAX_AGE] = NLA_POLICY_FULL_RANGE(NLA_U32,
						    &zeq_key_max_age_range),
	[ZEQ_A_COVER] = NLA_POLICY_MAX(NLA_U8, 1),
	[ZEQ_A_COVER_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32,
						   &zeq_cover_rate_range),
	[ZEQ_A_PADDING] = NLA_POLICY_NESTED(zeq_padding_policy),
	[ZEQ_A_OBFS] = NLA_POLICY_NESTED(zeq_obfs_policy),
};

static const struct nla_policy zeq_aip_policy[ZEQ_A_AIP_MAX + 1] = {
	[ZEQ_A_AIP_FAMILY] = { .type = NLA_U16 },
	[ZEQ_A_AIP_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ZEQ_A_AIP_CIDR] = NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy zeq_peer_policy[ZEQ_A_PEER_MAX + 1] = {
	[ZEQ_A_PEER_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &zeq_peer_id_range),
	[ZEQ_A_PEER_ENDPOINT_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[ZEQ_A_PEER_ENDPOINT_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[ZEQ_A_PEER_ENDPOINT_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[ZEQ_A_PEER_KEEPALIVE] = NLA_POLICY_MAX(NLA_U16, ZEQ_KEEPALIVE_MAX),
	[ZEQ_A_PEER_ALLOWED_IP] = NLA_POLICY_NESTED(zeq_aip_policy),
	[ZEQ_A_PEER_REPLACE_ALLOWED_IPS] = { .type = NLA_FLAG },
	[ZEQ_A_PEER_COVER] = NLA_POLICY_MAX(NLA_U8, ZEQ_COVER_MAX),
	[ZEQ_A_PEER_COVER_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&zeq_peer_cover_rate_range),
	/* Read-only attributes are rejected on input (NLA_UNSPEC). */
};

static const struct nla_policy zeq_peer_id_policy[ZEQ_A_PEER_ID + 1] = {
	[ZEQ_A_PEER_ID] = NLA_POLICY_FULL_RANGE(NLA_U32, &zeq_peer_id_range),
};

static const struct nla_policy zeq_peer_new_policy[ZEQ_A_PEER + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_PEER] = NLA_POLICY_NESTED(zeq_peer_policy),
};

static const struct nla_policy zeq_peer_one_policy[ZEQ_A_PEER + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_PEER] = NLA_POLICY_NESTED(zeq_peer_id_policy),
};

static const struct nla_policy zeq_keyconf_new_policy[ZEQ_A_KEYCONF_RX_SALT + 1] = {
	[ZEQ_A_KEYCONF_PEER_ID] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&zeq_peer_id_range),
	[ZEQ_A_KEYCONF_SLOT] = NLA_POLICY_RANGE(NLA_U8, ZEQ_KEY_SLOT_NEXT,
						ZEQ_KEY_SLOT_NEXT),
	[ZEQ_A_KEYCONF_KEY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[ZEQ_A_KEYCONF_REMOTE_KEY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[ZEQ_A_KEYCONF_TX_KEY] = NLA_POLICY_EXACT_LEN(ZEQ_KEY_LEN),
	[ZEQ_A_KEYCONF_TX_SALT] = NLA_POLICY_EXACT_LEN(ZEQ_SALT_LEN),
	[ZEQ_A_KEYCONF_RX_KEY] = NLA_POLICY_EXACT_LEN(ZEQ_KEY_LEN),
	[ZEQ_A_KEYCONF_RX_SALT] = NLA_POLICY_EXACT_LEN(ZEQ_SALT_LEN),
};

static const struct nla_policy zeq_keyconf_slot_policy[ZEQ_A_KEYCONF_SLOT + 1] = {
	[ZEQ_A_KEYCONF_PEER_ID] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&zeq_peer_id_range),
	[ZEQ_A_KEYCONF_SLOT] = NLA_POLICY_MAX(NLA_U8, ZEQ_KEY_SLOT_MAX),
};

static const struct nla_policy zeq_keyconf_peer_policy[ZEQ_A_KEYCONF_PEER_ID + 1] = {
	[ZEQ_A_KEYCONF_PEER_ID] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&zeq_peer_id_range),
};

static const struct nla_policy zeq_key_new_policy[ZEQ_A_KEYCONF + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_KEYCONF] = NLA_POLICY_NESTED(zeq_keyconf_new_policy),
};

static const struct nla_policy zeq_key_swap_policy[ZEQ_A_KEYCONF + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_KEYCONF] = NLA_POLICY_NESTED(zeq_keyconf_peer_policy),
};

static const struct nla_policy zeq_key_del_policy[ZEQ_A_KEYCONF + 1] = {
	ZEQ_POLICY_DEVICE,
	[ZEQ_A_KEYCONF] = NLA_POLICY_NESTED(zeq_keyconf_slot_policy),
};

/* --- Message building --------------------------------------------------- */

static int zeq_nl_put_stats(struct sk_buff *skb, int type,
			    struct zeq_stats __percpu *stats)
{
	struct nlattr *nest, *drops;
	struct zeq_stats_sum sum;
	unsigned int i;

	zeq_stats_read(stats, &sum);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, ZEQ_A_STATS_RX_PACKETS, sum.rx_packets, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_RX_BYTES, sum.rx_bytes, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_PACKETS, sum.tx_packets, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_BYTES, sum.tx_bytes, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_RX_KEEPALIVE, sum.rx_keepalive, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_KEEPALIVE, sum.tx_keepalive, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_COVER, sum.tx_cover, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_RX_COVER, sum.rx_cover, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_JUNK, sum.tx_junk, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_RX_JUNK, sum.rx_junk, ZEQ_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_STATS_TX_PAD_BYTES, sum.tx_pad_bytes,
			      ZEQ_A_STATS_PAD))
		goto cancel;
	drops = nla_nest_start(skb, ZEQ_A_STATS_DROPS);
	if (!drops)
		goto cancel;
	/* Attribute type reason + 1; no padding attribute in this nest. */
	for (i = 0; i < __ZEQ_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, i + 1, sum.drops[i], 0))
			goto cancel;
	nla_nest_end(skb, drops);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int zeq_nl_put_padding(struct sk_buff *skb, struct zeq_device *zeq)
{
	const struct zeq_padding *pd;
	struct nlattr *nest;
	unsigned int i;

	pd = rcu_dereference_protected(zeq->padding, lockdep_is_held(&zeq->lock));
	nest = nla_nest_start(skb, ZEQ_A_PADDING);
	if (!nest ||
	    nla_put_u8(skb, ZEQ_A_PADDING_MODE, pd ? pd->mode : ZEQ_PADDING_OFF))
		return -EMSGSIZE;
	if (!pd)
		goto end;
	for (i = 0; i < pd->n_buckets; i++)
		if (nla_put_u16(skb, ZEQ_A_PADDING_BUCKET, pd->buckets[i]))
			return -EMSGSIZE;
	if (pd->mode == ZEQ_PADDING_RANDOM &&
	    (nla_put_u8(skb, ZEQ_A_PADDING_DIST, pd->dist) ||
	     nla_put_u16(skb, ZEQ_A_PADDING_RANDOM_MAX, pd->random_max) ||
	     (pd->dist == ZEQ_PAD_DIST_EXPONENTIAL &&
	      nla_put_u16(skb, ZEQ_A_PADDING_RANDOM_MEAN, pd->random_mean)) ||
	     nla_put_u16(skb, ZEQ_A_PADDING_OVERHEAD_CAP, pd->overhead_cap)))
		return -EMSGSIZE;
end:
	nla_nest_end(skb, nest);
	return 0;
}

/* The parameters and their digest; never the key. */
static int zeq_nl_put_obfs(struct sk_buff *skb, struct zeq_device *zeq)
{
	const struct zeq_obfs *obfs;
	const struct zeq_obfs_params *p;
	struct nlattr *nest;

	obfs = rcu_dereference_protected(zeq->obfs, lockdep_is_held(&zeq->lock));
	p = &obfs->params;
	nest = nla_nest_start(skb, ZEQ_A_OBFS);
	if (!nest ||
	    nla_put_u8(skb, ZEQ_A_OBFS_JUNK_COUNT, p->junk_count) ||
	    nla_put_u16(skb, ZEQ_A_OBFS_JUNK_MIN, p->junk_min) ||
	    nla_put_u16(skb, ZEQ_A_OBFS_JUNK_MAX, p->junk_max) ||
	    nla_put_u8(skb, ZEQ_A_OBFS_PREFIX_MIN, p->prefix_min) ||
	    nla_put_u8(skb, ZEQ_A_OBFS_PREFIX_MAX, p->prefix_max) ||
	    nla_put_u32(skb, ZEQ_A_OBFS_TYPE_DATA_MIN, p->type_data_min) ||
	    nla_put_u32(skb, ZEQ_A_OBFS_TYPE_DATA_MAX, p->type_data_max) ||
	    nla_put_u32(skb, ZEQ_A_OBFS_TYPE_JUNK_MIN, p->type_junk_min) ||
	    nla_put_u32(skb, ZEQ_A_OBFS_TYPE_JUNK_MAX, p->type_junk_max) ||
	    nla_put_u8(skb, ZEQ_A_OBFS_HEADER_PROTECTION, p->hp) ||
	    nla_put(skb, ZEQ_A_OBFS_DIGEST, ZEQ_OBFS_DIGEST_LEN, obfs->digest))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Context: config mutex held. */
static int zeq_nl_fill_device(struct sk_buff *skb, struct zeq_device *zeq,
			      u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &zeq_family, flags,
			  ZEQ_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ZEQ_A_IFINDEX, zeq->dev->ifindex) ||
	    nla_put_string(skb, ZEQ_A_IFNAME, zeq->dev->name) ||
	    nla_put_u16(skb, ZEQ_A_LISTEN_PORT,
			zeq->bound_port ?: zeq->listen_port) ||
	    nla_put_u32(skb, ZEQ_A_FWMARK, zeq->fwmark) ||
	    nla_put_u32(skb, ZEQ_A_KEY_MAX_AGE, zeq->key_max_age) ||
	    nla_put_string(skb, ZEQ_A_CRYPTO_DRIVER, zeq->crypto_driver) ||
	    nla_put_u32(skb, ZEQ_A_PEER_COUNT, zeq->peer_count) ||
	    nla_put_u8(skb, ZEQ_A_COVER, zeq->cover) ||
	    nla_put_u32(skb, ZEQ_A_COVER_RATE, zeq->cover_rate) ||
	    zeq_nl_put_padding(skb, zeq) ||
	    zeq_nl_put_obfs(skb, zeq) ||
	    zeq_nl_put_stats(skb, ZEQ_A_STATS, zeq->stats)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int zeq_nl_put_endpoint(struct sk_buff *skb, const struct zeq_endpoint *ep,
			       int a4, int a6, int aport)
{
	if (ep->addr.sa_family == AF_INET)
		return nla_put_in_addr(skb, a4, ep->addr4.sin_addr.s_addr) ||
		       nla_put_u16(skb, aport, ntohs(ep->addr4.sin_port));
	if (ep->addr.sa_family == AF_INET6)
		return nla_put_in6_addr(skb, a6, &ep->addr6.sin6_addr) ||
		       nla_put_u16(skb, aport, ntohs(ep->addr6.sin6_port));
	return 0;
}

static int zeq_nl_put_key(struct sk_buff *skb, struct zeq_keypair *kp,
			  enum zeq_key_slot slot)
{
	struct nlattr *nest = nla_nest_start(skb, ZEQ_A_PEER_KEY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, ZEQ_A_KEYCONF_SLOT, slot) ||
	    nla_put_u32(skb, ZEQ_A_KEYCONF_KEY_ID, kp->key_id) ||
	    nla_put_u32(skb, ZEQ_A_KEYCONF_REMOTE_KEY_ID, kp->remote_key_id) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_AGE, zeq_key_age(kp), ZEQ_A_KEYCONF_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_TX_PACKETS,
			      atomic64_read(&kp->tx_packets), ZEQ_A_KEYCONF_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_RX_PACKETS,
			      atomic64_read(&kp->rx_packets), ZEQ_A_KEYCONF_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_TX_USAGE,
			      atomic64_read(&kp->tx_usage), ZEQ_A_KEYCONF_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_RX_USAGE,
			      atomic64_read(&kp->rx_usage), ZEQ_A_KEYCONF_PAD) ||
	    nla_put_u64_64bit(skb, ZEQ_A_KEYCONF_USAGE_LIMIT,
			      ZEQ_KEY_USAGE_LIMIT, ZEQ_A_KEYCONF_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Everything of a peer but its allowed IPs. Context: config mutex held. */
static int zeq_nl_put_peer_base(struct sk_buff *skb, struct zeq_peer *peer)
{
	unsigned long last_rx = READ_ONCE(peer->last_rx);
	struct zeq_endpoint ep;
	struct zeq_keypair *kp;
	enum zeq_key_slot s;

	zeq_peer_read_endpoint(peer, &ep);
	if (zeq_nl_put_endpoint(skb, &ep, ZEQ_A_PEER_ENDPOINT_IPV4,
				ZEQ_A_PEER_ENDPOINT_IPV6,
				ZEQ_A_PEER_ENDPOINT_PORT) ||
	    nla_put_u16(skb, ZEQ_A_PEER_KEEPALIVE, peer->keepalive) ||
	    nla_put_u8(skb, ZEQ_A_PEER_COVER, peer->cover_mode) ||
	    nla_put_u32(skb, ZEQ_A_PEER_COVER_RATE, peer->cover_rate) ||
	    nla_put_u32(skb, ZEQ_A_PEER_COVER_ACTIVE_RATE,
			READ_ONCE(peer->cover_active_rate)) ||
	    (last_rx && nla_put_u64_64bit(skb, ZEQ_A_PEER_LAST_RX,
					  (jiffies - last_rx) / HZ,
					  ZEQ_A_PEER_PAD)) ||
	    (peer->keys.last_install &&
	     nla_put_u64_64bit(skb, ZEQ_A_PEER_LAST_KEY,
			       peer->keys.last_install, ZEQ_A_PEER_PAD)) ||
	    zeq_nl_put_stats(skb, ZEQ_A_PEER_STATS, peer->stats))
		return -EMSGSIZE;
	for (s = 0; s < __ZEQ_KEY_SLOT_MAX; s++) {
		kp = rcu_dereference_protected(peer->keys.slot[s],
					       lockdep_is_held(&peer->zeq->lock));
		if (kp && zeq_nl_put_key(skb, kp, s))
			return -EMSGSIZE;
	}
	return 0;
}

static int zeq_nl_put_aip(struct sk_buff *skb, const struct zeq_route_node *node)
{
	struct nlattr *nest = nla_nest_start(skb, ZEQ_A_PEER_ALLOWED_IP);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, ZEQ_A_AIP_FAMILY,
			node->addr_len == 4 ? AF_INET : AF_INET6) ||
	    nla_put(skb, ZEQ_A_AIP_ADDR, node->addr_len, node->bits) ||
	    nla_put_u8(skb, ZEQ_A_AIP_CIDR, node->cidr)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * zeq_nl_fill_peer - one PEER_GET message for @peer
 * @skb: message buffer
 * @peer: peer
 * @portid: requester
 * @seq: sequence
 * @flags: NLM_F_*
 * @aip_start: first allowed IP to put (0: also the rest of the peer);
 *	on return, where the next message must continue, or 0 when done
 *
 * Context: config mutex held.
 * Return: 0, or -EMSGSIZE if not even the start of the peer fits.
 */
static int zeq_nl_fill_peer(struct sk_buff *skb, struct zeq_peer *peer,
			    u32 portid, u32 seq, int flags,
			    unsigned long *aip_start)
{
	struct zeq_route_node *node;
	unsigned long i = 0, put = 0;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &zeq_family, flags,
			  ZEQ_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ZEQ_A_IFINDEX, peer->zeq->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, ZEQ_A_PEER);
	if (!nest || nla_put_u32(skb, ZEQ_A_PEER_ID, peer->id))
		goto cancel;
	if (!*aip_start && zeq_nl_put_peer_base(skb, peer))
		goto cancel;

	list_for_each_entry(node, &peer->allowed_ips, peer_list) {
		if (i++ < *aip_start)
			continue;
		if (zeq_nl_put_aip(skb, node)) {
			if (!put && *aip_start)
				goto cancel;
			*aip_start = i - 1;
			goto end;
		}
		put++;
	}
	*aip_start = 0;
end:
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* --- Request parsing ------------------------------------------------------ */

static int zeq_nl_nested(struct nlattr **tb, int max, struct genl_info *info,
			 int type, const struct nla_policy *policy)
{
	if (GENL_REQ_ATTR_CHECK(info, type))
		return -EINVAL;
	return nla_parse_nested(tb, max, info->attrs[type], policy,
				info->extack);
}

/**
 * struct zeq_aip_req - one allowed IP of a request, checked
 * @addr: prefix
 * @addr_len: 4 or 16
 * @cidr: prefix length
 */
struct zeq_aip_req {
	u8 addr[16];
	u8 addr_len;
	u8 cidr;
};

static int zeq_nl_parse_aip(const struct nlattr *attr, struct zeq_aip_req *aip,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ZEQ_A_AIP_MAX + 1];
	u16 family;
	int ret;

	ret = nla_parse_nested(tb, ZEQ_A_AIP_MAX, attr, zeq_aip_policy, extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, attr, tb, ZEQ_A_AIP_FAMILY) ||
	    NL_REQ_ATTR_CHECK(extack, attr, tb, ZEQ_A_AIP_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, attr, tb, ZEQ_A_AIP_CIDR))
		return -EINVAL;
	family = nla_get_u16(tb[ZEQ_A_AIP_FAMILY]);
	if (family != AF_INET && family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEQ_A_AIP_FAMILY],
				    "allowed IP family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	aip->addr_len = family == AF_INET ? 4 : 16;
	if (nla_len(tb[ZEQ_A_AIP_ADDR]) != aip->addr_len) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEQ_A_AIP_ADDR],
				    "allowed IP address length does not match its family");
		return -EINVAL;
	}
	aip->cidr = nla_get_u8(tb[ZEQ_A_AIP_CIDR]);
	if (aip->cidr > aip->addr_len * 8) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEQ_A_AIP_CIDR],
				    "prefix length too long for the family");
		return -EINVAL;
	}
	nla_memcpy(aip->addr, tb[ZEQ_A_AIP_ADDR], aip->addr_len);
	if (!zeq_routing_host_bits_clear(aip->addr, aip->addr_len, aip->cidr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEQ_A_AIP_ADDR],
				    "allowed IP has host bits set past its prefix length");
		return -EINVAL;
	}
	return 0;
}

/**
 * struct zeq_peer_req - a checked PEER_NEW/PEER_SET request
 * @cfg: scalar settings
 * @aips: allowed IPs to add
 * @naips: number of @aips
 */
struct zeq_peer_req {
	struct zeq_peer_config cfg;
	struct zeq_aip_req *aips;
	unsigned int naips;
};

static int zeq_nl_parse_endpoint(struct nlattr **tb, struct nlattr *nest,
				 struct zeq_endpoint *ep,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = tb[ZEQ_A_PEER_ENDPOINT_IPV4];
	struct nlattr *a6 = tb[ZEQ_A_PEER_ENDPOINT_IPV6];
	struct nlattr *port = tb[ZEQ_A_PEER_ENDPOINT_PORT];

	memset(ep, 0, sizeof(*ep));
	if (!a4 && !a6 && !port)
		return 0;
	if (a4 && a6) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "endpoint cannot be both IPv4 and IPv6");
		return -EINVAL;
	}
	if (!a4 && !a6) {
		NL_SET_ERR_MSG_ATTR(extack, port, "endpoint port without address");
		return -EINVAL;
	}
	if (!port) {
		NL_SET_ERR_MSG_ATTR(extack, a4 ?: a6, "endpoint address without port");
		return -EINVAL;
	}
	if (a4) {
		ep->addr4.sin_family = AF_INET;
		ep->addr4.sin_addr.s_addr = nla_get_in_addr(a4);
		ep->addr4.sin_port = htons(nla_get_u16(port));
	} else {
		ep->addr6.sin6_family = AF_INET6;
		ep->addr6.sin6_addr = nla_get_in6_addr(a6);
		ep->addr6.sin6_port = htons(nla_get_u16(port));
	}
	return 0;
}

static int zeq_nl_parse_peer(struct genl_info *info, struct zeq_peer_req *req)
{
	struct nlattr *tb[ZEQ_A_PEER_MAX + 1], *attr;
	struct netlink_ext_ack *extack = info->extack;
	unsigned int n = 0;
	int rem, ret;

	memset(req, 0, sizeof(*req));
	ret = zeq_nl_nested(tb, ZEQ_A_PEER_MAX, info, ZEQ_A_PEER,
			    zeq_peer_policy);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[ZEQ_A_PEER], tb, ZEQ_A_PEER_ID))
		return -EINVAL;
	req->cfg.id = nla_get_u32(tb[ZEQ_A_PEER_ID]);
	ret = zeq_nl_parse_endpoint(tb, info->attrs[ZEQ_A_PEER],
				    &req->cfg.endpoint, extack);
	if (ret)
		return ret;
	if (tb[ZEQ_A_PEER_KEEPALIVE]) {
		req->cfg.has_keepalive = true;
		req->cfg.keepalive = nla_get_u16(tb[ZEQ_A_PEER_KEEPALIVE]);
	}
	req->cfg.replace_allowed_ips = nla_get_flag(tb[ZEQ_A_PEER_REPLACE_ALLOWED_IPS]);
	if (tb[ZEQ_A_PEER_COVER]) {
		req->cfg.has_cover_mode = true;
		req->cfg.cover_mode = nla_get_u8(tb[ZEQ_A_PEER_COVER]);
	}
	if (tb[ZEQ_A_PEER_COVER_RATE]) {
		req->cfg.has_cover_rate = true;
		req->cfg.cover_rate = nla_get_u32(tb[ZEQ_A_PEER_COVER_RATE]);
	}

	nla_for_each_nested(attr, info->attrs[ZEQ_A_PEER], rem)
		if (nla_type(attr) == ZEQ_A_PEER_ALLOWED_IP)
			n++;
	if (n > ZEQ_MAX_ALLOWED_IPS) {
		NL_SET_ERR_MSG_MOD(extack, "too many allowed IPs in one request");
		return -E2BIG;
	}
	if (!n)
		return 0;
	req->aips = kvcalloc(n, sizeof(*req->aips), GFP_KERNEL);
	if (!req->aips)
		return -ENOMEM;
	nla_for_each_nested(attr, info->attrs[ZEQ_A_PEER], rem) {
		if (nla_type(attr) != ZEQ_A_PEER_ALLOWED_IP)
			continue;
		ret = zeq_nl_parse_aip(attr, &req->aips[req->naips], extack);
		if (ret) {
			kvfree(req->aips);
			req->aips = NULL;
			return ret;
		}
		req->naips++;
	}
	return 0;
}

/* --- Handlers ----------------------------------------------------------- */

static struct zeq_device *zeq_nl_device(struct genl_info *info)
{
	return zeq_device_get(genl_info_net(info), info->attrs, info->extack);
}

/* Take the config mutex of a live device; -ENODEV if it is going away. */
static int zeq_nl_lock(struct zeq_device *zeq, struct netlink_ext_ack *extack)
{
	mutex_lock(&zeq->lock);
	if (zeq->dead) {
		mutex_unlock(&zeq->lock);
		NL_SET_ERR_MSG_MOD(extack, "device is being removed");
		return -ENODEV;
	}
	return 0;
}

static int zeq_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zeq_device *zeq = zeq_nl_device(info);
	struct sk_buff *msg;
	int ret;

	if (IS_ERR(zeq))
		return PTR_ERR(zeq);
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = zeq_nl_lock(zeq, info->extack);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = zeq_nl_fill_device(msg, zeq, info->snd_portid, info->snd_seq, 0);
	mutex_unlock(&zeq->lock);
	if (ret)
		nlmsg_free(msg);
	else
		ret = genlmsg_reply(msg, info);
out:
	zeq_device_put(zeq);
	return ret;
}

static int zeq_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	struct zeq_device *zeq;
	long skip = cb->args[0], n = 0;
	int ret;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (dev->rtnl_link_ops != &zeq_link_ops || n++ < skip)
			continue;
		zeq = netdev_priv(dev);
		mutex_lock(&zeq->lock);
		ret = zeq_nl_fill_device(skb, zeq, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI);
		mutex_unlock(&zeq->lock);
		if (ret) {
			n--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = n;
	return skb->len;
}

static int zeq_nl_set_port(struct zeq_device *zeq, u16 port)
{
	u16 old = zeq->listen_port;
	int ret;

	if (port && port == zeq->bound_port) {
		zeq->listen_port = port;
		return 0;
	}
	zeq->listen_port = port;
	if (!netif_running(zeq->dev))
		return 0;
	ret = zeq_socket_open(zeq);
	if (ret)
		zeq->listen_port = old;
	return ret;
}

/* A whole padding configuration from its nest, checked; *pd allocated. */
static int zeq_nl_parse_padding(const struct nlattr *nest,
				struct zeq_padding **pd,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ZEQ_A_PADDING_MAX + 1], *attr;
	struct zeq_padding *p;
	int rem, ret;

	ret = nla_parse_nested(tb, ZEQ_A_PADDING_MAX, nest, zeq_padding_policy,
			       extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, ZEQ_A_PADDING_MODE))
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->mode = nla_get_u8(tb[ZEQ_A_PADDING_MODE]);
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != ZEQ_A_PADDING_BUCKET)
			continue;
		if (p->n_buckets == ZEQ_PAD_BUCKETS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "too many bucket sizes (at most 8)");
			ret = -E2BIG;
			goto err;
		}
		p->buckets[p->n_buckets++] = nla_get_u16(attr);
	}
	if (tb[ZEQ_A_PADDING_DIST])
		p->dist = nla_get_u8(tb[ZEQ_A_PADDING_DIST]);
	if (tb[ZEQ_A_PADDING_RANDOM_MAX])
		p->random_max = nla_get_u16(tb[ZEQ_A_PADDING_RANDOM_MAX]);
	if (tb[ZEQ_A_PADDING_RANDOM_MEAN])
		p->random_mean = nla_get_u16(tb[ZEQ_A_PADDING_RANDOM_MEAN]);
	if (tb[ZEQ_A_PADDING_OVERHEAD_CAP])
		p->overhead_cap = nla_get_u16(tb[ZEQ_A_PADDING_OVERHEAD_CAP]);
	ret = zeq_padding_validate(p, extack);
	if (ret)
		goto err;
	if (p->dist == ZEQ_PAD_DIST_EXPONENTIAL && !p->random_mean)
		p->random_mean = max_t(u16, p->random_max / 4, 1);
	*pd = p;
	return 0;
err:
	kfree(p);
	return ret;
}

static void zeq_nl_get_u8(u8 *v, const struct nlattr *a)
{
	if (a)
		*v = nla_get_u8(a);
}

static void zeq_nl_get_u16(u16 *v, const struct nlattr *a)
{
	if (a)
		*v = nla_get_u16(a);
}

static void zeq_nl_get_u32(u32 *v, const struct nlattr *a)
{
	if (a)
		*v = nla_get_u32(a);
}

/*
 * The device's obfuscation parameters with the nest's attributes applied,
 * checked as a whole; *obfs allocated. Context: config mutex held.
 */
static int zeq_nl_parse_obfs(struct zeq_device *zeq, const struct nlattr *nest,
			     struct zeq_obfs **obfs,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ZEQ_A_OBFS_MAX + 1];
	struct zeq_obfs_params p;
	int ret;

	ret = nla_parse_nested(tb, ZEQ_A_OBFS_MAX, nest, zeq_obfs_policy,
			       extack);
	if (ret)
		return ret;
	p = rcu_dereference_protected(zeq->obfs,
				      lockdep_is_held(&zeq->lock))->params;
	zeq_nl_get_u8(&p.junk_count, tb[ZEQ_A_OBFS_JUNK_COUNT]);
	zeq_nl_get_u16(&p.junk_min, tb[ZEQ_A_OBFS_JUNK_MIN]);
	zeq_nl_get_u16(&p.junk_max, tb[ZEQ_A_OBFS_JUNK_MAX]);
	zeq_nl_get_u8(&p.prefix_min, tb[ZEQ_A_OBFS_PREFIX_MIN]);
	zeq_nl_get_u8(&p.prefix_max, tb[ZEQ_A_OBFS_PREFIX_MAX]);
	zeq_nl_get_u32(&p.type_data_min, tb[ZEQ_A_OBFS_TYPE_DATA_MIN]);
	zeq_nl_get_u32(&p.type_data_max, tb[ZEQ_A_OBFS_TYPE_DATA_MAX]);
	zeq_nl_get_u32(&p.type_junk_min, tb[ZEQ_A_OBFS_TYPE_JUNK_MIN]);
	zeq_nl_get_u32(&p.type_junk_max, tb[ZEQ_A_OBFS_TYPE_JUNK_MAX]);
	if (tb[ZEQ_A_OBFS_HEADER_PROTECTION])
		p.hp = nla_get_u8(tb[ZEQ_A_OBFS_HEADER_PROTECTION]);
	if (tb[ZEQ_A_OBFS_HP_KEY])
		memcpy(p.hp_key, nla_data(tb[ZEQ_A_OBFS_HP_KEY]), ZEQ_HP_KEY_LEN);
	ret = zeq_obfs_validate(&p, extack);
	if (!ret) {
		*obfs = zeq_obfs_create(&p);
		if (!*obfs)
			ret = -ENOMEM;
	}
	memzero_explicit(&p, sizeof(p));
	return ret;
}

#define ZEQ_NL_COVER_BUDGET_MSG \
	"cover rates of the device's peers would add up to more than " \
	__stringify(ZEQ_COVER_BUDGET_PPS) " packets/s"

/*
 * The device's cover and rate after a DEV_SET with @attrs, into @cover and
 * @rate; -ENOSPC if the peers' rates would pass the budget.
 */
static int zeq_nl_check_cover(struct zeq_device *zeq, struct nlattr **attrs,
			      bool *cover, u32 *rate,
			      struct netlink_ext_ack *extack)
{
	*cover = zeq->cover;
	*rate = zeq->cover_rate;
	if (!attrs[ZEQ_A_COVER] && !attrs[ZEQ_A_COVER_RATE])
		return 0;
	if (attrs[ZEQ_A_COVER])
		*cover = nla_get_u8(attrs[ZEQ_A_COVER]);
	zeq_nl_get_u32(rate, attrs[ZEQ_A_COVER_RATE]);
	if (zeq_cover_fits_device(zeq, *cover, *rate))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attrs[ZEQ_A_COVER_RATE] ?: attrs[ZEQ_A_COVER],
			    ZEQ_NL_COVER_BUDGET_MSG);
	return -ENOSPC;
}

/* Cover on/off or rate changed: every peer re-evaluates its timer. */
static void zeq_nl_set_cover(struct zeq_device *zeq, bool cover, u32 rate)
{
	struct zeq_peer *peer;
	unsigned long id;

	if (cover == zeq->cover && rate == zeq->cover_rate)
		return;
	zeq->cover = cover;
	zeq->cover_rate = rate;
	xa_for_each(&zeq->peers, id, peer)
		zeq_cover_update(peer);
}

static int zeq_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zeq_device *zeq = zeq_nl_device(info);
	struct zeq_padding *padding = NULL;
	struct zeq_obfs *obfs = NULL;
	struct zeq_peer *peer;
	unsigned long id;
	u32 cover_rate;
	bool cover;
	int ret;

	if (IS_ERR(zeq))
		return PTR_ERR(zeq);
	rtnl_lock();
	ret = zeq_nl_lock(zeq, info->extack);
	if (ret)
		goto out_rtnl;
	/* Parse and check everything before the first change. */
	ret = zeq_nl_check_cover(zeq, info->attrs, &cover, &cover_rate,
				 info->extack);
	if (ret)
		goto out;
	if (info->attrs[ZEQ_A_PADDING]) {
		ret = zeq_nl_parse_padding(info->attrs[ZEQ_A_PADDING], &padding,
					   info->extack);
		if (ret)
			goto out;
	}
	if (info->attrs[ZEQ_A_OBFS]) {
		ret = zeq_nl_parse_obfs(zeq, info->attrs[ZEQ_A_OBFS], &obfs,
					info->extack);
		if (ret)
			goto out;
	}
	/* The port is the only change that can fail: do it first. */
	if (info->attrs[ZEQ_A_LISTEN_PORT]) {
		ret = zeq_nl_set_port(zeq, nla_get_u16(info->attrs[ZEQ_A_LISTEN_PORT]));
		if (ret) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ZEQ_A_LISTEN_PORT],
					    "cannot bind the listen port");
			goto out;
		}
	}
	if (info->attrs[ZEQ_A_FWMARK]) {
		WRITE_ONCE(zeq->fwmark, nla_get_u32(info->attrs[ZEQ_A_FWMARK]));
		xa_for_each(&zeq->peers, id, peer)
			zeq_peer_reset_route(peer);
	}
	if (info->attrs[ZEQ_A_KEY_MAX_AGE])
		WRITE_ONCE(zeq->key_max_age,
			   nla_get_u32(info->attrs[ZEQ_A_KEY_MAX_AGE]));
	if (padding) {
		zeq_padding_replace(zeq, padding);
		padding = NULL;
	}
	if (obfs) {
		zeq_obfs_replace(zeq, obfs);
		obfs = NULL;
	}
	zeq_nl_set_cover(zeq, cover, cover_rate);
out:
	mutex_unlock(&zeq->lock);
	kfree(padding);
	zeq_obfs_free(obfs);
out_rtnl:
	rtnl_unlock();
	zeq_device_put(zeq);
	return ret;
}

static int zeq_nl_apply_peer(struct zeq_device *zeq, struct zeq_peer *peer,
			     const struct zeq_peer_req *req,
			     struct netlink_ext_ack *extack)
{
	unsigned int i, kept = zeq->routing.count;
	struct zeq_route_node *node;
	int ret;

	if (!zeq_cover_fits_peer(peer, req->cfg.has_cover_mode ?
				 req->cfg.cover_mode : peer->cover_mode,
				 req->cfg.has_cover_rate ?
				 req->cfg.cover_rate : peer->cover_rate)) {
		NL_SET_ERR_MSG_MOD(extack, ZEQ_NL_COVER_BUDGET_MSG);
		return -ENOSPC;
	}

	if (req->cfg.replace_allowed_ips)
		list_for_each_entry(node, &peer->allowed_ips, peer_list)
			kept--;
	if (kept + req->naips > ZEQ_MAX_ALLOWED_IPS) {
		NL_SET_ERR_MSG_MOD(extack, "device would exceed its allowed IP limit");
		return -ENOSPC;
	}
	if (req->cfg.endpoint.addr.sa_family != AF_UNSPEC) {
		struct zeq_endpoint ep = req->cfg.endpoint;

		zeq_peer_set_endpoint(peer, &ep);
	}
	if (req->cfg.has_keepalive)
		peer->keepalive = req->cfg.keepalive;
	if (req->cfg.replace_allowed_ips)
		zeq_routing_remove_peer(&zeq->routing, &peer->allowed_ips);
	for (i = 0; i < req->naips; i++) {
		ret = zeq_routing_insert(&zeq->routing, req->aips[i].addr,
					 req->aips[i].addr_len,
					 req->aips[i].cidr, peer,
					 &peer->allowed_ips);
		if (ret)
			return ret;
	}
	if (req->cfg.has_cover_mode)
		peer->cover_mode = req->cfg.cover_mode;
	if (req->cfg.has_cover_rate)
		peer->cover_rate = req->cfg.cover_rate;
	zeq_cover_update(peer);
	return 0;
}

static int zeq_nl_peer_change(struct genl_info *info, bool create)
{
	struct zeq_device *zeq = zeq_nl_device(info);
	struct zeq_peer_req req;
	struct zeq_peer *peer;
	int ret;

	if (IS_ERR(zeq))
		return PTR_ERR(zeq);
	ret = zeq_nl_parse_peer(info, &req);
	if (ret)
		goto out_dev;
	ret = zeq_nl_lock(zeq, info->extack);
	if (ret)
		goto out_req;
	if (create) {
		peer = zeq_peer_create(zeq, req.cfg.id, info->extack);
		ret = PTR_ERR_OR_ZERO(peer);
	} else {
		peer = zeq_peer_find(zeq, req.cfg.id);
		if (!peer) {
			NL_SET_ERR_MSG_MOD(info->extack, "no peer with this id");
			ret = -ENOENT;
		}
	}
	if (!ret) {
		ret = zeq_nl_apply_peer(zeq, peer, &req, info->extack);
		if (ret && create)
			zeq_peer_remove(peer);
	}
	mutex_unlock(&zeq->lock);
out_req:
	kvfree(req.aips);
out_dev:
	zeq_device_put(zeq);
	return ret;
}

static int zeq_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zeq_nl_peer_change(info, true);
}

static int zeq_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zeq_nl_peer_change(info, false);
}

/* Device and peer of a request naming one peer; config mutex held. */
static int zeq_nl_lock_peer(struct genl_info *info, int nest_type,
			    const struct nla_policy *policy, int maxattr,
			    int id_type, struct nlattr **tb,
			    struct zeq_device **zeqp, struct zeq_peer **peerp)
{
	struct zeq_device *zeq;
	int ret;

	ret = zeq_nl_nested(tb, maxattr, info, nest_type, policy);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[nest_type], tb, id_type))
		return -EINVAL;
	zeq = zeq_nl_device(info);
	if (IS_ERR(zeq))
		return PTR_ERR(zeq);
	ret = zeq_nl_lock(zeq, info->extack);
	if (ret) {
		zeq_device_put(zeq);
		return ret;
	}
	*peerp = zeq_peer_find(zeq, nla_get_u32(tb[id_type]));
	if (!*peerp) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[id_type], "no peer with this id");
		mutex_unlock(&zeq->lock);
		zeq_device_put(zeq);
		return -ENOENT;
	}
	*zeqp = zeq;
	return 0;
}

static void zeq_nl_unlock_peer(struct zeq_device *zeq)
{
	mutex_unlock(&zeq->lock);
	zeq_device_put(zeq);
}

static int zeq_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ZEQ_A_PEER_ID + 1];
	unsigned long aip_start = 0;
	struct zeq_device *zeq;
	struct zeq_peer *peer;
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = zeq_nl_lock_peer(info, ZEQ_A_PEER, zeq_peer_id_policy,
			       ZEQ_A_PEER_ID, ZEQ_A_PEER_ID, tb, &zeq, &peer);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	ret = zeq_nl_fill_peer(msg, peer, info->snd_portid, info->snd_seq, 0,
			       &aip_start);
	zeq_nl_unlock_peer(zeq);
	if (!ret && aip_start) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "peer has too many allowed IPs for one message: use a dump");
		ret = -EMSGSIZE;
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Peer dump state in cb->args: [0] the device (referenced), [1] the id of
 * the next peer, [2] the allowed IP of that peer to continue from (when
 * that peer was deleted in between, the next one is dumped whole). The
 * device is looked up in the first dumpit call, not in .start: only there
 * can 6.1 return an extack message with the error.
 */
static struct zeq_device *zeq_nl_peer_dump_device(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct zeq_device *zeq = (struct zeq_device *)cb->args[0];

	if (zeq)
		return zeq;
	zeq = zeq_device_get(sock_net(cb->skb->sk), info->attrs, cb->extack);
	if (!IS_ERR(zeq))
		cb->args[0] = (long)zeq;
	return zeq;
}

static int zeq_nl_peer_dump_done(struct netlink_callback *cb)
{
	struct zeq_device *zeq = (struct zeq_device *)cb->args[0];

	if (zeq)
		zeq_device_put(zeq);
	return 0;
}

static int zeq_nl_peer_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct zeq_device *zeq = zeq_nl_peer_dump_device(cb);
	unsigned long id = cb->args[1], aip_start = cb->args[2];
	struct zeq_peer *peer;
	int ret = 0;

	if (IS_ERR(zeq))
		return PTR_ERR(zeq);
	mutex_lock(&zeq->lock);
	xa_for_each_start(&zeq->peers, id, peer, id) {
		/* The peer being continued is gone: this one starts whole. */
		if (aip_start && id != cb->args[1])
			aip_start = 0;
		ret = zeq_nl_fill_peer(skb, peer, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       &aip_start);
		if (ret || aip_start)
			break;
	}
	mutex_unlock(&zeq->lock);
	cb->args[1] = peer ? id : ULONG_MAX;
	cb->args[2] = aip_start;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int zeq_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ZEQ_A_PEER_ID + 1];
	struct zeq_device *zeq;
	struct zeq_peer *peer;
	int ret;

	ret = zeq_nl_lock_peer(info, ZEQ_A_PEER, zeq_peer_id_policy,
			       ZEQ_A_PEER_ID, ZEQ_A_PEER_ID, tb, &zeq, &peer);
	if (ret)
		return ret;
	zeq_peer_remove(peer);
	zeq_nl_unlock_peer(zeq);
	return 0;
}

static int zeq_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ZEQ_A_KEYCONF_RX_SALT + 1];
	struct nlattr *nest = info->attrs[ZEQ_A_KEYCONF];
	struct zeq_key_config cfg;
	struct zeq_device *zeq;
	struct zeq_peer *peer;
	int ret;

	ret = zeq_nl_lock_peer(info, ZEQ_A_KEYCONF, zeq_keyconf_new_policy,
			       ZEQ_A_KEYCONF_RX_SALT, ZEQ_A_KEYCONF_PEER_ID, tb,
			       &zeq, &peer);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, ZEQ_A_KEYCONF_KEY_ID) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ZEQ_A_KEYCONF_TX_KEY) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ZEQ_A_KEYCONF_TX_SALT) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ZEQ_A_KEYCONF_RX_KEY) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, ZEQ_A_KEYCONF_RX_SALT)) {
		ret = -EINVAL;
		goto out;
	}
	cfg.key_id = nla_get_u32(tb[ZEQ_A_KEYCONF_KEY_ID]);
	cfg.remote_key_id = tb[ZEQ_A_KEYCONF_REMOTE_KEY_ID] ?
		nla_get_u32(tb[ZEQ_A_KEYCONF_REMOTE_KEY_ID]) : cfg.key_id;
	nla_memcpy(cfg.tx_key, tb[ZEQ_A_KEYCONF_TX_KEY], ZEQ_KEY_LEN);
	nla_memcpy(cfg.rx_key, tb[ZEQ_A_KEYCONF_RX_KEY], ZEQ_KEY_LEN);
	nla_memcpy(cfg.tx_salt, tb[ZEQ_A_KEYCONF_TX_SALT], ZEQ_SALT_LEN);
	nla_memcpy(cfg.rx_salt, tb[ZEQ_A_KEYCONF_RX_SALT], ZEQ_SALT_LEN);
	ret = zeq_key_install(peer, &cfg, info->extack);
	memzero_explicit(&cfg, sizeof(cfg));
out:
	zeq_nl_unlock_peer(zeq);
	return ret;
}

static int zeq_nl_key_swap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ZEQ_A_KEYCONF_PEER_ID + 1];
	struct zeq_device *zeq;
	struct zeq_peer *peer;
	int ret;

	ret = zeq_nl_lock_peer(info, ZEQ_A_KEYCONF, zeq_keyconf_peer_policy,
			       ZEQ_A_KEYCONF_PEER_ID, ZEQ_A_KEYCONF_PEER_ID, tb,
			       &zeq, &peer);
	if (ret)
		return ret;
	ret = zeq_key_swap(peer, info->extack);
	zeq_nl_unlock_peer(zeq);
	return ret;
}

static int zeq_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ZEQ_A_KEYCONF_SLOT + 1];
	struct zeq_device *zeq;
	struct zeq_peer *peer;
	int ret;

	ret = zeq_nl_lock_peer(info, ZEQ_A_KEYCONF, zeq_keyconf_slot_policy,
			       ZEQ_A_KEYCONF_SLOT, ZEQ_A_KEYCONF_PEER_ID, tb,
			       &zeq, &peer);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[ZEQ_A_KEYCONF], tb,
			      ZEQ_A_KEYCONF_SLOT))
		ret = -EINVAL;
	else
		ret = zeq_key_delete(peer, nla_get_u8(tb[ZEQ_A_KEYCONF_SLOT]),
				     info->extack);
	zeq_nl_unlock_peer(zeq);
	return ret;
}

/* --- Events ------------------------------------------------------------- */

/**
 * zeq_nl_send_event - multicast @ev on the events group
 * @zeq: device (its current namespace receives the event)
 * @ev: event
 *
 * Context: process.
 */
void zeq_nl_send_event(struct zeq_device *zeq, const struct zeq_event *ev)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &zeq_family, 0, ZEQ_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u32(skb, ZEQ_A_IFINDEX, zeq->dev->ifindex) ||
	    nla_put_string(skb, ZEQ_A_IFNAME, zeq->dev->name))
		goto err;
	nest = nla_nest_start(skb, ZEQ_A_EVENT);
	if (!nest ||
	    nla_put_u32(skb, ZEQ_A_EVENT_TYPE, ev->type) ||
	    (ev->peer_id && nla_put_u32(skb, ZEQ_A_EVENT_PEER_ID, ev->peer_id)) ||
	    (ev->key_id && (nla_put_u32(skb, ZEQ_A_EVENT_KEY_ID, ev->key_id) ||
			    nla_put_u8(skb, ZEQ_A_EVENT_SLOT, ev->slot))) ||
	    zeq_nl_put_endpoint(skb, &ev->endpoint, ZEQ_A_EVENT_ENDPOINT_IPV4,
				ZEQ_A_EVENT_ENDPOINT_IPV6,
				ZEQ_A_EVENT_ENDPOINT_PORT) ||
	    (ev->count && nla_put_u64_64bit(skb, ZEQ_A_EVENT_COUNT, ev->count,
					    ZEQ_A_EVENT_PAD)))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&zeq_family, dev_net(zeq->dev), skb, 0,
				ZEQ_NLGRP_EVENTS, GFP_KERNEL);
	return;
err:
	nlmsg_free(skb);
}

/* --- Family ------------------------------------------------------------- */

#define ZEQ_OP(_cmd, _policy, _doit)					\
	{								\
		.cmd = _cmd,						\
		.flags = GENL_UNS_ADMIN_PERM,				\
		.policy = _policy,					\
		.maxattr = ARRAY_SIZE(_policy) - 1,			\
		.doit = _doit,						\
	}

static const struct genl_ops zeq_ops[] = {
	{
		.cmd = ZEQ_CMD_DEV_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = zeq_dev_get_policy,
		.maxattr = ARRAY_SIZE(zeq_dev_get_policy) - 1,
		.doit = zeq_nl_dev_get_doit,
		.dumpit = zeq_nl_dev_get_dumpit,
	},
	ZEQ_OP(ZEQ_CMD_DEV_SET, zeq_dev_set_policy, zeq_nl_dev_set_doit),
	ZEQ_OP(ZEQ_CMD_PEER_NEW, zeq_peer_new_policy, zeq_nl_peer_new_doit),
	ZEQ_OP(ZEQ_CMD_PEER_SET, zeq_peer_new_policy, zeq_nl_peer_set_doit),
	{
		.cmd = ZEQ_CMD_PEER_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.policy = zeq_peer_one_policy,
		.maxattr = ARRAY_SIZE(zeq_peer_one_policy) - 1,
		.doit = zeq_nl_peer_get_doit,
		.dumpit = zeq_nl_peer_dumpit,
		.done = zeq_nl_peer_dump_done,
	},
	ZEQ_OP(ZEQ_CMD_PEER_DEL, zeq_peer_one_policy, zeq_nl_peer_del_doit),
	ZEQ_OP(ZEQ_CMD_KEY_NEW, zeq_key_new_policy, zeq_nl_key_new_doit),
	ZEQ_OP(ZEQ_CMD_KEY_SWAP, zeq_key_swap_policy, zeq_nl_key_swap_doit),
	ZEQ_OP(ZEQ_CMD_KEY_DEL, zeq_key_del_policy, zeq_nl_key_del_doit),
};

static const struct genl_multicast_group zeq_mcgrps[] = {
	[ZEQ_NLGRP_EVENTS] = {
		.name = ZEQ_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family zeq_family __ro_after_init = {
	.name = ZEQ_GENL_NAME,
	.version = ZEQ_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = zeq_ops,
	.n_ops = ARRAY_SIZE(zeq_ops),
	.mcgrps = zeq_mcgrps,
	.n_mcgrps = ARRAY_SIZE(zeq_mcgrps),
};

int __init zeq_netlink_init(void)
{
	return genl_register_family(&zeq_family);
}

void zeq_netlink_uninit(void)
{
	genl_unregister_family(&zeq_family);
}
