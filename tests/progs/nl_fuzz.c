// SPDX-License-Identifier: MIT
/*
 * nl_fuzz - random and mutated requests to the "zeq" generic netlink family,
 * raced by threads doing legitimate work on the same devices. Run as root in
 * the test VM:
 *
 *   nl_fuzz [-n COUNT] [-s SEED] [-t THREADS] [-a AIPS] [-p MS] [-k]
 *           [NETNS:]DEV...
 *
 *   -n COUNT    messages to send (default 100000)
 *   -s SEED     random seed (default: from the clock; printed)
 *   -t THREADS  racing threads (default 2, 0 for none): each adds, changes,
 *               deletes and gets peers 2..9 (now and then with 2/3 AIPS to
 *               AIPS allowed IPs, so that a peer dump needs two messages
 *               for them), installs, swaps and deletes keys with fresh ids
 *               and dumps devices and peers, on random target devices, as
 *               fast as it can, until the fuzz is done. Some peer dumps are
 *               checked: ids ascend, and a message that starts a peer holds
 *               the whole peer, not just the continuation of an earlier one
 *   -a AIPS     allowed IPs of the racers' big peers (default 2000, at most
 *               2000; 0: no big peers)
 *   -p MS       each racer pauses MS milliseconds after each operation
 *               (default 0). Under a debug kernel (KASAN, lockdep) unpaused
 *               racers hold the family's lock most of the time and the fuzz
 *               itself crawls (2,000 messages: 14 s alone, 86 s raced)
 *   -k          keeper thread: over and over, puts each target device back
 *               the way it was at the start (listen port, fwmark, key max
 *               age, every peer with its endpoint and allowed IPs) and
 *               installs and swaps fresh keys: for a peer id that the
 *               first two targets both have, matching keys on both sides,
 *               so traffic through the tunnel keeps flowing between fuzz
 *               hits; elsewhere keys on one side only
 *   NETNS:DEV   a device in the network namespace /run/netns/NETNS (or a
 *               path to a namespace file); DEV is a name or an ifindex
 *
 * The fuzzer sends COUNT messages: about one in eight entirely random (any
 * command number, random attribute trees), the rest built from a valid
 * template of one of the commands (DEV_GET/SET, PEER_NEW/SET/GET/DEL incl.
 * dumps, KEY_NEW/SWAP/DEL, with nested peer, allowed-IP and key attributes)
 * and, most of the time, mutated: bit flips, interesting bytes, wrong
 * attribute lengths (huge ones too), types and nesting flags, attributes
 * duplicated, deleted or inserted (random ones, nested), truncated or
 * extended messages, nlmsg_len that lies, flags (NLM_F_DUMP on do-only
 * commands, no ACK, no REQUEST), another command on the same attributes.
 * Some datagrams carry two or three messages. Peer ids mostly come from
 * 1..8 and key ids from 1..16, so the messages hit existing objects.
 *
 * After each datagram every reply (acks, errors, dump parts, NLMSG_DONE) is
 * read and counted; ENOBUFS on the socket is counted and the run goes on.
 * The last line is a summary:
 *
 *   nl_fuzz: summary messages=N datagrams=N replies=N ok=N errors=N data=N
 *	done=N noreply=N enobufs=N send_errors=N racer_ops=N racer_ok=N
 *	racer_unexpected=N racer_dumps=N racer_dump_msgs=N racer_dump_cont=N
 *	racer_dump_bad=N keeper_rounds=N keeper_ok=N keeper_unexpected=N
 *	seconds=N
 *
 * (racer_dump_cont: messages of checked dumps that continue a peer)
 *
 * preceded by the error counts by name. Racer and keeper requests are
 * valid: an error outside the set each one expects (ENOENT, EEXIST, ...)
 * counts as "unexpected", an inconsistent checked dump as "dump_bad"; the
 * first few of either are printed.
 *
 * Exit status 0 when the run completed (whatever the kernel answered), 1 on
 * a failure of nl_fuzz itself (namespace, socket, unexpected socket error),
 * 2 on usage errors.
 */
#define _GNU_SOURCE		/* setns, strerrorname_np */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "zeq_attrs.h"
#include "zeq_query.h"

#define MSG_MAX		16384	/* one message */
#define DGRAM_MAX	(3 * MSG_MAX + 64)
#define RX_LEN		(128 * 1024)
#define ATTR_START	(NLMSG_HDRLEN + GENL_HDRLEN)
#define MAX_ATTRS	1024
#define MAX_TARGETS	8
#define MAX_ERRNO	512
#define POOL_PEERS	8	/* fuzz peer ids 1..8 */
#define POOL_KEYS	16	/* fuzz key ids 1..16 */
#define RACER_PEER0	2	/* racers: peer ids 2..9 */
#define MAX_UNEXPECTED	10
#define BIG_MSG		65536	/* a racer's peer with 2,000 allowed IPs */

static const char *prog = "nl_fuzz";

/* --- random numbers ----------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnd64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd64(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return rnd(r, 100) < pct;
}

static void rnd_bytes(struct rng *r, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint64_t v = rnd64(r);
		size_t k = n < sizeof(v) ? n : sizeof(v);

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

static uint32_t interesting32(struct rng *r)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 16, 32, 33, 64, 127, 128, 129, 255, 256,
		3600, 3601, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7ffffffe,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
		AF_INET, AF_INET6, ZEQ_KEY_MAX_AGE_MIN - 1, ZEQ_KEY_MAX_AGE_MIN,
		ZEQ_KEY_MAX_AGE_MAX, ZEQ_KEY_MAX_AGE_MAX + 1, 51901, 51902,
	};

	return v[rnd(r, sizeof(v) / sizeof(v[0]))];
}

/* --- byte access (the buffers are mutated: no alignment assumed) --------- */

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void set16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void set32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* --- message builder ------------------------------------------------------ */

/* A message being built: p[0..len), at most cap bytes. */
struct mb {
	uint8_t *p;
	size_t len, cap;
};

#define NO_ATTR SIZE_MAX

