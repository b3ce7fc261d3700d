// SPDX-License-Identifier: MIT
/*
 * api.c - the control API (api.h; protocol in docs/api.md).
 *
 * Transport: a non-blocking Unix stream socket on the event loop. Each
 * connection reads lines of at most ZAPI_LINE_MAX bytes; each line is one
 * request, answered by one line. A connection idle for ZAPI_IDLE_MS, a line
 * too long, or more than ZAPI_CONN_MAX connections are closed (the last
 * two after an error response). Responses are queued and written as the
 * socket accepts them, so a slow reader never blocks the daemon.
 *
 * Requests: {"token": "zsm_...", "op": "...", "args": {...}}. Parsing is
 * strict (an object; only those three members; the right types), then the
 * token is checked, then the op runs with the token's slug: a token sees
 * and changes only its own state machine's tunnels and secrets.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "api.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "store.h"
#include "tokens.h"
#include "tunnels.h"
#include "zsc.h"

#define ZAPI_LINE_MAX	65536
#define ZAPI_CONN_MAX	64
#define ZAPI_IDLE_MS	30000

/* --- responses ----------------------------------------------------------- */

static char *reply(json_object *o)
{
	char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

static char *reply_ok(json_object *result)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "result", result);
	return reply(o);
}

/* code: bad_request, unauthorized, not_found, conflict, internal */
static char *reply_err(const char *code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *reply_err(const char *code, const char *fmt, ...)
{
	json_object *o = json_object_new_object(), *e = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", e);
	return reply(o);
}

/* --- arguments ----------------------------------------------------------- */

/* an op's arguments, checked against the names the op accepts */
struct zargs {
	json_object *obj;	/* may be NULL: no args */
	const char *bad;	/* first problem, for the error message */
	char why[160];
};

static json_object *arg_get(struct zargs *a, const char *name, json_type type,
			    int required)
{
	json_object *v = NULL;

	if (a->bad)
		return NULL;
	if (!a->obj || !json_object_object_get_ex(a->obj, name, &v)) {
		if (required) {
			a->bad = name;
			snprintf(a->why, sizeof(a->why), "missing");
		}
		return NULL;
	}
	if (!json_object_is_type(v, type)) {
		a->bad = name;
		snprintf(a->why, sizeof(a->why), "must be %s",
			 json_type_to_name(type));
		return NULL;
	}
	return v;
}

/* every member of args must be in names (NULL-terminated) */
static void args_only(struct zargs *a, const char *const *names)
{
	if (a->bad || !a->obj)
		return;
	json_object_object_foreach(a->obj, key, val) {
		int known = 0;

		(void)val;
		for (const char *const *n = names; *n; n++)
			known |= !strcmp(key, *n);
		if (!known) {
			a->bad = key;
			snprintf(a->why, sizeof(a->why), "unknown argument");
			return;
		}
	}
}

static char *args_error(struct zargs *a)
{
	return reply_err("bad_request", "args.%s: %s", a->bad, a->why);
}

static int64_t arg_id(struct zargs *a)
{
	json_object *v = arg_get(a, "id", json_type_int, 1);
	int64_t id = v ? json_object_get_int64(v) : -1;

	if (v && id <= 0) {
		a->bad = "id";
		snprintf(a->why, sizeof(a->why), "must be a positive tunnel id");
	}
	return id;
}

/* --- ops ----------------------------------------------------------------- */

static json_object *tunnel_json(const struct ztunnel *t)
{
	json_object *o = json_object_new_object(), *h = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_int64(t->id));
	json_object_object_add(o, "peer", json_object_new_string(t->peer));
	json_object_object_add(o, "status", json_object_new_string(t->status));
	json_object_object_add(o, "start_zq", t->start_zq < 0 ? NULL :
			       json_object_new_int64(t->start_zq));
	json_object_object_add(o, "stop_zq", t->stop_zq < 0 ? NULL :
			       json_object_new_int64(t->stop_zq));
	json_object_object_add(o, "rx_bytes", json_object_new_int64(t->rx_bytes));
	json_object_object_add(o, "tx_bytes", json_object_new_int64(t->tx_bytes));
	for (int i = 0; i < t->nhops; i++)
		json_object_array_add(h, json_object_new_string(t->hops[i]));
	json_object_object_add(o, "multi_hop_chain", h);
	json_object_object_add(o, "purpose", t->purpose[0] ?
			       json_object_new_string(t->purpose) : NULL);
	json_object_object_add(o, "created", json_object_new_int64(t->created));
	return o;
}

