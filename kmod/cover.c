// SPDX-License-Identifier: GPL-2.0
/*
 * cover.c - constant-rate cover packets per peer.
 *
 * Each peer with cover on has an hrtimer on an absolute schedule: packet n
 * is due at start + n / rate, computed from n each time (never by adding a
 * rounded period), so the long-run rate is exact whatever the real traffic
 * does and however late a single expiry runs; a timer that falls more than
 * ZEQ_COVER_MAX_LAG_NS behind (a suspended guest) starts a new schedule
 * instead of sending a burst. A timer behind its schedule by less sends
 * one packet per pass of the timer softirq until it is on time again,
 * never its backlog in one pass (zeq_cover_next()).
 *
 * A cover packet is an ordinary data packet whose trailer says
 * ZEQ_INNER_COVER: same header, same key and counter sequence, same
 * padding rules. Its inner length is drawn from the lengths of the peer's
 * last ZEQ_COVER_SIZE_HISTORY data packets, so that with any padding mode
 * its sizes follow the real traffic's. The receiver authenticates, counts
 * and drops it (receive.c).
 *
 * A peer that has nothing to send with (no current key, no endpoint, the
 * device down) does not fire at its rate: its timer looks again every
 * ZEQ_COVER_IDLE_NS and starts a new schedule when it can send.
 *
 * Budget: the rates of a device's running timers add up in
 * zeq->cover_committed, which may not pass ZEQ_COVER_BUDGET_MHZ. Netlink
 * asks zeq_cover_fits_device() or zeq_cover_fits_peer() before a change
 * and refuses one that does not fit, so that a device with many peers
 * cannot be told to seal more cover than its CPUs can and be left
 * unmanageable (docs/RELIABILITY.md, 61-nlfuzz).
 *
 * The timer runs in softirq context (HRTIMER_MODE_ABS_SOFT). It is started
 * and cancelled only under the config mutex; peer removal cancels it
 * before the peer is released, so the callback never sees a freed peer.
 */

#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include "cover.h"
#include "device.h"
#include "peer.h"
#include "send.h"

#define ZEQ_COVER_HEADROOM (ZEQ_HDR_LEN + ZEQ_PREFIX_MAX + \
			    ZEQ_OUTER_IPV6_UDP_LEN + LL_MAX_HEADER)

/* When packet @n of a schedule that started at @start is due. */
static ktime_t zeq_cover_due(ktime_t start, u64 n, u32 rate_mhz)
{
	return ktime_add_ns(start, mul_u64_u64_div_u64(n, ZEQ_NSEC_PER_SEC *
						       ZEQ_MILLI, rate_mhz));
}

/**
 * zeq_cover_note_size - remember the inner length of a data packet
 * @peer: peer
 * @len: inner length
 *
 * Context: any; racing writers may overwrite each other's slot, which
 * only changes which recent length is kept.
 */
void zeq_cover_note_size(struct zeq_peer *peer, unsigned int len)
{
	unsigned int i = READ_ONCE(peer->cover_size_next);

	WRITE_ONCE(peer->cover_sizes[i % ZEQ_COVER_SIZE_HISTORY], len);
	WRITE_ONCE(peer->cover_size_next, i + 1);
}

/* The rate of a peer's cover under the given settings, 0 = none. */
static u32 zeq_cover_rate(u8 mode, u32 own_rate, bool dev_cover, u32 dev_rate)
{
	if (mode == ZEQ_COVER_ON || (mode == ZEQ_COVER_DEVICE && dev_cover))
		return own_rate ?: dev_rate;
	return 0;
}

/**
 * zeq_cover_fits_device - whether the device's cover may become @cover at
 *	@rate within its budget
 * @zeq: device
 * @cover: new ZEQ_A_COVER
 * @rate: new ZEQ_A_COVER_RATE
 *
 * Context: config mutex held.
 * Return: true if the peers' rates would add up to at most the budget.
 */
bool zeq_cover_fits_device(struct zeq_device *zeq, bool cover, u32 rate)
{
	struct zeq_peer *peer;
	unsigned long id;
	u64 sum = 0;

	lockdep_assert_held(&zeq->lock);
	xa_for_each(&zeq->peers, id, peer)
		sum += zeq_cover_rate(peer->cover_mode, peer->cover_rate,
				      cover, rate);
	return sum <= ZEQ_COVER_BUDGET_MHZ;
}

/**
 * zeq_cover_fits_peer - whether @peer's cover may become @mode at @rate
 *	within the device's budget
 * @peer: peer (new or existing)
 * @mode: new ZEQ_A_PEER_COVER
 * @rate: new ZEQ_A_PEER_COVER_RATE
 *
 * Context: config mutex held.
 * Return: true if the device's committed rate would stay within budget.
 */
bool zeq_cover_fits_peer(struct zeq_peer *peer, u8 mode, u32 rate)
{
	struct zeq_device *zeq = peer->zeq;

	lockdep_assert_held(&zeq->lock);
	return zeq->cover_committed - peer->cover_active_rate +
	       zeq_cover_rate(mode, rate, zeq->cover, zeq->cover_rate) <=
	       ZEQ_COVER_BUDGET_MHZ;
}

