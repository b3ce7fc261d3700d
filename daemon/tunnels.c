// SPDX-License-Identifier: MIT
/*
 * tunnels.c - vpn_tunnels access scoped by state machine (tunnels.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "store.h"
#include "tunnels.h"

#define TUNNEL_COLS "id, slug, peer, status, start_zq, stop_zq, rx_bytes, " \
		    "tx_bytes, multi_hop_chain, purpose, created"

static int64_t col_int_or(sqlite3_stmt *st, int i, int64_t dflt)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt :
	       sqlite3_column_int64(st, i);
}

static void col_text(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

/* multi_hop_chain: a JSON array of ZIDs (we wrote it; anything else is
 * read as no hops rather than trusted) */
static void hops_parse(const char *text, struct ztunnel *t)
{
	json_object *a = text[0] ? json_tokener_parse(text) : NULL;
	size_t n;

	t->nhops = 0;
	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return;
	}
	n = json_object_array_length(a);
	for (size_t i = 0; i < n && t->nhops < ZEQ_TUNNEL_HOPS_MAX; i++) {
		const char *z = json_object_get_string(json_object_array_get_idx(a, i));

		if (z && identity_zid_valid(z))
			snprintf(t->hops[t->nhops++], ZEQ_ZID_HEX_LEN + 1, "%s", z);
	}
	json_object_put(a);
}

static void row_read(sqlite3_stmt *st, struct ztunnel *t)
{
	char chain[4 * (ZEQ_ZID_HEX_LEN + 4)];

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, t->slug, sizeof(t->slug));
	col_text(st, 2, t->peer, sizeof(t->peer));
	col_text(st, 3, t->status, sizeof(t->status));
	t->start_zq = col_int_or(st, 4, -1);
	t->stop_zq = col_int_or(st, 5, -1);
	t->rx_bytes = sqlite3_column_int64(st, 6);
	t->tx_bytes = sqlite3_column_int64(st, 7);
	col_text(st, 8, chain, sizeof(chain));
	hops_parse(chain, t);
	col_text(st, 9, t->purpose, sizeof(t->purpose));
	t->created = sqlite3_column_int64(st, 10);
}

