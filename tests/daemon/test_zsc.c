// SPDX-License-Identifier: MIT
/*
 * test_zsc.c - the ZSC secret store (daemon/store.c, zsc.c, fieldkey.c)
 * over a real SQLite database in a temporary directory: round trip, the
 * AAD binding, tampering, a wrong field key, rotation, the raw bytes of
 * every secret absent from every file the store writes, schema versions,
 * the instance lock, field-key files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/rand.h>

#include "fieldkey.h"
#include "store.h"
#include "zsc.h"
#include "test_store.h"

#define NSECRETS 200

static void reopen(struct fx *f, const struct zsc_field_key *fk)
{
	char err[256];

	zstore_close(f->s);
	f->s = NULL;
	assert_int_equal(zstore_open(f->dir, fk, &f->s, err, sizeof(err)), 0);
}

static int get(struct fx *f, const char *purpose, uint8_t *buf, size_t *len)
{
	return zsc_get(f->s, purpose, buf, ZSC_VALUE_MAX, len);
}

static void exec_sql(struct fx *f, const char *sql)
{
	assert_int_equal(sqlite3_exec(zstore_db(f->s), sql, NULL, NULL, NULL),
			 SQLITE_OK);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	static uint8_t big[ZSC_VALUE_MAX], out[ZSC_VALUE_MAX];
	size_t len;

	assert_int_equal(zsc_put(f->s, "sm/a/k1", "hello", 5), 0);
	assert_int_equal(get(f, "sm/a/k1", out, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "hello", 5);
	/* replace keeps one row, new value */
	assert_int_equal(zsc_put(f->s, "sm/a/k1", "bye", 3), 0);
	assert_int_equal(get(f, "sm/a/k1", out, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "bye", 3);
	/* empty and the largest value */
	assert_int_equal(zsc_put(f->s, "empty", "", 0), 0);
	assert_int_equal(get(f, "empty", out, &len), 0);
	assert_int_equal(len, 0);
	RAND_bytes(big, sizeof(big));
	assert_int_equal(zsc_put(f->s, "big", big, sizeof(big)), 0);
	/* survives a close */
	reopen(f, &f->fk);
	assert_int_equal(get(f, "big", out, &len), 0);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(out, big, sizeof(big));
	/* too small a buffer says how much is needed */
	assert_int_equal(zsc_get(f->s, "sm/a/k1", out, 2, &len), -ENOSPC);
	assert_int_equal(len, 3);
	assert_int_equal(get(f, "missing", out, &len), -ENOENT);
	assert_int_equal(zsc_delete(f->s, "sm/a/k1"), 0);
	assert_int_equal(get(f, "sm/a/k1", out, &len), -ENOENT);
	assert_int_equal(zsc_delete(f->s, "sm/a/k1"), -ENOENT);
}

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	static uint8_t big[ZSC_VALUE_MAX + 1];
	char longp[ZSC_PURPOSE_MAX + 2];
	uint8_t out[16];
	size_t len;

	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(zsc_put(f->s, "", "x", 1), -EINVAL);
	assert_int_equal(zsc_put(f->s, "has space", "x", 1), -EINVAL);
	assert_int_equal(zsc_put(f->s, "nl\n", "x", 1), -EINVAL);
	assert_int_equal(zsc_put(f->s, longp, "x", 1), -EINVAL);
	longp[ZSC_PURPOSE_MAX] = '\0';
	assert_int_equal(zsc_put(f->s, longp, "x", 1), 0);
	assert_int_equal(zsc_put(f->s, "big", big, sizeof(big)), -EINVAL);
	assert_int_equal(zsc_get(f->s, "a b", out, sizeof(out), &len), -EINVAL);
	assert_true(zsc_purpose_valid("sm/alpha-1/tunnel:7.key_x"));
}

