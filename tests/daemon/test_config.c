// SPDX-License-Identifier: MIT
/*
 * test_config.c - zeqd.conf (daemon/config.c): defaults, every key, quoting,
 * escapes and comments, every error with its exact "file:line: key:"
 * prefix (line numbers counted through comments, blank lines and CRLF), a
 * refused file leaving the caller's struct as it was, config_load on real
 * files. Also log.c's level names, which log_level is parsed with, and its
 * line format (no control character reaches a log line).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "log.h"

#define NAME "zeqd.conf"
/* Ed25519 public keys (docs/protocol.md's test vector) in base64 and hex */
#define KEY_B64 "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
#define KEY_HEX "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394"

/* s starts with p; on failure say what s was */
#define assert_prefix(s, p) do {					\
	const char *s_ = (s), *p_ = (p);				\
	if (strncmp(s_, p_, strlen(p_)))				\
		fail_msg("'%s' does not start with '%s'", s_, p_);	\
} while (0)

static int parse_len(const char *text, size_t len, struct zeqd_config *c,
		     char *err, size_t errlen)
{
	err[0] = '\0';
	return config_parse(NAME, text, len, c, err, errlen);
}

static int parse(const char *text, struct zeqd_config *c, char *err,
		 size_t errlen)
{
	return parse_len(text, strlen(text), c, err, errlen);
}