/* Appends one attribute (payload copied, or random if data is NULL). */
static size_t put_raw(struct mb *b, struct rng *r, uint16_t type,
		      const void *data, size_t n)
{
	size_t off = b->len, need = NLA_HDRLEN + NLA_ALIGN(n);

	if (n > 0xffff - NLA_HDRLEN || b->len + need > b->cap)
		return NO_ATTR;
	set16(b->p + off, (uint16_t)(NLA_HDRLEN + n));
	set16(b->p + off + 2, type);
	if (data)
		memcpy(b->p + off + NLA_HDRLEN, data, n);
	else
		rnd_bytes(r, b->p + off + NLA_HDRLEN, n);
	memset(b->p + off + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	b->len += need;
	return off;
}

static size_t put(struct mb *b, uint16_t type, const void *data, size_t n)
{
	return put_raw(b, NULL, type, data, n);
}

static void put_u8(struct mb *b, uint16_t type, uint8_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_u16(struct mb *b, uint16_t type, uint16_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_u32(struct mb *b, uint16_t type, uint32_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_strz(struct mb *b, uint16_t type, const char *s)
{
	put(b, type, s, strlen(s) + 1);
}

static size_t nest(struct mb *b, uint16_t type)
{
	return put(b, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct mb *b, size_t off)
{
	if (off != NO_ATTR)
		set16(b->p + off, (uint16_t)(b->len - off > 0xffff ? 0xffff :
					     b->len - off));
}

static void msg_start(struct mb *b, uint16_t family, uint16_t flags,
		      uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr h = {
		.nlmsg_type = family,
		.nlmsg_flags = flags,
		.nlmsg_seq = seq,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = ZEQ_GENL_VERSION };

	memset(b->p, 0, ATTR_START);
	memcpy(b->p, &h, sizeof(h));
	memcpy(b->p + NLMSG_HDRLEN, &g, sizeof(g));
	b->len = ATTR_START;
}

static void msg_end(struct mb *b)
{
	set32(b->p, (uint32_t)b->len);
}

/* --- targets ------------------------------------------------------------- */

struct target {
	char spec[256];
	char ns[200];			/* "" = our own namespace */
	char ifname[IF_NAMESIZE];
	uint32_t ifindex;
	int fd;				/* fuzz socket */
	struct znl ctl;			/* snapshot, keeper, final check */
	struct znl *racer;		/* one per racer thread */
	struct zeq_dev_info *snap;	/* state at the start */
	size_t n_snap;
};

static struct target g_t[MAX_TARGETS];
static unsigned int g_nt;
static uint16_t g_family;
static atomic_bool g_stop;
static unsigned int g_big = 2000;	/* -a */
static unsigned int g_pause_ms;		/* -p */

/* --- templates ------------------------------------------------------------ */

struct fz {
	struct rng r;
	struct target *t;
	uint32_t seq;
};

static void put_sel(struct fz *f, struct mb *b)
{
	char junk[40];

	switch (rnd(&f->r, 40)) {
	case 0:
		break;				/* none */
	case 1:
		put_u32(b, ZEQ_A_IFINDEX, f->t->ifindex);
		put_strz(b, ZEQ_A_IFNAME, f->t->ifname);
		break;
	case 2:
		put_u32(b, ZEQ_A_IFINDEX, 1);	/* lo */
		break;
	case 3:
		put_u32(b, ZEQ_A_IFINDEX, interesting32(&f->r));
		break;
	case 4:
		put_strz(b, ZEQ_A_IFNAME, "lo");
		break;
	case 5:
		rnd_bytes(&f->r, junk, sizeof(junk));
		put(b, ZEQ_A_IFNAME, junk, rnd(&f->r, sizeof(junk) + 1));
		break;
	case 6:
		put_strz(b, ZEQ_A_IFNAME, f->t->ifname);
		put_u32(b, ZEQ_A_IFINDEX, g_t[rnd(&f->r, g_nt)].ifindex);
		break;
	default:
		if (chance(&f->r, 50))
			put_u32(b, ZEQ_A_IFINDEX, f->t->ifindex);
		else
			put_strz(b, ZEQ_A_IFNAME, f->t->ifname);
	}
}

static uint32_t pick_peer_id(struct fz *f)
{
	switch (rnd(&f->r, 24)) {
	case 0:
		return 0;
	case 1:
		return interesting32(&f->r);
	case 2:
		return ZEQ_PEER_ID_MAX;
	case 3:
		return 1 + rnd(&f->r, ZEQ_PEER_ID_MAX);
	case 4:
		return RACER_PEER0 + rnd(&f->r, 8);
	default:
		return 1 + rnd(&f->r, POOL_PEERS);
	}
}

static uint32_t pick_key_id(struct fz *f)
{
	switch (rnd(&f->r, 16)) {
	case 0:
		return 0;
	case 1:
		return interesting32(&f->r);
	case 2:
		return (uint32_t)rnd64(&f->r);
	default:
		return 1 + rnd(&f->r, POOL_KEYS);
	}
}

static uint8_t pick_slot(struct fz *f)
{
	return chance(&f->r, 90) ? (uint8_t)rnd(&f->r, 3) :
				   (uint8_t)interesting32(&f->r);
}

static uint16_t pick_port(struct fz *f)
{
	switch (rnd(&f->r, 6)) {
	case 0:
		return 0;
	case 1:
		return (uint16_t)rnd64(&f->r);
	case 2:
		return 51901;
	case 3:
		return 51902;
	default:
		return (uint16_t)(52000 + rnd(&f->r, 64));
	}
}

static void put_endpoint(struct fz *f, struct mb *b)
{
	uint8_t a[16] = { 0 };

	if (chance(&f->r, 60)) {
		switch (rnd(&f->r, 5)) {
		case 0:
			rnd_bytes(&f->r, a, 4);
			break;
		case 1:
			inet_pton(AF_INET, "127.0.0.1", a);
			break;
		default:
			inet_pton(AF_INET, rnd(&f->r, 2) ? "192.168.241.1" :
				  "192.168.241.2", a);
		}
		if (!chance(&f->r, 3))
			put(b, ZEQ_A_PEER_ENDPOINT_IPV4, a, 4);
	} else {
		switch (rnd(&f->r, 5)) {
		case 0:
			rnd_bytes(&f->r, a, 16);
			break;
		case 1:
			inet_pton(AF_INET6, "::1", a);
			break;
		case 2:
			inet_pton(AF_INET6, "fe80::1", a);
			break;
		default:
			inet_pton(AF_INET6, rnd(&f->r, 2) ? "fd00:241::1" :
				  "fd00:241::2", a);
		}
		if (!chance(&f->r, 3))
			put(b, ZEQ_A_PEER_ENDPOINT_IPV6, a, 16);
	}
	if (!chance(&f->r, 3))
		put_u16(b, ZEQ_A_PEER_ENDPOINT_PORT, pick_port(f));
}

static void put_aip(struct fz *f, struct mb *b)
{
	bool v6 = chance(&f->r, 40);
	unsigned int alen = v6 ? 16 : 4, bits = alen * 8, cidr, i;
	uint8_t a[16] = { 0 };
	size_t n;

	switch (rnd(&f->r, 8)) {
	case 0:
		cidr = bits;		/* the tunnel's own addresses */
		inet_pton(v6 ? AF_INET6 : AF_INET,
			  v6 ? (rnd(&f->r, 2) ? "fd00::1" : "fd00::2") :
			       (rnd(&f->r, 2) ? "10.0.0.1" : "10.0.0.2"), a);
		break;
	case 1:
		cidr = 0;
		break;
	default:
		cidr = rnd(&f->r, bits + 1);
		rnd_bytes(&f->r, a, alen);
		if (!v6)
			a[0] = 10;
		else
			a[0] = 0xfd;
		for (i = cidr; i < bits; i++)	/* clear the host bits */
			a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	}
	if (chance(&f->r, 3))			/* host bits set */
		a[alen - 1] |= 1;
	n = nest(b, ZEQ_A_PEER_ALLOWED_IP);
	if (!chance(&f->r, 2))
		put_u16(b, ZEQ_A_AIP_FAMILY, chance(&f->r, 2) ?
			(uint16_t)interesting32(&f->r) : v6 ? AF_INET6 : AF_INET);
	if (!chance(&f->r, 2))
		put(b, ZEQ_A_AIP_ADDR, a, chance(&f->r, 2) ? 20 - alen : alen);
	if (!chance(&f->r, 2))
		put_u8(b, ZEQ_A_AIP_CIDR, chance(&f->r, 2) ?
		       (uint8_t)interesting32(&f->r) : (uint8_t)cidr);
	nest_end(b, n);
}

static void tmpl_peer(struct fz *f, struct mb *b, bool set)
{
	unsigned int naips, i;
	size_t p;

	put_sel(f, b);
	p = nest(b, ZEQ_A_PEER);
	put_u32(b, ZEQ_A_PEER_ID, pick_peer_id(f));
	if (chance(&f->r, 50))
		put_endpoint(f, b);
	if (chance(&f->r, 30))
		put_u16(b, ZEQ_A_PEER_KEEPALIVE, chance(&f->r, 90) ?
			(uint16_t)rnd(&f->r, ZEQ_KEEPALIVE_MAX + 1) :
			(uint16_t)interesting32(&f->r));
	if (chance(&f->r, set ? 30 : 5))
		put(b, ZEQ_A_PEER_REPLACE_ALLOWED_IPS, NULL, 0);
	if (chance(&f->r, 15))
		put_u8(b, ZEQ_A_PEER_COVER, (uint8_t)rnd(&f->r, ZEQ_COVER_MAX + 2));
	if (chance(&f->r, 15))	/* at most 50/s */
		put_u32(b, ZEQ_A_PEER_COVER_RATE, chance(&f->r, 90) ?
			rnd(&f->r, 50001) : interesting32(&f->r));
	switch (rnd(&f->r, 10)) {
	case 0:
		naips = 41 + rnd(&f->r, 260);
		break;
	case 1:
	case 2:
	case 3:
		naips = 4 + rnd(&f->r, 37);
		break;
	default:
		naips = rnd(&f->r, 4);
	}
	for (i = 0; i < naips; i++)
		put_aip(f, b);
	nest_end(b, p);
}

static void tmpl_keyconf(struct fz *f, struct mb *b, uint8_t cmd)
{
	uint8_t key[ZEQ_KEY_LEN], salt[ZEQ_SALT_LEN];
	size_t k;

	put_sel(f, b);
	k = nest(b, ZEQ_A_KEYCONF);
	put_u32(b, ZEQ_A_KEYCONF_PEER_ID, pick_peer_id(f));
	if (cmd == ZEQ_CMD_KEY_DEL) {
		put_u8(b, ZEQ_A_KEYCONF_SLOT, pick_slot(f));
	} else if (cmd == ZEQ_CMD_KEY_NEW) {
		if (chance(&f->r, 50))
			put_u8(b, ZEQ_A_KEYCONF_SLOT, chance(&f->r, 90) ?
			       ZEQ_KEY_SLOT_NEXT : pick_slot(f));
		put_u32(b, ZEQ_A_KEYCONF_KEY_ID, pick_key_id(f));
		if (chance(&f->r, 50))
			put_u32(b, ZEQ_A_KEYCONF_REMOTE_KEY_ID, pick_key_id(f));
		rnd_bytes(&f->r, key, sizeof(key));
		put(b, ZEQ_A_KEYCONF_TX_KEY, key, sizeof(key));
		rnd_bytes(&f->r, salt, sizeof(salt));
		put(b, ZEQ_A_KEYCONF_TX_SALT, salt, sizeof(salt));
		if (!chance(&f->r, 2))		/* else the same key twice */
			rnd_bytes(&f->r, key, sizeof(key));
		put(b, ZEQ_A_KEYCONF_RX_KEY, key, sizeof(key));
		rnd_bytes(&f->r, salt, sizeof(salt));
		put(b, ZEQ_A_KEYCONF_RX_SALT, salt, sizeof(salt));
	}
	nest_end(b, k);
}

/* Cover, padding and obfuscation for DEV_SET: mostly valid, low rates. */
static void tmpl_dev_obfs(struct fz *f, struct mb *b)
{
	size_t n;
	unsigned int i, k;

	if (chance(&f->r, 20))
		put_u8(b, ZEQ_A_COVER, chance(&f->r, 90) ?
		       (uint8_t)rnd(&f->r, 2) : (uint8_t)interesting32(&f->r));
	if (chance(&f->r, 20))	/* at most 50/s: the VM must keep up */
		put_u32(b, ZEQ_A_COVER_RATE, chance(&f->r, 90) ?
			rnd(&f->r, 50001) : interesting32(&f->r));
	if (chance(&f->r, 20)) {
		n = nest(b, ZEQ_A_PADDING);
		if (!chance(&f->r, 10))
			put_u8(b, ZEQ_A_PADDING_MODE,
			       (uint8_t)rnd(&f->r, ZEQ_PADDING_MAX + 2));
		k = chance(&f->r, 50) ? rnd(&f->r, ZEQ_PAD_BUCKETS_MAX + 2) : 0;
		for (i = 0; i < k; i++)
			put_u16(b, ZEQ_A_PADDING_BUCKET, chance(&f->r, 80) ?
				(uint16_t)(64 * (i + 1) + rnd(&f->r, 64)) :
				(uint16_t)interesting32(&f->r));
		if (chance(&f->r, 40))
			put_u8(b, ZEQ_A_PADDING_DIST,
			       (uint8_t)rnd(&f->r, ZEQ_PAD_DIST_MAX + 2));
		if (chance(&f->r, 40))
			put_u16(b, ZEQ_A_PADDING_RANDOM_MAX,
				(uint16_t)rnd(&f->r, ZEQ_PAD_RANDOM_MAX + 2));
		if (chance(&f->r, 30))
			put_u16(b, ZEQ_A_PADDING_RANDOM_MEAN,
				(uint16_t)rnd(&f->r, 600));
		if (chance(&f->r, 30))
			put_u16(b, ZEQ_A_PADDING_OVERHEAD_CAP,
				(uint16_t)rnd(&f->r, ZEQ_PAD_OVERHEAD_CAP_MAX + 2));
		nest_end(b, n);
	}
	if (chance(&f->r, 20)) {
		uint8_t key[ZEQ_HP_KEY_LEN];

		n = nest(b, ZEQ_A_OBFS);
		if (chance(&f->r, 40))
			put_u8(b, ZEQ_A_OBFS_JUNK_COUNT,
			       (uint8_t)rnd(&f->r, ZEQ_JUNK_COUNT_MAX + 2));
		if (chance(&f->r, 40))
			put_u16(b, ZEQ_A_OBFS_JUNK_MIN, (uint16_t)rnd(&f->r, 200));
		if (chance(&f->r, 40))
			put_u16(b, ZEQ_A_OBFS_JUNK_MAX,
				(uint16_t)rnd(&f->r, ZEQ_JUNK_SIZE_MAX + 2));
		if (chance(&f->r, 40))
			put_u8(b, ZEQ_A_OBFS_PREFIX_MIN, (uint8_t)rnd(&f->r, 70));
		if (chance(&f->r, 40))
			put_u8(b, ZEQ_A_OBFS_PREFIX_MAX, (uint8_t)rnd(&f->r, 70));
		if (chance(&f->r, 30))
			put_u32(b, ZEQ_A_OBFS_TYPE_DATA_MIN, interesting32(&f->r));
		if (chance(&f->r, 30))
			put_u32(b, ZEQ_A_OBFS_TYPE_DATA_MAX, interesting32(&f->r));
		if (chance(&f->r, 30))
			put_u32(b, ZEQ_A_OBFS_TYPE_JUNK_MIN, rnd(&f->r, 100));
		if (chance(&f->r, 30))
			put_u32(b, ZEQ_A_OBFS_TYPE_JUNK_MAX, rnd(&f->r, 100));
		if (chance(&f->r, 30))
			put_u8(b, ZEQ_A_OBFS_HEADER_PROTECTION,
			       (uint8_t)rnd(&f->r, 3));
		if (chance(&f->r, 30)) {
			rnd_bytes(&f->r, key, sizeof(key));
			put(b, ZEQ_A_OBFS_HP_KEY, key, chance(&f->r, 90) ?
			    sizeof(key) : rnd(&f->r, sizeof(key) + 2));
		}
		if (chance(&f->r, 5))	/* read only: refused */
			put(b, ZEQ_A_OBFS_DIGEST, key, ZEQ_OBFS_DIGEST_LEN);
		nest_end(b, n);
	}
}

/* A valid (mostly) request for cmd; returns its nlmsg flags. */
static uint16_t tmpl(struct fz *f, struct mb *b, uint8_t cmd)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	size_t p;

	msg_start(b, g_family, 0, cmd, ++f->seq);
	switch (cmd) {
	case ZEQ_CMD_DEV_GET:
		if (chance(&f->r, 50)) {
			flags |= NLM_F_DUMP;
			if (chance(&f->r, 20))
				put_sel(f, b);
		} else {
			put_sel(f, b);
		}
		break;
	case ZEQ_CMD_DEV_SET:
		put_sel(f, b);
		if (chance(&f->r, 40))
			put_u16(b, ZEQ_A_LISTEN_PORT, pick_port(f));
		if (chance(&f->r, 40))
			put_u32(b, ZEQ_A_FWMARK, chance(&f->r, 50) ? 0 :
				interesting32(&f->r));
		if (chance(&f->r, 40))
			put_u32(b, ZEQ_A_KEY_MAX_AGE, chance(&f->r, 70) ?
				ZEQ_KEY_MAX_AGE_MIN + rnd(&f->r,
				ZEQ_KEY_MAX_AGE_MAX - ZEQ_KEY_MAX_AGE_MIN + 1) :
				interesting32(&f->r));
		tmpl_dev_obfs(f, b);
		break;
	case ZEQ_CMD_PEER_NEW:
	case ZEQ_CMD_PEER_SET:
		tmpl_peer(f, b, cmd == ZEQ_CMD_PEER_SET);
		break;
	case ZEQ_CMD_PEER_GET:
		put_sel(f, b);
		if (chance(&f->r, 50)) {
			flags |= NLM_F_DUMP;
			break;
		}
		/* fall through */
	case ZEQ_CMD_PEER_DEL:
		if (cmd == ZEQ_CMD_PEER_DEL)
			put_sel(f, b);
		p = nest(b, ZEQ_A_PEER);
		put_u32(b, ZEQ_A_PEER_ID, pick_peer_id(f));
		nest_end(b, p);
		break;
	case ZEQ_CMD_KEY_NEW:
	case ZEQ_CMD_KEY_SWAP:
	case ZEQ_CMD_KEY_DEL:
		tmpl_keyconf(f, b, cmd);
		break;
	}
	set16(b->p + 6, flags);
	msg_end(b);
	return flags;
}

/* --- random attributes --------------------------------------------------- */

static size_t rand_len(struct rng *r)
{
	static const size_t v[] = { 0, 1, 2, 3, 4, 4, 4, 5, 8, 8, 12, 16, 16,
				    20, 32, 33 };

	switch (rnd(r, 20)) {
	case 0:
		return rnd(r, 512);
	case 1:
		return rnd(r, 3000);
	case 2:
	case 3:
		return rnd(r, 64);
	default:
		return v[rnd(r, sizeof(v) / sizeof(v[0]))];
	}
}

static uint16_t rand_type(struct rng *r, int depth)
{
	switch (rnd(r, 20)) {
	case 0:
		return (uint16_t)rnd64(r);
	case 1:
		return (uint16_t)interesting32(r);
	case 2:
		return (uint16_t)(rnd(r, 20) | NLA_F_NET_BYTEORDER);
	default:
		return (uint16_t)rnd(r, depth ? 17 : ZEQ_A_MAX + 3);
	}
}

/* One random attribute, a nest with random children now and then. */
static void rand_attr(struct rng *r, struct mb *b, int depth)
{
	uint8_t v[8];
	size_t n, len;
	uint32_t x;
	int i, kids;

	if (depth < 5 && chance(r, 25)) {
		uint16_t type = rand_type(r, depth);

		n = put(b, chance(r, 80) ? type | NLA_F_NESTED :
			type & (uint16_t)~NLA_F_NESTED, NULL, 0);
		if (n == NO_ATTR)
			return;
		kids = (int)rnd(r, 6);
		for (i = 0; i < kids; i++)
			rand_attr(r, b, depth + 1);
		nest_end(b, n);
		return;
	}
	len = rand_len(r);
	if (len <= 8 && chance(r, 50)) {
		x = interesting32(r);
		memset(v, 0, sizeof(v));
		memcpy(v, &x, sizeof(x));
		put(b, rand_type(r, depth) & (uint16_t)~NLA_F_NESTED, v, len);
	} else {
		put_raw(b, r, rand_type(r, depth) & (uint16_t)~NLA_F_NESTED,
			NULL, len);
	}
}

static uint16_t rand_msg(struct fz *f, struct mb *b)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t cmd;
	int i, n;

	switch (rnd(&f->r, 4)) {
	case 0:
		cmd = (uint8_t)rnd64(&f->r);
		break;
	default:
		cmd = (uint8_t)rnd(&f->r, ZEQ_CMD_MAX + 3);
	}
	if (chance(&f->r, 20))
		flags |= NLM_F_DUMP;
	msg_start(b, g_family, flags, cmd, ++f->seq);
	if (chance(&f->r, 60))
		put_sel(f, b);
	n = (int)rnd(&f->r, 8);
	for (i = 0; i < n; i++)
		rand_attr(&f->r, b, 0);
	msg_end(b);
	return flags;
}

/* --- mutations -------------------------------------------------------- */

struct aref {
	uint32_t off;
	int16_t parent;
};

struct aidx {
	struct aref a[MAX_ATTRS];
	int n;
};

static void index_range(const uint8_t *p, size_t start, size_t end,
			int parent, int depth, struct aidx *ix)
{
	size_t off = start;

	while (off + NLA_HDRLEN <= end && ix->n < MAX_ATTRS) {
		uint16_t len = get16(p + off), type = get16(p + off + 2);
		int me;

		if (len < NLA_HDRLEN || len > end - off)
			return;
		me = ix->n++;
		ix->a[me].off = (uint32_t)off;
		ix->a[me].parent = (int16_t)parent;
		if ((type & NLA_F_NESTED) && depth < 16)
			index_range(p, off + NLA_HDRLEN, off + len, me,
				    depth + 1, ix);
		off += NLA_ALIGN(len);
	}
}

static void index_msg(const struct mb *m, struct aidx *ix)
{
	size_t end = get32(m->p);

	ix->n = 0;
	if (end > m->len)
		end = m->len;
	if (end > ATTR_START)
		index_range(m->p, ATTR_START, end, -1, 0, ix);
}

/* Inserts n bytes at "at", inside the nest ix->a[parent] (-1: top level). */
static bool grow(struct mb *m, const struct aidx *ix, int parent, size_t at,
		 const uint8_t *data, size_t n)
{
	int a;

	if (m->len + n > m->cap || at > m->len)
		return false;
	for (a = parent; a >= 0; a = ix->a[a].parent)
		if (get16(m->p + ix->a[a].off) + n > 0xffff)
			return false;
	memmove(m->p + at + n, m->p + at, m->len - at);
	memcpy(m->p + at, data, n);
	for (a = parent; a >= 0; a = ix->a[a].parent)
		set16(m->p + ix->a[a].off,
		      (uint16_t)(get16(m->p + ix->a[a].off) + n));
	if (get32(m->p) == m->len)
		set32(m->p, (uint32_t)(m->len + n));
	m->len += n;
	return true;
}

/* Removes attribute i. */
static void drop_attr(struct mb *m, const struct aidx *ix, int i)
{
	size_t at = ix->a[i].off, n = NLA_ALIGN(get16(m->p + at));
	int a;

	if (n > m->len - at)
		n = m->len - at;
	memmove(m->p + at, m->p + at + n, m->len - at - n);
	for (a = ix->a[i].parent; a >= 0; a = ix->a[a].parent) {
		uint16_t l = get16(m->p + ix->a[a].off);

		set16(m->p + ix->a[a].off,
		      (uint16_t)(l >= n + NLA_HDRLEN ? l - n : NLA_HDRLEN));
	}
	if (get32(m->p) == m->len)
		set32(m->p, (uint32_t)(m->len - n));
	m->len -= n;
}

enum {
	M_BITFLIP, M_BYTE, M_NLA_LEN, M_NLA_TYPE, M_DUP, M_DEL, M_INSERT,
	M_TRUNC, M_EXTEND, M_NLMSG_LEN, M_FLAGS, M_CMD, M_GENL, M_PAYLOAD,
	M_COUNT
};

static void mutate(struct fz *f, struct mb *m)
{
	static struct aidx ix;	/* one fuzz thread */
	uint8_t tmp[4096];
	struct mb t = { .p = tmp, .cap = sizeof(tmp) };
	struct rng *r = &f->r;
	uint16_t len, flags;
	size_t off, n;
	int i, op = (int)rnd(r, M_COUNT);

	index_msg(m, &ix);
	if (!ix.n && (op == M_NLA_LEN || op == M_NLA_TYPE || op == M_DUP ||
		      op == M_DEL || op == M_PAYLOAD))
		op = M_INSERT;
	i = ix.n ? (int)rnd(r, (uint32_t)ix.n) : -1;
	switch (op) {
	case M_BITFLIP:
		off = chance(r, 90) && m->len > ATTR_START ?
		      ATTR_START + rnd(r, (uint32_t)(m->len - ATTR_START)) :
		      rnd(r, (uint32_t)m->len);
		m->p[off] ^= (uint8_t)(1 << rnd(r, 8));
		break;
	case M_BYTE:
		off = m->len > ATTR_START ?
		      ATTR_START + rnd(r, (uint32_t)(m->len - ATTR_START)) : 0;
		m->p[off] = (uint8_t)interesting32(r);
		break;
	case M_NLA_LEN:
		off = ix.a[i].off;
		len = get16(m->p + off);
		switch (rnd(r, 8)) {
		case 0:
			len = 0xffff;
			break;
		case 1:
			len = (uint16_t)rnd(r, NLA_HDRLEN + 1);
			break;
		case 2:
			len = (uint16_t)(len + 1 + rnd(r, 8));
			break;
		case 3:
			len = (uint16_t)(len > NLA_HDRLEN ? len - 1U - rnd(r, 4) : len + 4U);
			break;
		case 4:
			len = (uint16_t)(len + 1024 + rnd(r, 8192));
			break;
		default:
			len = (uint16_t)rnd64(r);
		}
		set16(m->p + off, len);
		break;
	case M_NLA_TYPE:
		off = ix.a[i].off + 2;
		switch (rnd(r, 4)) {
		case 0:
			set16(m->p + off, get16(m->p + off) ^ NLA_F_NESTED);
			break;
		case 1:
			set16(m->p + off, get16(m->p + off) ^ NLA_F_NET_BYTEORDER);
			break;
		case 2:
			set16(m->p + off, (uint16_t)((get16(m->p + off) & NLA_F_NESTED) |
						     rnd(r, 20)));
			break;
		default:
			set16(m->p + off, (uint16_t)rnd64(r));
		}
		break;
	case M_DUP:
		off = ix.a[i].off;
		n = NLA_ALIGN(get16(m->p + off));
		if (n <= sizeof(tmp) && off + n <= m->len) {
			memcpy(tmp, m->p + off, n);
			grow(m, &ix, ix.a[i].parent, off + n, tmp, n);
		}
		break;
	case M_DEL:
		drop_attr(m, &ix, i);
		break;
	case M_INSERT:
		rand_attr(r, &t, 0);
		if (i < 0 || chance(r, 20)) {
			grow(m, &ix, -1, chance(r, 50) ? ATTR_START : m->len,
			     tmp, t.len);
		} else if ((get16(m->p + ix.a[i].off + 2) & NLA_F_NESTED) &&
			   chance(r, 50)) {	/* first child of a nest */
			grow(m, &ix, i, ix.a[i].off + NLA_HDRLEN, tmp, t.len);
		} else {			/* after a sibling */
			off = ix.a[i].off + NLA_ALIGN(get16(m->p + ix.a[i].off));
			grow(m, &ix, ix.a[i].parent, off, tmp, t.len);
		}
		break;
	case M_TRUNC:
		n = 1 + rnd(r, (uint32_t)m->len);
		if (chance(r, 70))
			set32(m->p, (uint32_t)n);
		m->len = n;
		break;
	case M_EXTEND:
		n = 1 + rnd(r, 64);
		if (m->len + n <= m->cap) {
			rnd_bytes(r, m->p + m->len, n);
			if (chance(r, 50) && get32(m->p) == m->len)
				set32(m->p, (uint32_t)(m->len + n));
			m->len += n;
		}
		break;
	case M_NLMSG_LEN:
		switch (rnd(r, 6)) {
		case 0:
			set32(m->p, rnd(r, ATTR_START + 1));
			break;
		case 1:
			set32(m->p, (uint32_t)m->len + 1 + rnd(r, 64));
			break;
		case 2:
			set32(m->p, 0xffffffff);
			break;
		default:
			set32(m->p, (uint32_t)(m->len > 1 ? m->len - 1 - rnd(r, 4) : 0));
		}
		break;
	case M_FLAGS:
		flags = get16(m->p + 6);
		switch (rnd(r, 6)) {
		case 0:
		case 1:
			flags ^= NLM_F_DUMP;
			break;
		case 2:
			flags &= (uint16_t)~NLM_F_ACK;
			break;
		case 3:
			flags &= (uint16_t)~NLM_F_REQUEST;
			break;
		case 4:
			flags |= NLM_F_ECHO | NLM_F_EXCL | NLM_F_CREATE;
			break;
		default:
			flags = (uint16_t)(rnd64(r) | NLM_F_REQUEST);
		}
		set16(m->p + 6, flags);
		break;
	case M_CMD:
		m->p[NLMSG_HDRLEN] = chance(r, 80) ?
			(uint8_t)rnd(r, ZEQ_CMD_MAX + 2) : (uint8_t)rnd64(r);
		break;
	case M_GENL:
		m->p[NLMSG_HDRLEN + 1 + rnd(r, 3)] = (uint8_t)rnd64(r);
		break;
	case M_PAYLOAD:		/* an attribute's payload as an interesting value */
		off = ix.a[i].off;
		len = get16(m->p + off);
		if (len >= NLA_HDRLEN + 4 && off + NLA_HDRLEN + 4 <= m->len) {
			set32(m->p + off + NLA_HDRLEN, interesting32(r));
		} else if (len >= NLA_HDRLEN + 1 && off + NLA_HDRLEN + 1 <= m->len) {
			m->p[off + NLA_HDRLEN] = (uint8_t)interesting32(r);
		}
		break;
	}
}

/* --- the fuzz loop ------------------------------------------------------------ */

struct fstats {
	uint64_t messages, datagrams, replies, ok, errors, data, done;
	uint64_t noreply, enobufs, send_errors;
	uint64_t err[MAX_ERRNO];
};

static struct fstats g_fs;

static void count_errno(int err)
{
	g_fs.errors++;
	g_fs.err[err > 0 && err < MAX_ERRNO ? err : 0]++;
}

static void count_replies(const uint8_t *buf, int len)
{
	const struct nlmsghdr *nlh = (const void *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		g_fs.replies++;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				count_errno(EBADMSG);
			else if (e->error == 0)
				g_fs.ok++;
			else
				count_errno(-e->error);
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			int code = 0;

			g_fs.done++;
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(code))
				memcpy(&code, mnl_nlmsg_get_payload(nlh),
				       sizeof(code));
			if (code < 0)
				count_errno(-code);
		} else {
			g_fs.data++;
		}
	}
}

/* Reads every reply queued on fd (dumps continue as we read). */
static int drain(int fd)
{
	static uint8_t buf[RX_LEN] __attribute__((aligned(8)));
	uint64_t before = g_fs.replies;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == ENOMEM) {
				g_fs.enobufs++;
				continue;
			}
			fprintf(stderr, "%s: recv: %s\n", prog, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		count_replies(buf, (int)(n > (ssize_t)sizeof(buf) ? (ssize_t)sizeof(buf) : n));
	}
	if (g_fs.replies == before)
		g_fs.noreply++;
	return 0;
}

