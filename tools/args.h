/* SPDX-License-Identifier: MIT */
/*
 * args.h - zeqctl's command line, parsed into what to do.
 *
 * zc_parse_args() is the whole argument grammar (global options, every
 * subcommand, its keywords and their values) and nothing else: it reads no
 * file, opens no socket and sends nothing, so tests and fuzzers can run it
 * alone. Usage errors are printed on stderr as zeqctl prints them.
 */
#ifndef ZEQ_ARGS_H
#define ZEQ_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zeq_attrs.h"
#include "zeq_constants.h"

enum zc_cmd {
	ZC_USAGE,	/* no command: usage on stderr, exit status 2 */
	ZC_HELP,	/* help, -h, --help: usage on stdout */
	ZC_VERSION,	/* --version, -V */
	ZC_SHOW,
	ZC_MONITOR,
	ZC_SET,
	ZC_PEER,	/* add, set, del: nl_cmd */
	ZC_KEY,		/* add, swap, del: nl_cmd */
	ZC_GENKEY,
	ZC_API,		/* tunnels, secrets, token: a request to zeqd */
};


struct zc_args {
	enum zc_cmd cmd;
	bool json;			/* -j / --json */
	char ctx[16];			/* "set", "peer add", ... for errors */
	const char *dev;		/* the DEV argument (points into argv) */
	uint8_t nl_cmd;			/* set, peer, key: the request */
	struct zeq_device conf;		/* set */
	struct zeq_peer peer;		/* peer: aips malloc'd */
	struct zeq_keyconf kc;		/* key: all but the key bytes */
	bool read_keys;			/* key add: the key file is still to read */
	const char *key_file;		/* key add: NULL or "-" for stdin */
	bool reverse;			/* key add: swap tx and rx after reading */
	const char *hp_key_file;	/* set: header protection key file */
	bool genkey_hp;			/* genkey hp: a header protection key */
	/* daemon commands (ZC_API), sent to zeqd's control socket */
	const char *api_op;		/* "tunnels.list", "whoami", ... */
	int64_t tunnel_id;		/* tunnels show|stop|del ID */
	const char *peer_zid;		/* tunnels add PEER */
	const char *hops[ZEQ_TUNNEL_HOPS_MAX];	/* tunnels add PEER via H1,H2,H3 */
	int nhops;
	char *hops_buf;			/* malloc'd copy the hops point into */
	const char *socket_path;	/* --socket PATH; NULL: default */
	const char *token_file;		/* --token-file FILE; NULL: env */
};

/*
 * Parses argv[0..argc) (argv[0] the program name). May reorder argv (it
 * removes -j/--json after show and monitor). Returns 0, or the exit
 * status after printing the error (EXIT_USAGE, or EXIT_RUNTIME when out
 * of memory). a must be released with zc_args_free() in either case.
 */
int zc_parse_args(int argc, char **argv, struct zc_args *a);
void zc_args_free(struct zc_args *a);

/* Buffer size for the request of a set/peer/key command. */
size_t zc_request_len(const struct zc_args *a);
/*
 * Puts the attributes of the request (after znl_msg's headers) into nlh,
 * buflen bytes. False if it does not fit in a netlink message.
 */
bool zc_put_request(struct nlmsghdr *nlh, size_t buflen,
		    const struct zc_args *a);

#endif /* ZEQ_ARGS_H */
