// SPDX-License-Identifier: MIT
/*
 * test_resolve.c - endpoints to addresses (daemon/resolve.c): addresses
 * at once, a name through the loop (localhost, from /etc/hosts), what is
 * not an endpoint, and a cancelled lookup whose answer never comes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "loop.h"
#include "resolve.h"

struct answer {
	int calls;
	struct sockaddr_storage to;
	char why[256];
};

static void got(void *arg, const struct sockaddr_storage *to, const char *why)
{
	struct answer *a = arg;

	a->calls++;
	if (to)
		a->to = *to;
	else
		snprintf(a->why, sizeof(a->why), "%s", why);
}

static void stop_cb(struct zloop *l, struct zloop_timer *t, void *arg)
{
	(void)arg;
	zloop_timer_del(l, t);
	zloop_stop(l);
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ?
		     ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

static void test_addresses(void **state)
{
	struct sockaddr_storage to;
	struct zresolve *r = (struct zresolve *)&to;
	struct zloop *l = zloop_new();
	char why[256], text[INET6_ADDRSTRLEN];

	(void)state;
	assert_non_null(l);
	assert_int_equal(zresolve_start(l, "192.0.2.7:443", &to, &r, got, NULL,
					why, sizeof(why)), 0);
	assert_null(r);
	assert_int_equal(to.ss_family, AF_INET);
	assert_int_equal(port_of(&to), 443);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&to)->sin_addr, text,
		  sizeof(text));
	assert_string_equal(text, "192.0.2.7");
	assert_int_equal(zresolve_start(l, "[2001:db8::9]:51820", &to, &r, got,
					NULL, why, sizeof(why)), 0);
	assert_int_equal(to.ss_family, AF_INET6);
	assert_int_equal(port_of(&to), 51820);
	inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&to)->sin6_addr, text,
		  sizeof(text));
	assert_string_equal(text, "2001:db8::9");
	zloop_free(l);
}

static void test_not_endpoints(void **state)
{
	static const char *const bad[] = {
		"192.0.2.7", ":443", "192.0.2.7:", "[2001:db8::9]",
		"192.0.2.7:http", "192.0.2.7:1234567890", "192.0.2.7:0",
		"2001:db8::9:443", "[]:443",
	};
	struct sockaddr_storage to;
	struct zresolve *r;
	struct zloop *l = zloop_new();
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(zresolve_start(l, bad[i], &to, &r, got, NULL,
						why, sizeof(why)), -1);
		assert_null(r);
		/* the message names the endpoint at fault */
		assert_non_null(strstr(why, bad[i]));
	}
	zloop_free(l);
}

static void test_name(void **state)
{
	struct answer a = { 0 };
	struct sockaddr_storage to = { 0 };
	struct zresolve *r;
	struct zloop *l = zloop_new();
	char why[256];

	(void)state;
	assert_int_equal(zresolve_start(l, "localhost:8443", &to, &r, got, &a,
					why, sizeof(why)), 1);
	assert_non_null(r);
	assert_int_equal(a.calls, 0);	/* the answer comes through the loop */
	assert_non_null(zloop_timer_add(l, 5000, stop_cb, NULL));
	while (!a.calls)
		assert_int_equal(zloop_run(l), 0);
	assert_int_equal(a.calls, 1);
	assert_true(a.to.ss_family == AF_INET || a.to.ss_family == AF_INET6);
	assert_int_equal(port_of(&a.to), 8443);
	zloop_free(l);
}

static void test_cancel(void **state)
{
	struct answer a = { 0 };
	struct sockaddr_storage to;
	struct zresolve *r;
	struct zloop *l = zloop_new();
	char why[256];

	(void)state;
	assert_int_equal(zresolve_start(l, "localhost:1", &to, &r, got, &a,
					why, sizeof(why)), 1);
	zresolve_cancel(r);
	zresolve_cancel(NULL);
	/* 300 ms of loop: the lookup ends, its answer goes nowhere */
	assert_non_null(zloop_timer_add(l, 300, stop_cb, NULL));
	assert_int_equal(zloop_run(l), 0);
	assert_int_equal(a.calls, 0);
	zloop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_not_endpoints),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