/* One message into m: random, or a template, mutated most of the time. */
static void gen_message(struct fz *f, struct mb *m)
{
	static const uint8_t cmds[] = {
		ZEQ_CMD_DEV_GET, ZEQ_CMD_DEV_SET, ZEQ_CMD_DEV_SET,
		ZEQ_CMD_PEER_NEW, ZEQ_CMD_PEER_NEW, ZEQ_CMD_PEER_NEW,
		ZEQ_CMD_PEER_SET, ZEQ_CMD_PEER_SET, ZEQ_CMD_PEER_GET,
		ZEQ_CMD_PEER_GET, ZEQ_CMD_PEER_DEL, ZEQ_CMD_KEY_NEW,
		ZEQ_CMD_KEY_NEW, ZEQ_CMD_KEY_NEW, ZEQ_CMD_KEY_SWAP,
		ZEQ_CMD_KEY_SWAP, ZEQ_CMD_KEY_DEL, ZEQ_CMD_KEY_DEL,
	};
	unsigned int k;

	if (chance(&f->r, 12)) {
		rand_msg(f, m);
	} else {
		tmpl(f, m, cmds[rnd(&f->r, sizeof(cmds))]);
		if (chance(&f->r, 80)) {
			mutate(f, m);
			for (k = 0; k < 4 && chance(&f->r, 40); k++)
				mutate(f, m);
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fuzz(uint64_t count, uint64_t seed)
{
	static uint8_t mbuf[MSG_MAX] __attribute__((aligned(8)));
	static uint8_t dgram[DGRAM_MAX] __attribute__((aligned(8)));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct fz f = { .r = { seed } };
	struct mb m = { .p = mbuf, .cap = sizeof(mbuf) };
	uint64_t next_report = count / 10;
	double t0 = now();

	while (g_fs.messages < count) {
		unsigned int nmsg = 1, k;
		size_t dlen = 0;

		f.t = &g_t[rnd(&f.r, g_nt)];
		if (chance(&f.r, 8))
			nmsg = 2 + rnd(&f.r, 2);
		if (nmsg > count - g_fs.messages)
			nmsg = (unsigned int)(count - g_fs.messages);
		for (k = 0; k < nmsg; k++) {
			gen_message(&f, &m);
			memcpy(dgram + dlen, m.p, m.len);
			memset(dgram + dlen + m.len, 0, NLMSG_ALIGN(m.len) - m.len);
			dlen += k + 1 < nmsg ? NLMSG_ALIGN(m.len) : m.len;
		}
		g_fs.messages += nmsg;
		g_fs.datagrams++;
		if (sendto(f.t->fd, dgram, dlen, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel)) < 0) {
			if (errno != ENOBUFS && errno != ENOMEM && errno != EAGAIN &&
			    errno != EINTR && errno != EMSGSIZE) {
				fprintf(stderr, "%s: sendto: %s\n", prog,
					strerror(errno));
				return -1;
			}
			g_fs.send_errors++;
		}
		if (drain(f.t->fd) < 0)
			return -1;
		if (g_fs.messages >= next_report && next_report) {
			fprintf(stderr, "%s: %" PRIu64 "/%" PRIu64
				" messages, %.0f s\n", prog, g_fs.messages,
				count, now() - t0);
			next_report += count / 10;
		}
	}
	return 0;
}

/* --- legitimate requests (racers, keeper) ------------------------------ */

static const char *errname(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "?";
}

struct tstats {
	uint64_t ops, ok, unexpected, rounds, rounds_ok;
	uint64_t dumps, dump_msgs, dump_cont, dump_bad;
};

static pthread_mutex_t g_report_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int g_reported;

/* errno of a request (0: success) from a list of expected ones, or report. */
static int expect(struct tstats *s, const char *who, const char *what,
		  const struct target *t, int ret, const struct znl_err *e,
		  const int *ok_errs)
{
	int err = ret < 0 ? e->err : 0;

	s->ops++;
	if (!err) {
		s->ok++;
		return 0;
	}
	for (; *ok_errs; ok_errs++)
		if (err == *ok_errs)
			return err;
	s->unexpected++;
	pthread_mutex_lock(&g_report_lock);
	if (g_reported++ < MAX_UNEXPECTED)
		printf("%s: %s: unexpected error: %s on %s: %s (%s)\n", prog,
		       who, what, t->spec, errname(err), znl_strerror(e));
	pthread_mutex_unlock(&g_report_lock);
	return err;
}

#define ERRS(...) ((const int[]){ __VA_ARGS__, 0 })
#define E_ANY ENOMEM, ENOBUFS

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static struct nlmsghdr *req(struct znl *nl, char *buf, uint8_t cmd,
			    const struct target *t)
{
	struct nlmsghdr *nlh = znl_msg(nl, buf, cmd, 0);

	zeq_put_dev_sel(nlh, ZNL_BUF_LEN, 0, t->ifname);
	return nlh;
}

static int talk(struct znl *nl, struct nlmsghdr *nlh, struct znl_err *e)
{
	return znl_talk(nl, nlh, noop_cb, NULL, e);
}

static void rand_keyconf(struct rng *r, struct zeq_keyconf *k, uint32_t peer,
			 uint32_t key_id)
{
	memset(k, 0, sizeof(*k));
	k->peer_id = peer;
	k->slot = ZEQ_KEY_SLOT_NEXT;
	k->key_id = k->remote_key_id = key_id;
	rnd_bytes(r, k->tx_key, sizeof(k->tx_key));
	rnd_bytes(r, k->rx_key, sizeof(k->rx_key));
	rnd_bytes(r, k->tx_salt, sizeof(k->tx_salt));
	rnd_bytes(r, k->rx_salt, sizeof(k->rx_salt));
	k->has = ZEQ_BIT(ZEQ_A_KEYCONF_PEER_ID) | ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
		 ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) |
		 ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID) |
		 ZEQ_BIT(ZEQ_A_KEYCONF_TX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_TX_SALT) |
		 ZEQ_BIT(ZEQ_A_KEYCONF_RX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_RX_SALT);
}

