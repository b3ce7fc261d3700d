/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - notifications on the "events" multicast group.
 */
#ifndef _ZEQ_EVENTS_H
#define _ZEQ_EVENTS_H

#include <linux/list.h>
#include "peer.h"

/* Events waiting to be sent, per device; more are dropped. */
#define ZEQ_EVENT_QUEUE_MAX 1024

/**
 * struct zeq_event - one notification
 * @list: entry in the device's queue
 * @type: enum zeq_event_type
 * @peer_id: peer concerned (0: none)
 * @key_id: key concerned (0: none)
 * @slot: key slot, if @key_id
 * @endpoint: endpoint (family AF_UNSPEC: none)
 * @count: a count, e.g. auth failures (0: none)
 */
struct zeq_event {
	struct list_head list;
	enum zeq_event_type type;
	u32 peer_id;
	u32 key_id;
	u8 slot;
	struct zeq_endpoint endpoint;
	u64 count;
};

void zeq_event_queue(struct zeq_device *zeq, const struct zeq_event *ev);
void zeq_event_key(struct zeq_peer *peer, enum zeq_event_type type,
		   u32 key_id, enum zeq_key_slot slot);
void zeq_events_init(struct zeq_device *zeq);
void zeq_events_flush(struct zeq_device *zeq);
void zeq_events_destroy(struct zeq_device *zeq);

#endif /* _ZEQ_EVENTS_H */
