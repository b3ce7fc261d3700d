/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap.h - the UDP datagrams of a classic libpcap capture (tcpdump -w),
 * for pktgen and zcap; and a writer of such captures for zcap synth.
 *
 * Read: any byte order, micro- or nanosecond timestamps; link type
 * Ethernet (VLAN tags too), Linux cooked v1/v2, raw IP or BSD loopback;
 * IPv4 and IPv6 (extension headers skipped, fragments ignored).
 * Write: nanosecond timestamps, raw IP (LINKTYPE_RAW), IPv4 + UDP.
 */
#ifndef ZEQ_TESTS_PCAP_H
#define ZEQ_TESTS_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dgram {
	uint64_t ts_ns;		/* capture time, ns since the epoch */
	uint16_t sport, dport;	/* UDP ports */
	uint8_t ipver;		/* 4 or 6 */
	uint8_t *data;		/* UDP payload as captured */
	size_t len;		/* captured bytes of it */
	size_t wire_len;	/* its length on the wire (UDP header) */
};

struct dgrams {
	struct dgram *v;
	size_t n, cap;
};

/*
 * Appends the UDP datagrams of the capture at path to ds (which may be
 * empty: a capture without UDP is not an error here). Errors, and records
 * cut by the snap length, are reported on stderr prefixed by prog.
 * Returns 0, or -1 on error.
 */
int pcap_read(const char *prog, const char *path, struct dgrams *ds);
void dgrams_free(struct dgrams *ds);

/* Creates path with a pcap file header; NULL (reported) on error. */
FILE *pcap_create(const char *prog, const char *path);
/* One IPv4/UDP record, 10.0.0.1:sport -> 10.0.0.2:dport. 0 or -1. */
int pcap_write_udp4(FILE *f, uint64_t ts_ns, uint16_t sport, uint16_t dport,
		    const uint8_t *payload, size_t len);

#endif /* ZEQ_TESTS_PCAP_H */
