// SPDX-License-Identifier: GPL-2.0
/*
 * obfs.c - obfuscation: junk datagrams, random prefixes, header type
 * ranges and header protection.
 *
 * The wire format is in include/zeq_constants.h. Header protection is
 * QUIC's (RFC 9001, section 5.4) with AES-256 from the kernel's AES
 * library: the 16-byte header is XORed with AES(key, sample), the sample
 * being the first 16 bytes after the header (ciphertext for data, random
 * for junk). Without the key, every header byte is as random as the
 * ciphertext; with it, the receiver unmasks before it looks anything up.
 *
 * The parameters must match on every peer. They are hashed (BLAKE2s-256)
 * for the daemon to compare at handshake; a datagram whose unmasked type
 * is in neither local range is counted as ZEQ_DROP_OBFS, so a mismatch
 * shows up in the counters rather than as a silent black hole.
 */

#include <linux/random.h>
#include <linux/slab.h>
#include <crypto/blake2s.h>
#include "device.h"
#include "keys.h"
#include "messages.h"
#include "obfs.h"
#include "peer.h"
#include "socket.h"

/* Headroom for a junk datagram's outer headers. */
#define ZEQ_JUNK_HEADROOM (ZEQ_OUTER_IPV6_UDP_LEN + LL_MAX_HEADER)

/**
 * zeq_obfs_default - the parameters of a new device: nothing hidden
 * @p: filled in
 *
 * Data type ZEQ_TYPE_DATA_DEFAULT, junk type ZEQ_TYPE_JUNK_DEFAULT, no
 * junk, no prefix, no header protection.
 */
void zeq_obfs_default(struct zeq_obfs_params *p)
{
	memset(p, 0, sizeof(*p));
	p->junk_min = ZEQ_JUNK_SIZE_MIN(0);
	p->junk_max = ZEQ_JUNK_SIZE_MIN(0);
	p->type_data_min = ZEQ_TYPE_DATA_DEFAULT;
	p->type_data_max = ZEQ_TYPE_DATA_DEFAULT;
	p->type_junk_min = ZEQ_TYPE_JUNK_DEFAULT;
	p->type_junk_max = ZEQ_TYPE_JUNK_DEFAULT;
}

/**
 * zeq_obfs_validate - check a whole parameter set
 * @p: parameters (each field already within its netlink policy)
 * @extack: error message
 *
 * Return: 0, or -EINVAL with @extack saying which rule failed.
 */
int zeq_obfs_validate(const struct zeq_obfs_params *p,
		      struct netlink_ext_ack *extack)
{
	if (p->prefix_min > p->prefix_max) {
		NL_SET_ERR_MSG_MOD(extack, "prefix min is greater than prefix max");
		return -EINVAL;
	}
	if (p->junk_min > p->junk_max) {
		NL_SET_ERR_MSG_MOD(extack, "junk size min is greater than junk size max");
		return -EINVAL;
	}
	if (p->junk_max > ZEQ_JUNK_SIZE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "junk size max exceeds a 1500-byte path (1452)");
		return -EINVAL;
	}
	/* Junk sizes matter only when junk is sent. */
	if (p->junk_count && p->junk_min < ZEQ_JUNK_SIZE_MIN(p->prefix_max)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "junk size min must be at least prefix max + 32 (header and sample)");
		return -EINVAL;
	}
	if (p->type_data_min > p->type_data_max) {
		NL_SET_ERR_MSG_MOD(extack, "data type min is greater than data type max");
		return -EINVAL;
	}
	if (p->type_junk_min > p->type_junk_max) {
		NL_SET_ERR_MSG_MOD(extack, "junk type min is greater than junk type max");
		return -EINVAL;
	}
	if (p->type_data_min <= p->type_junk_max &&
	    p->type_junk_min <= p->type_data_max) {
		NL_SET_ERR_MSG_MOD(extack, "data and junk type ranges overlap");
		return -EINVAL;
	}
	if (p->hp && !memchr_inv(p->hp_key, 0, ZEQ_HP_KEY_LEN)) {
		NL_SET_ERR_MSG_MOD(extack, "header protection needs a key (hp key)");
		return -EINVAL;
	}
	return 0;
}

/*
 * BLAKE2s-256 over a fixed serialisation (docs/datapath.md): the label
 * "zeq-obfs-v1", then every field big endian in struct order, then the
 * key only when header protection is on.
 */
