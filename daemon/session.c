// SPDX-License-Identifier: MIT
/*
 * session.c - one handshake on a control channel (session.h).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "identity.h"
#include "session.h"

static const char *reason(int err)
{
	switch (err) {
	case -EBADMSG:
		return "malformed handshake message";
	case -EPROTONOSUPPORT:
		return "another handshake version";
	case -EOPNOTSUPP:
		return "ML-KEM asked for, not supported here";
	case -EKEYREJECTED:
		return "signature or node id does not verify";
	case -ECONNREFUSED:
		return "obfuscation parameters differ";
	case -ENOENT:
		return "unknown node (not among the configured peers)";
	case -EMSGSIZE:
		return "frame too long";
	case -EPROTO:
		return "bytes after the handshake";
	default:
		return "internal error";
	}
}

static void drop_eph(struct zeq_session *s)
{
	EVP_PKEY_free(s->eph);
	s->eph = NULL;
}

static int fail(struct zeq_session *s, int err)
{
	drop_eph(s);
	s->state = ZEQ_SS_FAILED;
	s->why = reason(err);
	return err;
}

/* msg (len bytes) as a frame into out */
static void frame(const uint8_t *msg, size_t len, uint8_t *out, size_t *outlen)
{
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	memcpy(out + 2, msg, len);
	*outlen = 2 + len;
}

int zeq_session_start(struct zeq_session *s,
		      const struct zeq_session_params *p, uint8_t *out,
		      size_t *outlen)
{
	uint8_t priv[ZEQ_X25519_LEN];

	memset(s, 0, sizeof(*s));
	s->p = *p;
	*outlen = 0;
	if (RAND_priv_bytes(priv, sizeof(priv)) == 1)
		s->eph = zeq_x25519_key(priv, s->mine.eph);
	OPENSSL_cleanse(priv, sizeof(priv));
	if (!s->eph || RAND_bytes(s->mine.nonce, sizeof(s->mine.nonce)) != 1)
		return fail(s, -EIO);
	identity_zid_bytes(p->identity_pub, s->mine.zid);
	s->mine.kem = 0;
	if (!p->initiator) {
		s->state = ZEQ_SS_WAIT_INIT;
		return 0;
	}
	memcpy(s->mine.obfs, p->obfs, ZEQ_HS_HASH_LEN);
	memcpy(s->peer_pub, p->peer_pub, sizeof(s->peer_pub));
	identity_zid_bytes(s->peer_pub, s->peer_zid);
	zeq_hs_put_init(&s->mine, s->init);
	frame(s->init, ZEQ_HS_INIT_LEN, out, outlen);
	s->state = ZEQ_SS_WAIT_RESP;
	return 0;
}

/* both sides, once the transcript is known: epoch 0 */
static int derive(struct zeq_session *s, const uint8_t *transcript)
{
	const struct zeq_hs_hello *i = s->p.initiator ? &s->mine : &s->theirs;
	const struct zeq_hs_hello *r = s->p.initiator ? &s->theirs : &s->mine;
	uint8_t dh[ZEQ_X25519_LEN], share[ZEQ_KDF_LEN];
	struct zeq_kdf_input in = {
		.dh = dh, .mesh_share = share, .exporter = s->p.exporter,
		.transcript = transcript,
	};
	int ret = -EIO;

	if (!zeq_x25519_derive(s->eph, s->theirs.eph, dh) &&
	    !zeq_kdf_mesh_share(s->p.mesh, s->p.mesh_len, i->nonce, r->nonce,
				share) &&
	    !zeq_kdf_session(&in, &s->keys))
		ret = 0;
	OPENSSL_cleanse(dh, sizeof(dh));
	OPENSSL_cleanse(share, sizeof(share));
	drop_eph(s);
	if (ret)
		return fail(s, ret);
	s->state = ZEQ_SS_DONE;
	return 1;
}

