// SPDX-License-Identifier: MIT
/*
 * config.c - parsing zeqd.conf (format in config.h and docs/zeqd.conf.5).
 *
 * The parser fills a scratch struct and copies it out only when the whole
 * file is good, so a bad SIGHUP reload leaves the running config alone.
 * Every error names file, line and key.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "parse.h"
#include "zeq.h"

/* room for the longest value (a path), every character escaped */
#define CONF_LINE_MAX	(2 * PATH_MAX + 64)
#define CONF_FILE_MAX	(1 << 20)

static bool is_space(char ch);

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
 * @min: smallest value (number keys)
 * @max: largest value (number keys)
 */
struct conf_key {
	const char *name;
	conf_set_fn set;
	size_t off;
	size_t size;
	bool empty_ok;
	unsigned long min;
	unsigned long max;
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

/* a number in [k->min, k->max] into an unsigned int or uint16_t field */
static int set_uint(struct zeqd_config *c, const struct conf_key *k,
		    const char *v, char *why, size_t n)
{
	unsigned long x;
	char *end;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || x < k->min || x > k->max) {
		snprintf(why, n, "'%s' is not a number from %lu to %lu", v,
			 k->min, k->max);
		return -1;
	}
	if (k->size == sizeof(uint16_t))
		*(uint16_t *)((char *)c + k->off) = (uint16_t)x;
	else
		*(unsigned int *)((char *)c + k->off) = (unsigned int)x;
	return 0;
}

/* an IPv4 or IPv6 address; "" where the key allows it (not set) */
static int set_address(struct zeqd_config *c, const struct conf_key *k,
		       const char *v, char *why, size_t n)
{
	unsigned char a[sizeof(struct in6_addr)];

	if (!*v && k->empty_ok) {
		*((char *)c + k->off) = '\0';
		return 0;
	}
	if (strlen(v) >= k->size || (inet_pton(AF_INET, v, a) != 1 &&
				     inet_pton(AF_INET6, v, a) != 1)) {
		snprintf(why, n, "'%s' is not an IPv4 or IPv6 address", v);
		return -1;
	}
	memcpy((char *)c + k->off, v, strlen(v) + 1);
	return 0;
}

