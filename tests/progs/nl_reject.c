// SPDX-License-Identifier: MIT
/*
 * nl_reject - feeds the "zeq" family malformed and out-of-range requests
 * and checks that each is refused without side effects. Run as root in
 * the test VM:
 *
 *   nl_reject DEV          DEV has peer 1 (allowed-ips 10.0.0.2/32,
 *                          endpoint 192.168.241.2:51900) and a current
 *                          key id 1, nothing else; a DEV without peers
 *                          is given exactly that first
 *   nl_reject --eperm DEV  as an unprivileged user: every command and
 *                          joining the "events" group fail with EPERM
 *
 * For each request: the kernel answers an error from the expected set, with
 * an extended ack message (unless the genetlink core itself refuses it, e.g.
 * an unknown command), and DEV_GET + PEER_GET output minus counters and ages
 * is byte-identical before and after. Output is TAP, ending in
 * "# N passed, N failed"; exit status 1 on any failure.
 */
#define _GNU_SOURCE		/* strerrorname_np, open_memstream */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "nl.h"
#include "zeq_attrs.h"
#include "zeq_query.h"

#define BUFLEN		8192
#define NEW_ID		0x7ffffffdU	/* a peer id that is free */
#define MISSING_ID	0x7ffffffeU	/* a peer id that does not exist */
#define FREE_KEY_ID	0x7ffff00dU	/* a key id that is free */
#define NO_DEV		"zeqnoexist9"
#define MAX_ERRS	4

static struct znl g_nl;
static const char *g_dev;
static uint32_t g_lo_ifindex;
static int g_n, g_pass, g_fail;

/* --- message helpers ---------------------------------------------------- */

#define C(name) static void name(struct nlmsghdr *n)

static void sel(struct nlmsghdr *n)
{
	mnl_attr_put_strz(n, ZEQ_A_IFNAME, g_dev);
}

static struct nlattr *nest(struct nlmsghdr *n, uint16_t type)
{
	return zeq_nest_start(n, BUFLEN, type);
}

static void end(struct nlmsghdr *n, struct nlattr *a)
{
	mnl_attr_nest_end(n, a);
}

static void raw(struct nlmsghdr *n, uint16_t type, size_t len)
{
	static const uint8_t junk[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	mnl_attr_put(n, type, len, junk);
}

/* Device selector plus an open ZEQ_A_PEER nest with the given id. */
static struct nlattr *peer(struct nlmsghdr *n, uint32_t id)
{
	struct nlattr *p;

	sel(n);
	p = nest(n, ZEQ_A_PEER);
	mnl_attr_put_u32(n, ZEQ_A_PEER_ID, id);
	return p;
}

/* One allowed-ip nest from its parts; alen/cidr as given, not checked. */
static void aip_raw(struct nlmsghdr *n, uint16_t family, const char *addr,
		    size_t alen, uint8_t cidr)
{
	uint8_t bytes[16] = { 0 };
	struct nlattr *a;

	inet_pton(strchr(addr, ':') ? AF_INET6 : AF_INET, addr, bytes);
	a = nest(n, ZEQ_A_PEER_ALLOWED_IP);
	mnl_attr_put_u16(n, ZEQ_A_AIP_FAMILY, family);
	mnl_attr_put(n, ZEQ_A_AIP_ADDR, alen, bytes);
	mnl_attr_put_u8(n, ZEQ_A_AIP_CIDR, cidr);
	end(n, a);
}

static void aip4(struct nlmsghdr *n, const char *addr, uint8_t cidr)
{
	aip_raw(n, AF_INET, addr, 4, cidr);
}

static void endpoint4(struct nlmsghdr *n, uint16_t port)
{
	uint8_t a[4] = { 192, 168, 241, 99 };

	mnl_attr_put(n, ZEQ_A_PEER_ENDPOINT_IPV4, 4, a);
	mnl_attr_put_u16(n, ZEQ_A_PEER_ENDPOINT_PORT, port);
}

/* A KEY_NEW keyconf; start from KN and change one thing. */
struct knew {
	uint32_t peer, key_id, remote_id;
	uint8_t slot;
	int txk, txs, rxk, rxs;		/* lengths; -1 leaves it out */
	bool no_peer, no_key_id, no_slot, slot_u32;
	int extra;			/* extra attribute type, 0 none */
	bool no_nested_flag;
};
static const struct knew KN = {
	.peer = 1, .key_id = FREE_KEY_ID, .remote_id = FREE_KEY_ID,
	.slot = ZEQ_KEY_SLOT_NEXT,
	.txk = ZEQ_KEY_LEN, .txs = ZEQ_SALT_LEN,
	.rxk = ZEQ_KEY_LEN, .rxs = ZEQ_SALT_LEN,
};

static void put_random(struct nlmsghdr *n, uint16_t type, int len)
{
	uint8_t b[64];

	if (len < 0)
		return;
	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		memset(b, 0x5a, sizeof(b));
	mnl_attr_put(n, type, (size_t)len, b);
}

static void key_new(struct nlmsghdr *n, const struct knew *k)
{
	struct nlattr *kc;

	sel(n);
	kc = nest(n, ZEQ_A_KEYCONF);
	if (k->no_nested_flag)
		kc->nla_type &= (uint16_t)~NLA_F_NESTED;
	if (!k->no_peer)
		mnl_attr_put_u32(n, ZEQ_A_KEYCONF_PEER_ID, k->peer);
	if (k->slot_u32)
		mnl_attr_put_u32(n, ZEQ_A_KEYCONF_SLOT, k->slot);
	else if (!k->no_slot)
		mnl_attr_put_u8(n, ZEQ_A_KEYCONF_SLOT, k->slot);
	if (!k->no_key_id)
		mnl_attr_put_u32(n, ZEQ_A_KEYCONF_KEY_ID, k->key_id);
	mnl_attr_put_u32(n, ZEQ_A_KEYCONF_REMOTE_KEY_ID, k->remote_id);
	put_random(n, ZEQ_A_KEYCONF_TX_KEY, k->txk);
	put_random(n, ZEQ_A_KEYCONF_TX_SALT, k->txs);
	put_random(n, ZEQ_A_KEYCONF_RX_KEY, k->rxk);
	put_random(n, ZEQ_A_KEYCONF_RX_SALT, k->rxs);
	if (k->extra == ZEQ_A_KEYCONF_AGE)
		mnl_attr_put_u64(n, ZEQ_A_KEYCONF_AGE, 1);
	else if (k->extra)
		mnl_attr_put_u32(n, (uint16_t)k->extra, 1);
	end(n, kc);
}

/* A keyconf with just a peer id (and a slot if slot >= 0). */
static void keyconf(struct nlmsghdr *n, uint32_t peer_id, int slot)
{
	struct nlattr *kc;

	sel(n);
	kc = nest(n, ZEQ_A_KEYCONF);
	mnl_attr_put_u32(n, ZEQ_A_KEYCONF_PEER_ID, peer_id);
	if (slot >= 0)
		mnl_attr_put_u8(n, ZEQ_A_KEYCONF_SLOT, (uint8_t)slot);
	end(n, kc);
}

/* --- the requests ------------------------------------------------------- */

/* DEV_GET */
C(dg_nodev) { (void)n; }
C(dg_missing) { mnl_attr_put_strz(n, ZEQ_A_IFNAME, NO_DEV); }
C(dg_lo) { mnl_attr_put_strz(n, ZEQ_A_IFNAME, "lo"); }
C(dg_ifindex16) { mnl_attr_put_u16(n, ZEQ_A_IFINDEX, 1); }
C(dg_longname) { mnl_attr_put_strz(n, ZEQ_A_IFNAME, "zeq0123456789abcdefghij"); }
C(dg_unknown) { sel(n); mnl_attr_put_u32(n, 99, 1); }
C(dg_type0) { sel(n); mnl_attr_put_u32(n, 0, 1); }
C(dg_dump_unknown) { mnl_attr_put_u32(n, 99, 1); }

/* DEV_SET */
C(ds_nodev) { mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234); }
C(ds_missing) { mnl_attr_put_strz(n, ZEQ_A_IFNAME, NO_DEV); mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234); }
C(ds_lo)
{
	mnl_attr_put_u32(n, ZEQ_A_IFINDEX, g_lo_ifindex);
	sel(n);
	mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234);
}
C(ds_port32) { sel(n); mnl_attr_put_u32(n, ZEQ_A_LISTEN_PORT, 51901); }
C(ds_port8) { sel(n); mnl_attr_put_u8(n, ZEQ_A_LISTEN_PORT, 9); }
C(ds_fwmark16) { sel(n); mnl_attr_put_u16(n, ZEQ_A_FWMARK, 7); }
C(ds_fwmark64) { sel(n); mnl_attr_put_u64(n, ZEQ_A_FWMARK, 7); }
C(ds_age4) { sel(n); mnl_attr_put_u32(n, ZEQ_A_KEY_MAX_AGE, ZEQ_KEY_MAX_AGE_MIN - 1); }
C(ds_age_big) { sel(n); mnl_attr_put_u32(n, ZEQ_A_KEY_MAX_AGE, ZEQ_KEY_MAX_AGE_MAX + 1); }
C(ds_age0) { sel(n); mnl_attr_put_u32(n, ZEQ_A_KEY_MAX_AGE, 0); }
C(ds_age16) { sel(n); mnl_attr_put_u16(n, ZEQ_A_KEY_MAX_AGE, 100); }
C(ds_atomic)
{
	sel(n);
	mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234);
	mnl_attr_put_u16(n, ZEQ_A_LISTEN_PORT, 51999);
	mnl_attr_put_u32(n, ZEQ_A_KEY_MAX_AGE, ZEQ_KEY_MAX_AGE_MIN - 1);
}
C(ds_unknown) { sel(n); mnl_attr_put_u32(n, 99, 1); }
C(ds_crypto) { sel(n); mnl_attr_put_strz(n, ZEQ_A_CRYPTO_DRIVER, "ecb(cipher_null)"); }
C(ds_peer_count) { sel(n); mnl_attr_put_u32(n, ZEQ_A_PEER_COUNT, 7); }
C(ds_stats)
{
	struct nlattr *s;

	sel(n);
	s = nest(n, ZEQ_A_STATS);
	mnl_attr_put_u64(n, ZEQ_A_STATS_RX_PACKETS, 1);
	end(n, s);
}
C(ds_nested_flag)
{
	struct nlattr *a;

	sel(n);
	a = mnl_nlmsg_get_payload_tail(n);
	mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234);
	a->nla_type |= NLA_F_NESTED;
}
C(ds_trailing)
{
	sel(n);
	mnl_attr_put_u32(n, ZEQ_A_FWMARK, 0x1234);
	memset(mnl_nlmsg_get_payload_tail(n), 0, 4);
	n->nlmsg_len += 3;
}

