// SPDX-License-Identifier: GPL-2.0
/*
 * keys.c - session keys.
 *
 * A key pair is installed once, into a peer's "next" slot (straight into
 * "current" when the peer has none), and is found on receive by its key id
 * in the device's key table. A swap makes next current and current
 * previous; the previous key keeps opening late packets for
 * ZEQ_KEY_PREVIOUS_GRACE_S. Keys die at their age or usage limit.
 *
 * Every key ever installed on a device leaves a fingerprint (SipHash under
 * a per-device random secret) in a ring of ZEQ_KEY_HISTORY entries; an
 * install whose send or receive key matches one is refused, so a counter
 * never restarts under a key the device has used.
 */

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <crypto/algapi.h>
#include "device.h"
#include "events.h"
#include "keys.h"
#include "peer.h"

static struct zeq_keypair *zeq_slot_deref(struct zeq_peer *peer,
					  enum zeq_key_slot s)
{
	return rcu_dereference_protected(peer->keys.slot[s],
					 lockdep_is_held(&peer->zeq->lock));
}

static struct crypto_aead *zeq_aead_new(const u8 *key,
					struct netlink_ext_ack *extack)
{
	struct crypto_aead *tfm;

	/* Mask 0: async implementations (the AES-NI SIMD wrapper) allowed. */
	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG_MOD(extack, "cannot allocate gcm(aes)");
		return tfm;
	}
	if (crypto_aead_setkey(tfm, key, ZEQ_KEY_LEN) ||
	    crypto_aead_setauthsize(tfm, ZEQ_TAG_LEN)) {
		crypto_free_aead(tfm);
		NL_SET_ERR_MSG_MOD(extack, "gcm(aes) refused the key");
		return ERR_PTR(-EINVAL);
	}
	return tfm;
}

/**
 * zeq_crypto_driver_probe - name of the driver gcm(aes) resolves to now
 * @buf: output
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *zeq_crypto_driver_probe(char *buf, size_t len)
{
	struct crypto_aead *tfm = crypto_alloc_aead("gcm(aes)", 0, 0);

	if (IS_ERR(tfm)) {
		strscpy(buf, "unavailable", len);
		return buf;
	}
	strscpy(buf, crypto_aead_driver_name(tfm), len);
	crypto_free_aead(tfm);
	return buf;
}

static void zeq_keypair_free_rcu(struct rcu_head *rcu)
{
	struct zeq_keypair *kp = container_of(rcu, struct zeq_keypair, rcu);
	struct zeq_peer *peer = kp->peer;

	crypto_free_aead(kp->tx_tfm);
	crypto_free_aead(kp->rx_tfm);
	kfree_sensitive(kp);
	zeq_peer_put(peer);
}

static void zeq_keypair_release(struct kref *kref)
{
	struct zeq_keypair *kp = container_of(kref, struct zeq_keypair,
					      refcount);

	call_rcu(&kp->rcu, zeq_keypair_free_rcu);
}

void zeq_keypair_put(struct zeq_keypair *kp)
{
	if (kp)
		kref_put(&kp->refcount, zeq_keypair_release);
}

static u64 zeq_key_fingerprint(struct zeq_device *zeq, const u8 *key)
{
	return siphash(key, ZEQ_KEY_LEN, &zeq->key_history_secret);
}

static bool zeq_key_history_has(struct zeq_device *zeq, u64 fp)
{
	unsigned int i;

	for (i = 0; i < zeq->key_history_len; i++)
		if (zeq->key_history[i] == fp)
			return true;
	return false;
}

static void zeq_key_history_add(struct zeq_device *zeq, u64 fp)
{
	zeq->key_history[zeq->key_history_next] = fp;
	zeq->key_history_next = (zeq->key_history_next + 1) % ZEQ_KEY_HISTORY;
	if (zeq->key_history_len < ZEQ_KEY_HISTORY)
		zeq->key_history_len++;
}

void zeq_key_history_free(struct zeq_device *zeq)
{
	kvfree(zeq->key_history);
	zeq->key_history = NULL;
	zeq->key_history_len = 0;
}

static bool zeq_key_id_used(struct zeq_device *zeq, u32 key_id)
{
	struct zeq_keypair *kp;

	hash_for_each_possible(zeq->key_table, kp, table_node, key_id)
		if (kp->key_id == key_id)
			return true;
	return false;
}

static int zeq_key_check(struct zeq_peer *peer,
			 const struct zeq_key_config *cfg, u64 fp_tx, u64 fp_rx,
			 struct netlink_ext_ack *extack)
{
	struct zeq_device *zeq = peer->zeq;

	if (!crypto_memneq(cfg->tx_key, cfg->rx_key, ZEQ_KEY_LEN)) {
		NL_SET_ERR_MSG_MOD(extack, "send and receive keys must differ");
		return -EINVAL;
	}
	if (zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "peer already has a next key: swap or delete it first");
		return -EEXIST;
	}
	if (zeq_key_id_used(zeq, cfg->key_id)) {
		NL_SET_ERR_MSG_MOD(extack, "key id already in use on this device");
		return -EEXIST;
	}
	if (zeq_key_history_has(zeq, fp_tx) || zeq_key_history_has(zeq, fp_rx)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "key was installed before on this device: keys are never reused");
		return -EKEYREJECTED;
	}
	if (!zeq->key_history) {
		zeq->key_history = kvcalloc(ZEQ_KEY_HISTORY, sizeof(u64),
					    GFP_KERNEL);
		if (!zeq->key_history)
			return -ENOMEM;
	}
	return 0;
}

/**
 * zeq_key_install - install a key pair for @peer
 * @peer: peer
 * @cfg: keys and ids
 * @extack: error report
 *
 * Context: config mutex held.
 * Return: 0, or -EINVAL, -EEXIST, -EKEYREJECTED, -ENOMEM.
 */
