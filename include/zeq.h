/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * zeq.h - userspace API of the "zeq" generic netlink family.
 *
 * The kernel module and userspace (zeqctl, zeqd) include this one header.
 * docs/netlink.md documents every command and attribute; docs/zeq.yaml is
 * the same family in the kernel's Documentation/netlink/specs format.
 *
 * Every operation and the "events" multicast group require CAP_NET_ADMIN in
 * the network namespace of the device. No operation ever returns key bytes.
 */
#ifndef _UAPI_LINUX_ZEQ_H
#define _UAPI_LINUX_ZEQ_H

#include "zeq_constants.h"

#define ZEQ_GENL_NAME		"zeq"
#define ZEQ_GENL_VERSION	1
#define ZEQ_MCGRP_EVENTS	"events"
#define ZEQ_LINK_KIND		"zeq"

/* Limits enforced by the netlink policies. */
#define ZEQ_PEER_ID_MAX		0x7fffffffU	/* peer ids are 1..MAX */
#define ZEQ_KEEPALIVE_MAX	3600U		/* seconds; 0 = off */
#define ZEQ_MAX_PEERS		65536U		/* per device */
#define ZEQ_MAX_ALLOWED_IPS	65536U		/* per device */

/**
 * enum zeq_cmd - generic netlink commands of the "zeq" family
 * @ZEQ_CMD_DEV_GET: do: one device (ZEQ_A_IFINDEX or ZEQ_A_IFNAME); dump:
 *	every zeq device of the caller's netns
 * @ZEQ_CMD_DEV_SET: set listen port, fwmark, key max age, cover, padding,
 *	obfuscation
 * @ZEQ_CMD_PEER_NEW: create a peer (ZEQ_A_PEER, with ZEQ_A_PEER_ID)
 * @ZEQ_CMD_PEER_SET: change an existing peer
 * @ZEQ_CMD_PEER_GET: do: one peer; dump: every peer of a device, one
 *	message per peer (a peer with many allowed IPs continues in the next
 *	message with the same ZEQ_A_PEER_ID)
 * @ZEQ_CMD_PEER_DEL: delete a peer
 * @ZEQ_CMD_KEY_NEW: install a key pair into a peer's slot (ZEQ_A_KEYCONF)
 * @ZEQ_CMD_KEY_SWAP: next key becomes current, current becomes previous
 * @ZEQ_CMD_KEY_DEL: delete the key in one slot
 * @ZEQ_CMD_EVENT: notification on the "events" group: ZEQ_A_IFINDEX,
 *	ZEQ_A_IFNAME and ZEQ_A_EVENT
 */
enum zeq_cmd {
	ZEQ_CMD_UNSPEC,
	ZEQ_CMD_DEV_GET,
	ZEQ_CMD_DEV_SET,
	ZEQ_CMD_PEER_NEW,
	ZEQ_CMD_PEER_SET,
	ZEQ_CMD_PEER_GET,
	ZEQ_CMD_PEER_DEL,
	ZEQ_CMD_KEY_NEW,
	ZEQ_CMD_KEY_SWAP,
	ZEQ_CMD_KEY_DEL,
	ZEQ_CMD_EVENT,
	__ZEQ_CMD_MAX
};
#define ZEQ_CMD_MAX (__ZEQ_CMD_MAX - 1)

