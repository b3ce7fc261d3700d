/* SPDX-License-Identifier: GPL-2.0 */
/*
 * padding.h - how much padding a packet gets (modes in include/zeq.h).
 */
#ifndef _ZEQ_PADDING_H
#define _ZEQ_PADDING_H

#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include "zeq.h"

struct zeq_device;
struct zeq_peer;

/**
 * struct zeq_padding - a device's padding configuration, immutable once
 * published in struct zeq_device.padding (RCU readers; replaced whole
 * under the config mutex)
 * @mode: enum zeq_padding_mode
 * @n_buckets: bucket sizes in use (bucket mode)
 * @buckets: strictly ascending inner sizes (bucket mode)
 * @dist: enum zeq_pad_dist (random mode)
 * @random_max: largest random pad (random mode)
 * @random_mean: mean of the exponential distribution (random mode)
 * @overhead_cap: percent of inner bytes padding may add, 0 = no cap
 * @rcu: deferred free
 */
struct zeq_padding {
	u8 mode;
	u8 n_buckets;
	u16 buckets[ZEQ_PAD_BUCKETS_MAX];
	u8 dist;
	u16 random_max;
	u16 random_mean;
	u16 overhead_cap;
	struct rcu_head rcu;
};

int zeq_padding_validate(const struct zeq_padding *pd,
			 struct netlink_ext_ack *extack);
void zeq_padding_replace(struct zeq_device *zeq, struct zeq_padding *pd);
unsigned int zeq_padding_len(struct zeq_device *zeq, struct zeq_peer *peer,
			     unsigned int len);
bool zeq_padding_selftest(void);

#endif /* _ZEQ_PADDING_H */
