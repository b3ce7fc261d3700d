// SPDX-License-Identifier: MIT
/*
 * fuzz_values.c - the value parsers of tools/parse.c on their own:
 * numbers (zeq_parse_u32: ids, ports, fwmark, keepalive, key-max-age),
 * endpoints (zeq_parse_endpoint) and prefixes (zeq_parse_prefix).
 *
 * Input: one selector byte, then the argument text (up to the first NUL,
 * as in argv). For numbers the selector also picks the range.
 * Checks: numbers agree with a reference parser written independently
 * (value, and which reason an error gives); endpoints and prefixes that
 * parse print in a canonical form that parses back to the same; a
 * prefix refused for its host bits suggests a prefix that parses; a
 * prefix whose address part is valid is not refused for its address; an
 * error always says why.
 */
#include "fuzz.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "parse.h"

/* The ranges zeqctl uses. */
static const struct { uint32_t min, max; } ranges[] = {
	{ 0, UINT16_MAX },				/* listen-port */
	{ 0, UINT32_MAX },				/* fwmark */
	{ ZEQ_KEY_MAX_AGE_MIN, ZEQ_KEY_MAX_AGE_MAX },	/* key-max-age */
	{ 1, ZEQ_PEER_ID_MAX },				/* peer id */
	{ 0, ZEQ_KEEPALIVE_MAX },			/* keepalive */
	{ 1, UINT32_MAX },				/* key id */
	{ 1, 65535 },					/* endpoint port */
	{ 0, 128 },					/* prefix length */
};
#define N_RANGES (sizeof(ranges) / sizeof(ranges[0]))

enum ref { REF_OK, REF_EMPTY, REF_NAN, REF_RANGE };

/*
 * Reference: decimal digits, or "0x"/"0X" and hex digits; any other
 * character anywhere makes it not a number; a number past min..max
 * (however long) is out of range.
 */
static enum ref ref_u32(const char *s, uint32_t min, uint32_t max,
			uint32_t *out)
{
	const char *digits = "0123456789", *p = s;
	unsigned int base = 10;
	uint64_t v = 0;
	bool big = false;

	if (!*s)
		return REF_EMPTY;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = "0123456789abcdefABCDEF";
		base = 16;
		p += 2;
		if (!*p)
			return REF_NAN;
	}
	if (strspn(p, digits) != strlen(p))
		return REF_NAN;
	for (; *p; p++) {
		unsigned int d = (unsigned int)(strchr("0123456789abcdef",
				 *p | 0x20) - "0123456789abcdef");

		if (!big) {
			v = v * base + d;
			big = v > UINT32_MAX;
		}
	}
	if (big || v < min || v > max)
		return REF_RANGE;
	*out = (uint32_t)v;
	return REF_OK;
}

static void check_u32(const char *s, uint8_t sel)
{
	uint32_t min = ranges[sel % N_RANGES].min, max = ranges[sel % N_RANGES].max;
	uint32_t got = 0xdeadbeef, want = 0;
	char why[ZEQ_WHY_LEN] = "", range[64];
	enum ref r = ref_u32(s, min, max, &want);
	int ret = zeq_parse_u32(s, min, max, &got, why, sizeof(why));

	snprintf(range, sizeof(range), "out of range (%u..%u)", min, max);
	switch (r) {
	case REF_OK:
		FUZZ_CHECK(ret == 0 && got == want, "\"%s\": want %u, got %d/%u "
			   "(%s)", s, want, ret, got, why);
		return;
	case REF_EMPTY:
		FUZZ_CHECK(ret < 0 && !strcmp(why, "empty"), "\"%s\": %s", s, why);
		break;
	case REF_NAN:
		FUZZ_CHECK(ret < 0 && !strcmp(why, "not a number"),
			   "\"%s\": want \"not a number\", got %d (%s)", s, ret, why);
		break;
	case REF_RANGE:
		FUZZ_CHECK(ret < 0 && !strcmp(why, range),
			   "\"%s\": want \"%s\", got %d (%s)", s, range, ret, why);
		break;
	}
	FUZZ_CHECK(got == 0xdeadbeef, "\"%s\": value written on error", s);
}

