// SPDX-License-Identifier: MIT
/*
 * firstreq.c - the first request on a control connection (firstreq.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "firstreq.h"

/* longest method we wait for before calling the bytes garbage */
#define METHOD_MAX	16

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* a byte that may appear in a request head */
static bool is_head_byte(unsigned char c)
{
	return c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f);
}

static enum zeq_firstreq_verdict probe(struct zeq_firstreq *r, const char *why)
{
	r->why = why;
	return ZEQ_FR_PROBE;
}

/*
 * The token in a Cookie header's value (v, n bytes): the value of the
 * cookie ZEQ_FIRSTREQ_COOKIE, if it has the token's length.
 */
static bool cookie_token(const char *v, size_t n, char *token)
{
	const size_t nl = strlen(ZEQ_FIRSTREQ_COOKIE);
	size_t i = 0;

	while (i < n) {
		size_t end = i;

		while (end < n && v[end] != ';')
			end++;
		while (i < end && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (end - i == nl + 1 + ZEQ_MESHAUTH_TOKEN_LEN &&
		    !memcmp(v + i, ZEQ_FIRSTREQ_COOKIE "=", nl + 1)) {
			memcpy(token, v + i + nl + 1, ZEQ_MESHAUTH_TOKEN_LEN);
			token[ZEQ_MESHAUTH_TOKEN_LEN] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}

/* the request line (buf, n bytes, no CRLF): method SP target SP HTTP/1.x */
static const char *check_request_line(const char *buf, size_t n,
				      struct zeq_firstreq *r)
{
	const char *sp1 = memchr(buf, ' ', n), *sp2;

	if (!sp1)
		return "no request line";
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - buf));
	if (!sp2 || sp2 == sp1 + 1)
		return "no request target";
	if ((size_t)(buf + n - (sp2 + 1)) != 8 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1'))
		return "not HTTP/1.x";
	r->head = sp1 - buf == 4 && !memcmp(buf, "HEAD", 4);
	if (sp1 - buf != 3 || memcmp(buf, "GET", 3))
		return "not a GET";
	return NULL;
}

enum zeq_firstreq_verdict zeq_firstreq_parse(const char *buf, size_t len,
					     struct zeq_firstreq *r)
{
	const char *end = NULL, *line, *why;
	bool found = false;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	/* the method: upper-case letters, then a space */
	for (i = 0; i < len && i <= METHOD_MAX && buf[i] != ' '; i++)
		if (!is_upper(buf[i]))
			return probe(r, "not HTTP");
	if (i > METHOD_MAX || (i == 0 && len > 0))
		return probe(r, "not HTTP");
	for (i = 0; i < len; i++) {
		if (!is_head_byte((unsigned char)buf[i]))
			return probe(r, "not HTTP");
		if (i >= 3 && !memcmp(buf + i - 3, "\r\n\r\n", 4)) {
			end = buf + i + 1;
			break;
		}
	}
	if (!end)
		return len >= ZEQ_FIRSTREQ_MAX ? probe(r, "request too long") :
						 ZEQ_FR_MORE;
	if (end - buf > ZEQ_FIRSTREQ_MAX)
		return probe(r, "request too long");
	r->http = true;
	r->head_len = (size_t)(end - buf);
	line = memchr(buf, '\n', r->head_len);
	n = (size_t)(line - buf);
	if (!n || buf[n - 1] != '\r')
		return probe(r, "no request line");
	why = check_request_line(buf, n - 1, r);
	if (why)
		return probe(r, why);
	/* header lines up to the blank one */
	for (line++; line < end - 2; ) {
		const char *eol = memchr(line, '\r', (size_t)(end - line));
		const char *colon = memchr(line, ':', (size_t)(eol - line));

		if (!colon || eol[1] != '\n')
			return probe(r, "malformed header");
		if (colon - line == 6 && !strncasecmp(line, "Cookie", 6) &&
		    cookie_token(colon + 1, (size_t)(eol - colon - 1), r->token))
			found = true;
		line = eol + 2;
	}
	return found ? ZEQ_FR_TOKEN : probe(r, "no token");
}

int zeq_firstreq_make(const char *sni, const char *token, char *out,
		      size_t cap)
{
	int n = snprintf(out, cap,
			 "GET / HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) "
			 "Gecko/20100101 Firefox/128.0\r\n"
			 "Accept: */*\r\n"
			 "Cookie: " ZEQ_FIRSTREQ_COOKIE "=%s\r\n"
			 "\r\n", sni, token);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}
