// SPDX-License-Identifier: MIT
/*
 * zsc.c - the ZSC secret store: AES-256-GCM sealed secrets by purpose.
 *
 * A put needs the row id for the AAD before the row's ciphertext exists, so
 * it upserts the row (keeping the id of an existing purpose), seals under
 * that id and writes the ciphertext, both in one transaction: its own, or
 * a savepoint inside the caller's (identity creation and tunnel deletion
 * put or delete a secret together with their own rows).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "zsc.h"

#define AAD_LABEL	"zeq-zsc-v1"
#define AAD_MAX		(sizeof(AAD_LABEL) + ZSC_PURPOSE_MAX + 1 + 8 + 4)

int zsc_purpose_valid(const char *p)
{
	size_t n = 0;

	for (; p[n]; n++) {
		char c = p[n];

		if (n == ZSC_PURPOSE_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("._:/-", c)))
			return 0;
	}
	return n > 0;
}

/* AAD: label \0 purpose \0 rowid (be64) key version (be32); its length */
static size_t zsc_aad(uint8_t *aad, const char *purpose, int64_t rowid,
		      uint32_t ver)
{
	size_t n = sizeof(AAD_LABEL), plen = strlen(purpose);

	memcpy(aad, AAD_LABEL, n);	/* with its NUL */
	memcpy(aad + n, purpose, plen + 1);
	n += plen + 1;
	for (int i = 7; i >= 0; i--)
		aad[n++] = (uint8_t)((uint64_t)rowid >> (8 * i));
	for (int i = 3; i >= 0; i--)
		aad[n++] = (uint8_t)(ver >> (8 * i));
	return n;
}

/*
 * One AES-256-GCM operation. enc: in (len) -> out (len) || tag (16).
 * dec: in (len + 16, tag last) -> out (len). 0, or -EBADMSG when the tag
 * does not verify (out then cleansed), -EIO when OpenSSL fails.
 */
static int zsc_gcm(int enc, const struct zsc_field_key *fk,
		   const uint8_t nonce[ZSC_NONCE_LEN], const uint8_t *aad,
		   size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ok, ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, fk->key, nonce,
			       enc) == 1 &&
	     EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aadlen) == 1 &&
	     (!len || EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1);
	if (!ok)
		goto out;
	if (enc) {
		if (EVP_CipherFinal_ex(ctx, out + len, &n) == 1 &&
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, ZSC_TAG_LEN,
					out + len) == 1)
			ret = 0;
	} else {
		if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, ZSC_TAG_LEN,
					(void *)(in + len)) != 1)
			goto out;
		ret = EVP_CipherFinal_ex(ctx, out + len, &n) == 1 ? 0 : -EBADMSG;
	}
out:
	if (ret && !enc)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/*
 * Seal val for (purpose, rowid, ver) under fk and write it into row rowid
 * with a fresh nonce. 0 or -errno.
 */
static int zsc_seal_row(struct zstore *s, const struct zsc_field_key *fk,
			uint32_t ver, const char *purpose, int64_t rowid,
			const void *val, size_t len)
{
	uint8_t aad[AAD_MAX], nonce[ZSC_NONCE_LEN], *ct;
	size_t aadlen = zsc_aad(aad, purpose, rowid, ver);
	sqlite3_stmt *st = NULL;
	int ret;

	ct = malloc(len + ZSC_TAG_LEN);
	if (!ct)
		return -ENOMEM;
	if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
		ret = -EIO;
		goto out;
	}
	ret = zsc_gcm(1, fk, nonce, aad, aadlen, val, len, ct);
	if (ret)
		goto out;
	ret = -EIO;
	if (sqlite3_prepare_v2(zstore_db(s), "UPDATE zsc_secrets SET "
			       "ciphertext = ?, nonce = ?, key_version = ?, "
			       "updated = ? WHERE id = ?", -1, &st,
			       NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, ct, (int)(len + ZSC_TAG_LEN), SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, nonce, sizeof(nonce), SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ver);
	sqlite3_bind_int64(st, 4, zstore_now());
	sqlite3_bind_int64(st, 5, rowid);
	if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(zstore_db(s)) == 1)
		ret = 0;
out:
	sqlite3_finalize(st);
	free(ct);
	return ret;
}

/* a transaction of our own, or a savepoint inside the caller's */
static int zsc_txn_begin(struct zstore *s, int *own)
{
	*own = sqlite3_get_autocommit(zstore_db(s));
	if (*own)
		return zstore_begin(s);
	return sqlite3_exec(zstore_db(s), "SAVEPOINT zsc", NULL, NULL,
			    NULL) == SQLITE_OK ? 0 : -EIO;
}

