// SPDX-License-Identifier: GPL-2.0
/*
 * zcap_bytes.c - zcap bytes: does any byte position of the UDP payloads
 * carry a predictable value?
 *
 * Position i is present in n_i datagrams. If every byte is uniformly
 * random (what header protection promises), the number of them sharing
 * one value there is X ~ Binomial(n_i, 1/256). The largest such number
 * (max_pos_i) is compared with bound_pos_i, the largest count c with
 * P(X > c) <= alpha, summed exactly from the binomial distribution.
 * alpha = Q(z), the standard normal upper tail at z: by default
 * alpha = 1e-6 / (K * 256), so that the K * 256 (position, value) tests
 * together raise a false alarm with probability at most 1e-6 (Bonferroni);
 * z = 6.33 for K = 32.
 *
 * Why not the normal approximation n_i/256 + z * sd + 1: the binomial
 * with p = 1/256 is skewed, and at z = 6.33 that bound lets false alarms
 * through far more often than 1e-6 (family-wise about 5e-5 at n_i =
 * 10,000, 1e-3 at 1,000, 1e-2 at 200). The exact bound is a few counts
 * higher; a fixed byte is still found at once (its count is n_i).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "zcap.h"

#define NVAL		256		/* values of a byte */
#define FAMILY_ALPHA	1e-6		/* default family-wise false alarms */
#define Z_MAX		30.0		/* Q(30) ~ 5e-198: still a double */

/* Q(z) = P(N(0, 1) > z) */
static double normal_tail(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

/* z with Q(z) = p, 0 < p < 0.5 (bisection: Q is decreasing) */
static double normal_quantile(double p)
{
	double lo = 0, hi = Z_MAX;

	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;

		if (normal_tail(mid) > p)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static double binom_pmf(uint64_t n, uint64_t k)
{
	return exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) +
		   (double)k * log(1.0 / NVAL) +
		   (double)(n - k) * log1p(-1.0 / NVAL));
}

/* The largest c with P(X > c) <= alpha, X ~ Binomial(n, 1/256). */
static uint64_t binom_bound(uint64_t n, double alpha)
{
	double mean = n / (double)NVAL, sd = sqrt(mean * (NVAL - 1) / NVAL);
	/* above this the tail is far below any alpha >= Q(Z_MAX) */
	uint64_t k = (uint64_t)(mean + 4 * Z_MAX * sd + 4 * Z_MAX);
	double tail = 0;	/* P(X >= k) */

	if (k > n)
		k = n;
	for (;; k--) {
		tail += binom_pmf(n, k);
		if (tail > alpha || !k)
			return k;
	}
}

struct position {
	uint64_t n, max, bound;
	unsigned int value;	/* the most frequent one */
};

static void tally(const struct dgrams *ds, uint32_t npos, double alpha,
		  struct position *pos)
{
	uint64_t *count = calloc((size_t)npos * NVAL, sizeof(*count));

	if (!count) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_USAGE);
	}
	for (size_t d = 0; d < ds->n; d++)
		for (size_t i = 0; i < npos && i < ds->v[d].len; i++)
			count[i * NVAL + ds->v[d].data[i]]++;
	for (uint32_t i = 0; i < npos; i++) {
		struct position *p = &pos[i];

		for (unsigned int v = 0; v < NVAL; v++) {
			uint64_t c = count[i * NVAL + v];

			p->n += c;
			if (c > p->max) {
				p->max = c;
				p->value = v;
			}
		}
		p->bound = binom_bound(p->n, alpha);
	}
	free(count);
}

int cmd_bytes(const struct opts *o, const struct dgrams *ds, struct wire *w)
{
	uint32_t npos = o->positions, worst = 0;
	double tests = (double)npos * NVAL;
	double alpha = o->z > 0 ? normal_tail(o->z) : FAMILY_ALPHA / tests;
	double z = o->z > 0 ? o->z : normal_quantile(alpha);
	struct position *pos = calloc(npos, sizeof(*pos));
	int over = 0;

	(void)w;
	if (!pos || z > Z_MAX) {
		fprintf(stderr, "%s: %s\n", prog,
			pos ? "--z: at most 30" : "out of memory");
		exit(EXIT_USAGE);
	}
	tally(ds, npos, alpha, pos);
	printf("n=%zu\nz=%.4f\nalpha=%.4g\n", ds->n, z, alpha);
	printf("bound=max_pos_i may be at most bound_pos_i, the largest c with"
	       " P(Binomial(n_i, 1/256) > c) <= alpha = Q(z)");
	if (o->z > 0)
		printf("\n");
	else
		printf(" = %g / (%" PRIu32 " x 256 tests): family-wise false"
		       " alarm <= %g\n", FAMILY_ALPHA, npos, FAMILY_ALPHA);
	for (uint32_t i = 0; i < npos; i++) {
		printf("bound_pos_%" PRIu32 "=%" PRIu64 "\nmax_pos_%" PRIu32
		       "=%" PRIu64 "\n", i, pos[i].bound, i, pos[i].max);
		if ((int64_t)(pos[i].max - pos[i].bound) >
		    (int64_t)(pos[worst].max - pos[worst].bound))
			worst = i;
	}
	printf("worst_pos=%" PRIu32 "\nworst_value=0x%02x\nworst_excess=%"
	       PRId64 "\nfixed=", worst, pos[worst].value,
	       (int64_t)(pos[worst].max - pos[worst].bound));
	for (uint32_t i = 0; i < npos; i++) {
		if (pos[i].max > pos[i].bound)
			printf("%s%" PRIu32, over++ ? "," : "", i);
	}
	printf("%s\n", over ? "" : "none");
	free(pos);
	return over ? EXIT_CHECK : 0;
}
