// SPDX-License-Identifier: GPL-2.0
/*
 * routing.c - cryptokey routing trie (longest-prefix match).
 *
 * One path-compressed binary trie per address family. Every node carries a
 * prefix; a child hangs off its parent by the bit just past the parent's
 * prefix. Nodes without an owner exist only to branch, and are removed as
 * soon as they branch no more.
 */

#include <linux/slab.h>
#include <linux/string.h>
#include "routing.h"

static unsigned int zeq_bit_at(const u8 *addr, unsigned int i)
{
	return (addr[i / 8] >> (7 - i % 8)) & 1;
}

/* Number of leading bits, up to @max, on which @a and @b agree. */
static unsigned int zeq_common_bits(const u8 *a, const u8 *b, unsigned int max)
{
	unsigned int i, n = 0;
	u8 x;

	for (i = 0; n < max; i++, n += 8) {
		x = a[i] ^ b[i];
		if (x)
			return min(max, n + 7 - __fls(x));
	}
	return max;
}

static void zeq_mask_prefix(u8 *out, const u8 *addr, u8 addr_len, u8 cidr)
{
	unsigned int i;

	memcpy(out, addr, addr_len);
	for (i = cidr; i < addr_len * 8U; i++)
		out[i / 8] &= ~(0x80 >> (i % 8));
}

/**
 * zeq_routing_host_bits_clear - is @addr/@cidr a proper prefix?
 * @addr: address bytes
 * @addr_len: 4 or 16
 * @cidr: prefix length, at most addr_len * 8
 *
 * Return: true if no bit past @cidr is set.
 */
bool zeq_routing_host_bits_clear(const u8 *addr, u8 addr_len, u8 cidr)
{
	u8 masked[16];

	zeq_mask_prefix(masked, addr, addr_len, cidr);
	return !memcmp(masked, addr, addr_len);
}

void zeq_routing_init(struct zeq_routing *r, struct mutex *lock)
{
	RCU_INIT_POINTER(r->root4, NULL);
	RCU_INIT_POINTER(r->root6, NULL);
	r->count = 0;
	r->lock = lock;
}

static struct zeq_route_node __rcu **
zeq_root(struct zeq_routing *r, u8 addr_len)
{
	return addr_len == 4 ? &r->root4 : &r->root6;
}

#define zeq_deref(r, p) rcu_dereference_protected(p, lockdep_is_held((r)->lock))

static struct zeq_route_node *zeq_node_new(const u8 *addr, u8 addr_len,
					   u8 cidr)
{
	struct zeq_route_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (!node)
		return NULL;
	node->cidr = cidr;
	node->addr_len = addr_len;
	INIT_LIST_HEAD(&node->peer_list);
	zeq_mask_prefix(node->bits, addr, addr_len, cidr);
	return node;
}

static void zeq_node_own(struct zeq_routing *r, struct zeq_route_node *node,
			 struct zeq_peer *peer, struct list_head *peer_prefixes)
{
	if (!zeq_deref(r, node->peer))
		r->count++;
	rcu_assign_pointer(node->peer, peer);
	list_move_tail(&node->peer_list, peer_prefixes);
}

/**
 * zeq_routing_insert - give @addr/@cidr to @peer
 * @r: tables
 * @addr: prefix address, host bits clear
 * @addr_len: 4 or 16
 * @cidr: prefix length
 * @peer: new owner; an existing owner of the same prefix loses it
 * @peer_prefixes: @peer's list of prefixes
 *
 * Context: the config mutex held.
 * Return: 0 or -ENOMEM.
 */
int zeq_routing_insert(struct zeq_routing *r, const u8 *addr, u8 addr_len,
		       u8 cidr, struct zeq_peer *peer,
		       struct list_head *peer_prefixes)
{
	struct zeq_route_node __rcu **slot = zeq_root(r, addr_len);
	struct zeq_route_node *node, *parent = NULL, *fresh, *branch;
	unsigned int common;

