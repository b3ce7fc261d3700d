/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - per-CPU packet counters of a device or a peer.
 */
#ifndef _ZEQ_STATS_H
#define _ZEQ_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include "zeq.h"

/**
 * struct zeq_stats - one CPU's counters (see enum zeq_a_stats)
 * @rx_packets: inner packets delivered to the stack
 * @rx_bytes: their inner bytes
 * @tx_packets: inner packets handed to the outer socket
 * @tx_bytes: their inner bytes
 * @rx_keepalive: empty authenticated packets received
 * @tx_keepalive: empty packets sent
 * @rx_cover: cover packets received
 * @tx_cover: cover packets sent
 * @rx_junk: junk datagrams received
 * @tx_junk: junk datagrams sent
 * @tx_pad_bytes: padding bytes sent
 * @drops: dropped packets by enum zeq_drop_reason
 * @syncp: consistent 64-bit reads on 32-bit machines
 *
 * Written only with bottom halves disabled on the owning CPU.
 */
struct zeq_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_keepalive;
	u64_stats_t tx_keepalive;
	u64_stats_t rx_cover;
	u64_stats_t tx_cover;
	u64_stats_t rx_junk;
	u64_stats_t tx_junk;
	u64_stats_t tx_pad_bytes;
	u64_stats_t drops[__ZEQ_DROP_MAX];
	struct u64_stats_sync syncp;
};

/**
 * struct zeq_stats_sum - counters summed over all CPUs
 * @rx_packets: see struct zeq_stats
 * @rx_bytes: see struct zeq_stats
 * @tx_packets: see struct zeq_stats
 * @tx_bytes: see struct zeq_stats
 * @rx_keepalive: see struct zeq_stats
 * @tx_keepalive: see struct zeq_stats
 * @rx_cover: see struct zeq_stats
 * @tx_cover: see struct zeq_stats
 * @rx_junk: see struct zeq_stats
 * @tx_junk: see struct zeq_stats
 * @tx_pad_bytes: see struct zeq_stats
 * @drops: see struct zeq_stats
 */
struct zeq_stats_sum {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_keepalive;
	u64 tx_keepalive;
	u64 rx_cover;
	u64 tx_cover;
	u64 rx_junk;
	u64 tx_junk;
	u64 tx_pad_bytes;
	u64 drops[__ZEQ_DROP_MAX];
};

static inline struct zeq_stats __percpu *zeq_stats_alloc(void)
{
	return netdev_alloc_pcpu_stats(struct zeq_stats);
}

static inline void zeq_stats_rx(struct zeq_stats __percpu *s, unsigned int len)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	if (len) {
		u64_stats_inc(&st->rx_packets);
		u64_stats_add(&st->rx_bytes, len);
	} else {
		u64_stats_inc(&st->rx_keepalive);
	}
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_tx(struct zeq_stats __percpu *s, unsigned int len)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	if (len) {
		u64_stats_inc(&st->tx_packets);
		u64_stats_add(&st->tx_bytes, len);
	} else {
		u64_stats_inc(&st->tx_keepalive);
	}
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_cover(struct zeq_stats __percpu *s, bool tx)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(tx ? &st->tx_cover : &st->rx_cover);
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_junk(struct zeq_stats __percpu *s, bool tx)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(tx ? &st->tx_junk : &st->rx_junk);
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_pad(struct zeq_stats __percpu *s,
				 unsigned int pad)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->tx_pad_bytes, pad);
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_drop(struct zeq_stats __percpu *s,
				  enum zeq_drop_reason reason)
{
	struct zeq_stats *st = this_cpu_ptr(s);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->drops[reason]);
	u64_stats_update_end(&st->syncp);
}

static inline void zeq_stats_read(struct zeq_stats __percpu *s,
				  struct zeq_stats_sum *sum)
{
	unsigned int cpu, start, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct zeq_stats *st = per_cpu_ptr(s, cpu);
		struct zeq_stats_sum one;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			one.rx_packets = u64_stats_read(&st->rx_packets);
			one.rx_bytes = u64_stats_read(&st->rx_bytes);
			one.tx_packets = u64_stats_read(&st->tx_packets);
			one.tx_bytes = u64_stats_read(&st->tx_bytes);
			one.rx_keepalive = u64_stats_read(&st->rx_keepalive);
			one.tx_keepalive = u64_stats_read(&st->tx_keepalive);
			one.rx_cover = u64_stats_read(&st->rx_cover);
			one.tx_cover = u64_stats_read(&st->tx_cover);
			one.rx_junk = u64_stats_read(&st->rx_junk);
			one.tx_junk = u64_stats_read(&st->tx_junk);
			one.tx_pad_bytes = u64_stats_read(&st->tx_pad_bytes);
			for (i = 0; i < __ZEQ_DROP_MAX; i++)
				one.drops[i] = u64_stats_read(&st->drops[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));

		sum->rx_packets += one.rx_packets;
		sum->rx_bytes += one.rx_bytes;
		sum->tx_packets += one.tx_packets;
		sum->tx_bytes += one.tx_bytes;
		sum->rx_keepalive += one.rx_keepalive;
		sum->tx_keepalive += one.tx_keepalive;
		sum->rx_cover += one.rx_cover;
		sum->tx_cover += one.tx_cover;
		sum->rx_junk += one.rx_junk;
		sum->tx_junk += one.tx_junk;
		sum->tx_pad_bytes += one.tx_pad_bytes;
		for (i = 0; i < __ZEQ_DROP_MAX; i++)
			sum->drops[i] += one.drops[i];
	}
}

#endif /* _ZEQ_STATS_H */
