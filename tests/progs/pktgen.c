// SPDX-License-Identifier: GPL-2.0
/*
 * pktgen - UDP datagrams for the zeq VM tests.
 *
 *   pktgen [-r PPS [-P]] random ADDR PORT COUNT [SEED]
 *	COUNT datagrams of random length (0..1500) and random content.
 *   pktgen [-r PPS] replay PCAP ADDR PORT
 *	the UDP payloads of a tcpdump capture, unchanged, in capture order.
 *   pktgen [-r PPS] [-m KINDS] mutate PCAP ADDR PORT COUNT [SEED]
 *	COUNT mutations of those payloads: bit flips in the header, key id,
 *	counter, ciphertext or tag, truncation, extension, zero length,
 *	overwritten spans. Every mutant differs from its original. -m limits
 *	the kinds (comma-separated: header, key-id, counter, ciphertext, tag,
 *	truncate, extend, zero, span, multi).
 *
 * ADDR is an IPv4 or IPv6 literal. PCAP is a classic libpcap file (any byte
 * order, micro- or nanosecond) with link type Ethernet (VLAN tags too),
 * Linux cooked v1/v2, raw IP or BSD loopback; IPv4 and IPv6 (extension
 * headers skipped, fragments ignored): pcap.c reads it. -r limits the
 * send rate: evenly spaced, or with -P at random (Poisson arrivals: gaps
 * drawn from the exponential distribution, PPS on average).
 *
 * Prints one summary line: "pktgen: MODE sent N datagrams (B bytes), F
 * failed" (plus per-mutation counts). Exit 0 if all were sent, 1 on errors,
 * 2 on usage errors.
 *
 * Wire layout assumed by "mutate" (zeq data packet): 16-byte header (bytes
 * 0..3 type/flags, 4..7 key id, 8..15 counter), ciphertext, 16-byte tag.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pcap.h"
#include "rng.h"

#define MAX_DGRAM 65507
#define RANDOM_MAX_LEN 1500
#define HDR_LEN 16
#define TAG_LEN 16

static const char *prog = "pktgen";

/* ------------------------------------------------------------ sending */

struct sender {
	int fd;
	struct sockaddr_storage dst;
	socklen_t dstlen;
	uint64_t pps;
	int poisson;		/* -P: exponential gaps */
	uint64_t due_ns;	/* -P: when the next datagram is due */
	struct timespec start;
	uint64_t sent, failed, bytes;
};

static int parse_dst(struct sender *s, const char *addr, const char *port)
{
	struct addrinfo hints, *res;
	int err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	err = getaddrinfo(addr, port, &hints, &res);
	if (err) {
		fprintf(stderr, "%s: %s port %s: %s\n", prog, addr, port,
			gai_strerror(err));
		return -1;
	}
	memcpy(&s->dst, res->ai_addr, res->ai_addrlen);
	s->dstlen = res->ai_addrlen;
	s->fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	freeaddrinfo(res);
	if (s->fd < 0) {
		fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
		return -1;
	}
	{
		int sz = 4 << 20;

		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	clock_gettime(CLOCK_MONOTONIC, &s->start);
	return 0;
}

static void pace(struct sender *s)
{
	struct timespec now, due;
	uint64_t ns;

	if (!s->pps)
		return;
	if (s->poisson) {
		/* -ln(u) for u in (0, 1]: an exponential gap of mean 1/pps */
		double u = (double)((rng() >> 11) + 1) / 9007199254740992.0;

		s->due_ns += (uint64_t)(-log(u) * 1e9 / (double)s->pps);
		ns = s->due_ns;
	} else {
		ns = (s->sent + s->failed) * 1000000000ULL / s->pps;
	}
	due.tv_sec = s->start.tv_sec + (time_t)(ns / 1000000000ULL);
	due.tv_nsec = s->start.tv_nsec + (long)(ns % 1000000000ULL);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < due.tv_sec ||
	    (now.tv_sec == due.tv_sec && now.tv_nsec < due.tv_nsec))
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
}

static void send_one(struct sender *s, const uint8_t *p, size_t len)
{
	int tries;

	pace(s);
	for (tries = 0; tries < 100; tries++) {
		ssize_t n = sendto(s->fd, p, len, 0,
				   (const struct sockaddr *)&s->dst, s->dstlen);

		if (n == (ssize_t)len) {
			s->sent++;
			s->bytes += len;
			return;
		}
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN ||
			      errno == EINTR || errno == ECONNREFUSED)) {
			struct timespec ts = { 0, 100000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (s->failed < 5)
			fprintf(stderr, "%s: sendto (%zu bytes): %s\n", prog,
				len, n < 0 ? strerror(errno) : "short send");
		break;
	}
	s->failed++;
}

