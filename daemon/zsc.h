/* SPDX-License-Identifier: MIT */
/*
 * zsc.h - the ZSC secret store: secrets addressed by purpose string,
 * AES-256-GCM encrypted under ZEQ_FIELD_KEY (OpenSSL EVP).
 *
 * Each row of zsc_secrets holds ciphertext||tag, a fresh random 96-bit
 * nonce and the key version. The AAD binds the row:
 *   "zeq-zsc-v1" 0x00 | purpose | 0x00 | row id (8 bytes, big endian) |
 *   key version (4 bytes, big endian)
 * so a ciphertext copied to another row, another purpose or another key
 * version fails to open (-EBADMSG). The plaintext never reaches SQLite;
 * every plaintext buffer zsc handles is cleansed after use.
 *
 * Purposes: 1..ZSC_PURPOSE_MAX characters of [A-Za-z0-9._:/-]. Secrets
 * owned by a state machine live under "sm/SLUG/"; the node's own under
 * "node/".
 */
#ifndef ZEQD_ZSC_H
#define ZEQD_ZSC_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define ZSC_PURPOSE_MAX		255
#define ZSC_VALUE_MAX		65536
#define ZSC_NONCE_LEN		12
#define ZSC_TAG_LEN		16

/**
 * struct zsc_meta - what zsc_list() reports: never the value
 * @purpose: the purpose string
 * @len: plaintext length in bytes
 * @key_version: field-key version it is encrypted under
 * @created: Unix time of the first put
 * @updated: Unix time of the last put (or rotation)
 */
struct zsc_meta {
	char purpose[ZSC_PURPOSE_MAX + 1];
	size_t len;
	uint32_t key_version;
	int64_t created;
	int64_t updated;
};

/* 1 if purpose is well-formed */
int zsc_purpose_valid(const char *purpose);

/*
 * Insert or replace; durable when it returns 0 (synchronous=FULL).
 * -EINVAL (purpose or length), -EIO.
 */
int zsc_put(struct zstore *s, const char *purpose, const void *val,
	    size_t len);
/*
 * Decrypt into buf (cap bytes); *len = plaintext length. -ENOENT,
 * -EBADMSG (does not authenticate: tampered, moved, wrong key), -ENOSPC
 * (cap too small; *len says how much is needed), -EIO.
 */
int zsc_get(struct zstore *s, const char *purpose, void *buf, size_t cap,
	    size_t *len);
int zsc_delete(struct zstore *s, const char *purpose);
/* metadata of every purpose starting with prefix ("" = all), in purpose
 * order; cb returning non-zero stops the walk and is returned */
typedef int (*zsc_list_cb)(const struct zsc_meta *m, void *arg);
int zsc_list(struct zstore *s, const char *prefix, zsc_list_cb cb,
	     void *arg);

/*
 * Field-key rotation: every secret decrypted under the current key and
 * re-encrypted under newkey with a fresh nonce, the key version bumped and
 * the check value replaced, all in one transaction. On any error it rolls
 * back: the store is all-old (and keeps using the old key) or all-new.
 */
int zsc_rotate(struct zstore *s, const struct zsc_field_key *newkey);

#endif