struct zop_ctx {
	struct zstore *s;
	const struct zsm_session *who;
	struct zargs *a;
};

static char *op_whoami(struct zop_ctx *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "slug", json_object_new_string(c->who->slug));
	json_object_object_add(o, "owner", json_object_new_string(c->who->owner));
	json_object_object_add(o, "token_id", json_object_new_int64(c->who->token_id));
	json_object_object_add(o, "created", json_object_new_int64(c->who->created));
	return reply_ok(o);
}

static int add_tunnel(const struct ztunnel *t, void *arg)
{
	json_object_array_add(arg, tunnel_json(t));
	return 0;
}

static char *op_tunnels_list(struct zop_ctx *c)
{
	json_object *arr;

	arr = json_object_new_array();
	if (tunnels_list(c->s, c->who->slug, add_tunnel, arr)) {
		json_object_put(arr);
		return reply_err("internal", "reading tunnels failed");
	}
	return reply_ok(arr);
}

static char *op_tunnels_get(struct zop_ctx *c)
{
	struct ztunnel t;
	int64_t id;
	int rc;

	id = arg_id(c->a);
	if (c->a->bad)
		return args_error(c->a);
	rc = tunnels_get(c->s, c->who->slug, id, &t);
	if (rc == -ENOENT)
		return reply_err("not_found", "no tunnel %lld", (long long)id);
	if (rc)
		return reply_err("internal", "reading tunnel failed");
	return reply_ok(tunnel_json(&t));
}

static char *op_tunnels_create(struct zop_ctx *c)
{
	char hops[ZEQ_TUNNEL_HOPS_MAX][ZEQ_ZID_HEX_LEN + 1];
	json_object *peer, *chain;
	struct ztunnel t;
	int nhops = 0, rc;

	peer = arg_get(c->a, "peer", json_type_string, 1);
	chain = arg_get(c->a, "multi_hop_chain", json_type_array, 0);
	if (c->a->bad)
		return args_error(c->a);
	if (!identity_zid_valid(json_object_get_string(peer)))
		return reply_err("bad_request", "args.peer: a ZID is %d "
				 "lowercase hex digits", ZEQ_ZID_HEX_LEN);
	if (chain && json_object_array_length(chain) > ZEQ_TUNNEL_HOPS_MAX)
		return reply_err("bad_request", "args.multi_hop_chain: at most "
				 "%d hops", ZEQ_TUNNEL_HOPS_MAX);
	for (size_t i = 0; chain && i < json_object_array_length(chain); i++) {
		json_object *h = json_object_array_get_idx(chain, i);

		if (!json_object_is_type(h, json_type_string) ||
		    !identity_zid_valid(json_object_get_string(h)))
			return reply_err("bad_request", "args.multi_hop_chain[%zu]: "
					 "not a ZID", i);
		snprintf(hops[nhops++], sizeof(hops[0]), "%s",
			 json_object_get_string(h));
	}
	rc = tunnels_create(c->s, c->who->slug, json_object_get_string(peer),
			    (const char (*)[ZEQ_ZID_HEX_LEN + 1])hops, nhops, &t);
	if (rc == -EEXIST)
		return reply_err("conflict", "a tunnel to %s exists already",
				 json_object_get_string(peer));
	if (rc)
		return reply_err("internal", "creating the tunnel failed");
	log_info("api: %s: tunnel %lld to %s created", c->who->slug,
		 (long long)t.id, t.peer);
	return reply_ok(tunnel_json(&t));
}

static char *op_tunnels_stop_delete(struct zop_ctx *c, int del)
{
	int64_t id;
	int rc;

	id = arg_id(c->a);
	if (c->a->bad)
		return args_error(c->a);
	rc = del ? tunnels_delete(c->s, c->who->slug, id) :
	     tunnels_stop(c->s, c->who->slug, id);
	if (rc == -ENOENT)
		return reply_err("not_found", "no tunnel %lld", (long long)id);
	if (rc)
		return reply_err("internal", "updating the tunnel failed");
	log_info("api: %s: tunnel %lld %s", c->who->slug, (long long)id,
		 del ? "deleted" : "stopped");
	return reply_ok(json_object_new_object());
}

