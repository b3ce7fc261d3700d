// SPDX-License-Identifier: MIT
/*
 * fieldkey.c - loading ZEQ_FIELD_KEY from its file (secretfile.c: opened
 * O_NOFOLLOW, its mode checked on the open fd) or the environment. Every
 * buffer that held the key's text is cleansed before it is released.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "fieldkey.h"
#include "parse.h"
#include "secretfile.h"

int field_key_parse(const char *text, size_t len, struct zsc_field_key *k,
		    char *why, size_t whylen)
{
	/* tools/parse.c: the same rules as zeqctl's key files */
	return zeq_parse_secret(text, len, k->key, sizeof(k->key), why, whylen);
}

int field_key_load_file(const char *path, struct zsc_field_key *k,
			char *err, size_t errlen)
{
	return secret_file_load(path, "field key", k->key, sizeof(k->key),
				err, errlen);
}

int field_key_load_env(struct zsc_field_key *k, char *err, size_t errlen)
{
	char *v = getenv(ZSC_FIELD_KEY_ENV), why[128];
	int ret;

	if (!v || !*v) {
		snprintf(err, errlen, "no field key: set field_key_file in the "
			 "config or " ZSC_FIELD_KEY_ENV " in the environment");
		return -1;
	}
	ret = field_key_parse(v, strlen(v), k, why, sizeof(why));
	/* the environment copy is gone whether or not it parsed */
	OPENSSL_cleanse(v, strlen(v));
	unsetenv(ZSC_FIELD_KEY_ENV);
	if (ret < 0)
		snprintf(err, errlen, ZSC_FIELD_KEY_ENV ": not a field key: %s",
			 why);
	return ret;
}

int field_key_load(const char *path, struct zsc_field_key *k, char *err,
		   size_t errlen)
{
	if (path && *path)
		return field_key_load_file(path, k, err, errlen);
	return field_key_load_env(k, err, errlen);
}

void field_key_wipe(struct zsc_field_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
