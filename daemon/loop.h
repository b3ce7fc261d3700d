/* SPDX-License-Identifier: MIT */
/*
 * loop.h - zeqd's one event loop: epoll over file descriptors, timers on
 * CLOCK_MONOTONIC, and signals through a signalfd.
 *
 * Single-threaded: every callback runs on the loop's thread, one at a
 * time, so daemon state needs no locks. A callback may add or remove any
 * watcher or timer, including its own.
 */
#ifndef ZEQD_LOOP_H
#define ZEQD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct zloop;
struct zloop_timer;

/* events: EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP bits as epoll reports them */
typedef void (*zloop_fd_cb)(struct zloop *l, int fd, uint32_t events,
			    void *arg);
typedef void (*zloop_timer_cb)(struct zloop *l, struct zloop_timer *t,
			       void *arg);
typedef void (*zloop_signal_cb)(struct zloop *l, int signo, void *arg);

struct zloop *zloop_new(void);
/* closes nothing the caller added; frees timers */
void zloop_free(struct zloop *l);

/* watch fd for events (EPOLLIN...); one watcher per fd; 0 or -errno */
int zloop_add_fd(struct zloop *l, int fd, uint32_t events, zloop_fd_cb cb,
		 void *arg);
int zloop_mod_fd(struct zloop *l, int fd, uint32_t events);
void zloop_del_fd(struct zloop *l, int fd);

/* a timer firing once after delay_ms; NULL on ENOMEM */
struct zloop_timer *zloop_timer_add(struct zloop *l, uint64_t delay_ms,
				    zloop_timer_cb cb, void *arg);
/* re-arm (also from its own callback) */
void zloop_timer_rearm(struct zloop *l, struct zloop_timer *t,
		       uint64_t delay_ms);
/* cancel and free; NULL is a no-op */
void zloop_timer_del(struct zloop *l, struct zloop_timer *t);

/* block signo and deliver it through the loop; 0 or -errno */
int zloop_add_signal(struct zloop *l, int signo, zloop_signal_cb cb,
		     void *arg);

/* run until zloop_stop(); 0, or -errno if epoll itself failed */
int zloop_run(struct zloop *l);
void zloop_stop(struct zloop *l);

/* CLOCK_MONOTONIC in milliseconds */
uint64_t zloop_now_ms(void);

#endif