static char *op_tunnels_stop(struct zop_ctx *c)
{
	return op_tunnels_stop_delete(c, 0);
}

static char *op_tunnels_delete(struct zop_ctx *c)
{
	return op_tunnels_stop_delete(c, 1);
}

/* "sm/SLUG/" */
static void slug_prefix(const struct zsm_session *who, char *buf, size_t n)
{
	snprintf(buf, n, "sm/%s/", who->slug);
}

/* purpose argument: well-formed and under the caller's prefix */
static const char *arg_purpose(struct zop_ctx *c, char *why, size_t n)
{
	json_object *v = arg_get(c->a, "purpose", json_type_string, 1);
	char prefix[ZSM_SLUG_MAX + 8];
	const char *p;

	if (!v)
		return NULL;
	p = json_object_get_string(v);
	slug_prefix(c->who, prefix, sizeof(prefix));
	if (!zsc_purpose_valid(p))
		snprintf(why, n, "args.purpose: 1 to %d of A-Z a-z 0-9 . _ : / -",
			 ZSC_PURPOSE_MAX);
	else if (strncmp(p, prefix, strlen(prefix)) || !p[strlen(prefix)])
		snprintf(why, n, "args.purpose: must start with \"%s\"", prefix);
	else
		return p;
	return NULL;
}

struct list_ctx {
	json_object *arr;
};

static int add_secret(const struct zsc_meta *m, void *arg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "purpose", json_object_new_string(m->purpose));
	json_object_object_add(o, "len", json_object_new_int64((int64_t)m->len));
	json_object_object_add(o, "key_version", json_object_new_int64(m->key_version));
	json_object_object_add(o, "created", json_object_new_int64(m->created));
	json_object_object_add(o, "updated", json_object_new_int64(m->updated));
	json_object_array_add(((struct list_ctx *)arg)->arr, o);
	return 0;
}

static char *op_secrets_list(struct zop_ctx *c)
{
	char prefix[ZSM_SLUG_MAX + 8];
	struct list_ctx l;

	slug_prefix(c->who, prefix, sizeof(prefix));
	l.arr = json_object_new_array();
	if (zsc_list(c->s, prefix, add_secret, &l)) {
		json_object_put(l.arr);
		return reply_err("internal", "listing secrets failed");
	}
	return reply_ok(l.arr);
}

static char *op_secrets_put(struct zop_ctx *c)
{
	uint8_t *val = NULL;
	const char *purpose, *b64;
	char why[128] = "";
	json_object *v, *o;
	size_t blen;
	int len, pad = 0, rc;

	purpose = arg_purpose(c, why, sizeof(why));
	v = arg_get(c->a, "value_b64", json_type_string, 1);
	if (c->a->bad)
		return args_error(c->a);
	if (!purpose)
		return reply_err("bad_request", "%s", why);
	b64 = json_object_get_string(v);
	blen = strlen(b64);
	if (blen % 4 || blen > (ZSC_VALUE_MAX + 2) / 3 * 4)
		return reply_err("bad_request", "args.value_b64: not base64 of "
				 "at most %d bytes", ZSC_VALUE_MAX);
	val = malloc(blen / 4 * 3 + 1);
	if (!val)
		return reply_err("internal", "out of memory");
	len = EVP_DecodeBlock(val, (const unsigned char *)b64, (int)blen);
	pad = blen >= 1 && b64[blen - 1] == '=' ? 1 + (blen >= 2 && b64[blen - 2] == '=') : 0;
	if (len < 0 || len - pad < 0 || len - pad > ZSC_VALUE_MAX) {
		OPENSSL_cleanse(val, blen / 4 * 3 + 1);
		free(val);
		return reply_err("bad_request", "args.value_b64: not base64 of "
				 "at most %d bytes", ZSC_VALUE_MAX);
	}
	len -= pad;
	rc = zsc_put(c->s, purpose, val, (size_t)len);
	OPENSSL_cleanse(val, blen / 4 * 3 + 1);
	free(val);
	OPENSSL_cleanse((char *)b64, blen);	/* json-c's copy of the value */
	if (rc == -EINVAL)
		return reply_err("bad_request", "args.value_b64: must decode to "
				 "1 to %d bytes", ZSC_VALUE_MAX);
	if (rc)
		return reply_err("internal", "storing the secret failed");
	log_info("api: %s: secret %s written (%d bytes)", c->who->slug, purpose, len);
	o = json_object_new_object();
	json_object_object_add(o, "purpose", json_object_new_string(purpose));
	json_object_object_add(o, "len", json_object_new_int(len));
	json_object_object_add(o, "key_version",
			       json_object_new_int64(zstore_key_version(c->s)));
	return reply_ok(o);
}