static void zeq_obfs_digest(const struct zeq_obfs_params *p, u8 *out)
{
	static const char label[] = "zeq-obfs-v1";
	struct blake2s_state st;
	struct {
		u8 junk_count;
		__be16 junk_min;
		__be16 junk_max;
		u8 prefix_min;
		u8 prefix_max;
		__be32 type_data_min;
		__be32 type_data_max;
		__be32 type_junk_min;
		__be32 type_junk_max;
		u8 hp;
	} __packed in = {
		.junk_count = p->junk_count,
		.junk_min = cpu_to_be16(p->junk_min),
		.junk_max = cpu_to_be16(p->junk_max),
		.prefix_min = p->prefix_min,
		.prefix_max = p->prefix_max,
		.type_data_min = cpu_to_be32(p->type_data_min),
		.type_data_max = cpu_to_be32(p->type_data_max),
		.type_junk_min = cpu_to_be32(p->type_junk_min),
		.type_junk_max = cpu_to_be32(p->type_junk_max),
		.hp = p->hp,
	};

	blake2s_init(&st, ZEQ_OBFS_DIGEST_LEN);
	blake2s_update(&st, label, sizeof(label) - 1);
	blake2s_update(&st, (const u8 *)&in, sizeof(in));
	if (p->hp)
		blake2s_update(&st, p->hp_key, ZEQ_HP_KEY_LEN);
	blake2s_final(&st, out);
}

/**
 * zeq_obfs_create - the state for a validated parameter set
 * @p: parameters; the caller wipes its copy of the key
 *
 * Context: process.
 * Return: new state, or NULL without memory.
 */
struct zeq_obfs *zeq_obfs_create(const struct zeq_obfs_params *p)
{
	struct zeq_obfs *obfs = kzalloc(sizeof(*obfs), GFP_KERNEL);

	if (!obfs)
		return NULL;
	obfs->params = *p;
	if (!p->hp)
		memzero_explicit(obfs->params.hp_key, ZEQ_HP_KEY_LEN);
	else if (aes_expandkey(&obfs->hp_ctx, p->hp_key, ZEQ_HP_KEY_LEN))
		goto err;
	zeq_obfs_digest(&obfs->params, obfs->digest);
	return obfs;
err:
	kfree_sensitive(obfs);
	return NULL;
}

static void zeq_obfs_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct zeq_obfs, rcu));
}

/* Frees @obfs after a grace period (readers may still hold it). */
void zeq_obfs_free(struct zeq_obfs *obfs)
{
	if (obfs)
		call_rcu(&obfs->rcu, zeq_obfs_free_rcu);
}

/**
 * zeq_obfs_replace - publish new obfuscation state for a device
 * @zeq: device
 * @obfs: new state (owned by the device from now on)
 *
 * Context: config mutex held.
 */
void zeq_obfs_replace(struct zeq_device *zeq, struct zeq_obfs *obfs)
{
	struct zeq_obfs *old = rcu_replace_pointer(zeq->obfs, obfs,
						   lockdep_is_held(&zeq->lock));

	zeq_obfs_free(old);
}

/* A value in lo..hi, uniformly. */
static u32 zeq_random_in(u32 lo, u32 hi)
{
	if (lo == hi)
		return lo;
	if (lo == 0 && hi == U32_MAX)
		return get_random_u32();
	return get_random_u32_inclusive(lo, hi);
}

/**
 * zeq_obfs_data_type - a header type value for a data packet
 * @obfs: state, under RCU
 *
 * Return: a value from the data type range.
 */
u32 zeq_obfs_data_type(const struct zeq_obfs *obfs)
{
	return zeq_random_in(obfs->params.type_data_min,
			     obfs->params.type_data_max);
}

/* Length of the prefix that starts with byte @b (0 when there is none). */
static unsigned int zeq_prefix_len(const struct zeq_obfs_params *p, u8 b)
{
	unsigned int lo = max_t(unsigned int, p->prefix_min, 1);

	if (!p->prefix_max)
		return 0;
	return lo + b % (p->prefix_max - lo + 1);
}

/* XOR the header at @hdr with AES(hp key, @sample). */
static void zeq_obfs_mask(const struct zeq_obfs *obfs, u8 *hdr,
			  const u8 *sample)
{
	u8 mask[AES_BLOCK_SIZE];

	aes_encrypt(&obfs->hp_ctx, mask, sample);
	crypto_xor(hdr, mask, ZEQ_HDR_LEN);
	memzero_explicit(mask, sizeof(mask));
}

/* Push the @len-byte prefix that starts with @b in front of skb->data. */
static void zeq_obfs_push_prefix(struct sk_buff *skb, unsigned int len, u8 b)
{
	u8 *prefix;

	if (!len)
		return;
	prefix = skb_push(skb, len);
	prefix[0] = b;
	get_random_bytes(prefix + 1, len - 1);
}

/**
 * zeq_obfs_wrap - protect the header of a sealed datagram, add its prefix
 * @obfs: state, under RCU
 * @skb: datagram, data at the header, ciphertext after it; the caller
 *	reserved ZEQ_PREFIX_MAX bytes of headroom
 *
 * Context: bottom halves disabled.
 * Return: 0, or -ENOMEM if the sample could not be read.
 */