/* text parses; *c the result */
static void parse_ok(const char *text, struct zeqd_config *c)
{
	char err[512];

	if (parse(text, c, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

/*
 * A config that differs from the defaults in every field, so that a parse
 * which wrote anything at all into the caller's struct is seen.
 */
static void set_running(struct zeqd_config *c)
{
	parse_ok("state_dir = /srv/running\n"
		 "control_socket = /run/running.sock\n"
		 "control_group = running\n"
		 "field_key_file = /etc/running.key\n"
		 "log_level = warning\n"
		 "mesh_secret_file = /etc/running.mesh\n"
		 "listen_address = 192.0.2.1\n"
		 "listen_port = 8443\n"
		 "tls_cert_file = /etc/running.crt\n"
		 "tls_key_file = /etc/running.pem\n"
		 "cover_page = /srv/index.html\n"
		 "sni_pool = running.example\n"
		 "first_request_timeout = 33\n"
		 "max_pending = 77\n"
		 "ratchet_period = 3\n"
		 "rehandshake_interval = 333\n"
		 "dns_resolver = 192.0.2.53\n"
		 "status_file = /run/running.json\n"
		 "[peer running]\n"
		 "public_key = " KEY_B64 "\n"
		 "device = run0\n"
		 "peer_id = 99\n", c);
	snprintf(c->path, sizeof(c->path), "running.conf");
}

/*
 * len bytes of text are refused with exactly want (or, if prefix_only,
 * with an error starting with want), and the caller's struct is unchanged.
 */
static void refuse_len(const char *text, size_t len, const char *want,
		       bool prefix_only)
{
	struct zeqd_config c, before;
	char err[512];

	set_running(&c);
	before = c;
	assert_int_equal(parse_len(text, len, &c, err, sizeof(err)), -1);
	if (prefix_only)
		assert_prefix(err, want);
	else
		assert_string_equal(err, want);
	assert_memory_equal(&c, &before, sizeof(c));
}

static void refuse(const char *text, const char *want)
{
	refuse_len(text, strlen(text), want, false);
}

static void refuse_prefix(const char *text, const char *want)
{
	refuse_len(text, strlen(text), want, true);
}

static void test_defaults(void **state)
{
	struct zeqd_config c;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	config_defaults(&c);
	assert_string_equal(c.path, ZEQD_CONF_DEFAULT);
	assert_string_equal(c.state_dir, "/var/lib/zeq");
	assert_string_equal(c.socket_path, "/run/zeq/zeqd.sock");
	assert_string_equal(c.socket_group, "");
	assert_string_equal(c.field_key_file, "");
	assert_int_equal(c.log_level, ZLOG_INFO);
	assert_int_equal(c.ratchet_period, 60);
	assert_int_equal(c.rehandshake_interval, 3600);
	assert_string_equal(c.dns_resolver, "");
	assert_string_equal(c.status_file, "/run/zeq/status.json");

	/* an empty file, and one of comments only: the defaults, named */
	memset(&c, 0x5a, sizeof(c));
	parse_ok("", &c);
	assert_string_equal(c.path, NAME);
	assert_string_equal(c.state_dir, ZEQD_STATE_DIR_DEFAULT);
	assert_string_equal(c.socket_path, ZEQD_SOCKET_DEFAULT);
	assert_string_equal(c.socket_group, "");
	assert_string_equal(c.field_key_file, "");
	assert_int_equal(c.log_level, ZLOG_INFO);

	set_running(&c);
	parse_ok("# nothing set\n\n   \n\t# still nothing\n", &c);
	assert_string_equal(c.path, NAME);
	assert_string_equal(c.state_dir, ZEQD_STATE_DIR_DEFAULT);
	assert_string_equal(c.socket_path, ZEQD_SOCKET_DEFAULT);
	assert_string_equal(c.socket_group, "");
	assert_string_equal(c.field_key_file, "");
	assert_int_equal(c.log_level, ZLOG_INFO);
}

static void test_every_key(void **state)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{ "error", ZLOG_ERR }, { "warning", ZLOG_WARNING },
		{ "notice", ZLOG_NOTICE }, { "info", ZLOG_INFO },
		{ "debug", ZLOG_DEBUG },
	};
	struct zeqd_config c;
	char text[128];

	(void)state;
	parse_ok("state_dir = /srv/zeq\n"
		 "control_socket = /run/z/ctl.sock\n"
		 "control_group = zeq-ops_1.x\n"
		 "field_key_file = /etc/zeq/field.key\n"
		 "log_level = debug\n", &c);
	assert_string_equal(c.path, NAME);
	assert_string_equal(c.state_dir, "/srv/zeq");
	assert_string_equal(c.socket_path, "/run/z/ctl.sock");
	assert_string_equal(c.socket_group, "zeq-ops_1.x");
	assert_string_equal(c.field_key_file, "/etc/zeq/field.key");
	assert_int_equal(c.log_level, ZLOG_DEBUG);

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		snprintf(text, sizeof(text), "log_level = %s\n", levels[i].name);
		parse_ok(text, &c);
		assert_int_equal(c.log_level, levels[i].level);
	}

	parse_ok("ratchet_period = 1\nstatus_file = /tmp/z/status.json\n", &c);
	assert_int_equal(c.ratchet_period, 1);
	assert_string_equal(c.status_file, "/tmp/z/status.json");
	parse_ok("ratchet_period = 4096\nrehandshake_interval = 10\n", &c);
	assert_int_equal(c.ratchet_period, 4096);
	assert_int_equal(c.rehandshake_interval, 10);
	parse_ok("dns_resolver = fd00::53\n", &c);
	assert_string_equal(c.dns_resolver, "fd00::53");
	/* empty: none (the fuzzer's write-back found it refused) */
	parse_ok("dns_resolver = \"\"\n", &c);
	assert_string_equal(c.dns_resolver, "");

	/* the keys that may be empty: empty means "not set" */
	set_running(&c);
	parse_ok("control_group =\nfield_key_file = \"\"\n", &c);
	assert_string_equal(c.socket_group, "");
	assert_string_equal(c.field_key_file, "");
	/* and the others kept their defaults, not the old values */
	assert_string_equal(c.state_dir, ZEQD_STATE_DIR_DEFAULT);
	assert_int_equal(c.log_level, ZLOG_INFO);
}