/**
 * enum zeq_a - top-level attributes
 * @ZEQ_A_IFINDEX: u32, device index (selects the device)
 * @ZEQ_A_IFNAME: string, device name (selects the device if no ifindex)
 * @ZEQ_A_LISTEN_PORT: u16, UDP port; 0 picks a free one
 * @ZEQ_A_FWMARK: u32, mark on outer packets; 0 = none
 * @ZEQ_A_KEY_MAX_AGE: u32, seconds a key may live,
 *	ZEQ_KEY_MAX_AGE_MIN..ZEQ_KEY_MAX_AGE_MAX
 * @ZEQ_A_CRYPTO_DRIVER: string, read only: driver behind gcm(aes)
 * @ZEQ_A_PEER_COUNT: u32, read only
 * @ZEQ_A_STATS: nest of enum zeq_a_stats, read only
 * @ZEQ_A_PEER: nest of enum zeq_a_peer
 * @ZEQ_A_KEYCONF: nest of enum zeq_a_keyconf
 * @ZEQ_A_EVENT: nest of enum zeq_a_event
 * @ZEQ_A_PAD: padding for 64-bit attributes
 * @ZEQ_A_COVER: u8, 0 or 1: cover traffic for every peer that does not
 *	choose for itself (ZEQ_A_PEER_COVER)
 * @ZEQ_A_COVER_RATE: u32, cover packets per second per peer in
 *	milli-hertz, ZEQ_COVER_RATE_MIN_MHZ..ZEQ_COVER_RATE_MAX_MHZ
 *	(default ZEQ_COVER_RATE_DEFAULT_MHZ)
 * @ZEQ_A_PADDING: nest of enum zeq_a_padding; on set it replaces the
 *	whole padding configuration
 * @ZEQ_A_OBFS: nest of enum zeq_a_obfs; on set the attributes given
 *	change the current parameters, and the result is checked as a whole
 */
enum zeq_a {
	ZEQ_A_UNSPEC,
	ZEQ_A_IFINDEX,
	ZEQ_A_IFNAME,
	ZEQ_A_LISTEN_PORT,
	ZEQ_A_FWMARK,
	ZEQ_A_KEY_MAX_AGE,
	ZEQ_A_CRYPTO_DRIVER,
	ZEQ_A_PEER_COUNT,
	ZEQ_A_STATS,
	ZEQ_A_PEER,
	ZEQ_A_KEYCONF,
	ZEQ_A_EVENT,
	ZEQ_A_PAD,
	ZEQ_A_COVER,
	ZEQ_A_COVER_RATE,
	ZEQ_A_PADDING,
	ZEQ_A_OBFS,
	__ZEQ_A_MAX
};
#define ZEQ_A_MAX (__ZEQ_A_MAX - 1)

/**
 * enum zeq_a_peer - attributes of a peer (inside ZEQ_A_PEER)
 * @ZEQ_A_PEER_ID: u32, 1..ZEQ_PEER_ID_MAX, chosen by the caller
 * @ZEQ_A_PEER_ENDPOINT_IPV4: binary (4, network order)
 * @ZEQ_A_PEER_ENDPOINT_IPV6: binary (16)
 * @ZEQ_A_PEER_ENDPOINT_PORT: u16, 1..65535, needed with an address
 * @ZEQ_A_PEER_KEEPALIVE: u16 seconds, 0..ZEQ_KEEPALIVE_MAX, 0 = off
 * @ZEQ_A_PEER_ALLOWED_IP: nest of enum zeq_a_aip; may repeat
 * @ZEQ_A_PEER_REPLACE_ALLOWED_IPS: flag: drop existing allowed IPs first
 * @ZEQ_A_PEER_KEY: nest of enum zeq_a_keyconf, read only, may repeat:
 *	key slot status (never key bytes)
 * @ZEQ_A_PEER_STATS: nest of enum zeq_a_stats, read only
 * @ZEQ_A_PEER_LAST_RX: u64, read only: seconds since the last
 *	authenticated packet (absent if none)
 * @ZEQ_A_PEER_LAST_KEY: u64, read only: unix time of the last key install
 * @ZEQ_A_PEER_PAD: padding
 * @ZEQ_A_PEER_COVER: u8, enum zeq_cover_mode
 * @ZEQ_A_PEER_COVER_RATE: u32 milli-hertz, 0 (the device's rate) or
 *	ZEQ_COVER_RATE_MIN_MHZ..ZEQ_COVER_RATE_MAX_MHZ
 * @ZEQ_A_PEER_COVER_ACTIVE_RATE: u32, read only: the rate cover packets
 *	are being sent at (milli-hertz), 0 when none are
 */