int zeq_obfs_wrap(const struct zeq_obfs *obfs, struct sk_buff *skb)
{
	u8 sample[ZEQ_HP_SAMPLE_LEN], b = get_random_u8();

	BUILD_BUG_ON(ZEQ_HP_SAMPLE_LEN != AES_BLOCK_SIZE);
	BUILD_BUG_ON(ZEQ_HDR_LEN != AES_BLOCK_SIZE);
	if (obfs->params.hp) {
		if (skb_copy_bits(skb, ZEQ_HDR_LEN, sample, sizeof(sample)))
			return -ENOMEM;
		zeq_obfs_mask(obfs, skb->data, sample);
	}
	if (skb_headroom(skb) < obfs->params.prefix_max)
		return -ENOMEM;
	zeq_obfs_push_prefix(skb, zeq_prefix_len(&obfs->params, b), b);
	return 0;
}

/**
 * zeq_obfs_unwrap - strip a datagram's prefix and unmask its header
 * @obfs: state, under RCU
 * @skb: datagram, data at the UDP payload
 *
 * On ZEQ_OBFS_DATA the data is at the header, in the clear and linear.
 * Nothing is trusted yet: the AEAD authenticates the header afterwards.
 *
 * Context: softirq.
 * Return: what the datagram is.
 */
enum zeq_obfs_class zeq_obfs_unwrap(const struct zeq_obfs *obfs,
				    struct sk_buff *skb)
{
	const struct zeq_obfs_params *p = &obfs->params;
	unsigned int prefix = 0;
	u32 type;

	if (p->prefix_max) {
		if (!pskb_may_pull(skb, 1))
			return ZEQ_OBFS_SHORT;
		prefix = zeq_prefix_len(p, skb->data[0]);
	}
	if (!pskb_may_pull(skb, prefix + ZEQ_HDR_LEN + ZEQ_HP_SAMPLE_LEN))
		return ZEQ_OBFS_SHORT;
	if (p->hp) {
		/* A clone (a packet socket's copy) must not see the unmasking. */
		if (skb_ensure_writable(skb, prefix + ZEQ_HDR_LEN))
			return ZEQ_OBFS_NOMEM;
		zeq_obfs_mask(obfs, skb->data + prefix,
			      skb->data + prefix + ZEQ_HDR_LEN);
	}
	__skb_pull(skb, prefix);
	type = be32_to_cpu(((struct zeq_hdr *)skb->data)->type);
	if (type >= p->type_data_min && type <= p->type_data_max)
		return ZEQ_OBFS_DATA;
	if (type >= p->type_junk_min && type <= p->type_junk_max)
		return ZEQ_OBFS_JUNK;
	return ZEQ_OBFS_MISMATCH;
}

static struct sk_buff *zeq_obfs_junk(const struct zeq_obfs *obfs)
{
	const struct zeq_obfs_params *p = &obfs->params;
	unsigned int len = zeq_random_in(p->junk_min, p->junk_max);
	u8 b = get_random_u8();
	unsigned int prefix = zeq_prefix_len(p, b);
	struct sk_buff *skb;
	__be32 *type;
	u8 *data;

	skb = alloc_skb(ZEQ_JUNK_HEADROOM + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, ZEQ_JUNK_HEADROOM + prefix);
	/* len >= ZEQ_JUNK_SIZE_MIN(prefix max): header and sample fit. */
	data = skb_put(skb, len - prefix);
	get_random_bytes(data, len - prefix);
	type = (__be32 *)data;
	*type = cpu_to_be32(zeq_random_in(p->type_junk_min, p->type_junk_max));
	if (p->hp)
		zeq_obfs_mask(obfs, data, data + ZEQ_HDR_LEN);
	zeq_obfs_push_prefix(skb, prefix, b);
	return skb;
}

/**
 * zeq_obfs_send_junk - send the junk datagrams that start a session
 * @peer: peer, referenced by the caller
 * @obfs: state, under RCU
 *
 * Context: bottom halves disabled.
 */
void zeq_obfs_send_junk(struct zeq_peer *peer, const struct zeq_obfs *obfs)
{
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < obfs->params.junk_count; i++) {
		skb = zeq_obfs_junk(obfs);
		if (!skb) {
			zeq_drop(peer->zeq, peer, ZEQ_DROP_NOMEM);
			return;
		}
		skb->dev = peer->zeq->dev;
		if (zeq_socket_send(peer, skb)) {
			zeq_stats_junk(peer->zeq->stats, true);
			zeq_stats_junk(peer->stats, true);
		}
	}
}

#include "selftest/obfs.c"
