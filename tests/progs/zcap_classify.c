// SPDX-License-Identifier: GPL-2.0
/*
 * zcap_classify.c - zcap classify: can an observer on the wire tell two
 * classes of zeq datagrams apart?
 *
 * The truth comes from opening each datagram (wire.c): --label cover
 * (default) tells cover (class 1) from data and keepalives (class 0);
 * --label size:T tells data packets of inner length >= T (class 1) from
 * shorter ones (class 0), keepalives and cover left out. Junk and bad
 * datagrams are always left out.
 *
 * The features are what an observer has: the UDP payload's length; each
 * of its first 16 bytes (256 if it is shorter); and the time since the
 * previous datagram of the capture (to --dport, any class) as
 * floor(log2(microseconds + 1)). The labelled datagrams alternate: the
 * even ones (0, 2, ...) train, the odd ones test.
 *
 * Classifiers: for each feature alone, a lookup table predicting the
 * class most training datagrams with that value had (ties and values not
 * seen in training: the training set's larger class); and naive Bayes
 * over all the features, with add-one smoothing over each feature's
 * domain.
 *
 * Output (accuracies on the test set, percent, 2 decimals): n_train=,
 * n_test=, n_test_1= (class 1 in the test set), base_rate= (the share of
 * the test set's larger class), acc_size=, acc_iat=, acc_hdr_best= (the
 * best header byte; hdr_best_pos= which one), acc_nb=, acc_max= (the best
 * of these), excess= (acc_max - base_rate, points). With --max-excess PTS
 * the exit status is 1 if excess > PTS.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "zcap.h"

#define N_HDR		16		/* header bytes, one feature each */
#define SIZE_DOMAIN	65536u		/* UDP payload lengths */
#define IAT_DOMAIN	65u		/* floor(log2(2^64)) + 1 */
#define BYTE_DOMAIN	257u		/* 256: the datagram is shorter */

enum { F_SIZE, F_IAT, F_HDR, N_FEAT = F_HDR + N_HDR };

struct sample {
	uint32_t f[N_FEAT];
	int cls;
};

static uint32_t domain(int f)
{
	return f == F_SIZE ? SIZE_DOMAIN : f == F_IAT ? IAT_DOMAIN : BYTE_DOMAIN;
}

/* floor(log2(us + 1)) of an inter-arrival time in ns */
static uint32_t iat_bucket(uint64_t ns)
{
	uint64_t v = ns / 1000 + 1;
	uint32_t b = 0;

	while (v >>= 1)
		b++;
	return b;
}

/* The class of an opened datagram under --label, -1 if left out. */
static int label(const struct opts *o, const struct opened *op)
{
	if (o->label_size)
		return op->cls == W_DATA ? op->inner_len >= o->size_min : -1;
	if (op->cls == W_COVER)
		return 1;
	return op->cls == W_DATA || op->cls == W_KEEPALIVE ? 0 : -1;
}

/* The labelled datagrams of ds into s; returns how many. */
static size_t samples(const struct opts *o, const struct dgrams *ds,
		      struct wire *w, struct sample *s)
{
	size_t n = 0;

	for (size_t i = 0; i < ds->n; i++) {
		const struct dgram *d = &ds->v[i];
		uint64_t prev = i ? ds->v[i - 1].ts_ns : d->ts_ns;
		struct opened op;
		int c;

		wire_open(w, d->data, d->len, &op);
		c = label(o, &op);
		if (c < 0)
			continue;
		s[n].cls = c;
		s[n].f[F_SIZE] = (uint32_t)(d->wire_len < SIZE_DOMAIN ?
					    d->wire_len : SIZE_DOMAIN - 1);
		s[n].f[F_IAT] = iat_bucket(d->ts_ns > prev ? d->ts_ns - prev : 0);
		for (size_t j = 0; j < N_HDR; j++)
			s[n].f[F_HDR + j] = j < d->len ? d->data[j] : 256;
		n++;
	}
	return n;
}

/* Class counts of the training (parity 0) or test (1) samples. */
static void class_counts(const struct sample *s, size_t n, size_t parity,
			 size_t count[2])
{
	count[0] = count[1] = 0;
	for (size_t i = parity; i < n; i += 2)
		count[s[i].cls]++;
}

static int predict(double score0, double score1, int majority)
{
	return score1 > score0 ? 1 : score0 > score1 ? 0 : majority;
}