enum zeq_a_peer {
	ZEQ_A_PEER_UNSPEC,
	ZEQ_A_PEER_ID,
	ZEQ_A_PEER_ENDPOINT_IPV4,
	ZEQ_A_PEER_ENDPOINT_IPV6,
	ZEQ_A_PEER_ENDPOINT_PORT,
	ZEQ_A_PEER_KEEPALIVE,
	ZEQ_A_PEER_ALLOWED_IP,
	ZEQ_A_PEER_REPLACE_ALLOWED_IPS,
	ZEQ_A_PEER_KEY,
	ZEQ_A_PEER_STATS,
	ZEQ_A_PEER_LAST_RX,
	ZEQ_A_PEER_LAST_KEY,
	ZEQ_A_PEER_PAD,
	ZEQ_A_PEER_COVER,
	ZEQ_A_PEER_COVER_RATE,
	ZEQ_A_PEER_COVER_ACTIVE_RATE,
	__ZEQ_A_PEER_MAX
};
#define ZEQ_A_PEER_MAX (__ZEQ_A_PEER_MAX - 1)

/**
 * enum zeq_a_aip - one allowed IP prefix (inside ZEQ_A_PEER_ALLOWED_IP)
 * @ZEQ_A_AIP_FAMILY: u16, AF_INET or AF_INET6
 * @ZEQ_A_AIP_ADDR: binary, 4 or 16 bytes to match the family
 * @ZEQ_A_AIP_CIDR: u8, 0..32 or 0..128; host bits must be zero
 */
enum zeq_a_aip {
	ZEQ_A_AIP_UNSPEC,
	ZEQ_A_AIP_FAMILY,
	ZEQ_A_AIP_ADDR,
	ZEQ_A_AIP_CIDR,
	__ZEQ_A_AIP_MAX
};
#define ZEQ_A_AIP_MAX (__ZEQ_A_AIP_MAX - 1)

/**
 * enum zeq_cover_mode - whether a peer sends cover packets
 * @ZEQ_COVER_DEVICE: on or off as the device says (ZEQ_A_COVER), at the
 *	peer's own rate if it has one; the default
 * @ZEQ_COVER_ON: always, at ZEQ_A_PEER_COVER_RATE or the device's rate
 * @ZEQ_COVER_OFF: never
 */
enum zeq_cover_mode {
	ZEQ_COVER_DEVICE,
	ZEQ_COVER_ON,
	ZEQ_COVER_OFF,
	__ZEQ_COVER_MAX
};
#define ZEQ_COVER_MAX (__ZEQ_COVER_MAX - 1)

/**
 * enum zeq_padding_mode - how the plaintext of a packet is padded
 * @ZEQ_PADDING_OFF: not at all
 * @ZEQ_PADDING_BUCKET: inner length rounded up to the smallest bucket
 *	size that holds it; above the largest, to the device MTU
 * @ZEQ_PADDING_MTU: every inner length padded to the device MTU
 * @ZEQ_PADDING_RANDOM: a random number of bytes drawn from the
 *	configured distribution, at most the configured maximum and what the
 *	MTU leaves, within the overhead cap
 */
enum zeq_padding_mode {
	ZEQ_PADDING_OFF,
	ZEQ_PADDING_BUCKET,
	ZEQ_PADDING_MTU,
	ZEQ_PADDING_RANDOM,
	__ZEQ_PADDING_MAX
};
#define ZEQ_PADDING_MAX (__ZEQ_PADDING_MAX - 1)

/**
 * enum zeq_pad_dist - distribution of random padding
 * @ZEQ_PAD_DIST_UNIFORM: uniform over 0..max
 * @ZEQ_PAD_DIST_EXPONENTIAL: exponential with the configured mean,
 *	truncated at max
 */
