/* SPDX-License-Identifier: MIT */
/*
 * dial.h - the initiator's side of the control channel up to the upgrade
 * (docs/protocol.md, "Control channel"): a non-blocking TCP connect, TLS
 * 1.3 presenting the day's server name, the first request carrying a mesh
 * token bound to this connection's exporter, and the answer: "101
 * Switching Protocols", or anything else (the cover page of a responder
 * that did not accept the token).
 *
 * The responder is not authenticated by its certificate (a cover site's
 * certificate need not name anything we know): the handshake that follows
 * the upgrade authenticates it by its identity key, bound to this TLS
 * connection through the exporter.
 */
#ifndef ZEQD_DIAL_H
#define ZEQD_DIAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "loop.h"

struct zdial;

/*
 * The outcome, once: upgraded (fd and ssl handed over, leftover the bytes
 * read after the upgrade's head), or failed (fd -1, ssl NULL, why says
 * what). The dial is freed after the callback returns.
 */
typedef void (*zdial_cb)(void *arg, int fd, SSL *ssl,
			 const uint8_t *leftover, size_t nleft,
			 const char *why);

/* a client context for dialing (TLS 1.3 only); NULL on failure */
SSL_CTX *zdial_ctx_new(void);

/*
 * Call to (its address and port); sni: the server name to present ("" =
 * none). The whole exchange has timeout_ms. NULL on ENOMEM or when no
 * socket could be made (cb is then not called).
 */
struct zdial *zdial_start(struct zloop *l, SSL_CTX *ctx,
			  const struct sockaddr_storage *to, const char *sni,
			  const uint8_t *mesh, size_t mesh_len,
			  uint64_t timeout_ms, zdial_cb cb, void *arg);
/* stop a dial in progress without calling back; NULL is a no-op */
void zdial_cancel(struct zdial *d);

#endif
