/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zcap.h - what zcap's subcommands share (zcap.c has the CLI).
 */
#ifndef ZEQ_TESTS_ZCAP_H
#define ZEQ_TESTS_ZCAP_H

#include <stdint.h>

#include "pcap.h"
#include "wire.h"

#define EXIT_CHECK	1	/* a check failed */
#define EXIT_USAGE	2	/* bad input or an error */

struct opts {
	const char *pcap;
	int dport;			/* --dport; -1: every datagram */
	/* bytes */
	uint32_t positions;		/* --positions */
	double z;			/* --z; 0: from the family-wise rate */
	/* decryption: key files and obfuscation parameters */
	const char *key, *hp_key;
	int reverse;
	struct range prefix, type_data, type_junk;
	/* classify */
	int label_size;			/* --label size:T (else cover) */
	uint32_t size_min;		/* T */
	double max_excess;		/* --max-excess; < 0: none */
	/* synth */
	uint32_t count, cover_share, pad_to, junk, noise;
	uint32_t cover_gap;		/* us after the previous; 0: Poisson */
	int64_t cover_type;		/* every cover packet's; -1: random */
	int sizes_fixed;		/* --sizes fixed (else mixed) */
	uint64_t seed;
	uint32_t rate;			/* datagrams per second */
	const char *truth;
};

extern const char *const prog;

/* Subcommands: ds is the capture (synth: empty), w set up for DEC. */
int cmd_bytes(const struct opts *o, const struct dgrams *ds, struct wire *w);
int cmd_classify(const struct opts *o, const struct dgrams *ds,
		 struct wire *w);
int cmd_synth(const struct opts *o, const struct dgrams *ds, struct wire *w);

#endif /* ZEQ_TESTS_ZCAP_H */