static char *op_secrets_delete(struct zop_ctx *c)
{
	const char *purpose;
	char why[128] = "";
	int rc;

	purpose = arg_purpose(c, why, sizeof(why));
	if (c->a->bad)
		return args_error(c->a);
	if (!purpose)
		return reply_err("bad_request", "%s", why);
	rc = zsc_delete(c->s, purpose);
	if (rc == -ENOENT)
		return reply_err("not_found", "no secret %s", purpose);
	if (rc)
		return reply_err("internal", "deleting the secret failed");
	log_info("api: %s: secret %s deleted", c->who->slug, purpose);
	return reply_ok(json_object_new_object());
}

static char *op_token_revoke(struct zop_ctx *c)
{
	if (zsm_token_revoke(c->s, c->who->token_id, NULL) != 1)
		return reply_err("internal", "revoking the token failed");
	log_notice("api: %s: token %lld revoked by its holder", c->who->slug,
		   (long long)c->who->token_id);
	return reply_ok(json_object_new_object());
}

/* the argument names each op accepts */
static const char *const args_none[] = { NULL };
static const char *const args_id[] = { "id", NULL };
static const char *const args_create[] = { "peer", "multi_hop_chain", NULL };
static const char *const args_put[] = { "purpose", "value_b64", NULL };
static const char *const args_purpose[] = { "purpose", NULL };

static const struct zop {
	const char *name;
	char *(*fn)(struct zop_ctx *c);
	const char *const *args;
} zops[] = {
	{ "whoami", op_whoami, args_none },
	{ "tunnels.list", op_tunnels_list, args_none },
	{ "tunnels.get", op_tunnels_get, args_id },
	{ "tunnels.create", op_tunnels_create, args_create },
	{ "tunnels.stop", op_tunnels_stop, args_id },
	{ "tunnels.delete", op_tunnels_delete, args_id },
	{ "secrets.list", op_secrets_list, args_none },
	{ "secrets.put", op_secrets_put, args_put },
	{ "secrets.delete", op_secrets_delete, args_purpose },
	{ "token.revoke", op_token_revoke, args_none },
};

/* --- one request ----------------------------------------------------------- */

static char *handle_obj(struct zstore *s, json_object *req)
{
	json_object *token = NULL, *op = NULL, *args = NULL;
	struct zsm_session who;
	struct zargs a = { 0 };
	struct zop_ctx c;
	int rc;

	if (!json_object_is_type(req, json_type_object))
		return reply_err("bad_request", "a request is a JSON object");
	json_object_object_foreach(req, key, val) {
		json_type want = !strcmp(key, "args") ? json_type_object :
				 json_type_string;

		if (strcmp(key, "token") && strcmp(key, "op") && strcmp(key, "args"))
			return reply_err("bad_request", "unknown member \"%.64s\"", key);
		if (!json_object_is_type(val, want))
			return reply_err("bad_request", "\"%s\" must be %s", key,
					 json_type_to_name(want));
		if (!strcmp(key, "token"))
			token = val;
		else if (!strcmp(key, "op"))
			op = val;
		else
			args = val;
	}
	if (!op)
		return reply_err("bad_request", "\"op\" missing");
	/* one answer for a missing, malformed, unknown or revoked token */
	rc = token ? zsm_token_verify(s, json_object_get_string(token), &who) :
	     -EACCES;
	if (rc == -EACCES) {
		log_info("api: request refused: no valid token");
		return reply_err("unauthorized", "a valid zsm_ token is required");
	}
	if (rc)
		return reply_err("internal", "checking the token failed");
	a.obj = args;
	c.s = s;
	c.who = &who;
	c.a = &a;
	for (size_t i = 0; i < sizeof(zops) / sizeof(zops[0]); i++)
		if (!strcmp(json_object_get_string(op), zops[i].name)) {
			log_debug("api: %s: %s", who.slug, zops[i].name);
			/* unknown arguments are refused before the op runs */
			args_only(&a, zops[i].args);
			if (a.bad)
				return args_error(&a);
			return zops[i].fn(&c);
		}
	return reply_err("bad_request", "unknown op \"%.64s\"",
			 json_object_get_string(op));
}

