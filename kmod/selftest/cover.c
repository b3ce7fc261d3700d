// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the cover schedule (zeq_cover_next()): exact when on time,
 * never an expiry at or before the callback's time when behind, the
 * backlog caught up without loss when the CPU can, a new schedule past
 * the lag limit, the idle look. Included by cover.c.
 */
#ifdef ZEQ_SELFTEST

#define ZEQ_COVER_TEST_RATE	(1000 * ZEQ_MILLI)	/* 1,000/s: 1 ms */
#define ZEQ_COVER_TEST_PERIOD	NSEC_PER_MSEC

/*
 * A timer that fires when asked, or @cost ns after its last callback began
 * if that is later (a callback costs @cost), starting @late ns behind its
 * schedule; @steps callbacks. Returns the failures; *@resets counts new
 * schedules, *@clamped the expiries moved to just after the callback.
 */
static unsigned int zeq_cover_selftest_run(u64 late, u64 cost,
					   unsigned int steps,
					   unsigned int *resets,
					   unsigned int *clamped)
{
	ktime_t start = 0, now = late + ZEQ_COVER_TEST_PERIOD, due;
	unsigned int i, failures = 0;
	u64 n = 1;

	*resets = 0;
	*clamped = 0;
	for (i = 0; i < steps; i++) {
		due = zeq_cover_next(&start, &n, now, ZEQ_COVER_TEST_RATE,
				     true);
		if (!ktime_after(due, now) && failures++ < 4)
			pr_err("zeq: cover self-test: expiry %lld at or before the callback at %lld\n",
			       due, now);
		if (n == 1)
			(*resets)++;
		else if (due != ktime_add_ns(start, n * ZEQ_COVER_TEST_PERIOD))
			(*clamped)++;
		now = max_t(ktime_t, due, ktime_add_ns(now, cost));
	}
	return failures;
}

bool zeq_cover_selftest(void)
{
	unsigned int failures = 0, resets, clamped;
	ktime_t start = 0, due;
	u64 n = 1;

	/* on time: packet n exactly n ms after the start, no drift */
	failures += zeq_cover_selftest_run(0, 0, 10000, &resets, &clamped);
	if (resets || clamped)
		failures++;
	/*
	 * 300 ms behind, callbacks of 0.1 ms: one packet per callback until
	 * on schedule again (300 / 0.9 ~ 334 callbacks), none skipped
	 */
	failures += zeq_cover_selftest_run(300 * NSEC_PER_MSEC,
					   NSEC_PER_MSEC / 10, 2000,
					   &resets, &clamped);
	if (resets || clamped < 330 || clamped > 340)
		failures++;
	/* callbacks of 2 ms at 1 ms: behind ever more, then a new schedule */
	failures += zeq_cover_selftest_run(0, 2 * NSEC_PER_MSEC, 5000,
					   &resets, &clamped);
	if (!resets || resets > 10)
		failures++;
	/* a guest suspended for 5 s: a new schedule from the callback on */
	due = zeq_cover_next(&start, &n, 5 * ZEQ_NSEC_PER_SEC,
			     ZEQ_COVER_TEST_RATE, true);
	if (n != 1 || start != 5 * ZEQ_NSEC_PER_SEC ||
	    due != start + ZEQ_COVER_TEST_PERIOD)
		failures++;
	/* nothing to send with: look again in ZEQ_COVER_IDLE_NS */
	due = zeq_cover_next(&start, &n, start + ZEQ_COVER_TEST_PERIOD,
			     ZEQ_COVER_TEST_RATE, false);
	if (n || due != start ||
	    due != 5 * ZEQ_NSEC_PER_SEC + ZEQ_COVER_TEST_PERIOD +
		   ZEQ_COVER_IDLE_NS)
		failures++;
	if (failures)
		pr_err("zeq: cover self-test: %u failures\n", failures);
	return !failures;
}

#endif /* ZEQ_SELFTEST */
