/* SPDX-License-Identifier: MIT */
/*
 * test_addr.h - a socket address from text, for the daemon's unit tests
 * (include after <cmocka.h>).
 */
#ifndef ZEQ_TEST_ADDR_H
#define ZEQ_TEST_ADDR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* "192.0.2.1" or "2001:db8::1" as a sockaddr_storage (port 0) */
static inline struct sockaddr_storage addr(const char *s)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(s, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &a->sin_addr), 1);
	}
	return ss;
}

#endif
