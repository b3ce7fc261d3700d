// SPDX-License-Identifier: MIT
/*
 * handshake.c - handshake messages and their signatures (handshake.h).
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "handshake.h"
#include "identity.h"

static const char th_label[] = "zeq handshake v1";	/* with the NUL */
static const char resp_label[] = "zeq resp sig v1";
static const char init_label[] = "zeq init sig v1";

static uint8_t *put_hello(uint8_t type, const struct zeq_hs_hello *h,
			  uint8_t *p)
{
	*p++ = type;
	*p++ = ZEQ_HS_VERSION;
	memcpy(p, h->zid, ZEQ_HS_ZID_LEN);
	p += ZEQ_HS_ZID_LEN;
	memcpy(p, h->eph, 32);
	p += 32;
	memcpy(p, h->nonce, 32);
	p += 32;
	memcpy(p, h->obfs, ZEQ_HS_HASH_LEN);
	p += ZEQ_HS_HASH_LEN;
	*p++ = h->kem;
	return p;
}

/* what every message starts with: its type, the version; then its length */
static int check_head(const uint8_t *m, size_t len, uint8_t type, size_t want)
{
	if (len < 2 || m[0] != type)
		return -EBADMSG;
	if (m[1] != ZEQ_HS_VERSION)
		return -EPROTONOSUPPORT;
	return len == want ? 0 : -EBADMSG;
}

/* a hello of type at m (len bytes, exactly want); obfs (unless NULL) last */
static int parse_hello(const uint8_t *m, size_t len, size_t want,
		       uint8_t type, const uint8_t *our_obfs,
		       struct zeq_hs_hello *h)
{
	const uint8_t *p = m + 2;
	int ret = check_head(m, len, type, want);

	if (ret)
		return ret;
	memcpy(h->zid, p, ZEQ_HS_ZID_LEN);
	p += ZEQ_HS_ZID_LEN;
	memcpy(h->eph, p, 32);
	p += 32;
	memcpy(h->nonce, p, 32);
	p += 32;
	memcpy(h->obfs, p, ZEQ_HS_HASH_LEN);
	p += ZEQ_HS_HASH_LEN;
	h->kem = *p;
	if (h->kem)
		return -EOPNOTSUPP;
	if (our_obfs && CRYPTO_memcmp(h->obfs, our_obfs, ZEQ_HS_HASH_LEN))
		return -ECONNREFUSED;
	return 0;
}

void zeq_hs_put_init(const struct zeq_hs_hello *h, uint8_t *out)
{
	put_hello(ZEQ_HS_INIT, h, out);
}

int zeq_hs_parse_init(const uint8_t *m, size_t len, const uint8_t *our_obfs,
		      struct zeq_hs_hello *h)
{
	return parse_hello(m, len, ZEQ_HS_INIT_LEN, ZEQ_HS_INIT, our_obfs, h);
}

/* SHA-256 over up to three parts (a NULL part is skipped) */
static int sha256(const void *a, size_t al, const void *b, size_t bl,
		  const void *c, size_t cl, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, a, al) &&
	     (!b || EVP_DigestUpdate(ctx, b, bl)) &&
	     (!c || EVP_DigestUpdate(ctx, c, cl)) &&
	     EVP_DigestFinal_ex(ctx, out, &len) && len == ZEQ_HS_HASH_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

/* th1 over the exporter, INIT and RESP without its signature */
static int th1_of(const uint8_t *exporter, const uint8_t *init,
		  const uint8_t *resp, uint8_t *th1)
{
	uint8_t head[sizeof(th_label) + 32];

	memcpy(head, th_label, sizeof(th_label));
	memcpy(head + sizeof(th_label), exporter, 32);
	return sha256(head, sizeof(head), init, ZEQ_HS_INIT_LEN, resp,
		      ZEQ_HS_HELLO_LEN, th1);
}

EVP_PKEY *zeq_hs_key(const uint8_t *seed, uint8_t *pub)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
						   seed, 32);
	size_t len = 32;

	if (k && pub && (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 ||
			 len != 32)) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

