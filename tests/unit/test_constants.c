// SPDX-License-Identifier: MIT
/* test_constants.c - the derived constants of include/zeq_constants.h. */
#include <math.h>

#include "unit.h"
#include "zeq.h"

static void cover_rate_is_12_87(void **state)
{
	(void)state;
	assert_true(fabs(ZEQ_COVER_RATE_DEFAULT_MHZ / 1000.0 - 12.87) <= 0.001);
}

static void zeqond_is_one_over_pulse(void **state)
{
	(void)state;
	assert_true(fabs((double)ZEQ_ZEQOND_NS - 1e9 / 1.287) <= 1.0);
}

static void ratchet_is_60_zeqonds(void **state)
{
	(void)state;
	assert_int_equal(ZEQ_RATCHET_PERIOD_NS, 60 * ZEQ_ZEQOND_NS);
	assert_true(fabs(ZEQ_RATCHET_PERIOD_NS / 1e9 - 60 / 1.287) < 1e-6);
}

static void key_limits(void **state)
{
	(void)state;
	assert_int_equal(ZEQ_KEY_USAGE_NOTIFY * 8, ZEQ_KEY_USAGE_LIMIT * 7);
	assert_int_equal(ZEQ_NONCE_LEN, 12);
	assert_int_equal(ZEQ_KEY_LEN, 32);
	assert_int_equal(ZEQ_SALT_LEN, 4);
	assert_true(ZEQ_KEY_MAX_AGE_MIN <= ZEQ_KEY_MAX_AGE_DEFAULT &&
		    ZEQ_KEY_MAX_AGE_DEFAULT <= ZEQ_KEY_MAX_AGE_MAX);
	/* 7/8 of the age limit, but 3 s before it at least */
	assert_int_equal(zeq_key_age_notify(ZEQ_KEY_MAX_AGE_MIN), 2);
	assert_int_equal(zeq_key_age_notify(10), 7);
	assert_int_equal(zeq_key_age_notify(31), 28);
	assert_int_equal(zeq_key_age_notify(32), 28);
	assert_int_equal(zeq_key_age_notify(40), 35);
	assert_int_equal(zeq_key_age_notify(ZEQ_KEY_MAX_AGE_DEFAULT), 75600);
	assert_int_equal(zeq_key_age_notify(ZEQ_KEY_MAX_AGE_MAX), 529200);
}

const struct CMUnitTest constants_tests[] = {
	cmocka_unit_test(cover_rate_is_12_87),
	cmocka_unit_test(zeqond_is_one_over_pulse),
	cmocka_unit_test(ratchet_is_60_zeqonds),
	cmocka_unit_test(key_limits),
};
const size_t constants_tests_n = N_TESTS(constants_tests);
