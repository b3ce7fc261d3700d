// SPDX-License-Identifier: MIT
/*
 * loop.c - zeqd's event loop: epoll, timers, signals through a signalfd.
 *
 * Watchers live in a table indexed by fd, each with a generation number
 * that also travels in the epoll event. A callback that removes another
 * watcher (or removes one and reuses its fd number) while that watcher's
 * event is still pending in the same batch is therefore safe: the stale
 * event no longer matches and is dropped.
 *
 * Timers are few (housekeeping, handshakes, idle connections): a list,
 * scanned from the head after every callback, so a callback may add or
 * free any timer, including itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define MAX_EVENTS	64
#define MAX_SIGNALS	65

struct zloop_watcher {
	zloop_fd_cb cb;
	void *arg;
	uint32_t gen;
	bool used;
};

struct zloop_timer {
	struct zloop_timer *next;
	uint64_t due_ms;
	bool armed;
	zloop_timer_cb cb;
	void *arg;
};

/**
 * struct zloop - the loop
 * @ep: the epoll fd
 * @w: watchers, indexed by fd (@nw entries)
 * @gen: the next watcher generation
 * @timers: every timer, armed or not
 * @sfd: the signalfd, -1 until a signal is added
 * @sigmask: the signals it delivers
 * @sig: callbacks by signal number
 * @stop: zloop_stop() was called
 */
struct zloop {
	int ep;
	struct zloop_watcher *w;
	size_t nw;
	uint32_t gen;
	struct zloop_timer *timers;
	int sfd;
	sigset_t sigmask;
	struct {
		zloop_signal_cb cb;
		void *arg;
	} sig[MAX_SIGNALS];
	bool stop;
};

uint64_t zloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct zloop *zloop_new(void)
{
	struct zloop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0) {
		free(l);
		return NULL;
	}
	l->sfd = -1;
	sigemptyset(&l->sigmask);
	return l;
}

void zloop_free(struct zloop *l)
{
	if (!l)
		return;
	while (l->timers)
		zloop_timer_del(l, l->timers);
	if (l->sfd >= 0)
		close(l->sfd);
	close(l->ep);
	free(l->w);
	free(l);
}

static uint64_t ev_data(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

int zloop_add_fd(struct zloop *l, int fd, uint32_t events, zloop_fd_cb cb,
		 void *arg)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0)
		return -EBADF;
	if ((size_t)fd >= l->nw) {
		size_t n = (size_t)fd + 16;
		struct zloop_watcher *w = realloc(l->w, n * sizeof(*w));

		if (!w)
			return -ENOMEM;
		memset(w + l->nw, 0, (n - l->nw) * sizeof(*w));
		l->w = w;
		l->nw = n;
	}
	if (l->w[fd].used)
		return -EEXIST;
	ev.data.u64 = ev_data(fd, ++l->gen);
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->w[fd] = (struct zloop_watcher){ cb, arg, l->gen, true };
	return 0;
}

int zloop_mod_fd(struct zloop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].used)
		return -ENOENT;
	ev.data.u64 = ev_data(fd, l->w[fd].gen);
	return epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void zloop_del_fd(struct zloop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].used)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	l->w[fd].used = false;
}

struct zloop_timer *zloop_timer_add(struct zloop *l, uint64_t delay_ms,
				    zloop_timer_cb cb, void *arg)
{
	struct zloop_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cb = cb;
	t->arg = arg;
	t->next = l->timers;
	l->timers = t;
	zloop_timer_rearm(l, t, delay_ms);
	return t;
}

void zloop_timer_rearm(struct zloop *l, struct zloop_timer *t,
		       uint64_t delay_ms)
{
	(void)l;
	t->due_ms = zloop_now_ms() + delay_ms;
	t->armed = true;
}

void zloop_timer_del(struct zloop *l, struct zloop_timer *t)
{
	struct zloop_timer **pp;

	if (!t)
		return;
	for (pp = &l->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			free(t);
			return;
		}
	}
}

static void signal_ready(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int signo = (int)si.ssi_signo;

		if (signo > 0 && signo < MAX_SIGNALS && l->sig[signo].cb)
			l->sig[signo].cb(l, signo, l->sig[signo].arg);
	}
}

int zloop_add_signal(struct zloop *l, int signo, zloop_signal_cb cb,
		     void *arg)
{
	sigset_t one;
	int fd;

	if (signo <= 0 || signo >= MAX_SIGNALS)
		return -EINVAL;
	sigemptyset(&one);
	sigaddset(&one, signo);
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &one, NULL) < 0)
		return -errno;
	fd = signalfd(l->sfd, &l->sigmask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (l->sfd < 0) {
		int ret = zloop_add_fd(l, fd, EPOLLIN, signal_ready, NULL);

		if (ret < 0) {
			close(fd);
			return ret;
		}
		l->sfd = fd;
	}
	l->sig[signo].cb = cb;
	l->sig[signo].arg = arg;
	return 0;
}

/*
 * The armed timer with the earliest due time if it is due (several overdue
 * at once, after a slow callback, fire in due order), else NULL and
 * *wait_ms until it is.
 */
static struct zloop_timer *timer_due(struct zloop *l, int *wait_ms)
{
	uint64_t now = zloop_now_ms(), next = UINT64_MAX;
	struct zloop_timer *first = NULL;

	for (struct zloop_timer *t = l->timers; t; t = t->next) {
		if (t->armed && t->due_ms < next) {
			next = t->due_ms;
			first = t;
		}
	}
	if (first && next <= now)
		return first;
	if (next == UINT64_MAX)
		*wait_ms = -1;
	else
		*wait_ms = next - now > 60000 ? 60000 : (int)(next - now);
	return NULL;
}

int zloop_run(struct zloop *l)
{
	struct epoll_event ev[MAX_EVENTS];
	struct zloop_timer *t;
	int n, wait_ms;

	l->stop = false;
	while (!l->stop) {
		while (!l->stop && (t = timer_due(l, &wait_ms))) {
			t->armed = false;	/* the callback may rearm or free it */
			t->cb(l, t, t->arg);
		}
		if (l->stop)
			break;
		n = epoll_wait(l->ep, ev, MAX_EVENTS, wait_ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !l->stop; i++) {
			int fd = (int)(uint32_t)ev[i].data.u64;
			uint32_t gen = (uint32_t)(ev[i].data.u64 >> 32);
			struct zloop_watcher *w;

			if ((size_t)fd >= l->nw)
				continue;
			w = &l->w[fd];
			if (!w->used || w->gen != gen)
				continue;	/* removed by an earlier callback */
			w->cb(l, fd, ev[i].events, w->arg);
		}
	}
	return 0;
}

void zloop_stop(struct zloop *l)
{
	l->stop = true;
}
