// SPDX-License-Identifier: GPL-2.0
/*
 * wire.c - the zeq datagram outside the kernel; see wire.h. Every rule
 * here is one of include/zeq_constants.h, "Wire format" (quoted as [W]).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "wire.h"

_Static_assert(ZEQ_HDR_LEN == ZEQ_AES_BLOCK_LEN &&
	       ZEQ_HP_SAMPLE_LEN == ZEQ_AES_BLOCK_LEN,
	       "header protection masks one AES block with one AES block");

const char *const wclass_name[W_NCLASS] = {
	"data", "keepalive", "cover", "junk", "bad",
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

int range_has(const struct range *r, uint32_t v)
{
	return v >= r->lo && v <= r->hi;
}

/* ------------------------------------------------------------ keys */

/* s must be exactly 2 * n hex digits; 0 or -1. */
static int unhex(const char *s, uint8_t *out, size_t n)
{
	size_t len = 0;

	if (strlen(s) != 2 * n ||
	    !OPENSSL_hexstr2buf_ex(out, n, &len, s, '\0') || len != n)
		return -1;
	return 0;
}

/* A small text file into buf (NUL-terminated); 0 or -1, reported. */
static int slurp(const char *prog, const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, size, f);
	fclose(f);
	if (n == size) {
		fprintf(stderr, "%s: %s: too long for a key file\n", prog, path);
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

int wire_load_key(struct wire *w, const char *prog, const char *path,
		  int reverse)
{
	/* field i: direction i / 2 (tx, rx), key if i is even, else salt */
	static const char *const names[4] = {
		"tx-key", "tx-salt", "rx-key", "rx-salt",
	};
	uint8_t key[2][ZEQ_KEY_LEN], salt[2][ZEQ_SALT_LEN];
	char buf[4096], *line, *next;
	unsigned int lineno = 0, seen = 0;
	int ret = -1, i;

	if (slurp(prog, path, buf, sizeof(buf)))
		return -1;
	for (line = buf; line; line = next) {
		char *save = NULL, *name, *hex, *extra;
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "#")] = '\0';
		name = strtok_r(line, " \t\r", &save);
		if (!name)
			continue;
		hex = strtok_r(NULL, " \t\r", &save);
		extra = strtok_r(NULL, " \t\r", &save);
		for (i = 0; i < 4 && strcmp(name, names[i]); i++)
			;
		if (i == 4 || seen & 1u << i) {
			/* the name is not echoed: it could be key material */
			fprintf(stderr, "%s: %s: line %u: %s field\n", prog,
				path, lineno, i == 4 ? "unknown" : "duplicate");
			goto out;
		}
		len = i % 2 ? ZEQ_SALT_LEN : ZEQ_KEY_LEN;
		if (!hex || extra ||
		    unhex(hex, i % 2 ? salt[i / 2] : key[i / 2], len)) {
			fprintf(stderr, "%s: %s: line %u: expected \"%s <%zu hex "
				"digits>\"\n", prog, path, lineno, names[i],
				2 * len);
			goto out;
		}
		seen |= 1u << i;
	}
	for (i = 0; i < 4; i++) {
		if (!(seen & 1u << i)) {
			fprintf(stderr, "%s: %s: missing %s\n", prog, path,
				names[i]);
			goto out;
		}
	}
	memcpy(w->key, key[!!reverse], ZEQ_KEY_LEN);
	memcpy(w->salt, salt[!!reverse], ZEQ_SALT_LEN);
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(salt, sizeof(salt));
	return ret;
}

int wire_load_hp_key(struct wire *w, const char *prog, const char *path)
{
	char buf[256];
	size_t n;
	int ret = 0;

	if (slurp(prog, path, buf, sizeof(buf)))
		return -1;
	for (n = strlen(buf); n && strchr(" \t\r\n", buf[n - 1]); n--)
		buf[n - 1] = '\0';
	if (unhex(buf, w->hp_key, ZEQ_HP_KEY_LEN)) {
		fprintf(stderr, "%s: %s: expected %d hex digits\n", prog, path,
			2 * ZEQ_HP_KEY_LEN);
		ret = -1;
	}
	w->hp = !ret;
	OPENSSL_cleanse(buf, sizeof(buf));
	return ret;
}

