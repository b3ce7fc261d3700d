// SPDX-License-Identifier: MIT
/*
 * sni.c - daily server-name rotation (sni.h; docs/protocol.md).
 */
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>

#include "sni.h"

int zeq_sni_index(const char *node_id, time_t t, size_t pool_size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, r = 0;
	char day[16];
	struct tm tm;
	EVP_MD_CTX *ctx;
	int ok;

	if (!pool_size || pool_size > ZEQ_SNI_POOL_MAX || !gmtime_r(&t, &tm) ||
	    !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, node_id, strlen(node_id)) &&
	     EVP_DigestUpdate(ctx, ":", 1) &&
	     EVP_DigestUpdate(ctx, day, strlen(day)) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	/* the digest as a big-endian number, modulo the pool size */
	for (unsigned int i = 0; i < mdlen; i++)
		r = (r * 256 + md[i]) % (unsigned int)pool_size;
	return (int)r;
}

time_t zeq_sni_next_eval(time_t now, uint32_t rnd)
{
	time_t day = now - (now % ZEQ_SNI_DAY_S + ZEQ_SNI_DAY_S) % ZEQ_SNI_DAY_S;
	time_t at = day + ZEQ_SNI_EVAL_START_S + rnd % ZEQ_SNI_EVAL_WINDOW_S;

	return at > now ? at : at + ZEQ_SNI_DAY_S;
}
