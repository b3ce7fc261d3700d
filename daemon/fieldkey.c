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
#include <openssl/evp.h>

#include "fieldkey.h"

#define HEX_LEN		(2 * ZSC_FIELD_KEY_LEN)
#define B64_LEN		44	/* 4 * ceil(32 / 3), one '=' of padding */
#define FILE_MAX	256	/* more than any valid key text */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int field_key_parse(const char *text, size_t len, struct zsc_field_key *k)
{
	uint8_t out[B64_LEN];
	int n;

	/* one trailing newline (or CRLF) is allowed, nothing else */
	if (len && text[len - 1] == '\n')
		len--;
	if (len && text[len - 1] == '\r')
		len--;
	if (len == HEX_LEN) {
		for (size_t i = 0; i < ZSC_FIELD_KEY_LEN; i++) {
			int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				OPENSSL_cleanse(k, sizeof(*k));
				return -1;
			}
			k->key[i] = (uint8_t)(hi << 4 | lo);
		}
		return 0;
	}
	if (len != B64_LEN || text[B64_LEN - 1] != '=' ||
	    text[B64_LEN - 2] == '=')
		return -1;
	/* EVP_DecodeBlock counts the padding as zero bytes: 33 out */
	n = EVP_DecodeBlock(out, (const unsigned char *)text, B64_LEN);
	if (n != ZSC_FIELD_KEY_LEN + 1) {
		OPENSSL_cleanse(out, sizeof(out));
		return -1;
	}
	memcpy(k->key, out, ZSC_FIELD_KEY_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

int field_key_load_file(const char *path, struct zsc_field_key *k,
			char *err, size_t errlen)
{
	char buf[FILE_MAX];
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
	if (field_key_parse(buf, len, k) < 0) {
		snprintf(err, errlen, "%s: not a field key (want 32 bytes as 64 "
			 "hex digits or 44 characters of base64)", path);
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
	char *v = getenv(ZSC_FIELD_KEY_ENV);
	int ret;

	if (!v || !*v) {
		snprintf(err, errlen, "no field key: set field_key_file in the "
			 "config or " ZSC_FIELD_KEY_ENV " in the environment");
		return -1;
	}
	ret = field_key_parse(v, strlen(v), k);
	/* the environment copy is gone whether or not it parsed */
	OPENSSL_cleanse(v, strlen(v));
	unsetenv(ZSC_FIELD_KEY_ENV);
	if (ret < 0)
		snprintf(err, errlen, ZSC_FIELD_KEY_ENV ": not a field key (want "
			 "32 bytes as 64 hex digits or 44 characters of base64)");
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
