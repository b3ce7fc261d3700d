// SPDX-License-Identifier: MIT
/*
 * test_session.c - one handshake between two sides (daemon/session.c)
 * over the framed byte stream: both sides end with the same epoch 0 keys
 * (fresh for every handshake), whole or byte by byte; an obfuscation
 * mismatch ends both sides with ECONNREFUSED after a signed RESP; an
 * unknown node, a responder other than the one called, another TLS
 * exporter (a relay) and malformed framing each end it with their error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "identity.h"
#include "session.h"

static uint8_t seed_i[32], seed_r[32], seed_x[32], pub_i[32], pub_r[32],
	pub_x[32], exporter[32], obfs[32], obfs2[32], mesh[32];
static EVP_PKEY *key_i, *key_r, *key_x;

static int setup(void **state)
{
	(void)state;
	memset(seed_i, 1, 32);
	memset(seed_r, 2, 32);
	memset(seed_x, 3, 32);
	key_i = zeq_hs_key(seed_i, pub_i);
	key_r = zeq_hs_key(seed_r, pub_r);
	key_x = zeq_hs_key(seed_x, pub_x);
	assert_true(key_i && key_r && key_x);
	memset(exporter, 0x33, 32);
	memset(obfs, 0x55, 32);
	memset(obfs2, 0x56, 32);
	memset(mesh, 0x77, 32);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key_i);
	EVP_PKEY_free(key_r);
	EVP_PKEY_free(key_x);
	return 0;
}

/* the responder's peers: only the initiator */
static int find(const uint8_t *zid, uint8_t *pub, uint8_t *our_obfs,
		void *arg)
{
	uint8_t want[ZEQ_ZID_LEN];

	identity_zid_bytes(pub_i, want);
	if (memcmp(zid, want, sizeof(want)))
		return -ENOENT;
	memcpy(pub, pub_i, 32);
	memcpy(our_obfs, arg, 32);	/* the obfuscation hash in force */
	return 0;
}

struct pair {
	struct zeq_session i, r;
	struct zeq_session_params pi, pr;
	uint8_t init[ZEQ_SESSION_OUT_MAX], resp[ZEQ_SESSION_OUT_MAX],
		fin[ZEQ_SESSION_OUT_MAX], none[ZEQ_SESSION_OUT_MAX];
	size_t init_len, resp_len, fin_len, none_len;
};

/* both sides' sessions ended (their ephemeral keys freed) */
static void release(struct pair *p)
{
	zeq_session_clear(&p->i);
	zeq_session_clear(&p->r);
}

static void params(struct pair *p)
{
	release(p);
	memset(p, 0, sizeof(*p));
	p->pi = (struct zeq_session_params){
		.initiator = true, .identity = key_i, .identity_pub = pub_i,
		.peer_pub = pub_r, .obfs = obfs, .exporter = exporter, .mesh = mesh,
		.mesh_len = sizeof(mesh),
	};
	p->pr = (struct zeq_session_params){
		.identity = key_r, .identity_pub = pub_r, .find = find,
		.find_arg = obfs, .exporter = exporter, .mesh = mesh, .mesh_len = sizeof(mesh),
	};
}

static void start(struct pair *p)
{
	assert_int_equal(zeq_session_start(&p->i, &p->pi, p->init,
					   &p->init_len), 0);
	assert_int_equal(p->init_len, 2 + ZEQ_HS_INIT_LEN);
	assert_int_equal(zeq_session_start(&p->r, &p->pr, p->none,
					   &p->none_len), 0);
	assert_int_equal(p->none_len, 0);
}

/* a whole handshake; both sides' keys */
static void run(struct pair *p)
{
	params(p);
	start(p);
	assert_int_equal(zeq_session_input(&p->r, p->init, p->init_len,
					   p->resp, &p->resp_len), 0);
	assert_int_equal(p->resp_len, 2 + ZEQ_HS_RESP_LEN);
	assert_int_equal(zeq_session_input(&p->i, p->resp, p->resp_len,
					   p->fin, &p->fin_len), 1);
	assert_int_equal(p->fin_len, 2 + ZEQ_HS_FIN_LEN);
	assert_int_equal(zeq_session_input(&p->r, p->fin, p->fin_len,
					   p->none, &p->none_len), 1);
	assert_int_equal(p->none_len, 0);
}

static void test_agree(void **state)
{
	static struct pair a, b;
	uint8_t zid[ZEQ_ZID_LEN];

	(void)state;
	run(&a);
	/* done: the ephemeral keys are gone on both sides */
	assert_null(a.i.eph);
	assert_null(a.r.eph);
	assert_memory_equal(&a.i.keys, &a.r.keys, sizeof(a.i.keys));
	assert_int_equal(a.i.keys.epoch, 0);
	assert_memory_not_equal(a.i.keys.i2r.key, a.i.keys.r2i.key, 32);
	/* each side knows who the other is */
	identity_zid_bytes(pub_i, zid);
	assert_memory_equal(a.r.peer_zid, zid, sizeof(zid));
	identity_zid_bytes(pub_r, zid);
	assert_memory_equal(a.i.peer_zid, zid, sizeof(zid));
	/* a second handshake: new ephemerals and nonces, new keys */
	run(&b);
	assert_memory_equal(&b.i.keys, &b.r.keys, sizeof(b.i.keys));
	assert_memory_not_equal(a.i.keys.chain, b.i.keys.chain, 32);
	assert_memory_not_equal(a.i.keys.i2r.key, b.i.keys.i2r.key, 32);
	zeq_session_clear(&a.i);
	for (size_t k = 0; k < sizeof(a.i); k++)
		assert_int_equal(((uint8_t *)&a.i)[k], 0);
	release(&a);
	release(&b);
}