int zeq_key_install(struct zeq_peer *peer, const struct zeq_key_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct zeq_device *zeq = peer->zeq;
	u64 fp_tx = zeq_key_fingerprint(zeq, cfg->tx_key);
	u64 fp_rx = zeq_key_fingerprint(zeq, cfg->rx_key);
	struct zeq_keypair *kp;
	enum zeq_key_slot slot;
	int ret;

	lockdep_assert_held(&zeq->lock);
	ret = zeq_key_check(peer, cfg, fp_tx, fp_rx, extack);
	if (ret)
		return ret;

	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	if (!kp)
		return -ENOMEM;
	kp->tx_tfm = zeq_aead_new(cfg->tx_key, extack);
	if (IS_ERR(kp->tx_tfm)) {
		ret = PTR_ERR(kp->tx_tfm);
		goto err_free;
	}
	kp->rx_tfm = zeq_aead_new(cfg->rx_key, extack);
	if (IS_ERR(kp->rx_tfm)) {
		ret = PTR_ERR(kp->rx_tfm);
		goto err_tx;
	}
	kref_init(&kp->refcount);
	kp->peer = zeq_peer_get(peer);
	kp->key_id = cfg->key_id;
	kp->remote_key_id = cfg->remote_key_id;
	memcpy(kp->tx_salt, cfg->tx_salt, ZEQ_SALT_LEN);
	memcpy(kp->rx_salt, cfg->rx_salt, ZEQ_SALT_LEN);
	zeq_replay_init(&kp->replay);
	kp->created = get_jiffies_64();

	zeq_key_history_add(zeq, fp_tx);
	zeq_key_history_add(zeq, fp_rx);
	strscpy(zeq->crypto_driver, crypto_aead_driver_name(kp->tx_tfm),
		sizeof(zeq->crypto_driver));
	hash_add_rcu(zeq->key_table, &kp->table_node, kp->key_id);
	slot = zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT) ?
		ZEQ_KEY_SLOT_NEXT : ZEQ_KEY_SLOT_CURRENT;
	rcu_assign_pointer(peer->keys.slot[slot], kp);
	peer->keys.last_install = ktime_get_real_seconds();
	return 0;

err_tx:
	crypto_free_aead(kp->tx_tfm);
err_free:
	kfree(kp);
	return ret;
}

