// SPDX-License-Identifier: GPL-2.0
/*
 * receive.c - open a zeq datagram and deliver its inner packet.
 *
 * Order of checks, cheapest first, nothing trusted before authentication:
 * prefix and header protection removed, header type in the local data or
 * junk range (obfs.c; junk is counted and dropped) -> length -> key id ->
 * usage limit -> AEAD open -> replay
 * window (after authentication only: a forged copy of an old packet is an
 * auth failure, not a replay) -> trailer -> inner IP header ->
 * cryptokey-routing source check. Only then does the peer's endpoint
 * follow the packet's source (roaming). Every drop is counted by reason.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/udp_tunnel.h>
#include "compat.h"
#include "crypt.h"
#include "device.h"
#include "events.h"
#include "messages.h"
#include "obfs.h"
#include "peer.h"
#include "receive.h"
#include "routing.h"

/**
 * zeq_packet_reset - clear an skb's metadata when it crosses the tunnel
 * @skb: packet
 * @encapsulating: keep the flow hash (outer packet of the same flow)
 *
 * Nothing of the inner packet's routing, marks, checksum state or
 * offload flags may leak to the outer one, or back.
 */
void zeq_packet_reset(struct sk_buff *skb, bool encapsulating)
{
	u32 hash = skb->hash;
	u8 l4_hash = skb->l4_hash, sw_hash = skb->sw_hash;

	skb_scrub_packet(skb, true);
	memset(&skb->headers, 0, sizeof(skb->headers));
	if (encapsulating) {
		skb->hash = hash;
		skb->l4_hash = l4_hash;
		skb->sw_hash = sw_hash;
	}
	skb->queue_mapping = 0;
	skb->nohdr = 0;
	skb->peeked = 0;
	skb->mac_len = 0;
	skb->dev = NULL;
	skb_reset_redirect(skb);
	skb->hdr_len = skb_headroom(skb);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	skb_probe_transport_header(skb);
	skb_reset_inner_headers(skb);
}

static void zeq_auth_failed(struct zeq_device *zeq, struct zeq_peer *peer)
{
	unsigned long window = READ_ONCE(zeq->auth_fail_window);
	struct zeq_event ev = {
		.type = ZEQ_EVENT_AUTH_FAIL_BURST,
		.peer_id = peer->id,
		.count = ZEQ_AUTH_FAIL_BURST,
	};

	if (time_after(jiffies, window + HZ)) {
		WRITE_ONCE(zeq->auth_fail_window, jiffies);
		atomic_set(&zeq->auth_fail_count, 0);
	}
	if (atomic_inc_return(&zeq->auth_fail_count) == ZEQ_AUTH_FAIL_BURST)
		zeq_event_queue(zeq, &ev);
}

/* Inner IP header present and its length exactly the inner length. */
static __be16 zeq_inner_protocol(struct sk_buff *skb, unsigned int len)
{
	if (len >= sizeof(struct iphdr) && pskb_may_pull(skb, sizeof(struct iphdr)) &&
	    ip_hdr(skb)->version == 4 && ip_hdr(skb)->ihl >= 5 &&
	    ntohs(ip_hdr(skb)->tot_len) == len)
		return htons(ETH_P_IP);
	if (len >= sizeof(struct ipv6hdr) &&
	    pskb_may_pull(skb, sizeof(struct ipv6hdr)) &&
	    ipv6_hdr(skb)->version == 6 &&
	    ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr) == len)
		return htons(ETH_P_IPV6);
	return 0;
}

static bool zeq_source_allowed(struct zeq_device *zeq, struct zeq_peer *peer,
			       struct sk_buff *skb)
{
	struct zeq_peer *owner;

	rcu_read_lock_bh();
	if (skb->protocol == htons(ETH_P_IP))
		owner = zeq_routing_lookup(&zeq->routing,
					   (u8 *)&ip_hdr(skb)->saddr, 4);
	else
		owner = zeq_routing_lookup(&zeq->routing,
					   (u8 *)&ipv6_hdr(skb)->saddr, 16);
	rcu_read_unlock_bh();
	return owner == peer;
}

static void zeq_roamed(struct zeq_peer *peer, const struct zeq_endpoint *src)
{
	struct zeq_event ev = {
		.type = ZEQ_EVENT_ENDPOINT_CHANGED,
		.peer_id = peer->id,
		.endpoint = *src,
	};

	if (zeq_peer_roam(peer, src))
		zeq_event_queue(peer->zeq, &ev);
}

