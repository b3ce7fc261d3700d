/* SPDX-License-Identifier: MIT */
/*
 * show.h - `zeqctl show` output: text like `wg show`, JSON like `ip -j`.
 */
#ifndef ZEQ_SHOW_H
#define ZEQ_SHOW_H

#include <stdio.h>

#include "json.h"
#include "zeq_query.h"

void show_text(FILE *f, const struct zeq_dev_info *info, size_t n);
/* One JSON array of device objects (docs/netlink.md) and a newline. */
void show_json(FILE *f, const struct zeq_dev_info *info, size_t n);

/* "512 B", "1.23 MiB", ... */
char *fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* "1 hour, 2 minutes, 3 seconds" */
char *fmt_duration(uint64_t seconds, char *buf, size_t len);

#endif /* ZEQ_SHOW_H */
