/* SPDX-License-Identifier: MIT */
/*
 * resolve.h - a peer's endpoint ("host:port", "[v6]:port") to an address
 * without blocking the loop.
 *
 * An address is parsed at once. A name is looked up by getaddrinfo on a
 * thread of its own, which owns its copy of the name and sends the answer
 * over a socket pair that the loop watches: the loop thread never waits
 * for DNS, and a lookup that is cancelled just has its answer dropped.
 */
#ifndef ZEQD_RESOLVE_H
#define ZEQD_RESOLVE_H

#include <stddef.h>
#include <sys/socket.h>

#include "loop.h"

struct zresolve;

/* the answer: to, or NULL and why */
typedef void (*zresolve_cb)(void *arg, const struct sockaddr_storage *to,
			    const char *why);

/*
 * 0: ep is an address, in *to now; 1: a name, *r is the lookup and cb
 * gets the answer from the loop (once, unless cancelled first); -1: ep
 * is not an endpoint, or the lookup could not start, with why
 */
int zresolve_start(struct zloop *l, const char *ep,
		   struct sockaddr_storage *to, struct zresolve **r,
		   zresolve_cb cb, void *arg, char *why, size_t n);
/* no answer for r (NULL: nothing) */
void zresolve_cancel(struct zresolve *r);

#endif
