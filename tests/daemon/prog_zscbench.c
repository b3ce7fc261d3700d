// SPDX-License-Identifier: MIT
/*
 * prog_zscbench - the ZSC store's speed and size (make bench, via
 * tests/bench/zsc.sh), against plain SQLite on the same disk with the same
 * pragmas as the baseline, so the figure is the cost of the sealing.
 *
 *   prog_zscbench DIR [N]     N secrets of 32 bytes (default 10000)
 *
 * Prints "BENCH name value unit" lines:
 *   put_tx      puts per second, each its own durable transaction
 *   put_batch   puts per second, all in one transaction
 *   get         gets per second
 *   size        bytes of the database per N secrets (after a checkpoint)
 * each for zsc and for the plain baseline (plain_*).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "fieldkey.h"
#include "store.h"
#include "zsc.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long file_size(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) ? 0 : (long long)st.st_size;
}

static void die(const char *what)
{
	fprintf(stderr, "prog_zscbench: %s\n", what);
	exit(1);
}

/* the baseline: the same table shape, plaintext, same pragmas */
static sqlite3 *plain_open(const char *dir)
{
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/plain.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 "PRAGMA secure_delete = ON;"
			 "CREATE TABLE s (id INTEGER PRIMARY KEY, purpose TEXT NOT NULL "
			 "UNIQUE, value BLOB NOT NULL, created INTEGER, updated INTEGER)",
			 NULL, NULL, NULL) != SQLITE_OK)
		die("plain baseline database");
	return db;
}

static void plain_put(sqlite3 *db, const char *purpose, const void *v, size_t n)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "INSERT INTO s (purpose, value, created, updated) "
			       "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (purpose) DO UPDATE "
			       "SET value = ?2, updated = ?3", -1, &st, NULL) != SQLITE_OK)
		die("plain put");
	sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		die("plain put");
	sqlite3_finalize(st);
}

static void plain_get(sqlite3 *db, const char *purpose, uint8_t *out)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT value FROM s WHERE purpose = ?", -1,
			       &st, NULL) != SQLITE_OK)
		die("plain get");
	sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32)
		die("plain get");
	memcpy(out, sqlite3_column_blob(st, 0), 32);
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	struct zsc_field_key fk;
	uint8_t val[32], out[32];
	char err[512], purpose[64];
	struct zstore *s;
	sqlite3 *db;
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 10000, ntx;
	double t;
	size_t len;

	if (argc < 2 || n <= 0)
		die("usage: prog_zscbench DIR [N]");
	ntx = n / 10;	/* durable one-by-one puts: a tenth, they fsync each */
	RAND_bytes(fk.key, sizeof(fk.key));
	RAND_bytes(val, sizeof(val));
	if (zstore_open(argv[1], &fk, &s, err, sizeof(err)) < 0)
		die(err);
	db = plain_open(argv[1]);

	t = now_s();
	for (long i = 0; i < ntx; i++) {
		snprintf(purpose, sizeof(purpose), "bench/tx/%ld", i);
		if (zsc_put(s, purpose, val, sizeof(val)))
			die("zsc_put");
	}
	printf("BENCH put_tx %.0f /s\n", (double)ntx / (now_s() - t));
	t = now_s();
	for (long i = 0; i < ntx; i++) {
		snprintf(purpose, sizeof(purpose), "bench/tx/%ld", i);
		plain_put(db, purpose, val, sizeof(val));
	}
	printf("BENCH plain_put_tx %.0f /s\n", (double)ntx / (now_s() - t));

	/* the size figure is for exactly n secrets: start over */
	sqlite3_exec(zstore_db(s), "DELETE FROM zsc_secrets", NULL, NULL, NULL);
	sqlite3_exec(db, "DELETE FROM s", NULL, NULL, NULL);

	t = now_s();
	if (zstore_begin(s))
		die("begin");
	for (long i = 0; i < n; i++) {
		snprintf(purpose, sizeof(purpose), "bench/b/%ld", i);
		if (zsc_put(s, purpose, val, sizeof(val)))
			die("zsc_put");
	}
	if (zstore_commit(s))
		die("commit");
	printf("BENCH put_batch %.0f /s\n", (double)n / (now_s() - t));
	t = now_s();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (long i = 0; i < n; i++) {
		snprintf(purpose, sizeof(purpose), "bench/b/%ld", i);
		plain_put(db, purpose, val, sizeof(val));
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	printf("BENCH plain_put_batch %.0f /s\n", (double)n / (now_s() - t));

	t = now_s();
	for (long i = 0; i < n; i++) {
		snprintf(purpose, sizeof(purpose), "bench/b/%ld", i);
		if (zsc_get(s, purpose, out, sizeof(out), &len) || len != 32 ||
		    memcmp(out, val, 32))
			die("zsc_get");
	}
	printf("BENCH get %.0f /s\n", (double)n / (now_s() - t));
	t = now_s();
	for (long i = 0; i < n; i++) {
		snprintf(purpose, sizeof(purpose), "bench/b/%ld", i);
		plain_get(db, purpose, out);
	}
	printf("BENCH plain_get %.0f /s\n", (double)n / (now_s() - t));

	/* everything into the main file, then rebuilt compact */
	if (sqlite3_exec(zstore_db(s), "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
			 "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) ||
	    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
			 "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL))
		die("checkpoint");
	printf("BENCH size %lld bytes\n", file_size(argv[1], "zeq.db"));
	printf("BENCH plain_size %lld bytes\n", file_size(argv[1], "plain.db"));
	printf("BENCH secrets %ld count\n", n);
	zstore_close(s);
	sqlite3_close(db);
	field_key_wipe(&fk);
	return 0;
}