enum zeq_pad_dist {
	ZEQ_PAD_DIST_UNIFORM,
	ZEQ_PAD_DIST_EXPONENTIAL,
	__ZEQ_PAD_DIST_MAX
};
#define ZEQ_PAD_DIST_MAX (__ZEQ_PAD_DIST_MAX - 1)

/**
 * enum zeq_a_padding - padding configuration (inside ZEQ_A_PADDING)
 * @ZEQ_A_PADDING_MODE: u8, enum zeq_padding_mode (required on set)
 * @ZEQ_A_PADDING_BUCKET: u16, 1..ZEQ_PAD_SIZE_MAX, repeated in strictly
 *	ascending order, at most ZEQ_PAD_BUCKETS_MAX (bucket mode only)
 * @ZEQ_A_PADDING_DIST: u8, enum zeq_pad_dist (random mode; default uniform)
 * @ZEQ_A_PADDING_RANDOM_MAX: u16, 1..ZEQ_PAD_RANDOM_MAX: largest random pad
 *	(random mode, required)
 * @ZEQ_A_PADDING_RANDOM_MEAN: u16, mean of the exponential distribution,
 *	1 up to the configured max (default max / 4, at least 1)
 * @ZEQ_A_PADDING_OVERHEAD_CAP: u16 percent, 0..ZEQ_PAD_OVERHEAD_CAP_MAX:
 *	padding bytes per peer at most this share of the inner bytes sent
 *	(random mode; 0 = no cap)
 */
enum zeq_a_padding {
	ZEQ_A_PADDING_UNSPEC,
	ZEQ_A_PADDING_MODE,
	ZEQ_A_PADDING_BUCKET,
	ZEQ_A_PADDING_DIST,
	ZEQ_A_PADDING_RANDOM_MAX,
	ZEQ_A_PADDING_RANDOM_MEAN,
	ZEQ_A_PADDING_OVERHEAD_CAP,
	__ZEQ_A_PADDING_MAX
};
#define ZEQ_A_PADDING_MAX (__ZEQ_A_PADDING_MAX - 1)

/**
 * enum zeq_a_obfs - obfuscation parameters (inside ZEQ_A_OBFS); they must
 * be the same on every peer of a deployment
 * @ZEQ_A_OBFS_JUNK_COUNT: u8, 0..ZEQ_JUNK_COUNT_MAX junk datagrams before
 *	the first packet under each new key (default 0)
 * @ZEQ_A_OBFS_JUNK_MIN: u16, smallest junk datagram (UDP payload bytes),
 *	at least ZEQ_JUNK_SIZE_MIN(prefix max) when the junk count is not 0
 * @ZEQ_A_OBFS_JUNK_MAX: u16, largest, JUNK_MIN..ZEQ_JUNK_SIZE_MAX
 * @ZEQ_A_OBFS_PREFIX_MIN: u8, shortest random prefix, 0..PREFIX_MAX
 * @ZEQ_A_OBFS_PREFIX_MAX: u8, longest, 0..ZEQ_PREFIX_MAX (0: no prefix)
 * @ZEQ_A_OBFS_TYPE_DATA_MIN: u32, data packet type values are drawn
 *	from DATA_MIN..DATA_MAX (default ZEQ_TYPE_DATA_DEFAULT)
 * @ZEQ_A_OBFS_TYPE_DATA_MAX: u32
 * @ZEQ_A_OBFS_TYPE_JUNK_MIN: u32, junk type values, JUNK_MIN..JUNK_MAX,
 *	not overlapping the data range (default ZEQ_TYPE_JUNK_DEFAULT)
 * @ZEQ_A_OBFS_TYPE_JUNK_MAX: u32
 * @ZEQ_A_OBFS_HEADER_PROTECTION: u8, 0 or 1; 1 needs a key (an all-zero
 *	key counts as none)
 * @ZEQ_A_OBFS_HP_KEY: binary, exactly ZEQ_HP_KEY_LEN, write only
 * @ZEQ_A_OBFS_DIGEST: binary, ZEQ_OBFS_DIGEST_LEN, read only: BLAKE2s-256
 *	of the parameters (key included), to compare peers
 */
