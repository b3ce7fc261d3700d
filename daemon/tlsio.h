/* SPDX-License-Identifier: MIT */
/*
 * tlsio.h - non-blocking OpenSSL on the event loop: what an SSL call that
 * did not complete waits for.
 */
#ifndef ZEQD_TLSIO_H
#define ZEQD_TLSIO_H

#include <stdint.h>

#include <openssl/ssl.h>

/*
 * After an SSL_read, SSL_write, SSL_connect or SSL_accept that returned
 * k <= 0: EPOLLIN or EPOLLOUT to wait for, or 0 when the connection
 * failed or closed. Call ERR_clear_error() before the SSL call: the
 * answer reads the thread's error queue.
 */
uint32_t tls_wait_events(SSL *ssl, int k);

#endif
