/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink.h - the "zeq" generic netlink family.
 */
#ifndef _ZEQ_NETLINK_H
#define _ZEQ_NETLINK_H

struct zeq_device;
struct zeq_event;

int zeq_netlink_init(void);
void zeq_netlink_uninit(void);
void zeq_nl_send_event(struct zeq_device *zeq, const struct zeq_event *ev);

#endif /* _ZEQ_NETLINK_H */
