// SPDX-License-Identifier: GPL-2.0
/*
 * device.c - the "zeq" link type: creation, transmit, statistics, removal,
 * and what happens when the namespace that created a device goes away.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <net/icmp.h>
#include <net/ip_tunnels.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>
#include "compat.h"
#include "device.h"
#include "events.h"
#include "keys.h"
#include "obfs.h"
#include "padding.h"
#include "peer.h"
#include "send.h"
#include "socket.h"
#include "timers.h"

/* Every zeq device, in any namespace (RTNL). */
static LIST_HEAD(zeq_device_list);

/**
 * zeq_drop - count a dropped packet on the device and, if known, the peer
 * @zeq: device
 * @peer: peer or NULL
 * @reason: why
 *
 * Context: bottom halves disabled.
 */
void zeq_drop(struct zeq_device *zeq, struct zeq_peer *peer,
	      enum zeq_drop_reason reason)
{
	zeq_stats_drop(zeq->stats, reason);
	if (peer)
		zeq_stats_drop(peer->stats, reason);
}

static int zeq_open(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);
	int ret;

	mutex_lock(&zeq->lock);
	ret = zeq_socket_open(zeq);
	mutex_unlock(&zeq->lock);
	return ret;
}

static int zeq_stop(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);

	mutex_lock(&zeq->lock);
	zeq_socket_close(zeq);
	mutex_unlock(&zeq->lock);
	return 0;
}

/* The peer whose allowed IPs contain the packet's destination, referenced. */
static struct zeq_peer *zeq_route_out(struct zeq_device *zeq,
				      struct sk_buff *skb)
{
	struct zeq_peer *peer = NULL;

	rcu_read_lock_bh();
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
	    ip_hdr(skb)->version == 4)
		peer = zeq_routing_lookup(&zeq->routing,
					  (u8 *)&ip_hdr(skb)->daddr, 4);
	else if (skb->protocol == htons(ETH_P_IPV6) &&
		 pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		 ipv6_hdr(skb)->version == 6)
		peer = zeq_routing_lookup(&zeq->routing,
					  (u8 *)&ipv6_hdr(skb)->daddr, 16);
	if (peer && !kref_get_unless_zero(&peer->refcount))
		peer = NULL;
	rcu_read_unlock_bh();
	return peer;
}

static void zeq_unreachable(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	else if (skb->protocol == htons(ETH_P_IPV6))
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
				ICMPV6_ADDR_UNREACH, 0);
}

static netdev_tx_t zeq_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);
	struct sk_buff *segs, *next;
	struct zeq_peer *peer;

	peer = zeq_route_out(zeq, skb);
	if (unlikely(!peer)) {
		zeq_drop(zeq, NULL, ZEQ_DROP_NO_ROUTE);
		zeq_unreachable(skb);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(READ_ONCE(peer->endpoint.addr.sa_family) == AF_UNSPEC)) {
		zeq_drop(zeq, peer, ZEQ_DROP_NO_ENDPOINT);
		zeq_unreachable(skb);
		kfree_skb(skb);
		goto out;
	}

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			zeq_drop(zeq, peer, ZEQ_DROP_NOMEM);
			kfree_skb(skb);
			goto out;
		}
		consume_skb(skb);
		skb = segs;
	}
	skb_list_walk_safe(skb, skb, next) {
		skb_mark_not_on_list(skb);
		zeq_send_packet(peer, skb, ZEQ_INNER_DATA);
	}
out:
	zeq_peer_put(peer);
	return NETDEV_TX_OK;
}

static void zeq_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *stats)
{
	struct zeq_device *zeq = netdev_priv(dev);
	struct zeq_stats_sum sum;
	unsigned int i;

	zeq_stats_read(zeq->stats, &sum);
	stats->rx_packets = sum.rx_packets;
	stats->rx_bytes = sum.rx_bytes;
	stats->tx_packets = sum.tx_packets;
	stats->tx_bytes = sum.tx_bytes;
	for (i = 0; i < __ZEQ_DROP_MAX; i++) {
		switch (i) {
		case ZEQ_DROP_NO_ROUTE:
		case ZEQ_DROP_NO_KEY:
		case ZEQ_DROP_NO_ENDPOINT:
		case ZEQ_DROP_OUTER_ROUTE:
			stats->tx_dropped += sum.drops[i];
			break;
		default:
			stats->rx_dropped += sum.drops[i];
		}
	}
}

