// SPDX-License-Identifier: MIT
/*
 * fuzz_config.c - zeqd.conf (daemon/config.c config_parse).
 *
 * Input: the file's bytes (any bytes, NULs included; not NUL-terminated).
 * Checks: a refused file names itself and a line that exists
 * ("zeqd.conf:N: ", 1 <= N <= lines) and leaves the caller's struct as it
 * was; an accepted file has only known keys on its key lines (checked
 * here independently), absolute paths, a valid level and group, and,
 * written back out with every value quoted and escaped, parses to the
 * same configuration.
 */
#include "fuzz.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "config.h"
#include "log.h"

#define NAME "zeqd.conf"

static const char *const known[] = {
	"state_dir", "control_socket", "control_group", "field_key_file",
	"log_level", "mesh_secret_file", "listen_address", "listen_port",
	"tls_cert_file", "tls_key_file", "cover_page", "sni_pool",
	"first_request_timeout", "max_pending", "ratchet_period", "status_file",
	"rehandshake_interval", "dns_resolver",
	/* in [peer NAME] sections */
	"public_key", "endpoint", "device", "peer_id", "allowed_ips",
};

/* an independent look at one line: 1 if it is a key line of a known key */
static int line_key_known(const char *l, size_t n)
{
	size_t i = 0, k;

	while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
		i++;
	if (i == n || l[i] == '#')
		return 1;	/* blank or comment */
	if (n - i > 6 && !memcmp(l + i, "[peer ", 6))
		return 1;	/* a section */
	for (k = i; k < n && !strchr("= \t\r", l[k]); k++)
		;
	for (size_t j = 0; j < sizeof(known) / sizeof(known[0]); j++)
		if (strlen(known[j]) == k - i && !memcmp(l + i, known[j], k - i))
			return 1;
	return 0;
}

