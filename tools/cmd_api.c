// SPDX-License-Identifier: MIT
/*
 * cmd_api.c - zeqctl's daemon commands (tunnels, secrets, token): one
 * request to zeqd's control socket (docs/api.md), the answer printed as
 * text or, with -j, as the JSON result itself.
 *
 * The zsm_ token is a credential, so it never comes from the command line:
 * --token-file FILE, else the file in $ZEQ_TOKEN_FILE, else $ZEQ_TOKEN.
 * The socket is --socket PATH, else $ZEQ_SOCKET, else /run/zeq/zeqd.sock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "cmds.h"

#define API_SOCKET_DEFAULT	"/run/zeq/zeqd.sock"
#define API_TOKEN_MAX		128
#define API_TIMEOUT_MS		10000
#define API_RESPONSE_MAX	(16 << 20)

/* a token file: "zsm_..." and an optional newline */
static int parse_token(const char *buf, size_t len, void *out, char *why,
		       size_t whylen)
{
	char *tok = out;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len < 5 || len >= API_TOKEN_MAX || strncmp(buf, "zsm_", 4) ||
	    memchr(buf, '\n', len) || memchr(buf, '\0', len)) {
		snprintf(why, whylen, "not a zsm_ token");
		return -1;
	}
	memcpy(tok, buf, len);
	tok[len] = '\0';
	return 0;
}

static int load_token(const struct zc_args *a, char *tok)
{
	const char *file = a->token_file ? a->token_file : getenv("ZEQ_TOKEN_FILE");
	const char *env = getenv("ZEQ_TOKEN");
	char why[64];

	if (file)
		return cli_load_secret(file, "token file", parse_token, tok);
	if (env) {
		if (parse_token(env, strlen(env), tok, why, sizeof(why)) < 0)
			return cli_error("ZEQ_TOKEN: %s", why);
		return 0;
	}
	return cli_error("no token: use --token-file FILE or set ZEQ_TOKEN_FILE "
			 "(a zsm_ token from \"zeqd token create\")");
}

static json_object *build_request(const struct zc_args *a, const char *tok)
{
	json_object *req = json_object_new_object(), *args = json_object_new_object();

	json_object_object_add(req, "token", json_object_new_string(tok));
	json_object_object_add(req, "op", json_object_new_string(a->api_op));
	if (a->tunnel_id)
		json_object_object_add(args, "id", json_object_new_int64(a->tunnel_id));
	if (a->peer_zid) {
		json_object *h = json_object_new_array();

		json_object_object_add(args, "peer", json_object_new_string(a->peer_zid));
		for (int i = 0; i < a->nhops; i++)
			json_object_array_add(h, json_object_new_string(a->hops[i]));
		json_object_object_add(args, "multi_hop_chain", h);
	}
	json_object_object_add(req, "args", args);
	return req;
}

