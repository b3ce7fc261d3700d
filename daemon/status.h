/* SPDX-License-Identifier: MIT */
/*
 * status.h - the status file: each configured peer's tunnel as zeqd sees
 * it, for `zeqctl show` (docs/zeqd.8, STATUS FILE). JSON, replaced whole
 * (written beside and renamed), mode 0644: it holds no secret.
 *
 *   { "version": 1, "pid": P, "node": ZID, "updated": UNIX,
 *     "ml_kem_offered": BOOL,
 *     "peers": [ { "name", "device", "peer_id", "zid", "state", "why",
 *                  "since", "epoch", "ml_kem", "link",
 *                  "resolver" } ] }
 *
 * state: "up" (keys in force), "keying" (handshake done, keys not yet in
 * force), "calling" (our call in progress), "down" (no link: why says
 * what went wrong last, or "" if nothing was tried yet). link: "called"
 * (we called), "answered", or null.
 */
#ifndef ZEQD_STATUS_H
#define ZEQD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZEQ_STATUS_VERSION	1

/**
 * struct zstatus_peer - one peer's line
 * @name: its section's name
 * @device: our device
 * @peer_id: its id there
 * @zid: its node id (hex)
 * @state: see above
 * @why: for "down", why ("" none)
 * @since: Unix time the state began
 * @epoch: the epoch in force (-1 none)
 * @ml_kem: ML-KEM-768 was part of the handshake
 * @link: "called", "answered" or NULL
 * @resolver: the resolver address the peer pushed, or NULL
 */
struct zstatus_peer {
	const char *name;
	const char *device;
	uint32_t peer_id;
	const char *zid;
	const char *state;
	const char *why;
	int64_t since;
	int64_t epoch;
	bool ml_kem;
	const char *link;
	const char *resolver;
};

/*
 * write path for node (whose OpenSSL offers ML-KEM-768: kem) with n
 * peers; 0, or -1 with the reason in err
 */
int zstatus_write(const char *path, const char *node, bool kem,
		  const struct zstatus_peer *p, unsigned int n, char *err,
		  size_t errlen);
/* remove it (zeqd stopping); a missing file is fine */
void zstatus_remove(const char *path);

#endif