/* After authentication: strip, check the trailer and inner packet, deliver. */
static enum zeq_drop_reason zeq_deliver(struct zeq_crypt *c)
{
	struct zeq_peer *peer = c->kp->peer;
	struct zeq_device *zeq = peer->zeq;
	struct sk_buff *skb = c->skb;
	struct zeq_trailer tr;
	unsigned int len, pad;

	if (!zeq_replay_update(&c->kp->replay, c->counter))
		return ZEQ_DROP_REPLAY;

	/* Authenticated: the endpoint may follow it now. */
	atomic64_inc(&c->kp->rx_packets);
	/*
	 * Under the staged key: the peer sends with it, so it swapped; the
	 * housekeeping swaps here too (a pointer compare, nothing deref'd).
	 */
	if (unlikely(rcu_access_pointer(peer->keys.slot[ZEQ_KEY_SLOT_NEXT]) ==
		     c->kp))
		set_bit(ZEQ_KEY_F_CONFIRMED, &c->kp->flags);
	zeq_roamed(peer, &c->src);
	WRITE_ONCE(peer->last_rx, jiffies);

	len = skb->len - ZEQ_HDR_LEN - ZEQ_TAG_LEN;
	if (skb_copy_bits(skb, ZEQ_HDR_LEN + len - ZEQ_TRAILER_LEN, &tr,
			  sizeof(tr)))
		return ZEQ_DROP_INNER;
	pad = ntohs(tr.pad_len);
	if (tr.reserved || pad > len - ZEQ_TRAILER_LEN)
		return ZEQ_DROP_INNER;
	len -= ZEQ_TRAILER_LEN + pad;

	if (tr.inner_type == ZEQ_INNER_COVER) {
		zeq_stats_cover(zeq->stats, false);
		zeq_stats_cover(peer->stats, false);
		consume_skb(skb);
		return __ZEQ_DROP_MAX;
	}
	if (tr.inner_type != ZEQ_INNER_DATA)
		return ZEQ_DROP_INNER;
	if (!len) {
		zeq_stats_rx(zeq->stats, 0);
		zeq_stats_rx(peer->stats, 0);
		consume_skb(skb);
		return __ZEQ_DROP_MAX;
	}

	__skb_pull(skb, ZEQ_HDR_LEN);
	if (pskb_trim(skb, len))
		return ZEQ_DROP_NOMEM;
	zeq_packet_reset(skb, false);
	skb->protocol = zeq_inner_protocol(skb, len);
	if (!skb->protocol)
		return ZEQ_DROP_INNER;
	if (!zeq_source_allowed(zeq, peer, skb))
		return ZEQ_DROP_SOURCE;

