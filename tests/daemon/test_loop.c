// SPDX-License-Identifier: MIT
/*
 * test_loop.c - zeqd's event loop (daemon/loop.c): fd readiness, timers
 * (order, delay, rearm, deletion from callbacks), a watcher removed by an
 * earlier callback of the same batch, signals through the signalfd, stop.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

struct rec {
	char order[16];
	int n;
	uint64_t at[16];
	int fds[4];
	struct zloop_timer *t;
};

static void stop_cb(struct zloop *l, struct zloop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	zloop_stop(l);
}

static void note(struct rec *r, char what)
{
	r->at[r->n] = zloop_now_ms();
	r->order[r->n++] = what;
}

static void on_read(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct rec *r = arg;
	char c;

	assert_true(events & EPOLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	note(r, c);
	zloop_stop(l);
}

static void test_fd(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 };
	int p[2];

	(void)state;
	assert_non_null(l);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(zloop_add_fd(l, p[0], EPOLLIN, on_read, &r), 0);
	assert_int_equal(zloop_add_fd(l, p[0], EPOLLIN, on_read, &r), -EEXIST);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.order[0], 'x');
	/* removed: a second byte is not delivered (a timer stops the loop) */
	zloop_del_fd(l, p[0]);
	assert_int_equal(write(p[1], "y", 1), 1);
	zloop_timer_add(l, 50, stop_cb, NULL);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 1);
	zloop_free(l);
	close(p[0]);
	close(p[1]);
}

static void on_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct rec *r = arg;

	(void)t;
	note(r, r->n ? 'b' : 'a');
	if (r->n == 2)
		zloop_stop(l);
}

static void test_timer_order_and_delay(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 };
	uint64_t t0 = zloop_now_ms();

	(void)state;
	/* added in reverse order: they fire by due time */
	assert_non_null(zloop_timer_add(l, 120, on_timer, &r));
	assert_non_null(zloop_timer_add(l, 40, on_timer, &r));
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 2);
	assert_true(r.at[0] - t0 >= 40);
	assert_true(r.at[1] - t0 >= 120);
	assert_true(r.at[1] - t0 < 120 + 500);
	assert_true(r.at[0] < r.at[1]);
	zloop_free(l);	/* frees both timers (ASan checks) */
}

static void on_block(struct zloop *l, struct zloop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
	usleep(100 * 1000);	/* a slow callback: the others fall due meanwhile */
}

struct mark {
	struct rec *r;
	char id;
};

static void on_mark(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct mark *m = arg;

	(void)t;
	note(m->r, m->id);
	if (m->r->n == 3)
		zloop_stop(l);
}

/* timers overdue together fire in due order, not in the order added */
static void test_overdue_in_due_order(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 };
	struct mark m[3] = { { &r, 'A' }, { &r, 'B' }, { &r, 'C' } };

	(void)state;
	zloop_timer_add(l, 1, on_block, NULL);
	/* added in due order (the loop keeps the newest first) */
	zloop_timer_add(l, 10, on_mark, &m[0]);
	zloop_timer_add(l, 20, on_mark, &m[1]);
	zloop_timer_add(l, 30, on_mark, &m[2]);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 3);
	assert_memory_equal(r.order, "ABC", 3);
	zloop_free(l);
}

static void on_rearm(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct rec *r = arg;

	note(r, 'r');
	if (r->n < 3)
		zloop_timer_rearm(l, t, 20);
	else
		zloop_stop(l);
}

static void on_self_delete(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct rec *r = arg;

	note(r, 'd');
	zloop_timer_del(l, t);
}

static void test_timer_rearm_and_self_delete(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 }, d = { 0 };
	uint64_t t0 = zloop_now_ms();

	(void)state;
	zloop_timer_add(l, 10, on_self_delete, &d);
	zloop_timer_add(l, 20, on_rearm, &r);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(d.n, 1);	/* deleted itself: fired once */
	assert_int_equal(r.n, 3);
	assert_true(r.at[2] - t0 >= 60);
	zloop_free(l);
}

static void on_read_kill_other(struct zloop *l, int fd, uint32_t events,
			       void *arg)
{
	struct rec *r = arg;
	int other = fd == r->fds[0] ? r->fds[2] : r->fds[0];
	char c;

	(void)events;
	assert_int_equal(read(fd, &c, 1), 1);
	note(r, c);
	/* the other pipe is readable too, its event possibly in this batch */
	zloop_del_fd(l, other);
	close(other);
	zloop_timer_add(l, 50, stop_cb, NULL);
}

static void test_delete_other_in_batch(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(pipe(r.fds), 0);
	assert_int_equal(pipe(r.fds + 2), 0);
	assert_int_equal(write(r.fds[1], "1", 1), 1);
	assert_int_equal(write(r.fds[3], "2", 1), 1);
	assert_int_equal(zloop_add_fd(l, r.fds[0], EPOLLIN, on_read_kill_other, &r), 0);
	assert_int_equal(zloop_add_fd(l, r.fds[2], EPOLLIN, on_read_kill_other, &r), 0);
	assert_int_equal(zloop_run(l), 0);
	/* exactly one callback ran; the other watcher was gone in time */
	assert_int_equal(r.n, 1);
	zloop_free(l);
	close(r.fds[1]);
	close(r.fds[3]);
	close(r.order[0] == '1' ? r.fds[0] : r.fds[2]);
}

static void on_signal(struct zloop *l, int signo, void *arg)
{
	struct rec *r = arg;

	note(r, (char)signo);
	zloop_stop(l);
}

static void test_signal(void **state)
{
	struct zloop *l = zloop_new();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(zloop_add_signal(l, SIGUSR1, on_signal, &r), 0);
	assert_int_equal(zloop_add_signal(l, SIGUSR2, on_signal, &r), 0);
	assert_int_equal(zloop_add_signal(l, 0, on_signal, &r), -EINVAL);
	/* blocked now: raised, it waits for the loop */
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.order[0], SIGUSR2);
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[1], SIGUSR1);
	zloop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd),
		cmocka_unit_test(test_timer_order_and_delay),
		cmocka_unit_test(test_timer_rearm_and_self_delete),
		cmocka_unit_test(test_overdue_in_due_order),
		cmocka_unit_test(test_delete_other_in_batch),
		cmocka_unit_test(test_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
