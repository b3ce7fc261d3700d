/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * zeq_constants.h - every protocol constant of zeq, in one place.
 *
 * Included by the kernel module and by userspace alike. The kernel has no
 * floating point, so every constant is an exact integer (milli-hertz,
 * nanoseconds, bytes) and everything else is derived from it here. Never
 * write one of these numbers as a literal anywhere else.
 */
#ifndef _ZEQ_CONSTANTS_H
#define _ZEQ_CONSTANTS_H

/* --- Time base ------------------------------------------------------- */

/* HulyaPulse: 1.287 Hz, expressed exactly in milli-hertz. */
#define ZEQ_PULSE_MHZ			1287ULL
#define ZEQ_NSEC_PER_SEC		1000000000ULL
#define ZEQ_MILLI			1000ULL

/* One Zeqond = 1 / PULSE_HZ seconds = 777000777 ns (rounded down). */
#define ZEQ_ZEQOND_NS \
	(ZEQ_NSEC_PER_SEC * ZEQ_MILLI / ZEQ_PULSE_MHZ)

/* Cover traffic default: exactly 10 x HulyaPulse = 12.87 packets/s. */
#define ZEQ_COVER_PULSE_MULTIPLE	10ULL
#define ZEQ_COVER_RATE_DEFAULT_MHZ \
	(ZEQ_COVER_PULSE_MULTIPLE * ZEQ_PULSE_MHZ)

/* Key ratchet period: 60 Zeqonds (about 46.6 s). */
#define ZEQ_RATCHET_PERIOD_ZEQONDS	60ULL
#define ZEQ_RATCHET_PERIOD_NS \
	(ZEQ_RATCHET_PERIOD_ZEQONDS * ZEQ_ZEQOND_NS)

/* --- Crypto ---------------------------------------------------------- */

#define ZEQ_KEY_LEN			32	/* AES-256 */
#define ZEQ_SALT_LEN			4	/* per-direction nonce salt */
#define ZEQ_COUNTER_LEN			8	/* 64-bit packet counter */
#define ZEQ_NONCE_LEN			(ZEQ_SALT_LEN + ZEQ_COUNTER_LEN)
#define ZEQ_TAG_LEN			16	/* GCM tag */
#define ZEQ_AES_BLOCK_LEN		16

/*
 * Per-key usage limit for AES-256-GCM, from draft-irtf-cfrg-aead-limits
 * (section "AEAD_AES_128_GCM and AEAD_AES_256_GCM"):
 *
 *   confidentiality advantage  CA <= (s + q + 1)^2 / 2^129
 *   integrity advantage        IA <= 2 * v * (l + 1) / 2^128
 *                                    + (s + q + v)^2 / 2^129
 *
 * with s the total plaintext blocks, q the number of encryptions and v the
 * number of forgery attempts. For a failure probability of 2^-57 the
 * quadratic term gives s + q + v <= 2^36. A key therefore carries a budget
 * of 2^36 "usage units", one per 16-byte block plus one per packet; failed
 * decryptions under the key count too (they are v). With 1416-byte inner
 * packets that is about 2^29.5 full-size packets. The linear integrity
 * term allows v up to 2^60 with l <= 2^10, so it never binds first.
 *
 * The daemon is told at 7/8 of the budget so it can ratchet early; past the
 * budget the kernel refuses to send or accept under the key.
 */
#define ZEQ_KEY_USAGE_LIMIT		(1ULL << 36)
#define ZEQ_KEY_USAGE_NOTIFY		(ZEQ_KEY_USAGE_LIMIT / 8 * 7)

/* Age limit of a key, seconds; per device (ZEQ_A_KEY_MAX_AGE). */
#define ZEQ_KEY_MAX_AGE_DEFAULT		86400U
#define ZEQ_KEY_MAX_AGE_MIN		5U
#define ZEQ_KEY_MAX_AGE_MAX		604800U
/*
 * Notify at 7/8 of the age, as for usage, but at least
 * ZEQ_KEY_AGE_NOTIFY_MARGIN seconds before the limit: the kernel looks
 * once a second, and both daemons must then ratchet over their link and
 * swap before the older of the two sides' keys reaches the limit. With
 * 7/8 alone a 5 s key was told at 4 s, and seen at up to 5 s: too late.
 * ZEQ_KEY_MAX_AGE_MIN is above the margin, so this is never below 2 s.
 */
