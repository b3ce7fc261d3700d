// SPDX-License-Identifier: GPL-2.0
/*
 * socket.c - kernel UDP sockets of a device, and sending on them.
 *
 * A device has an IPv4 socket and, where IPv6 is available, a v6-only
 * IPv6 socket on the same port, both in the network namespace the device
 * was created in: moving the device to another namespace moves the inner
 * side only, as with WireGuard. The sockets exist while the device is up.
 */

#include <linux/inetdevice.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>
#include "device.h"
#include "peer.h"
#include "receive.h"
#include "socket.h"

static int zeq_socket_create(struct zeq_device *zeq, struct net *net,
			     int family, u16 port, struct socket **out)
{
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
	};
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = zeq,
		.encap_type = 1,
		.encap_rcv = zeq_udp_recv,
	};
	int ret;

	if (family == AF_INET6) {
		cfg.local_ip6 = in6addr_any;
		cfg.ipv6_v6only = 1;
		cfg.use_udp6_tx_checksums = true;
		cfg.use_udp6_rx_checksums = true;
	} else {
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
		cfg.use_udp_checksums = true;
	}
	ret = udp_sock_create(net, &cfg, out);
	if (ret)
		return ret;
	setup_udp_tunnel_sock(net, *out, &tcfg);
	return 0;
}

static u16 zeq_socket_port(struct socket *sock)
{
	return ntohs(inet_sk(sock->sk)->inet_sport);
}

/**
 * zeq_socket_open - bind the device's sockets to its listen port
 * @zeq: device
 *
 * With listen port 0 the IPv4 socket picks a free port and the IPv6 socket
 * takes the same one, retrying a few times if that port is taken for IPv6.
 * Replaces sockets already open.
 *
 * Context: RTNL and the config mutex held.
 * Return: 0 or a negative errno (-EADDRINUSE, -ENETDOWN once the
 * creating namespace is gone).
 */
int zeq_socket_open(struct zeq_device *zeq)
{
	struct socket *s4 = NULL, *s6 = NULL;
	struct net *net;
	unsigned int tries = 0;
	u16 port;
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&zeq->lock);
	net = rcu_dereference_protected(zeq->creating_net,
					lockdep_is_held(&zeq->lock));
	if (!net)
		return -ENETDOWN;
retry:
	port = zeq->listen_port;
	ret = zeq_socket_create(zeq, net, AF_INET, port, &s4);
	if (ret)
		return ret;
	port = zeq_socket_port(s4);
	if (ipv6_mod_enabled()) {
		ret = zeq_socket_create(zeq, net, AF_INET6, port, &s6);
		if (ret == -EADDRINUSE && !zeq->listen_port && ++tries < 100) {
			udp_tunnel_sock_release(s4);
			s4 = NULL;
			goto retry;
		}
		if (ret && ret != -EAFNOSUPPORT) {
			udp_tunnel_sock_release(s4);
			return ret;
		}
		if (ret)
			s6 = NULL;
	}
	zeq_socket_close(zeq);
	rcu_assign_pointer(zeq->sock4, s4);
	rcu_assign_pointer(zeq->sock6, s6);
	zeq->bound_port = port;
	return 0;
}

/**
 * zeq_socket_close - release the device's sockets
 * @zeq: device
 *
 * Context: RTNL or the config mutex held (callers hold both, except the
 * namespace exit path which holds RTNL and the mutex too).
 */
void zeq_socket_close(struct zeq_device *zeq)
{
	struct socket *s4 = rcu_dereference_protected(zeq->sock4,
					lockdep_is_held(&zeq->lock));
	struct socket *s6 = rcu_dereference_protected(zeq->sock6,
					lockdep_is_held(&zeq->lock));

	RCU_INIT_POINTER(zeq->sock4, NULL);
	RCU_INIT_POINTER(zeq->sock6, NULL);
	zeq->bound_port = 0;
	if (!s4 && !s6)
		return;
	synchronize_net();
	if (s4)
		udp_tunnel_sock_release(s4);
	if (s6)
		udp_tunnel_sock_release(s6);
}

