// SPDX-License-Identifier: MIT
/*
 * tokens.c - zsm_ bearer tokens (tokens.h) and `zeqd token ...`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cmds.h"
#include "config.h"
#include "store.h"
#include "tokens.h"

int zsm_slug_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      (ch == '-' && i > 0)))
			return 0;
	}
	return i > 0 && i <= ZSM_SLUG_MAX;
}

/* SHA-256 of the token text: what the store keeps */
static int token_hash(const char *token, uint8_t md[32])
{
	unsigned int len = 0;

	return EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL) == 1 &&
	       len == 32 ? 0 : -1;
}

/* base64url without padding of n bytes; out has room for 4*ceil(n/3)+1 */
static void b64url(const uint8_t *in, size_t n, char *out)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (int i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
}

/* the owner of an existing slug: 1 found (into owner), 0 new, -1 error */
static int slug_owner(struct zstore *s, const char *slug, char *owner)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(zstore_db(s),
			       "SELECT owner_zid FROM state_machines WHERE slug = ? LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(owner, ZEQ_ZID_HEX_LEN + 1, "%s",
			 (const char *)sqlite3_column_text(st, 0));
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = -1;
	}
	sqlite3_finalize(st);
	return ret;
}

int zsm_token_create(struct zstore *s, const char *slug, const char *owner,
		     char *token, int64_t *id, char *err, size_t errlen)
{
	uint8_t raw[ZSM_TOKEN_RAW_LEN], md[32];
	char b64[64], cur[ZEQ_ZID_HEX_LEN + 1];
	sqlite3_stmt *st = NULL;
	int ret = -1, have;

	if (!zsm_slug_valid(slug)) {
		snprintf(err, errlen, "slug '%s': want 1 to %d of a-z, 0-9 and "
			 "'-' (not first)", slug, ZSM_SLUG_MAX);
		return -1;
	}
	if (!identity_zid_valid(owner)) {
		snprintf(err, errlen, "owner '%s': a ZID is %d lowercase hex "
			 "digits", owner, ZEQ_ZID_HEX_LEN);
		return -1;
	}
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		snprintf(err, errlen, "no randomness for a token");
		return -1;
	}
	b64url(raw, sizeof(raw), b64);
	memcpy(token, ZSM_PREFIX, strlen(ZSM_PREFIX));
	memcpy(token + strlen(ZSM_PREFIX), b64, ZSM_TOKEN_LEN - strlen(ZSM_PREFIX));
	token[ZSM_TOKEN_LEN] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(b64, sizeof(b64));
	if (token_hash(token, md) < 0) {
		snprintf(err, errlen, "SHA-256 failed");
		goto wipe;
	}
	if (zstore_begin(s) < 0) {
		snprintf(err, errlen, "%s", zstore_errmsg(s));
		goto wipe;
	}
	have = slug_owner(s, slug, cur);
	if (have < 0)
		goto sqlerr;
	if (have && strcmp(cur, owner)) {
		snprintf(err, errlen, "slug '%s' belongs to owner %s, not %s",
			 slug, cur, owner);
		goto rollback;
	}
	if (sqlite3_prepare_v2(zstore_db(s),
			       "INSERT INTO state_machines (slug, owner_zid, token_hash, created) "
			       "VALUES (?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, md, sizeof(md), SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, zstore_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlerr;
	*id = sqlite3_last_insert_rowid(zstore_db(s));
	if (zstore_commit(s) < 0)
		goto sqlerr;
	ret = 0;
	goto wipe;
sqlerr:
	snprintf(err, errlen, "%s", sqlite3_errmsg(zstore_db(s)));
rollback:
	zstore_rollback(s);
wipe:
	sqlite3_finalize(st);
	if (ret < 0)
		OPENSSL_cleanse(token, ZSM_TOKEN_LEN + 1);
	return ret;
}

/* well-formed: the prefix and 43 base64url characters */
static int token_wellformed(const char *t)
{
	size_t n = strlen(ZSM_PREFIX);

	if (strncmp(t, ZSM_PREFIX, n))
		return 0;
	for (size_t i = n; t[i]; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		      (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_'))
			return 0;
	return strlen(t) == ZSM_TOKEN_LEN;
}

int zsm_token_verify(struct zstore *s, const char *token,
		     struct zsm_session *out)
{
	sqlite3_stmt *st;
	uint8_t md[32];
	int rc, ret = -EACCES;

	if (!token || !token_wellformed(token) || token_hash(token, md) < 0)
		return -EACCES;
	if (sqlite3_prepare_v2(zstore_db(s),
			       "SELECT id, slug, owner_zid, created FROM state_machines "
			       "WHERE token_hash = ? AND revoked IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(st, 1, md, sizeof(md), SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->token_id = sqlite3_column_int64(st, 0);
		snprintf(out->slug, sizeof(out->slug), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(out->owner, sizeof(out->owner), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		out->created = sqlite3_column_int64(st, 3);
		ret = 0;
	} else if (rc != SQLITE_DONE) {
		ret = -EIO;
	}
	sqlite3_finalize(st);
	return ret;
}

int zsm_token_revoke(struct zstore *s, int64_t id, const char *slug)
{
	sqlite3_stmt *st;
	int ret;

	if (sqlite3_prepare_v2(zstore_db(s), id >= 0 ?
			       "UPDATE state_machines SET revoked = ?2 "
			       "WHERE id = ?1 AND revoked IS NULL" :
			       "UPDATE state_machines SET revoked = ?2 "
			       "WHERE slug = ?3 AND revoked IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (id >= 0)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, zstore_now());
	if (id < 0)
		sqlite3_bind_text(st, 3, slug, -1, SQLITE_STATIC);
	ret = sqlite3_step(st) == SQLITE_DONE ?
	      sqlite3_changes(zstore_db(s)) : -EIO;
	sqlite3_finalize(st);
	return ret;
}

/* --- zeqd token ... ---------------------------------------------------- */

static int token_usage(const char *why)
{
	if (why)
		fprintf(stderr, "zeqd token: %s\n", why);
	fprintf(stderr, "usage: zeqd token create --slug SLUG --owner ZID\n"
		"       zeqd token list [-j]\n"
		"       zeqd token revoke ID | --slug SLUG\n");
	return 2;
}

static int token_cmd_create(struct zstore *s, int argc, char **argv)
{
	const char *slug = NULL, *owner = NULL;
	char token[ZSM_TOKEN_LEN + 1], err[256], why[128];
	int64_t id;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--slug") && i + 1 < argc) {
			slug = argv[++i];
		} else if (!strcmp(argv[i], "--owner") && i + 1 < argc) {
			owner = argv[++i];
		} else {
			snprintf(why, sizeof(why), "create: unexpected '%s'", argv[i]);
			return token_usage(why);
		}
	}
	if (!slug || !owner)
		return token_usage(slug ? "create: --owner ZID missing" :
				   "create: --slug SLUG missing");
	if (zsm_token_create(s, slug, owner, token, &id, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd token create: %s\n", err);
		return 1;
	}
	/* stdout: the token alone on the first line, for scripts */
	printf("%s\n", token);
	fflush(stdout);
	fprintf(stderr, "token %lld for state machine '%s' (owner %s); it is "
		"shown only now\n", (long long)id, slug, owner);
	OPENSSL_cleanse(token, sizeof(token));
	return 0;
}

static int token_cmd_list(struct zstore *s, int json)
{
	json_object *arr = json_object_new_array();
	sqlite3_stmt *st;
	int rc;

	if (!arr || sqlite3_prepare_v2(zstore_db(s),
			       "SELECT id, slug, owner_zid, created, revoked "
			       "FROM state_machines ORDER BY slug, id",
			       -1, &st, NULL) != SQLITE_OK) {
		json_object_put(arr);
		fprintf(stderr, "zeqd token list: %s\n", zstore_errmsg(s));
		return 1;
	}
	if (!json)
		printf("%-6s %-24s %-32s %-10s %s\n", "id", "slug", "owner",
		       "created", "revoked");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *slug = (const char *)sqlite3_column_text(st, 1);
		const char *owner = (const char *)sqlite3_column_text(st, 2);
		long long created = sqlite3_column_int64(st, 3);
		int revoked = sqlite3_column_type(st, 4) != SQLITE_NULL;
		long long rtime = sqlite3_column_int64(st, 4);
		json_object *o;

		if (!json) {
			printf("%-6lld %-24s %-32s %-10lld %s\n", id, slug, owner,
			       created, revoked ? "yes" : "no");
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(id));
		json_object_object_add(o, "slug", json_object_new_string(slug));
		json_object_object_add(o, "owner", json_object_new_string(owner));
		json_object_object_add(o, "created", json_object_new_int64(created));
		json_object_object_add(o, "revoked", revoked ?
				       json_object_new_int64(rtime) : NULL);
		json_object_array_add(arr, o);
	}
	sqlite3_finalize(st);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return rc == SQLITE_DONE ? 0 : 1;
}

static int token_cmd_revoke(struct zstore *s, int argc, char **argv)
{
	int64_t id = -1;
	const char *slug = NULL;
	char *end;
	int n;

	if (argc == 4 && !strcmp(argv[2], "--slug")) {
		slug = argv[3];
	} else if (argc == 3) {
		errno = 0;
		id = strtoll(argv[2], &end, 10);
		if (errno || *end || end == argv[2] || id < 0)
			return token_usage("revoke: ID must be a token id "
					   "(see zeqd token list)");
	} else {
		return token_usage("revoke: want ID or --slug SLUG");
	}
	n = zsm_token_revoke(s, id, slug);
	if (n < 0) {
		fprintf(stderr, "zeqd token revoke: %s\n", zstore_errmsg(s));
		return 1;
	}
	if (n == 0) {
		if (slug)
			fprintf(stderr, "zeqd token revoke: no valid token for slug '%s'\n", slug);
		else
			fprintf(stderr, "zeqd token revoke: no valid token %lld\n",
				(long long)id);
		return 1;
	}
	printf("revoked %d token%s\n", n, n == 1 ? "" : "s");
	return 0;
}

int cmd_token(const struct zeqd_config *c, int argc, char **argv)
{
	struct zstore *s;
	char err[512];
	int ret;

	if (argc < 2)
		return token_usage(NULL);
	if (strcmp(argv[1], "create") && strcmp(argv[1], "list") &&
	    strcmp(argv[1], "revoke")) {
		snprintf(err, sizeof(err), "unknown subcommand '%s'", argv[1]);
		return token_usage(err);
	}
	if (!strcmp(argv[1], "list") && argc > 2 &&
	    (argc > 3 || strcmp(argv[2], "-j")))
		return token_usage("list: only -j is accepted");
	if (zstore_open_config(c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		return 1;
	}
	if (!strcmp(argv[1], "create"))
		ret = token_cmd_create(s, argc, argv);
	else if (!strcmp(argv[1], "list"))
		ret = token_cmd_list(s, argc == 3);
	else
		ret = token_cmd_revoke(s, argc, argv);
	zstore_close(s);
	return ret;
}