enum zeq_a_obfs {
	ZEQ_A_OBFS_UNSPEC,
	ZEQ_A_OBFS_JUNK_COUNT,
	ZEQ_A_OBFS_JUNK_MIN,
	ZEQ_A_OBFS_JUNK_MAX,
	ZEQ_A_OBFS_PREFIX_MIN,
	ZEQ_A_OBFS_PREFIX_MAX,
	ZEQ_A_OBFS_TYPE_DATA_MIN,
	ZEQ_A_OBFS_TYPE_DATA_MAX,
	ZEQ_A_OBFS_TYPE_JUNK_MIN,
	ZEQ_A_OBFS_TYPE_JUNK_MAX,
	ZEQ_A_OBFS_HEADER_PROTECTION,
	ZEQ_A_OBFS_HP_KEY,
	ZEQ_A_OBFS_DIGEST,
	__ZEQ_A_OBFS_MAX
};
#define ZEQ_A_OBFS_MAX (__ZEQ_A_OBFS_MAX - 1)

/**
 * enum zeq_key_slot - key slots of a peer
 * @ZEQ_KEY_SLOT_CURRENT: sends and receives
 * @ZEQ_KEY_SLOT_NEXT: receives; becomes current on swap, at once on
 *	install when the peer has no current key, or within a second of a
 *	packet authenticating under it (the peer swapped)
 * @ZEQ_KEY_SLOT_PREVIOUS: receives only, for ZEQ_KEY_PREVIOUS_GRACE_S
 */
enum zeq_key_slot {
	ZEQ_KEY_SLOT_CURRENT,
	ZEQ_KEY_SLOT_NEXT,
	ZEQ_KEY_SLOT_PREVIOUS,
	__ZEQ_KEY_SLOT_MAX
};
#define ZEQ_KEY_SLOT_MAX (__ZEQ_KEY_SLOT_MAX - 1)

/**
 * enum zeq_a_keyconf - a key pair (inside ZEQ_A_KEYCONF or ZEQ_A_PEER_KEY)
 * @ZEQ_A_KEYCONF_PEER_ID: u32, the peer
 * @ZEQ_A_KEYCONF_SLOT: u8, enum zeq_key_slot (KEY_NEW: NEXT only; DEL: any)
 * @ZEQ_A_KEYCONF_KEY_ID: u32 != 0, id the remote puts on packets to us;
 *	unique within the device
 * @ZEQ_A_KEYCONF_REMOTE_KEY_ID: u32 != 0, id we put on packets we send;
 *	defaults to ZEQ_A_KEYCONF_KEY_ID
 * @ZEQ_A_KEYCONF_TX_KEY: binary, exactly ZEQ_KEY_LEN, write only
 * @ZEQ_A_KEYCONF_TX_SALT: binary, exactly ZEQ_SALT_LEN, write only
 * @ZEQ_A_KEYCONF_RX_KEY: binary, exactly ZEQ_KEY_LEN, write only
 * @ZEQ_A_KEYCONF_RX_SALT: binary, exactly ZEQ_SALT_LEN, write only
 * @ZEQ_A_KEYCONF_AGE: u64 seconds since install, read only
 * @ZEQ_A_KEYCONF_TX_PACKETS: u64, read only
 * @ZEQ_A_KEYCONF_RX_PACKETS: u64, read only
 * @ZEQ_A_KEYCONF_TX_USAGE: u64 usage units (see ZEQ_KEY_USAGE_LIMIT)
 * @ZEQ_A_KEYCONF_RX_USAGE: u64 usage units
 * @ZEQ_A_KEYCONF_USAGE_LIMIT: u64, read only
 * @ZEQ_A_KEYCONF_PAD: padding
 */
