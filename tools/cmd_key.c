// SPDX-License-Identifier: MIT
/*
 * cmd_key.c - zeqctl key add | swap | del, and genkey [hp].
 *
 * Key material comes only from a file or stdin, never from argv, and is
 * zeroed (explicit_bzero) in every buffer it passed through (the parsed
 * arguments are zeroed by zc_args_free).
 */
#define _GNU_SOURCE		/* explicit_bzero, strnlen, strdup */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "cli.h"
#include "cmds.h"
#include "parse.h"
#include "zeq_attrs.h"

/* Reads all of fd into buf (size bytes); -1 with errno EFBIG if larger. */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
		if (len == size) {
			errno = EFBIG;
			return -1;
		}
	}
}

int cli_load_secret(const char *path, const char *what, secret_parser parse,
		    void *out)
{
	bool is_stdin = !path || strcmp(path, "-") == 0;
	char *buf = malloc(ZEQ_KEYFILE_MAX + 1);
	char why[ZEQ_WHY_LEN], name[PATH_MAX + 32];
	int fd = STDIN_FILENO, ret = 0;
	ssize_t len;

	if (is_stdin)
		snprintf(name, sizeof(name), "%s (stdin)", what);
	else
		snprintf(name, sizeof(name), "%s \"%s\"", what, path);
	if (!buf)
		return cli_error("out of memory");
	if (!is_stdin && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ret = cli_error("%s: %s", name, strerror(errno));
		goto out;
	}
	len = read_all(fd, buf, ZEQ_KEYFILE_MAX + 1);
	if (len < 0)
		ret = cli_error("%s: %s", name,
				errno == EFBIG ? "too large" : strerror(errno));
	else if (parse(buf, (size_t)len, out, why, sizeof(why)) < 0)
		ret = cli_error("%s: %s", name, why);
	explicit_bzero(buf, ZEQ_KEYFILE_MAX + 1);
	if (!is_stdin)
		close(fd);
out:
	free(buf);
	return ret;
}

static int parse_keyfile(const char *buf, size_t len, void *kc, char *why,
			 size_t whylen)
{
	return zeq_parse_keyfile(buf, len, kc, why, whylen);
}

int cmd_key(struct zc_args *a)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	struct znl nl;
	int ret;

	if (a->read_keys) {
		if ((ret = cli_load_secret(a->key_file, "key file",
					   parse_keyfile, &a->kc)))
			return ret;
		if (a->reverse)
			zeq_keyconf_reverse(&a->kc);
	}
	/* The message buffer holds key bytes: zeroed after. */
	if ((ret = cli_open(&nl)))
		return ret;
	nlh = znl_msg(&nl, buf, a->nl_cmd, 0);
	if (zc_put_request(nlh, sizeof(buf), a))
		ret = cli_talk(&nl, nlh, a->ctx);
	else
		ret = cli_error("%s: request too large", a->ctx);
	explicit_bzero(buf, sizeof(buf));
	znl_close(&nl);
	return ret;
}

/* Fills buf with len random bytes from getrandom(). */
static int random_bytes(void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = getrandom((char *)buf + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Writes len bytes of a secret to stdout with write(2), not stdio. */
static int write_secret(const char *out, int len)
{
	for (int done = 0; len > 0 && done < len;) {
		ssize_t n = write(STDOUT_FILENO, out + done, (size_t)(len - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cli_error("write: %s", strerror(errno));
		done += (int)n;
	}
	return len < 0 ? cli_error("genkey: buffer too small") : EXIT_OK;
}

/* A header protection key: ZEQ_HP_KEY_LEN random bytes, one line of hex. */
static int genkey_hp(void)
{
	uint8_t key[ZEQ_HP_KEY_LEN];
	char out[2 * ZEQ_HP_KEY_LEN + 2];
	int ret;

	if (random_bytes(key, sizeof(key))) {
		ret = cli_error("getrandom: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		snprintf(out + 2 * i, 3, "%02x", key[i]);
	out[2 * sizeof(key)] = '\n';
	ret = write_secret(out, (int)(2 * sizeof(key) + 1));
out:
	explicit_bzero(out, sizeof(out));
	explicit_bzero(key, sizeof(key));
	return ret;
}

int cmd_genkey(bool hp)
{
	struct zeq_keyconf kc = { 0 };
	char out[512];
	int ret;

	if (hp)
		return genkey_hp();
	if (random_bytes(kc.tx_key, sizeof(kc.tx_key)) ||
	    random_bytes(kc.tx_salt, sizeof(kc.tx_salt)) ||
	    random_bytes(kc.rx_key, sizeof(kc.rx_key)) ||
	    random_bytes(kc.rx_salt, sizeof(kc.rx_salt))) {
		ret = cli_error("getrandom: %s", strerror(errno));
		goto out;
	}
	/* write(2), not stdio: no copy of the key left in a stdio buffer */
	ret = write_secret(out, zeq_format_keyfile(&kc, out, sizeof(out)));
out:
	explicit_bzero(out, sizeof(out));
	explicit_bzero(&kc, sizeof(kc));
	return ret;
}