int wire_start(struct wire *w, const char *prog)
{
	w->aead = EVP_CIPHER_CTX_new();
	w->ecb = EVP_CIPHER_CTX_new();
	if (w->aead && w->ecb &&
	    EVP_CipherInit_ex(w->aead, EVP_aes_256_gcm(), NULL, NULL, NULL, 1) &&
	    EVP_CIPHER_CTX_ctrl(w->aead, EVP_CTRL_GCM_SET_IVLEN, ZEQ_NONCE_LEN,
				NULL) &&
	    EVP_CipherInit_ex(w->aead, NULL, NULL, w->key, NULL, 1) &&
	    EVP_EncryptInit_ex(w->ecb, EVP_aes_256_ecb(), NULL, w->hp_key,
			       NULL) &&
	    EVP_CIPHER_CTX_set_padding(w->ecb, 0))
		return 0;
	fprintf(stderr, "%s: OpenSSL: cannot set up AES-256-GCM/ECB\n", prog);
	return -1;
}

void wire_end(struct wire *w)
{
	EVP_CIPHER_CTX_free(w->aead);
	EVP_CIPHER_CTX_free(w->ecb);
	w->aead = w->ecb = NULL;
	OPENSSL_cleanse(w->key, sizeof(w->key));
	OPENSSL_cleanse(w->salt, sizeof(w->salt));
	OPENSSL_cleanse(w->hp_key, sizeof(w->hp_key));
}

/* ------------------------------------------------------------ format */

/*
 * [W] "Prefix: with a prefix range lo..hi (hi > 0), its first byte b is
 * random and the prefix is max(lo, 1) + b mod (hi - max(lo, 1) + 1) bytes
 * long"; hi = 0: no prefix.
 */
size_t wire_prefix_len(const struct wire *w, uint8_t first)
{
	uint32_t lo = w->prefix.lo > 1 ? w->prefix.lo : 1;

	if (!w->prefix.hi)
		return 0;
	return lo + first % (w->prefix.hi - lo + 1);
}

/*
 * [W] Header protection: "the header is sent XORed with AES-256(header
 * protection key, the first ZEQ_HP_SAMPLE_LEN bytes after the header)",
 * one AES-256-ECB block. in and out may be the same; without header
 * protection out is a copy of in.
 */
static int hp_xor(struct wire *w, const uint8_t *in, const uint8_t *sample,
		  uint8_t *out)
{
	uint8_t mask[ZEQ_AES_BLOCK_LEN];
	int n = 0;

	if (!w->hp) {
		memmove(out, in, ZEQ_HDR_LEN);
		return 0;
	}
	if (!EVP_EncryptUpdate(w->ecb, mask, &n, sample, ZEQ_HP_SAMPLE_LEN) ||
	    n != ZEQ_AES_BLOCK_LEN)
		return -1;
	for (int i = 0; i < ZEQ_HDR_LEN; i++)
		out[i] = in[i] ^ mask[i];
	return 0;
}

/*
 * [W] AES-256-GCM. "Nonce = rx/tx salt (4 bytes) || counter (8 bytes, big
 * endian)" - the counter field of the header as sent; the unmasked
 * 16-byte header is the associated data. enc: n bytes of in sealed into
 * out and tag; else opened, 0 only if tag verifies.
 */
static int gcm(struct wire *w, int enc, const uint8_t *hdr, const uint8_t *in,
	       size_t n, uint8_t *out, uint8_t *tag)
{
	uint8_t nonce[ZEQ_NONCE_LEN];
	int l;

	memcpy(nonce, w->salt, ZEQ_SALT_LEN);
	memcpy(nonce + ZEQ_SALT_LEN, hdr + ZEQ_HDR_COUNTER_OFF,
	       ZEQ_COUNTER_LEN);
	if (EVP_CipherInit_ex(w->aead, NULL, NULL, NULL, nonce, enc) &&
	    EVP_CipherUpdate(w->aead, NULL, &l, hdr, ZEQ_HDR_LEN) &&
	    EVP_CipherUpdate(w->aead, out, &l, in, (int)n) &&
	    (enc || EVP_CIPHER_CTX_ctrl(w->aead, EVP_CTRL_GCM_SET_TAG,
					ZEQ_TAG_LEN, tag)) &&
	    EVP_CipherFinal_ex(w->aead, out + l, &l) > 0 &&
	    (!enc || EVP_CIPHER_CTX_ctrl(w->aead, EVP_CTRL_GCM_GET_TAG,
					 ZEQ_TAG_LEN, tag)))
		return 0;
	return -1;
}

/*
 * The sealed part after the prefix (len bytes at p, header unmasked in
 * hdr): ciphertext of "inner packet | padding | trailer", then the tag.
 * [W] Trailer: inner type, reserved, padding length (be16). 0 or -1.
 * As kmod/receive.c, a padding length past the plaintext or a reserved
 * byte other than 0 makes the datagram bad.
 */
