// SPDX-License-Identifier: MIT
/*
 * identity.c - the node's Ed25519 identity and `zeqd identity`.
 *
 * The private key lives only in the ZSC store (secret "node/identity") and
 * in memory while it is used; the node row holds the public key and ZID.
 * Creation happens once, in one transaction: the row insert and the secret
 * put commit together, so a crash leaves either no identity or a whole one,
 * and of two racing creators the second finds the first's row and uses it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cmds.h"
#include "config.h"
#include "handshake.h"
#include "identity.h"
#include "store.h"
#include "zsc.h"

#define ZID_LABEL	"zeq-zid-v1"
#define ED25519_PRIV_LEN 32

void identity_zid_bytes(const uint8_t pub[ZEQ_ED25519_PUB_LEN],
			uint8_t zid[ZEQ_ZID_LEN])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	/* SHA-256 cannot fail on valid input; a NULL ctx gives a zero ZID */
	memset(md, 0, sizeof(md));
	if (ctx) {
		EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
		EVP_DigestUpdate(ctx, ZID_LABEL, strlen(ZID_LABEL));
		EVP_DigestUpdate(ctx, pub, ZEQ_ED25519_PUB_LEN);
		EVP_DigestFinal_ex(ctx, md, &mdlen);
		EVP_MD_CTX_free(ctx);
	}
	memcpy(zid, md, ZEQ_ZID_LEN);
}

void identity_zid(const uint8_t pub[ZEQ_ED25519_PUB_LEN],
		  char zid[ZEQ_ZID_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[ZEQ_ZID_LEN];

	identity_zid_bytes(pub, raw);
	for (int i = 0; i < ZEQ_ZID_LEN; i++) {
		zid[2 * i] = hex[raw[i] >> 4];
		zid[2 * i + 1] = hex[raw[i] & 15];
	}
	zid[ZEQ_ZID_HEX_LEN] = '\0';
}

int identity_zid_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == ZEQ_ZID_HEX_LEN;
}

/* the node row, if there is one: 1 found, 0 none, -1 error */
static int identity_read(struct zstore *s, struct zeq_identity *id)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	if (sqlite3_prepare_v2(zstore_db(s),
			       "SELECT node_id, identity_pub FROM node WHERE id = 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 1) == ZEQ_ED25519_PUB_LEN &&
	    sqlite3_column_bytes(st, 0) == ZEQ_ZID_HEX_LEN) {
		memcpy(id->pub, sqlite3_column_blob(st, 1), ZEQ_ED25519_PUB_LEN);
		memcpy(id->zid, sqlite3_column_text(st, 0), ZEQ_ZID_HEX_LEN);
		id->zid[ZEQ_ZID_HEX_LEN] = '\0';
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;	/* a malformed row is an error, not "none" */
	}
	sqlite3_finalize(st);
	return found;
}

/* a fresh key pair: private into priv, public into id */
static int identity_generate(uint8_t priv[ED25519_PRIV_LEN],
			     struct zeq_identity *id)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	size_t plen = ED25519_PRIV_LEN, publen = ZEQ_ED25519_PUB_LEN;
	int ret = -1;

	if (!pk)
		return -1;
	if (EVP_PKEY_get_raw_private_key(pk, priv, &plen) == 1 &&
	    plen == ED25519_PRIV_LEN &&
	    EVP_PKEY_get_raw_public_key(pk, id->pub, &publen) == 1 &&
	    publen == ZEQ_ED25519_PUB_LEN) {
		identity_zid(id->pub, id->zid);
		ret = 0;
	}
	EVP_PKEY_free(pk);
	return ret;
}

