/* SPDX-License-Identifier: MIT */
/*
 * tunnels.h - vpn_tunnels rows, always seen through one state machine.
 *
 * Every function takes the caller's slug and touches only that slug's
 * rows: another state machine's tunnel is "not found", never "forbidden"
 * (a token learns nothing about tunnels it does not own). A row holds the
 * purpose of its key secret in zsc_secrets, never a key.
 */
#ifndef ZEQD_TUNNELS_H
#define ZEQD_TUNNELS_H

#include <stdint.h>

#include "identity.h"
#include "tokens.h"
#include "zsc.h"

/**
 * struct ztunnel - one vpn_tunnels row
 * @id: row id
 * @slug: owning state machine
 * @peer: the peer's ZID
 * @status: "down", "connecting", "up" or "stopped"
 * @start_zq: Zeqond it last came up (-1: never)
 * @stop_zq: Zeqond it last stopped (-1: never)
 * @rx_bytes: bytes received (integer metering)
 * @tx_bytes: bytes sent
 * @hops: multi_hop_chain, @nhops ZIDs in order
 * @purpose: the key secret's purpose in zsc_secrets ("" none yet)
 * @created: Unix time of creation
 */
struct ztunnel {
	int64_t id;
	char slug[ZSM_SLUG_MAX + 1];
	char peer[ZEQ_ZID_HEX_LEN + 1];
	char status[16];
	int64_t start_zq;
	int64_t stop_zq;
	int64_t rx_bytes;
	int64_t tx_bytes;
	char hops[ZEQ_TUNNEL_HOPS_MAX][ZEQ_ZID_HEX_LEN + 1];
	int nhops;
	char purpose[ZSC_PURPOSE_MAX + 1];
	int64_t created;
};

typedef int (*ztunnel_cb)(const struct ztunnel *t, void *arg);

/* every tunnel of slug in id order; cb non-zero stops and is returned */
int tunnels_list(struct zstore *s, const char *slug, ztunnel_cb cb, void *arg);
/* 0, -ENOENT (none, or not slug's), -EIO */
int tunnels_get(struct zstore *s, const char *slug, int64_t id,
		struct ztunnel *t);
/* a new tunnel (status "down") to peer with hops; -EEXIST if slug already
 * has one to peer, -EINVAL (bad ZID, too many hops), -EIO; *t filled */
int tunnels_create(struct zstore *s, const char *slug, const char *peer,
		   const char (*hops)[ZEQ_ZID_HEX_LEN + 1], int nhops,
		   struct ztunnel *t);
/* status "stopped", stop_zq now; 0, -ENOENT, -EIO */
int tunnels_stop(struct zstore *s, const char *slug, int64_t id);
/* delete the row (and its key secret, in the same transaction) */
int tunnels_delete(struct zstore *s, const char *slug, int64_t id);

/*
 * The tunnels zeqd builds from zeqd.conf's peers belong to this slug: not
 * a valid zsm_ slug ('.'), so no state machine can own or see them.
 */
#define ZEQ_TUNNELS_CONF_SLUG	"zeqd.conf"

/*
 * A session with peer is in force (its keys in the kernel): in one
 * transaction, its secret (len bytes: the ratchet's state) is put under
 * purpose "node/tunnel/PEER" in zsc_secrets and the row of (slug, peer)
 * is created or updated to status "up", start_zq now and that purpose,
 * which is all the row says of the key. Called again on each ratchet:
 * the old state is overwritten. 0, -EINVAL (bad ZID), -EIO.
 */
int tunnels_session_up(struct zstore *s, const char *slug, const char *peer,
		       const void *secret, size_t len);
/*
 * The session ended: its secret is deleted, the row says "down" with
 * stop_zq now and no purpose. 0 (also when there was none), -EIO.
 */
int tunnels_session_down(struct zstore *s, const char *slug,
			 const char *peer);

#endif