/* PEER_NEW */
C(pn_nopeer) { sel(n); }
C(pn_noid)
{
	struct nlattr *p;

	sel(n);
	p = nest(n, ZEQ_A_PEER);
	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, 5);
	end(n, p);
}
C(pn_id0) { end(n, peer(n, 0)); }
C(pn_id_big) { end(n, peer(n, ZEQ_PEER_ID_MAX + 1)); }
C(pn_id_max) { end(n, peer(n, UINT32_MAX)); }
C(pn_id16)
{
	struct nlattr *p;

	sel(n);
	p = nest(n, ZEQ_A_PEER);
	mnl_attr_put_u16(n, ZEQ_A_PEER_ID, 7);
	end(n, p);
}
C(pn_exists) { end(n, peer(n, 1)); }
C(pn_ep4_3)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV4, 3);
	mnl_attr_put_u16(n, ZEQ_A_PEER_ENDPOINT_PORT, 51900);
	end(n, p);
}
C(pn_ep4_16)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV4, 16);
	mnl_attr_put_u16(n, ZEQ_A_PEER_ENDPOINT_PORT, 51900);
	end(n, p);
}
C(pn_ep6_15)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV6, 15);
	mnl_attr_put_u16(n, ZEQ_A_PEER_ENDPOINT_PORT, 51900);
	end(n, p);
}
C(pn_ep_both)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV6, 16);
	endpoint4(n, 51900);
	end(n, p);
}
C(pn_ep_noport)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV4, 4);
	end(n, p);
}
C(pn_port_noep)
{
	struct nlattr *p = peer(n, NEW_ID);

	mnl_attr_put_u16(n, ZEQ_A_PEER_ENDPOINT_PORT, 51900);
	end(n, p);
}
C(pn_port0) { struct nlattr *p = peer(n, NEW_ID); endpoint4(n, 0); end(n, p); }
C(pn_port32)
{
	struct nlattr *p = peer(n, NEW_ID);

	raw(n, ZEQ_A_PEER_ENDPOINT_IPV4, 4);
	mnl_attr_put_u32(n, ZEQ_A_PEER_ENDPOINT_PORT, 51900);
	end(n, p);
}
C(pn_ka3601)
{
	struct nlattr *p = peer(n, NEW_ID);

	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, ZEQ_KEEPALIVE_MAX + 1);
	end(n, p);
}
C(pn_ka65535)
{
	struct nlattr *p = peer(n, NEW_ID);

	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, UINT16_MAX);
	end(n, p);
}
C(pn_cidr33) { struct nlattr *p = peer(n, NEW_ID); aip4(n, "10.9.0.0", 33); end(n, p); }
C(pn_cidr129)
{
	struct nlattr *p = peer(n, NEW_ID);

	aip_raw(n, AF_INET6, "fd09::", 16, 129);
	end(n, p);
}
C(pn_family99)
{
	struct nlattr *p = peer(n, NEW_ID);

	aip_raw(n, 99, "10.9.0.0", 4, 16);
	end(n, p);
}
C(pn_v4_len16)
{
	struct nlattr *p = peer(n, NEW_ID);

	aip_raw(n, AF_INET, "10.9.0.0", 16, 16);
	end(n, p);
}
C(pn_v6_len4)
{
	struct nlattr *p = peer(n, NEW_ID);

	aip_raw(n, AF_INET6, "fd09::", 4, 16);
	end(n, p);
}
C(pn_hostbits) { struct nlattr *p = peer(n, NEW_ID); aip4(n, "10.9.1.1", 24); end(n, p); }
C(pn_hostbits6)
{
	struct nlattr *p = peer(n, NEW_ID);

	aip_raw(n, AF_INET6, "fd09::1", 16, 64);
	end(n, p);
}
static void aip_partial(struct nlmsghdr *n, bool fam, bool addr, bool cidr,
			int extra)
{
	struct nlattr *p = peer(n, NEW_ID), *a;
	uint8_t bytes[4] = { 10, 9, 0, 0 };

	a = nest(n, ZEQ_A_PEER_ALLOWED_IP);
	if (fam)
		mnl_attr_put_u16(n, ZEQ_A_AIP_FAMILY, AF_INET);
	if (addr)
		mnl_attr_put(n, ZEQ_A_AIP_ADDR, 4, bytes);
	if (cidr)
		mnl_attr_put_u8(n, ZEQ_A_AIP_CIDR, 16);
	if (extra)
		mnl_attr_put_u32(n, (uint16_t)extra, 1);
	end(n, a);
	end(n, p);
}
C(pn_aip_nocidr) { aip_partial(n, true, true, false, 0); }
C(pn_aip_nofam) { aip_partial(n, false, true, true, 0); }
C(pn_aip_noaddr) { aip_partial(n, true, false, true, 0); }
C(pn_aip_unknown) { aip_partial(n, true, true, true, 99); }
C(pn_aip_cidr16)
{
	struct nlattr *p = peer(n, NEW_ID), *a;
	uint8_t bytes[4] = { 10, 9, 0, 0 };

	a = nest(n, ZEQ_A_PEER_ALLOWED_IP);
	mnl_attr_put_u16(n, ZEQ_A_AIP_FAMILY, AF_INET);
	mnl_attr_put(n, ZEQ_A_AIP_ADDR, 4, bytes);
	mnl_attr_put_u16(n, ZEQ_A_AIP_CIDR, 16);
	end(n, a);
	end(n, p);
}
C(pn_aip_fam32)
{
	struct nlattr *p = peer(n, NEW_ID), *a;
	uint8_t bytes[4] = { 10, 9, 0, 0 };

	a = nest(n, ZEQ_A_PEER_ALLOWED_IP);
	mnl_attr_put_u32(n, ZEQ_A_AIP_FAMILY, AF_INET);
	mnl_attr_put(n, ZEQ_A_AIP_ADDR, 4, bytes);
	mnl_attr_put_u8(n, ZEQ_A_AIP_CIDR, 16);
	end(n, a);
	end(n, p);
}
C(pn_unknown) { struct nlattr *p = peer(n, NEW_ID); mnl_attr_put_u32(n, 99, 1); end(n, p); }
C(pn_top_unknown) { end(n, peer(n, NEW_ID)); mnl_attr_put_u32(n, 99, 1); }
C(pn_no_nested_flag)
{
	struct nlattr *p = peer(n, NEW_ID);

	p->nla_type &= (uint16_t)~NLA_F_NESTED;
	end(n, p);
}
C(pn_last_rx)
{
	struct nlattr *p = peer(n, NEW_ID);

	mnl_attr_put_u64(n, ZEQ_A_PEER_LAST_RX, 1);
	end(n, p);
}
C(pn_key_status)
{
	struct nlattr *p = peer(n, NEW_ID), *k;

	k = nest(n, ZEQ_A_PEER_KEY);
	mnl_attr_put_u8(n, ZEQ_A_KEYCONF_SLOT, ZEQ_KEY_SLOT_CURRENT);
	mnl_attr_put_u32(n, ZEQ_A_KEYCONF_KEY_ID, FREE_KEY_ID);
	end(n, k);
	end(n, p);
}
C(pn_atomic)
{
	struct nlattr *p = peer(n, NEW_ID);

	endpoint4(n, 51900);
	aip4(n, "10.9.0.0", 16);
	aip4(n, "10.10.0.0", 33);
	end(n, p);
}
C(pn_nodev)
{
	struct nlattr *p;

	mnl_attr_put_strz(n, ZEQ_A_IFNAME, NO_DEV);
	p = nest(n, ZEQ_A_PEER);
	mnl_attr_put_u32(n, ZEQ_A_PEER_ID, NEW_ID);
	end(n, p);
}

