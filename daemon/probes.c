// SPDX-License-Identifier: MIT
/*
 * probes.c - the probes table (probes.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "probes.h"

void zeq_probe_source(const struct sockaddr *src, char *out, size_t n)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)src;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)src;
	struct in6_addr net;
	char a[INET6_ADDRSTRLEN];

	*out = '\0';
	if (src->sa_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, out, (socklen_t)n);
	} else if (src->sa_family == AF_INET6 &&
		   IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], out, (socklen_t)n);
	} else if (src->sa_family == AF_INET6) {
		net = s6->sin6_addr;
		memset(&net.s6_addr[8], 0, 8);
		inet_ntop(AF_INET6, &net, a, sizeof(a));
		snprintf(out, n, "%s/64", a);
	}
}

/* keep the ZEQ_PROBES_MAX most recent rows */
static int prune(sqlite3 *db)
{
	static const char sql[] =
		"DELETE FROM probes WHERE rowid IN (SELECT rowid FROM probes "
		"ORDER BY last_seen DESC LIMIT -1 OFFSET ?1)";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int(st, 1, ZEQ_PROBES_MAX);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int zeq_probes_record(struct zstore *s, const struct sockaddr *src,
		      const char *kind, const char *detail, int64_t now)
{
	static const char sql[] =
		"INSERT INTO probes (source, kind, detail, count, first_seen, "
		"last_seen) VALUES (?1, ?2, ?3, 1, ?4, ?4) "
		"ON CONFLICT (source, kind) DO UPDATE SET count = count + 1, "
		"detail = ?3, last_seen = ?4";
	static unsigned int since_prune;
	char source[ZEQ_PROBE_SOURCE_MAX];
	sqlite3 *db = zstore_db(s);
	sqlite3_stmt *st;
	int rc;

	zeq_probe_source(src, source, sizeof(source));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, detail ? detail : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -EIO;
	/* a new row at most every time; prune now and then */
	if (++since_prune >= 256) {
		since_prune = 0;
		return prune(db);
	}
	return 0;
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

int zeq_probes_list(struct zstore *s, zeq_probe_cb cb, void *arg)
{
	static const char sql[] =
		"SELECT source, kind, detail, count, first_seen, last_seen "
		"FROM probes ORDER BY last_seen DESC, source, kind";
	struct zeq_probe p;
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(zstore_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		copy_col(st, 0, p.source, sizeof(p.source));
		copy_col(st, 1, p.kind, sizeof(p.kind));
		copy_col(st, 2, p.detail, sizeof(p.detail));
		p.count = sqlite3_column_int64(st, 3);
		p.first_seen = sqlite3_column_int64(st, 4);
		p.last_seen = sqlite3_column_int64(st, 5);
		ret = cb(&p, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(st);
	return ret;
}