static int key_new(struct znl *nl, const struct target *t,
		   const struct zeq_keyconf *k, struct znl_err *e)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = req(nl, buf, ZEQ_CMD_KEY_NEW, t);
	int ret;

	zeq_put_keyconf(nlh, sizeof(buf), ZEQ_A_KEYCONF, k);
	ret = talk(nl, nlh, e);
	memset(buf, 0, sizeof(buf));
	return ret;
}

static int key_op(struct znl *nl, const struct target *t, uint8_t cmd,
		  uint32_t peer, int slot, struct znl_err *e)
{
	struct zeq_keyconf k = { .peer_id = peer };
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = req(nl, buf, cmd, t);

	ZEQ_MARK(&k, ZEQ_A_KEYCONF_PEER_ID);
	if (slot >= 0) {
		k.slot = (uint8_t)slot;
		ZEQ_MARK(&k, ZEQ_A_KEYCONF_SLOT);
	}
	zeq_put_keyconf(nlh, sizeof(buf), ZEQ_A_KEYCONF, &k);
	return talk(nl, nlh, e);
}

static int peer_msg(struct znl *nl, const struct target *t, uint8_t cmd,
		    const struct zeq_peer *p, struct znl_err *e)
{
	static _Thread_local char buf[BIG_MSG];
	struct nlmsghdr *nlh = znl_msg(nl, buf, cmd, 0);

	zeq_put_dev_sel(nlh, sizeof(buf), 0, t->ifname);
	if (!zeq_put_peer(nlh, sizeof(buf), p)) {
		e->err = EMSGSIZE;
		return -1;
	}
	return talk(nl, nlh, e);
}