/* PEER_SET */
C(ps_missing)
{
	struct nlattr *p = peer(n, MISSING_ID);

	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, 5);
	end(n, p);
}
C(ps_id0)
{
	struct nlattr *p = peer(n, 0);

	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, 5);
	end(n, p);
}
C(ps_ka3601)
{
	struct nlattr *p = peer(n, 1);

	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, ZEQ_KEEPALIVE_MAX + 1);
	end(n, p);
}
C(ps_port0) { struct nlattr *p = peer(n, 1); endpoint4(n, 0); end(n, p); }
C(ps_atomic_ep)
{
	struct nlattr *p = peer(n, 1);

	endpoint4(n, 51999);
	mnl_attr_put_u16(n, ZEQ_A_PEER_KEEPALIVE, ZEQ_KEEPALIVE_MAX + 1);
	end(n, p);
}
C(ps_atomic_replace)
{
	struct nlattr *p = peer(n, 1);

	mnl_attr_put(n, ZEQ_A_PEER_REPLACE_ALLOWED_IPS, 0, NULL);
	aip4(n, "10.0.0.3", 32);
	aip4(n, "10.0.0.4", 33);
	end(n, p);
}
C(ps_flag_payload)
{
	struct nlattr *p = peer(n, 1);

	mnl_attr_put_u32(n, ZEQ_A_PEER_REPLACE_ALLOWED_IPS, 1);
	end(n, p);
}
C(ps_unknown) { struct nlattr *p = peer(n, 1); mnl_attr_put_u32(n, 99, 1); end(n, p); }
C(ps_hostbits) { struct nlattr *p = peer(n, 1); aip4(n, "10.0.0.3", 24); end(n, p); }
C(ps_nopeer) { sel(n); }

