// SPDX-License-Identifier: MIT
/*
 * store.c - opening zeqd's SQLite store: pragmas, schema migrations, the
 * field-key check, the one-instance lock.
 *
 * Durability: WAL with synchronous=FULL syncs the WAL at every commit, so a
 * commit that returned survives SIGKILL and power loss; the tests kill the
 * daemon mid-write and check exactly that (tests/daemon/t-fault.sh).
 * secure_delete overwrites freed pages, so an old ciphertext does not linger
 * in the file after a delete or a rotation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "config.h"
#include "store.h"
#include "zeq_constants.h"

#define BUSY_TIMEOUT_MS	5000
/* the check value: HMAC-SHA256(field key, CHECK_LABEL) */
#define CHECK_LABEL	"zeq-zsc-field-key-check-v1"
#define CHECK_LEN	32

/**
 * struct zstore - an open store
 * @db: the connection (one per process; zeqd is single-threaded)
 * @fk: copy of the current field key, wiped at close and on rotation
 * @key_version: version of @fk, as recorded in zsc_meta
 * @err: detail of the last error we made ourselves
 */
struct zstore {
	sqlite3 *db;
	struct zsc_field_key fk;
	uint32_t key_version;
	char err[256];
};

/*
 * Migrations: migrations[i] takes the schema from version i to i + 1.
 * Append only; never edit a step that has shipped.
 */
static const char *const migrations[ZSTORE_SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE zsc_meta ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  key_version INTEGER NOT NULL,"
	"  key_check BLOB NOT NULL,"
	"  rotated INTEGER);"
	"CREATE TABLE zsc_secrets ("
	"  id INTEGER PRIMARY KEY,"
	"  purpose TEXT NOT NULL UNIQUE,"
	"  ciphertext BLOB NOT NULL,"
	"  nonce BLOB NOT NULL CHECK (length(nonce) = 12),"
	"  key_version INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE node ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  node_id TEXT NOT NULL,"
	"  identity_pub BLOB NOT NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE state_machines ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL,"
	"  owner_zid TEXT NOT NULL,"
	"  token_hash BLOB NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER);"
	"CREATE INDEX state_machines_slug ON state_machines (slug);"
	"CREATE TABLE vpn_tunnels ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL,"
	"  peer TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  start_zq INTEGER,"
	"  stop_zq INTEGER,"
	"  rx_bytes INTEGER NOT NULL DEFAULT 0,"
	"  tx_bytes INTEGER NOT NULL DEFAULT 0,"
	"  multi_hop_chain TEXT,"
	"  purpose TEXT,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (slug, peer));"
	"CREATE TABLE peers ("
	"  node_id TEXT PRIMARY KEY,"
	"  identity_pub BLOB,"
	"  endpoints TEXT,"
	"  resolver TEXT,"
	"  trust_score INTEGER NOT NULL DEFAULT 0,"
	"  trust_tier TEXT,"
	"  updated INTEGER NOT NULL);",
	/* 1 -> 2: probes of the control channel (probes.c) */
	"CREATE TABLE probes ("
	"  source TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (source, kind));"
	"CREATE INDEX probes_last_seen ON probes (last_seen);",
};

sqlite3 *zstore_db(struct zstore *s)
{
	return s->db;
}

const struct zsc_field_key *zstore_field_key(struct zstore *s)
{
	return &s->fk;
}

uint32_t zstore_key_version(struct zstore *s)
{
	return s->key_version;
}

const char *zstore_errmsg(struct zstore *s)
{
	return s->err[0] ? s->err : sqlite3_errmsg(s->db);
}

int64_t zstore_now(void)
{
	return (int64_t)time(NULL);
}

int64_t zstore_now_zeqonds(void)
{
	struct timespec ts;
	__int128 ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (__int128)ts.tv_sec * ZEQ_NSEC_PER_SEC + ts.tv_nsec;
	/* exact: t * PULSE_HZ, not t / (a Zeqond rounded to ns) */
	return (int64_t)(ns * ZEQ_PULSE_MHZ / (ZEQ_NSEC_PER_SEC * ZEQ_MILLI));
}

