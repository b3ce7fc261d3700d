// SPDX-License-Identifier: MIT
/*
 * test_ratelimit.c - per-source limit on new connections
 * (daemon/ratelimit.c), on a clock the test drives: bursts of 5, 20 per
 * second sustained, sources apart, an IPv6 /64 as one source and an
 * IPv4-mapped address as its IPv4 one, idle sources forgotten, a full
 * table refusing new sources until they age out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ratelimit.h"
#include "test_addr.h"

#define MS	1000000ULL
#define T0	(1000 * MS)

static bool allow(struct zeq_ratelimit *rl, const char *s, uint64_t now)
{
	struct sockaddr_storage ss = addr(s);

	return zeq_ratelimit_allow(rl, (struct sockaddr *)&ss, now);
}

static void test_burst_and_rate(void **state)
{
	struct zeq_ratelimit rl;
	int n = 0;

	(void)state;
	assert_int_equal(zeq_ratelimit_init(&rl, 64), 0);
	for (int i = 0; i < ZEQ_RL_BURST; i++)
		assert_true(allow(&rl, "192.0.2.1", T0));
	assert_false(allow(&rl, "192.0.2.1", T0));
	assert_false(allow(&rl, "192.0.2.1", T0 + 49 * MS));
	assert_true(allow(&rl, "192.0.2.1", T0 + 50 * MS));
	assert_false(allow(&rl, "192.0.2.1", T0 + 51 * MS));
	/* another source is not affected */
	assert_true(allow(&rl, "192.0.2.2", T0 + 51 * MS));
	/* 900 ms of quiet earn 18 tokens, but a bucket holds a burst */
	for (int i = 0; i < ZEQ_RL_BURST; i++)
		assert_true(allow(&rl, "192.0.2.1", T0 + 951 * MS));
	assert_false(allow(&rl, "192.0.2.1", T0 + 951 * MS));
	/* 10 s at 200 attempts per second: 20 per second get through */
	for (uint64_t t = T0 + 1000 * MS; t < T0 + 11000 * MS; t += 5 * MS)
		n += allow(&rl, "198.51.100.7", t);
	assert_in_range(n, ZEQ_RL_BURST + 199, ZEQ_RL_BURST + 200);
	zeq_ratelimit_free(&rl);
}

static void test_source_keys(void **state)
{
	struct zeq_ratelimit rl;

	(void)state;
	assert_int_equal(zeq_ratelimit_init(&rl, 64), 0);
	for (int i = 0; i < ZEQ_RL_BURST; i++)
		assert_true(allow(&rl, i % 2 ? "2001:db8:1:2::1" : "2001:db8:1:2:ffff::9",
				  T0));
	/* the same /64 is the same source; the next /64 is not */
	assert_false(allow(&rl, "2001:db8:1:2:abcd::1", T0));
	assert_true(allow(&rl, "2001:db8:1:3::1", T0));
	/* an IPv4-mapped address is its IPv4 address */
	for (int i = 0; i < ZEQ_RL_BURST; i++)
		assert_true(allow(&rl, "203.0.113.5", T0));
	assert_false(allow(&rl, "::ffff:203.0.113.5", T0));
	/* no other family */
	{
		struct sockaddr sa = { .sa_family = AF_UNIX };

		assert_false(zeq_ratelimit_allow(&rl, &sa, T0));
	}
	zeq_ratelimit_free(&rl);
}

static void test_table_full(void **state)
{
	struct zeq_ratelimit rl;
	char s[32];
	int ok = 0;

	(void)state;
	assert_int_equal(zeq_ratelimit_init(&rl, 16), 0);
	/* 16 slots: 8 sources at most within a second, then refused */
	for (int i = 1; i <= 12; i++) {
		snprintf(s, sizeof(s), "10.0.0.%d", i);
		ok += allow(&rl, s, T0 + (uint64_t)i * MS);
	}
	assert_int_equal(ok, 8);
	/* known sources still have their buckets */
	assert_true(allow(&rl, "10.0.0.1", T0 + 20 * MS));
	/* a second later they are forgotten: room again, buckets full */
	assert_true(allow(&rl, "10.0.0.11", T0 + 1100 * MS));
	for (int i = 0; i < ZEQ_RL_BURST; i++)
		assert_true(allow(&rl, "10.0.0.1", T0 + 1100 * MS));
	assert_false(allow(&rl, "10.0.0.1", T0 + 1100 * MS));
	zeq_ratelimit_free(&rl);
}

static void test_init_limits(void **state)
{
	struct zeq_ratelimit rl;

	(void)state;
	assert_int_equal(zeq_ratelimit_init(&rl, 8), -EINVAL);
	assert_int_equal(zeq_ratelimit_init(&rl, 48), -EINVAL);
	assert_int_equal(zeq_ratelimit_init(&rl, ZEQ_RL_SLOTS_DEFAULT), 0);
	zeq_ratelimit_free(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_and_rate),
		cmocka_unit_test(test_source_keys),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_init_limits),
	};

	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
