// SPDX-License-Identifier: MIT
/*
 * kdf.c - handshake key derivation and the ratchet (kdf.h).
 */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "kdf.h"

#define OKM_LEN	(ZEQ_KDF_LEN + 2 * (ZEQ_KEY_LEN + ZEQ_SALT_LEN))

static const char share_label[] = "zeq mesh share v1";	/* with the NUL */
static const char session_label[] = "zeq session v1";
static const char ratchet_label[] = "zeq ratchet v1";

int zeq_kdf_mesh_share(const uint8_t *secret, size_t secret_len,
		       const uint8_t *nonce_i, const uint8_t *nonce_r,
		       uint8_t *out)
{
	uint8_t msg[sizeof(share_label) + 2 * ZEQ_KDF_NONCE_LEN];
	size_t len = 0;
	int ok;

	memcpy(msg, share_label, sizeof(share_label));
	memcpy(msg + sizeof(share_label), nonce_i, ZEQ_KDF_NONCE_LEN);
	memcpy(msg + sizeof(share_label) + ZEQ_KDF_NONCE_LEN, nonce_r,
	       ZEQ_KDF_NONCE_LEN);
	ok = EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, secret, secret_len,
		       msg, sizeof(msg), out, ZEQ_KDF_LEN, &len) && len == ZEQ_KDF_LEN;
	return ok ? 0 : -EIO;
}

/* HKDF-SHA256: extract and expand when salt is given, else expand only */
static int hkdf(const uint8_t *key, size_t key_len, const uint8_t *salt,
		const uint8_t *info, size_t info_len, uint8_t *out)
{
	int mode = salt ? EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND :
			  EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM p[6], *q = p;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok;

	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA256", 0);
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)key, key_len);
	if (salt)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
							 (void *)salt,
							 ZEQ_KDF_LEN);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (void *)info, info_len);
	*q = OSSL_PARAM_construct_end();
	ok = ctx && EVP_KDF_derive(ctx, out, OKM_LEN, p) > 0;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -EIO;
}

static void split(const uint8_t *okm, struct zeq_session_keys *k)
{
	const uint8_t *p = okm;

	memcpy(k->chain, p, ZEQ_KDF_LEN);
	p += ZEQ_KDF_LEN;
	memcpy(k->i2r.key, p, ZEQ_KEY_LEN);
	p += ZEQ_KEY_LEN;
	memcpy(k->i2r.salt, p, ZEQ_SALT_LEN);
	p += ZEQ_SALT_LEN;
	memcpy(k->r2i.key, p, ZEQ_KEY_LEN);
	p += ZEQ_KEY_LEN;
	memcpy(k->r2i.salt, p, ZEQ_SALT_LEN);
}

int zeq_kdf_session(const struct zeq_kdf_input *in,
		    struct zeq_session_keys *out)
{
	uint8_t ikm[ZEQ_X25519_LEN + 64 + ZEQ_KDF_LEN];
	uint8_t info[sizeof(session_label) + ZEQ_KDF_LEN], okm[OKM_LEN];
	size_t n = 0;
	int ret;

	if (in->kem_len > 64)
		return -EINVAL;
	memcpy(ikm, in->dh, ZEQ_X25519_LEN);
	n += ZEQ_X25519_LEN;
	if (in->kem_len)
		memcpy(ikm + n, in->kem, in->kem_len);
	n += in->kem_len;
	memcpy(ikm + n, in->mesh_share, ZEQ_KDF_LEN);
	n += ZEQ_KDF_LEN;
	memcpy(info, session_label, sizeof(session_label));
	memcpy(info + sizeof(session_label), in->transcript, ZEQ_KDF_LEN);
	ret = hkdf(ikm, n, in->exporter, info, sizeof(info), okm);
	if (!ret) {
		split(okm, out);
		out->epoch = 0;
	}
	OPENSSL_cleanse(ikm, sizeof(ikm));
	OPENSSL_cleanse(okm, sizeof(okm));
	return ret;
}

int zeq_kdf_ratchet(struct zeq_session_keys *k)
{
	uint8_t info[sizeof(ratchet_label) + 8], okm[OKM_LEN];
	uint64_t next = k->epoch + 1;
	int ret;

	memcpy(info, ratchet_label, sizeof(ratchet_label));
	for (int i = 0; i < 8; i++)
		info[sizeof(ratchet_label) + i] = (uint8_t)(next >> (56 - 8 * i));
	ret = hkdf(k->chain, ZEQ_KDF_LEN, NULL, info, sizeof(info), okm);
	if (!ret) {
		zeq_session_keys_clear(k);
		split(okm, k);
		k->epoch = next;
	}
	OPENSSL_cleanse(okm, sizeof(okm));
	return ret;
}

void zeq_session_keys_clear(struct zeq_session_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

EVP_PKEY *zeq_x25519_key(const uint8_t *priv, uint8_t *pub)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv,
						   ZEQ_X25519_LEN);
	size_t len = ZEQ_X25519_LEN;

	if (k && pub && (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 ||
			 len != ZEQ_X25519_LEN)) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

int zeq_x25519_derive(EVP_PKEY *mine, const uint8_t *peer_pub, uint8_t *out)
{
	EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL,
						     peer_pub, ZEQ_X25519_LEN);
	EVP_PKEY_CTX *ctx = mine ? EVP_PKEY_CTX_new(mine, NULL) : NULL;
	static const uint8_t zero[ZEQ_X25519_LEN];
	size_t len = ZEQ_X25519_LEN;
	int ok;

	ok = ctx && peer && EVP_PKEY_derive_init(ctx) > 0 &&
	     EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
	     EVP_PKEY_derive(ctx, out, &len) > 0 && len == ZEQ_X25519_LEN &&
	     CRYPTO_memcmp(out, zero, ZEQ_X25519_LEN);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	if (!ok)
		OPENSSL_cleanse(out, ZEQ_X25519_LEN);
	return ok ? 0 : -EIO;
}

int zeq_x25519_public(const uint8_t *priv, uint8_t *pub)
{
	EVP_PKEY *k = zeq_x25519_key(priv, pub);

	EVP_PKEY_free(k);
	return k ? 0 : -EIO;
}

int zeq_x25519_shared(const uint8_t *priv, const uint8_t *peer_pub,
		      uint8_t *out)
{
	EVP_PKEY *mine = zeq_x25519_key(priv, NULL);
	int ret = zeq_x25519_derive(mine, peer_pub, out);

	EVP_PKEY_free(mine);
	return ret;
}
