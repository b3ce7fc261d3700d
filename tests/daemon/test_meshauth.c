// SPDX-License-Identifier: MIT
/*
 * test_meshauth.c - first-request tokens (daemon/meshauth.c): known
 * answers made apart from it (Python's hmac), round trip, and every
 * refusal: another secret, another context (channel), a flipped bit,
 * malformed text, too old, from the future, replayed, and the replay
 * table full; expired nonces leave the table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "meshauth.h"

#define T0	1796428800	/* 2026-12-05 00:00:00 UTC */
#define CTX	((const uint8_t *)"exporter-0123")
#define CTXLEN	13

/* secret bytes 0..31, ts T0, nonce a0..af (Python hmac) */
static const char kat_ctx[] = "zma1000000006b135400a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	"a159772036ce05264a075b7d217dafb8c50625c999517cf85ad038a47ce6b492";
static const char kat_noctx[] = "zma1000000006b135400a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	"daca573a60e4caacaec14c8ac1cd79f35d462707d171c7c313513044f902b80f";

static uint8_t secret[32];

static int setup(void **state)
{
	static struct zeq_meshauth_seen seen;

	for (int i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	if (zeq_meshauth_seen_init(&seen, 64))
		return -1;
	*state = &seen;
	return 0;
}

static int teardown(void **state)
{
	zeq_meshauth_seen_free(*state);
	return 0;
}

static int check(struct zeq_meshauth_seen *seen, time_t now,
		 const uint8_t *ctx, size_t ctxlen, const char *tok,
		 const char **why)
{
	return zeq_meshauth_check(secret, sizeof(secret), now, ctx, ctxlen,
				  tok, seen, why);
}

static void test_known_answers(void **state)
{
	struct zeq_meshauth_seen fresh;
	const char *why;

	assert_int_equal(check(*state, T0, CTX, CTXLEN, kat_ctx, &why), 0);
	assert_null(why);
	/* the same token again */
	assert_int_equal(check(*state, T0 + 1, CTX, CTXLEN, kat_ctx, &why),
			 -EACCES);
	assert_string_equal(why, "replayed");
	/* the nonce is spent, whatever the MAC was made over */
	assert_int_equal(check(*state, T0 + 5, NULL, 0, kat_noctx, &why),
			 -EACCES);
	assert_string_equal(why, "replayed");
	assert_int_equal(zeq_meshauth_seen_init(&fresh, 16), 0);
	assert_int_equal(check(&fresh, T0 + 5, NULL, 0, kat_noctx, &why), 0);
	zeq_meshauth_seen_free(&fresh);
}

static void test_round_trip_and_refusals(void **state)
{
	char tok[ZEQ_MESHAUTH_TOKEN_LEN + 1], bad[ZEQ_MESHAUTH_TOKEN_LEN + 2];
	uint8_t other[32];
	const char *why;

	assert_int_equal(zeq_meshauth_make(secret, sizeof(secret), T0, CTX,
					   CTXLEN, tok), 0);
	assert_int_equal(strlen(tok), ZEQ_MESHAUTH_TOKEN_LEN);
	/* another secret, another channel: wrong MAC; nothing recorded */
	memcpy(other, secret, sizeof(other));
	other[31] ^= 1;
	assert_int_equal(zeq_meshauth_check(other, sizeof(other), T0, CTX,
					    CTXLEN, tok, *state, &why), -EACCES);
	assert_string_equal(why, "wrong MAC");
	assert_int_equal(check(*state, T0, CTX, CTXLEN - 1, tok, &why),
			 -EACCES);
	assert_string_equal(why, "wrong MAC");
	/* any one hex digit changed */
	for (size_t i = 4; i < ZEQ_MESHAUTH_TOKEN_LEN; i++) {
		strcpy(bad, tok);
		bad[i] = bad[i] == '0' ? '1' : '0';
		assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why),
				 -EACCES);
	}
	/* malformed: prefix, length, upper case, not hex */
	strcpy(bad, tok);
	bad[3] = '2';
	assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why), -EACCES);
	assert_string_equal(why, "malformed");
	strcpy(bad, tok);
	bad[ZEQ_MESHAUTH_TOKEN_LEN - 1] = '\0';
	assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why), -EACCES);
	strcpy(bad, tok);
	strcat(bad, "0");
	assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why), -EACCES);
	assert_string_equal(why, "malformed");
	strcpy(bad, tok);
	bad[10] = 'A';
	assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why), -EACCES);
	bad[10] = 'g';
	assert_int_equal(check(*state, T0, CTX, CTXLEN, bad, &why), -EACCES);
	assert_string_equal(why, "malformed");
	assert_int_equal(check(*state, T0, CTX, CTXLEN, "", &why), -EACCES);
	/* clocks: at the edges of the window yes, beyond no */
	assert_int_equal(check(*state, T0 + ZEQ_MESHAUTH_SKEW_S + 1, CTX,
			       CTXLEN, tok, &why), -EACCES);
	assert_string_equal(why, "stale");
	assert_int_equal(check(*state, T0 - ZEQ_MESHAUTH_SKEW_S - 1, CTX,
			       CTXLEN, tok, &why), -EACCES);
	assert_string_equal(why, "stale");
	assert_int_equal(check(*state, T0 + ZEQ_MESHAUTH_SKEW_S, CTX, CTXLEN,
			       tok, &why), 0);
	assert_int_equal(check(*state, T0 + ZEQ_MESHAUTH_SKEW_S, CTX, CTXLEN,
			       tok, &why), -EACCES);
	assert_string_equal(why, "replayed");
	/* a short secret is refused outright */
	assert_int_equal(zeq_meshauth_make(secret, 31, T0, NULL, 0, tok),
			 -EINVAL);
}