/* the responder: INIT in, RESP out */
static int on_init(struct zeq_session *s, const uint8_t *m, size_t len,
		   uint8_t *out, size_t *outlen)
{
	int mismatch = zeq_hs_parse_init(m, len, NULL, &s->theirs);

	if (mismatch)
		return fail(s, mismatch);
	memcpy(s->peer_zid, s->theirs.zid, sizeof(s->peer_zid));
	if (s->p.find(s->theirs.zid, s->peer_pub, s->mine.obfs,
		      s->p.find_arg))
		return fail(s, -ENOENT);
	if (CRYPTO_memcmp(s->theirs.obfs, s->mine.obfs, ZEQ_HS_HASH_LEN))
		mismatch = -ECONNREFUSED;
	memcpy(s->init, m, ZEQ_HS_INIT_LEN);
	if (zeq_hs_make_resp(&s->mine, s->init, s->p.exporter, s->p.identity,
			     s->resp, s->th1))
		return fail(s, -EIO);
	/* a mismatch is answered with our signed RESP, then ends */
	frame(s->resp, ZEQ_HS_RESP_LEN, out, outlen);
	if (mismatch)
		return fail(s, mismatch);
	s->state = ZEQ_SS_WAIT_FIN;
	return 0;
}

/* the initiator: RESP in, FIN out, done */
static int on_resp(struct zeq_session *s, const uint8_t *m, size_t len,
		   uint8_t *out, size_t *outlen)
{
	uint8_t fin[ZEQ_HS_FIN_LEN], transcript[ZEQ_HS_HASH_LEN];
	int ret = zeq_hs_check_resp(m, len, s->init, s->p.exporter, s->p.obfs,
				    s->peer_pub, &s->theirs, s->th1);

	if (ret)
		return fail(s, ret);
	memcpy(s->resp, m, ZEQ_HS_RESP_LEN);
	if (zeq_hs_make_fin(s->th1, s->resp, s->p.identity, fin, transcript))
		return fail(s, -EIO);
	frame(fin, sizeof(fin), out, outlen);
	return derive(s, transcript);
}

/* the responder: FIN in, done */
static int on_fin(struct zeq_session *s, const uint8_t *m, size_t len)
{
	uint8_t transcript[ZEQ_HS_HASH_LEN];
	int ret = zeq_hs_check_fin(m, len, s->th1, s->resp, s->peer_pub,
				   transcript);

	if (ret)
		return fail(s, ret);
	return derive(s, transcript);
}

int zeq_session_input(struct zeq_session *s, const uint8_t *in, size_t len,
		      uint8_t *out, size_t *outlen)
{
	int ret = 0;

	*outlen = 0;
	while (len && ret == 0) {
		size_t flen, want, take;

		if (s->state == ZEQ_SS_DONE)
			return fail(s, -EPROTO);
		if (s->state == ZEQ_SS_FAILED)
			return -EPROTO;
		/* the length first, then the rest of the frame */
		if (s->in_len < 2) {
			take = 2 - s->in_len < len ? 2 - s->in_len : len;
			memcpy(s->in + s->in_len, in, take);
			s->in_len += take;
			in += take;
			len -= take;
			if (s->in_len < 2)
				continue;
		}
		flen = (size_t)s->in[0] << 8 | s->in[1];
		if (!flen)
			return fail(s, -EBADMSG);
		if (flen > ZEQ_SESSION_FRAME_MAX)
			return fail(s, -EMSGSIZE);
		want = 2 + flen;
		take = want - s->in_len < len ? want - s->in_len : len;
		memcpy(s->in + s->in_len, in, take);
		s->in_len += take;
		in += take;
		len -= take;
		if (s->in_len < want)
			continue;
		s->in_len = 0;
		switch (s->state) {
		case ZEQ_SS_WAIT_INIT:
			ret = on_init(s, s->in + 2, flen, out, outlen);
			break;
		case ZEQ_SS_WAIT_RESP:
			ret = on_resp(s, s->in + 2, flen, out, outlen);
			break;
		case ZEQ_SS_WAIT_FIN:
			ret = on_fin(s, s->in + 2, flen);
			break;
		default:
			ret = fail(s, -EPROTO);
		}
	}
	if (ret == 1 && len) {	/* nothing may follow the end */
		*outlen = 0;	/* no FIN for a session that failed */
		zeq_session_keys_clear(&s->keys);
		return fail(s, -EPROTO);
	}
	return ret;
}

void zeq_session_clear(struct zeq_session *s)
{
	drop_eph(s);
	OPENSSL_cleanse(s, sizeof(*s));
}
