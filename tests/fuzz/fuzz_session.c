// SPDX-License-Identifier: MIT
/*
 * fuzz_session.c - a handshake's byte stream from the network
 * (daemon/session.c zeq_session_input): the frames and the messages in
 * them, as the responder reads the initiator's and the initiator the
 * responder's.
 *
 * Input: first byte 0: the rest goes to a fresh responder; 1: the rest goes
 * to an initiator that has sent a genuine INIT (to the responder too, so
 * a genuine RESP exists); 2: the rest is a mask XORed into that genuine
 * RESP frame, any bytes past it appended; bit 7 of the first byte splits the bytes into two calls
 * (at the second byte's value). Checks: only documented returns; the
 * responder never finishes on bytes alone (FIN needs the initiator's
 * signature over this session's transcript) and answers only a
 * well-formed INIT of a known node; the initiator finishes exactly on
 * the genuine RESP frame, byte for byte, and then both sides hold the
 * same keys; output only as documented.
 */
#include "fuzz.h"

#include <errno.h>
#include <openssl/evp.h>

#include "handshake.h"
#include "identity.h"
#include "session.h"

static uint8_t si[32], sr[32], pi[32], pr[32], obfs[32], exporter[32],
	mesh[32];
static EVP_PKEY *ki, *kr;	/* made once, kept for the run */

static int find(const uint8_t *zid, uint8_t *pub, uint8_t *our_obfs,
		void *arg)
{
	uint8_t want[ZEQ_ZID_LEN];

	identity_zid_bytes(pi, want);
	if (memcmp(zid, want, sizeof(want)))
		return -ENOENT;
	memcpy(pub, pi, 32);
	memcpy(our_obfs, arg, 32);
	return 0;
}

static bool documented(int rc)
{
	return rc == 0 || rc == 1 || rc == -EBADMSG || rc == -EPROTONOSUPPORT ||
	       rc == -EOPNOTSUPP || rc == -EKEYREJECTED || rc == -ECONNREFUSED ||
	       rc == -ENOENT || rc == -EMSGSIZE || rc == -EPROTO;
}

/* feed b (n bytes) in one call or two (split at cut); the last result */
static int feed(struct zeq_session *s, const uint8_t *b, size_t n, size_t cut,
		uint8_t *out, size_t *outlen)
{
	int rc;

	if (cut && cut < n) {
		rc = zeq_session_input(s, b, cut, out, outlen);
		FUZZ_CHECK(documented(rc), "first part: %d", rc);
		if (rc)
			return rc;
		b += cut;
		n -= cut;
	}
	return zeq_session_input(s, b, n, out, outlen);
}

/* the keys, made once for the run (before any params point at them) */
static void prepare(void)
{
	memset(si, 1, 32);
	memset(sr, 2, 32);
	memset(obfs, 0x55, 32);
	memset(exporter, 0x33, 32);
	memset(mesh, 0x77, 32);
	ki = zeq_hs_key(si, pi);
	kr = zeq_hs_key(sr, pr);
	if (!ki || !kr)
		abort();
}

static void run(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ki)
		prepare();
	run(data, size);
	return 0;
}

static void run(const uint8_t *data, size_t size)
{
	static struct zeq_session i, r;
	const struct zeq_session_params p_i = {
		.initiator = true, .identity = ki, .identity_pub = pi,
		.peer_pub = pr, .obfs = obfs, .exporter = exporter,
		.mesh = mesh, .mesh_len = sizeof(mesh),
	}, p_r = {
		.identity = kr, .identity_pub = pr, .find = find, .find_arg = obfs,
		.exporter = exporter, .mesh = mesh, .mesh_len = sizeof(mesh),
	};
	uint8_t init[ZEQ_SESSION_OUT_MAX], resp[ZEQ_SESSION_OUT_MAX],
		out[ZEQ_SESSION_OUT_MAX], m[4096];
	size_t ilen, rlen, olen, n, cut;
	bool genuine;
	int rc;

	if (size < 2 || size - 2 > sizeof(m))
		return;
	cut = data[0] & 0x80 ? data[1] : 0;
	n = size - 2;
	memcpy(m, data + 2, n);
	if (zeq_session_start(&i, &p_i, init, &ilen) ||
	    zeq_session_start(&r, &p_r, out, &olen))
		abort();
	switch (data[0] & 0x7f) {
	case 0:
		rc = feed(&r, m, n, cut, out, &olen);
		FUZZ_CHECK(documented(rc) && rc != 1, "responder: %d", rc);
		FUZZ_CHECK(olen == 0 || ((rc == 0 || rc == -ECONNREFUSED) &&
					 olen == 2 + ZEQ_HS_RESP_LEN),
			   "responder wrote %zu bytes with %d", olen, rc);
		break;
	case 1:
	case 2:
		if (zeq_session_input(&r, init, ilen, resp, &rlen) ||
		    rlen != 2 + ZEQ_HS_RESP_LEN)
			abort();
		if ((data[0] & 0x7f) == 2) {
			/* the mask over RESP; bytes past it are appended */
			genuine = n <= rlen;
			for (size_t k = 0; k < n && k < rlen; k++)
				genuine &= !m[k];
			for (size_t k = 0; k < rlen; k++)
				m[k] = resp[k] ^ (k < n ? m[k] : 0);
			n = n > rlen ? n : rlen;
		} else {
			genuine = n == rlen && !memcmp(m, resp, n);
		}
		rc = feed(&i, m, n, cut, out, &olen);
		FUZZ_CHECK(documented(rc), "initiator: %d", rc);
		FUZZ_CHECK((rc == 1) == genuine, "initiator finished %d on %s "
			   "bytes", rc == 1, genuine ? "genuine" : "other");
		if (rc == 1) {
			FUZZ_CHECK(olen == 2 + ZEQ_HS_FIN_LEN, "FIN of %zu", olen);
			FUZZ_CHECK(zeq_session_input(&r, out, olen, resp,
						     &rlen) == 1 &&
				   !memcmp(&i.keys, &r.keys, sizeof(i.keys)),
				   "the responder does not agree");
		} else {
			FUZZ_CHECK(olen == 0, "initiator wrote %zu bytes with %d",
				   olen, rc);
		}
		break;
	default:
		break;
	}
	zeq_session_clear(&i);
	zeq_session_clear(&r);
}
