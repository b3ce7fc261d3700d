// SPDX-License-Identifier: MIT
/*
 * test_firstreq.c - the first request on a control connection
 * (daemon/firstreq.c): the initiator's request is read back as a token,
 * at every split; everything else is a probe, garbage as soon as its
 * first bytes show it, and each says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "firstreq.h"

#define TOKEN "zma1" \
	"000000006b135400a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" \
	"a159772036ce05264a075b7d217dafb8c50625c999517cf85ad038a47ce6b492"

static enum zeq_firstreq_verdict parse(const char *s, struct zeq_firstreq *r)
{
	return zeq_firstreq_parse(s, strlen(s), r);
}

static void assert_probe(const char *req, const char *why)
{
	struct zeq_firstreq r;

	assert_int_equal(parse(req, &r), ZEQ_FR_PROBE);
	assert_string_equal(r.why, why);
}

static void test_round_trip(void **state)
{
	char req[1024];
	struct zeq_firstreq r;
	int n;

	(void)state;
	assert_int_equal((int)strlen(TOKEN), ZEQ_MESHAUTH_TOKEN_LEN);
	n = zeq_firstreq_make("cdn.example.net", TOKEN, req, sizeof(req));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(req));
	assert_non_null(strstr(req, "Host: cdn.example.net\r\n"));
	/* every prefix wants more; the whole is the token */
	for (int i = 0; i < n; i++)
		assert_int_equal(zeq_firstreq_parse(req, (size_t)i, &r),
				 ZEQ_FR_MORE);
	assert_int_equal(zeq_firstreq_parse(req, (size_t)n, &r), ZEQ_FR_TOKEN);
	assert_string_equal(r.token, TOKEN);
	assert_int_equal(r.head_len, (size_t)n);
	assert_true(r.http);
	assert_false(r.head);
	/* what follows the head is not part of it */
	memcpy(req + n, "\x01\x02", 3);
	assert_int_equal(zeq_firstreq_parse(req, (size_t)n + 2, &r), ZEQ_FR_TOKEN);
	assert_int_equal(r.head_len, (size_t)n);
	/* too small a buffer */
	assert_int_equal(zeq_firstreq_make("a.example", TOKEN, req, 100), -1);
}

static void test_cookie_forms(void **state)
{
	struct zeq_firstreq r;

	(void)state;
	/* among other cookies, any case of the header name */
	assert_int_equal(parse("GET /x HTTP/1.1\r\nHost: a\r\ncookie: a=1; zs="
			       TOKEN "; b=2\r\n\r\n", &r), ZEQ_FR_TOKEN);
	assert_string_equal(r.token, TOKEN);
	assert_int_equal(parse("GET / HTTP/1.0\r\nCOOKIE:zs=" TOKEN "\r\n\r\n",
			       &r), ZEQ_FR_TOKEN);
	/* a token one character short or long, or under another name */
	assert_probe("GET / HTTP/1.1\r\nCookie: zs=" TOKEN "0\r\n\r\n", "no token");
	assert_probe("GET / HTTP/1.1\r\nCookie: zs=zma1\r\n\r\n", "no token");
	assert_probe("GET / HTTP/1.1\r\nCookie: xzs=" TOKEN "\r\n\r\n", "no token");
	assert_probe("GET / HTTP/1.1\r\nX-Cookie: zs=" TOKEN "\r\n\r\n", "no token");
	assert_probe("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "no token");
}

static void test_probes(void **state)
{
	struct zeq_firstreq r;
	char big[ZEQ_FIRSTREQ_MAX + 16];

	(void)state;
	/* garbage is told at its first byte */
	assert_probe("\x01", "not HTTP");
	assert_probe(" GET", "not HTTP");
	assert_probe("get / HTTP/1.1\r\n\r\n", "not HTTP");
	assert_int_equal(zeq_firstreq_parse("GET\0", 4, &r), ZEQ_FR_PROBE);
	assert_string_equal(r.why, "not HTTP");
	assert_probe("ABCDEFGHIJKLMNOPQ", "not HTTP");	/* 17 letters, no space */
	assert_int_equal(parse("ABCDEFGHIJKLMNOP", &r), ZEQ_FR_MORE);
	assert_probe("GET / HTTP/1.1\r\nHost: \x7f\r\n", "not HTTP");
	/* whole heads that are not a GET with a token */
	assert_probe("POST / HTTP/1.1\r\nCookie: zs=" TOKEN "\r\n\r\n", "not a GET");
	assert_probe("HEAD / HTTP/1.1\r\n\r\n", "not a GET");
	assert_int_equal(parse("HEAD / HTTP/1.1\r\n\r\n", &r), ZEQ_FR_PROBE);
	assert_true(r.head);
	assert_true(r.http);
	assert_probe("GET / HTTP/2.0\r\n\r\n", "not HTTP/1.x");
	assert_probe("GET / FTP/1.1\r\n\r\n", "not HTTP/1.x");
	assert_probe("GET  HTTP/1.1\r\n\r\n", "no request target");
	assert_probe("GET /\r\n\r\n", "no request target");
	assert_probe("GET / HTTP/1.1\n\r\n\r\n", "no request line");
	assert_probe("GET / HTTP/1.1\r\nno colon\r\n\r\n", "malformed header");
	assert_probe("GET / HTTP/1.1\r\nA: b\rc: d\r\n\r\n", "malformed header");
	/* a head that never ends */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	assert_int_equal(zeq_firstreq_parse(big, ZEQ_FIRSTREQ_MAX - 1, &r),
			 ZEQ_FR_MORE);
	assert_int_equal(zeq_firstreq_parse(big, ZEQ_FIRSTREQ_MAX, &r),
			 ZEQ_FR_PROBE);
	assert_string_equal(r.why, "request too long");
	assert_false(r.http);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_cookie_forms),
		cmocka_unit_test(test_probes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