/* Ed25519 over label (with its NUL) || hash */
static int sign(EVP_PKEY *k, const char *label, size_t label_len,
		const uint8_t *hash, uint8_t *sig)
{
	uint8_t msg[32 + ZEQ_HS_HASH_LEN];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = ZEQ_HS_SIG_LEN;
	int ok;

	memcpy(msg, label, label_len);
	memcpy(msg + label_len, hash, ZEQ_HS_HASH_LEN);
	ok = k && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) > 0 &&
	     EVP_DigestSign(ctx, sig, &len, msg, label_len + ZEQ_HS_HASH_LEN) > 0 &&
	     len == ZEQ_HS_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

static int verify(const uint8_t *pub, const char *label, size_t label_len,
		  const uint8_t *hash, const uint8_t *sig)
{
	uint8_t msg[32 + ZEQ_HS_HASH_LEN];
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
						  pub, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	memcpy(msg, label, label_len);
	memcpy(msg + label_len, hash, ZEQ_HS_HASH_LEN);
	ok = k && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) > 0 &&
	     EVP_DigestVerify(ctx, sig, ZEQ_HS_SIG_LEN, msg,
			      label_len + ZEQ_HS_HASH_LEN) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok ? 0 : -EKEYREJECTED;
}

int zeq_hs_make_resp(const struct zeq_hs_hello *h, const uint8_t *init,
		     const uint8_t *exporter, EVP_PKEY *priv, uint8_t *out,
		     uint8_t *th1)
{
	uint8_t *sig = put_hello(ZEQ_HS_RESP, h, out);
	int ret = th1_of(exporter, init, out, th1);

	return ret ? ret : sign(priv, resp_label, sizeof(resp_label), th1, sig);
}

int zeq_hs_check_resp(const uint8_t *m, size_t len, const uint8_t *init,
		      const uint8_t *exporter, const uint8_t *our_obfs,
		      const uint8_t *peer_pub, struct zeq_hs_hello *h,
		      uint8_t *th1)
{
	uint8_t zid[ZEQ_HS_ZID_LEN];
	int ret = parse_hello(m, len, ZEQ_HS_RESP_LEN, ZEQ_HS_RESP, our_obfs, h);

	/* a mismatch is reported only once the responder is authentic */
	if (ret && ret != -ECONNREFUSED)
		return ret;
	identity_zid_bytes(peer_pub, zid);
	if (CRYPTO_memcmp(zid, h->zid, ZEQ_HS_ZID_LEN))
		return -EKEYREJECTED;
	if (th1_of(exporter, init, m, th1))
		return -EIO;
	if (verify(peer_pub, resp_label, sizeof(resp_label), th1,
		   m + ZEQ_HS_HELLO_LEN))
		return -EKEYREJECTED;
	return ret;
}

int zeq_hs_make_fin(const uint8_t *th1, const uint8_t *resp, EVP_PKEY *priv,
		    uint8_t *out, uint8_t *transcript)
{
	uint8_t th2[ZEQ_HS_HASH_LEN];
	int ret;

	out[0] = ZEQ_HS_FIN;
	out[1] = ZEQ_HS_VERSION;
	ret = sha256(th1, ZEQ_HS_HASH_LEN, resp + ZEQ_HS_HELLO_LEN,
		     ZEQ_HS_SIG_LEN, NULL, 0, th2);
	if (!ret)
		ret = sign(priv, init_label, sizeof(init_label), th2, out + 2);
	if (!ret)
		ret = sha256(th2, sizeof(th2), out + 2, ZEQ_HS_SIG_LEN, NULL, 0,
			     transcript);
	return ret;
}

int zeq_hs_check_fin(const uint8_t *m, size_t len, const uint8_t *th1,
		     const uint8_t *resp, const uint8_t *peer_pub,
		     uint8_t *transcript)
{
	uint8_t th2[ZEQ_HS_HASH_LEN];
	int ret = check_head(m, len, ZEQ_HS_FIN, ZEQ_HS_FIN_LEN);

	if (ret)
		return ret;
	if (sha256(th1, ZEQ_HS_HASH_LEN, resp + ZEQ_HS_HELLO_LEN,
		   ZEQ_HS_SIG_LEN, NULL, 0, th2))
		return -EIO;
	if (verify(peer_pub, init_label, sizeof(init_label), th2, m + 2))
		return -EKEYREJECTED;
	return sha256(th2, sizeof(th2), m + 2, ZEQ_HS_SIG_LEN, NULL, 0,
		      transcript);
}
