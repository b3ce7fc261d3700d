/* SPDX-License-Identifier: GPL-2.0 */
/*
 * obfs.h - obfuscation: junk datagrams, random prefixes, header type
 * ranges and header protection (wire format in include/zeq_constants.h).
 */
#ifndef _ZEQ_OBFS_H
#define _ZEQ_OBFS_H

#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <crypto/aes.h>
#include "zeq.h"

struct zeq_device;
struct zeq_peer;

/**
 * struct zeq_obfs_params - the deployment-wide parameters, as configured
 * @junk_count: junk datagrams before the first packet under a new key
 * @junk_min: smallest junk datagram, UDP payload bytes
 * @junk_max: largest junk datagram
 * @prefix_min: shortest random prefix
 * @prefix_max: longest random prefix; 0: none
 * @type_data_min: data header type values are drawn from min..max
 * @type_data_max: see @type_data_min
 * @type_junk_min: junk header type values, min..max
 * @type_junk_max: see @type_junk_min
 * @hp: header protection on
 * @hp_key: header protection key (meaningful only with @hp)
 */
struct zeq_obfs_params {
	u8 junk_count;
	u16 junk_min;
	u16 junk_max;
	u8 prefix_min;
	u8 prefix_max;
	u32 type_data_min;
	u32 type_data_max;
	u32 type_junk_min;
	u32 type_junk_max;
	bool hp;
	u8 hp_key[ZEQ_HP_KEY_LEN];
};

/**
 * struct zeq_obfs - a device's obfuscation state, immutable once published
 * @params: the parameters
 * @hp_ctx: expanded header protection key (with @params.hp)
 * @digest: BLAKE2s-256 of the parameters, for the daemon's mismatch check
 * @rcu: deferred free
 *
 * Published in struct zeq_device.obfs under the config mutex and replaced
 * whole; packet paths read it under rcu_read_lock_bh(). Freed with
 * kfree_sensitive after a grace period: it holds key material.
 */
struct zeq_obfs {
	struct zeq_obfs_params params;
	struct crypto_aes_ctx hp_ctx;
	u8 digest[ZEQ_OBFS_DIGEST_LEN];
	struct rcu_head rcu;
};

/* What the receive path found in a datagram's header. */
enum zeq_obfs_class {
	ZEQ_OBFS_DATA,		/* header unmasked, type in the data range */
	ZEQ_OBFS_JUNK,		/* a junk datagram */
	ZEQ_OBFS_MISMATCH,	/* type in neither range */
	ZEQ_OBFS_SHORT,		/* too short for a prefix and a header */
	ZEQ_OBFS_NOMEM,		/* could not make the header writable */
};

void zeq_obfs_default(struct zeq_obfs_params *p);
int zeq_obfs_validate(const struct zeq_obfs_params *p,
		      struct netlink_ext_ack *extack);
struct zeq_obfs *zeq_obfs_create(const struct zeq_obfs_params *p);
void zeq_obfs_free(struct zeq_obfs *obfs);
void zeq_obfs_replace(struct zeq_device *zeq, struct zeq_obfs *obfs);

u32 zeq_obfs_data_type(const struct zeq_obfs *obfs);
int zeq_obfs_wrap(const struct zeq_obfs *obfs, struct sk_buff *skb);
enum zeq_obfs_class zeq_obfs_unwrap(const struct zeq_obfs *obfs,
				    struct sk_buff *skb);
void zeq_obfs_send_junk(struct zeq_peer *peer, const struct zeq_obfs *obfs);
bool zeq_obfs_selftest(void);

#endif /* _ZEQ_OBFS_H */
