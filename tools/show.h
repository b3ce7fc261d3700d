/* SPDX-License-Identifier: MIT */
/*
 * show.h - `zeqctl show` output: text like `wg show`, JSON like `ip -j`.
 */
#ifndef ZEQ_SHOW_H
#define ZEQ_SHOW_H

#include <stdio.h>

#include "json.h"
#include "zeq_query.h"
#include "zeqd_status.h"

/*
 * st: zeqd's view of the configured peers (NULL or empty: none): a
 * "tunnel" line (JSON: member) for each peer zeqd runs, and the peers
 * zeqd is configured for that are not in the kernel, with why.
 */
void show_text(FILE *f, const struct zeq_dev_info *info, size_t n,
	       const struct zeqd_status *st);
/* One JSON array of device objects (docs/netlink.md) and a newline. */
void show_json(FILE *f, const struct zeq_dev_info *info, size_t n,
	       const struct zeqd_status *st);

/* "512 B", "1.23 MiB", ... */
char *fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* "1 hour, 2 minutes, 3 seconds" */
char *fmt_duration(uint64_t seconds, char *buf, size_t len);

#endif /* ZEQ_SHOW_H */