static int zeq_send4(struct zeq_device *zeq, struct sock *sk,
		     struct sk_buff *skb, const struct sockaddr_in *to,
		     struct dst_cache *cache)
{
	struct flowi4 fl = {
		.daddr = to->sin_addr.s_addr,
		.fl4_dport = to->sin_port,
		.fl4_sport = inet_sk(sk)->inet_sport,
		.flowi4_mark = READ_ONCE(zeq->fwmark),
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(cache, &fl.saddr);
	if (!rt) {
		security_sk_classify_flow(sk, flowi4_to_flowi_common(&fl));
		rt = ip_route_output_flow(sock_net(sk), &fl, sk);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		if (unlikely(rt->dst.dev == zeq->dev)) {
			ip_rt_put(rt);
			return -ELOOP;
		}
		dst_cache_set_ip4(cache, &rt->dst, fl.saddr);
	}
	skb->ignore_df = 1;
	udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl.fl4_sport,
			    fl.fl4_dport, false, false);
	return 0;
}

static int zeq_send6(struct zeq_device *zeq, struct sock *sk,
		     struct sk_buff *skb, const struct sockaddr_in6 *to,
		     struct dst_cache *cache)
{
	struct flowi6 fl = {
		.daddr = to->sin6_addr,
		.fl6_dport = to->sin6_port,
		.fl6_sport = inet_sk(sk)->inet_sport,
		.flowi6_mark = READ_ONCE(zeq->fwmark),
		.flowi6_oif = to->sin6_scope_id,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(cache, &fl.saddr);
	if (!dst) {
		security_sk_classify_flow(sk, flowi6_to_flowi_common(&fl));
		dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl,
						      NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		if (unlikely(dst->dev == zeq->dev)) {
			dst_release(dst);
			return -ELOOP;
		}
		dst_cache_set_ip6(cache, dst, &fl.saddr);
	}
	skb->ignore_df = 1;
	udp_tunnel6_xmit_skb(dst, sk, skb, zeq->dev, &fl.saddr, &fl.daddr, 0,
			     ip6_dst_hoplimit(dst), 0, fl.fl6_sport,
			     fl.fl6_dport, false);
	return 0;
}

/**
 * zeq_socket_send - send a sealed datagram to @peer's endpoint
 * @peer: peer
 * @skb: the datagram, data at the zeq header; consumed
 *
 * Context: bottom halves disabled.
 * Return: true if handed to the outer stack; false if dropped (counted).
 */
bool zeq_socket_send(struct zeq_peer *peer, struct sk_buff *skb)
{
	struct zeq_device *zeq = peer->zeq;
	enum zeq_drop_reason reason = ZEQ_DROP_OUTER_ROUTE;
	struct socket *sock;
	int ret = -EAFNOSUPPORT;

	zeq_packet_reset(skb, true);
	skb->dev = zeq->dev;
	skb->mark = READ_ONCE(zeq->fwmark);

	rcu_read_lock_bh();
	read_lock_bh(&peer->endpoint_lock);
	switch (peer->endpoint.addr.sa_family) {
	case AF_INET:
		sock = rcu_dereference_bh(zeq->sock4);
		if (sock)
			ret = zeq_send4(zeq, sock->sk, skb, &peer->endpoint.addr4,
					&peer->dst_cache);
		break;
	case AF_INET6:
		sock = rcu_dereference_bh(zeq->sock6);
		if (sock)
			ret = zeq_send6(zeq, sock->sk, skb, &peer->endpoint.addr6,
					&peer->dst_cache);
		break;
	default:
		reason = ZEQ_DROP_NO_ENDPOINT;
	}
	read_unlock_bh(&peer->endpoint_lock);
	rcu_read_unlock_bh();

	if (likely(!ret))
		return true;
	zeq_drop(zeq, peer, reason);
	kfree_skb(skb);
	return false;
}
