/* SPDX-License-Identifier: MIT */
/*
 * link.h - an authenticated control channel to one peer, for either side,
 * from the upgrade to its close (docs/protocol.md, "Link"): the handshake
 * (session.c), then the tunnel's keys in the kernel (kernel.c), the
 * ratchet, and heartbeats.
 *
 * Every message is a frame: a 2-byte big-endian length, then the message,
 * its first byte its type. After the handshake (INIT, RESP, FIN):
 *
 *   PARAMS     0x10 | version 1 | UDP port (2) | key id base (4)
 *   READY      0x11 | epoch (8)   "epoch's keys are staged here"
 *   HEARTBEAT  0x12
 *   PUSH       0x13 | family (4 or 6) | address (4 or 16)
 *                     "use this resolver for DNS through the tunnel"
 *
 * Both sides send PARAMS once the handshake is done: the port of the
 * device the tunnel uses (the peer's endpoint is the channel's address
 * with it) and the base of the key ids packets to the sender carry (epoch
 * n: base + n). On the other's PARAMS a side installs the peer with its
 * endpoint and allowed IPs and stages epoch 0 in the next key slot, then
 * sends READY 0.
 *
 * Epoch e's key is swapped in once it is staged on both sides (our stage
 * and the other's READY e). Epoch 0 is swapped in at once; epoch e + 1
 * one ratchet period after e was, by each side's own clock, or at once
 * when the kernel reports e's key near its limit. Half a period after
 * each swap the next epoch is derived (kdf.c) and staged, ahead of use,
 * and READY sent. A side that swaps first sends under the key the other
 * has staged; the other still sends under the key the first keeps as
 * previous: no packet is lost to the swap.
 *
 * A link closes on a malformed message, a failed kernel request, or no
 * message for ZEQ_LINK_DEAD_MS (each side sends a HEARTBEAT every
 * ZEQ_LINK_HEARTBEAT_MS). The keys in the kernel stay: traffic flows on
 * them until a new link handshakes afresh.
 */
#ifndef ZEQD_LINK_H
#define ZEQD_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "kdf.h"
#include "kernel.h"
#include "loop.h"
#include "zeq_attrs.h"

#define ZEQ_LINK_PARAMS		0x10
#define ZEQ_LINK_READY		0x11
#define ZEQ_LINK_HEARTBEAT	0x12
#define ZEQ_LINK_PUSH		0x13
#define ZEQ_LINK_VERSION	1
#define ZEQ_LINK_PARAMS_LEN	8
#define ZEQ_LINK_READY_LEN	9
#define ZEQ_LINK_HEARTBEAT_LEN	1
#define ZEQ_LINK_PUSH_MAX	(2 + 16)
#define ZEQ_LINK_HEARTBEAT_MS	10000
#define ZEQ_LINK_DEAD_MS	35000
/* a handshake not done in this time closes the link */
#define ZEQ_LINK_HANDSHAKE_MS	10000

struct zlink;
struct zpeer;

/**
 * struct zlink_env - what every link shares, owned by the peer table
 * @loop: the event loop
 * @kern: the kernel device
 * @identity: our identity key (signing)
 * @identity_pub: its public key
 * @mesh: the mesh secret
 * @mesh_len: its length
 * @ratchet_ms: the ratchet period
 * @find: the responder's lookup of an initiator by zid (session.h); sets
 *	the link's peer through zlink_set_peer
 * @up: a link's handshake with p is done: 0 keep the link, else it
 *	closes (another link to the same peer won)
 * @closed: a link to a known peer is closing (and about to be freed), why
 * @changed: a link's epoch changed
 * @pushed: the peer pushed its resolver address
 * @resolver: ours, pushed after PARAMS (family 0: none)
 * @arg: the three callbacks' first argument
 * @links: every open link (link.c keeps the list)
 */
struct zlink_env {
	struct zloop *loop;
	struct zkern *kern;
	EVP_PKEY *identity;
	uint8_t identity_pub[32];
	uint8_t mesh[64];
	size_t mesh_len;
	uint64_t ratchet_ms;
	int (*find)(void *arg, struct zlink *lk, const uint8_t *zid,
		    uint8_t *pub, uint8_t *obfs);
	int (*up)(void *arg, struct zlink *lk, struct zpeer *p);
	void (*closed)(void *arg, struct zlink *lk, struct zpeer *p,
		       const char *why);
	void (*changed)(void *arg, struct zpeer *p);
	void (*pushed)(void *arg, struct zpeer *p, const struct zeq_addr *a);
	struct zeq_addr resolver;
	void *arg;
	struct zlink *links;
};

/**
 * struct zlink_peer - the peer as a link needs it
 * @name: its name in the config
 * @pub: its identity key
 * @dev: our device the tunnel uses
 * @id: its peer id on @dev
 * @aips: its allowed IPs
 * @naips: how many
 * @port: our device's UDP port, read with its obfuscation digest when the
 *	call starts (initiator) or INIT names the peer (responder)
 */
struct zlink_peer {
	const char *name;
	const uint8_t *pub;
	const char *dev;
	uint32_t id;
	const struct zeq_prefix *aips;
	unsigned int naips;
	uint16_t port;
};

/*
 * A link on a connection just upgraded (fd, ssl taken over; leftover:
 * bytes already read after the upgrade). The initiator names the peer it
 * called (p, lp) and the obfuscation digest of its device; the responder
 * passes NULLs and learns the peer from INIT. NULL if it failed at once
 * (then fd and ssl are closed, and env->closed told why).
 */
struct zlink *zlink_new(struct zlink_env *env, int fd, SSL *ssl,
			const struct sockaddr_storage *remote, const char *name,
			struct zpeer *p, const struct zlink_peer *lp,
			const uint8_t *obfs, const uint8_t *leftover,
			size_t nleft);
/* the responder's find names the peer (lp copied, its pointers kept) */
void zlink_set_peer(struct zlink *lk, struct zpeer *p,
		    const struct zlink_peer *lp);
/* close without telling env->closed (the peer table is going away) */
void zlink_free(struct zlink *lk);
/* zlink_free every link of env */
void zlink_free_all(struct zlink_env *env);
/* close, telling env->closed why */
void zlink_close(struct zlink *lk, const char *why);
/*
 * The kernel says key_id is near its limit (ZEQ_EVENT_KEY_NEAR_LIMIT): if
 * it is the key in force (or the one staged after it), ratchet now rather
 * than at the period's end.
 */
void zlink_key_near_limit(struct zlink *lk, uint32_t key_id);
/*
 * The session's ratchet state, for the store: the epoch in force (8
 * bytes, big-endian) and the chain key that derives the next (32): into
 * out (ZEQ_LINK_STATE_LEN bytes). Secret: erase it after use. -1 before
 * epoch 0 is in force.
 */
#define ZEQ_LINK_STATE_LEN	(8 + ZEQ_KDF_LEN)
int zlink_state(const struct zlink *lk, uint8_t *out);
/* the epoch whose key sends now, -1 before epoch 0 is swapped in */
int64_t zlink_epoch(const struct zlink *lk);
/* this side called */
bool zlink_initiator(const struct zlink *lk);

#endif
