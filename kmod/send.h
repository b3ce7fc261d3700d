/* SPDX-License-Identifier: GPL-2.0 */
/*
 * send.h - encrypt and send.
 */
#ifndef _ZEQ_SEND_H
#define _ZEQ_SEND_H

#include <linux/skbuff.h>

struct zeq_peer;

void zeq_send_packet(struct zeq_peer *peer, struct sk_buff *skb,
		     u8 inner_type);
void zeq_send_keepalive(struct zeq_peer *peer);

#endif /* _ZEQ_SEND_H */