/* a ciphertext moved to another row or purpose does not open */
static void test_aad_binds_row(void **state)
{
	struct fx *f = *state;
	uint8_t out[64];
	size_t len;

	assert_int_equal(zsc_put(f->s, "one", "secret-one", 10), 0);
	assert_int_equal(zsc_put(f->s, "two", "secret-two", 10), 0);
	/* row two gets row one's ciphertext and nonce */
	exec_sql(f, "UPDATE zsc_secrets SET (ciphertext, nonce) = (SELECT "
		 "ciphertext, nonce FROM zsc_secrets WHERE purpose = 'one') "
		 "WHERE purpose = 'two'");
	assert_int_equal(get(f, "two", out, &len), -EBADMSG);
	/* the purpose renamed in place: same row id, other purpose */
	exec_sql(f, "UPDATE zsc_secrets SET purpose = 'uno' WHERE purpose = 'one'");
	assert_int_equal(get(f, "uno", out, &len), -EBADMSG);
	exec_sql(f, "UPDATE zsc_secrets SET purpose = 'one' WHERE purpose = 'uno'");
	assert_int_equal(get(f, "one", out, &len), 0);
	/* the same purpose under another row id */
	exec_sql(f, "UPDATE zsc_secrets SET id = id + 100 WHERE purpose = 'one'");
	assert_int_equal(get(f, "one", out, &len), -EBADMSG);
}

/* flip one bit of column col (ciphertext or nonce) of purpose p at off
 * (negative: from the end) */
