// SPDX-License-Identifier: MIT
/*
 * test_identity.c - the node identity in a real store (daemon/identity.c):
 * made once and read back the same; its private key comes out of the ZSC
 * store as the handshake's signing key, whose signatures verify under the
 * node's public key; a key that does not match the node row, or none at
 * all, is refused with the reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "identity.h"
#include "zsc.h"
#include "test_store.h"

static void test_signing_key(void **state)
{
	struct fx *f = *state;
	struct zeq_identity id, again;
	uint8_t pub[32], sig[64];
	size_t len = sizeof(pub), siglen = sizeof(sig);
	char err[256];
	EVP_MD_CTX *ctx;
	EVP_PKEY *k, *vk;

	assert_int_equal(identity_ensure(f->s, &id, err, sizeof(err)), 0);
	assert_int_equal(identity_ensure(f->s, &again, err, sizeof(err)), 0);
	assert_memory_equal(&id, &again, sizeof(id));
	assert_true(identity_zid_valid(id.zid));

	k = identity_signing_key(f->s, &id, err, sizeof(err));
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, pub, &len), 1);
	assert_memory_equal(pub, id.pub, sizeof(pub));
	/* its signature verifies under the node's public key alone */
	ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &siglen, (const uint8_t *)"m",
					1), 1);
	EVP_MD_CTX_free(ctx);
	vk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, id.pub, 32);
	ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, vk), 1);
	assert_int_equal(EVP_DigestVerify(ctx, sig, siglen,
					  (const uint8_t *)"m", 1), 1);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(vk);
	EVP_PKEY_free(k);

	/* a node row that names another key */
	again.pub[0] ^= 1;
	assert_null(identity_signing_key(f->s, &again, err, sizeof(err)));
	assert_string_equal(err, "identity: the private key does not match "
			    "the node's public key");
	/* no private key at all */
	assert_int_equal(zsc_delete(f->s, ZEQ_IDENTITY_PURPOSE), 0);
	assert_null(identity_signing_key(f->s, &id, err, sizeof(err)));
	assert_non_null(strstr(err, "identity: reading the private key"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signing_key, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
