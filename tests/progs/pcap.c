// SPDX-License-Identifier: GPL-2.0
/*
 * pcap.c - the UDP datagrams of a classic libpcap capture; see pcap.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pcap.h"

#define PCAP_MAGIC_US	0xa1b2c3d4u	/* microsecond timestamps */
#define PCAP_MAGIC_NS	0xa1b23c4du	/* nanosecond timestamps */
#define PCAP_RECORD_MAX	262144u
#define LINKTYPE_RAW	101u

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t swap32(uint32_t x)
{
	return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) |
	       (x << 24);
}

/* A 32-bit field of the file, in the file's byte order. */
static uint32_t field32(const uint8_t *p, int swap)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return swap ? swap32(x) : x;
}

static int add_dgram(struct dgrams *ds, const struct dgram *d,
		     const uint8_t *payload)
{
	struct dgram *n;

	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 64;
		struct dgram *v = realloc(ds->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ds->v = v;
		ds->cap = cap;
	}
	n = &ds->v[ds->n];
	*n = *d;
	n->data = malloc(d->len ? d->len : 1);
	if (!n->data)
		return -1;
	memcpy(n->data, payload, d->len);
	ds->n++;
	return 0;
}

void dgrams_free(struct dgrams *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->v[i].data);
	free(ds->v);
	memset(ds, 0, sizeof(*ds));
}

/*
 * The UDP payload of an IP packet, or NULL; fills d's ports, IP version
 * and lengths.
 */
static const uint8_t *udp_payload(const uint8_t *ip, size_t len,
				  struct dgram *d)
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
	d->ipver = ip[0] >> 4;
	d->sport = get16(udp);
	d->dport = get16(udp + 2);
	d->wire_len = ulen;
	d->len = ulen < rest - 8 ? ulen : rest - 8;
	return udp + 8;
}

/*
 * The IP packet in a record of link type linktype: 1 with *ip set (NULL
 * if the record holds no IPv4/IPv6 packet), 0 if the link type is not
 * supported.
 */
static int link_ip(uint32_t linktype, const uint8_t *buf, size_t incl,
		   const uint8_t **ip, size_t *iplen)
{
	size_t off = 0;
	uint16_t proto = 0x0800;

	*ip = NULL;
	switch (linktype) {
	case 1:		/* Ethernet */
		off = 12;
		if (incl < 14)
			return 1;
		proto = get16(buf + off);
		while ((proto == 0x8100 || proto == 0x88a8) &&
		       incl >= off + 6) {
			off += 4;
			proto = get16(buf + off);
		}
		off += 2;
		break;
	case 113:	/* Linux cooked v1 */
		if (incl < 16)
			return 1;
		proto = get16(buf + 14);
		off = 16;
		break;
	case 276:	/* Linux cooked v2 */
		if (incl < 20)
			return 1;
		proto = get16(buf);
		off = 20;
		break;
	case 0:		/* BSD loopback */
	case 109:
		if (incl < 4)
			return 1;
		off = 4;
		break;
	case 12: case 14: case 101: case 228: case 229:	/* raw IP */
		break;
	default:
		return 0;
	}
	if (proto == 0x0800 || proto == 0x86dd) {
		*ip = buf + off;
		*iplen = incl - off;
	}
	return 1;
}

/* The file header: byte order, timestamp unit, snap length, link type. */
struct pcap_head {
	int swap;
	uint32_t ns_per_frac, snap, linktype;
};

static int read_head(const char *prog, const char *path, FILE *f,
		     struct pcap_head *h)
{
	uint8_t gh[24];
	uint32_t magic;

	if (fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		fprintf(stderr, "%s: %s: not a pcap file (short)\n", prog, path);
		return -1;
	}
	memcpy(&magic, gh, 4);
	h->swap = magic == swap32(PCAP_MAGIC_US) ||
		  magic == swap32(PCAP_MAGIC_NS);
	if (h->swap)
		magic = swap32(magic);
	if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS) {
		fprintf(stderr, "%s: %s: not a classic pcap file (pcapng?)\n",
			prog, path);
		return -1;
	}
	h->ns_per_frac = magic == PCAP_MAGIC_NS ? 1 : 1000;
	h->snap = field32(gh + 16, h->swap);
	h->linktype = field32(gh + 20, h->swap) & 0x0fffffff;
	return 0;
}