enum zeq_a_keyconf {
	ZEQ_A_KEYCONF_UNSPEC,
	ZEQ_A_KEYCONF_PEER_ID,
	ZEQ_A_KEYCONF_SLOT,
	ZEQ_A_KEYCONF_KEY_ID,
	ZEQ_A_KEYCONF_REMOTE_KEY_ID,
	ZEQ_A_KEYCONF_TX_KEY,
	ZEQ_A_KEYCONF_TX_SALT,
	ZEQ_A_KEYCONF_RX_KEY,
	ZEQ_A_KEYCONF_RX_SALT,
	ZEQ_A_KEYCONF_AGE,
	ZEQ_A_KEYCONF_TX_PACKETS,
	ZEQ_A_KEYCONF_RX_PACKETS,
	ZEQ_A_KEYCONF_TX_USAGE,
	ZEQ_A_KEYCONF_RX_USAGE,
	ZEQ_A_KEYCONF_USAGE_LIMIT,
	ZEQ_A_KEYCONF_PAD,
	__ZEQ_A_KEYCONF_MAX
};
#define ZEQ_A_KEYCONF_MAX (__ZEQ_A_KEYCONF_MAX - 1)

/*
 * Reasons a packet is dropped, each counted per device and per peer.
 * X(enum suffix, name shown by zeqctl)
 */
#define ZEQ_DROP_REASONS(X)						\
	X(MALFORMED, "malformed")	/* too short, bad type/reserved */ \
	X(UNKNOWN_KEY, "unknown-key")	/* no key with that id */	\
	X(AUTH, "auth")			/* AEAD authentication failed */ \
	X(REPLAY, "replay")		/* counter seen or too old */	\
	X(KEY_EXPIRED, "key-expired")	/* key past its age */		\
	X(KEY_LIMIT, "key-limit")	/* key past its usage limit */	\
	X(INNER, "inner")		/* bad inner packet/trailer */	\
	X(SOURCE, "source")		/* inner source not allowed */	\
	X(NO_ROUTE, "no-route")		/* tx: no peer for destination */ \
	X(NO_KEY, "no-key")		/* tx: peer has no current key */ \
	X(NO_ENDPOINT, "no-endpoint")	/* tx: peer has no endpoint */	\
	X(OUTER_ROUTE, "outer-route")	/* tx: no route to endpoint */	\
	X(NOMEM, "nomem")		/* allocation failed */		\
	X(CRYPTO, "crypto")		/* crypto API error */		\
	X(OBFS, "obfs-mismatch")	/* header type not in the local	\
					   data or junk type range */

#define ZEQ_DROP_ENUM(n, s) ZEQ_DROP_##n,
enum zeq_drop_reason {
	ZEQ_DROP_REASONS(ZEQ_DROP_ENUM)
	__ZEQ_DROP_MAX
};
#undef ZEQ_DROP_ENUM

/**
 * enum zeq_a_stats - counters (inside ZEQ_A_STATS / ZEQ_A_PEER_STATS),
 * all u64
 * @ZEQ_A_STATS_RX_PACKETS: inner packets delivered
 * @ZEQ_A_STATS_RX_BYTES: inner bytes delivered
 * @ZEQ_A_STATS_TX_PACKETS: inner packets sent
 * @ZEQ_A_STATS_TX_BYTES: inner bytes sent
 * @ZEQ_A_STATS_RX_KEEPALIVE: empty packets received
 * @ZEQ_A_STATS_TX_KEEPALIVE: empty packets sent
 * @ZEQ_A_STATS_DROPS: nest: attribute type (reason + 1) -> u64 count
 * @ZEQ_A_STATS_PAD: padding
 * @ZEQ_A_STATS_TX_COVER: cover packets sent
 * @ZEQ_A_STATS_RX_COVER: cover packets received (authenticated, dropped)
 * @ZEQ_A_STATS_TX_JUNK: junk datagrams sent
 * @ZEQ_A_STATS_RX_JUNK: junk datagrams received (dropped)
 * @ZEQ_A_STATS_TX_PAD_BYTES: padding bytes sent (data and cover)
 */
