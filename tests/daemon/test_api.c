// SPDX-License-Identifier: MIT
/*
 * test_api.c - the control API's request handling (daemon/api.c's
 * zapi_handle) over a real store in a temporary directory: token checks,
 * scoping by state machine, argument validation, secrets never returned.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "api.h"
#include "identity.h"
#include "store.h"
#include "tokens.h"
#include "zsc.h"

#define OWNER_A "0123456789abcdef0123456789abcdef"
#define OWNER_B "fedcba9876543210fedcba9876543210"
#define PEER1	"11111111111111111111111111111111"
#define PEER2	"22222222222222222222222222222222"
/* SHA-256("zeq-zid-v1" || 32 zero bytes), first 16 bytes, by sha256sum */
#define ZID_OF_ZERO_KEY "5a645b112d422aa124ffa07b067c6b75"

struct fx {
	char dir[64];
	struct zstore *s;
	char tok_a[ZSM_TOKEN_LEN + 1], tok_a2[ZSM_TOKEN_LEN + 1];
	char tok_b[ZSM_TOKEN_LEN + 1];
	int64_t id_a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct zsc_field_key fk;
	char err[256];
	int64_t id;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/zeq-test-api.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	memset(fk.key, 0x5a, sizeof(fk.key));
	assert_int_equal(zstore_open(f->dir, &fk, &f->s, err, sizeof(err)), 0);
	assert_int_equal(zsm_token_create(f->s, "alpha", OWNER_A, f->tok_a,
					  &f->id_a, err, sizeof(err)), 0);
	assert_int_equal(zsm_token_create(f->s, "alpha", OWNER_A, f->tok_a2,
					  &id, err, sizeof(err)), 0);
	assert_int_equal(zsm_token_create(f->s, "beta", OWNER_B, f->tok_b,
					  &id, err, sizeof(err)), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	zstore_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* send a request (printf-style), parse the response */
static json_object *call(struct fx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static json_object *call(struct fx *f, const char *fmt, ...)
{
	char req[4096], *resp;
	json_object *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	resp = zapi_handle(f->s, req, strlen(req));
	assert_non_null(resp);
	assert_null(strchr(resp, '\n'));	/* one line */
	o = json_tokener_parse(resp);
	assert_non_null(o);
	free(resp);
	return o;
}

static const char *err_code(json_object *r)
{
	json_object *ok, *e, *c;

	assert_true(json_object_object_get_ex(r, "ok", &ok));
	if (json_object_get_boolean(ok))
		return "ok";
	assert_true(json_object_object_get_ex(r, "error", &e));
	assert_true(json_object_object_get_ex(e, "code", &c));
	return json_object_get_string(c);
}

static json_object *result(json_object *r)
{
	json_object *v;

	assert_string_equal(err_code(r), "ok");
	assert_true(json_object_object_get_ex(r, "result", &v));
	return v;
}

static void expect_code(struct fx *f, const char *code, const char *req)
{
	json_object *r = call(f, "%s", req);

	assert_string_equal(err_code(r), code);
	json_object_put(r);
}

/* missing, malformed, unknown, revoked tokens: all one answer */
static void test_token_denied(void **state)
{
	struct fx *f = *state;
	char bad[ZSM_TOKEN_LEN + 1], req[256];
	json_object *r;

	expect_code(f, "unauthorized", "{\"op\":\"whoami\"}");
	expect_code(f, "unauthorized", "{\"token\":\"\",\"op\":\"whoami\"}");
	expect_code(f, "unauthorized", "{\"token\":\"zsm_short\",\"op\":\"whoami\"}");
	/* right shape, one character changed: unknown */
	memcpy(bad, f->tok_a, sizeof(bad));
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"whoami\"}", bad);
	expect_code(f, "unauthorized", req);
	/* valid, then revoked */
	r = call(f, "{\"token\":\"%s\",\"op\":\"whoami\"}", f->tok_a2);
	json_object_put(r);
	r = call(f, "{\"token\":\"%s\",\"op\":\"token.revoke\"}", f->tok_a2);
	assert_string_equal(err_code(r), "ok");
	json_object_put(r);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"whoami\"}", f->tok_a2);
	expect_code(f, "unauthorized", req);
	/* the same message for all of them: no oracle */
	r = call(f, "%s", req);
	assert_non_null(strstr(json_object_to_json_string(r),
			       "a valid zsm_ token is required"));
	json_object_put(r);
	/* revoking one token left the slug's other token working */
	r = call(f, "{\"token\":\"%s\",\"op\":\"whoami\"}", f->tok_a);
	assert_string_equal(err_code(r), "ok");
	json_object_put(r);
}

static void test_whoami(void **state)
{
	struct fx *f = *state;
	json_object *r = call(f, "{\"token\":\"%s\",\"op\":\"whoami\"}", f->tok_a), *v;

	assert_true(json_object_object_get_ex(result(r), "slug", &v));
	assert_string_equal(json_object_get_string(v), "alpha");
	assert_true(json_object_object_get_ex(result(r), "owner", &v));
	assert_string_equal(json_object_get_string(v), OWNER_A);
	assert_true(json_object_object_get_ex(result(r), "token_id", &v));
	assert_int_equal(json_object_get_int64(v), f->id_a);
	json_object_put(r);
}

static int64_t create_tunnel(struct fx *f, const char *tok, const char *peer)
{
	json_object *r = call(f, "{\"token\":\"%s\",\"op\":\"tunnels.create\","
			      "\"args\":{\"peer\":\"%s\",\"multi_hop_chain\":[\"%s\"]}}",
			      tok, peer, PEER2), *v;
	int64_t id;

	assert_true(json_object_object_get_ex(result(r), "id", &v));
	id = json_object_get_int64(v);
	assert_true(json_object_object_get_ex(result(r), "status", &v));
	assert_string_equal(json_object_get_string(v), "down");
	json_object_put(r);
	return id;
}

/* a token sees and changes only its own slug's tunnels */
static void test_tunnel_scope(void **state)
{
	struct fx *f = *state;
	int64_t id = create_tunnel(f, f->tok_a, PEER1);
	json_object *r, *arr;
	char req[256];

	/* beta sees none, cannot get, stop or delete alpha's */
	r = call(f, "{\"token\":\"%s\",\"op\":\"tunnels.list\"}", f->tok_b);
	assert_int_equal(json_object_array_length(result(r)), 0);
	json_object_put(r);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.get\","
		 "\"args\":{\"id\":%lld}}", f->tok_b, (long long)id);
	expect_code(f, "not_found", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.delete\","
		 "\"args\":{\"id\":%lld}}", f->tok_b, (long long)id);
	expect_code(f, "not_found", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.stop\","
		 "\"args\":{\"id\":%lld}}", f->tok_b, (long long)id);
	expect_code(f, "not_found", req);
	/* alpha still has it, unchanged */
	r = call(f, "{\"token\":\"%s\",\"op\":\"tunnels.list\"}", f->tok_a);
	arr = result(r);
	assert_int_equal(json_object_array_length(arr), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(arr, 0), "status")), "down");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		json_object_object_get(json_object_array_get_idx(arr, 0),
				       "multi_hop_chain"), 0)), PEER2);
	json_object_put(r);
	/* beta may have its own tunnel to the same peer */
	create_tunnel(f, f->tok_b, PEER1);
	/* alpha a second one to PEER1: conflict */
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.create\","
		 "\"args\":{\"peer\":\"%s\"}}", f->tok_a, PEER1);
	expect_code(f, "conflict", req);
	/* alpha stops then deletes its own */
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.stop\","
		 "\"args\":{\"id\":%lld}}", f->tok_a, (long long)id);
	expect_code(f, "ok", req);
	r = call(f, "{\"token\":\"%s\",\"op\":\"tunnels.get\",\"args\":{\"id\":%lld}}",
		 f->tok_a, (long long)id);
	assert_string_equal(json_object_get_string(json_object_object_get(
		result(r), "status")), "stopped");
	assert_true(json_object_get_int64(json_object_object_get(result(r),
								 "stop_zq")) > 0);
	json_object_put(r);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.delete\","
		 "\"args\":{\"id\":%lld}}", f->tok_a, (long long)id);
	expect_code(f, "ok", req);
	expect_code(f, "not_found", req);
}