char *zapi_handle(struct zstore *s, const char *req, size_t len)
{
	json_tokener *tok;
	json_object *o;
	char *resp;

	if (len > ZAPI_LINE_MAX)
		return reply_err("bad_request", "request longer than %d bytes",
				 ZAPI_LINE_MAX);
	tok = json_tokener_new_ex(16);
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, req, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len)
		resp = reply_err("bad_request", "not one JSON object: %s",
				 o ? "trailing bytes" :
				 json_tokener_error_desc(json_tokener_get_error(tok)));
	else
		resp = handle_obj(s, o);
	json_object_put(o);
	json_tokener_free(tok);
	return resp;
}

/* --- transport ------------------------------------------------------------- */

/**
 * struct zconn - one client connection
 * @fd: the accepted socket
 * @in: bytes read, not yet a whole line (at most ZAPI_LINE_MAX + 1)
 * @inlen: bytes in @in
 * @out: responses not yet written
 * @outlen: bytes in @out; @outoff: bytes of them already written
 * @closing: close once @out is written (line too long)
 * @idle: closes the connection when it has been idle ZAPI_IDLE_MS
 * @next: list of the API's connections
 */
struct zconn {
	struct zapi *api;
	int fd;
	char *in;
	size_t inlen;
	char *out;
	size_t outlen, outoff;
	int closing;
	struct zloop_timer *idle;
	struct zconn *next;
};

struct zapi {
	struct zloop *loop;
	struct zstore *store;
	int fd;
	char path[ZEQD_SOCKET_PATH_MAX];
	struct zconn *conns;
	int nconns;
};

static void conn_close(struct zconn *c)
{
	struct zapi *a = c->api;

	for (struct zconn **p = &a->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	a->nconns--;
	zloop_del_fd(a->loop, c->fd);
	zloop_timer_del(a->loop, c->idle);
	close(c->fd);
	OPENSSL_cleanse(c->in, ZAPI_LINE_MAX + 1);	/* tokens, secret values */
	free(c->in);
	free(c->out);
	free(c);
}

/* write what we can; close when done and closing; 0 or -1 (closed) */
static int conn_flush(struct zconn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
				 MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			conn_close(c);
			return -1;
		}
		c->outoff += (size_t)n;
	}
	if (c->outoff == c->outlen) {
		c->outoff = c->outlen = 0;
		if (c->closing) {
			conn_close(c);
			return -1;
		}
	}
	/* a closing connection reads nothing more: no EPOLLIN to spin on */
	zloop_mod_fd(c->api->loop, c->fd, c->closing ? EPOLLOUT :
		     c->outlen ? EPOLLIN | EPOLLOUT : EPOLLIN);
	return 0;
}

/* queue resp and a newline */
static int conn_queue(struct zconn *c, char *resp)
{
	size_t n = resp ? strlen(resp) : 0;
	char *o;

	if (!resp)
		return -1;
	o = realloc(c->out, c->outlen + n + 1);
	if (!o) {
		free(resp);
		return -1;
	}
	memcpy(o + c->outlen, resp, n);
	o[c->outlen + n] = '\n';
	c->out = o;
	c->outlen += n + 1;
	free(resp);
	return 0;
}

/* answer every whole line in the input buffer */
static int conn_lines(struct zconn *c)
{
	char *nl;

	while ((nl = memchr(c->in, '\n', c->inlen))) {
		size_t len = (size_t)(nl - c->in);
		/* a CRLF line end is a line end too */
		size_t jlen = len && c->in[len - 1] == '\r' ? len - 1 : len;

		if (conn_queue(c, zapi_handle(c->api->store, c->in, jlen)) < 0)
			return -1;
		OPENSSL_cleanse(c->in, len + 1);
		memmove(c->in, nl + 1, c->inlen - len - 1);
		c->inlen -= len + 1;
	}
	if (c->inlen > ZAPI_LINE_MAX) {
		log_info("api: request longer than %d bytes: closing", ZAPI_LINE_MAX);
		c->closing = 1;
		return conn_queue(c, zapi_handle(c->api->store, c->in, c->inlen));
	}
	return 0;
}