enum zeq_a_stats {
	ZEQ_A_STATS_UNSPEC,
	ZEQ_A_STATS_RX_PACKETS,
	ZEQ_A_STATS_RX_BYTES,
	ZEQ_A_STATS_TX_PACKETS,
	ZEQ_A_STATS_TX_BYTES,
	ZEQ_A_STATS_RX_KEEPALIVE,
	ZEQ_A_STATS_TX_KEEPALIVE,
	ZEQ_A_STATS_DROPS,
	ZEQ_A_STATS_PAD,
	ZEQ_A_STATS_TX_COVER,
	ZEQ_A_STATS_RX_COVER,
	ZEQ_A_STATS_TX_JUNK,
	ZEQ_A_STATS_RX_JUNK,
	ZEQ_A_STATS_TX_PAD_BYTES,
	__ZEQ_A_STATS_MAX
};
#define ZEQ_A_STATS_MAX (__ZEQ_A_STATS_MAX - 1)

/*
 * Event types on the "events" multicast group.
 * X(enum suffix, name shown by zeqctl monitor)
 */
#define ZEQ_EVENTS(X)							\
	X(KEY_NEAR_LIMIT, "key-near-limit")	/* 7/8 of usage or age */ \
	X(KEY_EXPIRED, "key-expired")		/* key removed: age/limit */ \
	X(ENDPOINT_CHANGED, "endpoint-changed")	/* roaming */		\
	X(PEER_REMOVED, "peer-removed")					\
	X(AUTH_FAIL_BURST, "auth-fail-burst")	/* many auth failures */

#define ZEQ_EVENT_ENUM(n, s) ZEQ_EVENT_##n,
enum zeq_event_type {
	ZEQ_EVENTS(ZEQ_EVENT_ENUM)
	__ZEQ_EVENT_MAX
};
#undef ZEQ_EVENT_ENUM

/**
 * enum zeq_a_event - attributes of a notification (inside ZEQ_A_EVENT)
 * @ZEQ_A_EVENT_TYPE: u32, enum zeq_event_type
 * @ZEQ_A_EVENT_PEER_ID: u32
 * @ZEQ_A_EVENT_KEY_ID: u32
 * @ZEQ_A_EVENT_SLOT: u8, enum zeq_key_slot
 * @ZEQ_A_EVENT_ENDPOINT_IPV4: binary (4)
 * @ZEQ_A_EVENT_ENDPOINT_IPV6: binary (16)
 * @ZEQ_A_EVENT_ENDPOINT_PORT: u16
 * @ZEQ_A_EVENT_COUNT: u64, e.g. auth failures in the burst
 * @ZEQ_A_EVENT_PAD: padding
 */
enum zeq_a_event {
	ZEQ_A_EVENT_UNSPEC,
	ZEQ_A_EVENT_TYPE,
	ZEQ_A_EVENT_PEER_ID,
	ZEQ_A_EVENT_KEY_ID,
	ZEQ_A_EVENT_SLOT,
	ZEQ_A_EVENT_ENDPOINT_IPV4,
	ZEQ_A_EVENT_ENDPOINT_IPV6,
	ZEQ_A_EVENT_ENDPOINT_PORT,
	ZEQ_A_EVENT_COUNT,
	ZEQ_A_EVENT_PAD,
	__ZEQ_A_EVENT_MAX
};
#define ZEQ_A_EVENT_MAX (__ZEQ_A_EVENT_MAX - 1)

/* Auth failures within one second on one device that raise an event. */
#define ZEQ_AUTH_FAIL_BURST		16U

#endif /* _UAPI_LINUX_ZEQ_H */
