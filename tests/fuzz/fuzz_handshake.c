// SPDX-License-Identifier: MIT
/*
 * fuzz_handshake.c - the handshake messages a peer sends
 * (daemon/handshake.c: zeq_hs_parse_init, zeq_hs_check_resp,
 * zeq_hs_check_fin), bytes from the network.
 *
 * Input: first byte selects the message (0 INIT, 1 RESP, 2 FIN, 3 a mask
 * XORed into a genuine RESP, 4 a mask XORed into a genuine FIN); the rest
 * is the message or the mask. Checks: every answer is 0 or a documented
 * error; an INIT is accepted exactly when an independent look (length,
 * type, version, kem, obfs) says so, and then carries the input's fields;
 * a RESP or FIN is accepted only if it is the genuine one, byte for byte
 * (signatures cannot be forged), and a masked one exactly when the mask
 * is zero over it.
 */
#include "fuzz.h"

#include <errno.h>
#include <openssl/evp.h>

#include "handshake.h"
#include "identity.h"

static uint8_t si[32], sr[32], pi[32], pr[32], obfs[32], exporter[32];
static EVP_PKEY *ki, *kr;	/* made once, kept for the run */
static uint8_t init[ZEQ_HS_INIT_LEN], resp[ZEQ_HS_RESP_LEN];
static uint8_t fin[ZEQ_HS_FIN_LEN], th1[32];
static bool ready;

/* one genuine exchange, made once */
static void prepare(void)
{
	struct zeq_hs_hello hi = { .kem = 0 }, hr = { .kem = 0 };
	uint8_t tr[32];

	memset(si, 1, 32);
	memset(sr, 2, 32);
	ki = zeq_hs_key(si, pi);
	kr = zeq_hs_key(sr, pr);
	if (!ki || !kr)
		abort();
	memset(obfs, 0x55, 32);
	memset(exporter, 0x33, 32);
	identity_zid_bytes(pi, hi.zid);
	identity_zid_bytes(pr, hr.zid);
	memcpy(hi.obfs, obfs, 32);
	memcpy(hr.obfs, obfs, 32);
	zeq_hs_put_init(&hi, init);
	if (zeq_hs_make_resp(&hr, init, exporter, kr, resp, th1) ||
	    zeq_hs_make_fin(th1, resp, ki, fin, tr))
		abort();
	ready = true;
}

static bool documented(int rc)
{
	return rc == 0 || rc == -EBADMSG || rc == -EPROTONOSUPPORT ||
	       rc == -EOPNOTSUPP || rc == -EKEYREJECTED || rc == -ECONNREFUSED;
}

/*
 * The message to check into m: the input as it is, or (masked) the
 * genuine one XORed with it; *zero says whether the mask left it as it
 * was. Its length.
 */
static size_t load(uint8_t *m, const uint8_t *in, size_t n, bool masked,
		   const uint8_t *genuine, size_t glen, bool *zero)
{
	if (!masked) {
		memcpy(m, in, n);
		return n;
	}
	memcpy(m, genuine, glen);
	for (size_t i = 0; i < n && i < glen; i++) {
		m[i] ^= in[i];
		*zero &= !in[i];
	}
	return glen;
}

/* a signed message is accepted only as the genuine one, byte for byte */
static void verdict(const char *what, int rc, const uint8_t *m, size_t n,
		    const uint8_t *genuine, size_t glen, bool masked, bool zero)
{
	FUZZ_CHECK(documented(rc), "%s: %d", what, rc);
	FUZZ_CHECK(!rc == (n == glen && !memcmp(m, genuine, n)),
		   "%s accepted %d", what, !rc);
	if (masked)
		FUZZ_CHECK(!rc == zero, "masked %s accepted %d, zero %d", what,
			   !rc, zero);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t m[ZEQ_HS_RESP_LEN + 64], th[32], tr[32];
	struct zeq_hs_hello h;
	size_t n;
	bool zero = true;
	int rc;

	if (!size || size - 1 > sizeof(m))
		return 0;
	if (!ready)
		prepare();
	n = size - 1;
	switch (data[0]) {
	case 0: {
		bool ok = n == ZEQ_HS_INIT_LEN && data[1] == ZEQ_HS_INIT &&
			  data[2] == ZEQ_HS_VERSION && !data[size - 1] &&
			  !memcmp(data + 1 + 2 + 16 + 64, obfs, 32);

		rc = zeq_hs_parse_init(data + 1, n, obfs, &h);
		FUZZ_CHECK(documented(rc), "INIT: %d", rc);
		FUZZ_CHECK((rc == 0) == ok, "INIT accepted %d, expected %d",
			   rc == 0, ok);
		if (!rc)
			FUZZ_CHECK(!memcmp(h.zid, data + 3, 16) &&
				   !memcmp(h.eph, data + 19, 32) &&
				   !memcmp(h.nonce, data + 51, 32),
				   "INIT fields");
		break;
	}
	case 1:
	case 3:
		n = load(m, data + 1, n, data[0] == 3, resp, sizeof(resp), &zero);
		rc = zeq_hs_check_resp(m, n, init, exporter, obfs, pr, &h, th);
		verdict("RESP", rc, m, n, resp, sizeof(resp), data[0] == 3, zero);
		break;
	case 2:
	case 4:
		n = load(m, data + 1, n, data[0] == 4, fin, sizeof(fin), &zero);
		rc = zeq_hs_check_fin(m, n, th1, resp, pi, tr);
		verdict("FIN", rc, m, n, fin, sizeof(fin), data[0] == 4, zero);
		break;
	}
	return 0;
}
