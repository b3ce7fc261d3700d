/* SPDX-License-Identifier: MIT */
/*
 * channel.h - the control channel's listener (docs/protocol.md, "Control
 * channel"): TLS 1.3 over TCP through OpenSSL on listen_address and
 * listen_port, the first request with its mesh token, and the cover page
 * for every connection that does not authenticate in it.
 *
 * Order of defences for a new connection: the per-source rate limit
 * (ratelimit.c) and the cap on connections pending at once (max_pending),
 * both before any TLS work; then first_request_timeout seconds for the TLS
 * handshake and the first request together. A connection that sends
 * anything but a GET carrying a valid token in that time (plain HTTP,
 * garbage, TLS with a wrong, stale or replayed token, or too slowly) gets
 * the cover page, byte for byte what any other probe gets (coverpage.c),
 * and is recorded as a probe (probes.c).
 *
 * An authenticated connection is answered "101 Switching Protocols" and
 * handed to the peer table (peers.c), which runs the link on it (link.c:
 * handshake, keys, ratchet, heartbeats).
 */
#ifndef ZEQD_CHANNEL_H
#define ZEQD_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "loop.h"
#include "meshauth.h"
#include "store.h"

/* the exporter every use of the channel's keying material derives from */
#define ZEQ_CHAN_EXPORTER_LABEL	"EXPORTER-zeq-channel-v1"
#define ZEQ_CHAN_EXPORTER_LEN	32
/* the answer to an authenticated first request */
#define ZEQ_CHAN_UPGRADE \
	"HTTP/1.1 101 Switching Protocols\r\nUpgrade: zeq/1\r\n" \
	"Connection: Upgrade\r\n\r\n"

struct zchan;
struct zpeers;

/*
 * Listen as c says, with the mesh secret (ZEQ_MESHAUTH_SECRET_MIN bytes),
 * handing authenticated connections to peers; 0, or -1 with the reason in
 * err (certificate, key, cover page, bind).
 */
int zchan_open(struct zloop *l, struct zstore *s, struct zpeers *peers,
	       const struct zeqd_config *c, const uint8_t *mesh,
	       size_t mesh_len, struct zchan **out, char *err, size_t errlen);
/* close every connection and the listener; NULL is a no-op */
void zchan_close(struct zchan *ch);

#endif
