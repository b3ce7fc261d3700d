/* SPDX-License-Identifier: MIT */
/*
 * peers.h - the configured peers at run time: for each, the link in force
 * (link.c), calling it when we know its endpoint (dial.c) with backoff,
 * and why there is no tunnel when there is none.
 *
 * Calls: a peer with an endpoint is called at start and whenever it has
 * no link, after a backoff that starts at ZEQ_PEERS_BACKOFF_MIN_MS and
 * doubles up to ZEQ_PEERS_BACKOFF_MAX_MS (reset when a tunnel comes up).
 * The server name presented is the day's (sni.c): evaluated at start and
 * then daily at a random moment between 04:00 and 06:00 UTC.
 *
 * Fresh handshakes: rehandshake_interval seconds after a link we called
 * came up, we call again; the new link's handshake (new X25519 keys,
 * nonces and key ids) replaces the old link, whose keys stay in force
 * until the new epoch 0 is swapped in.
 *
 * Two links to one peer (both sides called at once, or the peer came back
 * while its old link lingers): when a handshake completes while another
 * link is in force, the link called by the node with the lower node id
 * stays; between two links called the same way the newer stays. Both
 * sides apply the same rule, so they keep the same link.
 */
#ifndef ZEQD_PEERS_H
#define ZEQD_PEERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "config.h"
#include "identity.h"
#include "loop.h"
#include "store.h"

#define ZEQ_PEERS_BACKOFF_MIN_MS	1000
#define ZEQ_PEERS_BACKOFF_MAX_MS	60000
/* a call's TCP connect, TLS and first request together */
#define ZEQ_PEERS_DIAL_MS		10000

struct zpeers;

/*
 * The peers of c (which must outlive the table), for node id with its
 * signing key (taken over) and the mesh secret; each session's row in s
 * (vpn_tunnels, slug ZEQ_TUNNELS_CONF_SLUG) and its ratchet state in
 * zsc_secrets. Calls start from the loop. NULL with the reason in err.
 */
struct zpeers *zpeers_new(struct zloop *l, struct zstore *s,
			  const struct zeqd_config *c,
			  const struct zeq_identity *id, EVP_PKEY *key,
			  const uint8_t *mesh, size_t mesh_len, char *err,
			  size_t errlen);
void zpeers_free(struct zpeers *ps);

/*
 * A connection that authenticated with the mesh token (channel.c): fd and
 * ssl are taken over; leftover: bytes read after the first request.
 */
void zpeers_accept(struct zpeers *ps, int fd, SSL *ssl,
		   const struct sockaddr_storage *src, const char *name,
		   const uint8_t *leftover, size_t nleft);

#endif