static void test_limits(void **state)
{
	struct zeqd_config c;
	char text[512], v[256];

	(void)state;
	/* control_socket: 107 characters fit sun_path, 108 do not */
	memset(v, 'a', sizeof(v));
	v[0] = '/';
	v[ZEQD_SOCKET_PATH_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "control_socket = %s\n", v);
	parse_ok(text, &c);
	assert_int_equal(strlen(c.socket_path), ZEQD_SOCKET_PATH_MAX - 1);
	assert_string_equal(c.socket_path, v);
	v[ZEQD_SOCKET_PATH_MAX - 1] = 'a';
	v[ZEQD_SOCKET_PATH_MAX] = '\0';
	snprintf(text, sizeof(text), "\ncontrol_socket = %s\n", v);
	refuse_prefix(text, NAME ":2: control_socket: ");

	/* control_group: 63 characters, not 64 */
	memset(v, 'g', sizeof(v));
	v[63] = '\0';
	snprintf(text, sizeof(text), "control_group = %s\n", v);
	parse_ok(text, &c);
	assert_string_equal(c.socket_group, v);
	v[63] = 'g';
	v[64] = '\0';
	snprintf(text, sizeof(text), "control_group = %s\n", v);
	refuse_prefix(text, NAME ":1: control_group: ");

	/* a line of exactly 4096 bytes is fine */
	memset(text, 0, sizeof(text));
	{
		size_t n = 4096;
		char *big = malloc(n + 2);

		assert_non_null(big);
		memset(big, 'x', n);
		big[0] = '#';
		big[n] = '\n';
		big[n + 1] = '\0';
		parse_ok(big, &c);
		free(big);
	}
}

static void test_quoting(void **state)
{
	struct zeqd_config c;

	(void)state;
	/* whitespace kept inside quotes; escapes \" and \\ */
	parse_ok("state_dir = \"/var/lib/my zeq \"\n"
		 "field_key_file = \"/k/a\\\"b\\\\c\"\n", &c);
	assert_string_equal(c.state_dir, "/var/lib/my zeq ");
	assert_string_equal(c.field_key_file, "/k/a\"b\\c");

	/* '#' inside quotes is literal; after them, a comment */
	parse_ok("state_dir = \"/x # not a comment\" # a comment \"\n", &c);
	assert_string_equal(c.state_dir, "/x # not a comment");
	parse_ok("state_dir = \"/q\"# a comment\n", &c);
	assert_string_equal(c.state_dir, "/q");

	/* unquoted: '#' in a word is literal, " #" starts a comment */
	parse_ok("state_dir = /a#b\n", &c);
	assert_string_equal(c.state_dir, "/a#b");
	parse_ok("state_dir = /a b   # comment\n", &c);
	assert_string_equal(c.state_dir, "/a b");
	parse_ok("state_dir = /tab\t#comment\n", &c);
	assert_string_equal(c.state_dir, "/tab");
	/* a value that is only a comment is empty */
	parse_ok("control_group = # nobody\n", &c);
	assert_string_equal(c.socket_group, "");

	/* whitespace around key, '=' and value; no spaces at all */
	parse_ok("\t  state_dir\t=\t /w \t\n"
		 "log_level=notice\n"
		 "control_group   =zeq\n", &c);
	assert_string_equal(c.state_dir, "/w");
	assert_int_equal(c.log_level, ZLOG_NOTICE);
	assert_string_equal(c.socket_group, "zeq");

	/* '=' inside a value is part of it */
	parse_ok("state_dir = /a=b\n", &c);
	assert_string_equal(c.state_dir, "/a=b");

	/* the last line needs no newline */
	parse_ok("log_level = error", &c);
	assert_int_equal(c.log_level, ZLOG_ERR);

	/* CRLF: the \r is whitespace, not part of the value */
	parse_ok("# c\r\n\r\nstate_dir = /crlf\r\n"
		 "field_key_file = \"/q k\"\r\n"
		 "log_level = debug\r\n", &c);
	assert_string_equal(c.state_dir, "/crlf");
	assert_string_equal(c.field_key_file, "/q k");
	assert_int_equal(c.log_level, ZLOG_DEBUG);
}