static int peer_id_op(struct znl *nl, const struct target *t, uint8_t cmd,
		      uint32_t id, struct znl_err *e)
{
	struct zeq_peer p = { .id = id, .has = ZEQ_BIT(ZEQ_A_PEER_ID) };

	return peer_msg(nl, t, cmd, &p, e);
}

/* --- racers -------------------------------------------------------------- */

struct racer {
	pthread_t tid;
	unsigned int n;
	struct rng r;
	uint32_t next_key;
	struct tstats s;
};

/*
 * Adds (set: replaces) peer id with an endpoint and a few allowed IPs, or
 * (big) 1,200 to 2,000: more than one dump message holds, so peer dumps
 * continue the peer in a second message.
 */
static void racer_peer(struct racer *rc, struct target *t, struct znl *nl,
		       uint32_t id, bool set, bool big)
{
	struct zeq_peer p = { .id = id };
	struct zeq_prefix pfx = { .cidr = 32 };
	struct znl_err e;
	unsigned int i, n = big ? g_big - g_big / 3 + rnd(&rc->r, g_big / 3 + 1) :
			    1 + rnd(&rc->r, 3);
	int ret;

	ZEQ_MARK(&p, ZEQ_A_PEER_ID);
	p.endpoint.addr.family = AF_INET;
	p.endpoint.addr.bytes[0] = 192;
	p.endpoint.addr.bytes[1] = 168;
	p.endpoint.addr.bytes[2] = 241;
	p.endpoint.addr.bytes[3] = (uint8_t)(10 + rnd(&rc->r, 200));
	p.endpoint.port = (uint16_t)(52000 + rnd(&rc->r, 100));
	ZEQ_MARK(&p, ZEQ_A_PEER_ENDPOINT_IPV4);
	p.keepalive = (uint16_t)rnd(&rc->r, 26);
	ZEQ_MARK(&p, ZEQ_A_PEER_KEEPALIVE);
	if (set)
		ZEQ_MARK(&p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS);
	for (i = 0; i < n; i++) {
		if (big) {
			pfx.addr.family = AF_INET;
			pfx.cidr = 32;
			pfx.addr.bytes[0] = 10;
			pfx.addr.bytes[1] = (uint8_t)(100 + rc->n);
			pfx.addr.bytes[2] = (uint8_t)rnd(&rc->r, 256);
			pfx.addr.bytes[3] = (uint8_t)rnd(&rc->r, 256);
		} else if (chance(&rc->r, 50)) {
			pfx.addr.family = AF_INET;
			pfx.cidr = 32;
			pfx.addr.bytes[0] = 10;
			pfx.addr.bytes[1] = (uint8_t)(100 + rc->n);
			pfx.addr.bytes[2] = (uint8_t)id;
			pfx.addr.bytes[3] = (uint8_t)rnd(&rc->r, 256);
		} else {
			memset(&pfx, 0, sizeof(pfx));
			pfx.addr.family = AF_INET6;
			pfx.cidr = 128;
			pfx.addr.bytes[0] = 0xfd;
			pfx.addr.bytes[1] = 0x01;
			pfx.addr.bytes[2] = (uint8_t)rc->n;
			pfx.addr.bytes[3] = (uint8_t)id;
			pfx.addr.bytes[15] = (uint8_t)rnd(&rc->r, 256);
		}
		zeq_peer_add_aip(&p, &pfx);
	}
	ret = peer_msg(nl, t, set ? ZEQ_CMD_PEER_SET : ZEQ_CMD_PEER_NEW, &p, &e);
	if (set)
		expect(&rc->s, "racer", "PEER_SET", t, ret, &e,
		       ERRS(ENOENT, ENOSPC, E_ANY));
	else
		expect(&rc->s, "racer", "PEER_NEW", t, ret, &e,
		       ERRS(EEXIST, ENOSPC, E_ANY));
	zeq_peer_free(&p);
}

