// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the key-slot state machine: install, swap, delete, expiry
 * by age and by usage, the near-limit event, the previous key's grace
 * period, promotion of a staged key and refusal of a reinstall. Runs on a
 * device and a peer that exist only here (no net_device, no socket); the
 * events the housekeeping queues are inspected, never sent. Included by
 * keys.c.
 */
#ifdef ZEQ_SELFTEST

#include <linux/random.h>

static unsigned int zeq_keys_selftest_failures;

#define ZEQ_KT_EXPECT(cond, fmt, ...) do {				\
	if (!(cond)) {							\
		zeq_keys_selftest_failures++;				\
		pr_err("zeq: key-slot self-test: %s (line %d): " fmt "\n", \
		       #cond, __LINE__, ##__VA_ARGS__);			\
	}								\
} while (0)

static void zeq_keys_selftest_nosend(struct work_struct *work)
{
}

/* Key material: distinct for every @n, send and receive keys differ. */
static void zeq_keys_selftest_cfg(struct zeq_key_config *cfg, u32 key_id,
				  u8 n)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->key_id = key_id;
	cfg->remote_key_id = key_id + 1000;
	memset(cfg->tx_key, n, ZEQ_KEY_LEN);
	memset(cfg->rx_key, n ^ 0x80, ZEQ_KEY_LEN);
	memset(cfg->tx_salt, n, ZEQ_SALT_LEN);
	memset(cfg->rx_salt, n ^ 0x80, ZEQ_SALT_LEN);
}

static int zeq_keys_selftest_install(struct zeq_peer *peer, u32 key_id, u8 n)
{
	struct zeq_key_config cfg;
	int ret;

	zeq_keys_selftest_cfg(&cfg, key_id, n);
	ret = zeq_key_install(peer, &cfg, NULL);
	memzero_explicit(&cfg, sizeof(cfg));
	return ret;
}

static u32 zeq_keys_selftest_slot_id(struct zeq_peer *peer,
				     enum zeq_key_slot s)
{
	struct zeq_keypair *kp = zeq_slot_deref(peer, s);

	return kp ? kp->key_id : 0;
}

/* Number of queued events of @type about @key_id; the queue is emptied. */
static unsigned int zeq_keys_selftest_events(struct zeq_device *zeq,
					     enum zeq_event_type type,
					     u32 key_id)
{
	struct zeq_event *ev, *tmp;
	unsigned int n = 0;

	spin_lock_irq(&zeq->event_lock);
	list_for_each_entry_safe(ev, tmp, &zeq->events, list) {
		if (ev->type == type && ev->key_id == key_id)
			n++;
		list_del(&ev->list);
		kfree(ev);
	}
	zeq->event_count = 0;
	spin_unlock_irq(&zeq->event_lock);
	return n;
}

static void zeq_keys_selftest_slots(struct zeq_device *zeq,
				    struct zeq_peer *peer)
{
	struct zeq_keypair *kp;
	int ret;

