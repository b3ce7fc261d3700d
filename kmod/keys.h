/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keys.h - session keys: key pairs, per-peer slots, limits, the key table.
 */
#ifndef _ZEQ_KEYS_H
#define _ZEQ_KEYS_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <crypto/aead.h>
#include "replay.h"
#include "zeq.h"

struct zeq_peer;
struct zeq_device;

/* Bits of struct zeq_keypair.flags */
enum {
	ZEQ_KEY_F_NEAR_LIMIT,	/* near-limit event sent */
	ZEQ_KEY_F_EXPIRED,	/* past its usage limit: unusable */
	ZEQ_KEY_F_JUNK_SENT,	/* junk datagrams sent before its first packet */
	ZEQ_KEY_F_CONFIRMED,	/* a packet authenticated under it while next */
};

/**
 * struct zeq_keypair - one session's directional AES-256-GCM keys
 * @peer: owner; holds a reference to it
 * @refcount: slot reference plus one per packet in flight
 * @rcu: deferred free after the last reference
 * @table_node: entry in the device key table by @key_id (RCU readers;
 *	writers hold the config mutex)
 * @key_id: id the remote writes on packets to us (unique in the device)
 * @remote_key_id: id we write on packets to the remote
 * @tx_tfm: gcm(aes) transform holding the send key
 * @rx_tfm: gcm(aes) transform holding the receive key
 * @tx_salt: high 4 bytes of send nonces
 * @rx_salt: high 4 bytes of receive nonces
 * @tx_counter: next send counter; never reused under this key
 * @tx_usage: usage units consumed sending (see ZEQ_KEY_USAGE_LIMIT)
 * @rx_usage: usage units consumed receiving, failed attempts included
 * @tx_packets: packets sealed
 * @rx_packets: packets opened
 * @replay: receive window
 * @created: jiffies64 at install
 * @flags: ZEQ_KEY_F_* bits
 *
 * Immutable after install but for the atomics, @replay and @flags. A
 * packet in flight holds a reference, so a key removed from its slot and
 * the table lives until the packet is done.
 */
struct zeq_keypair {
	struct zeq_peer *peer;
	struct kref refcount;
	struct rcu_head rcu;
	struct hlist_node table_node;
	u32 key_id;
	u32 remote_key_id;
	struct crypto_aead *tx_tfm;
	struct crypto_aead *rx_tfm;
	u8 tx_salt[ZEQ_SALT_LEN];
	u8 rx_salt[ZEQ_SALT_LEN];
	atomic64_t tx_counter;
	atomic64_t tx_usage;
	atomic64_t rx_usage;
	atomic64_t tx_packets;
	atomic64_t rx_packets;
	struct zeq_replay replay;
	u64 created;
	unsigned long flags;
};

/**
 * struct zeq_keyslots - a peer's keys
 * @slot: by enum zeq_key_slot (RCU readers; writers hold the config mutex)
 * @previous_since: boot-time seconds when the previous slot was filled
 * @last_install: wall-clock seconds of the last install (0: never)
 */
struct zeq_keyslots {
	struct zeq_keypair __rcu *slot[__ZEQ_KEY_SLOT_MAX];
	u64 previous_since;
	time64_t last_install;
};

/**
 * struct zeq_key_config - a key install request, parsed from netlink
 * @key_id: see struct zeq_keypair
 * @remote_key_id: see struct zeq_keypair
 * @tx_key: send key
 * @rx_key: receive key
 * @tx_salt: send salt
 * @rx_salt: receive salt
 *
 * Lives on the stack of the netlink handler and is wiped there.
 */
struct zeq_key_config {
	u32 key_id;
	u32 remote_key_id;
	u8 tx_key[ZEQ_KEY_LEN];
	u8 rx_key[ZEQ_KEY_LEN];
	u8 tx_salt[ZEQ_SALT_LEN];
	u8 rx_salt[ZEQ_SALT_LEN];
};

int zeq_key_install(struct zeq_peer *peer, const struct zeq_key_config *cfg,
		    struct netlink_ext_ack *extack);
int zeq_key_swap(struct zeq_peer *peer, struct netlink_ext_ack *extack);
int zeq_key_delete(struct zeq_peer *peer, enum zeq_key_slot slot,
		   struct netlink_ext_ack *extack);
void zeq_keys_clear(struct zeq_peer *peer);
void zeq_keys_housekeeping(struct zeq_peer *peer);

struct zeq_keypair *zeq_key_lookup(struct zeq_device *zeq, u32 key_id);
struct zeq_keypair *zeq_key_current(struct zeq_peer *peer);
void zeq_keypair_put(struct zeq_keypair *kp);
int zeq_key_charge(struct zeq_keypair *kp, atomic64_t *usage, unsigned int len);
u64 zeq_key_age(const struct zeq_keypair *kp);
const char *zeq_crypto_driver_probe(char *buf, size_t len);

void zeq_key_history_free(struct zeq_device *zeq);

#ifdef ZEQ_SELFTEST
bool zeq_keys_selftest(void);
#endif

#endif /* _ZEQ_KEYS_H */
