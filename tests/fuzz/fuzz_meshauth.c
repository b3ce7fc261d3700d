// SPDX-License-Identifier: MIT
/*
 * fuzz_meshauth.c - the mesh token of a peer's first request
 * (daemon/meshauth.c zeq_meshauth_check), bytes from the network.
 *
 * Input: first byte 0: the rest is the token text (up to its first NUL);
 * first byte 1: the rest is XORed into a token just made for the same
 * secret, clock and context. Checks: a token is accepted only if it is
 * "zma1" and 112 lower-case hex digits whose MAC, recomputed here with
 * OpenSSL's one-shot HMAC, matches and whose time is within the skew;
 * accepted once, the same token again is "replayed"; a made token XORed
 * with a mask is accepted exactly when the mask is zero over it; every
 * refusal gives one of the documented reasons.
 */
#include "fuzz.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "meshauth.h"

#define NOW	1796428800
static const uint8_t ctx[] = "exporter-0123";
static uint8_t secret[32];

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* independently: is tok well formed, its MAC right and its time fresh? */
static bool valid(const char *tok)
{
	static const char label[] = "zeq mesh auth v1";
	uint8_t raw[ZEQ_MESHAUTH_RAW_LEN], msg[sizeof(label) + 24 + sizeof(ctx)];
	uint8_t mac[32];
	unsigned int maclen = 0;
	int64_t ts = 0;

	if (strlen(tok) != 116 || strncmp(tok, "zma1", 4))
		return false;
	for (int i = 0; i < ZEQ_MESHAUTH_RAW_LEN; i++) {
		int h = hexval(tok[4 + 2 * i]), l = hexval(tok[5 + 2 * i]);

		if (h < 0 || l < 0)
			return false;
		raw[i] = (uint8_t)(h * 16 + l);
	}
	memcpy(msg, label, sizeof(label));
	memcpy(msg + sizeof(label), raw, 24);
	memcpy(msg + sizeof(label) + 24, ctx, sizeof(ctx) - 1);
	if (!HMAC(EVP_sha256(), secret, sizeof(secret), msg,
		  sizeof(label) + 24 + sizeof(ctx) - 1, mac, &maclen))
		abort();
	if (CRYPTO_memcmp(mac, raw + 24, 32))
		return false;
	for (int i = 0; i < 8; i++)
		ts = ts * 256 + raw[i];
	return ts >= NOW - ZEQ_MESHAUTH_SKEW_S && ts <= NOW + ZEQ_MESHAUTH_SKEW_S;
}

static bool known_reason(const char *why)
{
	static const char *const reasons[] = {
		"malformed", "wrong MAC", "stale", "replayed",
		"too many tokens in the window",
	};

	for (size_t i = 0; why && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(why, reasons[i]))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zeq_meshauth_seen seen;
	char tok[ZEQ_MESHAUTH_TOKEN_LEN + 64];
	const char *why;
	bool zero = true;
	int rc;

	if (!size || data[0] > 1 || size - 1 >= sizeof(tok))
		return 0;
	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)i;
	if (zeq_meshauth_seen_init(&seen, 16))
		abort();
	if (data[0] == 0) {
		memcpy(tok, data + 1, size - 1);
		tok[size - 1] = '\0';
	} else {
		FUZZ_CHECK(!zeq_meshauth_make(secret, sizeof(secret), NOW, ctx,
					      sizeof(ctx) - 1, tok),
			   "make failed");
		for (size_t i = 1; i < size; i++) {
			if (i - 1 < ZEQ_MESHAUTH_TOKEN_LEN) {
				tok[i - 1] ^= (char)data[i];
				zero &= !data[i];
			}
		}
		/* a token ends at its first NUL */
		zero &= !memchr(tok, '\0', ZEQ_MESHAUTH_TOKEN_LEN);
	}
	rc = zeq_meshauth_check(secret, sizeof(secret), NOW, ctx,
				sizeof(ctx) - 1, tok, &seen, &why);
	FUZZ_CHECK(rc == 0 || rc == -EACCES, "rc %d", rc);
	FUZZ_CHECK((rc == 0) == valid(tok), "accepted %d, valid %d", rc == 0,
		   valid(tok));
	if (data[0] == 1)
		FUZZ_CHECK((rc == 0) == zero, "mask zero %d, accepted %d",
			   zero, rc == 0);
	if (rc) {
		FUZZ_CHECK(known_reason(why), "reason '%s'", why ? why : "(null)");
	} else {
		FUZZ_CHECK(!why, "accepted with a reason");
		rc = zeq_meshauth_check(secret, sizeof(secret), NOW + 1, ctx,
					sizeof(ctx) - 1, tok, &seen, &why);
		FUZZ_CHECK(rc == -EACCES && why && !strcmp(why, "replayed"),
			   "second use: %d", rc);
	}
	zeq_meshauth_seen_free(&seen);
	return 0;
}
