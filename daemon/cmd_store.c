// SPDX-License-Identifier: MIT
/*
 * cmd_store.c - `zeqd rotate-field-key`, `zeqd secrets list` and
 * `zeqd probes`.
 *
 * Rotation takes the instance lock, so it never runs beside a daemon that
 * holds the old key in memory; it is one transaction (zsc_rotate), so a
 * crash leaves the store all-old or all-new, and the operator then starts
 * zeqd with whichever key the store reports it wants.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmds.h"
#include "config.h"
#include "fieldkey.h"
#include "probes.h"
#include "store.h"
#include "zsc.h"

static int rotate_usage(const char *why)
{
	if (why)
		fprintf(stderr, "zeqd rotate-field-key: %s\n", why);
	fprintf(stderr, "usage: zeqd rotate-field-key --new-key-file FILE\n");
	return 2;
}

int cmd_rotate_field_key(const struct zeqd_config *c, int argc, char **argv)
{
	struct zsc_field_key nk;
	const char *newfile = NULL;
	struct zstore *s;
	char err[512];
	int lock, ret = 1, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--new-key-file") && i + 1 < argc)
			newfile = argv[++i];
		else
			return rotate_usage(strcmp(argv[i], "--new-key-file") ?
					    "unknown argument" :
					    "--new-key-file needs a FILE");
	}
	if (!newfile)
		return rotate_usage("--new-key-file FILE missing");
	if (field_key_load_file(newfile, &nk, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd rotate-field-key: %s\n", err);
		return 1;
	}
	lock = zstore_lock(c->state_dir, err, sizeof(err));
	if (lock < 0) {
		fprintf(stderr, "zeqd rotate-field-key: %s%s\n", err,
			lock == -EBUSY ? " (stop it first)" : "");
		goto wipe;
	}
	if (zstore_open_config(c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd rotate-field-key: %s\n", err);
		goto unlock;
	}
	if (!memcmp(nk.key, zstore_field_key(s)->key, sizeof(nk.key))) {
		fprintf(stderr, "zeqd rotate-field-key: %s holds the current "
			"field key\n", newfile);
	} else if ((rc = zsc_rotate(s, &nk)) < 0) {
		fprintf(stderr, "zeqd rotate-field-key: %s: nothing changed, the "
			"store still uses the current key\n",
			rc == -EBADMSG ? "a secret does not open under the current "
			"key" : zstore_errmsg(s));
	} else {
		printf("field key rotated: version %u; put %s where the config's "
		       "field_key_file (or " ZSC_FIELD_KEY_ENV ") points before "
		       "starting zeqd\n", zstore_key_version(s), newfile);
		ret = 0;
	}
	zstore_close(s);
unlock:
	if (lock >= 0)
		close(lock);
wipe:
	field_key_wipe(&nk);
	return ret;
}

struct secrets_list {
	json_object *arr;
	int n;
};

static int secrets_row(const struct zsc_meta *m, void *arg)
{
	struct secrets_list *l = arg;
	json_object *o;

	l->n++;
	if (!l->arr) {
		printf("%-40s %6zu %4u %10lld %10lld\n", m->purpose, m->len,
		       m->key_version, (long long)m->created,
		       (long long)m->updated);
		return 0;
	}
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	json_object_object_add(o, "purpose", json_object_new_string(m->purpose));
	json_object_object_add(o, "length", json_object_new_int64((int64_t)m->len));
	json_object_object_add(o, "key_version",
			       json_object_new_int64(m->key_version));
	json_object_object_add(o, "created", json_object_new_int64(m->created));
	json_object_object_add(o, "updated", json_object_new_int64(m->updated));
	json_object_array_add(l->arr, o);
	return 0;
}

/* zeqd secrets [list] [-j] [PREFIX] */
int cmd_secrets(const struct zeqd_config *c, int argc, char **argv)
{
	struct secrets_list l = { 0 };
	const char *prefix = "";
	struct zstore *s;
	char err[512];
	int json = 0, i = 1, rc;

	if (i < argc && !strcmp(argv[i], "list"))
		i++;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-j")) {
			json = 1;
		} else if (!*prefix && argv[i][0] != '-') {
			prefix = argv[i];
		} else {
			fprintf(stderr, "zeqd secrets: unexpected '%s'\n"
				"usage: zeqd secrets list [-j] [PREFIX]\n", argv[i]);
			return 2;
		}
	}
	if (zstore_open_config(c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		return 1;
	}
	if (json) {
		l.arr = json_object_new_array();
		if (!l.arr) {
			zstore_close(s);
			return 1;
		}
	} else {
		printf("%-40s %6s %4s %10s %10s\n", "purpose", "length", "kver",
		       "created", "updated");
	}
	rc = zsc_list(s, prefix, secrets_row, &l);
	if (rc)
		fprintf(stderr, "zeqd secrets: %s\n", zstore_errmsg(s));
	else if (json)
		printf("%s\n", json_object_to_json_string_ext(l.arr,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(l.arr);
	zstore_close(s);
	return rc ? 1 : 0;
}

static int probes_row(const struct zeq_probe *p, void *arg)
{
	json_object *arr = arg, *o;

	if (!arr) {
		printf("%-24s %-12s %8lld %10lld %10lld  %s\n", p->source, p->kind,
		       (long long)p->count, (long long)p->first_seen,
		       (long long)p->last_seen, p->detail);
		return 0;
	}
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	json_object_object_add(o, "source", json_object_new_string(p->source));
	json_object_object_add(o, "kind", json_object_new_string(p->kind));
	json_object_object_add(o, "detail", json_object_new_string(p->detail));
	json_object_object_add(o, "count", json_object_new_int64(p->count));
	json_object_object_add(o, "first_seen",
			       json_object_new_int64(p->first_seen));
	json_object_object_add(o, "last_seen",
			       json_object_new_int64(p->last_seen));
	json_object_array_add(arr, o);
	return 0;
}

/* zeqd probes [list] [-j] */
int cmd_probes(const struct zeqd_config *c, int argc, char **argv)
{
	json_object *arr = NULL;
	struct zstore *s;
	char err[512];
	int i = 1, rc;

	if (i < argc && !strcmp(argv[i], "list"))
		i++;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-j")) {
			fprintf(stderr, "zeqd probes: unexpected '%s'\n"
				"usage: zeqd probes [list] [-j]\n", argv[i]);
			return 2;
		}
		arr = arr ? arr : json_object_new_array();
		if (!arr)
			return 1;
	}
	if (zstore_open_config(c, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		json_object_put(arr);
		return 1;
	}
	if (!arr)
		printf("%-24s %-12s %8s %10s %10s  %s\n", "source", "kind",
		       "count", "first", "last", "detail");
	rc = zeq_probes_list(s, probes_row, arr);
	if (rc)
		fprintf(stderr, "zeqd probes: %s\n", zstore_errmsg(s));
	else if (arr)
		printf("%s\n", json_object_to_json_string_ext(arr,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	zstore_close(s);
	return rc ? 1 : 0;
}
