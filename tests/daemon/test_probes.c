// SPDX-License-Identifier: MIT
/*
 * test_probes.c - the probes table (daemon/probes.c) in a real store: one
 * row per source and kind, counted; an IPv6 /64 as one source, an
 * IPv4-mapped address as its IPv4 one; most recent first; the table kept
 * to ZEQ_PROBES_MAX rows, the oldest going first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/rand.h>

#include "probes.h"
#include "test_addr.h"
#include "test_store.h"

static void rec(struct fx *f, const char *a, const char *kind,
		const char *detail, int64_t t)
{
	struct sockaddr_storage ss = addr(a);

	assert_int_equal(zeq_probes_record(f->s, (struct sockaddr *)&ss, kind,
					   detail, t), 0);
}

struct rows {
	struct zeq_probe p[8];
	int n;
	int64_t oldest;
};

static int collect(const struct zeq_probe *p, void *arg)
{
	struct rows *r = arg;

	if (r->n < 8)
		r->p[r->n] = *p;
	if (!r->n || p->last_seen < r->oldest)
		r->oldest = p->last_seen;
	r->n++;
	return 0;
}

static void test_rows(void **state)
{
	struct fx *f = *state;
	struct rows r = { 0 };

	rec(f, "192.0.2.7", ZEQ_PROBE_PLAIN, "no token", 100);
	rec(f, "::ffff:192.0.2.7", ZEQ_PROBE_PLAIN, "not a GET", 105);
	rec(f, "2001:db8:1:2::1", ZEQ_PROBE_BAD_TOKEN, "stale", 110);
	rec(f, "2001:db8:1:2:ffff::9", ZEQ_PROBE_BAD_TOKEN, "wrong MAC", 120);
	rec(f, "2001:db8:1:3::1", ZEQ_PROBE_SLOW, "sent nothing", 90);
	rec(f, "192.0.2.7", ZEQ_PROBE_GARBAGE, "not HTTP", 101);
	assert_int_equal(zeq_probes_list(f->s, collect, &r), 0);
	assert_int_equal(r.n, 4);
	/* most recent first */
	assert_string_equal(r.p[0].source, "2001:db8:1:2::/64");
	assert_string_equal(r.p[0].kind, "bad-token");
	assert_int_equal(r.p[0].count, 2);
	assert_int_equal(r.p[0].first_seen, 110);
	assert_int_equal(r.p[0].last_seen, 120);
	assert_string_equal(r.p[0].detail, "wrong MAC");
	assert_string_equal(r.p[1].source, "192.0.2.7");
	assert_string_equal(r.p[1].kind, "plain");
	assert_int_equal(r.p[1].count, 2);
	assert_string_equal(r.p[1].detail, "not a GET");
	assert_string_equal(r.p[2].kind, "garbage");
	assert_string_equal(r.p[3].source, "2001:db8:1:3::/64");
	assert_int_equal(r.p[3].count, 1);
}

static void test_cap(void **state)
{
	struct fx *f = *state;
	struct rows r = { 0 };
	char a[32];
	int i;

	assert_int_equal(zstore_begin(f->s), 0);
	for (i = 0; i < ZEQ_PROBES_MAX + 600; i++) {
		snprintf(a, sizeof(a), "10.%d.%d.%d", i >> 16, (i >> 8) & 255,
			 i & 255);
		rec(f, a, ZEQ_PROBE_SLOW, "sent nothing", 1000 + i);
	}
	assert_int_equal(zstore_commit(f->s), 0);
	assert_int_equal(zeq_probes_list(f->s, collect, &r), 0);
	assert_true(r.n >= ZEQ_PROBES_MAX);
	assert_true(r.n < ZEQ_PROBES_MAX + 256);
	/* the newest are kept, the oldest went */
	snprintf(a, sizeof(a), "10.0.%d.%d", ((ZEQ_PROBES_MAX + 599) >> 8) & 255,
		 (ZEQ_PROBES_MAX + 599) & 255);
	assert_string_equal(r.p[0].source, a);
	assert_int_equal(r.p[0].last_seen, 1000 + ZEQ_PROBES_MAX + 599);
	/* exactly the r.n most recent remain */
	assert_int_equal(r.oldest, 1000 + ZEQ_PROBES_MAX + 600 - r.n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
