// SPDX-License-Identifier: GPL-2.0
/*
 * send.c - seal an inner packet into a zeq datagram and send it.
 *
 * The inner packet gets its padding (padding.c) and trailer appended and
 * the zeq header pushed in front; the AEAD then encrypts in place, with
 * the header as associated data and the tag written after the plaintext.
 * The counter is taken from the key before sealing and never given out
 * twice. After sealing, obfs.c masks the header and adds the random
 * prefix; before the first packet under a new key it sends the junk
 * datagrams. Cover packets (cover.c) take the same path.
 */

#include <linux/jiffies.h>
#include <net/ip.h>
#include "compat.h"
#include "cover.h"
#include "crypt.h"
#include "device.h"
#include "messages.h"
#include "obfs.h"
#include "padding.h"
#include "peer.h"
#include "send.h"
#include "socket.h"

static void zeq_send_finish(struct zeq_crypt *c, int err)
{
	struct zeq_peer *peer = c->kp->peer;
	struct zeq_device *zeq = peer->zeq;

	if (likely(!err)) {
		rcu_read_lock_bh();
		err = zeq_obfs_wrap(rcu_dereference_bh(zeq->obfs), c->skb);
		rcu_read_unlock_bh();
	}
	if (unlikely(err)) {
		zeq_drop(zeq, peer, err == -ENOMEM ? ZEQ_DROP_NOMEM :
			 ZEQ_DROP_CRYPTO);
		kfree_skb(c->skb);
	} else {
		atomic64_inc(&c->kp->tx_packets);
		WRITE_ONCE(peer->last_tx, jiffies);
		if (zeq_socket_send(peer, c->skb)) {
			if (c->inner_type == ZEQ_INNER_COVER) {
				zeq_stats_cover(zeq->stats, true);
				zeq_stats_cover(peer->stats, true);
			} else {
				zeq_stats_tx(zeq->stats, c->inner_len);
				zeq_stats_tx(peer->stats, c->inner_len);
			}
			if (c->pad) {
				zeq_stats_pad(zeq->stats, c->pad);
				zeq_stats_pad(peer->stats, c->pad);
			}
		}
	}
	zeq_keypair_put(c->kp);
	kfree(c);
}

static ZEQ_CRYPTO_DONE(zeq_send_done)
{
	struct zeq_crypt *c = zeq_crypto_data();

	/* A backlogged request reports that it started; the end follows. */
	if (err == -EINPROGRESS)
		return;
	local_bh_disable();
	zeq_send_finish(c, err);
	local_bh_enable();
}

/*
 * Append padding and the trailer, push the header (type @type); returns
 * sg entries. Headroom stays for the prefix and the outer headers.
 */
static int zeq_send_frame(struct sk_buff *skb, struct zeq_keypair *kp,
			  u32 type, u64 counter, u8 inner_type,
			  unsigned int pad)
{
	struct zeq_trailer *tr;
	struct sk_buff *last;
	struct zeq_hdr *hdr;
	int nfrags;
	u8 *tail;

	if (skb_cow_head(skb, ZEQ_HDR_LEN + ZEQ_PREFIX_MAX +
			 ZEQ_OUTER_IPV6_UDP_LEN + LL_MAX_HEADER))
		return -ENOMEM;
	nfrags = skb_cow_data(skb, pad + ZEQ_TRAILER_LEN + ZEQ_TAG_LEN, &last);
	if (nfrags < 0)
		return nfrags;
	tail = pskb_put(skb, last, pad + ZEQ_TRAILER_LEN + ZEQ_TAG_LEN);
	memset(tail, 0, pad);
	tr = (struct zeq_trailer *)(tail + pad);
	tr->inner_type = inner_type;
	tr->reserved = 0;
	tr->pad_len = htons(pad);

	hdr = skb_push(skb, ZEQ_HDR_LEN);
	hdr->type = htonl(type);
	hdr->key_id = htonl(kp->remote_key_id);
	hdr->counter = cpu_to_be64(counter);
	return nfrags;
}

/**
 * zeq_send_packet - encrypt @skb for @peer and send it
 * @peer: peer, referenced by the caller
 * @skb: inner packet (or empty, for a keepalive); consumed
 * @inner_type: ZEQ_INNER_DATA or ZEQ_INNER_COVER
 *
 * Context: bottom halves disabled.
 */
