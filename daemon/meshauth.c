// SPDX-License-Identifier: MIT
/*
 * meshauth.c - first-request tokens under the mesh secret (meshauth.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "meshauth.h"

static const char label[] = "zeq mesh auth v1";	/* with its NUL */

int zeq_meshauth_seen_init(struct zeq_meshauth_seen *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	if (cap < 16 || (cap & (cap - 1)))
		return -EINVAL;
	s->slot = calloc(cap, sizeof(*s->slot));
	if (!s->slot)
		return -ENOMEM;
	s->cap = cap;
	return 0;
}

void zeq_meshauth_seen_free(struct zeq_meshauth_seen *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(const struct zeq_meshauth_seen *s, const uint8_t *nonce)
{
	uint64_t h;

	/* the nonce is random: its first bytes are a hash already */
	memcpy(&h, nonce, sizeof(h));
	return (size_t)h & (s->cap - 1);
}

/* 1 if nonce is live in s */
static int seen_has(const struct zeq_meshauth_seen *s, const uint8_t *nonce,
		    int64_t now)
{
	for (size_t i = slot_of(s, nonce), n = 0; n < s->cap;
	     i = (i + 1) & (s->cap - 1), n++) {
		const struct zeq_meshauth_slot *e = &s->slot[i];

		if (!e->expires)
			return 0;
		if (e->expires > now &&
		    !memcmp(e->nonce, nonce, ZEQ_MESHAUTH_NONCE_LEN))
			return 1;
	}
	return 0;
}

/* Rebuild without the expired entries; the number live. */
static size_t seen_sweep(struct zeq_meshauth_seen *s, int64_t now)
{
	struct zeq_meshauth_slot *old = s->slot;
	size_t live = 0;

	s->slot = calloc(s->cap, sizeof(*s->slot));
	if (!s->slot) {		/* keep what there is */
		s->slot = old;
		return s->cap;
	}
	for (size_t j = 0; j < s->cap; j++) {
		size_t i;

		if (old[j].expires <= now)
			continue;
		for (i = slot_of(s, old[j].nonce); s->slot[i].expires;
		     i = (i + 1) & (s->cap - 1))
			;
		s->slot[i] = old[j];
		live++;
	}
	free(old);
	s->used = live;
	return live;
}

/* Record nonce until expires; -EBUSY when too many are live. */
static int seen_add(struct zeq_meshauth_seen *s, const uint8_t *nonce,
		    int64_t now, int64_t expires)
{
	size_t i;

	if (s->used >= s->cap / 2 && seen_sweep(s, now) >= s->cap / 2)
		return -EBUSY;
	for (i = slot_of(s, nonce); s->slot[i].expires;
	     i = (i + 1) & (s->cap - 1))
		;
	memcpy(s->slot[i].nonce, nonce, ZEQ_MESHAUTH_NONCE_LEN);
	s->slot[i].expires = expires;
	s->used++;
	return 0;
}

static int mac_of(const uint8_t *secret, size_t secret_len,
		  const uint8_t *msg, size_t msg_len, const uint8_t *context,
		  size_t context_len, uint8_t *mac)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	size_t len = 0;
	int ok;

	ok = ctx && EVP_MAC_init(ctx, secret, secret_len, params) &&
	     EVP_MAC_update(ctx, (const uint8_t *)label, sizeof(label)) &&
	     EVP_MAC_update(ctx, msg, msg_len) &&
	     (!context_len || EVP_MAC_update(ctx, context, context_len)) &&
	     EVP_MAC_final(ctx, mac, &len, ZEQ_MESHAUTH_MAC_LEN) &&
	     len == ZEQ_MESHAUTH_MAC_LEN;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return ok ? 0 : -EIO;
}

int zeq_meshauth_make(const uint8_t *secret, size_t secret_len, time_t now,
		      const uint8_t *context, size_t context_len, char *token)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[ZEQ_MESHAUTH_RAW_LEN];
	uint64_t ts = (uint64_t)now;
	char *p = token;
	int ret;

	if (secret_len < ZEQ_MESHAUTH_SECRET_MIN)
		return -EINVAL;
	for (int i = 0; i < 8; i++)
		raw[i] = (uint8_t)(ts >> (56 - 8 * i));
	if (RAND_bytes(raw + 8, ZEQ_MESHAUTH_NONCE_LEN) != 1)
		return -EIO;
	ret = mac_of(secret, secret_len, raw, 8 + ZEQ_MESHAUTH_NONCE_LEN,
		     context, context_len, raw + 8 + ZEQ_MESHAUTH_NONCE_LEN);
	if (ret)
		return ret;
	memcpy(p, ZEQ_MESHAUTH_PREFIX, 4);
	p += 4;
	for (size_t i = 0; i < sizeof(raw); i++) {
		*p++ = hex[raw[i] >> 4];
		*p++ = hex[raw[i] & 15];
	}
	*p = '\0';
	return 0;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int zeq_meshauth_check(const uint8_t *secret, size_t secret_len, time_t now,
		       const uint8_t *context, size_t context_len,
		       const char *token, struct zeq_meshauth_seen *seen,
		       const char **why)
{
	uint8_t raw[ZEQ_MESHAUTH_RAW_LEN], mac[ZEQ_MESHAUTH_MAC_LEN];
	const uint8_t *nonce = raw + 8;
	int64_t ts = 0;

	*why = "malformed";
	if (strnlen(token, ZEQ_MESHAUTH_TOKEN_LEN + 1) != ZEQ_MESHAUTH_TOKEN_LEN ||
	    memcmp(token, ZEQ_MESHAUTH_PREFIX, 4))
		return -EACCES;
	for (size_t i = 0; i < sizeof(raw); i++) {
		int hi = unhex(token[4 + 2 * i]), lo = unhex(token[5 + 2 * i]);

		if (hi < 0 || lo < 0)
			return -EACCES;
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	*why = "wrong MAC";
	if (secret_len < ZEQ_MESHAUTH_SECRET_MIN ||
	    mac_of(secret, secret_len, raw, 8 + ZEQ_MESHAUTH_NONCE_LEN,
		   context, context_len, mac) ||
	    CRYPTO_memcmp(mac, raw + 8 + ZEQ_MESHAUTH_NONCE_LEN, sizeof(mac)))
		return -EACCES;
	for (int i = 0; i < 8; i++)
		ts = (int64_t)((uint64_t)ts << 8 | raw[i]);
	*why = "stale";
	if (ts < (int64_t)now - ZEQ_MESHAUTH_SKEW_S ||
	    ts > (int64_t)now + ZEQ_MESHAUTH_SKEW_S)
		return -EACCES;
	*why = "replayed";
	if (seen_has(seen, nonce, now))
		return -EACCES;
	/* live until the token is stale everywhere */
	*why = "too many tokens in the window";
	if (seen_add(seen, nonce, now, ts + ZEQ_MESHAUTH_SKEW_S + 1))
		return -EACCES;
	*why = NULL;
	return 0;
}
