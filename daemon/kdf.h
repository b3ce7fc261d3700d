/* SPDX-License-Identifier: MIT */
/*
 * kdf.h - session keys from a handshake, and the ratchet (docs/protocol.md,
 * "Key derivation"). HKDF-SHA256 and X25519 through OpenSSL; nothing here
 * talks to the network or the kernel.
 *
 *   mesh_share = HMAC-SHA256(mesh secret, "zeq mesh share v1" 0x00 ||
 *                            nonce_i || nonce_r)
 *   PRK        = HKDF-Extract(salt = TLS exporter,
 *                             IKM = x25519 shared || kem shared || mesh_share)
 *   OKM        = HKDF-Expand(PRK, "zeq session v1" 0x00 || transcript, 104)
 *   ratchet n  : OKM = HKDF-Expand(chain, "zeq ratchet v1" 0x00 || be64(n), 104)
 *   OKM        = chain (32) || i2r key (32) || i2r salt (4)
 *                           || r2i key (32) || r2i salt (4)
 */
#ifndef ZEQD_KDF_H
#define ZEQD_KDF_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/types.h>

#include "zeq_constants.h"

#define ZEQ_KDF_LEN		32	/* chain key, shares, exporter, hashes */
#define ZEQ_KDF_NONCE_LEN	32	/* handshake nonces */
#define ZEQ_X25519_LEN		32

/**
 * struct zeq_dir_keys - one direction's AES-256-GCM key and nonce salt, as
 *	the kernel takes them (ZEQ_A_KEYCONF_TX_KEY/_SALT, RX_KEY/_SALT)
 * @key: the key
 * @salt: the salt
 */
struct zeq_dir_keys {
	uint8_t key[ZEQ_KEY_LEN];
	uint8_t salt[ZEQ_SALT_LEN];
};

/**
 * struct zeq_session_keys - one epoch's keys and the chain to the next
 * @chain: the ratchet's chain key
 * @i2r: initiator to responder (the initiator's send direction)
 * @r2i: responder to initiator
 * @epoch: 0 from the handshake, +1 per ratchet
 *
 * Secret: zeq_session_keys_clear when done.
 */
struct zeq_session_keys {
	uint8_t chain[ZEQ_KDF_LEN];
	struct zeq_dir_keys i2r, r2i;
	uint64_t epoch;
};

/**
 * struct zeq_kdf_input - what a handshake contributes
 * @dh: the X25519 shared secret (ZEQ_X25519_LEN)
 * @kem: the ML-KEM-768 shared secret, or NULL when not used
 * @kem_len: its length (0 when not used)
 * @mesh_share: zeq_kdf_mesh_share's output
 * @exporter: the TLS exporter of the channel
 * @transcript: SHA-256 of the handshake transcript
 */
struct zeq_kdf_input {
	const uint8_t *dh;
	const uint8_t *kem;
	size_t kem_len;
	const uint8_t *mesh_share;
	const uint8_t *exporter;
	const uint8_t *transcript;
};

/* 0, or -EIO */
int zeq_kdf_mesh_share(const uint8_t *secret, size_t secret_len,
		       const uint8_t *nonce_i, const uint8_t *nonce_r,
		       uint8_t *out);
/* epoch 0 keys from a handshake; 0, or -EINVAL (kem_len over 64), -EIO */
int zeq_kdf_session(const struct zeq_kdf_input *in,
		    struct zeq_session_keys *out);
/* the next epoch in place (the old chain key is gone); 0, or -EIO */
int zeq_kdf_ratchet(struct zeq_session_keys *k);
void zeq_session_keys_clear(struct zeq_session_keys *k);

/*
 * An X25519 key made once and used for the shared secret as it is: making
 * one from its private half computes the public half (a scalar
 * multiplication), which a handshake should pay once, not twice.
 */
/* the key of priv, its public half into pub (NULL: not wanted); NULL on error */
EVP_PKEY *zeq_x25519_key(const uint8_t *priv, uint8_t *pub);
/*
 * the shared secret of mine and the peer's pub; 0, or -EIO (also for a
 * peer key of small order, whose shared secret would be all zero)
 */
int zeq_x25519_derive(EVP_PKEY *mine, const uint8_t *peer_pub, uint8_t *out);
/* the same from raw private keys (test vectors, bench); 0, or -EIO */
int zeq_x25519_public(const uint8_t *priv, uint8_t *pub);
int zeq_x25519_shared(const uint8_t *priv, const uint8_t *peer_pub,
		      uint8_t *out);

#endif
