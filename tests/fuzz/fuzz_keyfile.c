// SPDX-License-Identifier: MIT
/*
 * fuzz_keyfile.c - key files (zeq_parse_keyfile: "tx-key <64 hex>",
 * "tx-salt <8 hex>", "rx-key ...", "rx-salt ...", comments, blank lines),
 * and the writer genkey uses (zeq_format_keyfile).
 *
 * Input: the file's bytes (any bytes, NULs included; not NUL-terminated).
 * Checks: a file that parses sets all four fields, with different tx and
 * rx keys, and written back out it parses to the same keys; a file that
 * does not parse leaves no key byte or field mark behind, says why, and
 * the reason never echoes a run of 8 or more hex digits from the file
 * (that could be key material: a salt is 8 hex digits); reverse swaps
 * the directions.
 * The first 72 bytes of a long enough input are also used as key bytes
 * for a format -> parse round trip.
 *
 * The same bytes as a header protection key file (zeq_parse_secret: 64
 * hex digits or 44 base64 characters): a key read is exactly what the
 * text says (the text, trimmed, is the key's hex in any case or its
 * canonical base64), a refused text leaves the key untouched, says why
 * and echoes no hex of the file.
 */
#include "fuzz.h"

#include <ctype.h>
#include <strings.h>

#include "parse.h"

#define KEY_BITS (ZEQ_BIT(ZEQ_A_KEYCONF_TX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_TX_SALT) | \
		  ZEQ_BIT(ZEQ_A_KEYCONF_RX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_RX_SALT))

static bool keys_equal(const struct zeq_keyconf *a, const struct zeq_keyconf *b)
{
	return !memcmp(a->tx_key, b->tx_key, ZEQ_KEY_LEN) &&
	       !memcmp(a->tx_salt, b->tx_salt, ZEQ_SALT_LEN) &&
	       !memcmp(a->rx_key, b->rx_key, ZEQ_KEY_LEN) &&
	       !memcmp(a->rx_salt, b->rx_salt, ZEQ_SALT_LEN);
}

/* Formats kc, parses it back: the same keys. */
static void round_trip(const struct zeq_keyconf *kc)
{
	struct zeq_keyconf back = { 0 };
	char text[512], why[ZEQ_WHY_LEN];
	int len = zeq_format_keyfile(kc, text, sizeof(text));

	FUZZ_CHECK(len > 0 && (size_t)len < sizeof(text), "format: %d", len);
	FUZZ_CHECK(strlen(text) == (size_t)len, "format: length");
	FUZZ_CHECK(zeq_parse_keyfile(text, (size_t)len, &back, why,
				     sizeof(why)) == 0,
		   "a written key file does not parse: %s", why);
	FUZZ_CHECK(keys_equal(kc, &back), "a written key file reads back "
		   "different keys");
	/* the other end's view ("reverse"): tx and rx swapped, and back */
	zeq_keyconf_reverse(&back);
	FUZZ_CHECK(!memcmp(back.tx_key, kc->rx_key, ZEQ_KEY_LEN) &&
		   !memcmp(back.rx_key, kc->tx_key, ZEQ_KEY_LEN) &&
		   !memcmp(back.tx_salt, kc->rx_salt, ZEQ_SALT_LEN) &&
		   !memcmp(back.rx_salt, kc->tx_salt, ZEQ_SALT_LEN),
		   "reverse does not swap tx and rx");
	zeq_keyconf_reverse(&back);
	FUZZ_CHECK(keys_equal(kc, &back), "reverse twice is not the identity");
	/* and the short buffers genkey never uses are refused, not overrun */
	for (size_t n = 0; n < (size_t)len + 1; n += 37) {
		char *small = malloc(n ? n : 1);

		if (!small)
			abort();
		FUZZ_CHECK(zeq_format_keyfile(kc, small, n) == -1,
			   "format into %zu bytes succeeded", n);
		free(small);
	}
}

/* Longest run of hex digits in why that also occurs in the file. */
static size_t echoed_hex(const char *why, const uint8_t *data, size_t size)
{
	size_t best = 0;

	for (const char *p = why; *p;) {
		size_t n = 0;

		while (isxdigit((unsigned char)p[n]))
			n++;
		if (n >= 8 && n > best && memmem(data, size, p, n))
			best = n;
		p += n ? n : 1;
	}
	return best;
}