static int connect_daemon(const struct zc_args *a)
{
	const char *path = a->socket_path ? a->socket_path : getenv("ZEQ_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (!path)
		path = API_SOCKET_DEFAULT;
	if (strlen(path) >= sizeof(sun.sun_path))
		return cli_usage_error("socket path \"%s\" too long", path), -1;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		cli_error("zeqd control socket %s: %s%s", path, strerror(errno),
			  errno == ENOENT || errno == ECONNREFUSED ?
			  " (is zeqd running?)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* send the request line (with its newline), read the response line
 * (malloc'd) */
static char *exchange(int fd, const char *line)
{
	size_t len = strlen(line), cap = 4096, have = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *buf;

	for (size_t off = 0; off < len;) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);

		if (n <= 0)
			return NULL;
		off += (size_t)n;
	}
	buf = malloc(cap);
	while (buf) {
		ssize_t n;

		if (poll(&p, 1, API_TIMEOUT_MS) <= 0) {
			errno = ETIMEDOUT;
			break;
		}
		n = recv(fd, buf + have, cap - have - 1, 0);
		if (n <= 0) {
			errno = n ? errno : ECONNRESET;
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		if (memchr(buf, '\n', have))
			return buf;
		if (have + 1 == cap) {
			char *nb = cap < API_RESPONSE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	free(buf);
	return NULL;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return "-";
	return json_object_get_string(v);
}

static void print_tunnel(json_object *t)
{
	json_object *h;

	printf("tunnel %s: peer %s, %s", str(t, "id"), str(t, "peer"), str(t, "status"));
	if (json_object_object_get_ex(t, "multi_hop_chain", &h) &&
	    json_object_array_length(h)) {
		printf(", via");
		for (size_t i = 0; i < json_object_array_length(h); i++)
			printf("%s%s", i ? "," : " ",
			       json_object_get_string(json_object_array_get_idx(h, i)));
	}
	printf("\n  start %s, stop %s (Zeqonds), rx %s bytes, tx %s bytes, "
	       "key secret %s\n", str(t, "start_zq"), str(t, "stop_zq"),
	       str(t, "rx_bytes"), str(t, "tx_bytes"), str(t, "purpose"));
}

static void print_text(const struct zc_args *a, json_object *res)
{
	const char *op = a->api_op;

	if (!strcmp(op, "tunnels.list")) {
		size_t n = json_object_array_length(res);

		for (size_t i = 0; i < n; i++)
			print_tunnel(json_object_array_get_idx(res, i));
		if (!n)
			printf("no tunnels\n");
	} else if (!strcmp(op, "tunnels.get") || !strcmp(op, "tunnels.create")) {
		print_tunnel(res);
	} else if (!strcmp(op, "secrets.list")) {
		size_t n = json_object_array_length(res);

		for (size_t i = 0; i < n; i++) {
			json_object *m = json_object_array_get_idx(res, i);

			printf("%s: %s bytes, key version %s, updated %s\n",
			       str(m, "purpose"), str(m, "len"),
			       str(m, "key_version"), str(m, "updated"));
		}
		if (!n)
			printf("no secrets\n");
	} else if (!strcmp(op, "whoami")) {
		printf("state machine %s, owner %s, token %s (created %s)\n",
		       str(res, "slug"), str(res, "owner"), str(res, "token_id"),
		       str(res, "created"));
	}
	/* stop, delete, revoke: silence is success, as with ip(8) */
}

int cmd_api(const struct zc_args *a)
{
	char tok[API_TOKEN_MAX], *resp = NULL;
	json_object *req, *r = NULL, *ok, *res, *err;
	int fd, ret = EXIT_RUNTIME;

	if (load_token(a, tok))
		return EXIT_RUNTIME;
	req = build_request(a, tok);
	explicit_bzero(tok, sizeof(tok));
	fd = connect_daemon(a);
	if (fd >= 0) {
		const char *json = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		char *line = NULL;

		if (asprintf(&line, "%s\n", json) < 0)
			line = NULL;
		resp = line ? exchange(fd, line) : NULL;
		explicit_bzero((char *)json, strlen(json));
		if (line) {
			explicit_bzero(line, strlen(line));
			free(line);
		}
		if (!resp)
			cli_error("zeqd: %s", strerror(errno));
		close(fd);
	}
	json_object_put(req);
	if (resp)
		r = json_tokener_parse(resp);
	if (resp && (!r || !json_object_object_get_ex(r, "ok", &ok))) {
		cli_error("zeqd sent a malformed response");
	} else if (resp && !json_object_get_boolean(ok)) {
		json_object_object_get_ex(r, "error", &err);
		fprintf(stderr, "Error: %s: %s\n", str(err, "code"), str(err, "message"));
	} else if (resp) {
		json_object_object_get_ex(r, "result", &res);
		if (a->json)
			printf("%s\n", json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			print_text(a, res);
		ret = EXIT_OK;
	}
	json_object_put(r);
	free(resp);
	return ret;
}