static void test_byte_by_byte(void **state)
{
	static struct pair p;
	size_t k;

	(void)state;
	params(&p);
	start(&p);
	for (k = 0; k + 1 < p.init_len; k++) {
		assert_int_equal(zeq_session_input(&p.r, p.init + k, 1, p.resp,
						   &p.resp_len), 0);
		assert_int_equal(p.resp_len, 0);
	}
	assert_int_equal(zeq_session_input(&p.r, p.init + k, 1, p.resp,
					   &p.resp_len), 0);
	assert_int_equal(p.resp_len, 2 + ZEQ_HS_RESP_LEN);
	for (k = 0; k + 1 < p.resp_len; k++)
		assert_int_equal(zeq_session_input(&p.i, p.resp + k, 1, p.fin,
						   &p.fin_len), 0);
	assert_int_equal(zeq_session_input(&p.i, p.resp + k, 1, p.fin,
					   &p.fin_len), 1);
	assert_int_equal(zeq_session_input(&p.r, p.fin, p.fin_len, p.none,
					   &p.none_len), 1);
	assert_memory_equal(&p.i.keys, &p.r.keys, sizeof(p.i.keys));
	release(&p);
}

static void test_mismatch(void **state)
{
	static struct pair p;

	(void)state;
	params(&p);
	p.pr.find_arg = obfs2;
	start(&p);
	/* the responder answers with its signed RESP and ends */
	assert_int_equal(zeq_session_input(&p.r, p.init, p.init_len, p.resp,
					   &p.resp_len), -ECONNREFUSED);
	assert_int_equal(p.resp_len, 2 + ZEQ_HS_RESP_LEN);
	assert_string_equal(p.r.why, "obfuscation parameters differ");
	/* the initiator checks the signature, then reports the mismatch */
	assert_int_equal(zeq_session_input(&p.i, p.resp, p.resp_len, p.fin,
					   &p.fin_len), -ECONNREFUSED);
	assert_int_equal(p.fin_len, 0);
	assert_string_equal(p.i.why, "obfuscation parameters differ");
	assert_int_equal(p.i.state, ZEQ_SS_FAILED);
	/* a failed session holds no ephemeral key */
	assert_null(p.i.eph);
	assert_null(p.r.eph);
}

static void test_refusals(void **state)
{
	static struct pair p;
	uint8_t bad[4] = { 0, 0, 1, 1 };

	(void)state;
	/* an initiator the responder does not know */
	params(&p);
	p.pi.identity = key_x;
	p.pi.identity_pub = pub_x;
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, p.init, p.init_len, p.resp,
					   &p.resp_len), -ENOENT);
	assert_int_equal(p.resp_len, 0);
	/* the initiator called X, R answers */
	params(&p);
	p.pi.peer_pub = pub_x;
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, p.init, p.init_len, p.resp,
					   &p.resp_len), 0);
	assert_int_equal(zeq_session_input(&p.i, p.resp, p.resp_len, p.fin,
					   &p.fin_len), -EKEYREJECTED);
	assert_string_equal(p.i.why, "signature or node id does not verify");
	/* two TLS sessions joined by a relay: the exporters differ */
	params(&p);
	p.pr.exporter = obfs2;
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, p.init, p.init_len, p.resp,
					   &p.resp_len), 0);
	assert_int_equal(zeq_session_input(&p.i, p.resp, p.resp_len, p.fin,
					   &p.fin_len), -EKEYREJECTED);
	/* framing: an empty frame, one too long, a message of another type */
	params(&p);
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, bad, 2, p.resp, &p.resp_len),
			 -EBADMSG);
	params(&p);
	start(&p);
	bad[0] = 0x04;
	bad[1] = 0x01;
	assert_int_equal(zeq_session_input(&p.r, bad, 2, p.resp, &p.resp_len),
			 -EMSGSIZE);
	params(&p);
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, (uint8_t[]){ 0, 1, 9 }, 3,
					   p.resp, &p.resp_len), -EBADMSG);
	/* anything after the end */
	run(&p);
	assert_int_equal(zeq_session_input(&p.r, p.fin, 1, p.none, &p.none_len),
			 -EPROTO);
	params(&p);
	start(&p);
	assert_int_equal(zeq_session_input(&p.r, p.init, p.init_len, p.resp,
					   &p.resp_len), 0);
	{
		uint8_t more[ZEQ_SESSION_OUT_MAX + 1];

		memcpy(more, p.resp, p.resp_len);
		more[p.resp_len] = 0;
		assert_int_equal(zeq_session_input(&p.i, more, p.resp_len + 1,
						   p.fin, &p.fin_len), -EPROTO);
		assert_int_equal(p.fin_len, 0);	/* no FIN goes out */
	}
	/* a session still waiting holds its key until cleared */
	assert_non_null(p.r.eph);
	release(&p);
	assert_null(p.r.eph);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