	/* The first key goes straight to current, the second waits in next. */
	ret = zeq_keys_selftest_install(peer, 1, 1);
	ZEQ_KT_EXPECT(!ret, "install 1: %d", ret);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_CURRENT) == 1, "");
	ret = zeq_keys_selftest_install(peer, 2, 2);
	ZEQ_KT_EXPECT(!ret, "install 2: %d", ret);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_NEXT) == 2, "");

	/* Refusals change nothing. */
	ret = zeq_keys_selftest_install(peer, 3, 3);
	ZEQ_KT_EXPECT(ret == -EEXIST, "next occupied: %d", ret);
	ret = zeq_key_delete(peer, ZEQ_KEY_SLOT_PREVIOUS, NULL);
	ZEQ_KT_EXPECT(ret == -ENOENT, "delete empty previous: %d", ret);

	/* Swap: 2 current, 1 previous (still found by id for late packets). */
	ret = zeq_key_swap(peer, NULL);
	ZEQ_KT_EXPECT(!ret, "swap: %d", ret);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_CURRENT) == 2, "");
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_PREVIOUS) == 1, "");
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT), "");
	ret = zeq_key_swap(peer, NULL);
	ZEQ_KT_EXPECT(ret == -ENOENT, "swap without next: %d", ret);

	rcu_read_lock_bh();
	kp = zeq_key_lookup(zeq, 1);
	ZEQ_KT_EXPECT(kp && kp->key_id == 1, "previous key found by id");
	zeq_keypair_put(kp);
	kp = zeq_key_current(peer);
	ZEQ_KT_EXPECT(kp && kp->key_id == 2, "current key");
	zeq_keypair_put(kp);
	rcu_read_unlock_bh();

	/* Reinstall refused: same material under another id, either half. */
	ret = zeq_keys_selftest_install(peer, 4, 1);
	ZEQ_KT_EXPECT(ret == -EKEYREJECTED, "reinstall of key 1: %d", ret);
	ret = zeq_keys_selftest_install(peer, 2, 9);
	ZEQ_KT_EXPECT(ret == -EEXIST, "key id 2 in use: %d", ret);
	{
		struct zeq_key_config cfg;

		zeq_keys_selftest_cfg(&cfg, 5, 9);
		memcpy(cfg.rx_key, cfg.tx_key, ZEQ_KEY_LEN);
		ret = zeq_key_install(peer, &cfg, NULL);
		ZEQ_KT_EXPECT(ret == -EINVAL, "tx key == rx key: %d", ret);
		zeq_keys_selftest_cfg(&cfg, 6, 10);
		memset(cfg.rx_key, 2 ^ 0x80, ZEQ_KEY_LEN);
		ret = zeq_key_install(peer, &cfg, NULL);
		ZEQ_KT_EXPECT(ret == -EKEYREJECTED, "reused receive key: %d", ret);
		memzero_explicit(&cfg, sizeof(cfg));
	}
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT), "");

	/* The previous key goes after its grace period. */
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_PREVIOUS) == 1,
		      "previous kept within its grace period");
	peer->keys.previous_since -= (u64)(ZEQ_KEY_PREVIOUS_GRACE_S + 1) * HZ;
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_PREVIOUS),
		      "previous dropped after its grace period");
	rcu_read_lock_bh();
	kp = zeq_key_lookup(zeq, 1);
	ZEQ_KT_EXPECT(!kp, "dropped key no longer found by id");
	zeq_keypair_put(kp);
	rcu_read_unlock_bh();
	ZEQ_KT_EXPECT(!zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_EXPIRED, 1),
		      "a grace-period drop is not an expiry");

	/* A staged key stays staged until a packet confirms it. */
	ret = zeq_keys_selftest_install(peer, 11, 11);
	ZEQ_KT_EXPECT(!ret, "install 11: %d", ret);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_NEXT) == 11,
		      "unconfirmed next key stays next");
	kp = zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT);
	if (kp)
		set_bit(ZEQ_KEY_F_CONFIRMED, &kp->flags);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_CURRENT) == 11,
		      "confirmed next key swapped in");
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_PREVIOUS) == 2,
		      "the old current key kept as previous");
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT), "");
	/* back to 2 current, as the limits test expects */
	zeq_slot_clear(peer, ZEQ_KEY_SLOT_CURRENT);
	rcu_assign_pointer(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT],
			   zeq_slot_deref(peer, ZEQ_KEY_SLOT_PREVIOUS));
	RCU_INIT_POINTER(peer->keys.slot[ZEQ_KEY_SLOT_PREVIOUS], NULL);
}

static void zeq_keys_selftest_limits(struct zeq_device *zeq,
				     struct zeq_peer *peer)
{
	struct zeq_keypair *kp;
	int ret;