static void test_errors_exact(void **state)
{
	(void)state;
	/* line numbers count comments and blank lines */
	refuse("# zeqd.conf\n"
	       "\n"
	       "state_dir = /x\n"
	       "   \n"
	       "\t# indented comment\n"
	       "log_level = loud\n",
	       NAME ":6: log_level: unknown level 'loud' (error, warning, "
	       "notice, info, debug)");
	refuse("log_level = info\nstate_dir /x\n",
	       NAME ":2: expected 'key = value'");
	refuse("\n\nfrobnicate = 1\n", NAME ":3: frobnicate: unknown key");
	refuse("# first\nstate_dir = /a\nlog_level = info\nstate_dir = /b\n",
	       NAME ":4: state_dir: given twice (first on line 2)");
	/* twice is an error even with the same value, even if empty */
	refuse("control_group =\ncontrol_group =\n",
	       NAME ":2: control_group: given twice (first on line 1)");
	refuse("ratchet_period = 0\n", NAME ":1: ratchet_period: '0' is not a "
	       "number from 1 to 4096");
	refuse("\nratchet_period = 4097\n", NAME ":2: ratchet_period: '4097' is "
	       "not a number from 1 to 4096");
	refuse("status_file =\n", NAME ":1: status_file: needs a value");
	refuse("dns_resolver = resolver.example\n", NAME ":1: dns_resolver: "
	       "'resolver.example' is not an IPv4 or IPv6 address");
	refuse("rehandshake_interval = 9\n", NAME ":1: rehandshake_interval: "
	       "'9' is not a number from 10 to 604800");
	/* the key is case-sensitive */
	refuse("State_Dir = /x\n", NAME ":1: State_Dir: unknown key");
	/* the last line, with no newline */
	refuse("state_dir = /a\nlog_level = loud",
	       NAME ":2: log_level: unknown level 'loud' (error, warning, "
	       "notice, info, debug)");
	/* CRLF: line numbers right and no \r in the message */
	refuse("state_dir = /a\r\n\r\n# c\r\nbogus = 1\r\n",
	       NAME ":4: bogus: unknown key");
	refuse("\r\nlog_level = loud\r\n",
	       NAME ":2: log_level: unknown level 'loud' (error, warning, "
	       "notice, info, debug)");
}

static void test_errors_prefix(void **state)
{
	(void)state;
	/* an empty value where one is needed */
	refuse_prefix("state_dir =\n", NAME ":1: state_dir: ");
	refuse_prefix("\nstate_dir = \"\"\n", NAME ":2: state_dir: ");
	refuse_prefix("control_socket = # none\n", NAME ":1: control_socket: ");
	refuse_prefix("log_level =\n", NAME ":1: log_level: ");

	/* relative paths */
	refuse_prefix("state_dir = var/lib/zeq\n", NAME ":1: state_dir: ");
	refuse_prefix("\n\ncontrol_socket = zeqd.sock\n",
		      NAME ":3: control_socket: ");
	refuse_prefix("field_key_file = ./field.key\n",
		      NAME ":1: field_key_file: ");

	/* group names */
	refuse_prefix("control_group = wheel!\n", NAME ":1: control_group: ");
	refuse_prefix("control_group = two words\n",
		      NAME ":1: control_group: ");
	refuse_prefix("control_group = \"g/x\"\n", NAME ":1: control_group: ");

	/* levels are lower case, and only the five */
	refuse_prefix("log_level = INFO\n", NAME ":1: log_level: ");
	refuse_prefix("log_level = warn\n", NAME ":1: log_level: ");

	/* quoting */
	refuse_prefix("# c\n\nstate_dir = \"/unterminated\n",
		      NAME ":3: state_dir: ");
	refuse_prefix("state_dir = \"/ends in an escape\\\"\n",
		      NAME ":1: state_dir: ");
	refuse_prefix("state_dir = \"/a\" junk\n", NAME ":1: state_dir: ");
	refuse_prefix("state_dir = \"/a\\n\"\n", NAME ":1: state_dir: ");

	/* '=' with no key before it */
	refuse_prefix("log_level = info\n = /x\n", NAME ":2: ");

	/* an error after good lines: nothing of them reaches the caller */
	refuse_prefix("state_dir = /new\nlog_level = debug\nbogus = 1\n",
		      NAME ":3: bogus: ");
}

