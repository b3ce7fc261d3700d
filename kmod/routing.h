/* SPDX-License-Identifier: GPL-2.0 */
/*
 * routing.h - cryptokey routing: allowed inner prefixes -> peer.
 */
#ifndef _ZEQ_ROUTING_H
#define _ZEQ_ROUTING_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct zeq_peer;

/**
 * struct zeq_route_node - a node of the path-compressed binary trie
 * @bit: children, by the bit of the address at position @cidr (RCU)
 * @parent: parent node, NULL at the root (writers only)
 * @peer: owner of this prefix, NULL for a pure branch node (RCU)
 * @peer_list: entry in the owner's list of prefixes (writers only)
 * @rcu: deferred free
 * @cidr: prefix length
 * @addr_len: 4 (IPv4) or 16 (IPv6)
 * @bits: the prefix, host bits zero
 *
 * Readers walk the trie under rcu_read_lock_bh(); writers hold the
 * device's config mutex. A node unlinked from the trie keeps pointing at
 * its former children, so a reader standing on it finishes its walk
 * correctly; it is freed after a grace period.
 */
struct zeq_route_node {
	struct zeq_route_node __rcu *bit[2];
	struct zeq_route_node *parent;
	struct zeq_peer __rcu *peer;
	struct list_head peer_list;
	struct rcu_head rcu;
	u8 cidr;
	u8 addr_len;
	u8 bits[16];
};

/**
 * struct zeq_routing - the allowed-IPs tables of one device
 * @root4: IPv4 trie (RCU)
 * @root6: IPv6 trie (RCU)
 * @count: prefixes with an owner (writers only)
 * @lock: the device's config mutex, for lockdep checks
 */
struct zeq_routing {
	struct zeq_route_node __rcu *root4;
	struct zeq_route_node __rcu *root6;
	unsigned int count;
	struct mutex *lock;	/* the device's config mutex */
};

void zeq_routing_init(struct zeq_routing *r, struct mutex *lock);
int zeq_routing_insert(struct zeq_routing *r, const u8 *addr, u8 addr_len,
		       u8 cidr, struct zeq_peer *peer,
		       struct list_head *peer_prefixes);
void zeq_routing_remove_peer(struct zeq_routing *r,
			     struct list_head *peer_prefixes);
struct zeq_peer *zeq_routing_lookup(struct zeq_routing *r, const u8 *addr,
				    u8 addr_len);
bool zeq_routing_host_bits_clear(const u8 *addr, u8 addr_len, u8 cidr);

#ifdef ZEQ_SELFTEST
bool zeq_routing_selftest(void);
#endif

#endif /* _ZEQ_ROUTING_H */