static void conn_idle(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zconn *c = arg;

	(void)l;
	(void)t;
	log_debug("api: idle connection closed");
	conn_close(c);
}

static void conn_event(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct zconn *c = arg;
	ssize_t n;

	(void)fd;
	if ((events & EPOLLOUT) && conn_flush(c) < 0)
		return;
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || c->closing)
		return;
	n = recv(c->fd, c->in + c->inlen, ZAPI_LINE_MAX + 1 - c->inlen, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->inlen += (size_t)n;
	zloop_timer_rearm(l, c->idle, ZAPI_IDLE_MS);
	if (conn_lines(c) < 0) {
		conn_close(c);
		return;
	}
	conn_flush(c);
}

static void api_accept(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct zapi *a = arg;
	struct zconn *c;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (a->nconns >= ZAPI_CONN_MAX) {
		log_warn("api: %d connections open: refusing another", a->nconns);
		close(cfd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->in = malloc(ZAPI_LINE_MAX + 1);
	if (c && c->in)
		c->idle = zloop_timer_add(l, ZAPI_IDLE_MS, conn_idle, c);
	if (!c || !c->in || !c->idle ||
	    zloop_add_fd(l, cfd, EPOLLIN, conn_event, c) < 0) {
		if (c)
			zloop_timer_del(l, c->idle);
		if (c)
			free(c->in);
		free(c);
		close(cfd);
		return;
	}
	c->api = a;
	c->fd = cfd;
	c->next = a->conns;
	a->conns = c;
	a->nconns++;
}

/* 1 if something accepts connections at path (a live daemon) */
static int socket_live(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), live;

	if (fd < 0)
		return 0;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return live;
}

/* mkdir -p of path's directory, mode 0750 for what we create */
static int make_parent(const char *path)
{
	char dir[ZEQD_SOCKET_PATH_MAX];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0750) < 0 && errno != EEXIST ? -1 : 0;
}

/* bind, chmod 0660 and chown to group: the listening socket or -1 */
static int api_listen(const struct zeqd_config *c, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct group gr, *grp = NULL;
	char grbuf[4096];
	mode_t old;
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", c->socket_path);
	if (make_parent(c->socket_path) < 0) {
		snprintf(err, errlen, "%s: creating its directory: %s",
			 c->socket_path, strerror(errno));
		return -1;
	}
	if (socket_live(&sun)) {
		snprintf(err, errlen, "%s: another process is serving on it",
			 c->socket_path);
		return -1;
	}
	unlink(c->socket_path);	/* stale, from a daemon that died */
	if (c->socket_group[0] &&
	    (getgrnam_r(c->socket_group, &gr, grbuf, sizeof(grbuf), &grp) || !grp)) {
		snprintf(err, errlen, "control_group %s: no such group",
			 c->socket_group);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0117);	/* born 0660: never briefly wider */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		umask(old);
		snprintf(err, errlen, "%s: bind: %s", c->socket_path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(c->socket_path, 0660) < 0 ||
	    (grp && chown(c->socket_path, (uid_t)-1, grp->gr_gid) < 0) ||
	    listen(fd, 16) < 0) {
		snprintf(err, errlen, "%s: %s", c->socket_path, strerror(errno));
		unlink(c->socket_path);
		close(fd);
		return -1;
	}
	return fd;
}

int zapi_open(struct zloop *l, struct zstore *s, const struct zeqd_config *c,
	      struct zapi **out, char *err, size_t errlen)
{
	struct zapi *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->fd = api_listen(c, err, errlen);
	if (a->fd < 0) {
		free(a);
		return -1;
	}
	a->loop = l;
	a->store = s;
	snprintf(a->path, sizeof(a->path), "%s", c->socket_path);
	if (zloop_add_fd(l, a->fd, EPOLLIN, api_accept, a) < 0) {
		snprintf(err, errlen, "%s: cannot watch the socket", a->path);
		unlink(a->path);
		close(a->fd);
		free(a);
		return -1;
	}
	log_info("api: listening on %s", a->path);
	*out = a;
	return 0;
}

void zapi_close(struct zapi *a)
{
	if (!a)
		return;
	while (a->conns)
		conn_close(a->conns);
	zloop_del_fd(a->loop, a->fd);
	close(a->fd);
	unlink(a->path);
	free(a);
}
