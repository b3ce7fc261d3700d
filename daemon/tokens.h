/* SPDX-License-Identifier: MIT */
/*
 * tokens.h - state machines and their zsm_ bearer tokens.
 *
 * A state machine is a slug owned by one ZID (state_machines rows; every
 * row of a slug has the same owner). Each row is one token:
 *   zsm_ + base64url(32 random bytes), unpadded: 47 characters.
 * The token is shown once, at creation; the store keeps SHA-256(token)
 * only. A revoked token stays as a row (revoked = time) so it is refused
 * with the same answer as an unknown one.
 */
#ifndef ZEQD_TOKENS_H
#define ZEQD_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "identity.h"

struct zstore;

#define ZSM_PREFIX		"zsm_"
#define ZSM_TOKEN_RAW_LEN	32
#define ZSM_TOKEN_LEN		(4 + 43)
#define ZSM_SLUG_MAX		63

/**
 * struct zsm_session - who a valid token is
 * @token_id: its state_machines row id
 * @slug: the state machine it authorises
 * @owner: the slug's owner ZID
 * @created: Unix time the token was made
 */
struct zsm_session {
	int64_t token_id;
	char slug[ZSM_SLUG_MAX + 1];
	char owner[ZEQ_ZID_HEX_LEN + 1];
	int64_t created;
};

/* 1 if s is a slug: [a-z0-9] then [a-z0-9-], at most ZSM_SLUG_MAX */
int zsm_slug_valid(const char *s);

/*
 * A new token for slug (created if new; an existing slug must have the
 * same owner). token gets the token (ZSM_TOKEN_LEN + 1 bytes; the caller
 * cleanses it). 0, or -1 with the reason in err.
 */
int zsm_token_create(struct zstore *s, const char *slug, const char *owner,
		     char *token, int64_t *id, char *err, size_t errlen);
/* 0 and *out if token is valid and not revoked; -EACCES otherwise (one
 * answer for malformed, unknown and revoked); -EIO */
int zsm_token_verify(struct zstore *s, const char *token,
		     struct zsm_session *out);
/* revoke one token by row id, or every token of a slug (id < 0);
 * returns how many were revoked, or -EIO */
int zsm_token_revoke(struct zstore *s, int64_t id, const char *slug);

#endif