static int open_sealed(struct wire *w, const uint8_t *hdr, const uint8_t *p,
		       size_t len, struct opened *o)
{
	static uint8_t pt[65536];
	uint8_t tag[ZEQ_TAG_LEN];
	const uint8_t *tr;
	size_t ctlen;

	if (len < ZEQ_MIN_DATAGRAM || len > sizeof(pt))
		return -1;
	ctlen = len - ZEQ_HDR_LEN - ZEQ_TAG_LEN;
	memcpy(tag, p + len - ZEQ_TAG_LEN, ZEQ_TAG_LEN);
	if (gcm(w, 0, hdr, p + ZEQ_HDR_LEN, ctlen, pt, tag))
		return -1;
	tr = pt + ctlen - ZEQ_TRAILER_LEN;
	o->pad = get16(tr + 2);
	if (o->pad > ctlen - ZEQ_TRAILER_LEN)
		return -1;
	o->inner_len = ctlen - ZEQ_TRAILER_LEN - o->pad;
	if (tr[1])		/* reserved: zero, as the receiver requires */
		return -1;
	if (tr[0] == ZEQ_INNER_DATA)
		o->cls = o->inner_len ? W_DATA : W_KEEPALIVE;
	else if (tr[0] == ZEQ_INNER_COVER)
		o->cls = W_COVER;
	else
		return -1;
	return 0;
}

/*
 * A datagram is data/keepalive/cover if its type (header bytes 0..3,
 * be32, unmasked) is in the data range and it opens; else junk if its
 * type is in the junk range; else bad. As the receiver, it needs a
 * header and a sample after the prefix, protected or not.
 */
void wire_open(struct wire *w, const uint8_t *p, size_t len, struct opened *o)
{
	uint8_t hdr[ZEQ_HDR_LEN];
	size_t pl = len ? wire_prefix_len(w, p[0]) : 0;

	memset(o, 0, sizeof(*o));
	o->cls = W_BAD;
	if (len < pl + ZEQ_HDR_LEN + ZEQ_HP_SAMPLE_LEN)
		return;
	p += pl;
	len -= pl;
	if (hp_xor(w, p, p + ZEQ_HDR_LEN, hdr))
		return;
	o->has_type = 1;
	o->type = get32(hdr);
	if (range_has(&w->type_data, o->type) && !open_sealed(w, hdr, p, len, o)) {
		o->counter = (uint64_t)get32(hdr + ZEQ_HDR_COUNTER_OFF) << 32 |
			     get32(hdr + ZEQ_HDR_COUNTER_OFF + 4);
		return;
	}
	o->inner_len = o->pad = 0;
	if (range_has(&w->type_junk, o->type))
		o->cls = W_JUNK;
}

size_t wire_seal(struct wire *w, const struct sealing *s, const uint8_t *rnd,
		 uint8_t *out)
{
	size_t pl = wire_prefix_len(w, rnd[0]);
	size_t ptlen = s->inner_len + s->pad + ZEQ_TRAILER_LEN;
	uint8_t hdr[ZEQ_HDR_LEN], *h = out + pl, *ct = h + ZEQ_HDR_LEN;
	uint8_t *tr = ct + s->inner_len + s->pad;

	memcpy(out, rnd, pl);
	put32(hdr, s->type);
	put32(hdr + ZEQ_HDR_KEY_ID_OFF, s->key_id);
	put32(hdr + ZEQ_HDR_COUNTER_OFF, (uint32_t)(s->counter >> 32));
	put32(hdr + ZEQ_HDR_COUNTER_OFF + 4, (uint32_t)s->counter);
	/* plaintext in place: inner | zero padding | trailer */
	memcpy(ct, s->inner, s->inner_len);
	memset(ct + s->inner_len, 0, s->pad);
	tr[0] = s->inner_type;
	tr[1] = 0;
	tr[2] = (uint8_t)(s->pad >> 8);
	tr[3] = (uint8_t)s->pad;
	if (gcm(w, 1, hdr, ct, ptlen, ct, ct + ptlen) ||
	    hp_xor(w, hdr, ct, h))
		return 0;
	return pl + ZEQ_HDR_LEN + ptlen + ZEQ_TAG_LEN;
}

/*
 * [W] "A junk datagram ... is a prefix, a header whose type is in the
 * junk type range and random bytes"; masked like data.
 */
int wire_junk(struct wire *w, uint32_t type, uint8_t *p, size_t len)
{
	size_t pl = wire_prefix_len(w, p[0]);

	if (len < pl + ZEQ_HDR_LEN + ZEQ_HP_SAMPLE_LEN)
		return -1;
	put32(p + pl, type);
	return hp_xor(w, p + pl, p + pl + ZEQ_HDR_LEN, p + pl);
}
