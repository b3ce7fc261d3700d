/* SPDX-License-Identifier: MIT */
/*
 * parse.h - pure parsers of zeqctl's arguments and key files.
 *
 * Each returns 0, or -1 with a short reason in why (e.g. "missing port")
 * that the caller puts after the argument: invalid endpoint "x": why.
 */
#ifndef ZEQ_PARSE_H
#define ZEQ_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "zeq_attrs.h"

#define ZEQ_WHY_LEN		128
#define ZEQ_KEYFILE_MAX		65536	/* bytes */

/* Decimal, or hexadecimal with 0x; within min..max. */
int zeq_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  char *why, size_t whylen);
/* "a.b.c.d:port" or "[v6]:port", port 1..65535. */
int zeq_parse_endpoint(const char *s, struct zeq_endpoint *ep, char *why,
		       size_t whylen);
/* "addr/cidr" or a bare address (a host prefix); host bits must be 0. */
int zeq_parse_prefix(const char *s, struct zeq_prefix *p, char *why,
		     size_t whylen);

/*
 * Key file (len bytes, need not be NUL-terminated):
 *   tx-key <64 hex>, tx-salt <8 hex>, rx-key <64 hex>, rx-salt <8 hex>
 * each exactly once, '#' comments and blank lines allowed. Fills the key
 * fields of kc and marks them; errors name the line ("line 3: ...").
 * Scratch copies of key material are zeroed.
 */
int zeq_parse_keyfile(const char *buf, size_t len, struct zeq_keyconf *kc,
		      char *why, size_t whylen);
/*
 * A secret of outlen bytes (a header protection key file): 2 * outlen hex
 * digits, or base64 (RFC 4648, padded, unused bits zero), surrounding
 * whitespace allowed. out is written only on success; why never quotes
 * the text.
 */
int zeq_parse_secret(const char *buf, size_t len, uint8_t *out,
		     size_t outlen, char *why, size_t whylen);
/* Swaps tx and rx (the other end of one key file). */
void zeq_keyconf_reverse(struct zeq_keyconf *kc);
/* Writes a key file for kc; returns its length or -1 if len is short. */
int zeq_format_keyfile(const struct zeq_keyconf *kc, char *buf, size_t len);

#endif /* ZEQ_PARSE_H */
