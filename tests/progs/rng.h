/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rng.h - the seeded pseudo-random generator of the test programs
 * (xorshift64*, seeded through splitmix64): reproducible runs from a seed.
 * Not for keys.
 */
#ifndef ZEQ_TESTS_RNG_H
#define ZEQ_TESTS_RNG_H

#include <stddef.h>
#include <stdint.h>

void rng_seed(uint64_t seed);
uint64_t rng(void);
/* uniform in [0, n) for n > 0 */
size_t rng_below(size_t n);
void rng_fill(uint8_t *p, size_t n);

#endif /* ZEQ_TESTS_RNG_H */