#define ZEQ_KEY_AGE_NOTIFY_MARGIN	3U

static inline unsigned int zeq_key_age_notify(unsigned int max_age)
{
	if (max_age / 8U > ZEQ_KEY_AGE_NOTIFY_MARGIN)
		return max_age - max_age / 8U;
	return max_age - ZEQ_KEY_AGE_NOTIFY_MARGIN;
}

/* Grace period of the previous key after a swap, for reordered packets. */
#define ZEQ_KEY_PREVIOUS_GRACE_S	15U

/*
 * Anti-replay: sliding window of ZEQ_REPLAY_WINDOW packets (RFC 6479
 * style bitmap; one extra word so a whole window fits while it slides).
 */
#define ZEQ_REPLAY_WINDOW		8192U
#define ZEQ_REPLAY_BITMAP_BITS		(ZEQ_REPLAY_WINDOW + 64U)

/* Fingerprints of installed keys remembered per device to refuse reuse. */
#define ZEQ_KEY_HISTORY			16384U

/* --- Wire format ------------------------------------------------------ */

/*
 * A zeq data datagram (UDP payload):
 *
 *  0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  |  prefix: 0..ZEQ_PREFIX_MAX random bytes (obfuscation)  ...    |
 *  +---------------+---------------+---------------+---------------+
 *  |                       type (be32)                             |
 *  +---------------------------------------------------------------+
 *  |                        key id (be32)                          |
 *  +---------------------------------------------------------------+
 *  |                     counter (be64) ...                        |
 *  +---------------------------------------------------------------+
 *  |                          ... counter                          |
 *  +---------------------------------------------------------------+
 *  |  ciphertext of: inner packet | padding | trailer (4 bytes)    |
 *  +---------------------------------------------------------------+
 *  |                    GCM tag (16 bytes)                         |
 *  +---------------------------------------------------------------+
 *
 * The 16-byte header (type, key id, counter) in the clear is the AEAD's
 * associated data. Nonce = rx/tx salt (4 bytes) || counter (8 bytes, big
 * endian). Type is drawn per packet from the device's data type range
 * (default 1..1). With header protection on, the header is sent XORed with
 * AES-256(header protection key, the first ZEQ_HP_SAMPLE_LEN bytes after
 * the header), as QUIC does (RFC 9001, 5.4): no header byte is constant
 * or predictable without that key.
 *
 * Prefix: with a prefix range lo..hi (hi > 0), its first byte b is
 * random and the prefix is max(lo, 1) + b mod (hi - max(lo, 1) + 1) bytes
 * long, all random. The receiver finds the header the same way.
 *
 * A junk datagram (sent, with obfuscation, before the first packet under a
 * new key) is a prefix, a header whose type is in the junk type range and
 * random bytes up to a random length in the junk size range; header
 * protection applies to it like to data. The receiver counts and drops it.
 *
 * Trailer, the last 4 bytes of the plaintext:
 *
 *  +---------------+---------------+---------------+---------------+
 *  |  inner type   |   reserved    |     padding length (be16)     |
 *  +---------------+---------------+---------------+---------------+
 *
 * Inner type is ZEQ_INNER_DATA (an IPv4/IPv6 packet, or nothing: a
 * keepalive) or ZEQ_INNER_COVER (authenticated, counted, dropped).
 */
#define ZEQ_HDR_LEN			16
#define ZEQ_HDR_KEY_ID_OFF		4
#define ZEQ_HDR_COUNTER_OFF		8
#define ZEQ_TRAILER_LEN			4
#define ZEQ_INNER_DATA			0
#define ZEQ_INNER_COVER			1
#define ZEQ_OVERHEAD			(ZEQ_HDR_LEN + ZEQ_TRAILER_LEN + ZEQ_TAG_LEN)
#define ZEQ_MIN_DATAGRAM		(ZEQ_HDR_LEN + ZEQ_TRAILER_LEN + ZEQ_TAG_LEN)