/* ------------------------------------------------------------ mutation */

enum mutation {
	MUT_HEADER,	/* flip bits anywhere in the 16-byte header */
	MUT_KEY_ID,	/* flip bits in bytes 4..7 */
	MUT_COUNTER,	/* flip bits in bytes 8..15 */
	MUT_CIPHER,	/* flip bits in the ciphertext */
	MUT_TAG,	/* flip bits in the last 16 bytes */
	MUT_TRUNCATE,	/* shorter, 1..len-1 bytes */
	MUT_EXTEND,	/* 1..64 random bytes appended */
	MUT_ZERO,	/* zero length */
	MUT_SPAN,	/* a random span overwritten with random bytes */
	MUT_MULTI,	/* several flips anywhere */
	MUT_COUNT
};

static const char *const mut_names[MUT_COUNT] = {
	"header", "key-id", "counter", "ciphertext", "tag", "truncate",
	"extend", "zero", "span", "multi",
};

static void flip(uint8_t *p, size_t lo, size_t hi)
{
	/* flip 1..3 bits in [lo, hi) */
	int k = 1 + (int)rng_below(3);

	while (k--) {
		size_t i = lo + rng_below(hi - lo);

		p[i] ^= (uint8_t)(1u << rng_below(8));
	}
}

static unsigned int mut_mask = (1u << MUT_COUNT) - 1;

/* Mutate IN into OUT (room for len + 64); returns the new length. */
static size_t mutate(const uint8_t *in, size_t len, uint8_t *out,
		     enum mutation *m)
{
	size_t olen = len;
	int tries = 0;

	memcpy(out, in, len);
	for (;; tries++) {
		if (tries > 1000) {
			/* none of the chosen kinds applies to this length */
			*m = MUT_EXTEND;
			olen = len + 1 + rng_below(64);
			rng_fill(out + len, olen - len);
			return olen;
		}
		*m = (enum mutation)rng_below(MUT_COUNT);
		if (!(mut_mask & (1u << *m)))
			continue;
		olen = len;
		memcpy(out, in, len);
		switch (*m) {
		case MUT_HEADER:
			if (len < 1)
				continue;
			flip(out, 0, len < HDR_LEN ? len : HDR_LEN);
			break;
		case MUT_KEY_ID:
			if (len < 8)
				continue;
			flip(out, 4, 8);
			break;
		case MUT_COUNTER:
			if (len < HDR_LEN)
				continue;
			flip(out, 8, HDR_LEN);
			break;
		case MUT_CIPHER:
			if (len <= HDR_LEN + TAG_LEN)
				continue;
			flip(out, HDR_LEN, len - TAG_LEN);
			break;
		case MUT_TAG:
			if (len < HDR_LEN + TAG_LEN)
				continue;
			flip(out, len - TAG_LEN, len);
			break;
		case MUT_TRUNCATE:
			if (len < 2)
				continue;
			olen = 1 + rng_below(len - 1);
			break;
		case MUT_EXTEND:
			olen = len + 1 + rng_below(64);
			rng_fill(out + len, olen - len);
			break;
		case MUT_ZERO:
			if (len == 0)
				continue;
			olen = 0;
			break;
		case MUT_SPAN: {
			size_t a, n, i;

			if (len < 1)
				continue;
			a = rng_below(len);
			n = 1 + rng_below(len - a);
			rng_fill(out + a, n);
			for (i = a; i < a + n && out[i] == in[i]; i++)
				;
			if (i == a + n)
				out[a] ^= 0x80;	/* make sure it differs */
			break;
		}
		case MUT_MULTI: {
			int k = 2 + (int)rng_below(8);

			if (len < 1)
				continue;
			while (k--)
				flip(out, 0, len);
			if (!memcmp(out, in, len))
				out[rng_below(len)] ^= 1;
			break;
		}
		default:
			continue;
		}
		if (olen == len && !memcmp(out, in, len)) {
			/* bits flipped back: start again */
			memcpy(out, in, len);
			continue;
		}
		return olen;
	}
}

