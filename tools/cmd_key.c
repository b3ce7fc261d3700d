// SPDX-License-Identifier: MIT
/*
 * cmd_key.c - zeqctl key add | swap | del, and genkey.
 *
 * Key material comes only from a file or stdin, never from argv, and is
 * zeroed (explicit_bzero) in every buffer it passed through.
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

/* Key file (path, or stdin for NULL / "-") into kc. */
static int load_keyfile(const char *path, struct zeq_keyconf *kc)
{
	bool is_stdin = !path || strcmp(path, "-") == 0;
	char *buf = malloc(ZEQ_KEYFILE_MAX + 1);
	char why[ZEQ_WHY_LEN], name[PATH_MAX + 16];
	int fd = STDIN_FILENO, ret = 0;
	ssize_t len;

	if (is_stdin)
		snprintf(name, sizeof(name), "key file (stdin)");
	else
		snprintf(name, sizeof(name), "key file \"%s\"", path);
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
	else if (zeq_parse_keyfile(buf, (size_t)len, kc, why, sizeof(why)) < 0)
		ret = cli_error("%s: %s", name, why);
	explicit_bzero(buf, ZEQ_KEYFILE_MAX + 1);
	if (!is_stdin)
		close(fd);
out:
	free(buf);
	return ret;
}

/* Builds and sends one key request; the message buffer is zeroed after. */
static int key_request(const char *ctx, const char *dev, uint8_t cmd,
		       const struct zeq_keyconf *kc)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	struct znl nl;
	int ret;

	if ((ret = cli_open(&nl)))
		return ret;
	nlh = znl_msg(&nl, buf, cmd, 0);
	if (zeq_put_dev_sel(nlh, sizeof(buf), 0, dev) &&
	    zeq_put_keyconf(nlh, sizeof(buf), ZEQ_A_KEYCONF, kc))
		ret = cli_talk(&nl, nlh, ctx);
	else
		ret = cli_error("%s: request too large", ctx);
	explicit_bzero(buf, sizeof(buf));
	znl_close(&nl);
	return ret;
}

static int key_cmd(const char *sub, int argc, char **argv)
{
	struct cli_kw kw[] = {
		{ "peer", true, NULL },
		{ "id", true, NULL },
		{ "remote-id", true, NULL },
		{ "key-file", true, NULL },
		{ "reverse", false, NULL },
		{ "slot", true, NULL },
	};
	bool add = strcmp(sub, "add") == 0, del = strcmp(sub, "del") == 0;
	struct cli_kw *slot_kw = &kw[5];
	struct zeq_keyconf kc = { 0 };
	size_t n_kw = add ? 5 : 1;
	uint8_t cmd = ZEQ_CMD_KEY_SWAP;
	const char *v;
	char ctx[16];
	int ret;

	snprintf(ctx, sizeof(ctx), "key %s", sub);
	if (del) {		/* peer and slot only */
		kw[1] = *slot_kw;
		n_kw = 2;
	}
	if ((ret = cli_check_dev(ctx, argc > 0 ? argv[0] : NULL)) ||
	    (ret = cli_parse_kw(ctx, argc - 1, argv + 1, kw, n_kw)))
		return ret;
	if (!(v = cli_kw(kw, n_kw, "peer")))
		return cli_usage_error("%s: missing \"peer\"", ctx);
	if ((ret = cli_u32("peer id", v, 1, ZEQ_PEER_ID_MAX, &kc.peer_id)))
		return ret;
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_PEER_ID);

	if (del) {
		int slot;

		cmd = ZEQ_CMD_KEY_DEL;
		if (!(v = cli_kw(kw, n_kw, "slot")))
			return cli_usage_error("%s: missing \"slot\"", ctx);
		if ((slot = zeq_slot_from_name(v)) < 0)
			return cli_usage_error("invalid slot \"%s\": expected "
					       "current, next or previous", v);
		kc.slot = (uint8_t)slot;
		ZEQ_MARK(&kc, ZEQ_A_KEYCONF_SLOT);
	}
	if (add) {
		cmd = ZEQ_CMD_KEY_NEW;
		if (!(v = cli_kw(kw, n_kw, "id")))
			return cli_usage_error("%s: missing \"id\"", ctx);
		if ((ret = cli_u32("key id", v, 1, UINT32_MAX, &kc.key_id)))
			return ret;
		kc.remote_key_id = kc.key_id;
		v = cli_kw(kw, n_kw, "remote-id");
		if (v && (ret = cli_u32("remote key id", v, 1, UINT32_MAX,
					&kc.remote_key_id)))
			return ret;
		/* Always the next slot: the kernel promotes it at once when
		 * the peer has no current key. */
		kc.slot = ZEQ_KEY_SLOT_NEXT;
		kc.has |= ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
			  ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) |
			  ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID);
		if ((ret = load_keyfile(cli_kw(kw, n_kw, "key-file"), &kc)))
			goto out;
		if (cli_kw(kw, n_kw, "reverse"))
			zeq_keyconf_reverse(&kc);
	}
	ret = key_request(ctx, argv[0], cmd, &kc);
out:
	explicit_bzero(&kc, sizeof(kc));
	return ret;
}

int cmd_key(int argc, char **argv)
{
	static const char *const subs[] = { "add", "swap", "del" };

	if (argc < 1)
		return cli_usage_error("\"key\" needs a subcommand: add, swap, del");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[0], subs[i]) == 0)
			return key_cmd(subs[i], argc - 1, argv + 1);
	return cli_usage_error("unknown subcommand \"key %s\"", argv[0]);
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

int cmd_genkey(int argc, char **argv)
{
	struct zeq_keyconf kc = { 0 };
	char out[512];
	int len, ret = EXIT_OK;

	if (argc > 0)
		return cli_usage_error("unknown argument \"%s\" for \"genkey\"",
				       argv[0]);
	if (random_bytes(kc.tx_key, sizeof(kc.tx_key)) ||
	    random_bytes(kc.tx_salt, sizeof(kc.tx_salt)) ||
	    random_bytes(kc.rx_key, sizeof(kc.rx_key)) ||
	    random_bytes(kc.rx_salt, sizeof(kc.rx_salt))) {
		ret = cli_error("getrandom: %s", strerror(errno));
		goto out;
	}
	len = zeq_format_keyfile(&kc, out, sizeof(out));
	/* write(2), not stdio: no copy of the key left in a stdio buffer */
	for (int done = 0; len > 0 && done < len;) {
		ssize_t n = write(STDOUT_FILENO, out + done, (size_t)(len - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = cli_error("write: %s", strerror(errno));
			break;
		}
		done += (int)n;
	}
	if (len < 0)
		ret = cli_error("genkey: buffer too small");
out:
	explicit_bzero(out, sizeof(out));
	explicit_bzero(&kc, sizeof(kc));
	return ret;
}
