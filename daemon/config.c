// SPDX-License-Identifier: MIT
/*
 * config.c - parsing zeqd.conf (format in config.h and docs/zeqd.conf.5).
 *
 * The parser fills a scratch struct and copies it out only when the whole
 * file is good, so a bad SIGHUP reload leaves the running config alone.
 * Every error names file, line and key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

/* room for the longest value (a path), every character escaped */
#define CONF_LINE_MAX	(2 * PATH_MAX + 64)
#define CONF_FILE_MAX	(1 << 20)

struct conf_key;
/* store value v into c; 0, or -1 with the reason (no prefix) in why */
typedef int (*conf_set_fn)(struct zeqd_config *c, const struct conf_key *k,
			   const char *v, char *why, size_t n);

/**
 * struct conf_key - one key of zeqd.conf
 * @name: the key
 * @set: parses and stores its value
 * @off: offset of its field in struct zeqd_config (string keys)
 * @size: size of that field
 * @empty_ok: an empty value is allowed (it means "not set")
 */
struct conf_key {
	const char *name;
	conf_set_fn set;
	size_t off;
	size_t size;
	bool empty_ok;
};

static int set_path(struct zeqd_config *c, const struct conf_key *k,
		    const char *v, char *why, size_t n)
{
	if (*v && *v != '/') {
		snprintf(why, n, "'%s' is not an absolute path", v);
		return -1;
	}
	if (strlen(v) >= k->size) {
		snprintf(why, n, "longer than %zu characters", k->size - 1);
		return -1;
	}
	memcpy((char *)c + k->off, v, strlen(v) + 1);
	return 0;
}

static int set_group(struct zeqd_config *c, const struct conf_key *k,
		     const char *v, char *why, size_t n)
{
	if (strlen(v) >= k->size || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(v)) {
		snprintf(why, n, "'%s' is not a group name (1 to %zu of A-Z a-z "
			 "0-9 _ . -)", v, k->size - 1);
		return -1;
	}
	memcpy((char *)c + k->off, v, strlen(v) + 1);
	return 0;
}

static int set_level(struct zeqd_config *c, const struct conf_key *k,
		     const char *v, char *why, size_t n)
{
	int level = zlog_level_parse(v);

	(void)k;
	if (level < 0) {
		snprintf(why, n, "unknown level '%s' (error, warning, notice, "
			 "info, debug)", v);
		return -1;
	}
	c->log_level = level;
	return 0;
}

#define STR_KEY(name, field, fn, empty) \
	{ name, fn, offsetof(struct zeqd_config, field), \
	  sizeof(((struct zeqd_config *)0)->field), empty }

static const struct conf_key conf_keys[] = {
	STR_KEY("state_dir", state_dir, set_path, false),
	STR_KEY("control_socket", socket_path, set_path, false),
	STR_KEY("control_group", socket_group, set_group, true),
	STR_KEY("field_key_file", field_key_file, set_path, true),
	{ "log_level", set_level, 0, 0, false },
};
#define NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

void config_defaults(struct zeqd_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", ZEQD_CONF_DEFAULT);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s",
		 ZEQD_STATE_DIR_DEFAULT);
	snprintf(c->socket_path, sizeof(c->socket_path), "%s",
		 ZEQD_SOCKET_DEFAULT);
	c->log_level = ZLOG_INFO;
}