/* exec one statement (or several) with no result rows; 0 or -EIO */
static int exec(struct zstore *s, const char *sql)
{
	s->err[0] = '\0';
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

int zstore_begin(struct zstore *s)
{
	return exec(s, "BEGIN IMMEDIATE");
}

int zstore_commit(struct zstore *s)
{
	return exec(s, "COMMIT");
}

void zstore_rollback(struct zstore *s)
{
	/* also fine when sqlite already rolled back on its own */
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* a single integer from sql, or -1 */
static int64_t query_int(struct zstore *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int zstore_key_check(const struct zsc_field_key *fk, uint8_t out[32])
{
	size_t len = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, fk->key,
		       sizeof(fk->key), (const unsigned char *)CHECK_LABEL,
		       strlen(CHECK_LABEL), out, CHECK_LEN, &len) ||
	    len != CHECK_LEN)
		return -1;
	return 0;
}

/* bring the schema to ZSTORE_SCHEMA_VERSION, one transaction per step */
static int migrate(struct zstore *s, char *err, size_t errlen)
{
	char sql[64];
	int64_t v;

	for (;;) {
		if (zstore_begin(s) < 0)
			goto sqlerr;
		v = query_int(s, "PRAGMA user_version");
		if (v < 0) {
			zstore_rollback(s);
			goto sqlerr;
		}
		if (v > ZSTORE_SCHEMA_VERSION) {
			zstore_rollback(s);
			snprintf(err, errlen, "schema version %lld is newer than "
				 "this zeqd's (%d): refusing to touch it",
				 (long long)v, ZSTORE_SCHEMA_VERSION);
			return -EPROTO;
		}
		if (v == ZSTORE_SCHEMA_VERSION) {
			zstore_rollback(s);
			return 0;
		}
		if (exec(s, migrations[v]) < 0) {
			snprintf(err, errlen, "migration to schema version %lld: %s",
				 (long long)v + 1, sqlite3_errmsg(s->db));
			zstore_rollback(s);
			return -EIO;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
			 (long long)v + 1);
		if (exec(s, sql) < 0 || zstore_commit(s) < 0) {
			zstore_rollback(s);
			goto sqlerr;
		}
	}
sqlerr:
	snprintf(err, errlen, "migrating the schema: %s", sqlite3_errmsg(s->db));
	return -EIO;
}

/*
 * Record fk as version 1 in a new store, or check it against the recorded
 * check value. Nothing is written when the key is wrong.
 */
static int check_field_key(struct zstore *s, const char *path, char *err,
			   size_t errlen)
{
	uint8_t want[CHECK_LEN];
	sqlite3_stmt *st = NULL;
	int rc, ret = -EIO;

	if (zstore_key_check(&s->fk, want) < 0) {
		snprintf(err, errlen, "%s: HMAC-SHA256 unavailable", path);
		return -EIO;
	}
	if (zstore_begin(s) < 0)
		goto sqlerr;
	if (sqlite3_prepare_v2(s->db, "SELECT key_version, key_check FROM "
			       "zsc_meta WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t ver = sqlite3_column_int64(st, 0);

		if (sqlite3_column_bytes(st, 1) != CHECK_LEN ||
		    CRYPTO_memcmp(sqlite3_column_blob(st, 1), want, CHECK_LEN)) {
			snprintf(err, errlen, "wrong field key for %s: it does not "
				 "match the key the store was written with "
				 "(version %lld)", path, (long long)ver);
			ret = -EKEYREJECTED;
			goto out;
		}
		s->key_version = (uint32_t)ver;
		ret = 0;
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto sqlerr;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO zsc_meta (id, key_version, "
			       "key_check) VALUES (1, 1, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		goto sqlerr;
	sqlite3_bind_blob(st, 1, want, CHECK_LEN, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlerr;
	sqlite3_finalize(st);
	st = NULL;
	if (zstore_commit(s) < 0)
		goto sqlerr;
	s->key_version = 1;
	return 0;
sqlerr:
	snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
out:
	sqlite3_finalize(st);
	zstore_rollback(s);
	return ret;
}

/*
 * DIR/NAME opened read-write, created 0600 (and DIR 0700) if missing, never
 * through a symlink; its path in path (PATH_MAX). The fd or -errno.
 */
static int state_file_open(const char *dir, const char *name, char *path,
			   char *err, size_t errlen)
{
	int fd, ret;

	if (snprintf(path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return ret;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	}
	return fd < 0 ? ret : fd;
}

int zstore_open(const char *dir, const struct zsc_field_key *fk,
		struct zstore **out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct zstore *s;
	int fd, ret;

	/* create it 0600 ourselves: SQLite gives the WAL the db's mode */
	fd = state_file_open(dir, ZSTORE_DB_NAME, path, err, errlen);
	if (fd < 0)
		return fd;
	close(fd);

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->fk = *fk;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		ret = -EIO;
		goto fail;
	}
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	/* journal_mode answers with a row: check that it is WAL now */
	if (exec(s, "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"
		 "PRAGMA synchronous = FULL") < 0 ||
	    sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL,
			 NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
		ret = -EIO;
		goto fail;
	}
	ret = migrate(s, err, errlen);
	if (ret < 0)
		goto fail;
	ret = check_field_key(s, path, err, errlen);
	if (ret < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	zstore_close(s);
	return ret;
}

int zstore_open_config(const struct zeqd_config *c, struct zstore **out,
		       char *err, size_t errlen)
{
	struct zsc_field_key fk;
	int ret;

	if (field_key_load(c->field_key_file, &fk, err, errlen) < 0)
		return -EINVAL;
	ret = zstore_open(c->state_dir, &fk, out, err, errlen);
	field_key_wipe(&fk);
	return ret;
}

void zstore_close(struct zstore *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);	/* NULL is fine; statements are all finalised */
	field_key_wipe(&s->fk);
	free(s);
}

void zstore_set_field_key(struct zstore *s, const struct zsc_field_key *fk,
			  uint32_t version)
{
	s->fk = *fk;
	s->key_version = version;
}

int zstore_lock(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX], pid[32];
	int fd, n, ret;

	fd = state_file_open(dir, ZSTORE_LOCK_NAME, path, err, errlen);
	if (fd < 0)
		return fd;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ret = errno == EWOULDBLOCK ? -EBUSY : -errno;
		n = (int)read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (ret == -EBUSY)
			snprintf(err, errlen, "another zeqd (pid %s) is running on %s",
				 *pid ? pid : "?", dir);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		close(fd);
		return ret;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	return fd;
}
