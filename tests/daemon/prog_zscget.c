// SPDX-License-Identifier: MIT
/*
 * prog_zscget - a test's view into the store: prints one secret's value
 * in hex, so t-nosecrets.sh can search the logs for it (the identity's
 * private key has no other way out, by design).
 *
 *   prog_zscget STATE_DIR FIELD_KEY_FILE PURPOSE
 */
#include <stdio.h>

#include <openssl/crypto.h>

#include "fieldkey.h"
#include "store.h"
#include "zsc.h"

int main(int argc, char **argv)
{
	static unsigned char val[ZSC_VALUE_MAX];
	struct zsc_field_key fk;
	struct zstore *s;
	char err[512];
	size_t len;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: %s STATE_DIR FIELD_KEY_FILE PURPOSE\n", argv[0]);
		return 2;
	}
	if (field_key_load_file(argv[2], &fk, err, sizeof(err)) < 0 ||
	    zstore_open(argv[1], &fk, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return 1;
	}
	field_key_wipe(&fk);
	rc = zsc_get(s, argv[3], val, sizeof(val), &len);
	zstore_close(s);
	if (rc) {
		fprintf(stderr, "%s: %s: error %d\n", argv[0], argv[3], rc);
		return 1;
	}
	for (size_t i = 0; i < len; i++)
		printf("%02x", val[i]);
	printf("\n");
	OPENSSL_cleanse(val, len);
	return 0;
}