static void test_nul_and_long_lines(void **state)
{
	static const char nul[] = "state_dir = /a\nlog_level = in\0fo\n";
	static const char nul_comment[] = "# a\n\n# b\0c\nstate_dir = /a\n";
	size_t n = 20000;
	char *big;

	(void)state;
	refuse_len(nul, sizeof(nul) - 1, NAME ":2: ", true);
	/* even in a comment */
	refuse_len(nul_comment, sizeof(nul_comment) - 1, NAME ":3: ", true);

	/* a line far longer than any limit, as line 3, in a comment */
	big = malloc(n + 64);
	assert_non_null(big);
	strcpy(big, "state_dir = /a\n\n#");
	memset(big + strlen(big), 'x', n);
	strcpy(big + 17 + n, "\nlog_level = info\n");
	refuse_prefix(big, NAME ":3: ");
	/* and as a value */
	strcpy(big, "\nstate_dir = /");
	memset(big + strlen(big), 'y', n);
	big[14 + n] = '\0';
	refuse_prefix(big, NAME ":2: ");
	free(big);
}

/* a fresh temporary directory holding one file with text, its path */
static void write_file(char *dir, size_t dirlen, char *path, size_t pathlen,
		       const char *text)
{
	int fd;

	snprintf(dir, dirlen, "/tmp/zeq-test-config.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, pathlen, "%s/zeqd.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void remove_file(const char *dir, const char *path)
{
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_load(void **state)
{
	struct zeqd_config c, before;
	char dir[64], path[128], want[256], err[512];
	int fd;

	(void)state;
	write_file(dir, sizeof(dir), path, sizeof(path),
		   "# test\nstate_dir = /srv/z\nlog_level = notice\n");
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	assert_string_equal(c.path, path);
	assert_string_equal(c.state_dir, "/srv/z");
	assert_int_equal(c.log_level, ZLOG_NOTICE);
	assert_string_equal(c.socket_path, ZEQD_SOCKET_DEFAULT);
	remove_file(dir, path);

	/* an error in the file names the file by its path */
	write_file(dir, sizeof(dir), path, sizeof(path),
		   "state_dir = /srv/z\n\nlog_level = loud\n");
	set_running(&c);
	before = c;
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: log_level: unknown level 'loud'",
		 path);
	assert_prefix(err, want);
	assert_memory_equal(&c, &before, sizeof(c));

	/* larger than 1 MiB: refused before it is parsed */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (1 << 20) + 1), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: ", path);
	assert_prefix(err, want);
	assert_null(strstr(err, ":1:"));
	assert_memory_equal(&c, &before, sizeof(c));
	remove_file(dir, path);

	/* a missing file: "PATH: strerror" */
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);
	assert_memory_equal(&c, &before, sizeof(c));

	/* a directory */
	assert_int_equal(config_load("/tmp", &c, err, sizeof(err)), -1);
	assert_prefix(err, "/tmp: ");
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_level_names(void **state)
{
	static const char *const names[] = {
		"error", "warning", "notice", "info", "debug",
	};

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(zlog_level_parse(names[i]), ZLOG_ERR + i);
		assert_string_equal(zlog_level_name(ZLOG_ERR + i), names[i]);
	}
	assert_int_equal(zlog_level_parse("loud"), -1);
	assert_int_equal(zlog_level_parse(""), -1);
	assert_int_equal(zlog_level_parse("err"), -1);
	assert_int_equal(zlog_level_parse("Debug"), -1);
	assert_non_null(zlog_level_name(0));
	assert_non_null(zlog_level_name(99));
}

/* run zlog with stderr on a pipe; what it wrote into out */
static void capture(int level, const char *msg, char *out, size_t outlen)
{
	int p[2], saved;
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	errno = EXDEV;
	zlog(level, "%s", msg);
	/* zlog keeps errno: callers log, then report errno */
	assert_int_equal(errno, EXDEV);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(p[1]);
	n = read(p[0], out, outlen - 1);
	assert_true(n >= 0);
	out[n] = '\0';
	close(p[0]);
}

