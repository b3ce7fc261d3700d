// SPDX-License-Identifier: MIT
/*
 * prog_zscverify - after a crash: is the store whole, and is every
 * acknowledged write in it?
 *
 *   prog_zscverify STATE_DIR FIELD_KEY_FILE ACKFILE
 *
 * Opens the store with the key (exit 4 if the key is refused: the caller
 * tries the other one after a rotation), runs PRAGMA integrity_check, and
 * checks that for every purpose in ACKFILE ("PURPOSE HEX" lines, the last
 * line of a purpose wins) the store holds exactly that value. Prints
 * "integrity=ok acked=N verified=N key_version=V" and exits 0 when all is
 * well, 1 otherwise (each problem on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldkey.h"
#include "store.h"
#include "zsc.h"

#define MAX_ACKS 100000

struct ack {
	char purpose[128];
	char hex[65];
};

static int integrity_ok(struct zstore *s)
{
	sqlite3_stmt *st;
	int ok;

	if (sqlite3_prepare_v2(zstore_db(s), "PRAGMA integrity_check", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	ok = sqlite3_step(st) == SQLITE_ROW &&
	     !strcmp((const char *)sqlite3_column_text(st, 0), "ok") &&
	     sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok;
}

int main(int argc, char **argv)
{
	static struct ack acks[MAX_ACKS];
	struct zsc_field_key fk;
	struct zstore *s;
	size_t n = 0, verified = 0, unique = 0;
	char err[512], line[256];
	int bad = 0, rc;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: %s STATE_DIR FIELD_KEY_FILE ACKFILE\n", argv[0]);
		return 2;
	}
	if (field_key_load_file(argv[2], &fk, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	rc = zstore_open(argv[1], &fk, &s, err, sizeof(err));
	field_key_wipe(&fk);
	if (rc == -EKEYREJECTED)
		return 4;
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	f = fopen(argv[3], "r");
	while (f && n < MAX_ACKS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %64s", acks[n].purpose, acks[n].hex) == 2)
			n++;
	if (f)
		fclose(f);
	for (size_t i = 0; i < n; i++) {
		unsigned char val[64];
		char hex[129];
		size_t len, j;

		for (j = i + 1; j < n; j++)	/* a later write of it wins */
			if (!strcmp(acks[j].purpose, acks[i].purpose))
				break;
		if (j < n)
			continue;
		unique++;
		rc = zsc_get(s, acks[i].purpose, val, sizeof(val), &len);
		if (rc) {
			fprintf(stderr, "%s: acknowledged, but zsc_get gives %d\n",
				acks[i].purpose, rc);
			bad = 1;
			continue;
		}
		for (j = 0; j < len; j++)
			sprintf(hex + 2 * j, "%02x", val[j]);
		hex[2 * len] = '\0';
		if (strcmp(hex, acks[i].hex)) {
			fprintf(stderr, "%s: holds another value\n", acks[i].purpose);
			bad = 1;
			continue;
		}
		verified++;
	}
	if (!integrity_ok(s)) {
		fprintf(stderr, "PRAGMA integrity_check is not ok\n");
		bad = 1;
	}
	printf("integrity=%s acked=%zu verified=%zu key_version=%u\n",
	       bad ? "?" : "ok", unique, verified, zstore_key_version(s));
	zstore_close(s);
	return bad;
}
