/* SPDX-License-Identifier: MIT */
/*
 * identity.h - this node's identity: an Ed25519 key pair made on first
 * start. The private key is the ZSC secret "node/identity" (encrypted like
 * every secret); the public key and the node id are in the node table.
 *
 * The node id (ZID) is 32 lowercase hex digits: the first 16 bytes of
 * SHA-256("zeq-zid-v1" || public key).
 */
#ifndef ZEQD_IDENTITY_H
#define ZEQD_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "zeq_constants.h"

struct zstore;

#define ZEQ_ED25519_PUB_LEN	32
#define ZEQ_IDENTITY_PURPOSE	"node/identity"

/**
 * struct zeq_identity - the public half, safe to print and log
 * @pub: Ed25519 public key
 * @zid: node id, NUL-terminated
 */
struct zeq_identity {
	uint8_t pub[ZEQ_ED25519_PUB_LEN];
	char zid[ZEQ_ZID_HEX_LEN + 1];
};

/* load, or create once (two racing creators agree on one); 0 or -1 + err */
int identity_ensure(struct zstore *s, struct zeq_identity *id, char *err,
		    size_t errlen);
/*
 * The node's private key from the store as the handshake's signing key
 * (zeq_hs_key), checked against the public key in id. NULL with the
 * reason in err; EVP_PKEY_free when done. The seed is erased.
 */
EVP_PKEY *identity_signing_key(struct zstore *s, const struct zeq_identity *id,
			       char *err, size_t errlen);

/* ZID of a public key, as text */
void identity_zid(const uint8_t pub[ZEQ_ED25519_PUB_LEN],
		  char zid[ZEQ_ZID_HEX_LEN + 1]);
/* the same ZID as the bytes its hex digits spell (the handshake's) */
void identity_zid_bytes(const uint8_t pub[ZEQ_ED25519_PUB_LEN],
			uint8_t zid[ZEQ_ZID_LEN]);
/* 1 if s is 32 lowercase hex digits */
int identity_zid_valid(const char *s);

#endif