/* key = "value" with " and \ escaped */
static size_t put_quoted(char *out, size_t o, const char *key, const char *v)
{
	o += (size_t)sprintf(out + o, "%s = \"", key);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			out[o++] = '\\';
		out[o++] = *v;
	}
	out[o++] = '"';
	out[o++] = '\n';
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 18];
	static struct zeqd_config c, back, before;
	char err[1024], *colon;
	size_t lines = 1, o = 0;
	unsigned char a[16];
	long line;

	if (size > 65536)
		return 0;
	for (size_t i = 0; i + 1 < size; i++)
		lines += data[i] == '\n';
	memset(&c, 0xa5, sizeof(c));
	before = c;
	err[0] = '\0';
	if (config_parse(NAME, (const char *)data, size, &c, err, sizeof(err))) {
		FUZZ_CHECK(!strncmp(err, NAME ":", strlen(NAME ":")),
			   "error without the file name: %s", err);
		line = strtol(err + strlen(NAME ":"), &colon, 10);
		FUZZ_CHECK(*colon == ':' && line >= 1 && (size_t)line <= lines,
			   "error without a line of the file (%zu lines): %s",
			   lines, err);
		FUZZ_CHECK(!memcmp(&c, &before, sizeof(c)),
			   "a refused file changed the configuration");
		return 0;
	}
	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : size - i;

		FUZZ_CHECK(line_key_known((const char *)data + i, n),
			   "accepted a line with an unknown key");
		i += n + 1;
	}
	FUZZ_CHECK(c.state_dir[0] == '/' && c.socket_path[0] == '/' &&
		   (!c.field_key_file[0] || c.field_key_file[0] == '/'),
		   "a relative path accepted");
	FUZZ_CHECK(strlen(c.socket_path) < sizeof(c.socket_path) &&
		   strspn(c.socket_group, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
		   strlen(c.socket_group), "a bad socket or group accepted");
	FUZZ_CHECK(zlog_level_parse(zlog_level_name(c.log_level)) == c.log_level,
		   "log level %d", c.log_level);
	FUZZ_CHECK(!strcmp(c.path, NAME), "path not recorded");
	FUZZ_CHECK(c.listen_port >= 1 && c.first_request_timeout >= 1 &&
		   c.first_request_timeout <= 120 && c.max_pending >= 1 &&
		   c.max_pending <= 65536 && c.ratchet_period >= 1 &&
		   c.ratchet_period <= 4096 && c.rehandshake_interval >= 10 &&
		   c.rehandshake_interval <= 604800,
		   "a number out of range accepted");
	FUZZ_CHECK(inet_pton(AF_INET, c.listen_address, a) == 1 ||
		   inet_pton(AF_INET6, c.listen_address, a) == 1,
		   "listen_address %s accepted", c.listen_address);
	FUZZ_CHECK(!c.mesh_secret_file[0] ||
		   (c.tls_cert_file[0] == '/' && c.tls_key_file[0] == '/'),
		   "a control channel without certificate and key accepted");
	FUZZ_CHECK(c.sni_count <= ZEQ_SNI_POOL_MAX, "%u names", c.sni_count);
	for (unsigned int i = 0; i < c.sni_count; i++)
		FUZZ_CHECK(c.sni_pool[i][0] && c.sni_pool[i][0] != '.' &&
			   c.sni_pool[i][0] != '-' &&
			   strspn(c.sni_pool[i], "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
			   strlen(c.sni_pool[i]) && !strstr(c.sni_pool[i], ".."),
			   "server name '%s' accepted", c.sni_pool[i]);

	o = put_quoted(out, o, "state_dir", c.state_dir);
	o = put_quoted(out, o, "control_socket", c.socket_path);
	o = put_quoted(out, o, "control_group", c.socket_group);
	o = put_quoted(out, o, "field_key_file", c.field_key_file);
	o = put_quoted(out, o, "log_level", zlog_level_name(c.log_level));
	o = put_quoted(out, o, "mesh_secret_file", c.mesh_secret_file);
	o = put_quoted(out, o, "listen_address", c.listen_address);
	o = put_quoted(out, o, "tls_cert_file", c.tls_cert_file);
	o = put_quoted(out, o, "tls_key_file", c.tls_key_file);
	o = put_quoted(out, o, "cover_page", c.cover_page);
	o = put_quoted(out, o, "status_file", c.status_file);
	o = put_quoted(out, o, "dns_resolver", c.dns_resolver);
	o += (size_t)sprintf(out + o, "listen_port = %u\nfirst_request_timeout = "
			     "%u\nmax_pending = %u\nratchet_period = %u\n"
			     "rehandshake_interval = %u\n",
			     c.listen_port, c.first_request_timeout,
			     c.max_pending, c.ratchet_period,
			     c.rehandshake_interval);
	if (c.sni_count) {
		o += (size_t)sprintf(out + o, "sni_pool = ");
		for (unsigned int i = 0; i < c.sni_count; i++)
			o += (size_t)sprintf(out + o, "%s%s", i ? ", " : "",
					     c.sni_pool[i]);
		out[o++] = '\n';
	}
	/* the peers' sections last: every key after one is the peer's */
	for (unsigned int i = 0; i < c.npeers; i++) {
		const struct zeqd_peer_conf *p = &c.peers[i];

		o += (size_t)sprintf(out + o, "[peer %s]\npublic_key = ", p->name);
		for (int b = 0; b < ZEQD_PEER_KEY_LEN; b++)
			o += (size_t)sprintf(out + o, "%02x", p->public_key[b]);
		o += (size_t)sprintf(out + o, "\npeer_id = %u\n", p->peer_id);
		o = put_quoted(out, o, "device", p->device);
		if (p->endpoint[0])
			o = put_quoted(out, o, "endpoint", p->endpoint);
		if (p->naips)
			o += (size_t)sprintf(out + o, "allowed_ips = ");
		for (unsigned int k = 0; k < p->naips; k++) {
			char t[INET6_ADDRSTRLEN];

			inet_ntop(p->aips[k].addr.family, p->aips[k].addr.bytes, t,
				  sizeof(t));
			o += (size_t)sprintf(out + o, "%s%s/%u", k ? ", " : "", t,
					     p->aips[k].cidr);
		}
		if (p->naips)
			out[o++] = '\n';
		FUZZ_CHECK(p->peer_id >= 1 && p->device[0] && p->name[0],
			   "peer %s without id or device", p->name);
	}
	FUZZ_CHECK(!config_parse(NAME, out, o, &back, err, sizeof(err)),
		   "written back out, it does not parse: %s", err);
	FUZZ_CHECK(!strcmp(back.state_dir, c.state_dir) &&
		   !strcmp(back.socket_path, c.socket_path) &&
		   !strcmp(back.socket_group, c.socket_group) &&
		   !strcmp(back.field_key_file, c.field_key_file) &&
		   back.log_level == c.log_level &&
		   !strcmp(back.mesh_secret_file, c.mesh_secret_file) &&
		   !strcmp(back.listen_address, c.listen_address) &&
		   !strcmp(back.tls_cert_file, c.tls_cert_file) &&
		   !strcmp(back.tls_key_file, c.tls_key_file) &&
		   !strcmp(back.cover_page, c.cover_page) &&
		   back.listen_port == c.listen_port &&
		   back.first_request_timeout == c.first_request_timeout &&
		   back.max_pending == c.max_pending &&
		   back.ratchet_period == c.ratchet_period &&
		   back.rehandshake_interval == c.rehandshake_interval &&
		   !strcmp(back.status_file, c.status_file) &&
		   !strcmp(back.dns_resolver, c.dns_resolver) &&
		   back.sni_count == c.sni_count &&
		   !memcmp(back.sni_pool, c.sni_pool, sizeof(c.sni_pool[0]) *
			   c.sni_count) && back.npeers == c.npeers,
		   "written back out, it parses to something else");
	for (unsigned int i = 0; i < c.npeers; i++) {
		const struct zeqd_peer_conf *p = &c.peers[i], *q = &back.peers[i];

		FUZZ_CHECK(!strcmp(p->name, q->name) &&
			   !memcmp(p->public_key, q->public_key,
				   sizeof(p->public_key)) &&
			   !strcmp(p->endpoint, q->endpoint) &&
			   !strcmp(p->device, q->device) &&
			   p->peer_id == q->peer_id && p->naips == q->naips &&
			   !memcmp(p->aips, q->aips, sizeof(p->aips[0]) * p->naips),
			   "peer %s written back out parses to something else",
			   p->name);
	}
	return 0;
}