static void test_log_lines(void **state)
{
	char out[4096], *big;

	(void)state;
	unsetenv("JOURNAL_STREAM");
	zlog_init("zeqd", ZLOG_INFO);
	capture(ZLOG_WARNING, "disk is full", out, sizeof(out));
	assert_string_equal(out, "zeqd: warning: disk is full\n");
	/* a trailing newline is not doubled */
	capture(ZLOG_ERR, "bad\n", out, sizeof(out));
	assert_string_equal(out, "zeqd: error: bad\n");
	/* no forged second line, no escape sequences */
	capture(ZLOG_INFO, "peer x\nzeqd: error: forged\r\x1b[2J\x7f", out,
		sizeof(out));
	assert_string_equal(out, "zeqd: info: peer x?zeqd: error: forged??[2J?\n");
	/* above the level: nothing */
	capture(ZLOG_DEBUG, "hidden", out, sizeof(out));
	assert_string_equal(out, "");
	zlog_set_level(ZLOG_DEBUG);
	assert_int_equal(zlog_get_level(), ZLOG_DEBUG);
	capture(ZLOG_DEBUG, "shown", out, sizeof(out));
	assert_string_equal(out, "zeqd: debug: shown\n");

	/* errno kept even when the write itself fails (stderr closed) */
	{
		int saved = dup(STDERR_FILENO);

		assert_true(saved >= 0);
		close(STDERR_FILENO);
		errno = EXDEV;
		zlog(ZLOG_ERR, "nowhere");
		assert_int_equal(errno, EXDEV);
		assert_true(dup2(saved, STDERR_FILENO) >= 0);
		close(saved);
	}

	/* a long message: one line, cut, still ending in a newline */
	big = malloc(10000);
	assert_non_null(big);
	memset(big, 'm', 9999);
	big[9999] = '\0';
	capture(ZLOG_INFO, big, out, sizeof(out));
	assert_true(strlen(out) > 1000);
	assert_true(strlen(out) <= 2048);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	free(big);
	zlog_set_level(ZLOG_INFO);
}

static void test_log_journal(void **state)
{
	char out[256], js[64];
	struct stat st;
	int p[2], saved;
	ssize_t n;

	(void)state;
	/* JOURNAL_STREAM names our stderr: "<N>" and no program name */
	assert_int_equal(pipe(p), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	assert_int_equal(setenv("JOURNAL_STREAM", js, 1), 0);
	zlog_init("zeqd", ZLOG_INFO);
	zlog(ZLOG_NOTICE, "started");
	zlog(ZLOG_ERR, "a\nb");
	/* it names another stream: plain lines again */
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + 1);
	assert_int_equal(setenv("JOURNAL_STREAM", js, 1), 0);
	zlog_init("zeqd", ZLOG_INFO);
	zlog(ZLOG_NOTICE, "plain");
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	assert_true(n >= 0);
	out[n] = '\0';
	close(p[0]);
	unsetenv("JOURNAL_STREAM");
	zlog_init("zeqd", ZLOG_INFO);
	assert_string_equal(out, "<5>started\n<3>a?b\nzeqd: notice: plain\n");
}

