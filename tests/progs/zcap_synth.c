// SPDX-License-Identifier: GPL-2.0
/*
 * zcap_synth.c - zcap synth: a synthetic capture of zeq traffic, sealed
 * as a sender seals it (wire.c), for zcap's self-test.
 *
 *   zcap synth OUT.pcap DEC [--dport P] [--count N] [--cover-share PCT]
 *	[--cover-gap US] [--cover-type T] [--sizes mixed|fixed] [--pad-to N]
 *	[--junk N] [--noise N] [--seed S] [--rate PPS] [--truth FILE]
 *
 * First --junk junk datagrams (default 0: lengths uniform in
 * ZEQ_JUNK_SIZE_MIN(prefix hi) and the 200 above, types uniform in the
 * junk range), then --count packets (default 10000) under one key, each
 * cover with probability PCT % (default 20), else data. Inner lengths:
 * mixed (default) alike for cover and data, 0 one time in 10 (data of
 * length 0 is a keepalive), else uniform in 1..1400; fixed: data 1000,
 * cover 100. --pad-to N pads every inner packet to N bytes (default 0:
 * none). Types are uniform in the data range (--cover-type: cover
 * packets all have type T, a leak), the key id is random and stays, the
 * counter counts from 0. Arrivals are Poisson at --rate per
 * second (default 1000); with --cover-gap, cover packets come US
 * microseconds after the datagram before them instead (a timing leak). --noise N random datagrams (1..200 bytes) to
 * port P + 1 are mixed in among the packets. Written to 10.0.0.2 port P
 * (default 51820) from 10.0.0.1 port 40000. --truth FILE gets "class
 * inner_len pad" per zeq datagram, in order, as zcap label prints them.
 * The same --seed (default 1) and key give the same capture.
 *
 * Prints count lines: datagrams=, junk=, data=, keepalive=, cover=, noise=.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rng.h"
#include "zcap.h"

#define SYNTH_T0_NS	1700000000000000000ULL	/* first timestamp */
#define SYNTH_SPORT	40000
#define SYNTH_DPORT	51820
#define MIXED_MAX	1400	/* mixed inner lengths: 0, 1..1400 */
#define FIXED_DATA	1000	/* fixed inner lengths */
#define FIXED_COVER	100
#define JUNK_SPREAD	200	/* junk lengths above the minimum */
#define NOISE_MAX	200

struct synth {
	const struct opts *o;
	struct wire *w;
	FILE *pcap, *truth;
	uint64_t ts_ns, counter;
	uint16_t dport;
	uint32_t key_id;
	size_t count[W_NCLASS], noise;
	uint8_t buf[WIRE_SEALED_MAX(ZEQ_DEFAULT_MTU)];
};

static uint32_t uniform_in(const struct range *r)
{
	return r->lo + (uint32_t)rng_below((size_t)r->hi - r->lo + 1);
}

/*
 * Writes len bytes of buf at the next arrival: gap_us after the last one,
 * or if 0 the next Poisson arrival. 0 or -1.
 */
static int emit(struct synth *sy, size_t len, uint16_t dport, uint32_t gap_us)
{
	double u = (double)((rng() >> 11) + 1) * 0x1p-53;	/* (0, 1] */

	if (gap_us)
		sy->ts_ns += gap_us * 1000ULL;
	else
		sy->ts_ns += (uint64_t)(-log(u) * 1e9 / sy->o->rate);
	return pcap_write_udp4(sy->pcap, sy->ts_ns, SYNTH_SPORT, dport,
			       sy->buf, len);
}

/* Notes a zeq datagram in the counts and the truth file. */
static void truth(struct synth *sy, enum wclass c, size_t inner_len,
		  size_t pad)
{
	sy->count[c]++;
	if (sy->truth)
		fprintf(sy->truth, "%s %zu %zu\n", wclass_name[c], inner_len,
			pad);
}

static int put_junk(struct synth *sy)
{
	size_t len = ZEQ_JUNK_SIZE_MIN(sy->w->prefix.hi) +
		     rng_below(JUNK_SPREAD + 1);

	rng_fill(sy->buf, len);
	if (wire_junk(sy->w, uniform_in(&sy->w->type_junk), sy->buf, len))
		return -1;
	truth(sy, W_JUNK, 0, 0);
	return emit(sy, len, sy->dport, 0);
}

