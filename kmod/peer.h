/* SPDX-License-Identifier: GPL-2.0 */
/*
 * peer.h - peers of a device: endpoint, keys, allowed IPs, counters.
 */
#ifndef _ZEQ_PEER_H
#define _ZEQ_PEER_H

#include <linux/hrtimer.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/netlink.h>
#include <linux/spinlock.h>
#include <net/dst_cache.h>
#include "keys.h"
#include "stats.h"

struct zeq_device;

/**
 * struct zeq_endpoint - outer address of a peer
 * @addr: family selects the member; AF_UNSPEC when unknown
 * @addr4: IPv4 address and port
 * @addr6: IPv6 address and port
 */
struct zeq_endpoint {
	union {
		struct sockaddr addr;
		struct sockaddr_in addr4;
		struct sockaddr_in6 addr6;
	};
};

/**
 * struct zeq_peer - a remote end of the tunnel
 * @zeq: device; the peer holds a reference on its net_device
 * @id: caller-chosen id, index in the device's peer table
 * @refcount: table reference plus one per user (packet, timer, dump)
 * @rcu: deferred free
 * @dead: removed from the device (config mutex)
 * @keys: key slots (RCU readers; writers hold the config mutex)
 * @endpoint_lock: protects @endpoint and @dst_cache
 * @endpoint: where to send; follows the last authenticated packet
 * @dst_cache: cached outer route to @endpoint
 * @allowed_ips: struct zeq_route_node list (config mutex)
 * @keepalive: seconds between keepalives when idle, 0 = off
 * @last_rx: jiffies of the last authenticated packet (0: none)
 * @last_tx: jiffies of the last packet sent
 * @stats: per-CPU counters
 * @cover_mode: enum zeq_cover_mode (config mutex)
 * @cover_rate: own cover rate in mHz, 0 = the device's (config mutex)
 * @cover_active_rate: rate the cover timer runs at, 0 = stopped (config
 *	mutex to write, with the timer cancelled; read locklessly)
 * @cover_timer: absolute-time cover schedule (cover.c)
 * @cover_start: start of the current schedule (timer callback, or config
 *	mutex with the timer cancelled)
 * @cover_n: index of the next cover packet in the schedule (as @cover_start)
 * @cover_sizes: inner lengths of recent data packets (lockless, racy)
 * @cover_size_next: next slot of @cover_sizes (lockless, racy)
 * @pad_credit: padding bytes the overhead cap still allows (padding.c)
 *
 * Found by readers through the device's peer xarray or the routing trie
 * under RCU, then pinned with zeq_peer_get(). Freed after a grace period
 * once the last reference is gone; removal clears the key slots, which
 * breaks the keypair <-> peer reference cycle.
 */
struct zeq_peer {
	struct zeq_device *zeq;
	u32 id;
	struct kref refcount;
	struct rcu_head rcu;
	bool dead;
	struct zeq_keyslots keys;
	rwlock_t endpoint_lock;
	struct zeq_endpoint endpoint;
	struct dst_cache dst_cache;
	struct list_head allowed_ips;
	u16 keepalive;
	unsigned long last_rx;
	unsigned long last_tx;
	struct zeq_stats __percpu *stats;
	u8 cover_mode;
	u32 cover_rate;
	u32 cover_active_rate;
	struct hrtimer cover_timer;
	ktime_t cover_start;
	u64 cover_n;
	u16 cover_sizes[ZEQ_COVER_SIZE_HISTORY];
	unsigned int cover_size_next;
	atomic64_t pad_credit;
};

/**
 * struct zeq_peer_config - a peer new/set request, parsed from netlink
 * @id: peer id
 * @endpoint: new endpoint if family != AF_UNSPEC
 * @keepalive: new keepalive if @has_keepalive
 * @has_keepalive: @keepalive given
 * @replace_allowed_ips: drop existing prefixes before adding
 * @cover_mode: new cover mode if @has_cover_mode
 * @has_cover_mode: @cover_mode given
 * @cover_rate: new own cover rate if @has_cover_rate
 * @has_cover_rate: @cover_rate given
 */
struct zeq_peer_config {
	u32 id;
	struct zeq_endpoint endpoint;
	u16 keepalive;
	bool has_keepalive;
	bool replace_allowed_ips;
	u8 cover_mode;
	bool has_cover_mode;
	u32 cover_rate;
	bool has_cover_rate;
};

struct zeq_peer *zeq_peer_create(struct zeq_device *zeq, u32 id,
				 struct netlink_ext_ack *extack);
void zeq_peer_remove(struct zeq_peer *peer);
void zeq_peer_remove_all(struct zeq_device *zeq);
struct zeq_peer *zeq_peer_get(struct zeq_peer *peer);
void zeq_peer_put(struct zeq_peer *peer);
struct zeq_peer *zeq_peer_find(struct zeq_device *zeq, u32 id);
void zeq_peer_set_endpoint(struct zeq_peer *peer,
			   const struct zeq_endpoint *ep);
void zeq_peer_reset_route(struct zeq_peer *peer);
bool zeq_peer_roam(struct zeq_peer *peer, const struct zeq_endpoint *ep);
void zeq_peer_read_endpoint(struct zeq_peer *peer, struct zeq_endpoint *ep);

#endif /* _ZEQ_PEER_H */
