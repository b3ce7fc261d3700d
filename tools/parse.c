// SPDX-License-Identifier: MIT
/*
 * parse.c - pure parsers of zeqctl's arguments and key files.
 */
#define _GNU_SOURCE		/* explicit_bzero, strnlen, strdup */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "parse.h"

static int why_fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- numbers ------------------------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int zeq_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  char *why, size_t whylen)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (!s || !*s)
		return why_fail(why, whylen, "empty");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (!*p)
			return why_fail(why, whylen, "not a number");
	}
	for (; *p; p++) {
		int d = hexval(*p);

		if (d < 0 || (unsigned int)d >= base)
			return why_fail(why, whylen, "not a number");
		/* past UINT32_MAX it stays there: out of range, if a number */
		if (v <= UINT32_MAX)
			v = v * base + (unsigned int)d;
	}
	if (v < min || v > max)
		return why_fail(why, whylen, "out of range (%u..%u)", min, max);
	*out = (uint32_t)v;
	return 0;
}

/* --- addresses ----------------------------------------------------------- */

/* Copies s[0..n) into buf (NUL-terminated); false if it does not fit. */
static int copy_part(char *buf, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

int zeq_parse_endpoint(const char *s, struct zeq_endpoint *ep, char *why,
		       size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *port;
	uint32_t v;
	int family;

	memset(ep, 0, sizeof(*ep));
	if (!*s)
		return why_fail(why, whylen, "empty");
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return why_fail(why, whylen, "missing ']'");
		if (close[1] != ':' && close[1] != '\0')
			return why_fail(why, whylen, "expected ':' after ']'");
		family = AF_INET6;
		if (copy_part(addr, sizeof(addr), s + 1, (size_t)(close - s - 1)))
			return why_fail(why, whylen, "invalid IPv6 address");
		port = close[1] ? close + 2 : NULL;
	} else {
		const char *colon = strrchr(s, ':');

		if (colon && strchr(s, ':') != colon)
			return why_fail(why, whylen,
					"IPv6 address must be in brackets: [addr]:port");
		family = AF_INET;
		if (copy_part(addr, sizeof(addr), s,
			      colon ? (size_t)(colon - s) : strlen(s)))
			return why_fail(why, whylen, "invalid IPv4 address");
		port = colon ? colon + 1 : NULL;
	}
	if (inet_pton(family, addr, ep->addr.bytes) != 1)
		return why_fail(why, whylen, "invalid %s address%s",
				family == AF_INET ? "IPv4" : "IPv6",
				family == AF_INET ? " (names are not resolved)" : "");
	if (!port || !*port)
		return why_fail(why, whylen, "missing port");
	if (zeq_parse_u32(port, 1, 65535, &v, why, whylen) < 0) {
		char inner[ZEQ_WHY_LEN];

		snprintf(inner, sizeof(inner), "%s", why);
		return why_fail(why, whylen, "port %s", inner);
	}
	ep->addr.family = (uint16_t)family;
	ep->port = (uint16_t)v;
	return 0;
}

int zeq_parse_prefix(const char *s, struct zeq_prefix *p, char *why,
		     size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	/* the family from the address part ("10.0.0.0/8:" is IPv4) */
	const char *colon = strchr(s, ':');
	int family = colon && (!slash || colon < slash) ? AF_INET6 : AF_INET;
	unsigned int bits = family == AF_INET ? 32 : 128;
	uint32_t cidr = bits;
	int bad_host = 0;

	memset(p, 0, sizeof(*p));
	if (!*s)
		return why_fail(why, whylen, "empty");
	if (copy_part(addr, sizeof(addr), s,
		      slash ? (size_t)(slash - s) : strlen(s)) ||
	    inet_pton(family, addr, p->addr.bytes) != 1)
		return why_fail(why, whylen, "invalid %s address",
				family == AF_INET ? "IPv4" : "IPv6");
	if (slash) {
		if (!slash[1])
			return why_fail(why, whylen, "missing prefix length");
		if (zeq_parse_u32(slash + 1, 0, bits, &cidr, why, whylen) < 0) {
			char inner[ZEQ_WHY_LEN];

			snprintf(inner, sizeof(inner), "%s", why);
			return why_fail(why, whylen, "prefix length %s", inner);
		}
	}
	p->addr.family = (uint16_t)family;
	p->cidr = (uint8_t)cidr;
	for (unsigned int i = cidr; i < bits; i++) {
		uint8_t mask = (uint8_t)(0x80 >> (i % 8));

		if (p->addr.bytes[i / 8] & mask) {
			bad_host = 1;
			p->addr.bytes[i / 8] &= (uint8_t)~mask;
		}
	}
	if (bad_host) {
		char fixed[ZEQ_PREFIX_STRLEN];

		return why_fail(why, whylen, "host bits set (did you mean %s?)",
				zeq_prefix_str(p, fixed, sizeof(fixed)));
	}
	return 0;
}

/* --- key files ------------------------------------------------------------ */