/* Canonical base64 (RFC 4648, padded) of n bytes into out. */
static void b64_encode(const uint8_t *in, size_t n, char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 |
			     (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);

		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		*out++ = i + 2 < n ? abc[v & 63] : '=';
	}
	*out = '\0';
}

static void check_secret(const uint8_t *data, size_t size, const char *buf)
{
	uint8_t key[ZEQ_HP_KEY_LEN], sentinel[ZEQ_HP_KEY_LEN];
	char why[ZEQ_WHY_LEN], hex[2 * ZEQ_HP_KEY_LEN + 1];
	char b64[(ZEQ_HP_KEY_LEN + 2) / 3 * 4 + 1];
	size_t lo = 0, hi = size;
	int ret;

	memset(sentinel, 0xc5, sizeof(sentinel));
	memcpy(key, sentinel, sizeof(key));
	memset(why, 0, sizeof(why));
	ret = zeq_parse_secret(buf, size, key, sizeof(key), why, sizeof(why));
	if (ret) {
		FUZZ_CHECK(ret == -1, "secret: returned %d", ret);
		FUZZ_CHECK(why[0] && fuzz_terminated(why, sizeof(why)),
			   "secret: error without a reason");
		FUZZ_CHECK(!memcmp(key, sentinel, sizeof(key)),
			   "secret: key written on error");
		FUZZ_CHECK(echoed_hex(why, data, size) == 0,
			   "secret: the error echoes hex digits: %s", why);
		return;
	}
	while (hi > lo && isspace(data[hi - 1]))
		hi--;
	while (lo < hi && isspace(data[lo]))
		lo++;
	for (size_t i = 0; i < sizeof(key); i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	b64_encode(key, sizeof(key), b64);
	FUZZ_CHECK((hi - lo == strlen(hex) &&
		    !strncasecmp((const char *)data + lo, hex, strlen(hex))) ||
		   (hi - lo == strlen(b64) &&
		    !memcmp(data + lo, b64, strlen(b64))),
		   "secret: read a key that is neither the text's hex nor its "
		   "base64");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[ZEQ_KEY_LEN];
	struct zeq_keyconf kc;
	char why[ZEQ_WHY_LEN];
	char *buf = malloc(size ? size : 1);	/* exactly size: ASan bounds */
	int ret;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	memset(&kc, 0xee, sizeof(kc));
	kc.has = 0;
	memset(why, 0, sizeof(why));
	ret = zeq_parse_keyfile(buf, size, &kc, why, sizeof(why));
	if (ret == 0) {
		FUZZ_CHECK((kc.has & KEY_BITS) == KEY_BITS, "fields missing");
		FUZZ_CHECK(memcmp(kc.tx_key, kc.rx_key, ZEQ_KEY_LEN),
			   "tx-key == rx-key accepted");
		round_trip(&kc);
	} else {
		FUZZ_CHECK(ret == -1, "returned %d", ret);
		FUZZ_CHECK(why[0] && fuzz_terminated(why, sizeof(why)),
			   "error without a reason");
		FUZZ_CHECK(!(kc.has & KEY_BITS), "field marks left on error");
		FUZZ_CHECK(!memcmp(kc.tx_key, zero, ZEQ_KEY_LEN) &&
			   !memcmp(kc.rx_key, zero, ZEQ_KEY_LEN) &&
			   !memcmp(kc.tx_salt, zero, ZEQ_SALT_LEN) &&
			   !memcmp(kc.rx_salt, zero, ZEQ_SALT_LEN),
			   "key bytes left on error");
		FUZZ_CHECK(echoed_hex(why, data, size) == 0,
			   "the error echoes hex digits of the file: %s", why);
	}
	if (size >= 2 * ZEQ_KEY_LEN + 2 * ZEQ_SALT_LEN) {
		struct zeq_keyconf raw = { 0 };

		memcpy(raw.tx_key, data, ZEQ_KEY_LEN);
		memcpy(raw.rx_key, data + ZEQ_KEY_LEN, ZEQ_KEY_LEN);
		memcpy(raw.tx_salt, data + 2 * ZEQ_KEY_LEN, ZEQ_SALT_LEN);
		memcpy(raw.rx_salt, data + 2 * ZEQ_KEY_LEN + ZEQ_SALT_LEN,
		       ZEQ_SALT_LEN);
		if (memcmp(raw.tx_key, raw.rx_key, ZEQ_KEY_LEN))
			round_trip(&raw);
	}
	check_secret(data, size, buf);
	free(buf);
	return 0;
}