static int zeq_init(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);
	struct zeq_obfs_params params;
	struct zeq_obfs *obfs;
	int ret = -ENOMEM;

	INIT_LIST_HEAD(&zeq->device_list);
	mutex_init(&zeq->lock);
	xa_init(&zeq->peers);
	zeq_routing_init(&zeq->routing, &zeq->lock);
	hash_init(zeq->key_table);
	get_random_bytes(&zeq->key_history_secret,
			 sizeof(zeq->key_history_secret));
	zeq->key_max_age = ZEQ_KEY_MAX_AGE_DEFAULT;
	zeq->cover_rate = ZEQ_COVER_RATE_DEFAULT_MHZ;
	zeq_events_init(zeq);
	zeq_timers_init(zeq);
	zeq_crypto_driver_probe(zeq->crypto_driver, sizeof(zeq->crypto_driver));

	zeq_obfs_default(&params);
	obfs = zeq_obfs_create(&params);
	if (!obfs)
		goto err;
	RCU_INIT_POINTER(zeq->obfs, obfs);
	zeq->stats = zeq_stats_alloc();
	if (!zeq->stats)
		goto err_obfs;
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		goto err_stats;
	ret = gro_cells_init(&zeq->gro_cells, dev);
	if (ret)
		goto err_tstats;
	return 0;

err_tstats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
err_stats:
	free_percpu(zeq->stats);
	zeq->stats = NULL;
err_obfs:
	RCU_INIT_POINTER(zeq->obfs, NULL);
	zeq_obfs_free(obfs);
err:
	mutex_destroy(&zeq->lock);
	return ret;
}

static void zeq_uninit(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);

	ASSERT_RTNL();
	list_del_init(&zeq->device_list);
	mutex_lock(&zeq->lock);
	zeq->dead = true;
	mutex_unlock(&zeq->lock);
	zeq_timers_stop(zeq);

	mutex_lock(&zeq->lock);
	zeq_socket_close(zeq);
	zeq_peer_remove_all(zeq);
	mutex_unlock(&zeq->lock);
	zeq_events_flush(zeq);
}

static const struct net_device_ops zeq_netdev_ops = {
	.ndo_init		= zeq_init,
	.ndo_open		= zeq_open,
	.ndo_stop		= zeq_stop,
	.ndo_uninit		= zeq_uninit,
	.ndo_start_xmit		= zeq_xmit,
	.ndo_get_stats64	= zeq_get_stats64,
};

/* Runs after the last reference: no packet can be in flight. */
static void zeq_destruct(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);
	struct zeq_padding *padding;

	zeq_events_destroy(zeq);
	WARN_ON(zeq->routing.count);
	xa_destroy(&zeq->peers);
	zeq_key_history_free(zeq);
	zeq_obfs_free(rcu_dereference_protected(zeq->obfs, true));
	padding = rcu_dereference_protected(zeq->padding, true);
	if (padding)
		kfree_rcu(padding, rcu);
	gro_cells_destroy(&zeq->gro_cells);
	free_percpu(dev->tstats);
	free_percpu(zeq->stats);
	mutex_destroy(&zeq->lock);
}

static const struct device_type zeq_device_type = { .name = ZEQ_LINK_KIND };

#define ZEQ_FEATURES (NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_SG | \
		      NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA)

