// SPDX-License-Identifier: MIT
/*
 * fieldkey.c - loading ZEQ_FIELD_KEY from its file or the environment.
 *
 * The file is opened O_NOFOLLOW and checked with fstat on the open fd, so
 * the mode we check is the mode of the file we read. Every buffer that held
 * the key's text is cleansed before it is released.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "fieldkey.h"
#include "parse.h"

#define FILE_MAX	256	/* more than any valid key text */

int field_key_parse(const char *text, size_t len, struct zsc_field_key *k,
		    char *why, size_t whylen)
{
	/* tools/parse.c: the same rules as zeqctl's key files */
	return zeq_parse_secret(text, len, k->key, sizeof(k->key), why, whylen);
}

int field_key_load_file(const char *path, struct zsc_field_key *k,
			char *err, size_t errlen)
{
	char buf[FILE_MAX], why[128];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: mode %04o lets group or others at the "
			 "field key (chmod 600)", path,
			 (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0) {
		len += (size_t)n;
		if (len == sizeof(buf))
			break;
	}
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (field_key_parse(buf, len, k, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: not a field key: %s", path, why);
		goto out;
	}
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return ret;
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