static void test_peers(void **state)
{
	static struct zeqd_config c;

	(void)state;
	parse_ok("log_level = debug\n"
		 "[peer berlin]   # the first\n"
		 "public_key = " KEY_B64 "\n"
		 "endpoint = vpn.example.com:443\n"
		 "device = zeq0\n"
		 "peer_id = 7\n"
		 "allowed_ips = 10.0.0.2/32, fd00::2/128\n"
		 "\n"
		 "[peer paris.2]\n"
		 "public_key = " KEY_HEX "\n"
		 "endpoint = [2001:db8::1]:8443\n"
		 "device = zeq1\n"
		 "peer_id = 7\n", &c);
	assert_int_equal(c.log_level, ZLOG_DEBUG);
	assert_int_equal(c.npeers, 2);
	assert_string_equal(c.peers[0].name, "berlin");
	assert_int_equal(c.peers[0].line, 2);
	assert_int_equal(c.peers[0].public_key[0], 0x8a);
	assert_int_equal(c.peers[0].public_key[31], 0x5c);
	assert_string_equal(c.peers[0].endpoint, "vpn.example.com:443");
	assert_string_equal(c.peers[0].device, "zeq0");
	assert_int_equal(c.peers[0].peer_id, 7);
	assert_int_equal(c.peers[0].naips, 2);
	assert_int_equal(c.peers[0].aips[0].cidr, 32);
	assert_int_equal(c.peers[0].aips[1].cidr, 128);
	assert_string_equal(c.peers[1].name, "paris.2");
	assert_int_equal(c.peers[1].public_key[0], 0x81);
	assert_string_equal(c.peers[1].endpoint, "[2001:db8::1]:8443");
	assert_int_equal(c.peers[1].naips, 0);
	/* each error names the line, and the peer where no key is at fault */
	refuse("[peer a]\ndevice = zeq0\npeer_id = 1\n",
	       NAME ":1: peer a: public_key missing");
	refuse("[peer a]\npublic_key = " KEY_B64 "\npeer_id = 1\n",
	       NAME ":1: peer a: device missing");
	refuse("[peer a]\npublic_key = " KEY_B64 "\ndevice = z\npeer_id = 1\n"
	       "[peer b]\npublic_key = " KEY_B64 "\ndevice = z\npeer_id = 2\n",
	       NAME ":6: public_key: peer b has the same key as peer a");
	refuse("[peer a]\npublic_key = " KEY_B64 "\ndevice = z\npeer_id = 1\n"
	       "[peer b]\npublic_key = " KEY_HEX "\ndevice = z\npeer_id = 1\n",
	       NAME ":8: peer_id: peer b has the same id on z as peer a");
	refuse("[peer a]\n[peer a]\n",
	       NAME ":2: peer 'a' given twice (first on line 1)");
	refuse("[peer a]\nstate_dir = /x\n",
	       NAME ":2: state_dir: unknown key in a [peer] section");
	refuse("[peer a]\ndevice = zeq0\ndevice = zeq1\n",
	       NAME ":3: device: given twice (first on line 2)");
	refuse("[peers a]\n", NAME ":1: expected '[peer NAME]'");
	refuse("[peer a] x\n", NAME ":1: expected '[peer NAME]'");
	refuse("[peer a b]\n", NAME ":1: peer name 'a b': 1 to 31 of A-Z a-z "
	       "0-9 _ . -");
	refuse("[peer ]\n", NAME ":1: peer name '': 1 to 31 of A-Z a-z 0-9 _ . -");
	refuse("[peer a]\nendpoint = vpn.example.com\n",
	       NAME ":2: endpoint: 'vpn.example.com' is not host:port (port 1 to "
	       "65535)");
	refuse("[peer a]\nendpoint = bad_host:443\n",
	       NAME ":2: endpoint: 'bad_host' is not a host name or address");
	refuse("[peer a]\nendpoint = [10.0.0.1]:443\n",
	       NAME ":2: endpoint: '10.0.0.1' is not a host name or address");
	refuse("[peer a]\nendpoint = h.example:0\n",
	       NAME ":2: endpoint: 'h.example:0' is not host:port (port 1 to "
	       "65535)");
	refuse("[peer a]\ndevice = a/b\n",
	       NAME ":2: device: 'a/b' is not an interface name (1 to 15 "
	       "characters, no '/', ':' or space)");
	refuse_prefix("[peer a]\npeer_id = 0\n", NAME ":2: peer_id: ");
	refuse_prefix("[peer a]\nallowed_ips = 10.0.0.1/24\n",
		      NAME ":2: allowed_ips: ");
	refuse_prefix("[peer a]\npublic_key = abc\n", NAME ":2: public_key: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_errors_exact),
		cmocka_unit_test(test_errors_prefix),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_log_journal),
		cmocka_unit_test(test_peers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