static void zeq_setup(struct net_device *dev)
{
	struct zeq_device *zeq = netdev_priv(dev);

	dev->netdev_ops = &zeq_netdev_ops;
	dev->header_ops = &ip_tunnel_header_ops;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = ZEQ_HDR_LEN + ZEQ_OUTER_IPV6_UDP_LEN;
	dev->needed_tailroom = ZEQ_TRAILER_LEN + ZEQ_TAG_LEN;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	zeq_set_lltx(dev);
	dev->features |= ZEQ_FEATURES;
	dev->hw_features |= ZEQ_FEATURES;
	dev->hw_enc_features |= ZEQ_FEATURES;
	dev->mtu = ZEQ_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - ZEQ_OUTER_IPV6_UDP_LEN - ZEQ_OVERHEAD;
	dev->needs_free_netdev = true;
	dev->priv_destructor = zeq_destruct;
	SET_NETDEV_DEVTYPE(dev, &zeq_device_type);
	netif_keep_dst(dev);

	memset(zeq, 0, sizeof(*zeq));
	zeq->dev = dev;
}

static int zeq_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct zeq_device *zeq = netdev_priv(dev);
	int ret;

	rcu_assign_pointer(zeq->creating_net, src_net);
	/* On failure after ndo_init the core calls uninit and destructor. */
	ret = register_netdevice(dev);
	if (ret)
		return ret;
	list_add(&zeq->device_list, &zeq_device_list);
	zeq_timers_start(zeq);
	return 0;
}

struct rtnl_link_ops zeq_link_ops __read_mostly = {
	.kind		= ZEQ_LINK_KIND,
	.priv_size	= sizeof(struct zeq_device),
	.setup		= zeq_setup,
	.newlink	= zeq_newlink,
};

/**
 * zeq_device_get - the zeq device a netlink request names, referenced
 * @net: the requester's namespace
 * @attrs: parsed top-level attributes (ZEQ_A_IFINDEX or ZEQ_A_IFNAME)
 * @extack: error report
 *
 * Return: the device (release with zeq_device_put()) or an ERR_PTR.
 */
struct zeq_device *zeq_device_get(struct net *net, struct nlattr **attrs,
				  struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nlattr *attr;

	if (attrs[ZEQ_A_IFINDEX]) {
		attr = attrs[ZEQ_A_IFINDEX];
		dev = dev_get_by_index(net, nla_get_u32(attr));
	} else if (attrs[ZEQ_A_IFNAME]) {
		attr = attrs[ZEQ_A_IFNAME];
		dev = dev_get_by_name(net, nla_data(attr));
	} else {
		NL_SET_ERR_MSG_MOD(extack, "device not given: need ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (dev->rtnl_link_ops != &zeq_link_ops) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a zeq device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

void zeq_device_put(struct zeq_device *zeq)
{
	dev_put(zeq->dev);
}

/*
 * The namespace a device was created in is going away: its sockets live
 * there, so close them. The device itself may live on in another
 * namespace, carrier off, until deleted; devices inside the dying
 * namespace are deleted by the core (default_device_exit_batch).
 */
static void __net_exit zeq_netns_pre_exit(struct net *net)
{
	struct zeq_device *zeq;

	rtnl_lock();
	list_for_each_entry(zeq, &zeq_device_list, device_list) {
		if (rcu_access_pointer(zeq->creating_net) != net)
			continue;
		netif_carrier_off(zeq->dev);
		mutex_lock(&zeq->lock);
		RCU_INIT_POINTER(zeq->creating_net, NULL);
		zeq_socket_close(zeq);
		mutex_unlock(&zeq->lock);
	}
	rtnl_unlock();
}

static struct pernet_operations zeq_netns_ops = {
	.pre_exit = zeq_netns_pre_exit,
};

int zeq_device_init(void)
{
	int ret;

	ret = register_pernet_device(&zeq_netns_ops);
	if (ret)
		return ret;
	ret = rtnl_link_register(&zeq_link_ops);
	if (ret)
		unregister_pernet_device(&zeq_netns_ops);
	return ret;
}

void zeq_device_uninit(void)
{
	rtnl_link_unregister(&zeq_link_ops);
	unregister_pernet_device(&zeq_netns_ops);
	rcu_barrier();
}