static void test_table_full_and_expiry(void **state)
{
	struct zeq_meshauth_seen *seen = *state;
	char tok[ZEQ_MESHAUTH_TOKEN_LEN + 1], first[ZEQ_MESHAUTH_TOKEN_LEN + 1];
	const char *why;
	const time_t t = T0 + 100000;
	size_t accepted = 0;

	/* 64 slots: 32 live nonces at most, then fail closed */
	for (int i = 0; i < 40; i++) {
		assert_int_equal(zeq_meshauth_make(secret, sizeof(secret), t,
						   NULL, 0, tok), 0);
		if (!i)
			strcpy(first, tok);
		if (!check(seen, t, NULL, 0, tok, &why))
			accepted++;
		else
			assert_string_equal(why, "too many tokens in the window");
	}
	/* earlier tests left some, all expired by now */
	assert_int_equal(accepted, 32);
	assert_int_equal(check(seen, t + 1, NULL, 0, first, &why), -EACCES);
	assert_string_equal(why, "replayed");
	/* once they expire, room again, and an old replay is merely stale */
	assert_int_equal(zeq_meshauth_make(secret, sizeof(secret),
					   t + 2 * ZEQ_MESHAUTH_SKEW_S + 1,
					   NULL, 0, tok), 0);
	assert_int_equal(check(seen, t + 2 * ZEQ_MESHAUTH_SKEW_S + 1, NULL, 0,
			       tok, &why), 0);
	assert_int_equal(check(seen, t + 2 * ZEQ_MESHAUTH_SKEW_S + 1, NULL, 0,
			       first, &why), -EACCES);
	assert_string_equal(why, "stale");
	assert_int_equal(seen->t.used, 1);
}

static void test_init_limits(void **state)
{
	struct zeq_meshauth_seen s;

	(void)state;
	assert_int_equal(zeq_meshauth_seen_init(&s, 8), -EINVAL);
	assert_int_equal(zeq_meshauth_seen_init(&s, 100), -EINVAL);
	assert_int_equal(zeq_meshauth_seen_init(&s, 1024), 0);
	zeq_meshauth_seen_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_round_trip_and_refusals),
		cmocka_unit_test(test_table_full_and_expiry),
		cmocka_unit_test(test_init_limits),
	};

	return cmocka_run_group_tests_name("meshauth", tests, setup, teardown);
}
