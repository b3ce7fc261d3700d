// SPDX-License-Identifier: MIT
/*
 * tlsio.c - what a non-blocking SSL call waits for (tlsio.h).
 */
#include <sys/epoll.h>

#include "tlsio.h"

uint32_t tls_wait_events(SSL *ssl, int k)
{
	switch (SSL_get_error(ssl, k)) {
	case SSL_ERROR_WANT_READ:
		return EPOLLIN;
	case SSL_ERROR_WANT_WRITE:
		return EPOLLOUT;
	default:
		return 0;
	}
}
