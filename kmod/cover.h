/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cover.h - constant-rate cover packets per peer.
 */
#ifndef _ZEQ_COVER_H
#define _ZEQ_COVER_H

#include <linux/types.h>

struct zeq_peer;

struct zeq_device;

void zeq_cover_init(struct zeq_peer *peer);
bool zeq_cover_fits_device(struct zeq_device *zeq, bool cover, u32 rate);
bool zeq_cover_fits_peer(struct zeq_peer *peer, u8 mode, u32 rate);
void zeq_cover_update(struct zeq_peer *peer);
void zeq_cover_stop(struct zeq_peer *peer);
void zeq_cover_note_size(struct zeq_peer *peer, unsigned int len);
bool zeq_cover_selftest(void);

#endif /* _ZEQ_COVER_H */
