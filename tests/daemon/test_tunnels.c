// SPDX-License-Identifier: MIT
/*
 * test_tunnels.c - the sessions zeqd records for the tunnels it builds
 * (daemon/tunnels.c tunnels_session_up/down) in a real store: the row
 * holds the purpose pointer and no key, the secret lives in zsc_secrets,
 * and ending the session removes it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "test_store.h"
#include "tunnels.h"
#include "zsc.h"

#define PEER "00112233445566778899aabbccddeeff"

/* the one row of slug for PEER */
static int first(const struct ztunnel *t, void *arg)
{
	*(struct ztunnel *)arg = *t;
	return 1;
}

static void test_session_rows(void **state)
{
	struct fx *f = *state;
	uint8_t a[40], b[40], got[64];
	struct ztunnel t;
	int64_t start;
	size_t len;

	memset(a, 0xa1, sizeof(a));
	memset(b, 0xb2, sizeof(b));
	assert_int_equal(tunnels_session_up(f->s, ZEQ_TUNNELS_CONF_SLUG, PEER,
					    a, sizeof(a)), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(tunnels_list(f->s, ZEQ_TUNNELS_CONF_SLUG, first, &t), 1);
	assert_string_equal(t.peer, PEER);
	assert_string_equal(t.status, "up");
	assert_string_equal(t.purpose, "node/tunnel/" PEER);
	assert_true(t.start_zq > 0);
	start = t.start_zq;
	assert_int_equal(zsc_get(f->s, t.purpose, got, sizeof(got), &len), 0);
	assert_int_equal(len, sizeof(a));
	assert_memory_equal(got, a, sizeof(a));

	/* a ratchet: the state replaced, the row's start kept */
	assert_int_equal(tunnels_session_up(f->s, ZEQ_TUNNELS_CONF_SLUG, PEER,
					    b, sizeof(b)), 0);
	assert_int_equal(tunnels_list(f->s, ZEQ_TUNNELS_CONF_SLUG, first, &t), 1);
	assert_int_equal(t.start_zq, start);
	assert_int_equal(zsc_get(f->s, t.purpose, got, sizeof(got), &len), 0);
	assert_memory_equal(got, b, sizeof(b));

	/* the end: no secret, no pointer, "down" */
	assert_int_equal(tunnels_session_down(f->s, ZEQ_TUNNELS_CONF_SLUG,
					      PEER), 0);
	assert_int_equal(tunnels_list(f->s, ZEQ_TUNNELS_CONF_SLUG, first, &t), 1);
	assert_string_equal(t.status, "down");
	assert_string_equal(t.purpose, "");
	assert_true(t.stop_zq >= start);
	assert_int_equal(zsc_get(f->s, "node/tunnel/" PEER, got, sizeof(got),
				 &len), -ENOENT);
	/* twice is harmless; a bad id is refused */
	assert_int_equal(tunnels_session_down(f->s, ZEQ_TUNNELS_CONF_SLUG,
					      PEER), 0);
	assert_int_equal(tunnels_session_up(f->s, ZEQ_TUNNELS_CONF_SLUG,
					    "not-a-zid", a, sizeof(a)), -EINVAL);
	/* a state machine never sees the daemon's rows */
	assert_int_equal(tunnels_list(f->s, "config", first, &t), 0);
	/* up again: a new start */
	assert_int_equal(tunnels_session_up(f->s, ZEQ_TUNNELS_CONF_SLUG, PEER,
					    a, sizeof(a)), 0);
	assert_int_equal(tunnels_list(f->s, ZEQ_TUNNELS_CONF_SLUG, first, &t), 1);
	assert_string_equal(t.status, "up");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_rows, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
