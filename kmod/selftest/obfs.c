// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of obfuscation: prefix lengths, parameter checks, the digest,
 * and protect/unprotect round trips of data and junk datagrams. Included
 * by obfs.c.
 */
#ifdef ZEQ_SELFTEST

/* Every first byte gives a length in range, and every length occurs. */
static bool zeq_obfs_selftest_prefix(void)
{
	static const u8 ranges[][2] = { { 0, 0 }, { 0, 1 }, { 1, 16 },
					{ 4, 24 }, { 64, 64 }, { 0, 64 } };
	struct zeq_obfs_params p;
	unsigned int i, b, len, lo;
	u64 seen;

	zeq_obfs_default(&p);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		p.prefix_min = ranges[i][0];
		p.prefix_max = ranges[i][1];
		lo = max_t(unsigned int, p.prefix_min, 1);
		seen = 0;
		for (b = 0; b < 256; b++) {
			len = zeq_prefix_len(&p, b);
			if (!p.prefix_max ? len != 0 : len < lo || len > p.prefix_max)
				return false;
			seen |= BIT_ULL(len - (p.prefix_max ? lo : 0));
		}
		if (p.prefix_max && seen != GENMASK_ULL(p.prefix_max - lo, 0))
			return false;
	}
	return true;
}

static bool zeq_obfs_selftest_validate(void)
{
	struct zeq_obfs_params good, p;
	unsigned int i, failures = 0;

	zeq_obfs_default(&good);
	if (zeq_obfs_validate(&good, NULL))
		failures++;
	for (i = 0; i < 8; i++) {
		p = good;
		switch (i) {
		case 0:
			p.prefix_min = 5;
			p.prefix_max = 4;
			break;
		case 1:
			p.junk_min = 100;
			p.junk_max = 99;
			break;
		case 2:
			p.junk_max = ZEQ_JUNK_SIZE_MAX + 1;
			break;
		case 3:		/* junk min now below prefix max + 32 */
			p.junk_count = 1;
			p.prefix_max = 10;
			break;
		case 4:		/* data types 2..1 */
			p.type_data_min = 2;
			break;
		case 5:		/* junk types 3..2 */
			p.type_junk_min = 3;
			break;
		case 6:		/* data 1..7 overlaps junk 2..5 */
			p.type_junk_max = 5;
			p.type_data_max = 7;
			break;
		case 7:		/* protection without a key */
			p.hp = true;
			break;
		}
		if (zeq_obfs_validate(&p, NULL) != -EINVAL && failures++ < 8)
			pr_err("zeq: obfs self-test: bad parameter set %u accepted\n", i);
	}
	return !failures;
}

static bool zeq_obfs_selftest_digest(struct zeq_obfs_params *p)
{
	u8 a[ZEQ_OBFS_DIGEST_LEN], b[ZEQ_OBFS_DIGEST_LEN];
	struct zeq_obfs_params q = *p;

	zeq_obfs_digest(p, a);
	zeq_obfs_digest(&q, b);
	if (memcmp(a, b, sizeof(a)))
		return false;
	q.type_junk_max++;
	zeq_obfs_digest(&q, b);
	if (!memcmp(a, b, sizeof(a)))
		return false;
	q = *p;
	q.hp_key[31] ^= 1;
	zeq_obfs_digest(&q, b);
	return !memcmp(a, b, sizeof(a)) != p->hp;	/* key counts only with hp */
}

/* A data datagram: header (type from the data range), then @len bytes. */
static struct sk_buff *zeq_obfs_selftest_packet(const struct zeq_obfs *obfs,
						u8 *hdr_out)
{
	struct sk_buff *skb = alloc_skb(ZEQ_PREFIX_MAX + ZEQ_HDR_LEN + 64,
					GFP_KERNEL);
	struct zeq_hdr *hdr;

	if (!skb)
		return NULL;
	skb_reserve(skb, ZEQ_PREFIX_MAX);
	hdr = skb_put(skb, ZEQ_HDR_LEN);
	hdr->type = cpu_to_be32(zeq_obfs_data_type(obfs));
	hdr->key_id = cpu_to_be32(get_random_u32());
	hdr->counter = cpu_to_be64(get_random_u64());
	get_random_bytes(skb_put(skb, 64), 64);	/* "ciphertext" */
	memcpy(hdr_out, hdr, ZEQ_HDR_LEN);
	return skb;
}