static size_t inner_len(const struct opts *o, int cover)
{
	if (o->sizes_fixed)
		return cover ? FIXED_COVER : FIXED_DATA;
	return rng_below(10) ? 1 + rng_below(MIXED_MAX) : 0;
}

static int put_packet(struct synth *sy)
{
	const struct opts *o = sy->o;
	uint8_t inner[ZEQ_DEFAULT_MTU], rnd[ZEQ_PREFIX_MAX];
	int cover = rng_below(100) < o->cover_share;
	struct sealing s = {
		.type = cover && o->cover_type >= 0 ? (uint32_t)o->cover_type :
			uniform_in(&sy->w->type_data),
		.key_id = sy->key_id,
		.counter = sy->counter++,
		.inner_type = cover ? ZEQ_INNER_COVER : ZEQ_INNER_DATA,
		.inner = inner,
		.inner_len = inner_len(o, cover),
	};
	size_t len;

	s.pad = o->pad_to > s.inner_len ? o->pad_to - s.inner_len : 0;
	rng_fill(inner, s.inner_len);
	rng_fill(rnd, sizeof(rnd));
	len = wire_seal(sy->w, &s, rnd, sy->buf);
	if (!len)
		return -1;
	truth(sy, cover ? W_COVER : s.inner_len ? W_DATA : W_KEEPALIVE,
	      s.inner_len, s.pad);
	return emit(sy, len, sy->dport, cover ? o->cover_gap : 0);
}

static int put_noise(struct synth *sy)
{
	size_t len = 1 + rng_below(NOISE_MAX);

	rng_fill(sy->buf, len);
	sy->noise++;
	return emit(sy, len, (uint16_t)(sy->dport + 1), 0);
}

/* Junk first, then packets and noise mixed at random. */
static int put_all(struct synth *sy)
{
	size_t packets = sy->o->count, noise = sy->o->noise;
	int err = 0;

	for (uint32_t i = 0; i < sy->o->junk && !err; i++)
		err = put_junk(sy);
	while ((packets || noise) && !err) {
		if (rng_below(packets + noise) < noise) {
			noise--;
			err = put_noise(sy);
		} else {
			packets--;
			err = put_packet(sy);
		}
	}
	return err;
}

static int close_file(FILE *f, const char *path)
{
	if (f && (ferror(f) | fclose(f))) {
		fprintf(stderr, "%s: %s: write error\n", prog, path);
		return -1;
	}
	return 0;
}

int cmd_synth(const struct opts *o, const struct dgrams *ds, struct wire *w)
{
	static struct synth sy;
	int err;

	(void)ds;
	sy.o = o;
	sy.w = w;
	sy.ts_ns = SYNTH_T0_NS;
	sy.dport = o->dport < 0 ? SYNTH_DPORT : (uint16_t)o->dport;
	sy.pcap = pcap_create(prog, o->pcap);
	if (!sy.pcap)
		return EXIT_USAGE;
	if (o->truth && !(sy.truth = fopen(o->truth, "w"))) {
		fprintf(stderr, "%s: %s: %s\n", prog, o->truth, strerror(errno));
		fclose(sy.pcap);
		return EXIT_USAGE;
	}
	rng_seed(o->seed);
	sy.key_id = (uint32_t)rng();
	err = put_all(&sy);
	if (err)
		fprintf(stderr, "%s: %s: cannot write a datagram\n", prog,
			o->pcap);
	err |= close_file(sy.pcap, o->pcap);
	err |= close_file(sy.truth, o->truth);
	if (err)
		return EXIT_USAGE;
	printf("datagrams=%zu\n", sy.count[W_JUNK] + sy.count[W_DATA] +
	       sy.count[W_KEEPALIVE] + sy.count[W_COVER] + sy.noise);
	for (int c = W_DATA; c <= W_JUNK; c++)
		printf("%s=%zu\n", wclass_name[c], sy.count[c]);
	printf("noise=%zu\n", sy.noise);
	return 0;
}
