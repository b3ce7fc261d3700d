/* SPDX-License-Identifier: MIT */
/*
 * probes.h - connections to the control channel that did not authenticate
 * in their first request, recorded in the store (table probes) for the
 * operator (`zeqd probes`) and for trust scoring.
 *
 * One row per source and kind, counted: a source is an IPv4 address or an
 * IPv6 /64 (an IPv4-mapped address is its IPv4 address), as in the rate
 * limiter, so a scan from many addresses of one network is one row. The
 * table keeps the ZEQ_PROBES_MAX most recently seen rows.
 */
#ifndef ZEQD_PROBES_H
#define ZEQD_PROBES_H

#include <stdint.h>
#include <sys/socket.h>

#include "store.h"

#define ZEQ_PROBES_MAX		10000
/* "2001:db8:1:2::/64" or an IPv4 address */
#define ZEQ_PROBE_SOURCE_MAX	64

/* kinds */
#define ZEQ_PROBE_PLAIN		"plain"		/* not TLS, an HTTP request */
#define ZEQ_PROBE_GARBAGE	"garbage"	/* not TLS, not HTTP */
#define ZEQ_PROBE_TLS_FAILED	"tls-failed"	/* TLS handshake failed */
#define ZEQ_PROBE_TLS_GARBAGE	"tls-garbage"	/* TLS, not HTTP */
#define ZEQ_PROBE_NO_TOKEN	"no-token"	/* TLS, HTTP without a token */
#define ZEQ_PROBE_BAD_TOKEN	"bad-token"	/* a token that did not verify */
#define ZEQ_PROBE_SLOW		"slow"		/* no request within the time */

/**
 * struct zeq_probe - one row
 * @source: address or /64
 * @kind: ZEQ_PROBE_*
 * @detail: what was wrong the last time (never a token)
 * @count: how many
 * @first_seen: Unix time
 * @last_seen: Unix time
 */
struct zeq_probe {
	char source[ZEQ_PROBE_SOURCE_MAX];
	char kind[16];
	char detail[64];
	int64_t count;
	int64_t first_seen;
	int64_t last_seen;
};

/* the source of src as recorded ("" for other families) */
void zeq_probe_source(const struct sockaddr *src, char *out, size_t n);

/* count one probe of kind from src at now; 0 or -EIO */
int zeq_probes_record(struct zstore *s, const struct sockaddr *src,
		      const char *kind, const char *detail, int64_t now);

typedef int (*zeq_probe_cb)(const struct zeq_probe *p, void *arg);
/* every row, most recent first; cb non-zero stops and is returned; -EIO */
int zeq_probes_list(struct zstore *s, zeq_probe_cb cb, void *arg);

#endif
