/* SPDX-License-Identifier: GPL-2.0 */
/*
 * peer.h - peers of a device: endpoint, keys, allowed IPs, counters.
 */
#ifndef _ZEQ_PEER_H
#define _ZEQ_PEER_H

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
};

/**
 * struct zeq_peer_config - a peer new/set request, parsed from netlink
 * @id: peer id
 * @endpoint: new endpoint if family != AF_UNSPEC
 * @keepalive: new keepalive if @has_keepalive
 * @has_keepalive: @keepalive given
 * @replace_allowed_ips: drop existing prefixes before adding
 */
struct zeq_peer_config {
	u32 id;
	struct zeq_endpoint endpoint;
	u16 keepalive;
	bool has_keepalive;
	bool replace_allowed_ips;
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
