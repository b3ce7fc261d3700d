/* SPDX-License-Identifier: MIT */
/*
 * monitor.h - `zeqctl monitor`: events of the "events" multicast group.
 */
#ifndef ZEQ_MONITOR_H
#define ZEQ_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "nl.h"
#include "zeq_attrs.h"

/*
 * One event, one line: text ("zeq0: peer 1: endpoint-changed
 * 192.168.241.3:51900") or a JSON object. ev->ifname must be filled (the
 * caller resolves it from the ifindex when the kernel left it out).
 */
void monitor_print(FILE *f, const struct zeq_event *ev, bool json);

/*
 * One message received on the group: 1 and ev filled if it is a
 * ZEQ_CMD_EVENT, 0 if it is something else (ignored), -1 if malformed.
 */
int monitor_parse(const struct nlmsghdr *nlh, struct zeq_event *ev);

/* Joins the group and prints events until an error. Returns exit status. */
int monitor_run(struct znl *nl, bool json);

#endif /* ZEQ_MONITOR_H */
