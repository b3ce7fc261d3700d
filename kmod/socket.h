/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socket.h - the device's outer UDP sockets.
 */
#ifndef _ZEQ_SOCKET_H
#define _ZEQ_SOCKET_H

#include <linux/skbuff.h>

struct zeq_device;
struct zeq_peer;

int zeq_socket_open(struct zeq_device *zeq);
void zeq_socket_close(struct zeq_device *zeq);
bool zeq_socket_send(struct zeq_peer *peer, struct sk_buff *skb);

#endif /* _ZEQ_SOCKET_H */
