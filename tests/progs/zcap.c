// SPDX-License-Identifier: GPL-2.0
/*
 * zcap - traffic analysis of zeq on tcpdump captures, for the VM tests.
 *
 *   zcap rate PCAP
 *	count=, first_ns=, last_ns=, rate_mhz= ((count - 1) per second x1000
 *	over the time from the first datagram to the last).
 *   zcap bytes PCAP [--positions K] [--z Z]
 *	For each byte position 0..K-1 (default 32) of the UDP payloads, the
 *	largest number of datagrams sharing one byte value there, against a
 *	chance bound (zcap_bytes.c); exit 1 if one is above it.
 *   zcap label PCAP DEC
 *	One line a datagram, "ts_ns len class inner_len pad counter" (len:
 *	the UDP payload's length on the wire; class: data, keepalive, cover,
 *	junk or bad; inner_len, pad and counter, the nonce counter, 0 unless
 *	it opened), then the counts
 *	"data= keepalive= cover= junk= bad=".
 *   zcap classify PCAP DEC [--label cover|size:T] [--max-excess PTS]
 *	Can an observer tell the classes apart (zcap_classify.c)? Exit 1 if
 *	the best accuracy beats the base rate by more than PTS points.
 *   zcap junk PCAP DEC
 *	The datagrams before the first one that opens: junk_before_first=,
 *	junk_min_len=, junk_max_len=, junk_types_ok= (1 if all have a type in
 *	the junk range), first_data_index= (-1: none opens).
 *   zcap synth OUT.pcap DEC [...]
 *	Writes a synthetic capture, sealed as zeq sends (zcap_synth.c).
 *
 * DEC, how the datagrams are opened (include/zeq_constants.h, "Wire
 * format"): --key KEYFILE (as "zeqctl genkey" prints it; the datagrams
 * were sent by the side that installed it as is: tx-key, tx-salt;
 * --reverse: rx-key, rx-salt), --hp-key FILE (64 hex digits: header
 * protection on), --prefix LO-HI (default 0-0), --type-data LO-HI
 * (default 1-1), --type-junk LO-HI (default 2-2).
 *
 * Every subcommand takes --dport P: only the datagrams to UDP port P
 * (synth: the port it writes, default 51820). Results are "key=value"
 * lines on stdout; errors go to stderr with exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zcap.h"

const char *const prog = "zcap";

static void usage(void)
{
	fprintf(stderr,
		"usage: zcap rate PCAP [--dport P]\n"
		"       zcap bytes PCAP [--dport P] [--positions K] [--z Z]\n"
		"       zcap label PCAP DEC [--dport P]\n"
		"       zcap classify PCAP DEC [--dport P] [--label cover|size:T]"
		" [--max-excess PTS]\n"
		"       zcap junk PCAP DEC [--dport P]\n"
		"       zcap synth OUT.pcap DEC [--dport P] [--count N]"
		" [--cover-share PCT]\n"
		"            [--cover-gap US] [--cover-type T] [--sizes mixed|fixed]"
		" [--pad-to N]\n"
		"            [--junk N] [--noise N] [--seed S] [--rate PPS]"
		" [--truth FILE]\n"
		"DEC: --key KEYFILE [--reverse] [--hp-key FILE] [--prefix LO-HI]\n"
		"     [--type-data LO-HI] [--type-junk LO-HI]\n");
	exit(EXIT_USAGE);
}

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* ------------------------------------------------------------ values */

static uint64_t num(const char *s, uint64_t max, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		die("%s: '%s' is not a whole number from 0 to %" PRIu64, what,
		    s, max);
	return v;
}

/* "LO-HI", LO <= HI <= max */
static struct range range_of(const char *s, uint32_t max, const char *what)
{
	const char *dash = strchr(s, '-');
	char lo[16];
	struct range r;

	if (!dash || (size_t)(dash - s) >= sizeof(lo))
		die("%s: '%s' is not LO-HI", what, s);
	memcpy(lo, s, (size_t)(dash - s));
	lo[dash - s] = '\0';
	r.lo = (uint32_t)num(lo, max, what);
	r.hi = (uint32_t)num(dash + 1, max, what);
	if (r.lo > r.hi)
		die("%s: '%s': LO is above HI", what, s);
	return r;
}