/* PEER_DEL */
C(pd_missing) { end(n, peer(n, MISSING_ID)); }
C(pd_id0) { end(n, peer(n, 0)); }
C(pd_id_big) { end(n, peer(n, ZEQ_PEER_ID_MAX + 1)); }
C(pd_nopeer) { sel(n); }
C(pd_noid) { sel(n); end(n, nest(n, ZEQ_A_PEER)); }
C(pd_unknown) { struct nlattr *p = peer(n, 1); mnl_attr_put_u32(n, 99, 1); end(n, p); }

/* PEER_GET */
C(pg_missing) { end(n, peer(n, MISSING_ID)); }
C(pg_id0) { end(n, peer(n, 0)); }
C(pg_dump_nodev) { mnl_attr_put_strz(n, ZEQ_A_IFNAME, NO_DEV); }
C(pg_dump_unknown) { sel(n); mnl_attr_put_u32(n, 99, 1); }
C(pg_dump_none) { (void)n; }

/* KEY_NEW: one change from a valid request */
#define KCASE(name, field, value) \
	C(name) { struct knew k = KN; k.field = value; key_new(n, &k); }
KCASE(kn_tx31, txk, ZEQ_KEY_LEN - 1)
KCASE(kn_tx33, txk, ZEQ_KEY_LEN + 1)
KCASE(kn_rx31, rxk, ZEQ_KEY_LEN - 1)
KCASE(kn_rx33, rxk, ZEQ_KEY_LEN + 1)
KCASE(kn_txs3, txs, ZEQ_SALT_LEN - 1)
KCASE(kn_txs5, txs, ZEQ_SALT_LEN + 1)
KCASE(kn_rxs3, rxs, ZEQ_SALT_LEN - 1)
KCASE(kn_keyid0, key_id, 0)
KCASE(kn_remote0, remote_id, 0)
KCASE(kn_slot3, slot, ZEQ_KEY_SLOT_MAX + 1)
KCASE(kn_slot255, slot, 255)
KCASE(kn_slot_cur, slot, ZEQ_KEY_SLOT_CURRENT)
KCASE(kn_slot_prev, slot, ZEQ_KEY_SLOT_PREVIOUS)
KCASE(kn_dup, key_id, 1)
KCASE(kn_nopeer_id, peer, MISSING_ID)
KCASE(kn_peer0, peer, 0)
KCASE(kn_no_tx, txk, -1)
KCASE(kn_no_rxs, rxs, -1)
KCASE(kn_no_keyid, no_key_id, true)
KCASE(kn_no_peer, no_peer, true)
KCASE(kn_age, extra, ZEQ_A_KEYCONF_AGE)
KCASE(kn_unknown, extra, 99)
KCASE(kn_no_nested_flag, no_nested_flag, true)
KCASE(kn_slot32, slot_u32, true)
C(kn_nokc) { sel(n); }
C(kn_nodev)
{
	struct nlattr *kc;

	mnl_attr_put_strz(n, ZEQ_A_IFNAME, NO_DEV);
	kc = nest(n, ZEQ_A_KEYCONF);
	mnl_attr_put_u32(n, ZEQ_A_KEYCONF_PEER_ID, 1);
	end(n, kc);
}

/* KEY_SWAP, KEY_DEL */
C(ksw_missing) { keyconf(n, MISSING_ID, -1); }
C(ksw_no_next) { keyconf(n, 1, -1); }
C(ksw_nokc) { sel(n); }
C(ksw_peer0) { keyconf(n, 0, -1); }
C(kd_slot3) { keyconf(n, 1, ZEQ_KEY_SLOT_MAX + 1); }
C(kd_noslot) { keyconf(n, 1, -1); }
C(kd_next) { keyconf(n, 1, ZEQ_KEY_SLOT_NEXT); }
C(kd_prev) { keyconf(n, 1, ZEQ_KEY_SLOT_PREVIOUS); }
C(kd_missing) { keyconf(n, MISSING_ID, ZEQ_KEY_SLOT_CURRENT); }
C(kd_nopeer)
{
	struct nlattr *kc;

	sel(n);
	kc = nest(n, ZEQ_A_KEYCONF);
	mnl_attr_put_u8(n, ZEQ_A_KEYCONF_SLOT, ZEQ_KEY_SLOT_CURRENT);
	end(n, kc);
}
C(kd_unknown)
{
	struct nlattr *kc;

	sel(n);
	kc = nest(n, ZEQ_A_KEYCONF);
	mnl_attr_put_u32(n, ZEQ_A_KEYCONF_PEER_ID, 1);
	mnl_attr_put_u8(n, ZEQ_A_KEYCONF_SLOT, ZEQ_KEY_SLOT_NEXT);
	mnl_attr_put_u32(n, 99, 1);
	end(n, kc);
}

/* Valid-looking requests for the unprivileged run (harmless if accepted). */
C(ep_sel) { sel(n); }
C(ep_peer_new) { struct nlattr *p = peer(n, NEW_ID); aip4(n, "10.9.0.0", 16); end(n, p); }
C(ep_peer_missing) { end(n, peer(n, MISSING_ID)); }
C(ep_key_new) { struct knew k = KN; k.peer = MISSING_ID; key_new(n, &k); }
C(ep_key_missing) { keyconf(n, MISSING_ID, -1); }
C(ep_key_del) { keyconf(n, MISSING_ID, ZEQ_KEY_SLOT_NEXT); }

/* --- the table ------------------------------------------------------------- */

#define ERRS(...) { __VA_ARGS__ }
#define POL	ERRS(EINVAL, ERANGE)		/* type, length, range */
#define INVAL	ERRS(EINVAL)			/* unknown, missing, semantic */
#define NOENT	ERRS(ENOENT)
#define NODEV	ERRS(ENODEV, ENOENT)
#define NOTZEQ	ERRS(EOPNOTSUPP, ENODEV, EINVAL)
#define NOOP	ERRS(EOPNOTSUPP)

struct tcase {
	const char *name;
	uint8_t cmd;
	uint16_t flags;			/* NLM_F_DUMP for dumps */
	int errs[MAX_ERRS];		/* accepted errnos */
	bool core;			/* refused by genetlink: no extack */
	void (*build)(struct nlmsghdr *n);
};

#define DUMP NLM_F_DUMP

