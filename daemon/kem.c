// SPDX-License-Identifier: MIT
/*
 * kem.c - ML-KEM-768 detection (kem.h).
 */
#include <openssl/err.h>
#include <openssl/evp.h>

#include "kem.h"

bool zeq_kem_offered(void)
{
	EVP_KEM *k = EVP_KEM_fetch(NULL, ZEQ_KEM_NAME, NULL);

	/* a failed fetch leaves an error queued: not ours to keep */
	ERR_clear_error();
	EVP_KEM_free(k);
	return k != NULL;
}