static double points(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < 0)
		die("%s: '%s' is not a number >= 0", what, s);
	return v;
}

/* ------------------------------------------------------------ options */

enum {
	G_DPORT = 1, G_BYTES = 2, G_DEC = 4, G_CLASSIFY = 8, G_SYNTH = 16,
};

enum opt_id {
	OPT_DPORT = 256, OPT_POSITIONS, OPT_Z, OPT_KEY, OPT_REVERSE, OPT_HP_KEY,
	OPT_PREFIX, OPT_TYPE_DATA, OPT_TYPE_JUNK, OPT_LABEL, OPT_MAX_EXCESS,
	OPT_COUNT, OPT_COVER_SHARE, OPT_COVER_GAP, OPT_COVER_TYPE, OPT_SIZES, OPT_PAD_TO, OPT_JUNK, OPT_NOISE,
	OPT_SEED, OPT_RATE, OPT_TRUTH, OPT_END
};

static const struct option longopts[] = {
	{ "dport", 1, NULL, OPT_DPORT },
	{ "positions", 1, NULL, OPT_POSITIONS },
	{ "z", 1, NULL, OPT_Z },
	{ "key", 1, NULL, OPT_KEY },
	{ "reverse", 0, NULL, OPT_REVERSE },
	{ "hp-key", 1, NULL, OPT_HP_KEY },
	{ "prefix", 1, NULL, OPT_PREFIX },
	{ "type-data", 1, NULL, OPT_TYPE_DATA },
	{ "type-junk", 1, NULL, OPT_TYPE_JUNK },
	{ "label", 1, NULL, OPT_LABEL },
	{ "max-excess", 1, NULL, OPT_MAX_EXCESS },
	{ "count", 1, NULL, OPT_COUNT },
	{ "cover-share", 1, NULL, OPT_COVER_SHARE },
	{ "cover-gap", 1, NULL, OPT_COVER_GAP },
	{ "cover-type", 1, NULL, OPT_COVER_TYPE },
	{ "sizes", 1, NULL, OPT_SIZES },
	{ "pad-to", 1, NULL, OPT_PAD_TO },
	{ "junk", 1, NULL, OPT_JUNK },
	{ "noise", 1, NULL, OPT_NOISE },
	{ "seed", 1, NULL, OPT_SEED },
	{ "rate", 1, NULL, OPT_RATE },
	{ "truth", 1, NULL, OPT_TRUTH },
	{ NULL, 0, NULL, 0 }
};

/* The subcommands an option applies to, as G_ bits. */
static unsigned int opt_group(int id)
{
	if (id == OPT_DPORT)
		return G_DPORT;
	if (id <= OPT_Z)
		return G_BYTES;
	if (id <= OPT_TYPE_JUNK)
		return G_DEC;
	if (id <= OPT_MAX_EXCESS)
		return G_CLASSIFY;
	return G_SYNTH;
}

static void set_label(struct opts *o, const char *s)
{
	if (!strcmp(s, "cover")) {
		o->label_size = 0;
	} else if (!strncmp(s, "size:", 5)) {
		o->label_size = 1;
		o->size_min = (uint32_t)num(s + 5, 65535, "--label size:T");
	} else {
		die("--label: '%s' is not cover or size:T", s);
	}
}