/* create and store a new identity unless one appeared meanwhile */
static int identity_create(struct zstore *s, struct zeq_identity *id,
			   char *err, size_t errlen)
{
	uint8_t priv[ED25519_PRIV_LEN];
	sqlite3_stmt *st = NULL;
	int found, ret = -1;

	if (zstore_begin(s) < 0) {
		snprintf(err, errlen, "identity: %s", zstore_errmsg(s));
		return -1;
	}
	found = identity_read(s, id);	/* a racing creator won */
	if (found) {
		zstore_rollback(s);
		if (found < 0)
			snprintf(err, errlen, "identity: malformed node row");
		return found > 0 ? 0 : -1;
	}
	if (identity_generate(priv, id) < 0) {
		snprintf(err, errlen, "identity: Ed25519 key generation failed");
		goto out;
	}
	if (zsc_put(s, ZEQ_IDENTITY_PURPOSE, priv, sizeof(priv)) < 0) {
		snprintf(err, errlen, "identity: storing the private key: %s",
			 zstore_errmsg(s));
		goto out;
	}
	if (sqlite3_prepare_v2(zstore_db(s),
			       "INSERT INTO node (id, node_id, identity_pub, created) "
			       "VALUES (1, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	sqlite3_bind_text(st, 1, id->zid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, id->pub, ZEQ_ED25519_PUB_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, zstore_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlerr;
	if (zstore_commit(s) < 0)
		goto sqlerr;
	ret = 0;
	goto out;
sqlerr:
	snprintf(err, errlen, "identity: %s", sqlite3_errmsg(zstore_db(s)));
out:
	sqlite3_finalize(st);
	if (ret < 0)
		zstore_rollback(s);
	OPENSSL_cleanse(priv, sizeof(priv));
	return ret;
}

EVP_PKEY *identity_signing_key(struct zstore *s, const struct zeq_identity *id,
			       char *err, size_t errlen)
{
	uint8_t seed[ED25519_PRIV_LEN], pub[ZEQ_ED25519_PUB_LEN];
	EVP_PKEY *k = NULL;
	size_t len = 0;

	if (zsc_get(s, ZEQ_IDENTITY_PURPOSE, seed, sizeof(seed), &len) < 0 ||
	    len != sizeof(seed))
		snprintf(err, errlen, "identity: reading the private key: %s",
			 len ? "wrong length" : zstore_errmsg(s));
	else if (!(k = zeq_hs_key(seed, pub)))
		snprintf(err, errlen, "identity: not an Ed25519 key");
	else if (CRYPTO_memcmp(pub, id->pub, sizeof(pub))) {
		snprintf(err, errlen, "identity: the private key does not "
			 "match the node's public key");
		EVP_PKEY_free(k);
		k = NULL;
	}
	OPENSSL_cleanse(seed, sizeof(seed));
	return k;
}

int identity_ensure(struct zstore *s, struct zeq_identity *id, char *err,
		    size_t errlen)
{
	int found = identity_read(s, id);

	if (found > 0)
		return 0;
	if (found < 0) {
		snprintf(err, errlen, "identity: reading the node row: %s",
			 sqlite3_errmsg(zstore_db(s)));
		return -1;
	}
	return identity_create(s, id, err, errlen);
}

/* zeqd identity [-j] */
int cmd_identity(const struct zeqd_config *c, int argc, char **argv)
{
	char err[512], b64[64];
	struct zeq_identity id;
	struct zstore *s;
	int json = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j")) {
			json = 1;
		} else {
			fprintf(stderr, "zeqd identity: unknown argument '%s' "
				"(usage: zeqd identity [-j])\n", argv[i]);
			return 2;
		}
	}
	if (zstore_open_config(c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		return 1;
	}
	if (identity_ensure(s, &id, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		zstore_close(s);
		return 1;
	}
	zstore_close(s);
	EVP_EncodeBlock((unsigned char *)b64, id.pub, ZEQ_ED25519_PUB_LEN);
	if (json)
		printf("{\"node_id\":\"%s\",\"public_key\":\"%s\","
		       "\"algorithm\":\"ed25519\"}\n", id.zid, b64);
	else
		printf("node id: %s\npublic key: %s\n", id.zid, b64);
	return 0;
}
