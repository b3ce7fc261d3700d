/* SPDX-License-Identifier: MIT */
/*
 * firstreq.h - the first request on a control connection (docs/protocol.md,
 * "First request"): an ordinary-looking HTTP/1.1 GET whose Cookie header
 * carries the mesh token,
 *
 *   GET / HTTP/1.1
 *   Host: <server name>
 *   User-Agent: ...
 *   Accept: * / *
 *   Cookie: zs=<token>
 *
 * Parsing is incremental: the listener calls zeq_firstreq_parse() with all
 * the bytes received so far until it is no longer ZEQ_FR_MORE. Anything
 * that is not such a request (another method, no token, not HTTP at all,
 * a head longer than ZEQ_FIRSTREQ_MAX) is a probe; a probe is told apart
 * as early as its bytes allow, so garbage is answered at once rather than
 * at the timeout.
 */
#ifndef ZEQD_FIRSTREQ_H
#define ZEQD_FIRSTREQ_H

#include <stdbool.h>
#include <stddef.h>

#include "meshauth.h"

/* the longest request head accepted (nginx's default header buffer) */
#define ZEQ_FIRSTREQ_MAX	8192
/* the cookie that carries the token */
#define ZEQ_FIRSTREQ_COOKIE	"zs"

enum zeq_firstreq_verdict {
	ZEQ_FR_MORE,	/* a request head could still follow: read on */
	ZEQ_FR_TOKEN,	/* a GET with a token of the right length */
	ZEQ_FR_PROBE,	/* anything else */
};

/**
 * struct zeq_firstreq - what the first request said
 * @head: the method was HEAD (the answer then has no body)
 * @http: it was an HTTP request head (else garbage)
 * @head_len: bytes of the request head, blank line included (ZEQ_FR_TOKEN)
 * @why: for a probe, what was wrong (for the log and the probe record)
 * @token: the token (ZEQ_FR_TOKEN), NUL-terminated
 */
struct zeq_firstreq {
	bool head;
	bool http;
	size_t head_len;
	const char *why;
	char token[ZEQ_MESHAUTH_TOKEN_LEN + 1];
};

/* look at the len bytes received so far; fills *r */
enum zeq_firstreq_verdict zeq_firstreq_parse(const char *buf, size_t len,
					     struct zeq_firstreq *r);

/*
 * The initiator's request for server name sni and token into out (cap
 * bytes); its length, or -1 if it does not fit.
 */
int zeq_firstreq_make(const char *sni, const char *token, char *out,
		      size_t cap);

#endif
