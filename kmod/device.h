/* SPDX-License-Identifier: GPL-2.0 */
/*
 * device.h - the zeq network device.
 */
#ifndef _ZEQ_DEVICE_H
#define _ZEQ_DEVICE_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>
#include <crypto/algapi.h>
#include "routing.h"
#include "stats.h"

#define ZEQ_KEY_TABLE_BITS 11

/**
 * struct zeq_device - private data of a zeq net_device
 * @dev: the net_device
 * @device_list: entry in the module's list of devices (RTNL)
 * @creating_net: netns the device was created in; its UDP sockets live
 *	there even if the device moves (RTNL and @lock to change; NULL once
 *	that netns is going away)
 * @lock: config mutex: serialises every change to peers, keys, routing,
 *	sockets and settings. Order: RTNL, then @lock.
 * @dead: set once the device is being unregistered (@lock)
 * @sock4: IPv4 UDP socket (RCU readers; writers RTNL + @lock)
 * @sock6: IPv6 UDP socket, v6-only (RCU readers; writers RTNL + @lock)
 * @listen_port: configured port, 0 = any (@lock)
 * @bound_port: port the sockets are bound to while up (@lock)
 * @fwmark: mark for outer packets (@lock to write; read locklessly)
 * @key_max_age: seconds (@lock to write; read locklessly)
 * @peers: peers by id (RCU readers; writers @lock)
 * @peer_count: number of peers (@lock)
 * @routing: allowed-IPs trie
 * @key_table: keys by receive key id (RCU readers; writers @lock)
 * @key_history: fingerprints of every key installed, a ring (@lock)
 * @key_history_next: next ring position (@lock)
 * @key_history_len: entries used (@lock)
 * @key_history_secret: siphash key of the fingerprints
 * @stats: per-CPU counters of the device
 * @gro_cells: receive delivery
 * @housekeeping: once a second: key ages and limits, keepalives
 * @event_work: sends queued events from process context
 * @event_lock: protects @events and @event_count
 * @events: struct zeq_event queue
 * @event_count: length of @events
 * @auth_fail_window: jiffies the current auth failure count started
 * @auth_fail_count: auth failures since @auth_fail_window
 * @crypto_driver: driver behind gcm(aes), shown to the user
 * @cover: cover packets for peers that follow the device (@lock)
 * @cover_rate: their rate, milli-hertz (@lock)
 * @cover_committed: sum of the peers' cover_active_rate, milli-hertz, at
 *	most ZEQ_COVER_BUDGET_MHZ (@lock)
 * @padding: padding configuration, NULL = off (RCU readers; writers @lock)
 * @obfs: obfuscation parameters, never NULL after init (RCU readers;
 *	writers @lock)
 */
struct zeq_device {
	struct net_device *dev;
	struct list_head device_list;
	struct net __rcu *creating_net;
	struct mutex lock;		/* config mutex, see above */
	bool dead;
	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
	u16 listen_port;
	u16 bound_port;
	u32 fwmark;
	u32 key_max_age;
	struct xarray peers;
	unsigned int peer_count;
	struct zeq_routing routing;
	DECLARE_HASHTABLE(key_table, ZEQ_KEY_TABLE_BITS);
	u64 *key_history;
	unsigned int key_history_next;
	unsigned int key_history_len;
	siphash_key_t key_history_secret;
	struct zeq_stats __percpu *stats;
	struct gro_cells gro_cells;
	struct delayed_work housekeeping;
	struct work_struct event_work;
	spinlock_t event_lock;		/* protects events, event_count */
	struct list_head events;
	unsigned int event_count;
	unsigned long auth_fail_window;
	atomic_t auth_fail_count;
	char crypto_driver[CRYPTO_MAX_ALG_NAME];
	bool cover;
	u32 cover_rate;
	u64 cover_committed;
	struct zeq_padding __rcu *padding;
	struct zeq_obfs __rcu *obfs;
};

extern struct rtnl_link_ops zeq_link_ops;

int zeq_device_init(void);
void zeq_device_uninit(void);
struct zeq_device *zeq_device_get(struct net *net, struct nlattr **attrs,
				  struct netlink_ext_ack *extack);
void zeq_device_put(struct zeq_device *zeq);
void zeq_drop(struct zeq_device *zeq, struct zeq_peer *peer,
	      enum zeq_drop_reason reason);

#endif /* _ZEQ_DEVICE_H */
