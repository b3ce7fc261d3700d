// SPDX-License-Identifier: MIT
/*
 * test_kdf.c - handshake key derivation and the ratchet (daemon/kdf.c):
 * known answers computed apart from it (Python's cryptography package:
 * X25519, HKDF, HKDFExpand; hmac), both sides deriving the same keys,
 * every input changing every output, and a small-order peer key refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/sha.h>

#include "assert_hex.h"
#include "kdf.h"

static void fill(uint8_t *p, size_t n, uint8_t first)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

/* the vector's inputs: X25519 keys 0x10.. and 0x40.., mesh secret
 * 0x00..0x1f, nonces 0x11 x32 and 0x22 x32, exporter 0x33 x32,
 * transcript sha256("transcript") */
struct fixture {
	uint8_t a[32], b[32], pa[32], pb[32], dh[32], share[32];
	uint8_t exporter[32], transcript[32];
	struct zeq_kdf_input in;
};

static int setup(void **state)
{
	static struct fixture f;
	uint8_t secret[32], ni[32], nr[32];

	fill(f.a, 32, 0x10);
	fill(f.b, 32, 0x40);
	fill(secret, 32, 0);
	memset(ni, 0x11, 32);
	memset(nr, 0x22, 32);
	memset(f.exporter, 0x33, 32);
	SHA256((const uint8_t *)"transcript", 10, f.transcript);
	if (zeq_x25519_public(f.a, f.pa) || zeq_x25519_public(f.b, f.pb) ||
	    zeq_x25519_shared(f.a, f.pb, f.dh) ||
	    zeq_kdf_mesh_share(secret, 32, ni, nr, f.share))
		return -1;
	f.in = (struct zeq_kdf_input){
		.dh = f.dh, .mesh_share = f.share,
		.exporter = f.exporter, .transcript = f.transcript,
	};
	*state = &f;
	return 0;
}

static void test_x25519_and_share(void **state)
{
	struct fixture *f = *state;
	uint8_t other[32];

	assert_hex(f->pa, "d89e3bad79437dbed9f843418304f460ff05c7fe81fe4a9577a804cb9367ff66");
	assert_hex(f->pb, "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a");
	assert_hex(f->dh, "0b7480daab7ce8926aaf208e30ef89c8403f7d00aa3db0428f914ead05c85e09");
	/* the other side gets the same */
	assert_int_equal(zeq_x25519_shared(f->b, f->pa, other), 0);
	assert_memory_equal(other, f->dh, 32);
	assert_hex(f->share, "012b93b86bb397ee1635363efb0a3e6bdde50906ec395d2a74a0fbe1b71331c0");
}

static void test_small_order_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[32] = { 0 }, one[32] = { 1 }, out[32];

	/* points of small order give an all-zero secret: refused */
	assert_int_equal(zeq_x25519_shared(f->a, zero, out), -EIO);
	assert_int_equal(zeq_x25519_shared(f->a, one, out), -EIO);
}

static void test_session_and_ratchet(void **state)
{
	struct fixture *f = *state;
	struct zeq_session_keys k;

	assert_int_equal(zeq_kdf_session(&f->in, &k), 0);
	assert_int_equal(k.epoch, 0);
	assert_hex(k.chain, "adb410c3ee7e97adcdcb9490f5344c8508b84de8a7b4ce824c5b46321d41b734");
	assert_hex(k.i2r.key, "4830731505f7884cbe66ec1262270f75076f52a930f6e48a84ad7762ec8a7b01");
	assert_hex(k.i2r.salt, "4bc97e2d");
	assert_hex(k.r2i.key, "e32d8c21ab22323fb5d6dde62032c8c5fee19cd9f4bf82dca40e862d4fafafd1");
	assert_hex(k.r2i.salt, "c84c8973");
	assert_int_equal(zeq_kdf_ratchet(&k), 0);
	assert_int_equal(k.epoch, 1);
	assert_hex(k.chain, "e4fc94c9c0c0aa9d29981c5e1b9d3f52c192eed3b10a3c823293b2d19e86c0b8");
	assert_hex(k.i2r.key, "e20f28855a1e6e87814ea794059954fde63e43e5b22f8942cf98ce1d32939849");
	assert_hex(k.i2r.salt, "9921e354");
	assert_hex(k.r2i.key, "f5b2996905668ec9af71cf68784dff0603d59c8c0e13ceab857f0b46a64acec8");
	assert_hex(k.r2i.salt, "0a53ae6c");
	assert_int_equal(zeq_kdf_ratchet(&k), 0);
	assert_hex(k.chain, "11f871effab14dad7967e86015d8cb6e5db99768f641599037899afd1a94914d");
	assert_hex(k.i2r.key, "0240fdaee0009e4ae859b9e65ae838f67caa2497f3443d2b16c79ed9785f58ff");
	assert_hex(k.r2i.salt, "3c65866a");
	while (k.epoch < 100)
		assert_int_equal(zeq_kdf_ratchet(&k), 0);
	assert_hex(k.i2r.key, "114582788a0e940707e0a2689f9b6f765a92321e67b79e0430d8b7bfef267dc6");
	zeq_session_keys_clear(&k);
}

static void test_kem_mixed_in(void **state)
{
	struct fixture *f = *state;
	struct zeq_kdf_input in = f->in;
	struct zeq_session_keys k;
	uint8_t kem[32];

	memset(kem, 0x44, sizeof(kem));
	in.kem = kem;
	in.kem_len = sizeof(kem);
	assert_int_equal(zeq_kdf_session(&in, &k), 0);
	assert_hex(k.chain, "9121335acc230dc3f2c08601bcd94e3c6737a0cd3ff836bc26215d68e9ec693c");
	assert_hex(k.i2r.key, "0d6d9c7d42187b87febd621f37f5db21c29ea68d2d7f539e94eac68f57856fb3");
	assert_hex(k.r2i.salt, "c6b9290e");
	in.kem_len = 65;
	assert_int_equal(zeq_kdf_session(&in, &k), -EINVAL);
}

/* each input, one bit flipped, changes every key */
static void test_every_input_counts(void **state)
{
	struct fixture *f = *state;
	struct zeq_session_keys base, k;
	uint8_t *inputs[] = { f->dh, f->share, f->exporter, f->transcript };

	assert_int_equal(zeq_kdf_session(&f->in, &base), 0);
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		inputs[i][7] ^= 0x20;
		assert_int_equal(zeq_kdf_session(&f->in, &k), 0);
		inputs[i][7] ^= 0x20;
		assert_memory_not_equal(k.chain, base.chain, 32);
		assert_memory_not_equal(k.i2r.key, base.i2r.key, 32);
		assert_memory_not_equal(k.r2i.key, base.r2i.key, 32);
	}
	/* directions differ, and the salts too */
	assert_memory_not_equal(base.i2r.key, base.r2i.key, 32);
	assert_memory_not_equal(base.i2r.salt, base.r2i.salt, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x25519_and_share),
		cmocka_unit_test(test_small_order_refused),
		cmocka_unit_test(test_session_and_ratchet),
		cmocka_unit_test(test_kem_mixed_in),
		cmocka_unit_test(test_every_input_counts),
	};

	return cmocka_run_group_tests_name("kdf", tests, setup, NULL);
}
