// SPDX-License-Identifier: MIT
/*
 * fuzz_api.c - zeqd's control API requests (daemon/api.c zapi_handle)
 * over a real store (SQLite in a temporary directory, synchronous=OFF for
 * speed), with a valid zsm_ token for state machine "fz" and a tunnel and
 * secret of another state machine "other".
 *
 * Input: one request line (any bytes, not NUL-terminated). It is handled
 * as it is, and again with every "TOKEN" in it replaced by the valid
 * token, so the fuzzer reaches the ops behind the token check.
 * Checks: every response is one line of JSON, an object with "ok"; a
 * failure has an error code from the documented set; no response ever
 * contains the secret value stored, the token, or anything of "other"'s
 * (unless the request itself held it). A bad_request error may quote the
 * request back, escaped, and is not searched.
 */
#include "fuzz.h"

#include <json-c/json.h>

#include "api.h"
#include "log.h"
#include "store.h"
#include "tokens.h"
#include "tunnels.h"
#include "zsc.h"

#define OWNER	"0123456789abcdef0123456789abcdef"
#define PEER	"99999999999999999999999999999999"
/* spaces: no purpose can hold it, so a listing cannot show it */
#define SECRET	"fuzz secret value, do not leak!"

static struct zstore *g_store;
static char g_token[ZSM_TOKEN_LEN + 1];
static char g_dir[64];

static void cleanup(void)
{
	char cmd[128];

	zstore_close(g_store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	if (system(cmd))
		fprintf(stderr, "fuzz_api: could not remove %s\n", g_dir);
}

/* the store, made at the first input (fuzz.h owns LLVMFuzzerInitialize) */
static void setup(void)
{
	struct zsc_field_key fk;
	char err[256] = "", other[ZSM_TOKEN_LEN + 1];
	struct ztunnel t;
	int64_t id;

	zlog_init("fuzz_api", ZLOG_ERR);
	snprintf(g_dir, sizeof(g_dir), "/tmp/zeq-fuzz-api.XXXXXX");
	memset(fk.key, 0x42, sizeof(fk.key));
	if (!mkdtemp(g_dir) || zstore_open(g_dir, &fk, &g_store, err, sizeof(err)) ||
	    sqlite3_exec(zstore_db(g_store), "PRAGMA synchronous=OFF", NULL, NULL, NULL) ||
	    zsm_token_create(g_store, "fz", OWNER, g_token, &id, err, sizeof(err)) ||
	    zsm_token_create(g_store, "other", OWNER, other, &id, err, sizeof(err)) ||
	    tunnels_create(g_store, "other", PEER, NULL, 0, &t) ||
	    zsc_put(g_store, "sm/other/key", SECRET, strlen(SECRET)) ||
	    zsc_put(g_store, "sm/fz/key", SECRET, strlen(SECRET))) {
		fprintf(stderr, "fuzz_api: setup failed: %s\n", err);
		abort();
	}
	atexit(cleanup);
}

/* needle is in the response but was not in the request: a leak (an
 * error message may quote the request back, which leaks nothing) */
static int leaked(const char *resp, const char *req, size_t len,
		  const char *needle)
{
	return strstr(resp, needle) && !memmem(req, len, needle, strlen(needle));
}

static void check_response(const char *resp, const char *req, size_t len)
{
	static const char *const codes[] = {
		"bad_request", "unauthorized", "not_found", "conflict", "internal",
	};
	json_object *o, *ok, *e, *c;
	int known = 0, quotes = 0;

	FUZZ_CHECK(resp, "no response");
	FUZZ_CHECK(!strchr(resp, '\n'), "a response with a newline: %s", resp);
	o = json_tokener_parse(resp);
	FUZZ_CHECK(o && json_object_object_get_ex(o, "ok", &ok),
		   "not a JSON object with ok: %s", resp);
	if (!json_object_get_boolean(ok)) {
		FUZZ_CHECK(json_object_object_get_ex(o, "error", &e) &&
			   json_object_object_get_ex(e, "code", &c), "no error code");
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
			known |= !strcmp(json_object_get_string(c), codes[i]);
		FUZZ_CHECK(known, "undocumented error code %s",
			   json_object_get_string(c));
		/* only bad_request quotes the request back (JSON-unescaped) */
		quotes = !strcmp(json_object_get_string(c), "bad_request");
	}
	json_object_put(o);
	/*
	 * A bad_request comes from the request alone and may quote it back,
	 * JSON-escaped ("\u0019" + "999..." holds 32 nines that the request
	 * did not): it is not searched. Everything else is.
	 */
	if (quotes)
		return;
	FUZZ_CHECK(!strstr(resp, SECRET), "a secret value in a response: %s",
		   resp);
	FUZZ_CHECK(!leaked(resp, req, len, g_token + 4), "the token in a response");
	FUZZ_CHECK(!leaked(resp, req, len, PEER) &&
		   !leaked(resp, req, len, "sm/other/"),
		   "another state machine's data in a response: %s", resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *resp, *sub;
	size_t n = 0;

	if (size > 70000)
		return 0;
	if (!g_store)
		setup();
	resp = zapi_handle(g_store, (const char *)data, size);
	check_response(resp, (const char *)data, size);
	free(resp);
	/* with the token substituted */
	sub = malloc(size * 10 + 1);
	if (!sub)
		return 0;
	for (size_t i = 0; i < size;) {
		if (size - i >= 5 && !memcmp(data + i, "TOKEN", 5)) {
			memcpy(sub + n, g_token, ZSM_TOKEN_LEN);
			n += ZSM_TOKEN_LEN;
			i += 5;
		} else {
			sub[n++] = (char)data[i++];
		}
	}
	resp = zapi_handle(g_store, sub, n);
	check_response(resp, sub, n);
	free(resp);
	free(sub);
	return 0;
}
