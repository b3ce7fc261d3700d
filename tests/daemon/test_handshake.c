// SPDX-License-Identifier: MIT
/*
 * test_handshake.c - handshake messages and signatures
 * (daemon/handshake.c): known answers computed apart from it (Python's
 * cryptography package, Ed25519 being deterministic), a whole exchange
 * with both sides agreeing on the transcript, and every refusal: any
 * byte of RESP or FIN changed, an INIT changed on its way, another TLS
 * channel (exporter), another responder, another version, the ML-KEM
 * flag, wrong lengths and types; obfuscation parameters that differ are
 * refused on both sides, and only after the responder is authenticated.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "assert_hex.h"
#include "handshake.h"
#include "identity.h"

/* Ed25519 seeds 0x01 x 32 (initiator), 0x02 x 32 (responder) */
struct fx {
	uint8_t si[32], sr[32], pi[32], pr[32], obfs[32], exporter[32];
	EVP_PKEY *ki, *kr;
	struct zeq_hs_hello hi, hr;
	uint8_t init[ZEQ_HS_INIT_LEN], resp[ZEQ_HS_RESP_LEN];
	uint8_t fin[ZEQ_HS_FIN_LEN], th1r[32], th1i[32], tri[32], trr[32];
};

static int setup(void **state)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	memset(f.si, 1, 32);
	memset(f.sr, 2, 32);
	f.ki = zeq_hs_key(f.si, f.pi);
	f.kr = zeq_hs_key(f.sr, f.pr);
	assert_non_null(f.ki);
	assert_non_null(f.kr);
	memset(f.obfs, 0x55, 32);
	memset(f.exporter, 0x33, 32);
	identity_zid_bytes(f.pi, f.hi.zid);
	memset(f.hi.eph, 0xa1, 32);
	memset(f.hi.nonce, 0xb1, 32);
	memcpy(f.hi.obfs, f.obfs, 32);
	identity_zid_bytes(f.pr, f.hr.zid);
	memset(f.hr.eph, 0xa2, 32);
	memset(f.hr.nonce, 0xb2, 32);
	memcpy(f.hr.obfs, f.obfs, 32);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	EVP_PKEY_free(f->ki);
	EVP_PKEY_free(f->kr);
	return 0;
}

/* the whole exchange into f; 0 or the first error */
static int exchange(struct fx *f)
{
	struct zeq_hs_hello got;
	int ret;

	zeq_hs_put_init(&f->hi, f->init);
	ret = zeq_hs_parse_init(f->init, sizeof(f->init), f->obfs, &got);
	if (ret)
		return ret;
	ret = zeq_hs_make_resp(&f->hr, f->init, f->exporter, f->kr, f->resp,
			       f->th1r);
	if (ret)
		return ret;
	ret = zeq_hs_check_resp(f->resp, sizeof(f->resp), f->init,
				f->exporter, f->obfs, f->pr, &got, f->th1i);
	if (ret)
		return ret;
	ret = zeq_hs_make_fin(f->th1i, f->resp, f->ki, f->fin, f->tri);
	if (ret)
		return ret;
	return zeq_hs_check_fin(f->fin, sizeof(f->fin), f->th1r, f->resp,
				f->pi, f->trr);
}

static void test_known_answers(void **state)
{
	struct fx *f = *state;

	assert_hex(f->pi, "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");
	assert_hex(f->pr, "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394");
	assert_hex(f->hi.zid, "2f03f5e8e8489a96b850335d0dc54efc");
	assert_hex(f->hr.zid, "c695e2362849e69165cd2eecd559e25d");
	assert_int_equal(exchange(f), 0);
	assert_hex(f->th1r, "0d6a7df9aedcaa5ca37627bf1b88c1fcf286d454e44d6e1a417078ae81b0e978");
	assert_hex(f->resp + ZEQ_HS_HELLO_LEN, "dd1949e0928dec5e899e618ab2de83a0c9c4a966d10a136d3ddb5a022ae9b57b2a8864897fb17df6c78c586a8c64ca85e2b837ed8d9c38f1919de535414a340a");
	assert_hex(f->fin + 2, "e89808adbe92c0ad9cac2ac01f3d877ddf68cdd0976544caf0ea00a069e2ed2a73fbd9ac76dce31d80ae4f6ea51201822de6ab786cb7d25b0811aa565437e800");
	assert_hex(f->tri, "d547acb605f19f6aca27a4d257b8c6c397859da1aa318caf68f2a1de84baf14a");
	assert_memory_equal(f->tri, f->trr, 32);
	assert_memory_equal(f->th1i, f->th1r, 32);
}

