/* SPDX-License-Identifier: MIT */
/*
 * ztable.h - a fixed-capacity open-addressed table of records that age
 * out: the replay table of mesh tokens (meshauth.c) and the per-source
 * buckets of the rate limiter (ratelimit.c). Linear probing; records are
 * never deleted one by one: when half the slots are used, the table is
 * rebuilt without the records that no longer count (ops->live), and if
 * half are still live, it is full (callers fail closed).
 */
#ifndef ZEQD_ZTABLE_H
#define ZEQD_ZTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ztable;

/**
 * struct ztable_ops - what the table needs to know of its records
 * @hash: the slot index hint of a record's key (any bits; masked here)
 * @occupied: true if the record is in use (an all-zero record is not)
 * @live: true if an occupied record still counts at now
 */
struct ztable_ops {
	size_t (*hash)(const struct ztable *t, const void *rec);
	bool (*occupied)(const void *rec);
	bool (*live)(const void *rec, uint64_t now);
};

/**
 * struct ztable - the table
 * @slot: @cap records of @rec bytes
 * @rec: record size
 * @cap: slots (a power of two)
 * @used: occupied slots since the last rebuild
 * @ops: record operations
 */
struct ztable {
	uint8_t *slot;
	size_t rec, cap, used;
	const struct ztable_ops *ops;
};

/* cap: a power of two >= 16. 0, or -EINVAL, -ENOMEM */
int ztable_init(struct ztable *t, size_t cap, size_t rec,
		const struct ztable_ops *ops);
void ztable_free(struct ztable *t);

/*
 * The record matching key (match(rec, key) true), or else the free slot
 * where it would go, starting at hash h. Never NULL (at most half full).
 */
void *ztable_probe(const struct ztable *t, size_t h,
		   bool (*match)(const void *rec, const void *key),
		   const void *key);

/*
 * A free slot for a new record whose key hashes to h, counted as used
 * (the caller fills it in): the table is rebuilt first when half the
 * slots are used. NULL when half are live (full).
 */
void *ztable_insert(struct ztable *t, size_t h, uint64_t now);

#endif
