// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the replay window against a naive reference: a bitmap of
 * every counter ever accepted plus the highest one. Included by replay.c.
 */
#ifdef ZEQ_SELFTEST

#include <linux/bitmap.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define ZEQ_REPLAY_TEST_SPACE BIT(24)
#define ZEQ_REPLAY_TEST_STEPS 50000U

/* What the window must answer: new, and not more than WINDOW below top. */
static bool zeq_replay_reference(unsigned long *seen, u64 *top, u64 counter)
{
	u64 c = counter + 1;

	if (c + ZEQ_REPLAY_WINDOW < *top || test_bit(counter, seen))
		return false;
	set_bit(counter, seen);
	if (c > *top)
		*top = c;
	return true;
}

static u64 zeq_replay_next(u64 top, u32 r)
{
	unsigned int kind = r % 64;

	r >>= 6;
	if (kind < 32)		/* just ahead, or the top again */
		return top + r % 3;
	if (kind < 56)		/* inside the window, behind the top */
		return top - min_t(u64, top, r % (ZEQ_REPLAY_WINDOW + 2));
	if (kind < 63)		/* the window edge exactly */
		return top - min_t(u64, top, ZEQ_REPLAY_WINDOW - 1 + r % 3);
	/* a jump ahead, sometimes past the whole ring */
	return top + r % (2 * ZEQ_REPLAY_BITMAP_BITS);
}

/*
 * One randomized run with every counter offset by @base: the reference
 * works on the offsets, the window on the real counters.
 */
static unsigned int zeq_replay_selftest_run(struct zeq_replay *r,
					    unsigned long *seen, u64 base)
{
	u64 top = 0, counter;
	unsigned int i, failures = 0;
	bool want, got;

	zeq_replay_init(r);
	bitmap_zero(seen, ZEQ_REPLAY_TEST_SPACE);
	for (i = 0; i < ZEQ_REPLAY_TEST_STEPS; i++) {
		counter = zeq_replay_next(top ? top - 1 : 0, get_random_u32());
		if (counter >= ZEQ_REPLAY_TEST_SPACE)
			break;
		got = zeq_replay_update(r, base + counter);
		want = zeq_replay_reference(seen, &top, counter);
		if (got != want && failures++ < 8)
			pr_err("zeq: replay self-test %u: counter %llu+%llu top %llu: got %d want %d\n",
			       i, base, counter, top, got, want);
	}
	return failures;
}

bool zeq_replay_selftest(void)
{
	/*
	 * From the first counter; straddling the per-key usage limit (no
	 * counter can reach it, but the window must not care); and just
	 * below the top of the counter space.
	 */
	static const u64 bases[] = {
		0,
		ZEQ_KEY_USAGE_LIMIT - ZEQ_REPLAY_TEST_SPACE / 2,
		U64_MAX - ZEQ_REPLAY_TEST_SPACE,
	};
	struct zeq_replay *r;
	unsigned long *seen;
	unsigned int i, failures = 0;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	seen = vmalloc(BITS_TO_LONGS(ZEQ_REPLAY_TEST_SPACE) * sizeof(long));
	if (!r || !seen) {
		kfree(r);
		vfree(seen);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		failures += zeq_replay_selftest_run(r, seen, bases[i]);

	/* The counter that would wrap the stored top is always refused. */
	zeq_replay_init(r);
	if (zeq_replay_update(r, U64_MAX))
		failures++;
	if (!zeq_replay_update(r, U64_MAX - 1) || zeq_replay_update(r, 0))
		failures++;

	/* Exactly at the window edge: the oldest counter in, one more out. */
	zeq_replay_init(r);
	if (!zeq_replay_update(r, ZEQ_REPLAY_WINDOW + 100) ||
	    !zeq_replay_update(r, 100) || zeq_replay_update(r, 99) ||
	    zeq_replay_update(r, 100))
		failures++;

	kfree(r);
	vfree(seen);
	return !failures;
}

#endif /* ZEQ_SELFTEST */
