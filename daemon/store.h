/* SPDX-License-Identifier: MIT */
/*
 * store.h - zeqd's durable state: one SQLite database, STATE_DIR/zeq.db.
 *
 * WAL journal, synchronous=FULL (every acknowledged write of a key record
 * survives a crash or SIGKILL), foreign keys on, a busy timeout so the
 * admin subcommands (zeqd token ..., zeqd identity) can use the store while
 * the daemon runs. The schema is versioned (PRAGMA user_version) and
 * migrated forward in one transaction per step at open; a database newer
 * than this zeqd is refused.
 *
 * Schema version 1 (docs/zeqd.8 has it with every column):
 *   zsc_meta       one row: field-key version and check value (HMAC-SHA256
 *                  of a fixed label under the field key), so a wrong field
 *                  key is refused at open before anything changes
 *   zsc_secrets    id, purpose UNIQUE, ciphertext, nonce, key_version,
 *                  created, updated (see zsc.h)
 *   node           one row: this node's id (ZID) and Ed25519 public key;
 *                  the private key is the secret "node/identity"
 *   state_machines id, slug, owner_zid, token_hash UNIQUE (SHA-256 of the
 *                  zsm_ token), created, revoked (NULL while valid)
 *   vpn_tunnels    id, slug (the owning state machine), peer, status,
 *                  start_zq/stop_zq (Zeqonds since the Unix epoch),
 *                  rx_bytes, tx_bytes, multi_hop_chain (JSON array of up to
 *                  3 ZIDs), purpose (a pointer into zsc_secrets, never a
 *                  key), created; UNIQUE (slug, peer)
 *   peers          node_id PRIMARY KEY, identity_pub, endpoints, resolver,
 *                  trust_score, trust_tier, updated
 * Times are Unix seconds unless the column says Zeqonds.
 */
#ifndef ZEQD_STORE_H
#define ZEQD_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "fieldkey.h"

struct zeqd_config;

#define ZSTORE_DB_NAME		"zeq.db"
#define ZSTORE_LOCK_NAME	"zeqd.lock"
#define ZSTORE_SCHEMA_VERSION	2

struct zstore;

/*
 * Open (creating, mode 0600, if absent) DIR/zeq.db, migrate, and check fk
 * against the stored check value (a new store records fk as version 1).
 * Returns 0; -EKEYREJECTED for a wrong field key ("wrong field key for
 * DIR/zeq.db: ..." in err, nothing written); -EPROTO for a schema newer
 * than ours; -EIO or -errno otherwise. The store keeps a copy of fk and
 * wipes it at close.
 */
int zstore_open(const char *dir, const struct zsc_field_key *fk,
		struct zstore **out, char *err, size_t errlen);
/* field key per the config (file or environment), then zstore_open */
int zstore_open_config(const struct zeqd_config *c, struct zstore **out,
		       char *err, size_t errlen);
void zstore_close(struct zstore *s);

sqlite3 *zstore_db(struct zstore *s);
const struct zsc_field_key *zstore_field_key(struct zstore *s);
uint32_t zstore_key_version(struct zstore *s);
/* the last error's detail (sqlite's message or ours) */
const char *zstore_errmsg(struct zstore *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 or -EIO */
int zstore_begin(struct zstore *s);
int zstore_commit(struct zstore *s);
void zstore_rollback(struct zstore *s);

/*
 * The one-instance lock: an exclusive flock on DIR/zeqd.lock, holding our
 * pid. Returns the fd (keep it open for the process's life) or -EBUSY with
 * "another zeqd (pid N) is running on DIR" in err, or -errno.
 */
int zstore_lock(const char *dir, char *err, size_t errlen);

/* for zsc.c: the field-key check value stored in zsc_meta
 * (HMAC-SHA256 of a fixed label under fk); 0 or -1 */
int zstore_key_check(const struct zsc_field_key *fk, uint8_t out[32]);
/* for zsc.c: the key and version in use after a committed rotation */
void zstore_set_field_key(struct zstore *s, const struct zsc_field_key *fk,
			  uint32_t version);

/* Unix time in seconds; Zeqonds since the Unix epoch (integer, floor) */
int64_t zstore_now(void);
int64_t zstore_now_zeqonds(void);

#endif
