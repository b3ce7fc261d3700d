// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - queue notifications from any context, send them from a work
 * item (process context, GFP_KERNEL) in the order they were queued.
 */

#include <linux/slab.h>
#include "device.h"
#include "events.h"
#include "netlink.h"

/**
 * zeq_event_queue - queue @ev for sending on the events group
 * @zeq: device
 * @ev: event; copied
 *
 * Context: any.
 */
void zeq_event_queue(struct zeq_device *zeq, const struct zeq_event *ev)
{
	struct zeq_event *copy;
	unsigned long flags;

	copy = kmemdup(ev, sizeof(*ev), GFP_ATOMIC);
	if (!copy)
		return;
	spin_lock_irqsave(&zeq->event_lock, flags);
	if (zeq->event_count >= ZEQ_EVENT_QUEUE_MAX) {
		spin_unlock_irqrestore(&zeq->event_lock, flags);
		kfree(copy);
		net_warn_ratelimited("%s: event queue full, event dropped\n",
				     zeq->dev->name);
		return;
	}
	list_add_tail(&copy->list, &zeq->events);
	zeq->event_count++;
	spin_unlock_irqrestore(&zeq->event_lock, flags);
	schedule_work(&zeq->event_work);
}

/**
 * zeq_event_key - queue a key event of @peer
 * @peer: peer
 * @type: event type
 * @key_id: key
 * @slot: its slot
 */
void zeq_event_key(struct zeq_peer *peer, enum zeq_event_type type,
		   u32 key_id, enum zeq_key_slot slot)
{
	struct zeq_event ev = {
		.type = type,
		.peer_id = peer->id,
		.key_id = key_id,
		.slot = slot,
	};

	zeq_event_queue(peer->zeq, &ev);
}

static void zeq_events_send(struct work_struct *work)
{
	struct zeq_device *zeq = container_of(work, struct zeq_device,
					      event_work);
	struct zeq_event *ev, *tmp;
	LIST_HEAD(batch);

	spin_lock_irq(&zeq->event_lock);
	list_splice_init(&zeq->events, &batch);
	zeq->event_count = 0;
	spin_unlock_irq(&zeq->event_lock);

	list_for_each_entry_safe(ev, tmp, &batch, list) {
		zeq_nl_send_event(zeq, ev);
		kfree(ev);
	}
}

void zeq_events_init(struct zeq_device *zeq)
{
	spin_lock_init(&zeq->event_lock);
	INIT_LIST_HEAD(&zeq->events);
	zeq->event_count = 0;
	INIT_WORK(&zeq->event_work, zeq_events_send);
}

/**
 * zeq_events_flush - send what is queued and wait for it
 * @zeq: device being removed; nothing queues events any more
 */
void zeq_events_flush(struct zeq_device *zeq)
{
	flush_work(&zeq->event_work);
	zeq_events_send(&zeq->event_work);
}

/**
 * zeq_events_destroy - drop what is still queued
 * @zeq: device being freed: no packet is in flight any more
 */
void zeq_events_destroy(struct zeq_device *zeq)
{
	struct zeq_event *ev, *tmp;

	cancel_work_sync(&zeq->event_work);
	list_for_each_entry_safe(ev, tmp, &zeq->events, list)
		kfree(ev);
	INIT_LIST_HEAD(&zeq->events);
	zeq->event_count = 0;
}