/* Take the key out of slot @s and the key table; in-flight packets keep it. */
static void zeq_slot_clear(struct zeq_peer *peer, enum zeq_key_slot s)
{
	struct zeq_keypair *kp = zeq_slot_deref(peer, s);

	if (!kp)
		return;
	RCU_INIT_POINTER(peer->keys.slot[s], NULL);
	hash_del_rcu(&kp->table_node);
	zeq_keypair_put(kp);
}

/**
 * zeq_key_swap - next becomes current, current becomes previous
 * @peer: peer
 * @extack: error report
 *
 * Context: config mutex held.
 * Return: 0 or -ENOENT when there is no next key.
 */
int zeq_key_swap(struct zeq_peer *peer, struct netlink_ext_ack *extack)
{
	struct zeq_keypair *next = zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT);

	if (!next) {
		NL_SET_ERR_MSG_MOD(extack, "peer has no next key to swap in");
		return -ENOENT;
	}
	zeq_slot_clear(peer, ZEQ_KEY_SLOT_PREVIOUS);
	rcu_assign_pointer(peer->keys.slot[ZEQ_KEY_SLOT_PREVIOUS],
			   zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT));
	peer->keys.previous_since = get_jiffies_64();
	rcu_assign_pointer(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT], next);
	RCU_INIT_POINTER(peer->keys.slot[ZEQ_KEY_SLOT_NEXT], NULL);
	return 0;
}

/* With no current key, a staged next key takes over at once. */
static void zeq_key_promote(struct zeq_peer *peer)
{
	struct zeq_keypair *next = zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT);

	if (next && !zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT)) {
		rcu_assign_pointer(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT], next);
		RCU_INIT_POINTER(peer->keys.slot[ZEQ_KEY_SLOT_NEXT], NULL);
	}
}

/**
 * zeq_key_delete - remove the key in @slot
 * @peer: peer
 * @slot: slot
 * @extack: error report
 *
 * Context: config mutex held.
 * Return: 0 or -ENOENT when the slot is empty.
 */
int zeq_key_delete(struct zeq_peer *peer, enum zeq_key_slot slot,
		   struct netlink_ext_ack *extack)
{
	if (!zeq_slot_deref(peer, slot)) {
		NL_SET_ERR_MSG_MOD(extack, "no key in that slot");
		return -ENOENT;
	}
	zeq_slot_clear(peer, slot);
	return 0;
}

/**
 * zeq_keys_clear - remove every key of @peer
 * @peer: peer being removed
 *
 * Context: config mutex held.
 */
void zeq_keys_clear(struct zeq_peer *peer)
{
	enum zeq_key_slot s;

	for (s = 0; s < __ZEQ_KEY_SLOT_MAX; s++)
		zeq_slot_clear(peer, s);
}

/**
 * zeq_key_lookup - the key with receive id @key_id, referenced
 * @zeq: device
 * @key_id: id from a packet header
 *
 * Context: rcu_read_lock_bh() held.
 * Return: the key pair (put it with zeq_keypair_put()) or NULL.
 */
struct zeq_keypair *zeq_key_lookup(struct zeq_device *zeq, u32 key_id)
{
	struct zeq_keypair *kp;

	hash_for_each_possible_rcu(zeq->key_table, kp, table_node, key_id)
		if (kp->key_id == key_id && kref_get_unless_zero(&kp->refcount))
			return kp;
	return NULL;
}

/**
 * zeq_key_current - @peer's current key, referenced
 * @peer: peer
 *
 * Context: rcu_read_lock_bh() held.
 * Return: the key pair (put it with zeq_keypair_put()) or NULL.
 */
struct zeq_keypair *zeq_key_current(struct zeq_peer *peer)
{
	struct zeq_keypair *kp;

	kp = rcu_dereference_bh(peer->keys.slot[ZEQ_KEY_SLOT_CURRENT]);
	if (kp && !kref_get_unless_zero(&kp->refcount))
		kp = NULL;
	return kp;
}

u64 zeq_key_age(const struct zeq_keypair *kp)
{
	return div_u64(get_jiffies_64() - kp->created, HZ);
}

