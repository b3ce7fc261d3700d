/* SPDX-License-Identifier: MIT */
/*
 * assert_hex.h - for the cmocka tests with known answers written as hex
 * (include after cmocka.h).
 */
#ifndef ZEQ_TEST_ASSERT_HEX_H
#define ZEQ_TEST_ASSERT_HEX_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* got holds the bytes want spells (up to 64 bytes, lower-case hex) */
static inline void assert_hex(const uint8_t *got, const char *want)
{
	uint8_t w[64];
	size_t n = strlen(want) / 2;

	assert_true(n <= sizeof(w));
	for (size_t i = 0; i < n; i++) {
		unsigned int b;

		assert_int_equal(sscanf(want + 2 * i, "%2x", &b), 1);
		w[i] = (uint8_t)b;
	}
	assert_memory_equal(got, w, n);
}

#endif
