// SPDX-License-Identifier: MIT
/*
 * test_coverpage.c - the cover response (daemon/coverpage.c): nginx's
 * status line, header order, Date, Last-Modified and ETag for a known
 * file and time; HEAD without the body; the built-in page; load errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "coverpage.h"

/* 2026-12-05 04:00:00 UTC */
#define NOW	1796443200
/* 2023-02-13 16:00:00 UTC */
#define MTIME	1676304000

static const char head_for_file[] =
	"HTTP/1.1 200 OK\r\n"
	"Server: nginx\r\n"
	"Date: Sat, 05 Dec 2026 04:00:00 GMT\r\n"
	"Content-Type: text/html\r\n"
	"Content-Length: 12\r\n"
	"Last-Modified: Mon, 13 Feb 2023 16:00:00 GMT\r\n"
	"Connection: close\r\n"
	"ETag: \"63ea5e80-c\"\r\n"
	"Accept-Ranges: bytes\r\n"
	"\r\n";

static void test_file(void **state)
{
	char path[] = "/tmp/zeq-test-cover.XXXXXX", err[256], *out;
	struct timeval tv[2] = { { MTIME, 0 }, { MTIME, 0 } };
	struct zeq_coverpage cp;
	size_t len;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "<p>hello</p>", 12), 12);
	close(fd);
	assert_int_equal(utimes(path, tv), 0);
	assert_int_equal(zeq_coverpage_load(path, &cp, err, sizeof(err)), 0);
	assert_int_equal(zeq_coverpage_response(&cp, NOW, false, &out, &len), 0);
	assert_int_equal(len, strlen(head_for_file) + 12);
	assert_memory_equal(out, head_for_file, strlen(head_for_file));
	assert_memory_equal(out + strlen(head_for_file), "<p>hello</p>", 12);
	free(out);
	/* HEAD: the same head, no body */
	assert_int_equal(zeq_coverpage_response(&cp, NOW, true, &out, &len), 0);
	assert_int_equal(len, strlen(head_for_file));
	assert_memory_equal(out, head_for_file, len);
	free(out);
	zeq_coverpage_free(&cp);
	/* too big, missing, not a file: each named */
	assert_int_equal(truncate(path, ZEQ_COVERPAGE_MAX + 1), 0);
	assert_int_equal(zeq_coverpage_load(path, &cp, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than 1 MiB"));
	assert_non_null(strstr(err, path));
	unlink(path);
	assert_int_equal(zeq_coverpage_load(path, &cp, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(zeq_coverpage_load("/tmp", &cp, err, sizeof(err)), -1);
	assert_string_equal(err, "/tmp: not a regular file");
}

static void test_builtin(void **state)
{
	struct zeq_coverpage cp;
	char err[256], *out;
	size_t len;

	(void)state;
	assert_int_equal(zeq_coverpage_load("", &cp, err, sizeof(err)), 0);
	assert_int_equal(cp.len, 615);	/* nginx's index.html */
	assert_int_equal(zeq_coverpage_response(&cp, NOW, false, &out, &len), 0);
	assert_non_null(strstr(out, "Content-Length: 615\r\n"));
	assert_non_null(strstr(out, "ETag: \"63ea5e80-267\"\r\n"));
	assert_non_null(strstr(out, "<title>Welcome to nginx!</title>"));
	free(out);
	zeq_coverpage_free(&cp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_builtin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