static int conf_error(char *err, size_t errlen, const char *name, int line,
		      const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int conf_error(char *err, size_t errlen, const char *name, int line,
		      const char *key, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (key)
		snprintf(err, errlen, "%s:%d: %s: %s", name, line, key, why);
	else
		snprintf(err, errlen, "%s:%d: %s", name, line, why);
	return -1;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * The value part of a line (after '='): trimmed, a quoted string
 * unescaped, a trailing " # comment" dropped. 0, or -1 with the reason.
 */
static int conf_value(char *v, char *out, size_t cap, char *why, size_t n)
{
	size_t o = 0;

	while (is_space(*v))
		v++;
	if (*v == '"') {
		for (v++; *v != '"'; v++) {
			if (!*v) {
				snprintf(why, n, "unterminated quote");
				return -1;
			}
			if (*v == '\\' && (v[1] == '"' || v[1] == '\\'))
				v++;
			else if (*v == '\\') {
				snprintf(why, n, "unknown escape '\\%c' (only \\\" "
					 "and \\\\)", v[1] ? v[1] : ' ');
				return -1;
			}
			if (o + 1 >= cap) {
				snprintf(why, n, "value too long");
				return -1;
			}
			out[o++] = *v;
		}
		for (v++; is_space(*v); v++)
			;
		if (*v && *v != '#') {
			snprintf(why, n, "text after the closing quote");
			return -1;
		}
		out[o] = '\0';
		return 0;
	}
	/* unquoted: up to a '#' that follows whitespace, then trimmed */
	for (; *v && !(*v == '#' && (o == 0 || is_space(out[o - 1]))); v++) {
		if (o + 1 >= cap) {
			snprintf(why, n, "value too long");
			return -1;
		}
		out[o++] = *v;
	}
	while (o && is_space(out[o - 1]))
		o--;
	out[o] = '\0';
	return 0;
}

int config_parse(const char *name, const char *buf, size_t len,
		 struct zeqd_config *c, char *err, size_t errlen)
{
	char line[CONF_LINE_MAX + 1], value[CONF_LINE_MAX + 1];
	int seen[NKEYS] = { 0 };
	struct zeqd_config nc;
	size_t pos = 0;
	int lineno = 0;

	config_defaults(&nc);
	snprintf(nc.path, sizeof(nc.path), "%s", name);
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char *p, *eq, *key, why[256];
		size_t k;

		lineno++;
		if (ll > CONF_LINE_MAX)
			return conf_error(err, errlen, name, lineno, NULL,
					  "line longer than %d bytes",
					  CONF_LINE_MAX);
		if (memchr(buf + pos, '\0', ll))
			return conf_error(err, errlen, name, lineno, NULL,
					  "NUL byte in the line");
		memcpy(line, buf + pos, ll);
		line[ll] = '\0';
		pos += ll + 1;

		for (p = line; is_space(*p); p++)
			;
		if (!*p || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (!eq)
			return conf_error(err, errlen, name, lineno, NULL,
					  "expected 'key = value'");
		key = p;
		for (p = eq; p > key && is_space(p[-1]); p--)
			;
		*p = '\0';
		if (!*key)
			return conf_error(err, errlen, name, lineno, NULL,
					  "expected 'key = value' (no key)");
		for (k = 0; k < NKEYS; k++)
			if (!strcmp(key, conf_keys[k].name))
				break;
		if (k == NKEYS)
			return conf_error(err, errlen, name, lineno, key,
					  "unknown key");
		if (seen[k])
			return conf_error(err, errlen, name, lineno, key,
					  "given twice (first on line %d)",
					  seen[k]);
		seen[k] = lineno;
		if (conf_value(eq + 1, value, sizeof(value), why,
			       sizeof(why)) < 0)
			return conf_error(err, errlen, name, lineno, key, "%s",
					  why);
		if (!*value && !conf_keys[k].empty_ok)
			return conf_error(err, errlen, name, lineno, key,
					  "needs a value");
		if (conf_keys[k].set(&nc, &conf_keys[k], value, why,
				     sizeof(why)) < 0)
			return conf_error(err, errlen, name, lineno, key, "%s",
					  why);
	}
	*c = nc;
	return 0;
}

int config_load(const char *path, struct zeqd_config *c, char *err,
		size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode) ?
			 "larger than 1 MiB" : "not a regular file");
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (len < (size_t)st.st_size &&
	       (r = read(fd, buf + len, (size_t)st.st_size - len)) != 0) {
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	ret = config_parse(path, buf, len, c, err, errlen);
	free(buf);
	return ret;
}
