// SPDX-License-Identifier: MIT
/*
 * zeqd_status.c - reading zeqd's status file (zeqd_status.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "zeq_constants.h"
#include "zeqd_status.h"

#define STATUS_MAX	(1 << 20)
#define STATUS_VERSION	1

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* an integer member; def when absent or null */
static int64_t num(json_object *o, const char *key, int64_t def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return def;
	return json_object_get_int64(v);
}

static int copy(char *dst, size_t cap, const char *s)
{
	if (!s || strlen(s) >= cap)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int parse_tunnel(json_object *o, struct zeqd_tunnel *t)
{
	json_object *v;
	int64_t id = num(o, "peer_id", -1);

	if (!json_object_is_type(o, json_type_object) ||
	    copy(t->name, sizeof(t->name), str(o, "name")) ||
	    copy(t->device, sizeof(t->device), str(o, "device")) ||
	    copy(t->state, sizeof(t->state), str(o, "state")) ||
	    copy(t->why, sizeof(t->why), str(o, "why")) ||
	    id < 1 || id > UINT32_MAX)
		return -1;
	t->peer_id = (uint32_t)id;
	t->since = num(o, "since", 0);
	t->epoch = num(o, "epoch", -1);
	t->ml_kem = json_object_object_get_ex(o, "ml_kem", &v) &&
		    json_object_get_boolean(v);
	if (copy(t->link, sizeof(t->link), str(o, "link")))
		t->link[0] = '\0';
	if (copy(t->resolver, sizeof(t->resolver), str(o, "resolver")))
		t->resolver[0] = '\0';
	return 0;
}

int zeqd_status_parse(const char *text, size_t len, struct zeqd_status *st)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = NULL, *peers;
	size_t n;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (!tok)
		return -1;
	o = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object) ||
	    num(o, "version", 0) != STATUS_VERSION ||
	    !json_object_object_get_ex(o, "peers", &peers) ||
	    !json_object_is_type(peers, json_type_array))
		goto out;
	st->pid = num(o, "pid", 0);
	n = json_object_array_length(peers);
	st->t = calloc(n ? n : 1, sizeof(*st->t));
	if (!st->t)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (parse_tunnel(json_object_array_get_idx(peers, i),
				 &st->t[st->n]) == 0)
			st->n++;
	ret = 0;
out:
	json_object_put(o);
	if (ret)
		zeqd_status_free(st);
	return ret;
}

/* the zeqd that wrote st still runs (pid unknown: assume it does) */
static bool writer_alive(const struct zeqd_status *st)
{
	return st->pid <= 0 || kill((pid_t)st->pid, 0) == 0 || errno == EPERM;
}

void zeqd_status_load(struct zeqd_status *st)
{
	const char *path = getenv("ZEQ_STATUS_FILE");
	char *buf = malloc(STATUS_MAX);
	size_t len = 0;
	FILE *f;

	memset(st, 0, sizeof(*st));
	if (!path || !*path)
		path = ZEQ_STATUS_FILE_DEFAULT;
	f = buf ? fopen(path, "re") : NULL;
	if (f) {
		len = fread(buf, 1, STATUS_MAX, f);
		fclose(f);
	}
	if (len && len < STATUS_MAX && !zeqd_status_parse(buf, len, st) &&
	    !writer_alive(st))
		zeqd_status_free(st);
	free(buf);
}

void zeqd_status_free(struct zeqd_status *st)
{
	free(st->t);
	st->t = NULL;
	st->n = 0;
}

const struct zeqd_tunnel *zeqd_status_find(const struct zeqd_status *st,
					   const char *device, uint32_t id)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->t[i].peer_id == id && !strcmp(st->t[i].device, device))
			return &st->t[i];
	return NULL;
}
