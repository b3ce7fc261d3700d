// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the routing trie against a naive reference (a list of
 * prefixes searched linearly): thousands of random, overlapping prefixes
 * per family for several fake peers, random lookups, then removal peer by
 * peer until the trie is empty. Included by routing.c.
 */
#ifdef ZEQ_SELFTEST

#include <linux/random.h>
#include <linux/vmalloc.h>

#define ZEQ_RT_PEERS	8
#define ZEQ_RT_PREFIXES	4000
#define ZEQ_RT_LOOKUPS	20000

struct zeq_rt_ref {
	u8 bits[16];
	u8 addr_len;
	u8 cidr;
	int owner;	/* index of the fake peer, -1 once removed */
};

struct zeq_rt_test {
	struct zeq_routing r;
	struct mutex lock;	/* stands in for the config mutex */
	struct list_head prefixes[ZEQ_RT_PEERS];
	u8 fake_peers[ZEQ_RT_PEERS];
	struct zeq_rt_ref refs[ZEQ_RT_PREFIXES];
	unsigned int nrefs;
};

#define ZEQ_RT_PEER(t, i) ((struct zeq_peer *)&(t)->fake_peers[i])

/* Addresses drawn from a small space so that prefixes overlap a lot. */
static void zeq_rt_random_addr(u8 *addr, u8 addr_len)
{
	get_random_bytes(addr, addr_len);
	addr[0] &= 0x0f;
	if (addr_len == 16)
		memset(addr + 2, 0, 10);
}

static int zeq_rt_reference(struct zeq_rt_test *t, const u8 *addr,
			    u8 addr_len)
{
	int best = -1, best_cidr = -1;
	unsigned int i;

	/* Later entries for the same prefix override earlier ones. */
	for (i = 0; i < t->nrefs; i++) {
		const struct zeq_rt_ref *ref = &t->refs[i];

		if (ref->owner < 0 || ref->addr_len != addr_len ||
		    zeq_common_bits(ref->bits, addr, ref->cidr) != ref->cidr)
			continue;
		if (ref->cidr >= best_cidr) {
			best = ref->owner;
			best_cidr = ref->cidr;
		}
	}
	return best;
}

static unsigned int zeq_rt_check(struct zeq_rt_test *t, unsigned int n)
{
	unsigned int i, failures = 0;
	struct zeq_peer *got;
	u8 addr[16], addr_len;
	int want;

	for (i = 0; i < n; i++) {
		addr_len = (i & 1) ? 16 : 4;
		zeq_rt_random_addr(addr, addr_len);
		rcu_read_lock_bh();
		got = zeq_routing_lookup(&t->r, addr, addr_len);
		rcu_read_unlock_bh();
		want = zeq_rt_reference(t, addr, addr_len);
		if (got != (want < 0 ? NULL : ZEQ_RT_PEER(t, want)) &&
		    failures++ < 4)
			pr_err("zeq: routing self-test: lookup %*phN: got peer %d want %d\n",
			       addr_len, addr,
			       got ? (int)((u8 *)got - t->fake_peers) : -1, want);
	}
	return failures;
}

/* A later prefix identical to an earlier one takes it over. */
static void zeq_rt_supersede(struct zeq_rt_test *t, struct zeq_rt_ref *ref)
{
	unsigned int i;

	for (i = 0; i < t->nrefs; i++)
		if (t->refs[i].addr_len == ref->addr_len &&
		    t->refs[i].cidr == ref->cidr &&
		    !memcmp(t->refs[i].bits, ref->bits, ref->addr_len))
			t->refs[i].owner = -1;
}

bool zeq_routing_selftest(void)
{
	struct zeq_rt_test *t = vzalloc(sizeof(*t));
	unsigned int i, j, failures = 0;
	struct zeq_rt_ref *ref;
	u8 addr[16];

	if (!t)
		return false;
	mutex_init(&t->lock);
	zeq_routing_init(&t->r, &t->lock);
	for (i = 0; i < ZEQ_RT_PEERS; i++)
		INIT_LIST_HEAD(&t->prefixes[i]);

	mutex_lock(&t->lock);
	for (i = 0; i < ZEQ_RT_PREFIXES; i++) {
		ref = &t->refs[t->nrefs];
		ref->addr_len = (i & 1) ? 16 : 4;
		ref->cidr = get_random_u32() % (ref->addr_len * 8 + 1);
		ref->owner = get_random_u32() % ZEQ_RT_PEERS;
		zeq_rt_random_addr(addr, ref->addr_len);
		zeq_mask_prefix(ref->bits, addr, ref->addr_len, ref->cidr);
		if (zeq_routing_insert(&t->r, ref->bits, ref->addr_len,
				       ref->cidr, ZEQ_RT_PEER(t, ref->owner),
				       &t->prefixes[ref->owner])) {
			failures++;
			break;
		}
		zeq_rt_supersede(t, ref);	/* entries before this one */
		t->nrefs++;
	}
	mutex_unlock(&t->lock);
	failures += zeq_rt_check(t, ZEQ_RT_LOOKUPS);

	for (i = 0; i < ZEQ_RT_PEERS; i++) {
		mutex_lock(&t->lock);
		zeq_routing_remove_peer(&t->r, &t->prefixes[i]);
		mutex_unlock(&t->lock);
		for (j = 0; j < t->nrefs; j++)
			if (t->refs[j].owner == i)
				t->refs[j].owner = -1;
		failures += zeq_rt_check(t, ZEQ_RT_LOOKUPS / ZEQ_RT_PEERS);
	}
	if (t->r.count || rcu_access_pointer(t->r.root4) ||
	    rcu_access_pointer(t->r.root6)) {
		pr_err("zeq: routing self-test: trie not empty after removal\n");
		failures++;
	}
	rcu_barrier();
	vfree(t);
	return !failures;
}

#endif /* ZEQ_SELFTEST */
