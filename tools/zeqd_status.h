/* SPDX-License-Identifier: MIT */
/*
 * zeqd_status.h - zeqd's status file (daemon/status.h writes it): why a
 * configured peer has a tunnel or not, for `zeqctl show`. Read from
 * $ZEQ_STATUS_FILE, else ZEQ_STATUS_FILE_DEFAULT; ignored when missing,
 * unreadable, of another version, or written by a zeqd that is gone.
 */
#ifndef ZEQ_ZEQD_STATUS_H
#define ZEQ_ZEQD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct zeqd_tunnel - one configured peer's line
 * @name: its name in zeqd.conf
 * @device: our device
 * @peer_id: its id there
 * @state: "up", "keying", "calling" or "down"
 * @why: for "down", why ("" nothing tried yet)
 * @since: Unix time the state began
 * @epoch: the epoch in force, -1 none
 * @ml_kem: ML-KEM-768 was part of the handshake
 * @link: "called", "answered" or ""
 * @resolver: the resolver address the peer pushed, "" none
 */
struct zeqd_tunnel {
	char name[32];
	char device[16];
	uint32_t peer_id;
	char state[16];
	char why[400];
	int64_t since;
	int64_t epoch;
	bool ml_kem;
	char link[16];
	char resolver[48];
};

/**
 * struct zeqd_status - the file
 * @pid: the zeqd that wrote it (0 unknown)
 * @t: tunnels (malloc'd)
 * @n: how many
 */
struct zeqd_status {
	long pid;
	struct zeqd_tunnel *t;
	size_t n;
};

/* load into st (empty when there is nothing to show); never fails */
void zeqd_status_load(struct zeqd_status *st);
/* parse text (len bytes) into st; 0, or -1 if it is not a status file */
int zeqd_status_parse(const char *text, size_t len, struct zeqd_status *st);
void zeqd_status_free(struct zeqd_status *st);
/* the tunnel of peer id on device, or NULL */
const struct zeqd_tunnel *zeqd_status_find(const struct zeqd_status *st,
					   const char *device, uint32_t id);

#endif /* ZEQ_ZEQD_STATUS_H */
