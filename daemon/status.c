// SPDX-License-Identifier: MIT
/*
 * status.c - the status file for `zeqctl show` (status.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "status.h"

static json_object *peer_json(const struct zstatus_peer *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "device", json_object_new_string(p->device));
	json_object_object_add(o, "peer_id", json_object_new_int64(p->peer_id));
	json_object_object_add(o, "zid", json_object_new_string(p->zid));
	json_object_object_add(o, "state", json_object_new_string(p->state));
	json_object_object_add(o, "why", json_object_new_string(p->why));
	json_object_object_add(o, "since", json_object_new_int64(p->since));
	json_object_object_add(o, "epoch", p->epoch < 0 ? NULL :
			       json_object_new_int64(p->epoch));
	json_object_object_add(o, "ml_kem", json_object_new_boolean(p->ml_kem));
	json_object_object_add(o, "link", p->link ?
			       json_object_new_string(p->link) : NULL);
	json_object_object_add(o, "resolver", p->resolver ?
			       json_object_new_string(p->resolver) : NULL);
	return o;
}

int zstatus_write(const char *path, const char *node, bool kem,
		  const struct zstatus_peer *p, unsigned int n, char *err,
		  size_t errlen)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	char tmp[4200];
	const char *text;
	size_t len;
	int fd, ret = -1;

	json_object_object_add(o, "version",
			       json_object_new_int(ZEQ_STATUS_VERSION));
	json_object_object_add(o, "pid", json_object_new_int64(getpid()));
	json_object_object_add(o, "node", json_object_new_string(node));
	json_object_object_add(o, "updated",
			       json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(o, "ml_kem_offered",
			       json_object_new_boolean(kem));
	for (unsigned int i = 0; i < n; i++)
		json_object_array_add(a, peer_json(&p[i]));
	json_object_object_add(o, "peers", a);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fchmod(fd, 0644) < 0 ||
	    rename(tmp, path) < 0)
		snprintf(err, errlen, "status file %s: %s", path,
			 strerror(errno));
	else
		ret = 0;
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(tmp);
	json_object_put(o);
	return ret;
}

void zstatus_remove(const char *path)
{
	unlink(path);
}