static void test_tampering(void **state)
{
	struct fx *f = *state;
	struct zeq_hs_hello got;
	uint8_t m[ZEQ_HS_RESP_LEN], th1[32], tr[32], init2[ZEQ_HS_INIT_LEN];
	uint8_t other[32];

	assert_int_equal(exchange(f), 0);
	/* any byte of RESP */
	for (size_t i = 0; i < ZEQ_HS_RESP_LEN; i++) {
		memcpy(m, f->resp, sizeof(m));
		m[i] ^= 0x40;
		assert_int_not_equal(zeq_hs_check_resp(m, sizeof(m), f->init,
						       f->exporter, f->obfs,
						       f->pr, &got, th1), 0);
	}
	/* any byte of FIN */
	for (size_t i = 0; i < ZEQ_HS_FIN_LEN; i++) {
		memcpy(m, f->fin, ZEQ_HS_FIN_LEN);
		m[i] ^= 0x40;
		assert_int_not_equal(zeq_hs_check_fin(m, ZEQ_HS_FIN_LEN, f->th1r,
						      f->resp, f->pi, tr), 0);
	}
	/* an INIT changed on its way: the responder signs what it saw */
	for (size_t i = 2; i < ZEQ_HS_INIT_LEN - 1; i++) {
		memcpy(init2, f->init, sizeof(init2));
		init2[i] ^= 1;
		if (zeq_hs_parse_init(init2, sizeof(init2), f->obfs, &got))
			continue;	/* (obfs bytes: refused there) */
		assert_int_equal(zeq_hs_make_resp(&f->hr, init2, f->exporter,
						  f->kr, m, th1), 0);
		assert_int_equal(zeq_hs_check_resp(m, ZEQ_HS_RESP_LEN, f->init,
						   f->exporter, f->obfs, f->pr,
						   &got, th1), -EKEYREJECTED);
	}
	/* another channel: a relay between two TLS sessions */
	memset(other, 0x34, 32);
	assert_int_equal(zeq_hs_check_resp(f->resp, ZEQ_HS_RESP_LEN, f->init,
					   other, f->obfs, f->pr, &got, th1),
			 -EKEYREJECTED);
	/* another responder than the one meant */
	assert_int_equal(zeq_hs_check_resp(f->resp, ZEQ_HS_RESP_LEN, f->init,
					   f->exporter, f->obfs, f->pi, &got,
					   th1), -EKEYREJECTED);
	/* the responder's own signature over a zid not its own */
	got = f->hr;
	memcpy(got.zid, f->hi.zid, ZEQ_HS_ZID_LEN);
	assert_int_equal(zeq_hs_make_resp(&got, f->init, f->exporter, f->kr, m,
					  th1), 0);
	assert_int_equal(zeq_hs_check_resp(m, ZEQ_HS_RESP_LEN, f->init,
					   f->exporter, f->obfs, f->pr, &got,
					   th1), -EKEYREJECTED);
	/* FIN under another key */
	assert_int_equal(zeq_hs_check_fin(f->fin, ZEQ_HS_FIN_LEN, f->th1r,
					  f->resp, f->pr, tr), -EKEYREJECTED);
}

static void test_format(void **state)
{
	struct fx *f = *state;
	struct zeq_hs_hello got;
	uint8_t m[ZEQ_HS_RESP_LEN + 1], tr[32];

	zeq_hs_put_init(&f->hi, m);
	assert_int_equal(zeq_hs_parse_init(m, ZEQ_HS_INIT_LEN - 1, f->obfs,
					   &got), -EBADMSG);
	assert_int_equal(zeq_hs_parse_init(m, ZEQ_HS_INIT_LEN + 1, f->obfs,
					   &got), -EBADMSG);
	assert_int_equal(zeq_hs_parse_init(m, 0, f->obfs, &got), -EBADMSG);
	m[1] = 2;
	assert_int_equal(zeq_hs_parse_init(m, ZEQ_HS_INIT_LEN, f->obfs, &got),
			 -EPROTONOSUPPORT);
	m[1] = ZEQ_HS_VERSION;
	m[ZEQ_HS_INIT_LEN - 1] = 1;
	assert_int_equal(zeq_hs_parse_init(m, ZEQ_HS_INIT_LEN, f->obfs, &got),
			 -EOPNOTSUPP);
	m[ZEQ_HS_INIT_LEN - 1] = 0;
	m[0] = ZEQ_HS_RESP;
	assert_int_equal(zeq_hs_parse_init(m, ZEQ_HS_INIT_LEN, f->obfs, &got),
			 -EBADMSG);
	assert_int_equal(zeq_hs_check_fin(f->init, 1, f->th1r, f->resp, f->pi,
					  tr), -EBADMSG);
}

/* differing obfuscation parameters: refused on both sides, clearly */
static void test_obfs_mismatch(void **state)
{
	struct fx *f = *state;
	struct zeq_hs_hello got, hr = f->hr;
	uint8_t ours[32], resp[ZEQ_HS_RESP_LEN], th1[32];

	hr.obfs[0] ^= 1;
	memcpy(ours, hr.obfs, 32);
	zeq_hs_put_init(&f->hi, f->init);
	/* the responder sees it, and still answers, signed, with its own */
	assert_int_equal(zeq_hs_parse_init(f->init, ZEQ_HS_INIT_LEN, ours, &got),
			 -ECONNREFUSED);
	assert_memory_equal(got.obfs, f->obfs, 32);
	assert_int_equal(zeq_hs_make_resp(&hr, f->init, f->exporter, f->kr,
					  resp, th1), 0);
	/* the initiator: an authentic responder with other parameters */
	assert_int_equal(zeq_hs_check_resp(resp, ZEQ_HS_RESP_LEN, f->init,
					   f->exporter, f->obfs, f->pr, &got,
					   th1), -ECONNREFUSED);
	assert_memory_equal(got.obfs, ours, 32);
	/* an impostor's mismatch is a bad signature, not a mismatch */
	assert_int_equal(zeq_hs_check_resp(resp, ZEQ_HS_RESP_LEN, f->init,
					   f->exporter, f->obfs, f->pi, &got,
					   th1), -EKEYREJECTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_obfs_mismatch),
	};

	return cmocka_run_group_tests_name("handshake", tests, setup, teardown);
}