/* Send one cover packet; false if the peer has nothing to send with. */
static bool zeq_cover_send(struct zeq_peer *peer)
{
	struct net_device *dev = peer->zeq->dev;
	unsigned int len, i;
	struct sk_buff *skb;

	if (!netif_running(dev) ||
	    !rcu_access_pointer(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT]) ||
	    READ_ONCE(peer->endpoint.addr.sa_family) == AF_UNSPEC)
		return false;
	i = get_random_u32_below(ZEQ_COVER_SIZE_HISTORY);
	len = min(READ_ONCE(peer->cover_sizes[i]), READ_ONCE(dev->mtu));
	skb = alloc_skb(ZEQ_COVER_HEADROOM + READ_ONCE(dev->mtu) +
			ZEQ_TRAILER_LEN + ZEQ_TAG_LEN, GFP_ATOMIC);
	if (!skb) {
		zeq_drop(peer->zeq, peer, ZEQ_DROP_NOMEM);
		return true;
	}
	skb_reserve(skb, ZEQ_COVER_HEADROOM);
	skb_put_zero(skb, len);
	skb->dev = dev;
	zeq_send_packet(peer, skb, ZEQ_INNER_COVER);
	return true;
}

/*
 * The expiry after one at @now on the schedule (@start, @n), packet @n
 * having been due at or before @now (@sent: whether it went out). Always
 * later than @now: hrtimer runs a callback again within the same pass of
 * the softirq while its expiry is not after the time the pass began, so
 * an expiry at or before @now would send a timer that is behind its
 * schedule (a CPU that cannot seal at the rate asked, as under a debug
 * kernel) through its whole backlog, and every other late peer's, in one
 * softirq run: seconds per peer, while RCU and everything queued behind
 * that CPU waits. Behind, it catches up one packet per pass instead.
 */
static ktime_t zeq_cover_next(ktime_t *start, u64 *n, ktime_t now, u32 rate,
			      bool sent)
{
	ktime_t due = zeq_cover_due(*start, ++*n, rate);

	if (ktime_to_ns(ktime_sub(now, due)) > (s64)ZEQ_COVER_MAX_LAG_NS) {
		*start = now;
		*n = 1;
		due = zeq_cover_due(now, 1, rate);
	}
	if (!sent && ktime_before(due, ktime_add_ns(now, ZEQ_COVER_IDLE_NS))) {
		/* packet 0 of a new schedule, when there may be a key */
		*start = ktime_add_ns(now, ZEQ_COVER_IDLE_NS);
		*n = 0;
		due = *start;
	}
	if (!ktime_after(due, now))
		due = ktime_add_ns(now, 1);
	return due;
}

static enum hrtimer_restart zeq_cover_fire(struct hrtimer *timer)
{
	struct zeq_peer *peer = container_of(timer, struct zeq_peer,
					     cover_timer);
	ktime_t now = hrtimer_cb_get_time(timer);
	bool sent = zeq_cover_send(peer);

	hrtimer_set_expires(timer, zeq_cover_next(&peer->cover_start,
						  &peer->cover_n, now,
						  peer->cover_active_rate,
						  sent));
	return HRTIMER_RESTART;
}

/**
 * zeq_cover_init - set up a new peer's cover timer (not started)
 * @peer: peer
 */
void zeq_cover_init(struct zeq_peer *peer)
{
	hrtimer_init(&peer->cover_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	peer->cover_timer.function = zeq_cover_fire;
}

/**
 * zeq_cover_update - start, stop or re-time @peer's cover packets after a
 *	change of the peer's or the device's cover settings
 * @peer: peer
 *
 * The effective rate is the peer's own (ZEQ_A_PEER_COVER_RATE) or else
 * the device's, when the peer's mode is on, or follows the device and the
 * device's cover is on. An unchanged rate keeps its schedule. The caller
 * has checked the new rate against the budget (zeq_cover_fits_*()).
 *
 * Context: config mutex held; may sleep (waits for a running callback).
 */
void zeq_cover_update(struct zeq_peer *peer)
{
	struct zeq_device *zeq = peer->zeq;
	u32 rate;

	lockdep_assert_held(&zeq->lock);
	rate = zeq_cover_rate(peer->cover_mode, peer->cover_rate, zeq->cover,
			      zeq->cover_rate);
	if (rate == peer->cover_active_rate)
		return;
	hrtimer_cancel(&peer->cover_timer);
	zeq->cover_committed += rate;
	zeq->cover_committed -= peer->cover_active_rate;
	WARN_ON_ONCE(zeq->cover_committed > ZEQ_COVER_BUDGET_MHZ);
	WRITE_ONCE(peer->cover_active_rate, rate);
	if (!rate)
		return;
	peer->cover_start = ktime_get();
	peer->cover_n = 1;
	hrtimer_start(&peer->cover_timer,
		      zeq_cover_due(peer->cover_start, 1, rate),
		      HRTIMER_MODE_ABS_SOFT);
}

/**
 * zeq_cover_stop - stop @peer's cover packets for good (peer removal)
 * @peer: peer
 *
 * Context: config mutex held; may sleep.
 */
void zeq_cover_stop(struct zeq_peer *peer)
{
	lockdep_assert_held(&peer->zeq->lock);
	hrtimer_cancel(&peer->cover_timer);
	peer->zeq->cover_committed -= peer->cover_active_rate;
	WRITE_ONCE(peer->cover_active_rate, 0);
}

#include "selftest/cover.c"
