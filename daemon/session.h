/* SPDX-License-Identifier: MIT */
/*
 * session.h - one handshake on an authenticated control channel, for
 * either side (docs/protocol.md, "Handshake"): the frames on the channel,
 * the INIT/RESP/FIN exchange (handshake.c) and epoch 0's keys (kdf.c).
 * No I/O: the caller feeds in what it received and sends what it is given,
 * so the same code runs on a socket, in a test and in the bench.
 *
 * Frames: a 2-byte big-endian length, then the message (its first byte is
 * its type). A frame longer than ZEQ_SESSION_FRAME_MAX ends the session.
 *
 *   initiator                          responder
 *   zeq_session_start() -> INIT  --->  zeq_session_input(INIT) -> RESP
 *   zeq_session_input(RESP) -> FIN --> zeq_session_input(FIN)
 *   done: keys                         done: keys
 *
 * An obfuscation-parameter mismatch: the responder still sends its signed
 * RESP, then both sides end with -ECONNREFUSED.
 */
#ifndef ZEQD_SESSION_H
#define ZEQD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handshake.h"
#include "kdf.h"

#define ZEQ_SESSION_FRAME_MAX	1024
/* room for what one call may produce */
#define ZEQ_SESSION_OUT_MAX	(2 + ZEQ_HS_RESP_LEN)

/*
 * The responder's lookup of the node with this zid: its identity key
 * (Ed25519 public, 32 bytes) into pub, and the hash of our obfuscation
 * parameters for its tunnel (the device's digest, 32 bytes) into obfs;
 * 0, or -ENOENT (not a configured peer, or its device is missing)
 */
typedef int (*zeq_session_find_fn)(const uint8_t *zid, uint8_t *pub,
				   uint8_t *obfs, void *arg);

/**
 * struct zeq_session_params - what a side brings
 * @initiator: which side this is
 * @identity: our identity as a signing key (zeq_hs_key, made once)
 * @identity_pub: its public key
 * @peer_pub: the initiator: the identity key of the peer it calls
 * @find: the responder: looks up the initiator's key (and our obfuscation
 *	hash for it) by its zid
 * @find_arg: its argument
 * @obfs: the initiator: hash of our obfuscation parameters (32 bytes)
 * @exporter: the channel's TLS exporter (32 bytes)
 * @mesh: the mesh secret
 * @mesh_len: its length
 */
struct zeq_session_params {
	bool initiator;
	EVP_PKEY *identity;
	const uint8_t *identity_pub;
	const uint8_t *peer_pub;
	zeq_session_find_fn find;
	void *find_arg;
	const uint8_t *obfs;
	const uint8_t *exporter;
	const uint8_t *mesh;
	size_t mesh_len;
};

enum zeq_session_state {
	ZEQ_SS_WAIT_INIT,	/* responder */
	ZEQ_SS_WAIT_RESP,	/* initiator, INIT sent */
	ZEQ_SS_WAIT_FIN,	/* responder, RESP sent */
	ZEQ_SS_DONE,
	ZEQ_SS_FAILED,
};

/**
 * struct zeq_session - one side's handshake in progress
 * @p: its parameters (the pointers must outlive the session)
 * @state: enum zeq_session_state
 * @eph: our ephemeral X25519 key (freed when the handshake ends or fails,
 *	and by zeq_session_clear)
 * @peer_pub: the other side's identity key
 * @peer_zid: the other side's node id
 * @init: INIT as sent or received
 * @resp: RESP as sent or received
 * @th1: the transcript hash RESP signs
 * @mine: our hello
 * @theirs: the other side's hello
 * @in: bytes of the frame being received
 * @in_len: their number
 * @keys: epoch 0's keys, once done
 * @why: what went wrong, for the log
 */
struct zeq_session {
	struct zeq_session_params p;
	enum zeq_session_state state;
	EVP_PKEY *eph;
	uint8_t peer_pub[32];
	uint8_t peer_zid[ZEQ_HS_ZID_LEN];
	uint8_t init[ZEQ_HS_INIT_LEN];
	uint8_t resp[ZEQ_HS_RESP_LEN];
	uint8_t th1[ZEQ_HS_HASH_LEN];
	struct zeq_hs_hello mine, theirs;
	uint8_t in[2 + ZEQ_SESSION_FRAME_MAX];
	size_t in_len;
	struct zeq_session_keys keys;
	const char *why;
};

/*
 * Begin. The initiator gets its INIT frame in out (*outlen bytes, room
 * for ZEQ_SESSION_OUT_MAX); the responder gets nothing. 0, or -EIO.
 */
int zeq_session_start(struct zeq_session *s,
		      const struct zeq_session_params *p, uint8_t *out,
		      size_t *outlen);

/*
 * len received bytes in; what to send goes to out (*outlen bytes, 0 if
 * nothing). 0: more to come; 1: done, s->keys hold epoch 0 (nothing more
 * is read; the caller sends out first); negative: failed, s->why says
 * what (out may still hold the RESP of a mismatch, to send before
 * closing): -EBADMSG, -EPROTONOSUPPORT, -EOPNOTSUPP, -EKEYREJECTED,
 * -ECONNREFUSED (obfuscation parameters differ), -ENOENT (an unknown
 * node), -EMSGSIZE (a frame too long), -EPROTO (bytes after the end),
 * -EIO.
 */
int zeq_session_input(struct zeq_session *s, const uint8_t *in, size_t len,
		      uint8_t *out, size_t *outlen);

/* erase every secret the session holds; every started session ends with it */
void zeq_session_clear(struct zeq_session *s);

#endif