void zeq_send_packet(struct zeq_peer *peer, struct sk_buff *skb,
		     u8 inner_type)
{
	struct zeq_device *zeq = peer->zeq;
	enum zeq_drop_reason reason;
	unsigned int inner_len, plain_len, pad;
	const struct zeq_obfs *obfs;
	struct zeq_keypair *kp;
	struct zeq_crypt *c;
	int nfrags, ret;
	u64 counter;
	u32 type;

	rcu_read_lock_bh();
	kp = zeq_key_current(peer);
	rcu_read_unlock_bh();
	if (unlikely(!kp)) {
		reason = ZEQ_DROP_NO_KEY;
		goto drop;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		reason = ZEQ_DROP_INNER;
		goto drop_key;
	}
	inner_len = skb->len;
	if (inner_type == ZEQ_INNER_DATA && inner_len)
		zeq_cover_note_size(peer, inner_len);
	pad = zeq_padding_len(zeq, peer, inner_len);
	plain_len = inner_len + pad + ZEQ_TRAILER_LEN;
	ret = zeq_key_charge(kp, &kp->tx_usage, plain_len);
	if (unlikely(ret)) {
		reason = ret == -EDQUOT ? ZEQ_DROP_KEY_LIMIT : ZEQ_DROP_KEY_EXPIRED;
		goto drop_key;
	}
	rcu_read_lock_bh();
	obfs = rcu_dereference_bh(zeq->obfs);
	/* The first packet under a key, whatever junk count it had then. */
	if (unlikely(!test_bit(ZEQ_KEY_F_JUNK_SENT, &kp->flags)) &&
	    !test_and_set_bit(ZEQ_KEY_F_JUNK_SENT, &kp->flags) &&
	    obfs->params.junk_count)
		zeq_obfs_send_junk(peer, obfs);
	type = zeq_obfs_data_type(obfs);
	rcu_read_unlock_bh();
	counter = atomic64_inc_return(&kp->tx_counter) - 1;
	nfrags = zeq_send_frame(skb, kp, type, counter, inner_type, pad);
	if (unlikely(nfrags < 0)) {
		reason = ZEQ_DROP_NOMEM;
		goto drop_key;
	}
	c = zeq_crypt_alloc(kp->tx_tfm, nfrags);
	if (unlikely(!c)) {
		reason = ZEQ_DROP_NOMEM;
		goto drop_key;
	}
	if (unlikely(skb_to_sgvec(skb, c->sg, 0, skb->len) < 0)) {
		kfree(c);
		reason = ZEQ_DROP_CRYPTO;
		goto drop_key;
	}
	c->skb = skb;
	c->kp = kp;
	c->inner_len = inner_len;
	c->pad = pad;
	c->inner_type = inner_type;
	zeq_crypt_iv(c, kp->tx_salt, counter);
	aead_request_set_callback(&c->req, 0, zeq_send_done, c);
	aead_request_set_crypt(&c->req, c->sg, c->sg, plain_len, c->iv);
	aead_request_set_ad(&c->req, ZEQ_HDR_LEN);

	ret = crypto_aead_encrypt(&c->req);
	if (ret == -EINPROGRESS)
		return;
	zeq_send_finish(c, ret);
	return;

drop_key:
	zeq_keypair_put(kp);
drop:
	zeq_drop(zeq, peer, reason);
	kfree_skb(skb);
}

/**
 * zeq_send_keepalive - send an empty authenticated packet to @peer
 * @peer: peer, referenced by the caller
 *
 * Context: process; may be called with the config mutex held.
 */
void zeq_send_keepalive(struct zeq_peer *peer)
{
	struct sk_buff *skb;

	skb = alloc_skb(ZEQ_HDR_LEN + ZEQ_PREFIX_MAX + ZEQ_OUTER_IPV6_UDP_LEN +
			LL_MAX_HEADER + ZEQ_TRAILER_LEN + ZEQ_TAG_LEN, GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, ZEQ_HDR_LEN + ZEQ_PREFIX_MAX + ZEQ_OUTER_IPV6_UDP_LEN +
		    LL_MAX_HEADER);
	skb->dev = peer->zeq->dev;
	local_bh_disable();
	zeq_send_packet(peer, skb, ZEQ_INNER_DATA);
	local_bh_enable();
}
