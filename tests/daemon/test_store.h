/* SPDX-License-Identifier: MIT */
/*
 * test_store.h - a fixture for the daemon's unit tests that need a real
 * store: a fresh SQLite store in a temporary directory under a random
 * field key, removed afterwards (include after <cmocka.h>).
 */
#ifndef ZEQ_TEST_STORE_H
#define ZEQ_TEST_STORE_H

#include <stdio.h>
#include <stdlib.h>

#include <openssl/rand.h>

#include "store.h"

struct fx {
	char dir[64];
	struct zsc_field_key fk;
	struct zstore *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/zeq-test-store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(RAND_bytes(f->fk.key, sizeof(f->fk.key)), 1);
	assert_int_equal(zstore_open(f->dir, &f->fk, &f->s, err, sizeof(err)), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	zstore_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

#endif
