/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - anti-replay sliding window (RFC 6479 style).
 */
#ifndef _ZEQ_REPLAY_H
#define _ZEQ_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include "zeq_constants.h"

#define ZEQ_REPLAY_WORDS (ZEQ_REPLAY_BITMAP_BITS / BITS_PER_LONG)

/**
 * struct zeq_replay - receive window of one key
 * @lock: serialises zeq_replay_update()
 * @top: highest counter accepted so far, plus one (0: none yet)
 * @bitmap: ring of bits, one per counter value below @top in the window
 *
 * Only authenticated counters are looked up and entered: zeq_replay_update()
 * is called after the AEAD verified the packet.
 */
struct zeq_replay {
	spinlock_t lock;	/* serialises zeq_replay_update() */
	u64 top;
	unsigned long bitmap[ZEQ_REPLAY_WORDS];
};

void zeq_replay_init(struct zeq_replay *r);
bool zeq_replay_update(struct zeq_replay *r, u64 counter);

#ifdef ZEQ_SELFTEST
bool zeq_replay_selftest(void);
#endif

#endif /* _ZEQ_REPLAY_H */