/* secrets: write-only, listed as metadata, scoped to sm/SLUG/ */
static void test_secrets(void **state)
{
	struct fx *f = *state;
	uint8_t val[32];
	size_t len;
	json_object *r, *m;
	char req[512];

	/* "c2VjcmV0LXZhbHVlLTEyMw==" is "secret-value-123" */
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.put\",\"args\":"
		 "{\"purpose\":\"sm/alpha/k1\",\"value_b64\":\"c2VjcmV0LXZhbHVlLTEyMw==\"}}",
		 f->tok_a);
	expect_code(f, "ok", req);
	assert_int_equal(zsc_get(f->s, "sm/alpha/k1", val, sizeof(val), &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(val, "secret-value-123", 16);
	/* another slug's prefix, the node's own, a bare prefix: refused */
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.put\",\"args\":"
		 "{\"purpose\":\"sm/alpha/k2\",\"value_b64\":\"AAAA\"}}", f->tok_b);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.put\",\"args\":"
		 "{\"purpose\":\"node/identity\",\"value_b64\":\"AAAA\"}}", f->tok_a);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.put\",\"args\":"
		 "{\"purpose\":\"sm/alpha/\",\"value_b64\":\"AAAA\"}}", f->tok_a);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.put\",\"args\":"
		 "{\"purpose\":\"sm/alpha/k3\",\"value_b64\":\"not base64!\"}}", f->tok_a);
	expect_code(f, "bad_request", req);
	assert_int_equal(zsc_get(f->s, "sm/alpha/k2", val, sizeof(val), &len), -ENOENT);
	/* list: alpha sees k1's metadata and no value; beta sees nothing */
	r = call(f, "{\"token\":\"%s\",\"op\":\"secrets.list\"}", f->tok_a);
	assert_int_equal(json_object_array_length(result(r)), 1);
	m = json_object_array_get_idx(result(r), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(m, "purpose")),
			    "sm/alpha/k1");
	assert_int_equal(json_object_get_int(json_object_object_get(m, "len")), 16);
	assert_null(strstr(json_object_to_json_string(r), "c2VjcmV0"));
	assert_null(strstr(json_object_to_json_string(r), "secret-value"));
	json_object_put(r);
	r = call(f, "{\"token\":\"%s\",\"op\":\"secrets.list\"}", f->tok_b);
	assert_int_equal(json_object_array_length(result(r)), 0);
	json_object_put(r);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.delete\","
		 "\"args\":{\"purpose\":\"sm/alpha/k1\"}}", f->tok_b);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"secrets.delete\","
		 "\"args\":{\"purpose\":\"sm/alpha/k1\"}}", f->tok_a);
	expect_code(f, "ok", req);
	expect_code(f, "not_found", req);
}

