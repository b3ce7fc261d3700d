/* SPDX-License-Identifier: MIT */
/*
 * sni.h - the server name an initiating node presents (TLS SNI), chosen
 * from the configured pool by daily rotation (docs/protocol.md, "Server
 * name"). One selection function, used everywhere a name is chosen: a
 * fleet whose renderer and rotator computed it apart converged on one
 * name (BRIEF, "Lessons").
 *
 * The name for node N on UTC day D is pool[sha256(N ":" YYYY-MM-DD) mod
 * pool size], the digest read as one big-endian 256-bit number. The day in
 * effect is the UTC day of the last evaluation; a node evaluates when it
 * starts and then once a day at a random moment between 04:00 and 06:00
 * UTC (zeq_sni_next_eval).
 */
#ifndef ZEQD_SNI_H
#define ZEQD_SNI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* a server name: a DNS name, at most 253 characters */
#define ZEQ_SNI_NAME_MAX	253
/* names in the pool */
#define ZEQ_SNI_POOL_MAX	64
/* the daily evaluation falls in [START, START + WINDOW) seconds of the day */
#define ZEQ_SNI_EVAL_START_S	(4 * 3600)
#define ZEQ_SNI_EVAL_WINDOW_S	(2 * 3600)
#define ZEQ_SNI_DAY_S		86400

/*
 * Index into a pool of pool_size names (1..ZEQ_SNI_POOL_MAX) of node_id's
 * name on the UTC day holding t; -1 when pool_size is out of range or t
 * is not a date gmtime can give.
 */
int zeq_sni_index(const char *node_id, time_t t, size_t pool_size);

/*
 * The moment after now of the next daily evaluation: 04:00 UTC plus rnd
 * modulo the two-hour window, on now's UTC day if that moment is still to
 * come, else on the next day. rnd: fresh random bits for each day.
 */
time_t zeq_sni_next_eval(time_t now, uint32_t rnd);

#endif
