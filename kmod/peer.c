// SPDX-License-Identifier: GPL-2.0
/*
 * peer.c - peer lifetime and endpoint.
 */

#include <linux/slab.h>
#include "cover.h"
#include "device.h"
#include "events.h"
#include "peer.h"
#include "routing.h"

/**
 * zeq_peer_create - add a peer with @id to @zeq
 * @zeq: device
 * @id: peer id, 1..ZEQ_PEER_ID_MAX
 * @extack: error report
 *
 * Context: config mutex held.
 * Return: the peer (owned by the device's table) or an ERR_PTR.
 */
struct zeq_peer *zeq_peer_create(struct zeq_device *zeq, u32 id,
				 struct netlink_ext_ack *extack)
{
	struct zeq_peer *peer;
	int ret;

	lockdep_assert_held(&zeq->lock);
	if (zeq->peer_count >= ZEQ_MAX_PEERS) {
		NL_SET_ERR_MSG_MOD(extack, "device has the maximum number of peers");
		return ERR_PTR(-ENOSPC);
	}
	if (xa_load(&zeq->peers, id)) {
		NL_SET_ERR_MSG_MOD(extack, "a peer with this id already exists");
		return ERR_PTR(-EEXIST);
	}

	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->stats = zeq_stats_alloc();
	if (!peer->stats) {
		ret = -ENOMEM;
		goto err_peer;
	}
	ret = dst_cache_init(&peer->dst_cache, GFP_KERNEL);
	if (ret)
		goto err_stats;
	peer->zeq = zeq;
	peer->id = id;
	kref_init(&peer->refcount);
	rwlock_init(&peer->endpoint_lock);
	INIT_LIST_HEAD(&peer->allowed_ips);
	peer->last_tx = jiffies;
	zeq_cover_init(peer);

	ret = xa_insert(&zeq->peers, id, peer, GFP_KERNEL);
	if (ret)
		goto err_dst;
	dev_hold(zeq->dev);
	zeq->peer_count++;
	return peer;

err_dst:
	dst_cache_destroy(&peer->dst_cache);
err_stats:
	free_percpu(peer->stats);
err_peer:
	kfree(peer);
	return ERR_PTR(ret);
}

static void zeq_peer_free_rcu(struct rcu_head *rcu)
{
	struct zeq_peer *peer = container_of(rcu, struct zeq_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	dev_put(peer->zeq->dev);
	kfree(peer);
}

static void zeq_peer_release(struct kref *kref)
{
	struct zeq_peer *peer = container_of(kref, struct zeq_peer, refcount);

	call_rcu(&peer->rcu, zeq_peer_free_rcu);
}

struct zeq_peer *zeq_peer_get(struct zeq_peer *peer)
{
	kref_get(&peer->refcount);
	return peer;
}

void zeq_peer_put(struct zeq_peer *peer)
{
	if (peer)
		kref_put(&peer->refcount, zeq_peer_release);
}

/**
 * zeq_peer_find - the peer with @id
 * @zeq: device
 * @id: peer id
 *
 * Context: config mutex held (the result is valid while it is).
 * Return: the peer or NULL.
 */
struct zeq_peer *zeq_peer_find(struct zeq_device *zeq, u32 id)
{
	lockdep_assert_held(&zeq->lock);
	return xa_load(&zeq->peers, id);
}

/**
 * zeq_peer_remove - take @peer out of its device and drop the table's
 *	reference; packets in flight finish with their own references
 * @peer: peer
 *
 * Context: config mutex held.
 */
void zeq_peer_remove(struct zeq_peer *peer)
{
	struct zeq_device *zeq = peer->zeq;
	struct zeq_event ev = {
		.type = ZEQ_EVENT_PEER_REMOVED,
		.peer_id = peer->id,
	};

	lockdep_assert_held(&zeq->lock);
	peer->dead = true;
	zeq_cover_stop(peer);
	xa_erase(&zeq->peers, peer->id);
	zeq->peer_count--;
	zeq_routing_remove_peer(&zeq->routing, &peer->allowed_ips);
	zeq_keys_clear(peer);
	zeq_event_queue(zeq, &ev);
	zeq_peer_put(peer);
}

void zeq_peer_remove_all(struct zeq_device *zeq)
{
	struct zeq_peer *peer;
	unsigned long id;

	xa_for_each(&zeq->peers, id, peer)
		zeq_peer_remove(peer);
}

static bool zeq_endpoint_eq(const struct zeq_endpoint *a,
			    const struct zeq_endpoint *b)
{
	if (a->addr.sa_family != b->addr.sa_family)
		return false;
	if (a->addr.sa_family == AF_INET)
		return a->addr4.sin_port == b->addr4.sin_port &&
		       a->addr4.sin_addr.s_addr == b->addr4.sin_addr.s_addr;
	if (a->addr.sa_family == AF_INET6)
		return a->addr6.sin6_port == b->addr6.sin6_port &&
		       ipv6_addr_equal(&a->addr6.sin6_addr, &b->addr6.sin6_addr);
	return true;
}

void zeq_peer_set_endpoint(struct zeq_peer *peer,
			   const struct zeq_endpoint *ep)
{
	write_lock_bh(&peer->endpoint_lock);
	peer->endpoint = *ep;
	dst_cache_reset(&peer->dst_cache);
	write_unlock_bh(&peer->endpoint_lock);
}

/* Forget the cached outer route, e.g. after the fwmark changed. */
void zeq_peer_reset_route(struct zeq_peer *peer)
{
	write_lock_bh(&peer->endpoint_lock);
	dst_cache_reset(&peer->dst_cache);
	write_unlock_bh(&peer->endpoint_lock);
}

/**
 * zeq_peer_roam - follow an authenticated packet's source
 * @peer: peer
 * @ep: source of the packet
 *
 * Context: softirq, after authentication only.
 * Return: true if the endpoint changed.
 */
bool zeq_peer_roam(struct zeq_peer *peer, const struct zeq_endpoint *ep)
{
	bool same;

	read_lock(&peer->endpoint_lock);
	same = zeq_endpoint_eq(&peer->endpoint, ep);
	read_unlock(&peer->endpoint_lock);
	if (likely(same))
		return false;

	write_lock(&peer->endpoint_lock);
	same = zeq_endpoint_eq(&peer->endpoint, ep);
	if (!same) {
		peer->endpoint = *ep;
		dst_cache_reset(&peer->dst_cache);
	}
	write_unlock(&peer->endpoint_lock);
	return !same;
}

void zeq_peer_read_endpoint(struct zeq_peer *peer, struct zeq_endpoint *ep)
{
	read_lock_bh(&peer->endpoint_lock);
	*ep = peer->endpoint;
	read_unlock_bh(&peer->endpoint_lock);
}