/* malformed requests: bad_request, naming what is wrong */
static void test_malformed(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"", "[]", "42", "{", "{}}", "{\"op\":1}", "{\"op\":\"whoami\"} x",
		"{\"op\":\"whoami\",\"extra\":1}", "{\"token\":5,\"op\":\"whoami\"}",
		"{\"op\":\"whoami\",\"args\":[]}", "{\"token\":\"zsm_x\"}",
	};
	char req[512];
	json_object *r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_code(f, "bad_request", bad[i]);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.frob\"}", f->tok_a);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.get\","
		 "\"args\":{\"id\":0}}", f->tok_a);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.get\","
		 "\"args\":{\"id\":\"1\"}}", f->tok_a);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.create\","
		 "\"args\":{\"peer\":\"%s\",\"multi_hop_chain\":[\"%s\",\"%s\",\"%s\",\"%s\"]}}",
		 f->tok_a, PEER1, PEER2, PEER2, PEER2, PEER2);
	expect_code(f, "bad_request", req);
	snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":\"tunnels.create\","
		 "\"args\":{\"peer\":\"XYZ\"}}", f->tok_a);
	expect_code(f, "bad_request", req);
	r = call(f, "{\"token\":\"%s\",\"op\":\"whoami\",\"args\":{\"nope\":1}}", f->tok_a);
	assert_string_equal(err_code(r), "bad_request");
	assert_non_null(strstr(json_object_to_json_string(r), "args.nope"));
	json_object_put(r);
	/* over the line limit */
	{
		size_t n = 70000;
		char *big = malloc(n);
		char *resp;

		assert_non_null(big);
		memset(big, ' ', n);
		resp = zapi_handle(f->s, big, n);
		assert_non_null(strstr(resp, "bad_request"));
		free(resp);
		free(big);
	}
	/* nothing was created by any of it */
	r = call(f, "{\"token\":\"%s\",\"op\":\"tunnels.list\"}", f->tok_a);
	assert_int_equal(json_object_array_length(result(r)), 0);
	json_object_put(r);
}