static const struct keyfield {
	const char *name;
	uint16_t attr;
	size_t off, len;
} keyfields[] = {
	{ "tx-key", ZEQ_A_KEYCONF_TX_KEY,
	  offsetof(struct zeq_keyconf, tx_key), ZEQ_KEY_LEN },
	{ "tx-salt", ZEQ_A_KEYCONF_TX_SALT,
	  offsetof(struct zeq_keyconf, tx_salt), ZEQ_SALT_LEN },
	{ "rx-key", ZEQ_A_KEYCONF_RX_KEY,
	  offsetof(struct zeq_keyconf, rx_key), ZEQ_KEY_LEN },
	{ "rx-salt", ZEQ_A_KEYCONF_RX_SALT,
	  offsetof(struct zeq_keyconf, rx_salt), ZEQ_SALT_LEN },
};
#define N_KEYFIELDS (sizeof(keyfields) / sizeof(keyfields[0]))
#define KEYFILE_LINE_MAX 256

static void keyconf_clear_keys(struct zeq_keyconf *kc)
{
	explicit_bzero(kc->tx_key, sizeof(kc->tx_key));
	explicit_bzero(kc->tx_salt, sizeof(kc->tx_salt));
	explicit_bzero(kc->rx_key, sizeof(kc->rx_key));
	explicit_bzero(kc->rx_salt, sizeof(kc->rx_salt));
	for (size_t i = 0; i < N_KEYFIELDS; i++)
		kc->has &= ~ZEQ_BIT(keyfields[i].attr);
}

/*
 * An unknown field name is echoed in the error only if it cannot be key
 * material: up to 16 of [a-z-], with no 4 hex letters in a row (a salt is
 * 8 hex digits; "deadbeef" is one).
 */