/* a DNS name: labels of 1 to 63 of a-z A-Z 0-9 -, not starting with - */
static bool dns_name(const char *s, size_t len)
{
	size_t label = 0;

	if (!len || len > ZEQ_SNI_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (!label)
				return false;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || (ch == '-' && label)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

/*
 * The next item of a comma-separated list at *v: its start and length,
 * blanks trimmed; *v moves past it. false at the end of the list.
 */
static bool next_item(const char **v, const char **item, size_t *len)
{
	const char *s = *v, *end;

	if (!*s)
		return false;
	end = strchr(s, ',');
	if (!end)
		end = s + strlen(s);
	while (*s == ' ' || *s == '\t')
		s++;
	*len = s < end ? (size_t)(end - s) : 0;
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	*item = s;
	*v = *end ? end + 1 : end;
	return true;
}

/* "name, name, ..." */
static int set_sni_pool(struct zeqd_config *c, const struct conf_key *k,
			const char *v, char *why, size_t n)
{
	const char *name;
	size_t len;

	(void)k;
	c->sni_count = 0;
	while (next_item(&v, &name, &len)) {
		if (!dns_name(name, len)) {
			snprintf(why, n, "'%.*s' is not a DNS name", (int)len, name);
			return -1;
		}
		if (c->sni_count == ZEQ_SNI_POOL_MAX) {
			snprintf(why, n, "more than %d names", ZEQ_SNI_POOL_MAX);
			return -1;
		}
		memcpy(c->sni_pool[c->sni_count], name, len);
		c->sni_pool[c->sni_count++][len] = '\0';
	}
	return 0;
}

#define STR_KEY(name, field, fn, empty) \
	{ name, fn, offsetof(struct zeqd_config, field), \
	  sizeof(((struct zeqd_config *)0)->field), empty, 0, 0 }
#define NUM_KEY(name, field, lo, hi) \
	{ name, set_uint, offsetof(struct zeqd_config, field), \
	  sizeof(((struct zeqd_config *)0)->field), false, lo, hi }

static const struct conf_key conf_keys[] = {
	STR_KEY("state_dir", state_dir, set_path, false),
	STR_KEY("control_socket", socket_path, set_path, false),
	STR_KEY("control_group", socket_group, set_group, true),
	STR_KEY("status_file", status_file, set_path, false),
	STR_KEY("field_key_file", field_key_file, set_path, true),
	{ "log_level", set_level, 0, 0, false, 0, 0 },
	STR_KEY("mesh_secret_file", mesh_secret_file, set_path, true),
	STR_KEY("listen_address", listen_address, set_address, false),
	NUM_KEY("listen_port", listen_port, 1, 65535),
	STR_KEY("tls_cert_file", tls_cert_file, set_path, true),
	STR_KEY("tls_key_file", tls_key_file, set_path, true),
	STR_KEY("cover_page", cover_page, set_path, true),
	{ "sni_pool", set_sni_pool, 0, 0, false, 0, 0 },
	NUM_KEY("first_request_timeout", first_request_timeout, 1,
		ZEQD_FIRST_REQ_TIMEOUT_MAX),
	NUM_KEY("max_pending", max_pending, 1, ZEQD_MAX_PENDING_MAX),
	NUM_KEY("ratchet_period", ratchet_period, 1, ZEQD_RATCHET_PERIOD_MAX),
	STR_KEY("dns_resolver", dns_resolver, set_address, true),
	NUM_KEY("rehandshake_interval", rehandshake_interval,
		ZEQD_REHANDSHAKE_MIN, ZEQD_REHANDSHAKE_MAX),
};
#define NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

/* --- [peer NAME] sections: the setters work on the last peer --------- */

static struct zeqd_peer_conf *cur_peer(struct zeqd_config *c)
{
	return &c->peers[c->npeers - 1];
}

static int set_peer_key(struct zeqd_config *c, const struct conf_key *k,
			const char *v, char *why, size_t n)
{
	(void)k;
	return zeq_parse_secret(v, strlen(v), cur_peer(c)->public_key,
				ZEQD_PEER_KEY_LEN, why, n);
}

int config_endpoint_split(const char *ep, char *host, uint16_t *port)
{
	const char *colon = strrchr(ep, ':'), *h = ep;
	size_t hl = colon ? (size_t)(colon - ep) : 0;
	char err[64];
	uint32_t v;
	int bracketed = 0;

	if (hl && ep[0] == '[' && ep[hl - 1] == ']') {
		h++;
		hl -= 2;
		bracketed = 1;
	}
	if (!colon || !hl || hl > ZEQ_SNI_NAME_MAX ||
	    zeq_parse_u32(colon + 1, 1, 65535, &v, err, sizeof(err)) < 0)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (uint16_t)v;
	return bracketed;
}

/* "host:port", "[v6]:port": host a DNS name or an address */
static int set_peer_endpoint(struct zeqd_config *c, const struct conf_key *k,
			     const char *v, char *why, size_t n)
{
	unsigned char a[sizeof(struct in6_addr)];
	char h[ZEQ_SNI_NAME_MAX + 1];
	uint16_t port;
	int bracketed = config_endpoint_split(v, h, &port);

	(void)k;
	if (bracketed < 0) {
		snprintf(why, n, "'%s' is not host:port (port 1 to 65535)", v);
		return -1;
	}
	if (bracketed ? inet_pton(AF_INET6, h, a) != 1 :
	    inet_pton(AF_INET, h, a) != 1 && !dns_name(h, strlen(h))) {
		snprintf(why, n, "'%s' is not a host name or address", h);
		return -1;
	}
	snprintf(cur_peer(c)->endpoint, sizeof(cur_peer(c)->endpoint), "%s", v);
	return 0;
}

static int set_peer_device(struct zeqd_config *c, const struct conf_key *k,
			   const char *v, char *why, size_t n)
{
	(void)k;
	/* the kernel's dev_valid_name() */
	if (strlen(v) > ZEQD_IFNAME_MAX || strpbrk(v, "/: \t\v\f\r") ||
	    !strcmp(v, ".") || !strcmp(v, "..")) {
		snprintf(why, n, "'%s' is not an interface name (1 to %d "
			 "characters, no '/', ':' or space)", v, ZEQD_IFNAME_MAX);
		return -1;
	}
	snprintf(cur_peer(c)->device, sizeof(cur_peer(c)->device), "%s", v);
	return 0;
}

static int set_peer_id(struct zeqd_config *c, const struct conf_key *k,
		       const char *v, char *why, size_t n)
{
	(void)k;
	return zeq_parse_u32(v, 1, ZEQ_PEER_ID_MAX, &cur_peer(c)->peer_id, why,
			     n);
}

/* "prefix, prefix, ..." */
static int set_peer_aips(struct zeqd_config *c, const struct conf_key *k,
			 const char *v, char *why, size_t n)
{
	struct zeqd_peer_conf *p = cur_peer(c);
	char one[INET6_ADDRSTRLEN + 8];
	const char *item;
	size_t len;

	(void)k;
	while (next_item(&v, &item, &len)) {
		if (p->naips == ZEQD_PEER_AIPS_MAX) {
			snprintf(why, n, "more than %d prefixes", ZEQD_PEER_AIPS_MAX);
			return -1;
		}
		if (len >= sizeof(one)) {
			snprintf(why, n, "'%.*s' is not a prefix", (int)len, item);
			return -1;
		}
		memcpy(one, item, len);
		one[len] = '\0';
		if (zeq_parse_prefix(one, &p->aips[p->naips], why, n) < 0)
			return -1;
		p->naips++;
	}
	return 0;
}

static const struct conf_key peer_keys[] = {
	{ "public_key", set_peer_key, 0, 0, false, 0, 0 },
	{ "endpoint", set_peer_endpoint, 0, 0, false, 0, 0 },
	{ "device", set_peer_device, 0, 0, false, 0, 0 },
	{ "peer_id", set_peer_id, 0, 0, false, 0, 0 },
	{ "allowed_ips", set_peer_aips, 0, 0, false, 0, 0 },
};
#define NPEERKEYS (sizeof(peer_keys) / sizeof(peer_keys[0]))
/* every peer needs these (indexes into peer_keys) */
static const int peer_required[] = { 0, 2, 3 };

/* "[peer NAME]" (p, trimmed at the start): a new peer, or -1 with why */
static int start_peer(struct zeqd_config *c, const char *p, int line,
		      char *why, size_t n)
{
	const char *name = p + strlen("[peer "), *end = strchr(p, ']');
	size_t len = end ? (size_t)(end - name) : 0;
	const char *rest = end ? end + 1 : "";

	while (is_space(*rest))
		rest++;
	if (strncmp(p, "[peer ", 6) || !end || (*rest && *rest != '#')) {
		snprintf(why, n, "expected '[peer NAME]'");
		return -1;
	}
	if (!len || len > ZEQD_PEER_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != len) {
		snprintf(why, n, "peer name '%.*s': 1 to %d of A-Z a-z 0-9 _ . -",
			 (int)len, name, ZEQD_PEER_NAME_MAX);
		return -1;
	}
	for (unsigned int i = 0; i < c->npeers; i++)
		if (strlen(c->peers[i].name) == len &&
		    !memcmp(c->peers[i].name, name, len)) {
			snprintf(why, n, "peer '%.*s' given twice (first on line "
				 "%d)", (int)len, name, c->peers[i].line);
			return -1;
		}
	if (c->npeers == ZEQD_PEERS_MAX) {
		snprintf(why, n, "more than %d peers", ZEQD_PEERS_MAX);
		return -1;
	}
	memset(&c->peers[c->npeers], 0, sizeof(c->peers[0]));
	memcpy(c->peers[c->npeers].name, name, len);
	c->peers[c->npeers].line = line;
	c->npeers++;
	return 0;
}

void config_defaults(struct zeqd_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", ZEQD_CONF_DEFAULT);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s",
		 ZEQD_STATE_DIR_DEFAULT);
	snprintf(c->socket_path, sizeof(c->socket_path), "%s",
		 ZEQD_SOCKET_DEFAULT);
	snprintf(c->status_file, sizeof(c->status_file), "%s",
		 ZEQ_STATUS_FILE_DEFAULT);
	c->log_level = ZLOG_INFO;
	snprintf(c->listen_address, sizeof(c->listen_address), "::");
	c->listen_port = ZEQD_LISTEN_PORT_DEFAULT;
	c->first_request_timeout = ZEQD_FIRST_REQ_TIMEOUT_DEFAULT;
	c->max_pending = ZEQD_MAX_PENDING_DEFAULT;
	c->ratchet_period = ZEQ_RATCHET_PERIOD_ZEQONDS;
	c->rehandshake_interval = ZEQD_REHANDSHAKE_DEFAULT;
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

static int key_index(const char *name)
{
	for (size_t k = 0; k < NKEYS; k++)
		if (!strcmp(conf_keys[k].name, name))
			return (int)k;
	return -1;
}

/* what needs more than one key; *c = nc if all is well */
static int config_check(const struct zeqd_config *nc, const int *seen,
			int (*pseen)[NPEERKEYS], const char *name,
			struct zeqd_config *c, char *err, size_t errlen)
{
	int line = seen[key_index("mesh_secret_file")];

	if (nc->mesh_secret_file[0] &&
	    (!nc->tls_cert_file[0] || !nc->tls_key_file[0]))
		return conf_error(err, errlen, name, line, "mesh_secret_file",
				  "the control channel needs tls_cert_file and "
				  "tls_key_file");
	for (unsigned int i = 0; i < nc->npeers; i++) {
		const struct zeqd_peer_conf *p = &nc->peers[i];

		for (size_t r = 0; r < sizeof(peer_required) /
		     sizeof(peer_required[0]); r++)
			if (!pseen[i][peer_required[r]])
				return conf_error(err, errlen, name, p->line, NULL,
						  "peer %s: %s missing", p->name,
						  peer_keys[peer_required[r]].name);
		for (unsigned int j = 0; j < i; j++) {
			const struct zeqd_peer_conf *q = &nc->peers[j];

			if (!memcmp(p->public_key, q->public_key,
				    sizeof(p->public_key)))
				return conf_error(err, errlen, name,
						  pseen[i][0], "public_key",
						  "peer %s has the same key as peer "
						  "%s", p->name, q->name);
			if (p->peer_id == q->peer_id &&
			    !strcmp(p->device, q->device))
				return conf_error(err, errlen, name,
						  pseen[i][3], "peer_id",
						  "peer %s has the same id on %s as "
						  "peer %s", p->name, p->device,
						  q->name);
		}
	}
	*c = *nc;
	return 0;
}

int config_parse(const char *name, const char *buf, size_t len,
		 struct zeqd_config *c, char *err, size_t errlen)
{
	char line[CONF_LINE_MAX + 1], value[CONF_LINE_MAX + 1];
	int pseen[ZEQD_PEERS_MAX][NPEERKEYS];
	const struct conf_key *keys = conf_keys;
	int seen[NKEYS] = { 0 }, *kseen = seen;
	struct zeqd_config nc;
	size_t nkeys = NKEYS;
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
		if (*p == '[') {
			if (start_peer(&nc, p, lineno, why, sizeof(why)) < 0)
				return conf_error(err, errlen, name, lineno, NULL,
						  "%s", why);
			keys = peer_keys;
			nkeys = NPEERKEYS;
			kseen = pseen[nc.npeers - 1];
			memset(kseen, 0, sizeof(pseen[0]));
			continue;
		}
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
		for (k = 0; k < nkeys; k++)
			if (!strcmp(key, keys[k].name))
				break;
		if (k == nkeys)
			return conf_error(err, errlen, name, lineno, key,
					  keys == peer_keys ? "unknown key in a "
					  "[peer] section" : "unknown key");
		if (kseen[k])
			return conf_error(err, errlen, name, lineno, key,
					  "given twice (first on line %d)",
					  kseen[k]);
		kseen[k] = lineno;
		if (conf_value(eq + 1, value, sizeof(value), why,
			       sizeof(why)) < 0)
			return conf_error(err, errlen, name, lineno, key, "%s",
					  why);
		if (!*value && !keys[k].empty_ok)
			return conf_error(err, errlen, name, lineno, key,
					  "needs a value");
		if (keys[k].set(&nc, &keys[k], value, why, sizeof(why)) < 0)
			return conf_error(err, errlen, name, lineno, key, "%s",
					  why);
	}
	return config_check(&nc, seen, pseen, name, c, err, errlen);
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