static int zsc_txn_end(struct zstore *s, int own, int ret)
{
	sqlite3 *db = zstore_db(s);

	if (!ret) {
		if (own ? zstore_commit(s) :
		    sqlite3_exec(db, "RELEASE zsc", NULL, NULL, NULL))
			ret = -EIO;
		else
			return 0;
	}
	if (own)
		zstore_rollback(s);
	else
		sqlite3_exec(db, "ROLLBACK TO zsc; RELEASE zsc", NULL, NULL, NULL);
	return ret;
}

int zsc_put(struct zstore *s, const char *purpose, const void *val,
	    size_t len)
{
	sqlite3_stmt *st = NULL;
	int64_t rowid = -1, now = zstore_now();
	int own, ret;

	if (!zsc_purpose_valid(purpose) || len > ZSC_VALUE_MAX)
		return -EINVAL;
	if (zsc_txn_begin(s, &own) < 0)
		return -EIO;
	/* the row first (a new one gets a placeholder), for its id */
	if (sqlite3_prepare_v2(zstore_db(s), "INSERT INTO zsc_secrets "
			       "(purpose, ciphertext, nonce, key_version, created, "
			       "updated) VALUES (?1, x'', zeroblob(12), 0, ?2, ?2) "
			       "ON CONFLICT (purpose) DO UPDATE SET updated = ?2 "
			       "RETURNING id", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		if (sqlite3_step(st) == SQLITE_ROW)
			rowid = sqlite3_column_int64(st, 0);
		/* RETURNING: the statement must run to its end */
		while (sqlite3_step(st) == SQLITE_ROW)
			;
	}
	sqlite3_finalize(st);
	ret = rowid < 0 ? -EIO :
	      zsc_seal_row(s, zstore_field_key(s), zstore_key_version(s),
			   purpose, rowid, val, len);
	return zsc_txn_end(s, own, ret);
}

/* open row st (id, purpose, ciphertext, nonce, key_version) under fk/ver */
static int zsc_open_row(sqlite3_stmt *st, const struct zsc_field_key *fk,
			uint32_t ver, void *buf, size_t cap, size_t *len)
{
	uint8_t aad[AAD_MAX];
	const char *purpose = (const char *)sqlite3_column_text(st, 1);
	const uint8_t *ct = sqlite3_column_blob(st, 2);
	int ctlen = sqlite3_column_bytes(st, 2);
	size_t aadlen;

	if (!purpose || !zsc_purpose_valid(purpose) || ctlen < ZSC_TAG_LEN ||
	    sqlite3_column_bytes(st, 3) != ZSC_NONCE_LEN ||
	    sqlite3_column_int64(st, 4) != ver)
		return -EBADMSG;
	*len = (size_t)ctlen - ZSC_TAG_LEN;
	if (*len > cap)
		return -ENOSPC;
	aadlen = zsc_aad(aad, purpose, sqlite3_column_int64(st, 0), ver);
	return zsc_gcm(0, fk, sqlite3_column_blob(st, 3), aad, aadlen,
		       ct, *len, buf);
}

#define ZSC_ROW_COLS "id, purpose, ciphertext, nonce, key_version"

int zsc_get(struct zstore *s, const char *purpose, void *buf, size_t cap,
	    size_t *len)
{
	sqlite3_stmt *st;
	int rc, ret;

	*len = 0;
	if (!zsc_purpose_valid(purpose))
		return -EINVAL;
	if (sqlite3_prepare_v2(zstore_db(s), "SELECT " ZSC_ROW_COLS
			       " FROM zsc_secrets WHERE purpose = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = zsc_open_row(st, zstore_field_key(s), zstore_key_version(s),
				   buf, cap, len);
	else
		ret = rc == SQLITE_DONE ? -ENOENT : -EIO;
	sqlite3_finalize(st);
	return ret;
}

int zsc_delete(struct zstore *s, const char *purpose)
{
	sqlite3_stmt *st;
	int ret = -EIO;

	if (!zsc_purpose_valid(purpose))
		return -EINVAL;
	if (sqlite3_prepare_v2(zstore_db(s), "DELETE FROM zsc_secrets WHERE "
			       "purpose = ?", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		ret = sqlite3_changes(zstore_db(s)) ? 0 : -ENOENT;
	sqlite3_finalize(st);
	return ret;
}

int zsc_list(struct zstore *s, const char *prefix, zsc_list_cb cb,
	     void *arg)
{
	struct zsc_meta m;
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(zstore_db(s), "SELECT purpose, "
			       "length(ciphertext), key_version, created, updated "
			       "FROM zsc_secrets WHERE substr(purpose, 1, ?2) = ?1 "
			       "ORDER BY purpose", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)strlen(prefix));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		int64_t ctlen = sqlite3_column_int64(st, 1);

		memset(&m, 0, sizeof(m));
		snprintf(m.purpose, sizeof(m.purpose), "%s", p ? p : "");
		m.len = ctlen > ZSC_TAG_LEN ? (size_t)(ctlen - ZSC_TAG_LEN) : 0;
		m.key_version = (uint32_t)sqlite3_column_int64(st, 2);
		m.created = sqlite3_column_int64(st, 3);
		m.updated = sqlite3_column_int64(st, 4);
		ret = cb(&m, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(st);
	return ret;
}

/* every secret's id, for rotation (rows are rewritten after the walk) */
static int zsc_ids(struct zstore *s, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(zstore_db(s), "SELECT id FROM zsc_secrets "
			       "ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *p = realloc(*ids, (cap ? cap * 2 : 64) * sizeof(*p));

			if (!p) {
				sqlite3_finalize(st);
				return -ENOMEM;
			}
			*ids = p;
			cap = cap ? cap * 2 : 64;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* re-seal row id from the current key to newkey/newver */
static int zsc_rotate_row(struct zstore *s, sqlite3_stmt *sel, int64_t id,
			  const struct zsc_field_key *newkey, uint32_t newver,
			  uint8_t *buf)
{
	size_t len;
	int ret;

	sqlite3_reset(sel);
	sqlite3_bind_int64(sel, 1, id);
	if (sqlite3_step(sel) != SQLITE_ROW)
		return -EIO;
	ret = zsc_open_row(sel, zstore_field_key(s), zstore_key_version(s),
			   buf, ZSC_VALUE_MAX, &len);
	if (!ret)
		ret = zsc_seal_row(s, newkey, newver,
				   (const char *)sqlite3_column_text(sel, 1), id,
				   buf, len);
	OPENSSL_cleanse(buf, ZSC_VALUE_MAX);
	return ret;
}

int zsc_rotate(struct zstore *s, const struct zsc_field_key *newkey)
{
	uint32_t newver = zstore_key_version(s) + 1;
	sqlite3_stmt *sel = NULL, *meta = NULL;
	uint8_t check[32], *buf;
	int64_t *ids = NULL;
	size_t n = 0;
	int ret;

	if (!sqlite3_get_autocommit(zstore_db(s)))
		return -EBUSY;	/* all-or-nothing needs its own transaction */
	buf = malloc(ZSC_VALUE_MAX);
	if (!buf)
		return -ENOMEM;
	if (zstore_key_check(newkey, check) < 0 || zstore_begin(s) < 0) {
		free(buf);
		return -EIO;
	}
	ret = zsc_ids(s, &ids, &n);
	if (ret)
		goto out;
	ret = -EIO;
	if (sqlite3_prepare_v2(zstore_db(s), "SELECT " ZSC_ROW_COLS " FROM "
			       "zsc_secrets WHERE id = ?", -1, &sel,
			       NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		ret = zsc_rotate_row(s, sel, ids[i], newkey, newver, buf);
		if (ret)
			goto out;
	}
	ret = -EIO;
	if (sqlite3_prepare_v2(zstore_db(s), "UPDATE zsc_meta SET key_version "
			       "= ?, key_check = ?, rotated = ? WHERE id = 1",
			       -1, &meta, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(meta, 1, newver);
	sqlite3_bind_blob(meta, 2, check, sizeof(check), SQLITE_STATIC);
	sqlite3_bind_int64(meta, 3, zstore_now());
	if (sqlite3_step(meta) != SQLITE_DONE ||
	    sqlite3_changes(zstore_db(s)) != 1)
		goto out;
	sqlite3_finalize(meta);
	meta = NULL;
	sqlite3_finalize(sel);
	sel = NULL;
	if (zstore_commit(s) < 0)
		goto out;
	zstore_set_field_key(s, newkey, newver);
	ret = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(meta);
	if (ret)
		zstore_rollback(s);
	free(ids);
	free(buf);
	return ret;
}
