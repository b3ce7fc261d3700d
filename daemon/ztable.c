// SPDX-License-Identifier: MIT
/*
 * ztable.c - open-addressed table of records that age out (ztable.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ztable.h"

int ztable_init(struct ztable *t, size_t cap, size_t rec,
		const struct ztable_ops *ops)
{
	memset(t, 0, sizeof(*t));
	if (cap < 16 || (cap & (cap - 1)))
		return -EINVAL;
	t->slot = calloc(cap, rec);
	if (!t->slot)
		return -ENOMEM;
	t->rec = rec;
	t->cap = cap;
	t->ops = ops;
	return 0;
}

void ztable_free(struct ztable *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static uint8_t *at(const struct ztable *t, size_t i)
{
	return t->slot + (i & (t->cap - 1)) * t->rec;
}

void *ztable_probe(const struct ztable *t, size_t h,
		   bool (*match)(const void *rec, const void *key),
		   const void *key)
{
	uint8_t *r;

	for (r = at(t, h); t->ops->occupied(r); r = at(t, ++h))
		if (match && match(r, key))
			break;
	return r;
}

/* Rebuild without the records that no longer count; 0, or -EBUSY if full. */
static int rebuild(struct ztable *t, uint64_t now)
{
	uint8_t *old = t->slot;
	size_t live = 0;

	t->slot = calloc(t->cap, t->rec);
	if (!t->slot) {		/* keep what there is */
		t->slot = old;
		return -EBUSY;
	}
	for (size_t j = 0; j < t->cap; j++) {
		const uint8_t *r = old + j * t->rec;

		if (!t->ops->occupied(r) || !t->ops->live(r, now))
			continue;
		memcpy(ztable_probe(t, t->ops->hash(t, r), NULL, NULL), r,
		       t->rec);
		live++;
	}
	free(old);
	t->used = live;
	return live < t->cap / 2 ? 0 : -EBUSY;
}

void *ztable_insert(struct ztable *t, size_t h, uint64_t now)
{
	if (t->used >= t->cap / 2 && rebuild(t, now))
		return NULL;
	t->used++;
	return ztable_probe(t, h, NULL, NULL);
}
