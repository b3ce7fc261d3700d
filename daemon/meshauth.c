// SPDX-License-Identifier: MIT
/*
 * meshauth.c - first-request tokens under the mesh secret (meshauth.h).
 */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "meshauth.h"

static const char label[] = "zeq mesh auth v1";	/* with its NUL */

/* a nonce accepted, until it could no longer be fresh */
struct seen_rec {
	uint8_t nonce[ZEQ_MESHAUTH_NONCE_LEN];
	int64_t expires;	/* 0: free slot */
};

static size_t seen_hash(const struct ztable *t, const void *rec)
{
	uint64_t h;

	(void)t;
	/* the nonce is random: its first bytes are a hash already */
	memcpy(&h, ((const struct seen_rec *)rec)->nonce, sizeof(h));
	return (size_t)h;
}

static bool seen_occupied(const void *rec)
{
	return ((const struct seen_rec *)rec)->expires != 0;
}

static bool seen_live(const void *rec, uint64_t now)
{
	return ((const struct seen_rec *)rec)->expires > (int64_t)now;
}

static bool seen_match(const void *rec, const void *nonce)
{
	return !memcmp(((const struct seen_rec *)rec)->nonce, nonce,
		       ZEQ_MESHAUTH_NONCE_LEN);
}

static const struct ztable_ops seen_ops = {
	.hash = seen_hash,
	.occupied = seen_occupied,
	.live = seen_live,
};

int zeq_meshauth_seen_init(struct zeq_meshauth_seen *s, size_t cap)
{
	return ztable_init(&s->t, cap, sizeof(struct seen_rec), &seen_ops);
}

void zeq_meshauth_seen_free(struct zeq_meshauth_seen *s)
{
	ztable_free(&s->t);
}

/*
 * Record nonce until expires, unless it is live already (-EALREADY) or
 * the table is full (-EBUSY).
 */
static int seen_add(struct zeq_meshauth_seen *s, const uint8_t *nonce,
		    int64_t now, int64_t expires)
{
	struct seen_rec key, *r;
	size_t h;

	memcpy(key.nonce, nonce, ZEQ_MESHAUTH_NONCE_LEN);
	h = seen_hash(&s->t, &key);
	r = ztable_probe(&s->t, h, seen_match, nonce);
	if (seen_occupied(r) && seen_live(r, (uint64_t)now))
		return -EALREADY;
	/* an expired record of the same nonce is reused in place */
	if (!seen_occupied(r) && !(r = ztable_insert(&s->t, h, (uint64_t)now)))
		return -EBUSY;
	memcpy(r->nonce, nonce, ZEQ_MESHAUTH_NONCE_LEN);
	r->expires = expires;
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
	int ret;

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
	/* live until the token is stale everywhere */
	ret = seen_add(seen, nonce, now, ts + ZEQ_MESHAUTH_SKEW_S + 1);
	if (ret) {
		*why = ret == -EALREADY ? "replayed" :
		       "too many tokens in the window";
		return -EACCES;
	}
	*why = NULL;
	return 0;
}
