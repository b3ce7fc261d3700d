// SPDX-License-Identifier: MIT
/* test_json.c - the JSON writer (tools/json.c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "json.h"

/* A memory FILE and what was written to it. */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

static void escaped(const char *in, const char *want)
{
	struct mem m;
	char *out;

	mem_open(&m);
	json_write_string(m.f, in);
	out = mem_close(&m);
	assert_string_equal(out, want);
	free(out);
}

static void escape_specials(void **state)
{
	(void)state;
	escaped("", "\"\"");
	escaped("zeq0", "\"zeq0\"");
	escaped("a\"b", "\"a\\\"b\"");
	escaped("a\\b", "\"a\\\\b\"");
	escaped("/", "\"/\"");
	escaped("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"");
}

static void escape_control(void **state)
{
	(void)state;
	escaped("\x01", "\"\\u0001\"");
	escaped("a\x1f" "b", "\"a\\u001fb\"");
	escaped("\x7f", "\"\\u007f\"");
	escaped("\x1b[31m", "\"\\u001b[31m\"");
}

static void escape_utf8(void **state)
{
	(void)state;
	escaped("caf\xc3\xa9", "\"caf\xc3\xa9\"");		/* é kept */
	escaped("\xe2\x82\xac", "\"\xe2\x82\xac\"");		/* € kept */
	escaped("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");	/* emoji kept */
	escaped("\xff", "\"\\ufffd\"");			/* invalid byte */
	escaped("a\xc3", "\"a\\ufffd\"");			/* truncated */
	escaped("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong */
	escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	escaped("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");	/* overlong 3 */
	escaped("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
}

static void nesting_and_commas(void **state)
{
	struct json j;
	struct mem m;
	char *out;

	(void)state;
	mem_open(&m);
	json_init(&j, m.f);
	json_obj_begin(&j);
	json_kv_u64(&j, "a", 1);
	json_key(&j, "b");
	json_arr_begin(&j);
	json_u64(&j, 18446744073709551615ULL);
	json_str(&j, "x");
	json_obj_begin(&j);
	json_key(&j, "c");
	json_null(&j);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_arr_end(&j);
	json_kv_str(&j, "d", NULL);
	json_key(&j, "e");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	out = mem_close(&m);
	assert_string_equal(out, "{\"a\":1,\"b\":[18446744073709551615,\"x\","
				 "{\"c\":null},[]],\"d\":null,\"e\":{}}");
	free(out);
}

static void keys_are_escaped(void **state)
{
	struct json j;
	struct mem m;
	char *out;

	(void)state;
	mem_open(&m);
	json_init(&j, m.f);
	json_obj_begin(&j);
	json_kv_str(&j, "k\"", "v\n");
	json_obj_end(&j);
	out = mem_close(&m);
	assert_string_equal(out, "{\"k\\\"\":\"v\\n\"}");
	free(out);
}

const struct CMUnitTest json_tests[] = {
	cmocka_unit_test(escape_specials),
	cmocka_unit_test(escape_control),
	cmocka_unit_test(escape_utf8),
	cmocka_unit_test(nesting_and_commas),
	cmocka_unit_test(keys_are_escaped),
};
const size_t json_tests_n = N_TESTS(json_tests);
