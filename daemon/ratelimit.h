/* SPDX-License-Identifier: MIT */
/*
 * ratelimit.h - per-source limit on new control connections (handshakes):
 * a token bucket per source, WireGuard's ratelimiter figures (20 per
 * second, bursts of 5; an IPv6 source is its /64, an IPv4-mapped IPv6
 * address its IPv4 address). Sources idle a second are forgotten; the
 * table holds at most half its slots, and when it is full a new source is
 * refused (fail closed, as WireGuard does). Keyed SipHash (a random key
 * per table), so sources chosen to collide cannot be found from outside.
 */
#ifndef ZEQD_RATELIMIT_H
#define ZEQD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ztable.h"

#define ZEQ_RL_PER_SEC		20
#define ZEQ_RL_BURST		5
#define ZEQ_RL_COST_NS		(1000000000ULL / ZEQ_RL_PER_SEC)
#define ZEQ_RL_TOKENS_MAX	(ZEQ_RL_COST_NS * ZEQ_RL_BURST)
/* table slots by default (WireGuard's most: 8192 entries) */
#define ZEQ_RL_SLOTS_DEFAULT	16384

/**
 * struct zeq_ratelimit - the sources seen in the last second
 * @t: their buckets (key, tokens, last time) in a ztable
 * @sipkey: the hash key
 */
struct zeq_ratelimit {
	struct ztable t;
	uint8_t sipkey[16];
};

/* cap: slots, a power of two >= 16. 0, or -EINVAL, -ENOMEM, -EIO */
int zeq_ratelimit_init(struct zeq_ratelimit *rl, size_t cap);
void zeq_ratelimit_free(struct zeq_ratelimit *rl);
/*
 * May src (AF_INET or AF_INET6) start one more at now (monotonic ns,
 * never 0)? Takes a token when it may. Other families: false.
 */
bool zeq_ratelimit_allow(struct zeq_ratelimit *rl, const struct sockaddr *src,
			 uint64_t now);

#endif