static bool zeq_key_too_old(const struct zeq_keypair *kp, u32 max_age)
{
	return get_jiffies_64() - kp->created > (u64)max_age * HZ;
}

/**
 * zeq_key_charge - charge a packet of @len plaintext bytes to @kp
 * @kp: key pair
 * @usage: &kp->tx_usage or &kp->rx_usage
 * @len: plaintext length
 *
 * Context: any. (The near-limit event comes from zeq_keys_housekeeping().)
 * Return: 0, -EKEYEXPIRED past the age limit, -EDQUOT past the usage limit.
 */
int zeq_key_charge(struct zeq_keypair *kp, atomic64_t *usage, unsigned int len)
{
	u64 used;

	if (unlikely(zeq_key_too_old(kp, READ_ONCE(kp->peer->zeq->key_max_age))))
		return -EKEYEXPIRED;
	if (unlikely(test_bit(ZEQ_KEY_F_EXPIRED, &kp->flags)))
		return -EDQUOT;
	used = atomic64_add_return(DIV_ROUND_UP(len, ZEQ_AES_BLOCK_LEN) + 1,
				   usage);
	if (unlikely(used > ZEQ_KEY_USAGE_LIMIT)) {
		set_bit(ZEQ_KEY_F_EXPIRED, &kp->flags);
		return -EDQUOT;
	}
	return 0;
}

/**
 * zeq_keys_housekeeping - age, limits and grace period of @peer's keys
 * @peer: peer
 *
 * Removes keys past their age or usage limit (key-expired event), sends the
 * key-near-limit event at 7/8 of either (for age, zeq_key_age_notify()),
 * drops the previous key after its grace period, swaps in a staged key a
 * packet has authenticated under (the peer swapped: a peer whose daemon
 * died between its swap and ours must not leave us sending under a key it
 * keeps only as previous), and promotes a staged key when there is no
 * current one.
 *
 * Context: config mutex held, once a second.
 */
void zeq_keys_housekeeping(struct zeq_peer *peer)
{
	u32 max_age = peer->zeq->key_max_age;
	struct zeq_keypair *kp;
	enum zeq_key_slot s;
	u64 usage, age;

	for (s = 0; s < __ZEQ_KEY_SLOT_MAX; s++) {
		kp = zeq_slot_deref(peer, s);
		if (!kp)
			continue;
		usage = max(atomic64_read(&kp->tx_usage),
			    atomic64_read(&kp->rx_usage));
		age = zeq_key_age(kp);
		if (zeq_key_too_old(kp, max_age) || usage > ZEQ_KEY_USAGE_LIMIT ||
		    test_bit(ZEQ_KEY_F_EXPIRED, &kp->flags)) {
			zeq_event_key(peer, ZEQ_EVENT_KEY_EXPIRED, kp->key_id, s);
			zeq_slot_clear(peer, s);
			continue;
		}
		if ((age >= zeq_key_age_notify(max_age) ||
		     usage >= ZEQ_KEY_USAGE_NOTIFY) &&
		    !test_and_set_bit(ZEQ_KEY_F_NEAR_LIMIT, &kp->flags))
			zeq_event_key(peer, ZEQ_EVENT_KEY_NEAR_LIMIT,
				      kp->key_id, s);
	}
	if (zeq_slot_deref(peer, ZEQ_KEY_SLOT_PREVIOUS) &&
	    get_jiffies_64() - peer->keys.previous_since >
	    (u64)ZEQ_KEY_PREVIOUS_GRACE_S * HZ)
		zeq_slot_clear(peer, ZEQ_KEY_SLOT_PREVIOUS);
	kp = zeq_slot_deref(peer, ZEQ_KEY_SLOT_NEXT);
	if (kp && test_bit(ZEQ_KEY_F_CONFIRMED, &kp->flags) &&
	    zeq_slot_deref(peer, ZEQ_KEY_SLOT_CURRENT))
		zeq_key_swap(peer, NULL);
	zeq_key_promote(peer);
}

#include "selftest/keys.c"
