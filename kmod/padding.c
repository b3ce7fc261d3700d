// SPDX-License-Identifier: GPL-2.0
/*
 * padding.c - how much padding a packet gets.
 *
 * The padding goes inside the AEAD, between the inner packet and the
 * trailer, whose length field lets the receiver recover the inner length
 * exactly. Cover packets are padded by the same rules as data, so they
 * fall into the same size classes.
 *
 *   off     no padding
 *   bucket  up to the smallest configured size that holds the packet;
 *           above the largest, up to the MTU
 *   mtu     every packet up to the device MTU
 *   random  a random amount from the configured distribution (uniform
 *           over 0..max, or exponential with a mean, truncated at max),
 *           never past the MTU, and with an overhead cap never more than
 *           cap percent of the inner bytes the peer sent (a per-peer
 *           credit, at most ZEQ_PAD_CREDIT_MAX banked)
 */

#include <linux/log2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "device.h"
#include "padding.h"
#include "peer.h"

/**
 * zeq_padding_validate - check a padding configuration as a whole
 * @pd: configuration (each field within its netlink policy)
 * @extack: error message
 *
 * Return: 0 or -EINVAL.
 */
int zeq_padding_validate(const struct zeq_padding *pd,
			 struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (pd->mode != ZEQ_PADDING_BUCKET && pd->n_buckets) {
		NL_SET_ERR_MSG_MOD(extack, "bucket sizes are only for bucket padding");
		return -EINVAL;
	}
	if (pd->mode == ZEQ_PADDING_BUCKET && !pd->n_buckets) {
		NL_SET_ERR_MSG_MOD(extack, "bucket padding needs at least one bucket size");
		return -EINVAL;
	}
	for (i = 1; i < pd->n_buckets; i++) {
		if (pd->buckets[i] <= pd->buckets[i - 1]) {
			NL_SET_ERR_MSG_MOD(extack, "bucket sizes must be strictly ascending");
			return -EINVAL;
		}
	}
	if (pd->mode != ZEQ_PADDING_RANDOM) {
		if (pd->random_max || pd->random_mean || pd->overhead_cap ||
		    pd->dist != ZEQ_PAD_DIST_UNIFORM) {
			NL_SET_ERR_MSG_MOD(extack,
					   "max, mean, dist and overhead cap are only for random padding");
			return -EINVAL;
		}
		return 0;
	}
	if (!pd->random_max) {
		NL_SET_ERR_MSG_MOD(extack, "random padding needs a max");
		return -EINVAL;
	}
	if (pd->random_mean && pd->dist != ZEQ_PAD_DIST_EXPONENTIAL) {
		NL_SET_ERR_MSG_MOD(extack, "a mean is only for the exponential distribution");
		return -EINVAL;
	}
	if (pd->random_mean > pd->random_max) {
		NL_SET_ERR_MSG_MOD(extack, "random padding mean exceeds its max");
		return -EINVAL;
	}
	return 0;
}

/**
 * zeq_padding_replace - publish a padding configuration
 * @zeq: device
 * @pd: new configuration, owned by the device from now on; NULL for off
 *
 * Context: config mutex held.
 */
void zeq_padding_replace(struct zeq_device *zeq, struct zeq_padding *pd)
{
	struct zeq_padding *old;

	old = rcu_replace_pointer(zeq->padding, pd, lockdep_is_held(&zeq->lock));
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * -ln(u / 2^32) in 16.16 fixed point, for u in 1..2^32-1: log2 by the
 * position of the top bit plus a linear interpolation of the rest (error
 * below 0.09 in log2), times ln 2. Integer only: the kernel has no FPU
 * here.
 */
static u32 zeq_neg_ln_q16(u32 u)
{
	unsigned int k = ilog2(u);
	u64 log2_q16 = ((u64)k << 16) +
		       (((u64)(u - (1U << k)) << 16) >> k);
	const u64 ln2_q16 = 45426;	/* ln 2 * 65536 */

	return (u32)((((u64)32 << 16) - log2_q16) * ln2_q16 >> 16);
}

static unsigned int zeq_padding_random(const struct zeq_padding *pd)
{
	unsigned int tries, x = pd->random_max;
	u32 u;

	if (pd->dist == ZEQ_PAD_DIST_UNIFORM)
		return get_random_u32_below(pd->random_max + 1U);
	/* Exponential, truncated at max by rejection (then max itself). */
	for (tries = 0; tries < 4; tries++) {
		u = get_random_u32() | 1;
		x = (u32)(((u64)pd->random_mean * zeq_neg_ln_q16(u)) >> 16);
		if (x <= pd->random_max)
			return x;
	}
	return pd->random_max;
}

/* Spend up to @pad of @peer's padding credit, earned by @len inner bytes. */
static unsigned int zeq_padding_capped(const struct zeq_padding *pd,
				       struct zeq_peer *peer,
				       unsigned int len, unsigned int pad)
{
	s64 credit;

	credit = atomic64_add_return((u64)len * pd->overhead_cap / 100,
				     &peer->pad_credit);
	if (credit > ZEQ_PAD_CREDIT_MAX) {
		atomic64_set(&peer->pad_credit, ZEQ_PAD_CREDIT_MAX);
		credit = ZEQ_PAD_CREDIT_MAX;
	}
	if (credit <= 0)
		return 0;
	pad = min_t(s64, pad, credit);
	atomic64_sub(pad, &peer->pad_credit);
	return pad;
}

/* Padding for @len inner bytes under @pd, before the overhead cap. */
static unsigned int zeq_padding_amount(const struct zeq_padding *pd,
				       unsigned int len, unsigned int mtu)
{
	unsigned int room = len < mtu ? mtu - len : 0, i;

	switch (pd->mode) {
	case ZEQ_PADDING_BUCKET:
		for (i = 0; i < pd->n_buckets; i++)
			if (len <= pd->buckets[i])
				return min(room, pd->buckets[i] - len);
		return room;
	case ZEQ_PADDING_MTU:
		return room;
	case ZEQ_PADDING_RANDOM:
		return min(room, zeq_padding_random(pd));
	}
	return 0;
}

/**
 * zeq_padding_len - padding for an inner packet of @len bytes
 * @zeq: device
 * @peer: peer it goes to (its overhead credit)
 * @len: inner length (a cover packet's drawn length)
 *
 * Context: bottom halves disabled.
 * Return: bytes of padding, never taking the packet past the MTU.
 */
unsigned int zeq_padding_len(struct zeq_device *zeq, struct zeq_peer *peer,
			     unsigned int len)
{
	const struct zeq_padding *pd;
	unsigned int pad = 0;

	rcu_read_lock_bh();
	pd = rcu_dereference_bh(zeq->padding);
	if (pd) {
		pad = zeq_padding_amount(pd, len, READ_ONCE(zeq->dev->mtu));
		if (pd->mode == ZEQ_PADDING_RANDOM && pd->overhead_cap)
			pad = zeq_padding_capped(pd, peer, len, pad);
	}
	rcu_read_unlock_bh();
	return pad;
}

#include "selftest/padding.c"