/*
 * Round trips of data and junk with @obfs; every other data packet is
 * opened with @other instead, counted in *@mismatched when it does not
 * come out as data. Return: failures.
 */
static unsigned int zeq_obfs_selftest_wrap(const struct zeq_obfs *obfs,
					   const struct zeq_obfs *other,
					   unsigned int *mismatched)
{
	unsigned int i, failures = 0;
	u8 hdr[ZEQ_HDR_LEN];
	struct sk_buff *skb;

	for (i = 0; i < 64; i++) {
		skb = zeq_obfs_selftest_packet(obfs, hdr);
		if (!skb || zeq_obfs_wrap(obfs, skb)) {
			kfree_skb(skb);
			return 1;
		}
		if (skb->len < ZEQ_HDR_LEN + 64 + obfs->params.prefix_min ||
		    skb->len > ZEQ_HDR_LEN + 64 + obfs->params.prefix_max)
			failures++;
		/* The masked header differs from the clear one. */
		if (obfs->params.hp &&
		    !memcmp(skb->data + skb->len - 64 - ZEQ_HDR_LEN, hdr, ZEQ_HDR_LEN))
			failures++;
		if (i % 2) {
			if (zeq_obfs_unwrap(other, skb) != ZEQ_OBFS_DATA)
				(*mismatched)++;
		} else if (zeq_obfs_unwrap(obfs, skb) != ZEQ_OBFS_DATA ||
			   memcmp(skb->data, hdr, ZEQ_HDR_LEN)) {
			failures++;
		}
		kfree_skb(skb);

		skb = zeq_obfs_junk(obfs);
		if (!skb)
			return 1;
		if (skb->len < obfs->params.junk_min ||
		    skb->len > obfs->params.junk_max ||
		    zeq_obfs_unwrap(obfs, skb) != ZEQ_OBFS_JUNK)
			failures++;
		kfree_skb(skb);
	}
	return failures;
}

bool zeq_obfs_selftest(void)
{
	struct zeq_obfs *obfs = NULL, *other = NULL;
	unsigned int mismatched = 0;
	struct zeq_obfs_params p;
	bool ok;

	zeq_obfs_default(&p);
	p.junk_count = 3;
	p.prefix_min = 4;
	p.prefix_max = 24;
	p.junk_min = ZEQ_JUNK_SIZE_MIN(24);
	p.junk_max = 300;
	p.type_data_min = 1000;
	p.type_data_max = 900000;
	p.type_junk_min = 5;
	p.type_junk_max = 999;
	p.hp = true;
	get_random_bytes(p.hp_key, ZEQ_HP_KEY_LEN);
	ok = zeq_obfs_selftest_prefix() && zeq_obfs_selftest_validate() &&
	     !zeq_obfs_validate(&p, NULL) && zeq_obfs_selftest_digest(&p);
	if (ok) {
		obfs = zeq_obfs_create(&p);
		p.hp_key[0] ^= 0xff;
		other = zeq_obfs_create(&p);
		/* A wrong key unmasks to random types: nearly all mismatch. */
		ok = obfs && other &&
		     !zeq_obfs_selftest_wrap(obfs, other, &mismatched) &&
		     mismatched >= 30;
	}
	if (ok) {
		/* Without protection or prefix, the header goes as it is. */
		kfree_sensitive(obfs);
		zeq_obfs_default(&p);
		obfs = zeq_obfs_create(&p);
		mismatched = 0;
		ok = obfs && zeq_obfs_selftest_digest(&p) &&
		     !zeq_obfs_selftest_wrap(obfs, obfs, &mismatched) &&
		     !mismatched;
	}
	kfree_sensitive(obfs);
	kfree_sensitive(other);
	memzero_explicit(&p, sizeof(p));
	return ok;
}

#endif /* ZEQ_SELFTEST */