static const struct tcase cases[] = {
	{ "DEV_GET: no device selector", ZEQ_CMD_DEV_GET, 0, ERRS(EINVAL, ENODEV), 0, dg_nodev },
	{ "DEV_GET: device that does not exist", ZEQ_CMD_DEV_GET, 0, NODEV, 0, dg_missing },
	{ "DEV_GET: device that is not zeq (lo)", ZEQ_CMD_DEV_GET, 0, NOTZEQ, 0, dg_lo },
	{ "DEV_GET: ifindex as u16", ZEQ_CMD_DEV_GET, 0, POL, 0, dg_ifindex16 },
	{ "DEV_GET: ifname longer than IFNAMSIZ", ZEQ_CMD_DEV_GET, 0, POL, 0, dg_longname },
	{ "DEV_GET: unknown top-level attribute 99", ZEQ_CMD_DEV_GET, 0, INVAL, 0, dg_unknown },
	{ "DEV_GET: attribute type 0", ZEQ_CMD_DEV_GET, 0, INVAL, 0, dg_type0 },
	{ "DEV_GET dump: unknown top-level attribute 99", ZEQ_CMD_DEV_GET, DUMP, INVAL, 0, dg_dump_unknown },

	{ "DEV_SET: no device selector", ZEQ_CMD_DEV_SET, 0, ERRS(EINVAL, ENODEV), 0, ds_nodev },
	{ "DEV_SET: device that does not exist", ZEQ_CMD_DEV_SET, 0, NODEV, 0, ds_missing },
	{ "DEV_SET: ifindex of lo wins over the name", ZEQ_CMD_DEV_SET, 0, NOTZEQ, 0, ds_lo },
	{ "DEV_SET: listen port as u32", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_port32 },
	{ "DEV_SET: listen port as u8", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_port8 },
	{ "DEV_SET: fwmark as u16", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_fwmark16 },
	{ "DEV_SET: fwmark as u64", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_fwmark64 },
	{ "DEV_SET: key max age 4", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_age4 },
	{ "DEV_SET: key max age 604801", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_age_big },
	{ "DEV_SET: key max age 0", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_age0 },
	{ "DEV_SET: key max age as u16", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_age16 },
	{ "DEV_SET: valid fwmark and port with key max age 4 (all or nothing)", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_atomic },
	{ "DEV_SET: unknown top-level attribute 99", ZEQ_CMD_DEV_SET, 0, INVAL, 0, ds_unknown },
	{ "DEV_SET: read-only crypto driver", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_crypto },
	{ "DEV_SET: read-only peer count", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_peer_count },
	{ "DEV_SET: read-only stats", ZEQ_CMD_DEV_SET, 0, POL, 0, ds_stats },
	{ "DEV_SET: NLA_F_NESTED on a u32", ZEQ_CMD_DEV_SET, 0, INVAL, 0, ds_nested_flag },
	{ "DEV_SET: trailing bytes after the attributes", ZEQ_CMD_DEV_SET, 0, INVAL, 0, ds_trailing },

	{ "PEER_NEW: no peer nest", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_nopeer },
	{ "PEER_NEW: peer without id", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_noid },
	{ "PEER_NEW: peer id 0", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_id0 },
	{ "PEER_NEW: peer id 0x80000000", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_id_big },
	{ "PEER_NEW: peer id 0xffffffff", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_id_max },
	{ "PEER_NEW: peer id as u16", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_id16 },
	{ "PEER_NEW: peer id 1 exists", ZEQ_CMD_PEER_NEW, 0, ERRS(EEXIST), 0, pn_exists },
	{ "PEER_NEW: endpoint IPv4 of 3 bytes", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_ep4_3 },
	{ "PEER_NEW: endpoint IPv4 of 16 bytes", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_ep4_16 },
	{ "PEER_NEW: endpoint IPv6 of 15 bytes", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_ep6_15 },
	{ "PEER_NEW: endpoint IPv4 and IPv6 together", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_ep_both },
	{ "PEER_NEW: endpoint address without port", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_ep_noport },
	{ "PEER_NEW: endpoint port without address", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_port_noep },
	{ "PEER_NEW: endpoint port 0", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_port0 },
	{ "PEER_NEW: endpoint port as u32", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_port32 },
	{ "PEER_NEW: keepalive 3601", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_ka3601 },
	{ "PEER_NEW: keepalive 65535", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_ka65535 },
	{ "PEER_NEW: allowed ip cidr 33 for IPv4", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_cidr33 },
	{ "PEER_NEW: allowed ip cidr 129 for IPv6", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_cidr129 },
	{ "PEER_NEW: allowed ip family 99", ZEQ_CMD_PEER_NEW, 0, ERRS(EINVAL, ERANGE, EAFNOSUPPORT, EOPNOTSUPP), 0, pn_family99 },
	{ "PEER_NEW: allowed ip AF_INET with a 16-byte address", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_v4_len16 },
	{ "PEER_NEW: allowed ip AF_INET6 with a 4-byte address", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_v6_len4 },
	{ "PEER_NEW: allowed ip 10.9.1.1/24 (host bits set)", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_hostbits },
	{ "PEER_NEW: allowed ip fd09::1/64 (host bits set)", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_hostbits6 },
	{ "PEER_NEW: allowed ip without cidr", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_aip_nocidr },
	{ "PEER_NEW: allowed ip without family", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_aip_nofam },
	{ "PEER_NEW: allowed ip without address", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_aip_noaddr },
	{ "PEER_NEW: allowed ip cidr as u16", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_aip_cidr16 },
	{ "PEER_NEW: allowed ip family as u32", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_aip_fam32 },
	{ "PEER_NEW: unknown attribute 99 in an allowed ip", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_aip_unknown },
	{ "PEER_NEW: unknown attribute 99 in the peer", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_unknown },
	{ "PEER_NEW: unknown top-level attribute 99", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_top_unknown },
	{ "PEER_NEW: peer nest without NLA_F_NESTED", ZEQ_CMD_PEER_NEW, 0, INVAL, 0, pn_no_nested_flag },
	{ "PEER_NEW: read-only last-rx in the peer", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_last_rx },
	{ "PEER_NEW: read-only key status in the peer", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_key_status },
	{ "PEER_NEW: valid endpoint and prefix, then cidr 33 (all or nothing)", ZEQ_CMD_PEER_NEW, 0, POL, 0, pn_atomic },
	{ "PEER_NEW: device that does not exist", ZEQ_CMD_PEER_NEW, 0, NODEV, 0, pn_nodev },

	{ "PEER_SET: peer that does not exist", ZEQ_CMD_PEER_SET, 0, NOENT, 0, ps_missing },
	{ "PEER_SET: peer id 0", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_id0 },
	{ "PEER_SET: keepalive 3601", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_ka3601 },
	{ "PEER_SET: endpoint port 0", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_port0 },
	{ "PEER_SET: valid endpoint with keepalive 3601 (all or nothing)", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_atomic_ep },
	{ "PEER_SET: replace-allowed-ips, then cidr 33 (all or nothing)", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_atomic_replace },
	{ "PEER_SET: replace-allowed-ips flag with a payload", ZEQ_CMD_PEER_SET, 0, POL, 0, ps_flag_payload },
	{ "PEER_SET: unknown attribute 99 in the peer", ZEQ_CMD_PEER_SET, 0, INVAL, 0, ps_unknown },
	{ "PEER_SET: allowed ip 10.0.0.3/24 (host bits set)", ZEQ_CMD_PEER_SET, 0, INVAL, 0, ps_hostbits },
	{ "PEER_SET: no peer nest", ZEQ_CMD_PEER_SET, 0, INVAL, 0, ps_nopeer },

	{ "PEER_DEL: peer that does not exist", ZEQ_CMD_PEER_DEL, 0, NOENT, 0, pd_missing },
	{ "PEER_DEL: peer id 0", ZEQ_CMD_PEER_DEL, 0, POL, 0, pd_id0 },
	{ "PEER_DEL: peer id 0x80000000", ZEQ_CMD_PEER_DEL, 0, POL, 0, pd_id_big },
	{ "PEER_DEL: no peer nest", ZEQ_CMD_PEER_DEL, 0, INVAL, 0, pd_nopeer },
	{ "PEER_DEL: peer without id", ZEQ_CMD_PEER_DEL, 0, INVAL, 0, pd_noid },
	{ "PEER_DEL: unknown attribute 99 in the peer", ZEQ_CMD_PEER_DEL, 0, INVAL, 0, pd_unknown },

	{ "PEER_GET: peer that does not exist", ZEQ_CMD_PEER_GET, 0, NOENT, 0, pg_missing },
	{ "PEER_GET: peer id 0", ZEQ_CMD_PEER_GET, 0, POL, 0, pg_id0 },
	{ "PEER_GET dump: device that does not exist", ZEQ_CMD_PEER_GET, DUMP, NODEV, 0, pg_dump_nodev },
	{ "PEER_GET dump: unknown top-level attribute 99", ZEQ_CMD_PEER_GET, DUMP, INVAL, 0, pg_dump_unknown },
	{ "PEER_GET dump: no device selector", ZEQ_CMD_PEER_GET, DUMP, ERRS(EINVAL, ENODEV), 0, pg_dump_none },

	{ "KEY_NEW: tx key of 31 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_tx31 },
	{ "KEY_NEW: tx key of 33 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_tx33 },
	{ "KEY_NEW: rx key of 31 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_rx31 },
	{ "KEY_NEW: rx key of 33 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_rx33 },
	{ "KEY_NEW: tx salt of 3 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_txs3 },
	{ "KEY_NEW: tx salt of 5 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_txs5 },
	{ "KEY_NEW: rx salt of 3 bytes", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_rxs3 },
	{ "KEY_NEW: key id 0", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_keyid0 },
	{ "KEY_NEW: remote key id 0", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_remote0 },
	{ "KEY_NEW: slot 3", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_slot3 },
	{ "KEY_NEW: slot 255", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_slot255 },
	{ "KEY_NEW: slot CURRENT", ZEQ_CMD_KEY_NEW, 0, ERRS(EINVAL, ERANGE, EOPNOTSUPP), 0, kn_slot_cur },
	{ "KEY_NEW: slot PREVIOUS", ZEQ_CMD_KEY_NEW, 0, ERRS(EINVAL, ERANGE, EOPNOTSUPP), 0, kn_slot_prev },
	{ "KEY_NEW: slot as u32", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_slot32 },
	{ "KEY_NEW: key id 1 already in use", ZEQ_CMD_KEY_NEW, 0, ERRS(EEXIST), 0, kn_dup },
	{ "KEY_NEW: peer that does not exist", ZEQ_CMD_KEY_NEW, 0, NOENT, 0, kn_nopeer_id },
	{ "KEY_NEW: peer id 0", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_peer0 },
	{ "KEY_NEW: no tx key", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_no_tx },
	{ "KEY_NEW: no rx salt", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_no_rxs },
	{ "KEY_NEW: no key id", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_no_keyid },
	{ "KEY_NEW: no peer id", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_no_peer },
	{ "KEY_NEW: no keyconf nest", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_nokc },
	{ "KEY_NEW: read-only age in the keyconf", ZEQ_CMD_KEY_NEW, 0, POL, 0, kn_age },
	{ "KEY_NEW: unknown attribute 99 in the keyconf", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_unknown },
	{ "KEY_NEW: keyconf nest without NLA_F_NESTED", ZEQ_CMD_KEY_NEW, 0, INVAL, 0, kn_no_nested_flag },
	{ "KEY_NEW: device that does not exist", ZEQ_CMD_KEY_NEW, 0, NODEV, 0, kn_nodev },

	{ "KEY_SWAP: peer that does not exist", ZEQ_CMD_KEY_SWAP, 0, NOENT, 0, ksw_missing },
	{ "KEY_SWAP: peer without a next key", ZEQ_CMD_KEY_SWAP, 0, ERRS(ENOENT, EINVAL), 0, ksw_no_next },
	{ "KEY_SWAP: no keyconf nest", ZEQ_CMD_KEY_SWAP, 0, INVAL, 0, ksw_nokc },
	{ "KEY_SWAP: peer id 0", ZEQ_CMD_KEY_SWAP, 0, POL, 0, ksw_peer0 },

	{ "KEY_DEL: slot 3", ZEQ_CMD_KEY_DEL, 0, POL, 0, kd_slot3 },
	{ "KEY_DEL: no slot", ZEQ_CMD_KEY_DEL, 0, INVAL, 0, kd_noslot },
	{ "KEY_DEL: empty next slot", ZEQ_CMD_KEY_DEL, 0, NOENT, 0, kd_next },
	{ "KEY_DEL: empty previous slot", ZEQ_CMD_KEY_DEL, 0, NOENT, 0, kd_prev },
	{ "KEY_DEL: peer that does not exist", ZEQ_CMD_KEY_DEL, 0, NOENT, 0, kd_missing },
	{ "KEY_DEL: no peer id", ZEQ_CMD_KEY_DEL, 0, INVAL, 0, kd_nopeer },
	{ "KEY_DEL: unknown attribute 99 in the keyconf", ZEQ_CMD_KEY_DEL, 0, INVAL, 0, kd_unknown },

	{ "command 0 (UNSPEC)", ZEQ_CMD_UNSPEC, 0, NOOP, 1, ep_sel },
	{ "command EVENT (notifications only)", ZEQ_CMD_EVENT, 0, NOOP, 1, ep_sel },
	{ "command 99", 99, 0, NOOP, 1, ep_sel },
};

static const struct tcase eperm_cases[] = {
	{ "DEV_GET unprivileged", ZEQ_CMD_DEV_GET, 0, ERRS(EPERM), 1, ep_sel },
	{ "DEV_GET dump unprivileged", ZEQ_CMD_DEV_GET, DUMP, ERRS(EPERM), 1, ep_sel },
	{ "DEV_SET unprivileged", ZEQ_CMD_DEV_SET, 0, ERRS(EPERM), 1, ep_sel },
	{ "PEER_NEW unprivileged", ZEQ_CMD_PEER_NEW, 0, ERRS(EPERM), 1, ep_peer_new },
	{ "PEER_SET unprivileged", ZEQ_CMD_PEER_SET, 0, ERRS(EPERM), 1, ep_peer_missing },
	{ "PEER_GET unprivileged", ZEQ_CMD_PEER_GET, 0, ERRS(EPERM), 1, ep_peer_missing },
	{ "PEER_GET dump unprivileged", ZEQ_CMD_PEER_GET, DUMP, ERRS(EPERM), 1, ep_sel },
	{ "PEER_DEL unprivileged", ZEQ_CMD_PEER_DEL, 0, ERRS(EPERM), 1, ep_peer_missing },
	{ "KEY_NEW unprivileged", ZEQ_CMD_KEY_NEW, 0, ERRS(EPERM), 1, ep_key_new },
	{ "KEY_SWAP unprivileged", ZEQ_CMD_KEY_SWAP, 0, ERRS(EPERM), 1, ep_key_missing },
	{ "KEY_DEL unprivileged", ZEQ_CMD_KEY_DEL, 0, ERRS(EPERM), 1, ep_key_del },
};

#define N_CASES(a) (sizeof(a) / sizeof((a)[0]))

/* --- state snapshot ------------------------------------------------------ */

static int cmp_prefix(const void *a, const void *b)
{
	const struct zeq_prefix *x = a, *y = b;

	if (x->addr.family != y->addr.family)
		return x->addr.family - y->addr.family;
	int c = memcmp(x->addr.bytes, y->addr.bytes, sizeof(x->addr.bytes));
	return c ? c : x->cidr - y->cidr;
}

static int cmp_peer(const void *a, const void *b)
{
	const struct zeq_peer *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void render_peer(FILE *f, struct zeq_peer *p)
{
	char buf[ZEQ_ENDPOINT_STRLEN];

	fprintf(f, "peer id=%u endpoint=%s keepalive=%u last_key=",
		p->id, zeq_endpoint_str(&p->endpoint, buf, sizeof(buf)),
		p->keepalive);
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_KEY))
		fprintf(f, "%llu\n", (unsigned long long)p->last_key);
	else
		fputs("none\n", f);
	qsort(p->aips, p->n_aips, sizeof(p->aips[0]), cmp_prefix);
	for (size_t i = 0; i < p->n_aips; i++)
		fprintf(f, "  aip %s\n", zeq_prefix_str(&p->aips[i], buf, sizeof(buf)));
	for (unsigned int slot = 0; slot < 256; slot++)
		for (unsigned int i = 0; i < p->n_keys; i++)
			if (p->keys[i].slot == slot)
				fprintf(f, "  key slot=%u id=%u remote=%u limit=%llu\n",
					slot, p->keys[i].key_id,
					p->keys[i].remote_key_id,
					(unsigned long long)p->keys[i].usage_limit);
}

/* Device and peers without counters and ages; malloc'd. */
static char *snapshot(void)
{
	struct zeq_dev_info *info;
	struct znl_err e;
	char *out = NULL;
	size_t n, len;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return strdup("<out of memory>");
	if (zeq_collect(&g_nl, g_dev, &info, &n, &e) < 0) {
		fprintf(f, "<error: %s>\n", znl_strerror(&e));
		fclose(f);
		return out;
	}
	for (size_t i = 0; i < n; i++) {
		struct zeq_device *d = &info[i].dev;

		fprintf(f, "dev ifindex=%u ifname=%s listen_port=%u fwmark=%u "
			"key_max_age=%u crypto=%s peer_count=%u\n",
			d->ifindex, d->ifname, d->listen_port, d->fwmark,
			d->key_max_age, d->crypto_driver, d->peer_count);
		qsort(info[i].peers, info[i].n_peers, sizeof(info[i].peers[0]),
		      cmp_peer);
		for (size_t k = 0; k < info[i].n_peers; k++)
			render_peer(f, &info[i].peers[k]);
	}
	zeq_collect_free(info, n);
	fclose(f);
	return out;
}

/* --- running ---------------------------------------------------------------- */

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	g_n++;
	if (ok)
		g_pass++;
	else
		g_fail++;
	printf("%sok %d - ", ok ? "" : "not ", g_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void diag_lines(const char *label, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %s %.*s\n", label, len, p);
		p += len + (nl ? 1 : 0);
	}
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static const char *errname(int err)
{
	const char *s = err ? strerrorname_np(err) : "accepted";

	return s ? s : "?";
}

static void run_case(const struct tcase *c, bool check_state)
{
	char buf[BUFLEN], got[ZNL_MSG_LEN + 64], *before = NULL, *after;
	struct nlmsghdr *nlh;
	struct znl_err e;
	bool err_ok = false, ext_ok, state_ok = true;

	if (check_state)
		before = snapshot();
	memset(buf, 0, sizeof(buf));
	nlh = znl_msg(&g_nl, buf, c->cmd, c->flags);
	c->build(nlh);
	if (znl_talk(&g_nl, nlh, noop_cb, NULL, &e) == 0)
		e.err = 0;
	for (int i = 0; i < MAX_ERRS && c->errs[i]; i++)
		err_ok |= e.err == c->errs[i];
	ext_ok = c->core || e.msg[0] || e.has_miss_type;

	if (e.msg[0])
		snprintf(got, sizeof(got), "%s, \"%s\"", errname(e.err), e.msg);
	else if (e.has_miss_type)
		snprintf(got, sizeof(got), "%s, missing attribute %u",
			 errname(e.err), e.miss_type);
	else
		snprintf(got, sizeof(got), "%s, no extack", errname(e.err));

	if (check_state) {
		after = snapshot();
		state_ok = strcmp(before, after) == 0;
		if (!state_ok) {
			tap(false, "%s (%s; state changed)", c->name, got);
			diag_lines("before:", before);
			diag_lines("after: ", after);
		}
		free(after);
		free(before);
		if (!state_ok)
			return;
	}
	if (!err_ok) {
		tap(false, "%s (%s; expected %s%s%s)", c->name, got,
		    errname(c->errs[0]), c->errs[1] ? " or " : "",
		    c->errs[1] ? errname(c->errs[1]) : "");
		return;
	}
	tap(ext_ok, "%s (%s)%s", c->name, got, ext_ok ? "" : " missing extack");
}

static bool has_peer(const struct zeq_dev_info *di, uint32_t id)
{
	for (size_t i = 0; i < di->n_peers; i++)
		if (di->peers[i].id == id)
			return true;
	return false;
}

/* The device as described at the top of this file, or a reason. */
static const char *precondition(void)
{
	static char why[ZNL_MSG_LEN + 32];
	struct zeq_dev_info *info;
	const struct zeq_peer *p = NULL;
	struct znl_err e;
	size_t n;

	if (zeq_collect(&g_nl, g_dev, &info, &n, &e) < 0) {
		snprintf(why, sizeof(why), "cannot read %s: %s", g_dev,
			 znl_strerror(&e));
		return why;
	}
	for (size_t i = 0; n && i < info[0].n_peers; i++)
		if (info[0].peers[i].id == 1)
			p = &info[0].peers[i];
	if (!p)
		snprintf(why, sizeof(why), "%s has no peer 1", g_dev);
	else if (has_peer(&info[0], NEW_ID) || has_peer(&info[0], MISSING_ID))
		snprintf(why, sizeof(why), "%s has a peer with a test id", g_dev);
	else if (p->n_keys != 1 || p->keys[0].slot != ZEQ_KEY_SLOT_CURRENT ||
		 p->keys[0].key_id != 1)
		snprintf(why, sizeof(why),
			 "peer 1 must have exactly one key: current, id 1");
	else
		why[0] = '\0';
	zeq_collect_free(info, n);
	return why[0] ? why : NULL;
}

/*
 * Creates the fixture on a device without peers: 1 if it did, 0 if the
 * device has peers already, -1 on failure.
 */
static int setup_fixture(void)
{
	struct zeq_peer p = { .id = 1 };
	struct zeq_prefix pfx = { .addr.family = AF_INET, .cidr = 32 };
	struct zeq_keyconf k = { 0 };
	struct zeq_device d;
	char buf[BUFLEN];
	struct nlmsghdr *nlh;
	struct znl_err e;
	int ret;

	if (zeq_dev_get(&g_nl, g_dev, &d, &e) < 0 || d.peer_count)
		return 0;	/* precondition() reports what is wrong */
	inet_pton(AF_INET, "10.0.0.2", pfx.addr.bytes);
	p.endpoint.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.241.2", p.endpoint.addr.bytes);
	p.endpoint.port = 51900;
	p.has = ZEQ_BIT(ZEQ_A_PEER_ID) | ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV4);
	if (zeq_peer_add_aip(&p, &pfx) < 0)
		return -1;
	nlh = znl_msg(&g_nl, buf, ZEQ_CMD_PEER_NEW, 0);
	zeq_put_dev_sel(nlh, sizeof(buf), 0, g_dev);
	zeq_put_peer(nlh, sizeof(buf), &p);
	zeq_peer_free(&p);
	if (znl_talk(&g_nl, nlh, NULL, NULL, &e) < 0) {
		printf("# fixture: PEER_NEW: %s\n", znl_strerror(&e));
		return -1;
	}
	k.peer_id = 1;
	k.slot = ZEQ_KEY_SLOT_NEXT;
	k.key_id = k.remote_key_id = 1;
	if (getrandom(k.tx_key, sizeof(k.tx_key), 0) != sizeof(k.tx_key) ||
	    getrandom(k.rx_key, sizeof(k.rx_key), 0) != sizeof(k.rx_key))
		return -1;
	k.has = ZEQ_BIT(ZEQ_A_KEYCONF_PEER_ID) | ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
		ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) | ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID) |
		ZEQ_BIT(ZEQ_A_KEYCONF_TX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_TX_SALT) |
		ZEQ_BIT(ZEQ_A_KEYCONF_RX_KEY) | ZEQ_BIT(ZEQ_A_KEYCONF_RX_SALT);
	nlh = znl_msg(&g_nl, buf, ZEQ_CMD_KEY_NEW, 0);
	zeq_put_dev_sel(nlh, sizeof(buf), 0, g_dev);
	zeq_put_keyconf(nlh, sizeof(buf), ZEQ_A_KEYCONF, &k);
	ret = znl_talk(&g_nl, nlh, NULL, NULL, &e);
	memset(buf, 0, sizeof(buf));
	if (ret < 0) {
		printf("# fixture: KEY_NEW: %s\n", znl_strerror(&e));
		return -1;
	}
	printf("# fixture: %s had no peers; added peer 1 (10.0.0.2/32, "
	       "192.168.241.2:51900) with key id 1\n", g_dev);
	return 1;
}

/* Removes the fixture again: the device is left as it was found. */
static void remove_fixture(void)
{
	char buf[BUFLEN];
	struct nlmsghdr *nlh = znl_msg(&g_nl, buf, ZEQ_CMD_PEER_DEL, 0);
	struct znl_err e;

	end(nlh, peer(nlh, 1));
	if (znl_talk(&g_nl, nlh, NULL, NULL, &e) < 0)
		printf("# fixture: PEER_DEL: %s\n", znl_strerror(&e));
	else
		printf("# fixture: removed peer 1 again\n");
}

static int finish(void)
{
	printf("1..%d\n# %d passed, %d failed\n", g_n, g_pass, g_fail);
	return g_fail ? 1 : 0;
}

static int run_eperm(void)
{
	struct znl_err e;

	for (size_t i = 0; i < N_CASES(eperm_cases); i++)
		run_case(&eperm_cases[i], false);
	if (znl_join(&g_nl, ZEQ_MCGRP_EVENTS, &e) == 0)
		e.err = 0;
	tap(e.err == EPERM, "join the \"%s\" group unprivileged (%s)",
	    ZEQ_MCGRP_EVENTS, errname(e.err));
	return finish();
}

static int run_reject(void)
{
	int fixture = setup_fixture();
	const char *why;
	char *start, *final;

	if (fixture < 0) {
		printf("Bail out! cannot set up the fixture on %s\n", g_dev);
		return 1;
	}
	why = precondition();
	if (why) {
		printf("Bail out! precondition: %s\n", why);
		if (fixture)
			remove_fixture();
		return 1;
	}
	start = snapshot();
	for (size_t i = 0; i < N_CASES(cases); i++)
		run_case(&cases[i], true);
	final = snapshot();
	tap(strcmp(start, final) == 0, "state at the end equals the state at the start");
	free(start);
	free(final);
	if (fixture)
		remove_fixture();
	return finish();
}

int main(int argc, char **argv)
{
	bool eperm = argc == 3 && strcmp(argv[1], "--eperm") == 0;
	struct znl_err e;
	int ret;

	if (!(argc == 2 && argv[1][0] != '-') && !eperm) {
		fprintf(stderr, "usage: nl_reject [--eperm] DEV\n");
		return 2;
	}
	g_dev = argv[argc - 1];
	g_lo_ifindex = if_nametoindex("lo");
	if (zeq_nl_open(&g_nl, &e) < 0) {
		printf("Bail out! family \"%s\": %s\n", ZEQ_GENL_NAME,
		       znl_strerror(&e));
		return 1;
	}
	ret = eperm ? run_eperm() : run_reject();
	znl_close(&g_nl);
	return ret;
}