int pcap_read(const char *prog, const char *path, struct dgrams *ds)
{
	struct pcap_head h;
	uint8_t rh[16];
	uint8_t *buf = NULL;
	int ret = -1;
	FILE *f = fopen(path, "rb");
	size_t skipped = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (read_head(prog, path, f, &h))
		goto out;
	buf = malloc(PCAP_RECORD_MAX);
	if (!buf)
		goto out;
	for (;;) {
		struct dgram d = { 0 };
		uint32_t incl, orig;
		const uint8_t *ip, *pl;
		size_t iplen = 0;

		if (fread(rh, 1, sizeof(rh), f) != sizeof(rh))
			break;
		incl = field32(rh + 8, h.swap);
		orig = field32(rh + 12, h.swap);
		if (incl > PCAP_RECORD_MAX) {
			fprintf(stderr, "%s: %s: bad record length %" PRIu32 "\n",
				prog, path, incl);
			goto out;
		}
		if (fread(buf, 1, incl, f) != incl)
			break;	/* truncated last record */
		if (incl < orig)
			skipped++;	/* cut by snaplen: payload incomplete */
		if (!link_ip(h.linktype, buf, incl, &ip, &iplen)) {
			fprintf(stderr, "%s: %s: unsupported link type %" PRIu32
				"\n", prog, path, h.linktype);
			goto out;
		}
		if (!ip)
			continue;
		pl = udp_payload(ip, iplen, &d);
		if (!pl)
			continue;
		d.ts_ns = (uint64_t)field32(rh, h.swap) * 1000000000ULL +
			  (uint64_t)field32(rh + 4, h.swap) * h.ns_per_frac;
		if (add_dgram(ds, &d, pl)) {
			fprintf(stderr, "%s: out of memory\n", prog);
			goto out;
		}
	}
	if (skipped)
		fprintf(stderr, "%s: %s: %zu records cut by the snap length "
			"(%" PRIu32 ")\n", prog, path, skipped, h.snap);
	ret = 0;
out:
	free(buf);
	fclose(f);
	return ret;
}

/* ------------------------------------------------------------ writing */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

FILE *pcap_create(const char *prog, const char *path)
{
	uint32_t gh[6] = { PCAP_MAGIC_NS, 2 | 4u << 16, 0, 0,
			   PCAP_RECORD_MAX, LINKTYPE_RAW };
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(gh, sizeof(gh), 1, f) != 1) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	return f;
}

int pcap_write_udp4(FILE *f, uint64_t ts_ns, uint16_t sport, uint16_t dport,
		    const uint8_t *payload, size_t len)
{
	static const uint8_t addrs[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };
	uint8_t hdr[28] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17 };
	uint32_t rh[4], sum = 0;
	size_t i;

	if (len > 65535 - sizeof(hdr))
		return -1;
	put16(hdr + 2, (uint16_t)(sizeof(hdr) + len));
	memcpy(hdr + 12, addrs, sizeof(addrs));
	for (i = 0; i < 20; i += 2)
		sum += get16(hdr + i);
	sum = (sum & 0xffff) + (sum >> 16);
	put16(hdr + 10, (uint16_t)~(sum + (sum >> 16)));
	put16(hdr + 20, sport);
	put16(hdr + 22, dport);
	put16(hdr + 24, (uint16_t)(8 + len));	/* UDP checksum 0: none */
	rh[0] = (uint32_t)(ts_ns / 1000000000ULL);
	rh[1] = (uint32_t)(ts_ns % 1000000000ULL);
	rh[2] = rh[3] = (uint32_t)(sizeof(hdr) + len);
	if (fwrite(rh, sizeof(rh), 1, f) != 1 ||
	    fwrite(hdr, sizeof(hdr), 1, f) != 1 ||
	    (len && fwrite(payload, len, 1, f) != 1))
		return -1;
	return 0;
}
