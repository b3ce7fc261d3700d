// SPDX-License-Identifier: GPL-2.0
/*
 * timers.c - once a second, per device: key ages and usage limits (events,
 * expiry, the previous key's grace period) and persistent keepalives.
 */

#include <linux/jiffies.h>
#include "device.h"
#include "keys.h"
#include "peer.h"
#include "send.h"
#include "timers.h"

static bool zeq_keepalive_due(struct zeq_peer *peer)
{
	return peer->keepalive &&
	       rcu_access_pointer(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT]) &&
	       time_after_eq(jiffies, READ_ONCE(peer->last_tx) +
			     peer->keepalive * HZ);
}

static void zeq_housekeeping(struct work_struct *work)
{
	struct zeq_device *zeq = container_of(to_delayed_work(work),
					      struct zeq_device, housekeeping);
	struct zeq_peer *peer;
	unsigned long id;

	mutex_lock(&zeq->lock);
	if (zeq->dead) {
		mutex_unlock(&zeq->lock);
		return;
	}
	xa_for_each(&zeq->peers, id, peer) {
		zeq_keys_housekeeping(peer);
		if (zeq_keepalive_due(peer))
			zeq_send_keepalive(peer);
	}
	mutex_unlock(&zeq->lock);
	queue_delayed_work(system_power_efficient_wq, &zeq->housekeeping,
			   round_jiffies_relative(HZ));
}

void zeq_timers_init(struct zeq_device *zeq)
{
	INIT_DELAYED_WORK(&zeq->housekeeping, zeq_housekeeping);
}

void zeq_timers_start(struct zeq_device *zeq)
{
	queue_delayed_work(system_power_efficient_wq, &zeq->housekeeping, HZ);
}

/* Context: the config mutex not held (the work takes it). */
void zeq_timers_stop(struct zeq_device *zeq)
{
	cancel_delayed_work_sync(&zeq->housekeeping);
}
