/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crypt.h - per-packet AEAD request, shared by send.c and receive.c.
 */
#ifndef _ZEQ_CRYPT_H
#define _ZEQ_CRYPT_H

#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <crypto/aead.h>
#include "keys.h"
#include "peer.h"

/**
 * struct zeq_crypt - one packet on its way through the AEAD
 * @skb: the packet
 * @kp: key pair, referenced until the packet is done
 * @src: receive: outer source, for roaming after authentication
 * @inner_len: send: inner bytes, for the counters
 * @pad: send: padding bytes, for the counters
 * @inner_type: send: ZEQ_INNER_DATA or ZEQ_INNER_COVER
 * @counter: receive: the packet's counter, entered into the window
 *	after authentication
 * @iv: salt || counter
 * @sg: scatterlist over the packet, after the request context
 * @req: the AEAD request; the transform's request context follows it
 *
 * Allocated per packet (GFP_ATOMIC) because an asynchronous transform
 * (the AES-NI SIMD wrapper falling back to cryptd) completes later, in a
 * callback, and needs all of this to finish the packet.
 */
struct zeq_crypt {
	struct sk_buff *skb;
	struct zeq_keypair *kp;
	struct zeq_endpoint src;
	unsigned int inner_len;
	unsigned int pad;
	u8 inner_type;
	u64 counter;
	u8 iv[ZEQ_NONCE_LEN];
	struct scatterlist *sg;
	struct aead_request req;
};

static inline struct zeq_crypt *
zeq_crypt_alloc(struct crypto_aead *tfm, int nfrags)
{
	size_t sg_off = ALIGN(sizeof(struct zeq_crypt) + crypto_aead_reqsize(tfm),
			      __alignof__(struct scatterlist));
	struct zeq_crypt *c;

	c = kmalloc(sg_off + nfrags * sizeof(struct scatterlist), GFP_ATOMIC);
	if (!c)
		return NULL;
	c->sg = (struct scatterlist *)((u8 *)c + sg_off);
	sg_init_table(c->sg, nfrags);
	aead_request_set_tfm(&c->req, tfm);
	return c;
}

static inline void zeq_crypt_iv(struct zeq_crypt *c, const u8 *salt,
				u64 counter)
{
	__be64 ctr = cpu_to_be64(counter);

	memcpy(c->iv, salt, ZEQ_SALT_LEN);
	memcpy(c->iv + ZEQ_SALT_LEN, &ctr, sizeof(ctr));
}

#endif /* _ZEQ_CRYPT_H */
