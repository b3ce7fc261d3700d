// SPDX-License-Identifier: MIT
/*
 * test_sni.c - the daily server-name rotation (daemon/sni.c): known
 * answers computed apart from it (Python's hashlib:
 * int.from_bytes(sha256(f"{zid}:{date}").digest(), "big") % n), the day
 * boundary in UTC, the pool-size limits, the spread over a fleet, and the
 * time of the next daily evaluation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

#include "sni.h"

#define ZID	"4f1c9a0e6b2d7f3856a1c0e9b7d24f61"
#define DAY	ZEQ_SNI_DAY_S

struct vector {
	const char *zid;
	time_t midnight;	/* 00:00:00 UTC of the day */
	size_t n;
	int want;
};

static const struct vector vectors[] = {
	/* 2026-12-05 */
	{ ZID, 1796428800, 1, 0 }, { ZID, 1796428800, 2, 0 },
	{ ZID, 1796428800, 3, 2 }, { ZID, 1796428800, 8, 2 },
	{ ZID, 1796428800, 64, 50 },
	/* 2026-12-06 */
	{ ZID, 1796515200, 2, 1 }, { ZID, 1796515200, 3, 1 },
	{ ZID, 1796515200, 8, 3 }, { ZID, 1796515200, 64, 11 },
	/* 2026-12-07, 2027-01-01, 2028-02-29 */
	{ ZID, 1796601600, 8, 4 }, { ZID, 1796601600, 64, 52 },
	{ ZID, 1798761600, 8, 4 }, { ZID, 1798761600, 64, 4 },
	{ ZID, 1835395200, 8, 6 }, { ZID, 1835395200, 64, 30 },
	/* 1970-01-01; 2038-01-19 and -20, either side of 32-bit time_t */
	{ "00000000000000000000000000000000", 0, 8, 4 },
	{ "ffffffffffffffffffffffffffffffff", 2147472000, 8, 6 },
	{ "ffffffffffffffffffffffffffffffff", 2147558400, 5, 2 },
};

static void test_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];

		/* the whole UTC day, and not the next one's */
		assert_int_equal(zeq_sni_index(v->zid, v->midnight, v->n),
				 v->want);
		assert_int_equal(zeq_sni_index(v->zid, v->midnight + 45296,
					       v->n), v->want);
		assert_int_equal(zeq_sni_index(v->zid, v->midnight + DAY - 1,
					       v->n), v->want);
	}
	/* 23:59:59 and 00:00:00 are different days */
	assert_int_equal(zeq_sni_index(ZID, 1796515200 - 1, 64), 50);
	assert_int_equal(zeq_sni_index(ZID, 1796515200, 64), 11);
}

static void test_pool_size_limits(void **state)
{
	(void)state;
	assert_int_equal(zeq_sni_index(ZID, 1796428800, 0), -1);
	assert_int_equal(zeq_sni_index(ZID, 1796428800, ZEQ_SNI_POOL_MAX + 1),
			 -1);
	assert_in_range(zeq_sni_index(ZID, 1796428800, ZEQ_SNI_POOL_MAX), 0,
			ZEQ_SNI_POOL_MAX - 1);
}

/* a fleet spreads over the pool, and a node's name changes over days */
static void test_spread(void **state)
{
	int count[8] = { 0 }, seen[8] = { 0 }, distinct = 0;
	char zid[40];

	(void)state;
	for (unsigned int i = 0; i < 8000; i++) {
		snprintf(zid, sizeof(zid), "%032x", i);
		count[zeq_sni_index(zid, 1796428800, 8)]++;
	}
	/* 1,000 expected, standard deviation about 30 */
	for (int b = 0; b < 8; b++)
		assert_in_range(count[b], 850, 1150);
	for (int d = 0; d < 64; d++) {
		int b = zeq_sni_index(ZID, 1796428800 + (time_t)d * DAY, 8);

		distinct += !seen[b]++;
	}
	assert_true(distinct >= 6);
}

static void test_next_eval(void **state)
{
	const time_t day = 1796428800;

	(void)state;
	/* before the window: today, 04:00 + rnd */
	assert_int_equal(zeq_sni_next_eval(day + 3 * 3600, 0), day + 4 * 3600);
	assert_int_equal(zeq_sni_next_eval(day, 7199), day + 6 * 3600 - 1);
	assert_int_equal(zeq_sni_next_eval(day, 7200), day + 4 * 3600);
	/* in the window: today if the moment is still to come */
	assert_int_equal(zeq_sni_next_eval(day + 5 * 3600, 3601),
			 day + 5 * 3600 + 1);
	assert_int_equal(zeq_sni_next_eval(day + 5 * 3600, 0),
			 day + DAY + 4 * 3600);
	/* strictly after now */
	assert_int_equal(zeq_sni_next_eval(day + 4 * 3600, 0),
			 day + DAY + 4 * 3600);
	/* after the window: tomorrow */
	assert_int_equal(zeq_sni_next_eval(day + DAY - 1, 60),
			 day + DAY + 4 * 3600 + 60);
	/* always ahead, within two days, inside the window */
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t rnd = i * 2654435761u;
		time_t now = day + (time_t)(i * 7919u % (3 * DAY));
		time_t at = zeq_sni_next_eval(now, rnd);
		time_t sod = at % DAY;

		assert_true(at > now && at <= now + DAY);
		assert_in_range(sod, ZEQ_SNI_EVAL_START_S,
				ZEQ_SNI_EVAL_START_S + ZEQ_SNI_EVAL_WINDOW_S - 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_pool_size_limits),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_next_eval),
	};

	return cmocka_run_group_tests_name("sni", tests, NULL, NULL);
}