/*
 * A raw PEER_GET dump, checked: ids ascend, and a message that starts a
 * peer (another id than the message before) carries the whole peer, not
 * only the continuation of one (id and allowed IPs).
 */
struct dumpcheck {
	uint32_t prev;
	uint64_t msgs, cont, bad;
	char why[160];
};

static int dumpcheck_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dumpcheck *dc = data;
	const struct nlattr *a, *peer = NULL;
	bool base = false;
	uint32_t id = 0;

	dc->msgs++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == ZEQ_A_PEER)
			peer = a;
	if (peer)
		mnl_attr_for_each_nested(a, peer) {
			if (mnl_attr_get_type(a) == ZEQ_A_PEER_ID &&
			    mnl_attr_get_payload_len(a) == sizeof(id))
				id = mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == ZEQ_A_PEER_KEEPALIVE)
				base = true;
		}
	if (!id || id < dc->prev || (id != dc->prev && !base)) {
		if (!dc->bad++)
			snprintf(dc->why, sizeof(dc->why),
				 "message %" PRIu64 ": peer %u after peer %u, %s",
				 dc->msgs, id, dc->prev, base ?
				 "whole" : "continuation only (no keepalive, "
				 "keys, stats)");
	}
	dc->cont += id && id == dc->prev;
	dc->prev = id;
	return MNL_CB_OK;
}

static void racer_dump(struct racer *rc, struct target *t, struct znl *nl)
{
	struct dumpcheck dc = { .prev = 0 };
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = znl_msg(nl, buf, ZEQ_CMD_PEER_GET, NLM_F_DUMP);
	struct znl_err e;
	int ret;

	zeq_put_dev_sel(nlh, sizeof(buf), 0, t->ifname);
	ret = znl_talk(nl, nlh, dumpcheck_cb, &dc, &e);
	expect(&rc->s, "racer", "PEER_GET dump", t, ret, &e, ERRS(E_ANY));
	if (ret < 0)
		return;
	rc->s.dumps++;
	rc->s.dump_msgs += dc.msgs;
	rc->s.dump_cont += dc.cont;
	if (!dc.bad)
		return;
	rc->s.dump_bad++;
	pthread_mutex_lock(&g_report_lock);
	if (g_reported++ < MAX_UNEXPECTED)
		printf("%s: racer: inconsistent PEER_GET dump of %s: %s\n",
		       prog, t->spec, dc.why);
	pthread_mutex_unlock(&g_report_lock);
}