static void set_opt(struct opts *o, int id, const char *a)
{
	switch (id) {
	case OPT_DPORT: o->dport = (int)num(a, 65535, "--dport"); break;
	case OPT_POSITIONS:
		o->positions = (uint32_t)num(a, 4096, "--positions");
		if (!o->positions)
			die("--positions: at least 1");
		break;
	case OPT_Z: o->z = points(a, "--z"); break;
	case OPT_KEY: o->key = a; break;
	case OPT_REVERSE: o->reverse = 1; break;
	case OPT_HP_KEY: o->hp_key = a; break;
	case OPT_PREFIX:
		o->prefix = range_of(a, ZEQ_PREFIX_MAX, "--prefix");
		break;
	case OPT_TYPE_DATA:
		o->type_data = range_of(a, UINT32_MAX, "--type-data");
		break;
	case OPT_TYPE_JUNK:
		o->type_junk = range_of(a, UINT32_MAX, "--type-junk");
		break;
	case OPT_LABEL: set_label(o, a); break;
	case OPT_MAX_EXCESS: o->max_excess = points(a, "--max-excess"); break;
	case OPT_COUNT: o->count = (uint32_t)num(a, 10000000, "--count"); break;
	case OPT_COVER_SHARE:
		o->cover_share = (uint32_t)num(a, 100, "--cover-share");
		break;
	case OPT_COVER_GAP:
		o->cover_gap = (uint32_t)num(a, 1000000000, "--cover-gap");
		break;
	case OPT_COVER_TYPE:
		o->cover_type = (int64_t)num(a, UINT32_MAX, "--cover-type");
		break;
	case OPT_SIZES:
		if (strcmp(a, "mixed") && strcmp(a, "fixed"))
			die("--sizes: '%s' is not mixed or fixed", a);
		o->sizes_fixed = !strcmp(a, "fixed");
		break;
	case OPT_PAD_TO:
		o->pad_to = (uint32_t)num(a, ZEQ_DEFAULT_MTU, "--pad-to");
		break;
	case OPT_JUNK: o->junk = (uint32_t)num(a, 1000000, "--junk"); break;
	case OPT_NOISE: o->noise = (uint32_t)num(a, 10000000, "--noise"); break;
	case OPT_SEED: o->seed = num(a, UINT64_MAX, "--seed"); break;
	case OPT_RATE:
		o->rate = (uint32_t)num(a, 1000000000, "--rate");
		if (!o->rate)
			die("--rate: at least 1");
		break;
	case OPT_TRUTH: o->truth = a; break;
	}
}

/* argv[0] is the subcommand; options anywhere, one operand. */
static void parse_opts(int argc, char **argv, unsigned int groups,
		       struct opts *o)
{
	int id;

	opterr = 0;
	while ((id = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (id < OPT_DPORT || id >= OPT_END)
			die("%s: unknown option or missing value: '%s'",
			    argv[0], argv[optind - 1]);
		if (!(opt_group(id) & groups))
			die("%s: %s does not apply", argv[0], argv[optind - 1]);
		set_opt(o, id, optarg);
	}
	if (optind != argc - 1)
		usage();
	o->pcap = argv[optind];
}

/* ------------------------------------------------------------ input */

/* The capture's datagrams to --dport. */
static int load_capture(const struct opts *o, struct dgrams *ds)
{
	size_t i, n = 0;

	if (pcap_read(prog, o->pcap, ds))
		return -1;
	for (i = 0; i < ds->n; i++) {
		if (o->dport < 0 || ds->v[i].dport == o->dport)
			ds->v[n++] = ds->v[i];
		else
			free(ds->v[i].data);
	}
	ds->n = n;
	return 0;
}

static int load_wire(const struct opts *o, struct wire *w)
{
	if (!o->key) {
		fprintf(stderr, "%s: --key is required\n", prog);
		return -1;
	}
	w->prefix = o->prefix;
	w->type_data = o->type_data;
	w->type_junk = o->type_junk;
	if (wire_load_key(w, prog, o->key, o->reverse) ||
	    (o->hp_key && wire_load_hp_key(w, prog, o->hp_key)))
		return -1;
	return wire_start(w, prog);
}

/* ------------------------------------------------------------ rate */

static int cmd_rate(const struct opts *o, const struct dgrams *ds,
		    struct wire *w)
{
	uint64_t first = ds->n ? ds->v[0].ts_ns : 0;
	uint64_t last = ds->n ? ds->v[ds->n - 1].ts_ns : 0;
	uint64_t mhz = 0;

