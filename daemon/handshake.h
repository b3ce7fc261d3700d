/* SPDX-License-Identifier: MIT */
/*
 * handshake.h - the handshake messages on the control channel and their
 * signatures (docs/protocol.md, "Handshake"). Encoding, parsing, the
 * transcript and Ed25519 signing and checking; no I/O. Every multi-byte
 * field is big-endian; every message starts with its type and version.
 *
 *   INIT (1): zid_i (16) eph_i (32) nonce_i (32) obfs (32) kem (1)
 *   RESP (2): zid_r (16) eph_r (32) nonce_r (32) obfs (32) kem (1) sig_r (64)
 *   FIN  (3): sig_i (64)
 *
 *   th1   = SHA-256("zeq handshake v1" 0x00 || exporter || INIT || RESP
 *                   without sig_r)
 *   sig_r = Ed25519(responder, "zeq resp sig v1" 0x00 || th1)
 *   th2   = SHA-256(th1 || sig_r)
 *   sig_i = Ed25519(initiator, "zeq init sig v1" 0x00 || th2)
 *   transcript (the KDF's) = SHA-256(th2 || sig_i)
 *
 * kem is 0 (no ML-KEM part follows); 1 is reserved for the hybrid KEM
 * and refused until it lands. obfs is the hash of the obfuscation
 * parameters: the responder refuses an INIT whose obfs differs from its
 * own, the initiator a RESP whose obfs differs from its own.
 */
#ifndef ZEQD_HANDSHAKE_H
#define ZEQD_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "zeq_constants.h"

#define ZEQ_HS_VERSION		1
#define ZEQ_HS_INIT		1
#define ZEQ_HS_RESP		2
#define ZEQ_HS_FIN		3
#define ZEQ_HS_ZID_LEN		ZEQ_ZID_LEN
#define ZEQ_HS_SIG_LEN		64
#define ZEQ_HS_HASH_LEN		32
#define ZEQ_HS_HELLO_LEN	(2 + ZEQ_HS_ZID_LEN + 32 + 32 + 32 + 1)
#define ZEQ_HS_INIT_LEN		ZEQ_HS_HELLO_LEN
#define ZEQ_HS_RESP_LEN		(ZEQ_HS_HELLO_LEN + ZEQ_HS_SIG_LEN)
#define ZEQ_HS_FIN_LEN		(2 + ZEQ_HS_SIG_LEN)

/**
 * struct zeq_hs_hello - what INIT and RESP carry
 * @zid: the sender's node id (identity_zid_bytes)
 * @eph: its ephemeral X25519 public key
 * @nonce: its fresh random nonce
 * @obfs: hash of its obfuscation parameters
 * @kem: 0 (no ML-KEM part)
 */
struct zeq_hs_hello {
	uint8_t zid[ZEQ_HS_ZID_LEN];
	uint8_t eph[32];
	uint8_t nonce[32];
	uint8_t obfs[ZEQ_HS_HASH_LEN];
	uint8_t kem;
};

/*
 * Errors: -EBADMSG (wrong length or type), -EPROTONOSUPPORT (another
 * version), -EOPNOTSUPP (kem other than 0), -EKEYREJECTED (a signature
 * that does not verify, or a zid that is not the key's), -ECONNREFUSED
 * (obfuscation parameters differ), -EIO (OpenSSL).
 */

/*
 * An identity's Ed25519 seed (32 bytes) as the signing key the functions
 * below take, made once: its public key is derived here, not again at
 * every signature. pub (32 bytes) gets the public key if not NULL. NULL
 * on failure; EVP_PKEY_free when done.
 */
EVP_PKEY *zeq_hs_key(const uint8_t *seed, uint8_t *pub);

/* INIT into out (ZEQ_HS_INIT_LEN bytes) */
void zeq_hs_put_init(const struct zeq_hs_hello *h, uint8_t *out);
/* parse an INIT; checks the obfs hash against ours unless that is NULL */
int zeq_hs_parse_init(const uint8_t *m, size_t len, const uint8_t *our_obfs,
		      struct zeq_hs_hello *h);

/*
 * The responder's RESP (ZEQ_HS_RESP_LEN bytes into out) to init (a
 * parsed INIT's bytes), signed with priv (zeq_hs_key); th1 gets the
 * transcript hash it signed.
 */
int zeq_hs_make_resp(const struct zeq_hs_hello *h, const uint8_t *init,
		     const uint8_t *exporter, EVP_PKEY *priv, uint8_t *out,
		     uint8_t *th1);
/*
 * The initiator checks a RESP to its init: format, version, obfs against
 * ours, sig_r under peer_pub (the responder it meant to reach, whose zid
 * the RESP must carry). h gets the responder's hello, th1 the hash.
 */
int zeq_hs_check_resp(const uint8_t *m, size_t len, const uint8_t *init,
		      const uint8_t *exporter, const uint8_t *our_obfs,
		      const uint8_t *peer_pub, struct zeq_hs_hello *h,
		      uint8_t *th1);

/* FIN (ZEQ_HS_FIN_LEN bytes into out) and the KDF transcript */
int zeq_hs_make_fin(const uint8_t *th1, const uint8_t *resp, EVP_PKEY *priv,
		    uint8_t *out, uint8_t *transcript);
/* the responder checks FIN under the initiator's key; the KDF transcript */
int zeq_hs_check_fin(const uint8_t *m, size_t len, const uint8_t *th1,
		     const uint8_t *resp, const uint8_t *peer_pub,
		     uint8_t *transcript);

#endif
