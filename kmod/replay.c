// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - anti-replay sliding window.
 *
 * The window is a ring of ZEQ_REPLAY_BITMAP_BITS bits (129 words: the
 * 8192 counters below the top touch at most 129 words). Counters are stored
 * as counter + 1 so that 0 means "nothing received". When a counter beyond
 * the top arrives, the words between the old and the new top are cleared
 * (at most the whole ring) and the top moves; a counter more than
 * ZEQ_REPLAY_WINDOW below the top is rejected as too old.
 */

#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include "replay.h"

void zeq_replay_init(struct zeq_replay *r)
{
	spin_lock_init(&r->lock);
	r->top = 0;
	memset(r->bitmap, 0, sizeof(r->bitmap));
}

/**
 * zeq_replay_update - accept @counter into the window, once
 * @r: the window
 * @counter: counter of an authenticated packet
 *
 * Return: true if @counter is new and inside the window (now marked seen),
 * false if it is a replay or too old.
 */
bool zeq_replay_update(struct zeq_replay *r, u64 counter)
{
	u64 c = counter + 1;
	unsigned long word, old_word, n, i;
	bool fresh;

	if (unlikely(!c))
		return false;

	spin_lock_bh(&r->lock);
	if (unlikely(c + ZEQ_REPLAY_WINDOW < r->top)) {
		fresh = false;
		goto out;
	}
	word = c >> ilog2(BITS_PER_LONG);
	if (c > r->top) {
		old_word = r->top >> ilog2(BITS_PER_LONG);
		n = min_t(u64, word - old_word, ZEQ_REPLAY_WORDS);
		for (i = 1; i <= n; i++)
			r->bitmap[(old_word + i) % ZEQ_REPLAY_WORDS] = 0;
		r->top = c;
	}
	word %= ZEQ_REPLAY_WORDS;
	fresh = !test_and_set_bit(c & (BITS_PER_LONG - 1), &r->bitmap[word]);
out:
	spin_unlock_bh(&r->lock);
	return fresh;
}

#include "selftest/replay.c"