	while ((node = zeq_deref(r, *slot))) {
		common = zeq_common_bits(node->bits, addr, min(node->cidr, cidr));
		if (common == node->cidr) {
			if (node->cidr == cidr) {
				zeq_node_own(r, node, peer, peer_prefixes);
				return 0;
			}
			parent = node;
			slot = &node->bit[zeq_bit_at(addr, node->cidr)];
			continue;
		}

		fresh = zeq_node_new(addr, addr_len, cidr);
		if (!fresh)
			return -ENOMEM;
		zeq_node_own(r, fresh, peer, peer_prefixes);
		if (common == cidr) {
			/* The new prefix contains the node: put it above. */
			RCU_INIT_POINTER(fresh->bit[zeq_bit_at(node->bits, cidr)],
					 node);
			fresh->parent = parent;
			node->parent = fresh;
			rcu_assign_pointer(*slot, fresh);
			return 0;
		}
		/* They diverge at bit @common: branch there. */
		branch = zeq_node_new(addr, addr_len, common);
		if (!branch) {
			r->count--;
			list_del(&fresh->peer_list);
			kfree(fresh);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(branch->bit[zeq_bit_at(addr, common)], fresh);
		RCU_INIT_POINTER(branch->bit[zeq_bit_at(node->bits, common)], node);
		branch->parent = parent;
		fresh->parent = branch;
		node->parent = branch;
		rcu_assign_pointer(*slot, branch);
		return 0;
	}

	fresh = zeq_node_new(addr, addr_len, cidr);
	if (!fresh)
		return -ENOMEM;
	zeq_node_own(r, fresh, peer, peer_prefixes);
	fresh->parent = parent;
	rcu_assign_pointer(*slot, fresh);
	return 0;
}

/* Unlink ownerless nodes with fewer than two children, upwards. */
static void zeq_routing_prune(struct zeq_routing *r,
			      struct zeq_route_node *node)
{
	struct zeq_route_node __rcu **slot;
	struct zeq_route_node *child, *parent;

	while (node && !zeq_deref(r, node->peer)) {
		struct zeq_route_node *c0 = zeq_deref(r, node->bit[0]);
		struct zeq_route_node *c1 = zeq_deref(r, node->bit[1]);

		if (c0 && c1)
			return;
		child = c0 ?: c1;
		parent = node->parent;
		if (!parent)
			slot = zeq_root(r, node->addr_len);
		else if (zeq_deref(r, parent->bit[0]) == node)
			slot = &parent->bit[0];
		else
			slot = &parent->bit[1];
		if (child)
			child->parent = parent;
		rcu_assign_pointer(*slot, child);
		kfree_rcu(node, rcu);
		node = parent;
	}
}

/**
 * zeq_routing_remove_peer - remove every prefix on @peer_prefixes
 * @r: tables
 * @peer_prefixes: a peer's list of prefixes; empty afterwards
 *
 * Context: the config mutex held.
 */
void zeq_routing_remove_peer(struct zeq_routing *r,
			     struct list_head *peer_prefixes)
{
	struct zeq_route_node *node, *tmp;

	list_for_each_entry_safe(node, tmp, peer_prefixes, peer_list) {
		list_del_init(&node->peer_list);
		RCU_INIT_POINTER(node->peer, NULL);
		r->count--;
		zeq_routing_prune(r, node);
	}
}

/**
 * zeq_routing_lookup - owner of the longest prefix containing @addr
 * @r: tables
 * @addr: address
 * @addr_len: 4 or 16
 *
 * Context: rcu_read_lock_bh() held; the peer is not referenced.
 * Return: the peer or NULL.
 */
struct zeq_peer *zeq_routing_lookup(struct zeq_routing *r, const u8 *addr,
				    u8 addr_len)
{
	struct zeq_route_node *node = rcu_dereference_bh(*zeq_root(r, addr_len));
	struct zeq_peer *best = NULL, *peer;

	while (node && zeq_common_bits(node->bits, addr, node->cidr) == node->cidr) {
		peer = rcu_dereference_bh(node->peer);
		if (peer)
			best = peer;
		if (node->cidr == addr_len * 8)
			break;
		node = rcu_dereference_bh(node->bit[zeq_bit_at(addr, node->cidr)]);
	}
	return best;
}

#include "selftest/routing.c"