static void check_endpoint(const char *s)
{
	struct zeq_endpoint ep, back;
	char why[ZEQ_WHY_LEN] = "", text[ZEQ_ENDPOINT_STRLEN];

	if (zeq_parse_endpoint(s, &ep, why, sizeof(why)) < 0) {
		FUZZ_CHECK(why[0] && fuzz_terminated(why, sizeof(why)),
			   "\"%s\": error without a reason", s);
		return;
	}
	FUZZ_CHECK(ep.addr.family == AF_INET || ep.addr.family == AF_INET6,
		   "\"%s\": family %u", s, ep.addr.family);
	FUZZ_CHECK(ep.port >= 1, "\"%s\": port 0", s);
	zeq_endpoint_str(&ep, text, sizeof(text));
	FUZZ_CHECK(zeq_parse_endpoint(text, &back, why, sizeof(why)) == 0,
		   "\"%s\" -> \"%s\" does not parse back: %s", s, text, why);
	FUZZ_CHECK(!memcmp(&ep, &back, sizeof(ep)), "\"%s\" -> \"%s\" parses "
		   "back differently", s, text);
}

static void check_prefix(const char *s)
{
	static const char hint[] = "host bits set (did you mean ";
	char why[ZEQ_WHY_LEN] = "", text[ZEQ_PREFIX_STRLEN];
	struct zeq_prefix p, back;

	if (zeq_parse_prefix(s, &p, why, sizeof(why)) < 0) {
		char addr[64];
		uint8_t bytes[16];
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);

		FUZZ_CHECK(why[0] && fuzz_terminated(why, sizeof(why)),
			   "\"%s\": error without a reason", s);
		/* a valid address part is not what the error blames */
		if (n < sizeof(addr)) {
			memcpy(addr, s, n);
			addr[n] = '\0';
			if (inet_pton(AF_INET, addr, bytes) == 1 ||
			    inet_pton(AF_INET6, addr, bytes) == 1)
				FUZZ_CHECK(!strstr(why, "address"), "\"%s\": "
					   "valid address part, but: %s", s, why);
		}
		if (!strncmp(why, hint, sizeof(hint) - 1)) {
			/* the suggestion is a valid prefix */
			char sugg[ZEQ_WHY_LEN], why2[ZEQ_WHY_LEN];
			size_t n = strlen(why) - (sizeof(hint) - 1);

			FUZZ_CHECK(n >= 2 && !strcmp(why + strlen(why) - 2, "?)"),
				   "\"%s\": %s", s, why);
			memcpy(sugg, why + sizeof(hint) - 1, n - 2);
			sugg[n - 2] = '\0';
			FUZZ_CHECK(zeq_parse_prefix(sugg, &back, why2,
						    sizeof(why2)) == 0,
				   "\"%s\": suggested \"%s\" is refused: %s", s,
				   sugg, why2);
		}
		return;
	}
	FUZZ_CHECK(p.addr.family == AF_INET || p.addr.family == AF_INET6,
		   "\"%s\": family %u", s, p.addr.family);
	FUZZ_CHECK(p.cidr <= (p.addr.family == AF_INET ? 32 : 128),
		   "\"%s\": cidr %u", s, p.cidr);
	zeq_prefix_str(&p, text, sizeof(text));
	FUZZ_CHECK(zeq_parse_prefix(text, &back, why, sizeof(why)) == 0,
		   "\"%s\" -> \"%s\" does not parse back: %s", s, text, why);
	FUZZ_CHECK(!memcmp(&p, &back, sizeof(p)), "\"%s\" -> \"%s\" parses "
		   "back differently", s, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel;
	char *s;

	if (size < 1)
		return 0;
	sel = data[0];
	s = strndup((const char *)data + 1, size - 1);	/* argv: to the NUL */
	if (!s)
		abort();
	switch (sel % 3) {
	case 0: check_u32(s, sel / 3); break;
	case 1: check_endpoint(s); break;
	case 2: check_prefix(s); break;
	}
	free(s);
	return 0;
}
