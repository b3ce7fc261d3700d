/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h - the zeq datagram of include/zeq_constants.h ("Wire format"),
 * outside the kernel: zcap opens captured datagrams with it and seals
 * synthetic ones. OpenSSL 3 libcrypto (EVP) does the AES.
 */
#ifndef ZEQ_TESTS_WIRE_H
#define ZEQ_TESTS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "zeq_constants.h"

struct range {
	uint32_t lo, hi;
};

int range_has(const struct range *r, uint32_t v);

/* One direction's key and the deployment's obfuscation parameters. */
struct wire {
	uint8_t key[ZEQ_KEY_LEN], salt[ZEQ_SALT_LEN];
	int hp;				/* header protection on */
	uint8_t hp_key[ZEQ_HP_KEY_LEN];
	struct range prefix;		/* 0-0: no prefix */
	struct range type_data, type_junk;
	EVP_CIPHER_CTX *aead, *ecb;
};

/* What a datagram turned out to be. */
enum wclass { W_DATA, W_KEEPALIVE, W_COVER, W_JUNK, W_BAD, W_NCLASS };
extern const char *const wclass_name[W_NCLASS];

struct opened {
	enum wclass cls;
	int has_type;		/* long enough to unmask a header */
	uint32_t type;		/* its type field, unmasked */
	size_t inner_len, pad;	/* data, keepalive, cover */
	uint64_t counter;	/* data, keepalive, cover: the nonce counter */
};

/* A data or cover packet to seal. */
struct sealing {
	uint32_t type, key_id;
	uint64_t counter;
	uint8_t inner_type;	/* ZEQ_INNER_DATA or ZEQ_INNER_COVER */
	const uint8_t *inner;
	size_t inner_len, pad;
};

/* Room wire_seal needs for an inner packet of n bytes plus padding. */
#define WIRE_SEALED_MAX(n)	(ZEQ_PREFIX_MAX + ZEQ_OVERHEAD + (n))

/*
 * Key file as "zeqctl genkey" prints it: tx-key, tx-salt, rx-key,
 * rx-salt, '#' comments. Takes tx (rx with reverse): the key the side
 * that installed the file as is sends with. Errors on stderr; 0 or -1.
 */
int wire_load_key(struct wire *w, const char *prog, const char *path,
		  int reverse);
/* 64 hex digits, optionally followed by white space; turns hp on. */
int wire_load_hp_key(struct wire *w, const char *prog, const char *path);
/* Cipher contexts, once the keys are in; 0 or -1. */
int wire_start(struct wire *w, const char *prog);
/* Frees the contexts and wipes the keys. */
void wire_end(struct wire *w);

size_t wire_prefix_len(const struct wire *w, uint8_t first);
void wire_open(struct wire *w, const uint8_t *p, size_t len,
	       struct opened *o);
/*
 * Seals s into out (WIRE_SEALED_MAX(inner_len + pad) bytes) behind a
 * prefix made of rnd (ZEQ_PREFIX_MAX random bytes); returns the length,
 * 0 on a cipher error.
 */
size_t wire_seal(struct wire *w, const struct sealing *s, const uint8_t *rnd,
		 uint8_t *out);
/*
 * Turns len random bytes at p into a junk datagram of the given type
 * (len >= ZEQ_JUNK_SIZE_MIN(prefix hi)); 0 or -1.
 */
int wire_junk(struct wire *w, uint32_t type, uint8_t *p, size_t len);

#endif /* ZEQ_TESTS_WIRE_H */