int tunnels_list(struct zstore *s, const char *slug, ztunnel_cb cb, void *arg)
{
	struct ztunnel t;
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(zstore_db(s), "SELECT " TUNNEL_COLS
			       " FROM vpn_tunnels WHERE slug = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_read(st, &t);
		ret = cb(&t, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(st);
	return ret;
}

int tunnels_get(struct zstore *s, const char *slug, int64_t id,
		struct ztunnel *t)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(zstore_db(s), "SELECT " TUNNEL_COLS
			       " FROM vpn_tunnels WHERE slug = ? AND id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_read(st, t);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int tunnels_create(struct zstore *s, const char *slug, const char *peer,
		   const char (*hops)[ZEQ_ZID_HEX_LEN + 1], int nhops,
		   struct ztunnel *t)
{
	char chain[4 * (ZEQ_ZID_HEX_LEN + 4)] = "";
	size_t off = 0;
	sqlite3_stmt *st;
	int rc;

	if (!identity_zid_valid(peer) || nhops < 0 || nhops > ZEQ_TUNNEL_HOPS_MAX)
		return -EINVAL;
	for (int i = 0; i < nhops; i++) {
		if (!identity_zid_valid(hops[i]))
			return -EINVAL;
		off += snprintf(chain + off, sizeof(chain) - off, "%s\"%s\"",
				i ? "," : "[", hops[i]);
	}
	if (nhops)
		snprintf(chain + off, sizeof(chain) - off, "]");
	if (sqlite3_prepare_v2(zstore_db(s),
			       "INSERT INTO vpn_tunnels (slug, peer, status, rx_bytes, "
			       "tx_bytes, multi_hop_chain, created) "
			       "VALUES (?, ?, 'down', 0, 0, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
	if (nhops)
		sqlite3_bind_text(st, 3, chain, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, zstore_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	return tunnels_get(s, slug, sqlite3_last_insert_rowid(zstore_db(s)), t);
}

int tunnels_stop(struct zstore *s, const char *slug, int64_t id)
{
	sqlite3_stmt *st;
	int ret;

	if (sqlite3_prepare_v2(zstore_db(s),
			       "UPDATE vpn_tunnels SET status = 'stopped', stop_zq = ? "
			       "WHERE slug = ? AND id = ?", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(st, 1, zstore_now_zeqonds());
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	ret = sqlite3_step(st) != SQLITE_DONE ? -EIO :
	      sqlite3_changes(zstore_db(s)) ? 0 : -ENOENT;
	sqlite3_finalize(st);
	return ret;
}

int tunnels_delete(struct zstore *s, const char *slug, int64_t id)
{
	struct ztunnel t;
	sqlite3_stmt *st;
	int ret;

	if (zstore_begin(s) < 0)
		return -EIO;
	ret = tunnels_get(s, slug, id, &t);
	if (ret)
		goto out;
	if (sqlite3_prepare_v2(zstore_db(s),
			       "DELETE FROM vpn_tunnels WHERE slug = ? AND id = ?",
			       -1, &st, NULL) != SQLITE_OK) {
		ret = -EIO;
		goto out;
	}
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	ret = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_finalize(st);
	if (!ret && t.purpose[0]) {
		ret = zsc_delete(s, t.purpose);
		if (ret == -ENOENT)
			ret = 0;
	}
	if (!ret && zstore_commit(s) < 0)
		ret = -EIO;
out:
	if (ret)
		zstore_rollback(s);
	return ret;
}

/* "node/tunnel/PEER" */
static void session_purpose(const char *peer, char *buf, size_t n)
{
	snprintf(buf, n, "node/tunnel/%s", peer);
}

/*
 * In one transaction: the session's secret put (or, secret NULL, deleted)
 * and sql run with ?1 slug, ?2 peer, ?3 now in Zeqonds, ?4 the purpose,
 * ?5 now (those it names).
 */
static int session_write(struct zstore *s, const char *slug, const char *peer,
			 const void *secret, size_t len, const char *sql)
{
	char purpose[ZSC_PURPOSE_MAX + 1];
	sqlite3_stmt *st;
	int ret, n;

	if (!identity_zid_valid(peer))
		return -EINVAL;
	session_purpose(peer, purpose, sizeof(purpose));
	if (zstore_begin(s) < 0)
		return -EIO;
	ret = secret ? zsc_put(s, purpose, secret, len) :
	      zsc_delete(s, purpose);
	if (ret == -ENOENT && !secret)
		ret = 0;
	if (!ret && sqlite3_prepare_v2(zstore_db(s), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		ret = -EIO;
	if (!ret) {
		n = sqlite3_bind_parameter_count(st);
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, zstore_now_zeqonds());
		if (n >= 4)
			sqlite3_bind_text(st, 4, purpose, -1, SQLITE_STATIC);
		if (n >= 5)
			sqlite3_bind_int64(st, 5, zstore_now());
		ret = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
		sqlite3_finalize(st);
	}
	if (!ret && zstore_commit(s) < 0)
		ret = -EIO;
	if (ret)
		zstore_rollback(s);
	return ret;
}

int tunnels_session_up(struct zstore *s, const char *slug, const char *peer,
		       const void *secret, size_t len)
{
	return session_write(s, slug, peer, secret, len,
		"INSERT INTO vpn_tunnels (slug, peer, status, start_zq, "
		"rx_bytes, tx_bytes, purpose, created) "
		"VALUES (?1, ?2, 'up', ?3, 0, 0, ?4, ?5) "
		"ON CONFLICT (slug, peer) DO UPDATE SET status = 'up', "
		"start_zq = CASE WHEN status = 'up' THEN start_zq ELSE ?3 END, "
		"purpose = ?4");
}

int tunnels_session_down(struct zstore *s, const char *slug,
			 const char *peer)
{
	return session_write(s, slug, peer, NULL, 0,
		"UPDATE vpn_tunnels SET status = 'down', stop_zq = ?3, "
		"purpose = NULL WHERE slug = ?1 AND peer = ?2 AND "
		"status = 'up'");
}
