/* SPDX-License-Identifier: GPL-2.0 */
/*
 * receive.h - open and deliver received datagrams.
 */
#ifndef _ZEQ_RECEIVE_H
#define _ZEQ_RECEIVE_H

#include <linux/skbuff.h>

struct sock;

int zeq_udp_recv(struct sock *sk, struct sk_buff *skb);
void zeq_packet_reset(struct sk_buff *skb, bool encapsulating);

#endif /* _ZEQ_RECEIVE_H */
