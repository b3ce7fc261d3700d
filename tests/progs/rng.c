// SPDX-License-Identifier: GPL-2.0
/*
 * rng.c - the test programs' seeded pseudo-random generator; see rng.h.
 */
#include <string.h>

#include "rng.h"

static uint64_t rng_state;

void rng_seed(uint64_t seed)
{
	/* splitmix64 to spread a small seed over the state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng_state = (z ^ (z >> 31)) | 1;
}

uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

size_t rng_below(size_t n)
{
	return (size_t)(rng() % n);
}

void rng_fill(uint8_t *p, size_t n)
{
	while (n) {
		uint64_t r = rng();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}