static void *racer_main(void *arg)
{
	struct racer *rc = arg;
	struct zeq_dev_info *info;
	struct zeq_device d;
	struct zeq_keyconf k;
	struct znl_err e;
	size_t n;
	int ret;

	while (!atomic_load(&g_stop)) {
		unsigned int ti = rnd(&rc->r, g_nt);
		struct target *t = &g_t[ti];
		struct znl *nl = &t->racer[rc->n];
		uint32_t id = RACER_PEER0 + rnd(&rc->r, 8);

		switch (rnd(&rc->r, 14)) {
		case 0:
		case 1:
			racer_peer(rc, t, nl, id, false, false);
			break;
		case 2:
			racer_peer(rc, t, nl, id, true,
				   g_big && chance(&rc->r, 30));
			break;
		case 12:
			racer_dump(rc, t, nl);
			break;
		case 3:
			ret = peer_id_op(nl, t, ZEQ_CMD_PEER_DEL, id, &e);
			expect(&rc->s, "racer", "PEER_DEL", t, ret, &e,
			       ERRS(ENOENT, E_ANY));
			break;
		case 4:
			ret = zeq_collect(nl, t->ifname, &info, &n, &e);
			expect(&rc->s, "racer", "DEV_GET + PEER_GET dump", t,
			       ret, &e, ERRS(E_ANY));
			if (ret == 0)
				zeq_collect_free(info, n);
			break;
		case 5:
			ret = peer_id_op(nl, t, ZEQ_CMD_PEER_GET, id, &e);
			/* EMSGSIZE: a big peer does not fit one message */
			expect(&rc->s, "racer", "PEER_GET", t, ret, &e,
			       ERRS(ENOENT, EMSGSIZE, E_ANY));
			break;
		case 6:
		case 7:
			rand_keyconf(&rc->r, &k, id, rc->next_key++);
			ret = key_new(nl, t, &k, &e);
			memset(&k, 0, sizeof(k));
			expect(&rc->s, "racer", "KEY_NEW", t, ret, &e,
			       ERRS(ENOENT, EEXIST, EKEYREJECTED, E_ANY));
			break;
		case 8:
			ret = key_op(nl, t, ZEQ_CMD_KEY_SWAP, id, -1, &e);
			expect(&rc->s, "racer", "KEY_SWAP", t, ret, &e,
			       ERRS(ENOENT, E_ANY));
			break;
		case 9:
			ret = key_op(nl, t, ZEQ_CMD_KEY_DEL, id,
				     (int)rnd(&rc->r, 3), &e);
			expect(&rc->s, "racer", "KEY_DEL", t, ret, &e,
			       ERRS(ENOENT, E_ANY));
			break;
		case 10:
			ret = zeq_dev_get(nl, t->ifname, &d, &e);
			expect(&rc->s, "racer", "DEV_GET", t, ret, &e,
			       ERRS(E_ANY));
			break;
		default: {
			struct zeq_device *devs;

			ret = zeq_dev_dump(nl, &devs, &n, &e);
			expect(&rc->s, "racer", "DEV_GET dump", t, ret, &e,
			       ERRS(E_ANY));
			if (ret == 0)
				free(devs);
		}
		}
		if (g_pause_ms) {	/* -p: after each operation */
			struct timespec ts = {
				.tv_sec = g_pause_ms / 1000,
				.tv_nsec = (long)(g_pause_ms % 1000) * 1000000L,
			};

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* --- keeper ----------------------------------------------------------------- */

struct keeper {
	pthread_t tid;
	struct rng r;
	uint32_t next_key;
	struct tstats s;
};

static const struct zeq_peer *snap_peer(const struct target *t, uint32_t id)
{
	for (size_t i = 0; t->n_snap && i < t->snap[0].n_peers; i++)
		if (t->snap[0].peers[i].id == id)
			return &t->snap[0].peers[i];
	return NULL;
}

/*
 * No cover, no padding, the default obfuscation parameters (as a new
 * device has them): what the fuzz turned on is turned off again, so the
 * tunnel's two sides agree and traffic flows.
 */
static void keeper_put_plain(struct nlmsghdr *nlh, size_t buflen)
{
	struct nlattr *n;

	mnl_attr_put_u8(nlh, ZEQ_A_COVER, 0);
	n = zeq_nest_start(nlh, buflen, ZEQ_A_PADDING);
	mnl_attr_put_u8(nlh, ZEQ_A_PADDING_MODE, ZEQ_PADDING_OFF);
	zeq_nest_end(nlh, n);
	n = zeq_nest_start(nlh, buflen, ZEQ_A_OBFS);
	mnl_attr_put_u8(nlh, ZEQ_A_OBFS_JUNK_COUNT, 0);
	mnl_attr_put_u8(nlh, ZEQ_A_OBFS_PREFIX_MIN, 0);
	mnl_attr_put_u8(nlh, ZEQ_A_OBFS_PREFIX_MAX, 0);
	mnl_attr_put_u16(nlh, ZEQ_A_OBFS_JUNK_MIN, ZEQ_JUNK_SIZE_MIN(0));
	mnl_attr_put_u16(nlh, ZEQ_A_OBFS_JUNK_MAX, ZEQ_JUNK_SIZE_MIN(0));
	mnl_attr_put_u32(nlh, ZEQ_A_OBFS_TYPE_DATA_MIN, ZEQ_TYPE_DATA_DEFAULT);
	mnl_attr_put_u32(nlh, ZEQ_A_OBFS_TYPE_DATA_MAX, ZEQ_TYPE_DATA_DEFAULT);
	mnl_attr_put_u32(nlh, ZEQ_A_OBFS_TYPE_JUNK_MIN, ZEQ_TYPE_JUNK_DEFAULT);
	mnl_attr_put_u32(nlh, ZEQ_A_OBFS_TYPE_JUNK_MAX, ZEQ_TYPE_JUNK_DEFAULT);
	mnl_attr_put_u8(nlh, ZEQ_A_OBFS_HEADER_PROTECTION, 0);
	zeq_nest_end(nlh, n);
}

/* Device settings and peers as they were at the start. */
static void keeper_restore(struct keeper *kp, struct target *t)
{
	const struct zeq_device *sd = &t->snap[0].dev;
	struct zeq_device d = { 0 };
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	struct znl_err e;
	int ret;

	d.listen_port = sd->listen_port;
	d.fwmark = sd->fwmark;
	d.key_max_age = sd->key_max_age;
	d.has = ZEQ_BIT(ZEQ_A_LISTEN_PORT) | ZEQ_BIT(ZEQ_A_FWMARK) |
		ZEQ_BIT(ZEQ_A_KEY_MAX_AGE);
	nlh = req(&t->ctl, buf, ZEQ_CMD_DEV_SET, t);
	zeq_put_dev(nlh, sizeof(buf), &d);
	keeper_put_plain(nlh, sizeof(buf));
	ret = talk(&t->ctl, nlh, &e);
	expect(&kp->s, "keeper", "DEV_SET", t, ret, &e,
	       ERRS(EADDRINUSE, E_ANY));

	for (size_t i = 0; i < t->snap[0].n_peers; i++) {
		struct zeq_peer p = t->snap[0].peers[i];

		/* configuration only: no keys, counters, ages */
		p.has &= ZEQ_BIT(ZEQ_A_PEER_ID) | ZEQ_BIT(ZEQ_A_PEER_KEEPALIVE) |
			 ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV4) |
			 ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV6);
		p.n_keys = 0;
		ret = peer_msg(&t->ctl, t, ZEQ_CMD_PEER_NEW, &p, &e);
		expect(&kp->s, "keeper", "PEER_NEW", t, ret, &e,
		       ERRS(EEXIST, ENOSPC, E_ANY));
		ZEQ_MARK(&p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS);
		ret = peer_msg(&t->ctl, t, ZEQ_CMD_PEER_SET, &p, &e);
		expect(&kp->s, "keeper", "PEER_SET", t, ret, &e,
		       ERRS(ENOENT, ENOSPC, E_ANY));
	}
}

/* Fresh keys for peer id on targets a and b (b may be NULL: one side). */
static bool keeper_rekey(struct keeper *kp, struct target *a,
			 struct target *b, uint32_t id)
{
	struct zeq_keyconf ka, kb;
	struct znl_err e;
	bool ok = true;
	int ret;

	rand_keyconf(&kp->r, &ka, id, kp->next_key++);
	if (b) {
		kb = ka;
		kb.key_id = kp->next_key++;
		kb.remote_key_id = ka.key_id;
		ka.remote_key_id = kb.key_id;
		memcpy(kb.tx_key, ka.rx_key, sizeof(kb.tx_key));
		memcpy(kb.rx_key, ka.tx_key, sizeof(kb.rx_key));
		memcpy(kb.tx_salt, ka.rx_salt, sizeof(kb.tx_salt));
		memcpy(kb.rx_salt, ka.tx_salt, sizeof(kb.rx_salt));
	}
	ret = key_op(&a->ctl, a, ZEQ_CMD_KEY_DEL, id, ZEQ_KEY_SLOT_NEXT, &e);
	expect(&kp->s, "keeper", "KEY_DEL next", a, ret, &e, ERRS(ENOENT, E_ANY));
	if (b) {
		ret = key_op(&b->ctl, b, ZEQ_CMD_KEY_DEL, id, ZEQ_KEY_SLOT_NEXT, &e);
		expect(&kp->s, "keeper", "KEY_DEL next", b, ret, &e,
		       ERRS(ENOENT, E_ANY));
	}
	ret = key_new(&a->ctl, a, &ka, &e);
	ok &= !expect(&kp->s, "keeper", "KEY_NEW", a, ret, &e,
		      ERRS(ENOENT, EEXIST, EKEYREJECTED, E_ANY));
	if (b) {
		ret = key_new(&b->ctl, b, &kb, &e);
		ok &= !expect(&kp->s, "keeper", "KEY_NEW", b, ret, &e,
			      ERRS(ENOENT, EEXIST, EKEYREJECTED, E_ANY));
	}
	/* ENOENT: the key went straight to "current" (or the peer went) */
	ret = key_op(&a->ctl, a, ZEQ_CMD_KEY_SWAP, id, -1, &e);
	expect(&kp->s, "keeper", "KEY_SWAP", a, ret, &e, ERRS(ENOENT, E_ANY));
	if (b) {
		ret = key_op(&b->ctl, b, ZEQ_CMD_KEY_SWAP, id, -1, &e);
		expect(&kp->s, "keeper", "KEY_SWAP", b, ret, &e,
		       ERRS(ENOENT, E_ANY));
	}
	memset(&ka, 0, sizeof(ka));
	memset(&kb, 0, sizeof(kb));
	return ok;
}

static void *keeper_main(void *arg)
{
	struct keeper *kp = arg;
	struct timespec pause = { .tv_nsec = 5 * 1000 * 1000 };

	while (!atomic_load(&g_stop)) {
		bool ok = true;

		for (unsigned int i = 0; i < g_nt; i++)
			keeper_restore(kp, &g_t[i]);
		for (unsigned int i = 0; i < g_nt; i++) {
			struct target *t = &g_t[i];

			for (size_t k = 0; k < t->snap[0].n_peers; k++) {
				uint32_t id = t->snap[0].peers[k].id;

				if (i == 0 && g_nt > 1 && snap_peer(&g_t[1], id))
					ok &= keeper_rekey(kp, t, &g_t[1], id);
				else if (i != 1 || !snap_peer(&g_t[0], id))
					ok &= keeper_rekey(kp, t, NULL, id);
			}
		}
		kp->s.rounds++;
		kp->s.rounds_ok += ok;
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/* --- setup ---------------------------------------------------------------------- */

static int enter_ns(const char *ns)
{
	char path[300];
	int fd;

	if (!*ns)
		return 0;
	snprintf(path, sizeof(path), ns[0] == '/' ? "%s" : "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "%s: namespace %s: %s\n", prog, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int fuzz_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, rcv = 4 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "%s: netlink socket: %s\n", prog, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* extended acks; no NETLINK_CAP_ACK: errors echo the whole request */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return fd;
}

/* Sockets and the snapshot of one target, opened in its namespace. */
static int open_target(struct target *t, unsigned int nracers, int home)
{
	struct znl_err e;
	char *end;
	int ret = -1;

	if (enter_ns(t->ns) < 0)
		return -1;
	if (t->ifname[0] >= '0' && t->ifname[0] <= '9') {
		t->ifindex = (uint32_t)strtoul(t->ifname, &end, 10);
		if (*end || !if_indextoname(t->ifindex, t->ifname)) {
			fprintf(stderr, "%s: %s: no such interface index\n",
				prog, t->spec);
			goto out;
		}
	} else {
		t->ifindex = if_nametoindex(t->ifname);
		if (!t->ifindex) {
			fprintf(stderr, "%s: %s: %s\n", prog, t->spec,
				strerror(errno));
			goto out;
		}
	}
	t->fd = fuzz_socket();
	if (t->fd < 0)
		goto out;
	if (zeq_nl_open(&t->ctl, &e) < 0) {
		fprintf(stderr, "%s: %s: family \"%s\": %s\n", prog, t->spec,
			ZEQ_GENL_NAME, znl_strerror(&e));
		goto out;
	}
	g_family = t->ctl.family;
	t->racer = calloc(nracers ? nracers : 1, sizeof(*t->racer));
	if (!t->racer)
		goto out;
	for (unsigned int i = 0; i < nracers; i++)
		if (zeq_nl_open(&t->racer[i], &e) < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, t->spec,
				znl_strerror(&e));
			goto out;
		}
	if (zeq_collect(&t->ctl, t->ifname, &t->snap, &t->n_snap, &e) < 0 ||
	    t->n_snap != 1) {
		fprintf(stderr, "%s: %s: not a zeq device: %s\n", prog, t->spec,
			t->n_snap != 1 ? "not found" : znl_strerror(&e));
		goto out;
	}
	ret = 0;
out:
	if (*t->ns && setns(home, CLONE_NEWNET) < 0) {
		fprintf(stderr, "%s: back to our namespace: %s\n", prog,
			strerror(errno));
		ret = -1;
	}
	return ret;
}

static int usage(void)
{
	fprintf(stderr, "usage: %s [-n COUNT] [-s SEED] [-t THREADS] [-a AIPS] "
		"[-p MS] [-k] [NETNS:]DEV...\n", prog);
	return 2;
}

static uint64_t total(const struct racer *rc, unsigned int n, size_t off)
{
	uint64_t s = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, (const char *)&rc[i].s + off, sizeof(v));
		s += v;
	}
	return s;
}

int main(int argc, char **argv)
{
	uint64_t count = 100000, seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	unsigned int nracers = 2;
	struct keeper kp = { .next_key = 0x40000000 };
	struct racer *rc;
	bool keeper = false;
	double t0, secs;
	int opt, home, ret = 0;
	char *end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "n:s:t:a:p:kh")) != -1) {
		switch (opt) {
		case 'n':
			count = strtoull(optarg, &end, 0);
			if (*end || !count)
				return usage();
			break;
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end)
				return usage();
			break;
		case 't':
			nracers = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || nracers > 64)
				return usage();
			break;
		case 'a':
			g_big = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || g_big > 2000)
				return usage();
			break;
		case 'p':
			g_pause_ms = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || g_pause_ms > 10000)
				return usage();
			break;
		case 'k':
			keeper = true;
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc || argc - optind > MAX_TARGETS)
		return usage();
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		fprintf(stderr, "%s: /proc/self/ns/net: %s\n", prog, strerror(errno));
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		struct target *t = &g_t[g_nt++];
		const char *colon = strchr(argv[i], ':');
		const char *dev = colon ? colon + 1 : argv[i];

		snprintf(t->spec, sizeof(t->spec), "%s", argv[i]);
		if (colon)
			snprintf(t->ns, sizeof(t->ns), "%.*s",
				 (int)(colon - argv[i]), argv[i]);
		if (!*dev || strlen(dev) >= sizeof(t->ifname))
			return usage();
		snprintf(t->ifname, sizeof(t->ifname), "%s", dev);
		if (open_target(t, nracers, home) < 0)
			return 1;
	}

	printf("%s: seed %" PRIu64 ", %" PRIu64 " messages to", prog, seed, count);
	for (unsigned int i = 0; i < g_nt; i++)
		printf(" %s (ifindex %u, %zu peers)", g_t[i].spec, g_t[i].ifindex,
		       g_t[i].snap[0].n_peers);
	printf(", %u racing threads%s\n", nracers, keeper ? ", keeper" : "");

	rc = calloc(nracers ? nracers : 1, sizeof(*rc));
	if (!rc)
		return 1;
	for (unsigned int i = 0; i < nracers; i++) {
		rc[i].n = i;
		rc[i].r.s = seed ^ (0x5bd1e995ULL * (i + 1)) ^ 0xabcdef12345ULL;
		rc[i].next_key = 0x10000000U + (i << 20);
		if (pthread_create(&rc[i].tid, NULL, racer_main, &rc[i])) {
			fprintf(stderr, "%s: pthread_create failed\n", prog);
			return 1;
		}
	}
	kp.r.s = seed ^ 0x4b454550ULL;
	if (keeper && pthread_create(&kp.tid, NULL, keeper_main, &kp)) {
		fprintf(stderr, "%s: pthread_create failed\n", prog);
		return 1;
	}

	t0 = now();
	if (fuzz(count, seed) < 0)
		ret = 1;
	secs = now() - t0;
	atomic_store(&g_stop, true);
	for (unsigned int i = 0; i < nracers; i++)
		pthread_join(rc[i].tid, NULL);
	if (keeper)
		pthread_join(kp.tid, NULL);

	for (unsigned int i = 0; i < g_nt; i++) {
		struct zeq_device d;
		struct znl_err e;

		if (zeq_dev_get(&g_t[i].ctl, g_t[i].ifname, &d, &e) < 0)
			printf("%s: after: %s: DEV_GET failed: %s\n", prog,
			       g_t[i].spec, znl_strerror(&e));
		else
			printf("%s: after: %s: listen port %u, %u peers\n", prog,
			       g_t[i].spec, d.listen_port, d.peer_count);
	}
	printf("%s: errors:", prog);
	for (int i = 0; i < MAX_ERRNO; i++)
		if (g_fs.err[i])
			printf(" %s=%" PRIu64, i ? errname(i) : "other",
			       g_fs.err[i]);
	printf("\n");
	printf("%s: summary messages=%" PRIu64 " datagrams=%" PRIu64
	       " replies=%" PRIu64 " ok=%" PRIu64 " errors=%" PRIu64
	       " data=%" PRIu64 " done=%" PRIu64 " noreply=%" PRIu64
	       " enobufs=%" PRIu64 " send_errors=%" PRIu64
	       " racer_ops=%" PRIu64 " racer_ok=%" PRIu64
	       " racer_unexpected=%" PRIu64 " racer_dumps=%" PRIu64
	       " racer_dump_msgs=%" PRIu64 " racer_dump_cont=%" PRIu64
	       " racer_dump_bad=%" PRIu64
	       " keeper_rounds=%" PRIu64
	       " keeper_ok=%" PRIu64 " keeper_unexpected=%" PRIu64
	       " seconds=%.0f\n", prog,
	       g_fs.messages, g_fs.datagrams, g_fs.replies, g_fs.ok,
	       g_fs.errors, g_fs.data, g_fs.done, g_fs.noreply, g_fs.enobufs,
	       g_fs.send_errors,
	       total(rc, nracers, offsetof(struct tstats, ops)),
	       total(rc, nracers, offsetof(struct tstats, ok)),
	       total(rc, nracers, offsetof(struct tstats, unexpected)),
	       total(rc, nracers, offsetof(struct tstats, dumps)),
	       total(rc, nracers, offsetof(struct tstats, dump_msgs)),
	       total(rc, nracers, offsetof(struct tstats, dump_cont)),
	       total(rc, nracers, offsetof(struct tstats, dump_bad)),
	       kp.s.rounds, kp.s.rounds_ok, kp.s.unexpected, secs);
	return ret;
}
