// SPDX-License-Identifier: MIT
/*
 * fuzz_firstreq.c - the first request on a control connection
 * (daemon/firstreq.c zeq_firstreq_parse), bytes from the network, fed
 * as the listener feeds them: every prefix in turn.
 *
 * Checks: once a prefix is judged, the verdict is final (no later prefix
 * judges it otherwise) and comes no later than it must; a token verdict
 * has a 116-character token that an independent scan of the head's
 * Cookie headers finds, a head ending in the blank line, and a GET; a
 * probe says why; a head longer than ZEQ_FIRSTREQ_MAX is never taken.
 */
#include "fuzz.h"

#include <strings.h>

#include "firstreq.h"

/* independently: does the head (n bytes) hold "zs=" + 116 chars as a cookie? */
static bool has_cookie_token(const char *h, size_t n, const char *token)
{
	char want[4 + ZEQ_MESHAUTH_TOKEN_LEN + 1];
	const char *p = h, *end = h + n;

	snprintf(want, sizeof(want), "zs=%s", token);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (len > 7 && !strncasecmp(p, "cookie:", 7) &&
		    memmem(p, len, want, strlen(want)))
			return true;
		p += len + 1;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	enum zeq_firstreq_verdict v = ZEQ_FR_MORE, w;
	struct zeq_firstreq r, first;
	size_t judged = 0;

	if (size > 2 * ZEQ_FIRSTREQ_MAX)
		return 0;
	for (size_t n = 0; n <= size; n++) {
		w = zeq_firstreq_parse(buf, n, &r);
		if (v == ZEQ_FR_MORE) {
			if (w != ZEQ_FR_MORE) {
				v = w;
				judged = n;
				first = r;
			}
			continue;
		}
		FUZZ_CHECK(w == v, "judged %d at %zu bytes, %d at %zu", v, judged,
			   w, n);
		if (v == ZEQ_FR_TOKEN)
			FUZZ_CHECK(r.head_len == first.head_len &&
				   !strcmp(r.token, first.token),
				   "more bytes changed the token or the head");
	}
	if (v == ZEQ_FR_MORE) {
		FUZZ_CHECK(size < ZEQ_FIRSTREQ_MAX && !memmem(buf, size, "\r\n\r\n", 4),
			   "%zu bytes with a blank line or at the limit, undecided",
			   size);
		return 0;
	}
	if (v == ZEQ_FR_PROBE) {
		FUZZ_CHECK(first.why && *first.why, "a probe without a reason");
		return 0;
	}
	FUZZ_CHECK(judged == first.head_len && judged <= ZEQ_FIRSTREQ_MAX &&
		   judged >= 4 && !memcmp(buf + judged - 4, "\r\n\r\n", 4) &&
		   !memmem(buf, judged - 4, "\r\n\r\n", 4),
		   "a token judged at %zu bytes, head %zu", judged, first.head_len);
	FUZZ_CHECK(!strncmp(buf, "GET ", 4), "a token from another method");
	FUZZ_CHECK(strlen(first.token) == ZEQ_MESHAUTH_TOKEN_LEN,
		   "token of %zu characters", strlen(first.token));
	FUZZ_CHECK(has_cookie_token(buf, judged, first.token),
		   "a token that no Cookie header holds");
	return 0;
}