static void flip(struct fx *f, const char *col, int off)
{
	uint8_t buf[ZSC_VALUE_MAX + ZSC_TAG_LEN];
	sqlite3_stmt *st;
	char sql[128];
	int n;

	snprintf(sql, sizeof(sql), "SELECT %s FROM zsc_secrets WHERE purpose = 'p'",
		 col);
	assert_int_equal(sqlite3_prepare_v2(zstore_db(f->s), sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_bytes(st, 0);
	memcpy(buf, sqlite3_column_blob(st, 0), (size_t)n);
	sqlite3_finalize(st);
	buf[off < 0 ? n + off : off] ^= 0x01;
	snprintf(sql, sizeof(sql), "UPDATE zsc_secrets SET %s = ? WHERE purpose = 'p'",
		 col);
	assert_int_equal(sqlite3_prepare_v2(zstore_db(f->s), sql, -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(st, 1, buf, n, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void test_tamper(void **state)
{
	static const char pt[] = "0123456789abcdefXYZ";
	static const struct { const char *col; int off; } bits[] = {
		{ "ciphertext", 0 },	/* first byte of the ciphertext */
		{ "ciphertext", 18 },	/* its last byte */
		{ "ciphertext", -1 },	/* the tag */
		{ "nonce", 0 },
		{ "nonce", 11 },
	};
	struct fx *f = *state;
	uint8_t out[64];
	size_t len;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]) + 2; i++) {
		assert_int_equal(zsc_put(f->s, "p", pt, 19), 0);
		assert_int_equal(get(f, "p", out, &len), 0);
		if (i < sizeof(bits) / sizeof(bits[0]))
			flip(f, bits[i].col, bits[i].off);
		else if (i == sizeof(bits) / sizeof(bits[0]))	/* truncated */
			exec_sql(f, "UPDATE zsc_secrets SET ciphertext = "
				 "substr(ciphertext, 1, 10) WHERE purpose = 'p'");
		else	/* claims another key version */
			exec_sql(f, "UPDATE zsc_secrets SET key_version = 2 "
				 "WHERE purpose = 'p'");
		memset(out, 0x77, sizeof(out));
		assert_int_equal(get(f, "p", out, &len), -EBADMSG);
		/* nothing of the plaintext is left in the caller's buffer */
		assert_null(memmem(out, sizeof(out), "0123", 4));
		assert_null(memmem(out, sizeof(out), "XYZ", 3));
	}
}

/* the bytes of every file in dir, concatenated */
static uint8_t *slurp_dir(const char *dir, size_t *n)
{
	static const char *const names[] = { "zeq.db", "zeq.db-wal",
					     "zeq.db-shm", "zeq.db-journal" };
	uint8_t *buf = NULL;
	char path[128];

	*n = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct stat st;
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		assert_int_equal(fstat(fd, &st), 0);
		buf = realloc(buf, *n + (size_t)st.st_size + 1);
		assert_non_null(buf);
		assert_int_equal(read(fd, buf + *n, (size_t)st.st_size),
				 st.st_size);
		*n += (size_t)st.st_size;
		close(fd);
	}
	return buf;
}

static void test_no_plaintext_on_disk(void **state)
{
	struct fx *f = *state;
	static uint8_t vals[NSECRETS][32];
	struct zsc_field_key nk;
	char purpose[32];
	uint8_t *disk;
	size_t n, found = 0, len;
	int pass;

	assert_int_equal(RAND_bytes(&vals[0][0], sizeof(vals)), 1);
	assert_int_equal(RAND_bytes(nk.key, sizeof(nk.key)), 1);
	for (int i = 0; i < NSECRETS; i++) {
		snprintf(purpose, sizeof(purpose), "sm/s/%d", i);
		assert_int_equal(zsc_put(f->s, purpose, vals[i], 32), 0);
	}
	/* the scan must be able to find something: the purposes are there */
	for (pass = 0; pass < 2; pass++) {
		disk = slurp_dir(f->dir, &n);
		assert_non_null(memmem(disk, n, "sm/s/17", 7));
		for (int i = 0; i < NSECRETS; i++)
			if (memmem(disk, n, vals[i], 16) ||
			    memmem(disk, n, vals[i] + 16, 16))
				found++;
		assert_null(memmem(disk, n, f->fk.key, 16));
		assert_null(memmem(disk, n, nk.key, 16));
		free(disk);
		assert_int_equal(found, 0);
		if (pass == 0)	/* again after a rotation and a checkpoint */
			assert_int_equal(zsc_rotate(f->s, &nk), 0);
	}
	for (int i = 0; i < NSECRETS; i += 37) {
		uint8_t out[32];

		snprintf(purpose, sizeof(purpose), "sm/s/%d", i);
		assert_int_equal(get(f, purpose, out, &len), 0);
		assert_memory_equal(out, vals[i], 32);
	}
}

static int count_cb(const struct zsc_meta *m, void *arg)
{
	int *n = arg;

	assert_int_equal(m->len, 3);
	assert_int_equal(m->key_version, 1);
	assert_true(m->created > 1700000000);
	assert_true(!strncmp(m->purpose, "sm/a/", 5));
	(*n)++;
	return 0;
}

static void test_list(void **state)
{
	struct fx *f = *state;
	int n = 0;

	assert_int_equal(zsc_put(f->s, "sm/a/x", "abc", 3), 0);
	assert_int_equal(zsc_put(f->s, "sm/a/y", "def", 3), 0);
	assert_int_equal(zsc_put(f->s, "sm/ab/z", "ghi", 3), 0);
	assert_int_equal(zsc_put(f->s, "node/x", "jkl", 3), 0);
	assert_int_equal(zsc_list(f->s, "sm/a/", count_cb, &n), 0);
	assert_int_equal(n, 2);
	/* '%' and '_' are not wildcards */
	n = 0;
	assert_int_equal(zsc_list(f->s, "sm/_/", count_cb, &n), 0);
	assert_int_equal(n, 0);
}

static void test_wrong_field_key(void **state)
{
	struct fx *f = *state;
	struct zsc_field_key bad = f->fk;
	struct zstore *s2 = NULL;
	uint8_t *before, *after;
	size_t nb, na, len;
	uint8_t out[8];
	char err[256];

	assert_int_equal(zsc_put(f->s, "k", "value", 5), 0);
	zstore_close(f->s);
	f->s = NULL;
	before = slurp_dir(f->dir, &nb);
	bad.key[31] ^= 1;
	assert_int_equal(zstore_open(f->dir, &bad, &s2, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_null(s2);
	assert_non_null(strstr(err, "wrong field key for"));
	after = slurp_dir(f->dir, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);
	free(before);
	free(after);
	reopen(f, &f->fk);
	assert_int_equal(get(f, "k", out, &len), 0);
	assert_memory_equal(out, "value", 5);
}

static void test_rotation(void **state)
{
	struct fx *f = *state;
	struct zsc_field_key nk, nk2;
	struct zstore *s2 = NULL;
	uint8_t out[16];
	char err[256];
	size_t len;

	assert_int_equal(zsc_put(f->s, "a", "alpha", 5), 0);
	assert_int_equal(zsc_put(f->s, "b", "bravo", 5), 0);
	assert_int_equal(zstore_key_version(f->s), 1);
	RAND_bytes(nk.key, sizeof(nk.key));
	assert_int_equal(zsc_rotate(f->s, &nk), 0);
	assert_int_equal(zstore_key_version(f->s), 2);
	assert_int_equal(get(f, "b", out, &len), 0);
	assert_memory_equal(out, "bravo", 5);
	/* new puts use the new key; the old key no longer opens the store */
	assert_int_equal(zsc_put(f->s, "c", "charlie", 7), 0);
	zstore_close(f->s);
	f->s = NULL;
	assert_int_equal(zstore_open(f->dir, &f->fk, &s2, err, sizeof(err)),
			 -EKEYREJECTED);
	reopen(f, &nk);
	assert_int_equal(zstore_key_version(f->s), 2);
	assert_int_equal(get(f, "a", out, &len), 0);
	assert_memory_equal(out, "alpha", 5);
	assert_int_equal(get(f, "c", out, &len), 0);
	assert_memory_equal(out, "charlie", 7);

	/* a row that does not open stops a rotation: all stays old */
	exec_sql(f, "UPDATE zsc_secrets SET nonce = zeroblob(12) WHERE purpose = 'c'");
	RAND_bytes(nk2.key, sizeof(nk2.key));
	assert_int_equal(zsc_rotate(f->s, &nk2), -EBADMSG);
	assert_int_equal(zstore_key_version(f->s), 2);
	assert_int_equal(get(f, "a", out, &len), 0);
	reopen(f, &nk);
	assert_int_equal(get(f, "b", out, &len), 0);
	assert_memory_equal(out, "bravo", 5);

	/* not inside another transaction */
	assert_int_equal(zstore_begin(f->s), 0);
	assert_int_equal(zsc_rotate(f->s, &nk2), -EBUSY);
	zstore_rollback(f->s);
}

/* a put inside the caller's transaction goes with it */
static void test_put_joins_transaction(void **state)
{
	struct fx *f = *state;
	uint8_t out[8];
	size_t len;

	assert_int_equal(zstore_begin(f->s), 0);
	assert_int_equal(zsc_put(f->s, "t", "one", 3), 0);
	zstore_rollback(f->s);
	assert_int_equal(get(f, "t", out, &len), -ENOENT);
	assert_int_equal(zstore_begin(f->s), 0);
	assert_int_equal(zsc_put(f->s, "t", "two", 3), 0);
	assert_int_equal(zsc_put(f->s, "u", "three", 5), 0);
	assert_int_equal(zsc_delete(f->s, "u"), 0);
	assert_int_equal(zstore_commit(f->s), 0);
	assert_int_equal(get(f, "t", out, &len), 0);
	assert_memory_equal(out, "two", 3);
	assert_int_equal(get(f, "u", out, &len), -ENOENT);
}

static void test_schema(void **state)
{
	struct fx *f = *state;
	struct zstore *s2 = NULL;
	char err[256], path[128];
	sqlite3_stmt *st;
	sqlite3 *db;

	/* WAL and FULL sync are in force */
	assert_int_equal(sqlite3_prepare_v2(zstore_db(f->s), "PRAGMA journal_mode",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(zstore_db(f->s), "PRAGMA synchronous",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);	/* FULL */
	sqlite3_finalize(st);
	/* every table of schemas 1 and 2 */
	exec_sql(f, "SELECT id, key_version, key_check, rotated FROM zsc_meta;"
		 "SELECT id, purpose, ciphertext, nonce, key_version, created, "
		 "updated FROM zsc_secrets;"
		 "SELECT node_id, identity_pub FROM node;"
		 "SELECT slug, owner_zid, token_hash, created, revoked FROM "
		 "state_machines;"
		 "SELECT peer, status, start_zq, stop_zq, rx_bytes, tx_bytes, "
		 "multi_hop_chain, purpose FROM vpn_tunnels;"
		 "SELECT node_id, identity_pub, endpoints, resolver, trust_score, "
		 "trust_tier FROM peers;"
		 "SELECT source, kind, detail, count, first_seen, last_seen "
		 "FROM probes");
	/* a store from a newer zeqd is refused, untouched */
	exec_sql(f, "PRAGMA user_version = 99");
	zstore_close(f->s);
	f->s = NULL;
	assert_int_equal(zstore_open(f->dir, &f->fk, &s2, err, sizeof(err)),
			 -EPROTO);
	assert_non_null(strstr(err, "newer"));
	assert_null(s2);
	/* put it back: the same store opens again */
	snprintf(path, sizeof(path), "%s/zeq.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(path, sizeof(path), "PRAGMA user_version = %d",
		 ZSTORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_exec(db, path, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	reopen(f, &f->fk);
}

static void test_file_modes_and_lock(void **state)
{
	struct fx *f = *state;
	char path[128], err[256];
	struct stat st;
	int l1, l2;

	snprintf(path, sizeof(path), "%s/zeq.db", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(zsc_put(f->s, "x", "y", 1), 0);
	snprintf(path, sizeof(path), "%s/zeq.db-wal", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	l1 = zstore_lock(f->dir, err, sizeof(err));
	assert_true(l1 >= 0);
	l2 = zstore_lock(f->dir, err, sizeof(err));
	assert_int_equal(l2, -EBUSY);
	assert_non_null(strstr(err, "another zeqd (pid "));
	close(l1);
	l2 = zstore_lock(f->dir, err, sizeof(err));
	assert_true(l2 >= 0);
	close(l2);
}

static void write_file(const char *path, mode_t mode, const char *text)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_field_key_files(void **state)
{
	struct fx *f = *state;
	static const char hex[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
	static const char b64[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	struct zsc_field_key k;
	char path[128], link[128], err[256];

	snprintf(path, sizeof(path), "%s/fk", f->dir);
	write_file(path, 0600, hex);
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(k.key[i], i);
	write_file(path, 0400, b64);
	memset(&k, 0, sizeof(k));
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), 0);
	assert_int_equal(k.key[31], 31);
	/* group- or world-readable: refused, naming the mode */
	write_file(path, 0640, hex);
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mode 0640"));
	/* wrong lengths and characters */
	write_file(path, 0600, "00010203");
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	write_file(path, 0600,
		   "g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), -1);
	write_file(path, 0600, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh==");
	assert_int_equal(field_key_load_file(path, &k, err, sizeof(err)), -1);
	/* a symlink is not followed */
	write_file(path, 0600, hex);
	snprintf(link, sizeof(link), "%s/fk-link", f->dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(field_key_load_file(link, &k, err, sizeof(err)), -1);
	/* the environment: read once, then gone */
	assert_int_equal(setenv(ZSC_FIELD_KEY_ENV, b64, 1), 0);
	memset(&k, 0, sizeof(k));
	assert_int_equal(field_key_load("", &k, err, sizeof(err)), 0);
	assert_int_equal(k.key[7], 7);
	assert_null(getenv(ZSC_FIELD_KEY_ENV));
	assert_int_equal(field_key_load("", &k, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ZSC_FIELD_KEY_ENV));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aad_binds_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_plaintext_on_disk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_field_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_joins_transaction, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_modes_and_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_field_key_files, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
