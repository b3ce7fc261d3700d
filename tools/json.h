/* SPDX-License-Identifier: MIT */
/*
 * json.h - a tiny streaming JSON writer (compact output, no library).
 */
#ifndef ZEQ_JSON_H
#define ZEQ_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no element yet at this depth */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_u64(struct json *j, uint64_t v);
void json_null(struct json *j);
void json_bool(struct json *j, bool v);

/* Shorthands for "key": value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/*
 * Writes s as a quoted JSON string: '"' and '\\' escaped, control bytes
 * as \n, \t, ... or \u00XX, invalid UTF-8 as \ufffd.
 */
void json_write_string(FILE *f, const char *s);

#endif /* ZEQ_JSON_H */
