// SPDX-License-Identifier: MIT
/*
 * ratelimit.c - per-source token buckets for new connections
 * (ratelimit.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <netinet/in.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ratelimit.h"

#define IDLE_NS	1000000000ULL	/* a second idle: the bucket is full again */

/* a source's bucket */
struct bucket {
	uint8_t key[9];		/* family (4 or 6), address or /64 */
	uint64_t tokens, last;	/* ns; last 0: free slot */
};

static size_t bucket_hash(const struct ztable *t, const void *rec)
{
	const struct zeq_ratelimit *rl =
		(const struct zeq_ratelimit *)((const uint8_t *)t -
					       offsetof(struct zeq_ratelimit, t));
	size_t outlen = 8, len = 0;
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &outlen),
		OSSL_PARAM_construct_end(),
	};
	uint64_t h = 0;

	/* a failing hash puts every source in one chain: slow, still right */
	if (!EVP_Q_mac(NULL, "SIPHASH", NULL, NULL, p, rl->sipkey,
		       sizeof(rl->sipkey), ((const struct bucket *)rec)->key, 9,
		       (uint8_t *)&h, sizeof(h), &len))
		h = 0;
	return (size_t)h;
}

static bool bucket_occupied(const void *rec)
{
	return ((const struct bucket *)rec)->last != 0;
}

/* a second idle: the bucket is full again, as if never seen */
static bool bucket_live(const void *rec, uint64_t now)
{
	return now - ((const struct bucket *)rec)->last < IDLE_NS;
}

static bool bucket_match(const void *rec, const void *key)
{
	return !memcmp(((const struct bucket *)rec)->key, key, 9);
}

static const struct ztable_ops bucket_ops = {
	.hash = bucket_hash,
	.occupied = bucket_occupied,
	.live = bucket_live,
};

int zeq_ratelimit_init(struct zeq_ratelimit *rl, size_t cap)
{
	memset(rl, 0, sizeof(*rl));
	if (RAND_bytes(rl->sipkey, sizeof(rl->sipkey)) != 1)
		return -EIO;
	return ztable_init(&rl->t, cap, sizeof(struct bucket), &bucket_ops);
}

void zeq_ratelimit_free(struct zeq_ratelimit *rl)
{
	ztable_free(&rl->t);
	OPENSSL_cleanse(rl->sipkey, sizeof(rl->sipkey));
}

/* the bucket's key: family byte, then the IPv4 address or the IPv6 /64 */
static bool key_of(const struct sockaddr *sa, uint8_t *key)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	memset(key, 0, 9);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const uint8_t *a =
			((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;

		if (!memcmp(a, mapped, sizeof(mapped))) {
			key[0] = 4;
			memcpy(key + 1, a + 12, 4);
		} else {
			key[0] = 6;
			memcpy(key + 1, a, 8);
		}
		return true;
	}
	return false;
}

bool zeq_ratelimit_allow(struct zeq_ratelimit *rl, const struct sockaddr *src,
			 uint64_t now)
{
	struct bucket k, *e;
	size_t h;

	if (!key_of(src, k.key))
		return false;
	h = bucket_hash(&rl->t, &k);
	e = ztable_probe(&rl->t, h, bucket_match, k.key);
	if (bucket_occupied(e)) {
		e->tokens += now - e->last;
		if (e->tokens > ZEQ_RL_TOKENS_MAX)
			e->tokens = ZEQ_RL_TOKENS_MAX;
		e->last = now;
		if (e->tokens < ZEQ_RL_COST_NS)
			return false;
		e->tokens -= ZEQ_RL_COST_NS;
		return true;
	}
	/* a new source */
	e = ztable_insert(&rl->t, h, now);
	if (!e)
		return false;
	memcpy(e->key, k.key, sizeof(k.key));
	e->tokens = ZEQ_RL_TOKENS_MAX - ZEQ_RL_COST_NS;
	e->last = now;
	return true;
}