/* ------------------------------------------------------------ main */

static int parse_kinds(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int m, ret = 0;

	if (!copy)
		return -1;
	mut_mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (m = 0; m < MUT_COUNT; m++)
			if (!strcmp(tok, mut_names[m]))
				break;
		if (m == MUT_COUNT) {
			fprintf(stderr, "%s: unknown mutation '%s'\n", prog, tok);
			ret = -1;
			break;
		}
		mut_mask |= 1u << m;
	}
	free(copy);
	return ret || !mut_mask ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-r PPS [-P]] random ADDR PORT COUNT [SEED]\n"
		"       %s [-r PPS] replay PCAP ADDR PORT\n"
		"       %s [-r PPS] [-m KINDS] mutate PCAP ADDR PORT COUNT [SEED]\n",
		prog, prog, prog);
	exit(2);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-') {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		exit(2);
	}
	return v;
}

static uint64_t default_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
	       (uint64_t)getpid() << 32;
}

/* The UDP payloads of a capture; at least one. */
static int read_capture(const char *path, struct dgrams *ds)
{
	if (pcap_read(prog, path, ds))
		return -1;
	if (!ds->n) {
		fprintf(stderr, "%s: %s: no UDP datagrams in the capture\n",
			prog, path);
		return -1;
	}
	return 0;
}

static void summary(const char *mode, const struct sender *s)
{
	printf("%s: %s sent %" PRIu64 " datagrams (%" PRIu64 " bytes), %"
	       PRIu64 " failed\n", prog, mode, s->sent, s->bytes, s->failed);
}

int main(int argc, char **argv)
{
	struct sender s = { .fd = -1 };
	static uint8_t buf[MAX_DGRAM + 64];
	const char *mode;
	uint64_t count, seed, i;

	while (argc > 2 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-P")) {
			s.poisson = 1;
			argc--;
			argv++;
			continue;
		}
		if (!strcmp(argv[1], "-r")) {
			s.pps = parse_u64(argv[2], "rate");
		} else if (!strcmp(argv[1], "-m")) {
			if (parse_kinds(argv[2]))
				usage();
		} else {
			usage();
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();
	mode = argv[1];

	if (!strcmp(mode, "random")) {
		if (argc < 5 || argc > 6)
			usage();
		count = parse_u64(argv[4], "count");
		seed = argc > 5 ? parse_u64(argv[5], "seed") : default_seed();
		rng_seed(seed);
		if (parse_dst(&s, argv[2], argv[3]))
			return 1;
		for (i = 0; i < count; i++) {
			size_t len = rng_below(RANDOM_MAX_LEN + 1);

			rng_fill(buf, len);
			send_one(&s, buf, len);
		}
		summary(mode, &s);
	} else if (!strcmp(mode, "replay")) {
		struct dgrams ps = { 0 };

		if (argc != 5)
			usage();
		if (read_capture(argv[2], &ps) || parse_dst(&s, argv[3], argv[4]))
			return 1;
		for (i = 0; i < ps.n; i++)
			send_one(&s, ps.v[i].data, ps.v[i].len);
		summary(mode, &s);
	} else if (!strcmp(mode, "mutate")) {
		struct dgrams ps = { 0 };
		uint64_t per[MUT_COUNT] = { 0 };
		int m;

		if (argc < 6 || argc > 7)
			usage();
		count = parse_u64(argv[5], "count");
		seed = argc > 6 ? parse_u64(argv[6], "seed") : default_seed();
		rng_seed(seed);
		if (read_capture(argv[2], &ps) || parse_dst(&s, argv[3], argv[4]))
			return 1;
		for (i = 0; i < count; i++) {
			const struct dgram *p = &ps.v[rng_below(ps.n)];
			enum mutation mu;
			size_t len = p->len > MAX_DGRAM ? MAX_DGRAM : p->len;

			len = mutate(p->data, len, buf, &mu);
			if (len > MAX_DGRAM)
				len = MAX_DGRAM;
			per[mu]++;
			send_one(&s, buf, len);
		}
		summary(mode, &s);
		printf("%s: mutations from %zu captured datagrams:", prog, ps.n);
		for (m = 0; m < MUT_COUNT; m++)
			printf(" %s=%" PRIu64, mut_names[m], per[m]);
		printf("\n");
	} else {
		usage();
	}
	close(s.fd);
	return s.failed ? 1 : 0;
}