	skb->dev = zeq->dev;
	skb->pkt_type = PACKET_HOST;
	/* The AEAD authenticated every byte: no checksum to verify. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	zeq_stats_rx(zeq->stats, len);
	zeq_stats_rx(peer->stats, len);
	gro_cells_receive(&zeq->gro_cells, skb);
	return __ZEQ_DROP_MAX;
}

static void zeq_receive_finish(struct zeq_crypt *c, int err)
{
	struct zeq_peer *peer = c->kp->peer;
	struct zeq_device *zeq = peer->zeq;
	enum zeq_drop_reason reason;

	if (likely(!err)) {
		reason = zeq_deliver(c);
	} else if (err == -EBADMSG) {
		reason = ZEQ_DROP_AUTH;
		zeq_auth_failed(zeq, peer);
	} else {
		reason = ZEQ_DROP_CRYPTO;
	}
	if (reason != __ZEQ_DROP_MAX) {
		zeq_drop(zeq, peer, reason);
		kfree_skb(c->skb);
	}
	zeq_keypair_put(c->kp);
	kfree(c);
}

static ZEQ_CRYPTO_DONE(zeq_receive_done)
{
	struct zeq_crypt *c = zeq_crypto_data();

	if (err == -EINPROGRESS)
		return;
	local_bh_disable();
	zeq_receive_finish(c, err);
	local_bh_enable();
}

static bool zeq_outer_source(struct sk_buff *skb, struct zeq_endpoint *src)
{
	memset(src, 0, sizeof(*src));
	if (ip_hdr(skb)->version == 4) {
		src->addr4.sin_family = AF_INET;
		src->addr4.sin_addr.s_addr = ip_hdr(skb)->saddr;
		src->addr4.sin_port = udp_hdr(skb)->source;
		return true;
	}
	if (ip_hdr(skb)->version == 6) {
		src->addr6.sin6_family = AF_INET6;
		src->addr6.sin6_addr = ipv6_hdr(skb)->saddr;
		src->addr6.sin6_port = udp_hdr(skb)->source;
		src->addr6.sin6_scope_id =
			ipv6_iface_scope_id(&ipv6_hdr(skb)->saddr, skb->skb_iif);
		return true;
	}
	return false;
}

static void zeq_receive(struct zeq_device *zeq, struct sk_buff *skb)
{
	enum zeq_drop_reason reason = ZEQ_DROP_MALFORMED;
	struct zeq_keypair *kp = NULL;
	enum zeq_obfs_class cls;
	struct zeq_endpoint src;
	struct sk_buff *last;
	struct zeq_crypt *c;
	struct zeq_hdr *hdr;
	unsigned int plain_len;
	int nfrags, ret;
	u64 counter;

	if (!zeq_outer_source(skb, &src) ||
	    !pskb_may_pull(skb, sizeof(struct udphdr)))
		goto drop;
	__skb_pull(skb, sizeof(struct udphdr));
	rcu_read_lock_bh();
	cls = zeq_obfs_unwrap(rcu_dereference_bh(zeq->obfs), skb);
	rcu_read_unlock_bh();
	switch (cls) {
	case ZEQ_OBFS_DATA:
		break;
	case ZEQ_OBFS_JUNK:
		zeq_stats_junk(zeq->stats, false);
		consume_skb(skb);
		return;
	case ZEQ_OBFS_MISMATCH:
		reason = ZEQ_DROP_OBFS;
		goto drop;
	case ZEQ_OBFS_NOMEM:
		reason = ZEQ_DROP_NOMEM;
		goto drop;
	default:
		goto drop;
	}
	if (skb->len < ZEQ_MIN_DATAGRAM)
		goto drop;
	hdr = (struct zeq_hdr *)skb->data;

	rcu_read_lock_bh();
	kp = zeq_key_lookup(zeq, ntohl(hdr->key_id));
	rcu_read_unlock_bh();
	if (!kp) {
		reason = ZEQ_DROP_UNKNOWN_KEY;
		goto drop;
	}
	counter = be64_to_cpu(hdr->counter);
	plain_len = skb->len - ZEQ_HDR_LEN - ZEQ_TAG_LEN;
	ret = zeq_key_charge(kp, &kp->rx_usage, plain_len);
	if (ret) {
		reason = ret == -EDQUOT ? ZEQ_DROP_KEY_LIMIT : ZEQ_DROP_KEY_EXPIRED;
		goto drop;
	}
	reason = ZEQ_DROP_NOMEM;
	nfrags = skb_cow_data(skb, 0, &last);
	if (nfrags < 0)
		goto drop;
	c = zeq_crypt_alloc(kp->rx_tfm, nfrags);
	if (!c)
		goto drop;
	if (skb_to_sgvec(skb, c->sg, 0, skb->len) < 0) {
		kfree(c);
		reason = ZEQ_DROP_CRYPTO;
		goto drop;
	}
	c->skb = skb;
	c->kp = kp;
	c->src = src;
	c->counter = counter;
	zeq_crypt_iv(c, kp->rx_salt, counter);
	aead_request_set_callback(&c->req, 0, zeq_receive_done, c);
	aead_request_set_crypt(&c->req, c->sg, c->sg, plain_len + ZEQ_TAG_LEN,
			       c->iv);
	aead_request_set_ad(&c->req, ZEQ_HDR_LEN);

	ret = crypto_aead_decrypt(&c->req);
	if (ret == -EINPROGRESS)
		return;
	zeq_receive_finish(c, ret);
	return;

drop:
	zeq_drop(zeq, kp ? kp->peer : NULL, reason);
	zeq_keypair_put(kp);
	kfree_skb(skb);
}

/**
 * zeq_udp_recv - encap_rcv of the device's UDP sockets
 * @sk: socket
 * @skb: datagram, data at the UDP header, checksum verified
 *
 * Context: softirq.
 * Return: 0: the datagram is consumed, whatever it was.
 */
int zeq_udp_recv(struct sock *sk, struct sk_buff *skb)
{
	struct zeq_device *zeq = rcu_dereference_sk_user_data(sk);

	if (unlikely(!zeq)) {
		kfree_skb(skb);
		return 0;
	}
	zeq_receive(zeq, skb);
	return 0;
}
