/* SPDX-License-Identifier: MIT */
/*
 * kernel.h - what zeqd asks of the zeq device, through the netlink client
 * it shares with zeqctl (tools/nl.c, tools/zeq_attrs.c, tools/zeq_query.c):
 * a device's listen port and obfuscation digest, a peer with its endpoint
 * and allowed IPs, and its keys (staged in the next slot, then swapped in).
 *
 * One generic netlink socket, opened on first use and again after a
 * failure (the module may be loaded after zeqd starts). Calls block for
 * the kernel's answer, which comes at once. Every error is -errno, with
 * the kernel's extack message (or strerror) in err.
 */
#ifndef ZEQD_KERNEL_H
#define ZEQD_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "kdf.h"
#include "zeq_attrs.h"

struct zkern;

/* a handle; NULL on ENOMEM */
struct zkern *zkern_new(void);
void zkern_free(struct zkern *k);

/*
 * Device dev's UDP listen port and its obfuscation digest
 * (ZEQ_OBFS_DIGEST_LEN bytes). -ENODEV: no zeq device of that name here.
 */
int zkern_dev(struct zkern *k, const char *dev, uint16_t *port,
	      uint8_t *digest, char *err, size_t errlen);

/*
 * Peer id on dev, created if new: its endpoint (family 0: unchanged) and
 * exactly the n allowed IPs given (those it had are replaced).
 */
int zkern_peer(struct zkern *k, const char *dev, uint32_t id,
	       const struct zeq_endpoint *ep, const struct zeq_prefix *aips,
	       unsigned int n, char *err, size_t errlen);

/*
 * Stage a key pair in peer id's next slot, replacing a key staged there
 * before: packets under key_id are received at once; we send under
 * remote_key_id from the swap on (or at once, if the peer had no key).
 */
int zkern_key_stage(struct zkern *k, const char *dev, uint32_t id,
		    uint32_t key_id, uint32_t remote_key_id,
		    const struct zeq_dir_keys *tx,
		    const struct zeq_dir_keys *rx, char *err, size_t errlen);

/* the staged key becomes current; 0 also when it already took over */
int zkern_key_swap(struct zkern *k, const char *dev, uint32_t id, char *err,
		   size_t errlen);

/* a kernel event, to zkern_events_read's callback */
typedef void (*zkern_event_cb)(const struct zeq_event *ev, void *arg);

/*
 * Join the device events group on a socket of its own: its fd, to watch
 * for input, or -errno with the reason in err.
 */
int zkern_events_open(struct zkern *k, char *err, size_t errlen);
/* one datagram of events, cb for each; 0, or -errno (-ENOBUFS: lost) */
int zkern_events_read(struct zkern *k, zkern_event_cb cb, void *arg);

#endif