	(void)o;
	(void)w;
	/* datagrams per second x1000 = (count - 1) * 1e12 / span_ns */
	if (ds->n > 1 && last > first)
		mhz = (uint64_t)((unsigned __int128)(ds->n - 1) *
				 1000000000000ULL / (last - first));
	printf("count=%zu\nfirst_ns=%" PRIu64 "\nlast_ns=%" PRIu64
	       "\nrate_mhz=%" PRIu64 "\n", ds->n, first, last, mhz);
	return 0;
}

/* ------------------------------------------------------------ label */

static int cmd_label(const struct opts *o, const struct dgrams *ds,
		     struct wire *w)
{
	size_t count[W_NCLASS] = { 0 };

	(void)o;
	for (size_t i = 0; i < ds->n; i++) {
		const struct dgram *d = &ds->v[i];
		struct opened op;

		wire_open(w, d->data, d->len, &op);
		count[op.cls]++;
		printf("%" PRIu64 " %zu %s %zu %zu %" PRIu64 "\n", d->ts_ns,
		       d->wire_len, wclass_name[op.cls], op.inner_len, op.pad,
		       op.counter);
	}
	for (int c = 0; c < W_NCLASS; c++)
		printf("%s=%zu%c", wclass_name[c], count[c],
		       c == W_NCLASS - 1 ? '\n' : ' ');
	return 0;
}

/* ------------------------------------------------------------ junk */

static int cmd_junk(const struct opts *o, const struct dgrams *ds,
		    struct wire *w)
{
	size_t i, min = 0, max = 0;
	int types_ok = 1;

	(void)o;
	for (i = 0; i < ds->n; i++) {
		const struct dgram *d = &ds->v[i];
		struct opened op;

		wire_open(w, d->data, d->len, &op);
		if (op.cls <= W_COVER)
			break;
		min = !i || d->wire_len < min ? d->wire_len : min;
		max = d->wire_len > max ? d->wire_len : max;
		types_ok &= op.has_type && range_has(&w->type_junk, op.type);
	}
	printf("junk_before_first=%zu\njunk_min_len=%zu\njunk_max_len=%zu\n"
	       "junk_types_ok=%d\nfirst_data_index=%lld\n", i, min, max,
	       types_ok, i < ds->n ? (long long)i : -1LL);
	return 0;
}

/* ------------------------------------------------------------ main */

static const struct sub {
	const char *name;
	unsigned int groups;	/* the options it takes */
	int reads;		/* the operand is a capture to read */
	int (*run)(const struct opts *o, const struct dgrams *ds,
		   struct wire *w);
} subs[] = {
	{ "rate", G_DPORT, 1, cmd_rate },
	{ "bytes", G_DPORT | G_BYTES, 1, cmd_bytes },
	{ "label", G_DPORT | G_DEC, 1, cmd_label },
	{ "classify", G_DPORT | G_DEC | G_CLASSIFY, 1, cmd_classify },
	{ "junk", G_DPORT | G_DEC, 1, cmd_junk },
	{ "synth", G_DPORT | G_DEC | G_SYNTH, 0, cmd_synth },
};

int main(int argc, char **argv)
{
	struct opts o = {
		.dport = -1, .positions = 32, .max_excess = -1,
		.type_data = { ZEQ_TYPE_DATA_DEFAULT, ZEQ_TYPE_DATA_DEFAULT },
		.type_junk = { ZEQ_TYPE_JUNK_DEFAULT, ZEQ_TYPE_JUNK_DEFAULT },
		.count = 10000, .cover_share = 20, .rate = 1000, .seed = 1,
		.cover_type = -1,
	};
	struct dgrams ds = { 0 };
	struct wire w = { 0 };
	const struct sub *s = NULL;
	int ret = EXIT_USAGE;

	for (size_t i = 0; argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			s = &subs[i];
	if (!s)
		usage();
	parse_opts(argc - 1, argv + 1, s->groups, &o);
	if ((s->groups & G_DEC) && load_wire(&o, &w))
		goto out;
	if (s->reads && load_capture(&o, &ds))
		goto out;
	ret = s->run(&o, &ds, &w);
out:
	wire_end(&w);
	dgrams_free(&ds);
	return ret;
}