static bool echo_safe(const char *name)
{
	size_t run = 0;

	if (strlen(name) > 16 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz-") != strlen(name))
		return false;
	for (; *name; name++) {
		run = hexval(*name) >= 0 ? run + 1 : 0;
		if (run >= 4)
			return false;
	}
	return true;
}

/* One non-comment line: "<name> <hex>". */
static int keyfile_line(char *line, unsigned int lineno,
			struct zeq_keyconf *kc, unsigned int *seen_on,
			char *why, size_t whylen)
{
	const char *sep = " \t\r\v\f";
	char *save = NULL, *name, *hex, *extra;
	const struct keyfield *f = NULL;
	uint8_t val[ZEQ_KEY_LEN];
	size_t i, n;

	name = strtok_r(line, sep, &save);
	if (!name)
		return 0;			/* blank */
	hex = strtok_r(NULL, sep, &save);
	extra = strtok_r(NULL, sep, &save);
	for (i = 0; i < N_KEYFIELDS; i++)
		if (strcmp(name, keyfields[i].name) == 0)
			f = &keyfields[i];
	/* "rx-saltb0b1b2b3", "tx-key=...": a separator is missing. */
	for (i = 0; !f && i < N_KEYFIELDS; i++)
		if (strncmp(name, keyfields[i].name,
			    strlen(keyfields[i].name)) == 0)
			return why_fail(why, whylen,
					"line %u: expected \"%s <%zu hex digits>\"",
					lineno, keyfields[i].name,
					keyfields[i].len * 2);
	/* Echo an unknown name only if it cannot be key material. */
	if (!f && echo_safe(name))
		return why_fail(why, whylen, "line %u: unknown field \"%s\"",
				lineno, name);
	if (!f)
		return why_fail(why, whylen, "line %u: unknown field", lineno);
	if (!hex || extra)
		return why_fail(why, whylen,
				"line %u: expected \"%s <%zu hex digits>\"",
				lineno, f->name, f->len * 2);
	if (seen_on[f - keyfields])
		return why_fail(why, whylen,
				"line %u: duplicate %s (first on line %u)",
				lineno, f->name, seen_on[f - keyfields]);
	n = strlen(hex);
	for (i = 0; i < n; i++)
		if (hexval(hex[i]) < 0)
			return why_fail(why, whylen,
					"line %u: %s: invalid hex digit",
					lineno, f->name);
	if (n != f->len * 2)
		return why_fail(why, whylen,
				"line %u: %s must be %zu hex digits, not %zu",
				lineno, f->name, f->len * 2, n);
	for (i = 0; i < f->len; i++)
		val[i] = (uint8_t)(hexval(hex[2 * i]) << 4 |
				   hexval(hex[2 * i + 1]));
	memcpy((char *)kc + f->off, val, f->len);
	explicit_bzero(val, sizeof(val));
	kc->has |= ZEQ_BIT(f->attr);
	seen_on[f - keyfields] = lineno;
	return 0;
}

int zeq_parse_keyfile(const char *buf, size_t len, struct zeq_keyconf *kc,
		      char *why, size_t whylen)
{
	unsigned int seen_on[N_KEYFIELDS] = { 0 };
	char line[KEYFILE_LINE_MAX];
	unsigned int lineno = 0;
	size_t pos = 0;
	int ret = 0;

	keyconf_clear_keys(kc);
	while (pos < len && !ret) {
		const char *end = memchr(buf + pos, '\n', len - pos);
		size_t n = end ? (size_t)(end - (buf + pos)) : len - pos;
		char *hash;

		lineno++;
		if (n >= sizeof(line))
			ret = why_fail(why, whylen, "line %u: too long", lineno);
		else if (memchr(buf + pos, '\0', n))
			ret = why_fail(why, whylen, "line %u: NUL byte", lineno);
		if (ret)
			break;
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		ret = keyfile_line(line, lineno, kc, seen_on, why, whylen);
		pos += n + 1;
	}
	explicit_bzero(line, sizeof(line));
	for (size_t i = 0; i < N_KEYFIELDS && !ret; i++)
		if (!seen_on[i])
			ret = why_fail(why, whylen, "missing %s",
				       keyfields[i].name);
	/* One key for both directions would repeat nonces: refuse. */
	if (!ret && memcmp(kc->tx_key, kc->rx_key, ZEQ_KEY_LEN) == 0)
		ret = why_fail(why, whylen, "tx-key and rx-key are the same");
	if (ret)
		keyconf_clear_keys(kc);
	return ret;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

void zeq_keyconf_reverse(struct zeq_keyconf *kc)
{
	swap_bytes(kc->tx_key, kc->rx_key, ZEQ_KEY_LEN);
	swap_bytes(kc->tx_salt, kc->rx_salt, ZEQ_SALT_LEN);
}

int zeq_format_keyfile(const struct zeq_keyconf *kc, char *buf, size_t len)
{
	static const char head[] =
		"# zeq key pair. The other end uses this file with \"reverse\".\n";
	size_t pos = sizeof(head) - 1;

	if (len < pos + 1)
		return -1;
	memcpy(buf, head, pos);
	for (size_t i = 0; i < N_KEYFIELDS; i++) {
		const uint8_t *v = (const uint8_t *)kc + keyfields[i].off;
		size_t need = strlen(keyfields[i].name) + 1 +
			      2 * keyfields[i].len + 1;
		int n;

		if (pos + need + 1 > len)
			return -1;
		n = snprintf(buf + pos, len - pos, "%s ", keyfields[i].name);
		pos += (size_t)n;
		for (size_t j = 0; j < keyfields[i].len; j++) {
			snprintf(buf + pos, 3, "%02x", v[j]);
			pos += 2;
		}
		buf[pos++] = '\n';
		buf[pos] = '\0';
	}
	return (int)pos;
}

/* --- header protection key files ------------------------------------------ */

/* The value of a base64 character (RFC 4648 alphabet), or -1. */
static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes exactly 4 * ceil(outlen / 3) base64 characters into outlen
 * bytes: the padding '=' characters are those outlen leaves over, and the
 * bits past the last byte are zero (one text for one key). Checks all of
 * the text before the first byte is written.
 */
static bool b64_decode(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	size_t data = (outlen * 4 + 2) / 3;	/* characters that carry bits */
	unsigned int acc = 0, bits = 0;
	size_t i, o = 0;

	if (len != (outlen + 2) / 3 * 4)
		return false;
	for (i = 0; i < len; i++)
		if (i < data ? b64val(s[i]) < 0 : s[i] != '=')
			return false;
	if (b64val(s[data - 1]) & ((1 << (data * 6 - outlen * 8)) - 1))
		return false;		/* bits past the last byte */
	for (i = 0; i < data; i++) {
		acc = (acc << 6 | (unsigned int)b64val(s[i])) & 0xffffff;
		bits += 6;
		if (bits >= 8 && o < outlen) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	explicit_bzero(&acc, sizeof(acc));
	return o == outlen;
}

int zeq_parse_secret(const char *buf, size_t len, uint8_t *out,
		     size_t outlen, char *why, size_t whylen)
{
	size_t i, hexlen = outlen * 2, b64len = (outlen + 2) / 3 * 4;

	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	while (len && isspace((unsigned char)*buf)) {
		buf++;
		len--;
	}
	if (len == hexlen) {
		for (i = 0; i < len && hexval(buf[i]) >= 0; i++)
			;
		if (i == len) {
			for (i = 0; i < outlen; i++)
				out[i] = (uint8_t)(hexval(buf[2 * i]) << 4 |
						   hexval(buf[2 * i + 1]));
			return 0;
		}
	}
	if (len == b64len && b64_decode(buf, len, out, outlen))
		return 0;
	/* never a character of the text: it may be most of a key */
	if (len == hexlen)
		return why_fail(why, whylen, "invalid hex digit (want %zu hex "
				"digits)", hexlen);
	if (len == b64len)
		return why_fail(why, whylen, "invalid base64 character or "
				"padding");
	return why_fail(why, whylen, "must be %zu hex digits or %zu base64 "
			"characters, not %zu characters", hexlen, b64len, len);
}
