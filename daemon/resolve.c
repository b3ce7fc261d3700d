// SPDX-License-Identifier: MIT
/*
 * resolve.c - endpoints to addresses without blocking the loop (resolve.h).
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "config.h"
#include "resolve.h"

/* what the lookup thread owns */
struct lookup {
	int fd;
	char host[ZEQ_SNI_NAME_MAX + 1];
	char port[8];
};

/* what it sends back: getaddrinfo's result and the first address */
struct answer {
	int err;
	struct sockaddr_storage to;
};

struct zresolve {
	struct zloop *l;
	int fd;
	zresolve_cb cb;
	void *arg;
};

static int lookup(const char *host, const char *port, int flags,
		  struct sockaddr_storage *to)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | flags,
	}, *ai;
	int e = getaddrinfo(host, port, &hints, &ai);

	if (e)
		return e;
	memset(to, 0, sizeof(*to));
	memcpy(to, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

static void *lookup_thread(void *arg)
{
	struct lookup *q = arg;
	struct answer a = { 0 };

	a.err = lookup(q->host, q->port, 0, &a.to);
	/* a cancelled lookup's socket is closed: EPIPE, nobody listens */
	(void)send(q->fd, &a, sizeof(a), MSG_NOSIGNAL);
	close(q->fd);
	free(q);
	return NULL;
}

static void finish(struct zresolve *r)
{
	zloop_del_fd(r->l, r->fd);
	close(r->fd);
	free(r);
}

static void answered(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct zresolve *r = arg;
	zresolve_cb cb = r->cb;
	void *cb_arg = r->arg;
	struct answer a;
	ssize_t k;

	(void)l;
	(void)events;
	k = recv(fd, &a, sizeof(a), MSG_DONTWAIT);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	finish(r);
	if (k != (ssize_t)sizeof(a))
		cb(cb_arg, NULL, "the lookup ended without an answer");
	else if (a.err)
		cb(cb_arg, NULL, gai_strerror(a.err));
	else
		cb(cb_arg, &a.to, NULL);
}

/*
 * ep into q's host and port, as the config reads it; an IPv6 address
 * must be in brackets
 */
static int split(const char *ep, struct lookup *q)
{
	uint16_t port;
	int bracketed = config_endpoint_split(ep, q->host, &port);

	if (bracketed < 0 ||
	    (!bracketed && (strchr(q->host, ':') || q->host[0] == '[')))
		return -1;
	snprintf(q->port, sizeof(q->port), "%u", port);
	return 0;
}

int zresolve_start(struct zloop *l, const char *ep,
		   struct sockaddr_storage *to, struct zresolve **out,
		   zresolve_cb cb, void *arg, char *why, size_t n)
{
	struct lookup *q = calloc(1, sizeof(*q));
	struct zresolve *r = NULL;
	pthread_attr_t attr;
	pthread_t t;
	int sv[2], e;

	*out = NULL;
	if (!q) {
		snprintf(why, n, "endpoint %s: out of memory", ep);
		return -1;
	}
	if (split(ep, q)) {
		snprintf(why, n, "endpoint %s: not host:port", ep);
		free(q);
		return -1;
	}
	e = lookup(q->host, q->port, AI_NUMERICHOST, to);
	if (e != EAI_NONAME) {
		if (e)
			snprintf(why, n, "endpoint %s: %s", ep, gai_strerror(e));
		free(q);
		return e ? -1 : 0;
	}
	/* a name */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(why, n, "endpoint %s: socketpair: %s", ep,
			 strerror(errno));
		free(q);
		return -1;
	}
	q->fd = sv[1];
	r = calloc(1, sizeof(*r));
	if (r) {
		*r = (struct zresolve){ .l = l, .fd = sv[0], .cb = cb,
					.arg = arg };
		e = zloop_add_fd(l, sv[0], EPOLLIN, answered, r);
	}
	if (!r || e < 0) {
		snprintf(why, n, "endpoint %s: cannot watch the lookup", ep);
		goto fail;
	}
	e = pthread_attr_init(&attr);
	if (!e) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		e = pthread_create(&t, &attr, lookup_thread, q);
		pthread_attr_destroy(&attr);
	}
	if (e) {
		snprintf(why, n, "endpoint %s: cannot start the lookup: %s",
			 ep, strerror(e));
		zloop_del_fd(l, sv[0]);
		goto fail;
	}
	*out = r;
	return 1;
fail:
	close(sv[0]);
	close(sv[1]);
	free(r);
	free(q);
	return -1;
}

void zresolve_cancel(struct zresolve *r)
{
	if (r)
		finish(r);
}
