/* SPDX-License-Identifier: MIT */
/*
 * fieldkey.h - ZEQ_FIELD_KEY, the key the ZSC secret store encrypts under.
 *
 * 32 bytes, written as 64 hex digits or 44 characters of base64,
 * whitespace around them allowed (zeq_parse_secret, as zeqctl's key files). It comes from the file named by field_key_file
 * in zeqd.conf, which must be a regular file not readable or writable by
 * group or others, or, when no file is configured (containers), from the
 * ZEQ_FIELD_KEY environment variable, which is wiped and unset once read.
 * It is never stored in the database (only a check value, see store.h).
 */
#ifndef ZEQD_FIELDKEY_H
#define ZEQD_FIELDKEY_H

#include <stddef.h>
#include <stdint.h>

#define ZSC_FIELD_KEY_LEN	32
#define ZSC_FIELD_KEY_ENV	"ZEQ_FIELD_KEY"

struct zsc_field_key {
	uint8_t key[ZSC_FIELD_KEY_LEN];
};

/* 0, or -1 with "path: reason" in err (mode, format, length) */
int field_key_load_file(const char *path, struct zsc_field_key *k,
			char *err, size_t errlen);
/* from ZEQ_FIELD_KEY; 0, or -1 with the reason in err */
int field_key_load_env(struct zsc_field_key *k, char *err, size_t errlen);
/* file if path is non-empty, else the environment */
int field_key_load(const char *path, struct zsc_field_key *k, char *err,
		   size_t errlen);
/* parse hex or base64 text (len bytes) into k; 0, or -1 with the reason
 * in why (never quoting the text) */
int field_key_parse(const char *text, size_t len, struct zsc_field_key *k,
		    char *why, size_t whylen);
/* OPENSSL_cleanse */
void field_key_wipe(struct zsc_field_key *k);

#endif