/* Default device MTU: 1500 minus IPv6 (40) + UDP (8) + zeq overhead. */
#define ZEQ_OUTER_IPV6_UDP_LEN		48
#define ZEQ_DEFAULT_MTU			(1500 - ZEQ_OUTER_IPV6_UDP_LEN - ZEQ_OVERHEAD)
/* Largest UDP payload on a 1500-byte path over IPv6. */
#define ZEQ_MAX_DATAGRAM		(1500 - ZEQ_OUTER_IPV6_UDP_LEN)

/* --- Cover traffic ---------------------------------------------------- */

/* Cover rate limits, milli-hertz (0.001 to 1000 packets/s per peer). */
#define ZEQ_COVER_RATE_MIN_MHZ		1U
#define ZEQ_COVER_RATE_MAX_MHZ		1000000U
/* A cover timer this far behind its schedule starts a new one. */
#define ZEQ_COVER_MAX_LAG_NS		ZEQ_NSEC_PER_SEC
/* Inner sizes of recent data packets a cover packet's size is drawn from. */
#define ZEQ_COVER_SIZE_HISTORY		16U
/*
 * Cover budget of one device: the sum of its peers' cover rates may not
 * pass this many packets a second (100 peers at the maximum rate, 7,770 at
 * the default). A change that would is refused, so that cover asked for
 * cannot take every CPU and leave the device unmanageable.
 */
#define ZEQ_COVER_BUDGET_PPS		100000
#define ZEQ_COVER_BUDGET_MHZ		(ZEQ_COVER_BUDGET_PPS * ZEQ_MILLI)
/*
 * A peer with cover on but nothing to send with (no current key, no
 * endpoint, device down) looks again this often, not at its rate.
 */
#define ZEQ_COVER_IDLE_NS		(ZEQ_NSEC_PER_SEC / 10)

/* --- Padding ------------------------------------------------------------ */

#define ZEQ_PAD_BUCKETS_MAX		8U	/* sizes in bucket mode */
#define ZEQ_PAD_SIZE_MAX		65535U	/* largest bucket */
#define ZEQ_PAD_RANDOM_MAX		1500U	/* largest random pad */
#define ZEQ_PAD_OVERHEAD_CAP_MAX	1000U	/* percent */
/* Padding credit a peer may bank in random mode with an overhead cap. */
#define ZEQ_PAD_CREDIT_MAX		65536U

/* --- Obfuscation -------------------------------------------------------- */

#define ZEQ_JUNK_COUNT_MAX		128U
#define ZEQ_JUNK_SIZE_MAX		ZEQ_MAX_DATAGRAM
#define ZEQ_PREFIX_MAX			64U
#define ZEQ_HP_KEY_LEN			32	/* AES-256 */
#define ZEQ_HP_SAMPLE_LEN		16	/* one AES block */
/* Smallest junk datagram: the longest prefix, a header and a sample. */
#define ZEQ_JUNK_SIZE_MIN(prefix_max) \
	((prefix_max) + ZEQ_HDR_LEN + ZEQ_HP_SAMPLE_LEN)
#define ZEQ_TYPE_DATA_DEFAULT		1U
#define ZEQ_TYPE_JUNK_DEFAULT		2U
/* BLAKE2s-256 of the parameters (see docs/datapath.md for the input). */
#define ZEQ_OBFS_DIGEST_LEN		32

/* --- Daemon identities (zeqd, zeqctl) ------------------------------------ */

/* A node id (ZID): 32 lowercase hex digits (16 bytes of SHA-256). */
#define ZEQ_ZID_HEX_LEN			32
#define ZEQ_ZID_LEN			(ZEQ_ZID_HEX_LEN / 2)
/* Relays in a tunnel's multi-hop chain (vpn_tunnels.multi_hop_chain). */
#define ZEQ_TUNNEL_HOPS_MAX		3
/* zeqd's status file that `zeqctl show` reads (zeqd.conf status_file) */
#define ZEQ_STATUS_FILE_DEFAULT		"/run/zeq/status.json"

#endif /* _ZEQ_CONSTANTS_H */