/* tokens are stored hashed: the token text is nowhere in the database */
static void test_token_hashed(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *st;
	int rows = 0;

	assert_int_equal(sqlite3_prepare_v2(zstore_db(f->s),
		"SELECT token_hash FROM state_machines", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_int_equal(sqlite3_column_bytes(st, 0), 32);
		assert_null(memmem(sqlite3_column_blob(st, 0), 32, f->tok_a + 4, 8));
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 3);
	/* slug owned by A cannot get a token for owner B */
	{
		char tok[ZSM_TOKEN_LEN + 1], err[256];
		int64_t id;

		assert_int_equal(zsm_token_create(f->s, "alpha", OWNER_B, tok, &id,
						  err, sizeof(err)), -1);
		assert_non_null(strstr(err, "belongs to owner"));
		assert_int_equal(zsm_token_create(f->s, "Bad_Slug", OWNER_A, tok, &id,
						  err, sizeof(err)), -1);
		assert_int_equal(zsm_token_create(f->s, "ok", "notazid", tok, &id,
						  err, sizeof(err)), -1);
	}
}

static void test_identity(void **state)
{
	struct fx *f = *state;
	struct zeq_identity a, b;
	char err[256], zid[ZEQ_ZID_HEX_LEN + 1];

	assert_int_equal(identity_ensure(f->s, &a, err, sizeof(err)), 0);
	assert_true(identity_zid_valid(a.zid));
	/* stable: the second call loads the same one */
	assert_int_equal(identity_ensure(f->s, &b, err, sizeof(err)), 0);
	assert_memory_equal(a.pub, b.pub, sizeof(a.pub));
	assert_string_equal(a.zid, b.zid);
	identity_zid(a.pub, zid);
	assert_string_equal(zid, a.zid);
	/* the private key is a stored secret of 32 bytes */
	{
		uint8_t priv[64];
		size_t len;

		assert_int_equal(zsc_get(f->s, ZEQ_IDENTITY_PURPOSE, priv, sizeof(priv),
					 &len), 0);
		assert_int_equal(len, 32);
	}
	/* known answer: ZID of the all-zero key, computed independently with
	 * printf 'zeq-zid-v1' | cat - <(head -c32 /dev/zero) | sha256sum */
	memset(a.pub, 0, sizeof(a.pub));
	identity_zid(a.pub, zid);
	assert_string_equal(zid, ZID_OF_ZERO_KEY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_denied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whoami, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_hashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
	};

	return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
