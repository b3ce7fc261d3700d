/* SPDX-License-Identifier: GPL-2.0 */
/*
 * messages.h - the zeq datagram header as a C struct.
 *
 * The layout and its sizes are specified in include/zeq_constants.h; this
 * struct must match it (checked at build time in main.c).
 */
#ifndef _ZEQ_MESSAGES_H
#define _ZEQ_MESSAGES_H

#include <linux/types.h>
#include "zeq_constants.h"

/**
 * struct zeq_hdr - header of every zeq datagram, the AEAD's associated data
 * @type: drawn from the device's data type range (obfs.c)
 * @key_id: receiver's id of the key that sealed the packet
 * @counter: per-key packet counter, the low 64 bits of the nonce
 */
struct zeq_hdr {
	__be32 type;
	__be32 key_id;
	__be64 counter;
} __packed;

/**
 * struct zeq_trailer - last bytes of the plaintext, inside the AEAD
 * @inner_type: ZEQ_INNER_DATA or ZEQ_INNER_COVER
 * @reserved: zero
 * @pad_len: bytes of zero padding between the inner packet and trailer
 */
struct zeq_trailer {
	u8 inner_type;
	u8 reserved;
	__be16 pad_len;
} __packed;

#endif /* _ZEQ_MESSAGES_H */