	/* Usage: the limit itself is allowed, one unit past it is not. */
	kp = zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT);
	ZEQ_KT_EXPECT(kp && kp->key_id == 2, "");
	if (!kp)
		return;
	atomic64_set(&kp->tx_usage, ZEQ_KEY_USAGE_NOTIFY);
	zeq_keys_housekeeping(peer);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_NEAR_LIMIT, 2) == 1,
		      "one near-limit event at 7/8 of the usage limit");
	atomic64_set(&kp->tx_usage, ZEQ_KEY_USAGE_LIMIT - 1);
	ret = zeq_key_charge(kp, &kp->tx_usage, 0);
	ZEQ_KT_EXPECT(!ret, "charge up to the limit: %d", ret);
	ret = zeq_key_charge(kp, &kp->tx_usage, 0);
	ZEQ_KT_EXPECT(ret == -EDQUOT, "charge past the limit: %d", ret);
	atomic64_set(&kp->tx_usage, 0);
	ret = zeq_key_charge(kp, &kp->tx_usage, 0);
	ZEQ_KT_EXPECT(ret == -EDQUOT, "a key past its limit stays dead: %d", ret);

	/* Stage key 7; the housekeeping expires 2 and promotes 7. */
	ret = zeq_keys_selftest_install(peer, 7, 7);
	ZEQ_KT_EXPECT(!ret, "install 7: %d", ret);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_EXPIRED, 2) == 1,
		      "key-expired event for the dead key");
	ZEQ_KT_EXPECT(zeq_keys_selftest_slot_id(peer, ZEQ_KEY_SLOT_CURRENT) == 7,
		      "the staged key took over");
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT), "");

	/* Age: refused past key_max_age, near-limit 3 s before it. */
	kp = zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT);
	if (!kp)
		return;
	zeq->key_max_age = ZEQ_KEY_MAX_AGE_MIN;
	ret = zeq_key_charge(kp, &kp->rx_usage, 100);
	ZEQ_KT_EXPECT(!ret, "a fresh key: %d", ret);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(!zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_NEAR_LIMIT, 7),
		      "no near-limit event for a fresh key");
	kp->created -= (u64)(zeq_key_age_notify(ZEQ_KEY_MAX_AGE_MIN) - 1) * HZ;
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(!zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_NEAR_LIMIT, 7),
		      "no near-limit event a second before its age");
	kp->created -= HZ;
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_NEAR_LIMIT, 7) == 1,
		      "near-limit event by age");
	kp->created -= (u64)ZEQ_KEY_MAX_AGE_MIN * HZ;
	ret = zeq_key_charge(kp, &kp->rx_usage, 100);
	ZEQ_KT_EXPECT(ret == -EKEYEXPIRED, "too old: %d", ret);
	zeq_keys_housekeeping(peer);
	ZEQ_KT_EXPECT(zeq_keys_selftest_events(zeq, ZEQ_EVENT_KEY_EXPIRED, 7) == 1,
		      "key-expired event by age");
	ZEQ_KT_EXPECT(!zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT), "");

	/* An expired key cannot come back either. */
	ret = zeq_keys_selftest_install(peer, 8, 7);
	ZEQ_KT_EXPECT(ret == -EKEYREJECTED, "reinstall of expired key: %d", ret);
}

/* The fingerprint ring forgets only the oldest entries. */
static void zeq_keys_selftest_history(struct zeq_device *zeq)
{
	unsigned int i;

	zeq_key_history_free(zeq);
	zeq->key_history = kvcalloc(ZEQ_KEY_HISTORY, sizeof(u64), GFP_KERNEL);
	ZEQ_KT_EXPECT(zeq->key_history, "history allocation");
	if (!zeq->key_history)
		return;
	zeq->key_history_next = 0;
	for (i = 1; i <= ZEQ_KEY_HISTORY + 2; i++)
		zeq_key_history_add(zeq, i);
	ZEQ_KT_EXPECT(zeq->key_history_len == ZEQ_KEY_HISTORY, "");
	ZEQ_KT_EXPECT(!zeq_key_history_has(zeq, 1) && !zeq_key_history_has(zeq, 2),
		      "oldest two forgotten");
	ZEQ_KT_EXPECT(zeq_key_history_has(zeq, 3) &&
		      zeq_key_history_has(zeq, ZEQ_KEY_HISTORY + 2), "");
}

bool zeq_keys_selftest(void)
{
	struct zeq_device *zeq;
	struct zeq_peer *peer;

	zeq_keys_selftest_failures = 0;
	zeq = kzalloc(sizeof(*zeq), GFP_KERNEL);
	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!zeq || !peer) {
		kfree(zeq);
		kfree(peer);
		return false;
	}
	mutex_init(&zeq->lock);
	hash_init(zeq->key_table);
	get_random_bytes(&zeq->key_history_secret,
			 sizeof(zeq->key_history_secret));
	zeq->key_max_age = ZEQ_KEY_MAX_AGE_DEFAULT;
	spin_lock_init(&zeq->event_lock);
	INIT_LIST_HEAD(&zeq->events);
	INIT_WORK(&zeq->event_work, zeq_keys_selftest_nosend);
	peer->zeq = zeq;
	peer->id = 1;
	kref_init(&peer->refcount);

	mutex_lock(&zeq->lock);
	zeq_keys_selftest_slots(zeq, peer);
	zeq_keys_selftest_limits(zeq, peer);
	zeq_keys_clear(peer);
	zeq_keys_selftest_history(zeq);
	mutex_unlock(&zeq->lock);

	/* Every key pair freed: only our own peer reference is left. */
	rcu_barrier();
	ZEQ_KT_EXPECT(kref_read(&peer->refcount) == 1, "peer refcount %u",
		      kref_read(&peer->refcount));
	ZEQ_KT_EXPECT(hash_empty(zeq->key_table), "key table empty");

	cancel_work_sync(&zeq->event_work);
	zeq_keys_selftest_events(zeq, 0, 0);
	zeq_key_history_free(zeq);
	mutex_destroy(&zeq->lock);
	kfree(peer);
	kfree(zeq);
	return !zeq_keys_selftest_failures;
}

#endif /* ZEQ_SELFTEST */
