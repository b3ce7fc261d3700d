// SPDX-License-Identifier: GPL-2.0
/*
 * pktgen - UDP datagrams for the zeq VM tests.
 *
 *   pktgen [-r PPS] random ADDR PORT COUNT [SEED]
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
 * headers skipped, fragments ignored). -r limits the send rate.
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
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DGRAM 65507
#define RANDOM_MAX_LEN 1500
#define HDR_LEN 16
#define TAG_LEN 16

static const char *prog = "pktgen";

/* ------------------------------------------------------------ PRNG */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	/* splitmix64 to spread a small seed over the state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng_state = (z ^ (z >> 31)) | 1;
}

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* uniform in [0, n) for n > 0 */
static size_t rng_below(size_t n)
{
	return (size_t)(rng() % n);
}

static void rng_fill(uint8_t *p, size_t n)
{
	while (n) {
		uint64_t r = rng();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

/* ------------------------------------------------------------ sending */

struct sender {
	int fd;
	struct sockaddr_storage dst;
	socklen_t dstlen;
	uint64_t pps;
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
	ns = (s->sent + s->failed) * 1000000000ULL / s->pps;
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

/* ------------------------------------------------------------ pcap */

struct payload {
	uint8_t *data;
	size_t len;
};

struct payloads {
	struct payload *v;
	size_t n, cap;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t swap32(uint32_t x)
{
	return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) |
	       (x << 24);
}

static int add_payload(struct payloads *ps, const uint8_t *p, size_t len)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		struct payload *v = realloc(ps->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n].data = malloc(len ? len : 1);
	if (!ps->v[ps->n].data)
		return -1;
	memcpy(ps->v[ps->n].data, p, len);
	ps->v[ps->n].len = len;
	ps->n++;
	return 0;
}

/* The UDP payload of an IP packet, or NULL. */
static const uint8_t *udp_payload(const uint8_t *ip, size_t len, size_t *plen)
{
	const uint8_t *udp;
	size_t rest, ulen;

	if (len < 1)
		return NULL;
	if ((ip[0] >> 4) == 4) {
		size_t ihl = (size_t)(ip[0] & 0x0f) * 4;

		if (len < 20 || ihl < 20 || len < ihl || ip[9] != 17)
			return NULL;
		if (get16(ip + 6) & 0x3fff)	/* MF or fragment offset */
			return NULL;
		udp = ip + ihl;
		rest = len - ihl;
	} else if ((ip[0] >> 4) == 6) {
		uint8_t nh;
		size_t off = 40;

		if (len < 40)
			return NULL;
		nh = ip[6];
		for (;;) {
			if (nh == 17)
				break;
			if (nh == 0 || nh == 43 || nh == 60) {
				if (len < off + 8)
					return NULL;
				nh = ip[off];
				off += ((size_t)ip[off + 1] + 1) * 8;
				continue;
			}
			return NULL;	/* fragment (44) or not UDP */
		}
		if (len < off)
			return NULL;
		udp = ip + off;
		rest = len - off;
	} else {
		return NULL;
	}
	if (rest < 8)
		return NULL;
	ulen = get16(udp + 4);
	if (ulen < 8)
		return NULL;
	ulen -= 8;
	*plen = ulen < rest - 8 ? ulen : rest - 8;
	return udp + 8;
}

static int read_pcap(const char *path, struct payloads *ps)
{
	uint8_t gh[24], rh[16];
	uint8_t *buf = NULL;
	uint32_t magic, linktype, snap;
	int swap, ret = -1;
	FILE *f = fopen(path, "rb");
	size_t skipped = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		fprintf(stderr, "%s: %s: not a pcap file (short)\n", prog, path);
		goto out;
	}
	memcpy(&magic, gh, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
		swap = 0;
	} else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
		swap = 1;
	} else {
		fprintf(stderr, "%s: %s: not a classic pcap file (pcapng?)\n",
			prog, path);
		goto out;
	}
	memcpy(&snap, gh + 16, 4);
	memcpy(&linktype, gh + 20, 4);
	if (swap) {
		snap = swap32(snap);
		linktype = swap32(linktype);
	}
	linktype &= 0x0fffffff;
	buf = malloc(262144);
	if (!buf)
		goto out;
	for (;;) {
		uint32_t incl, orig;
		const uint8_t *ip, *pl;
		size_t iplen, plen;
		uint16_t proto;

		if (fread(rh, 1, sizeof(rh), f) != sizeof(rh))
			break;
		memcpy(&incl, rh + 8, 4);
		memcpy(&orig, rh + 12, 4);
		if (swap) {
			incl = swap32(incl);
			orig = swap32(orig);
		}
		if (incl > 262144) {
			fprintf(stderr, "%s: %s: bad record length %" PRIu32 "\n",
				prog, path, incl);
			goto out;
		}
		if (fread(buf, 1, incl, f) != incl)
			break;	/* truncated last record */
		if (incl < orig)
			skipped++;	/* cut by snaplen: payload incomplete */
		ip = NULL;
		iplen = 0;
		switch (linktype) {
		case 1: {	/* Ethernet */
			size_t off = 12;

			if (incl < 14)
				break;
			proto = get16(buf + off);
			while ((proto == 0x8100 || proto == 0x88a8) &&
			       incl >= off + 6) {
				off += 4;
				proto = get16(buf + off);
			}
			off += 2;
			if (proto == 0x0800 || proto == 0x86dd) {
				ip = buf + off;
				iplen = incl - off;
			}
			break;
		}
		case 113:	/* Linux cooked v1 */
			if (incl < 16)
				break;
			proto = get16(buf + 14);
			if (proto == 0x0800 || proto == 0x86dd) {
				ip = buf + 16;
				iplen = incl - 16;
			}
			break;
		case 276:	/* Linux cooked v2 */
			if (incl < 20)
				break;
			proto = get16(buf);
			if (proto == 0x0800 || proto == 0x86dd) {
				ip = buf + 20;
				iplen = incl - 20;
			}
			break;
		case 0:		/* BSD loopback */
		case 109:
			if (incl >= 4) {
				ip = buf + 4;
				iplen = incl - 4;
			}
			break;
		case 12: case 14: case 101: case 228: case 229:	/* raw IP */
			ip = buf;
			iplen = incl;
			break;
		default:
			fprintf(stderr, "%s: %s: unsupported link type %" PRIu32
				"\n", prog, path, linktype);
			goto out;
		}
		if (!ip)
			continue;
		pl = udp_payload(ip, iplen, &plen);
		if (pl && add_payload(ps, pl, plen)) {
			fprintf(stderr, "%s: out of memory\n", prog);
			goto out;
		}
	}
	if (skipped)
		fprintf(stderr, "%s: %s: %zu records cut by the snap length "
			"(%" PRIu32 ")\n", prog, path, skipped, snap);
	if (!ps->n) {
		fprintf(stderr, "%s: %s: no UDP datagrams in the capture\n",
			prog, path);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	fclose(f);
	return ret;
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
		"usage: %s [-r PPS] random ADDR PORT COUNT [SEED]\n"
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
		struct payloads ps = { 0 };

		if (argc != 5)
			usage();
		if (read_pcap(argv[2], &ps) || parse_dst(&s, argv[3], argv[4]))
			return 1;
		for (i = 0; i < ps.n; i++)
			send_one(&s, ps.v[i].data, ps.v[i].len);
		summary(mode, &s);
	} else if (!strcmp(mode, "mutate")) {
		struct payloads ps = { 0 };
		uint64_t per[MUT_COUNT] = { 0 };
		int m;

		if (argc < 6 || argc > 7)
			usage();
		count = parse_u64(argv[5], "count");
		seed = argc > 6 ? parse_u64(argv[6], "seed") : default_seed();
		rng_seed(seed);
		if (read_pcap(argv[2], &ps) || parse_dst(&s, argv[3], argv[4]))
			return 1;
		for (i = 0; i < count; i++) {
			const struct payload *p = &ps.v[rng_below(ps.n)];
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