/* Test accuracy (percent) of the lookup table on feature f. */
static double acc_table(const struct sample *s, size_t n, int f, int majority)
{
	size_t (*count)[2] = calloc(domain(f), sizeof(*count));
	size_t right = 0, tested = 0;

	if (!count)
		return -1;
	for (size_t i = 0; i < n; i += 2)
		count[s[i].f[f]][s[i].cls]++;
	for (size_t i = 1; i < n; i += 2, tested++) {
		const size_t *c = count[s[i].f[f]];

		right += predict((double)c[0], (double)c[1], majority) ==
			 s[i].cls;
	}
	free(count);
	return 100.0 * (double)right / (double)tested;
}

/* Test accuracy (percent) of naive Bayes over all the features. */
static double acc_nb(const struct sample *s, size_t n, const size_t ntrain[2],
		     int majority)
{
	size_t (*count[N_FEAT])[2] = { NULL };
	size_t right = 0, tested = 0;
	double total = (double)(ntrain[0] + ntrain[1]);
	int f, ok = 1;

	for (f = 0; f < N_FEAT; f++)
		ok &= !!(count[f] = calloc(domain(f), sizeof(*count[f])));
	for (size_t i = 0; ok && i < n; i += 2)
		for (f = 0; f < N_FEAT; f++)
			count[f][s[i].f[f]][s[i].cls]++;
	for (size_t i = 1; ok && i < n; i += 2, tested++) {
		double score[2];

		for (int c = 0; c < 2; c++) {
			score[c] = log((ntrain[c] + 1.0) / (total + 2.0));
			for (f = 0; f < N_FEAT; f++)
				score[c] += log((count[f][s[i].f[f]][c] + 1.0) /
						((double)ntrain[c] + domain(f)));
		}
		right += predict(score[0], score[1], majority) == s[i].cls;
	}
	for (f = 0; f < N_FEAT; f++)
		free(count[f]);
	return ok ? 100.0 * (double)right / (double)tested : -1;
}

/* x rounded to 2 decimals, as printed */
static double pct(double x)
{
	return round(x * 100) / 100;
}

int cmd_classify(const struct opts *o, const struct dgrams *ds,
		 struct wire *w)
{
	struct sample *s = malloc((ds->n ? ds->n : 1) * sizeof(*s));
	size_t n, ntrain[2], ntest[2];
	double base, acc_size, acc_iat, acc_hdr = -1, acc_nb_, acc_max, excess;
	int majority, best = 0;

	if (!s) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_USAGE;
	}
	n = samples(o, ds, w, s);
	if (n < 2) {
		fprintf(stderr, "%s: %zu labelled datagrams: nothing to test\n",
			prog, n);
		free(s);
		return EXIT_USAGE;
	}
	class_counts(s, n, 0, ntrain);
	class_counts(s, n, 1, ntest);
	majority = ntrain[1] > ntrain[0];
	base = pct(100.0 * (double)(ntest[0] > ntest[1] ? ntest[0] : ntest[1]) /
		   (double)(ntest[0] + ntest[1]));
	acc_size = pct(acc_table(s, n, F_SIZE, majority));
	acc_iat = pct(acc_table(s, n, F_IAT, majority));
	for (int j = 0; j < N_HDR; j++) {
		double a = pct(acc_table(s, n, F_HDR + j, majority));

		if (a > acc_hdr) {
			acc_hdr = a;
			best = j;
		}
	}
	acc_nb_ = pct(acc_nb(s, n, ntrain, majority));
	free(s);
	acc_max = fmax(fmax(acc_size, acc_iat), fmax(acc_hdr, acc_nb_));
	excess = pct(acc_max - base);
	if (acc_size < 0 || acc_iat < 0 || acc_hdr < 0 || acc_nb_ < 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_USAGE;
	}
	printf("n_train=%zu\nn_test=%zu\nn_test_1=%zu\nbase_rate=%.2f\n"
	       "acc_size=%.2f\nacc_iat=%.2f\nacc_hdr_best=%.2f\nhdr_best_pos=%d\n"
	       "acc_nb=%.2f\nacc_max=%.2f\nexcess=%.2f\n",
	       ntrain[0] + ntrain[1], ntest[0] + ntest[1], ntest[1], base,
	       acc_size, acc_iat, acc_hdr, best, acc_nb_, acc_max, excess);
	return o->max_excess >= 0 && excess > o->max_excess ? EXIT_CHECK : 0;
}
