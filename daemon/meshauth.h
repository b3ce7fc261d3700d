/* SPDX-License-Identifier: MIT */
/*
 * meshauth.h - the token a connecting peer shows in its first request on
 * the control channel: proof that it holds the deployment's mesh secret
 * (ZEQ_MESH_SECRET), fresh, and not seen before (docs/protocol.md,
 * "First request").
 *
 *   token   = "zma1" hex(ts || nonce || mac)           (4 + 112 characters)
 *   ts      = Unix time, 8 bytes big-endian
 *   nonce   = 16 random bytes
 *   mac     = HMAC-SHA256(mesh secret, "zeq mesh auth v1" 0x00 ||
 *                         ts || nonce || context)
 *
 * context binds the token to its channel (the TLS exporter); a token is
 * accepted once, within ZEQ_MESHAUTH_SKEW_S of the verifier's clock either
 * way. Anything else is one answer, -EACCES, with the reason for the log
 * (never the token) in *why.
 */
#ifndef ZEQD_MESHAUTH_H
#define ZEQD_MESHAUTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ztable.h"

#define ZEQ_MESHAUTH_PREFIX	"zma1"
#define ZEQ_MESHAUTH_NONCE_LEN	16
#define ZEQ_MESHAUTH_MAC_LEN	32
#define ZEQ_MESHAUTH_RAW_LEN	(8 + ZEQ_MESHAUTH_NONCE_LEN + ZEQ_MESHAUTH_MAC_LEN)
#define ZEQ_MESHAUTH_TOKEN_LEN	(4 + 2 * ZEQ_MESHAUTH_RAW_LEN)
/* clocks of two nodes may differ by this much, either way */
#define ZEQ_MESHAUTH_SKEW_S	120
/* the mesh secret: at least this many bytes */
#define ZEQ_MESHAUTH_SECRET_MIN	32

/**
 * struct zeq_meshauth_seen - nonces accepted within the skew window, so a
 *	replayed token is refused
 * @t: records (nonce, expiry) in a ztable; at most half its slots live:
 *	beyond that verification fails closed (a flood of valid tokens
 *	needs the mesh secret)
 */
struct zeq_meshauth_seen {
	struct ztable t;
};

/* cap: slots, a power of two >= 16. 0, or -ENOMEM / -EINVAL */
int zeq_meshauth_seen_init(struct zeq_meshauth_seen *s, size_t cap);
void zeq_meshauth_seen_free(struct zeq_meshauth_seen *s);

/*
 * A token for time now into token (ZEQ_MESHAUTH_TOKEN_LEN + 1 bytes), with
 * a fresh random nonce. 0, or -EINVAL (secret too short), -EIO.
 */
int zeq_meshauth_make(const uint8_t *secret, size_t secret_len, time_t now,
		      const uint8_t *context, size_t context_len, char *token);

/*
 * 0 if token is well formed, its MAC right for secret and context, its
 * time within ZEQ_MESHAUTH_SKEW_S of now and its nonce not seen (it is
 * then recorded in seen); otherwise -EACCES and *why says which.
 */
int zeq_meshauth_check(const uint8_t *secret, size_t secret_len, time_t now,
		       const uint8_t *context, size_t context_len,
		       const char *token, struct zeq_meshauth_seen *seen,
		       const char **why);

#endif
