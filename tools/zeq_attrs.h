/* SPDX-License-Identifier: MIT */
/*
 * zeq_attrs.h - attributes of the "zeq" family as plain C structs.
 *
 * Builders put a struct into a netlink message, parsers fill a struct from
 * one. Which fields are present is a bit mask of the attribute types of the
 * struct's own attribute set (ZEQ_HAS / ZEQ_MARK). Shared by zeqctl, zeqd
 * and the tests; nothing here talks to a socket.
 */
#ifndef ZEQ_ATTRS_H
#define ZEQ_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#include "zeq.h"

#define ZEQ_BIT(attr)		(1ULL << (attr))
#define ZEQ_HAS(s, attr)	(((s)->has & ZEQ_BIT(attr)) != 0)
#define ZEQ_MARK(s, attr)	((s)->has |= ZEQ_BIT(attr))

#define ZEQ_NSLOTS		(ZEQ_KEY_SLOT_MAX + 1)
#define ZEQ_ENDPOINT_STRLEN	(INET6_ADDRSTRLEN + 8)	/* "[a6]:65535" */
#define ZEQ_PREFIX_STRLEN	(INET6_ADDRSTRLEN + 5)	/* "a6/128" */
#define ZEQ_CRYPTO_DRIVER_LEN	128

/* An address: family 0 (none), AF_INET or AF_INET6. */
struct zeq_addr {
	uint16_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

struct zeq_endpoint {
	struct zeq_addr addr;		/* family 0: no endpoint */
	uint16_t port;			/* host order */
};

struct zeq_prefix {
	struct zeq_addr addr;
	uint8_t cidr;
};

struct zeq_stats {
	uint64_t has;			/* ZEQ_A_STATS_* */
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	uint64_t rx_keepalive, tx_keepalive;
	uint64_t tx_cover, rx_cover, tx_junk, rx_junk, tx_pad_bytes;
	uint64_t drops[__ZEQ_DROP_MAX];
};

/* Padding configuration (ZEQ_A_PADDING): replaced whole on set. */
struct zeq_padding {
	uint64_t has;			/* ZEQ_A_PADDING_* */
	uint8_t mode;			/* enum zeq_padding_mode */
	uint16_t buckets[ZEQ_PAD_BUCKETS_MAX];	/* ZEQ_A_PADDING_BUCKET */
	unsigned int n_buckets;
	uint8_t dist;			/* enum zeq_pad_dist */
	uint16_t random_max, random_mean, overhead_cap;
};

/* Obfuscation parameters (ZEQ_A_OBFS): merged onto the device's on set. */
struct zeq_obfs {
	uint64_t has;			/* ZEQ_A_OBFS_* */
	uint8_t junk_count;
	uint16_t junk_min, junk_max;
	uint8_t prefix_min, prefix_max;
	uint32_t type_data_min, type_data_max, type_junk_min, type_junk_max;
	uint8_t header_protection;
	uint8_t hp_key[ZEQ_HP_KEY_LEN];	/* write only */
	uint8_t digest[ZEQ_OBFS_DIGEST_LEN];	/* read only */
};

/* Key slot status (read) or a key pair to install (write). */
struct zeq_keyconf {
	uint64_t has;			/* ZEQ_A_KEYCONF_* */
	uint32_t peer_id;
	uint8_t slot;
	uint32_t key_id, remote_key_id;
	uint8_t tx_key[ZEQ_KEY_LEN], tx_salt[ZEQ_SALT_LEN];
	uint8_t rx_key[ZEQ_KEY_LEN], rx_salt[ZEQ_SALT_LEN];
	uint64_t age, tx_packets, rx_packets, tx_usage, rx_usage, usage_limit;
};

struct zeq_device {
	uint64_t has;			/* ZEQ_A_* */
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint16_t listen_port;
	uint32_t fwmark;
	uint32_t key_max_age;
	char crypto_driver[ZEQ_CRYPTO_DRIVER_LEN];
	uint32_t peer_count;
	uint8_t cover;
	uint32_t cover_rate;		/* mHz */
	struct zeq_padding padding;	/* ZEQ_A_PADDING */
	struct zeq_obfs obfs;		/* ZEQ_A_OBFS */
	struct zeq_stats stats;
};

struct zeq_peer {
	uint64_t has;			/* ZEQ_A_PEER_* */
	uint32_t id;
	struct zeq_endpoint endpoint;	/* ENDPOINT_IPV4/IPV6 + PORT */
	uint16_t keepalive;
	struct zeq_prefix *aips;	/* ZEQ_A_PEER_ALLOWED_IP, malloc'd */
	size_t n_aips, cap_aips;
	struct zeq_keyconf keys[ZEQ_NSLOTS];	/* ZEQ_A_PEER_KEY */
	unsigned int n_keys;
	struct zeq_stats stats;
	uint64_t last_rx, last_key;
	uint8_t cover;			/* enum zeq_cover_mode */
	uint32_t cover_rate, cover_active_rate;	/* mHz */
};

struct zeq_event {
	uint64_t has;			/* ZEQ_A_EVENT_* */
	uint32_t ifindex;		/* top level; 0 if absent */
	char ifname[IF_NAMESIZE];		/* top level; "" if absent */
	uint32_t type, peer_id, key_id;
	uint8_t slot;
	struct zeq_endpoint endpoint;
	uint64_t count;
};

/* Names from the X-macro tables of zeq.h; NULL when out of range. */
const char *zeq_drop_name(unsigned int reason);
const char *zeq_event_name(unsigned int type);
const char *zeq_slot_name(unsigned int slot);
const char *zeq_cover_mode_name(unsigned int mode);
const char *zeq_padding_mode_name(unsigned int mode);
const char *zeq_pad_dist_name(unsigned int dist);
int zeq_slot_from_name(const char *name);	/* -1 if unknown */

/* "a.b.c.d:p" / "[a6]:p"; "" for no endpoint. Returns buf. */
char *zeq_endpoint_str(const struct zeq_endpoint *ep, char *buf, size_t len);
/* "a/cidr". Returns buf. */
char *zeq_prefix_str(const struct zeq_prefix *p, char *buf, size_t len);

/* Nest start that always sets NLA_F_NESTED (strict kernel validation). */
struct nlattr *zeq_nest_start(struct nlmsghdr *nlh, size_t buflen,
			      uint16_t type);
/*
 * Nest end; false (the message is then unusable) if the nest grew past
 * the 65535 bytes its 16-bit nla_len can describe, where
 * mnl_attr_nest_end would silently wrap the length.
 */
bool zeq_nest_end(struct nlmsghdr *nlh, struct nlattr *nest);

/*
 * Builders: put the attributes marked in ->has. They return false when
 * the buffer (buflen bytes from nlh) is too small, or a nest too long for
 * netlink (e.g. a peer with thousands of allowed IPs); the message is
 * then unusable.
 */
bool zeq_put_dev_sel(struct nlmsghdr *nlh, size_t buflen, uint32_t ifindex,
		     const char *ifname);
bool zeq_put_dev(struct nlmsghdr *nlh, size_t buflen,
		 const struct zeq_device *d);
bool zeq_put_stats(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		   const struct zeq_stats *s);
bool zeq_put_aip(struct nlmsghdr *nlh, size_t buflen,
		 const struct zeq_prefix *p);
bool zeq_put_keyconf(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		     const struct zeq_keyconf *k);
bool zeq_put_peer(struct nlmsghdr *nlh, size_t buflen,
		  const struct zeq_peer *p);
bool zeq_put_event(struct nlmsghdr *nlh, size_t buflen,
		   const struct zeq_event *ev);

/*
 * Parsers take a whole generic netlink message. Unknown attributes are
 * skipped (newer kernels); a known attribute of the wrong size fails with
 * -1 and errno EBADMSG. They only set what is present, so a peer dump that
 * continues a peer in a second message parses into the same struct: allowed
 * IPs are appended.
 */
int zeq_parse_dev(const struct nlmsghdr *nlh, struct zeq_device *d);
int zeq_parse_peer(const struct nlmsghdr *nlh, struct zeq_peer *p);
int zeq_parse_event(const struct nlmsghdr *nlh, struct zeq_event *ev);
/* Nested parsers, for callers holding the nest attribute. */
int zeq_parse_stats(const struct nlattr *nest, struct zeq_stats *s);
int zeq_parse_keyconf(const struct nlattr *nest, struct zeq_keyconf *k);
int zeq_parse_aip(const struct nlattr *nest, struct zeq_prefix *p);

/* ZEQ_A_PEER_ID of a peer message, 0 if absent or malformed. */
uint32_t zeq_msg_peer_id(const struct nlmsghdr *nlh);

int zeq_peer_add_aip(struct zeq_peer *p, const struct zeq_prefix *pfx);
void zeq_peer_free(struct zeq_peer *p);	/* frees aips, keeps the rest */

#endif /* ZEQ_ATTRS_H */
