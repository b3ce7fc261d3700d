// SPDX-License-Identifier: MIT
/* test_parse.c - numbers, endpoints and prefixes (tools/parse.c). */
#define _GNU_SOURCE
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "unit.h"
#include "parse.h"

static char why[ZEQ_WHY_LEN];

/* --- numbers --- */

static uint32_t u32_ok(const char *s, uint32_t min, uint32_t max)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(zeq_parse_u32(s, min, max, &v, why, sizeof(why)), 0);
	return v;
}

static void u32_bad(const char *s, uint32_t min, uint32_t max,
		    const char *reason)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(zeq_parse_u32(s, min, max, &v, why, sizeof(why)), -1);
	assert_string_equal(why, reason);
	assert_int_equal(v, 0xdeadbeef);	/* untouched on error */
}

static void numbers_in_range(void **state)
{
	(void)state;
	assert_int_equal(u32_ok("0", 0, 10), 0);
	assert_int_equal(u32_ok("10", 0, 10), 10);
	assert_int_equal(u32_ok("010", 0, 10), 10);	/* decimal, not octal */
	assert_int_equal(u32_ok("0x10", 0, 100), 16);
	assert_int_equal(u32_ok("0XfF", 0, 255), 255);
	assert_int_equal(u32_ok("4294967295", 0, UINT32_MAX), UINT32_MAX);
	assert_int_equal(u32_ok("0xffffffff", 0, UINT32_MAX), UINT32_MAX);
	assert_int_equal(u32_ok("5", 5, 604800), 5);
	assert_int_equal(u32_ok("604800", 5, 604800), 604800);
}

static void numbers_out_of_range(void **state)
{
	(void)state;
	u32_bad("11", 0, 10, "out of range (0..10)");
	u32_bad("4", 5, 604800, "out of range (5..604800)");
	u32_bad("604801", 5, 604800, "out of range (5..604800)");
	u32_bad("0", 1, 2147483647, "out of range (1..2147483647)");
	u32_bad("2147483648", 1, 2147483647, "out of range (1..2147483647)");
	u32_bad("4294967296", 0, UINT32_MAX, "out of range (0..4294967295)");
	u32_bad("99999999999999999999999", 0, UINT32_MAX,
		"out of range (0..4294967295)");
	u32_bad("0x100000000", 0, UINT32_MAX, "out of range (0..4294967295)");
	u32_bad("65536", 0, 65535, "out of range (0..65535)");
}

static void numbers_garbage(void **state)
{
	(void)state;
	u32_bad("", 0, 10, "empty");
	u32_bad("-1", 0, 10, "not a number");
	u32_bad("+1", 0, 10, "not a number");
	u32_bad(" 1", 0, 10, "not a number");
	u32_bad("1 ", 0, 10, "not a number");
	u32_bad("1a", 0, 100, "not a number");
	u32_bad("0x", 0, 10, "not a number");
	u32_bad("0xg", 0, 10, "not a number");
	u32_bad("1.5", 0, 10, "not a number");
	/* past 32 bits the rest was not looked at: "out of range" */
	u32_bad("99999999999x", 0, UINT32_MAX, "not a number");
	u32_bad("0x1000000000g", 0, UINT32_MAX, "not a number");
	u32_bad("99999999999999999999999999999999", 0, 10,
		"out of range (0..10)");
}

/* --- endpoints --- */

static void endpoint_ok(const char *s, int family, const char *addr,
			uint16_t port)
{
	struct zeq_endpoint ep;
	uint8_t want[16] = { 0 };
	char back[ZEQ_ENDPOINT_STRLEN];

	assert_int_equal(zeq_parse_endpoint(s, &ep, why, sizeof(why)), 0);
	assert_int_equal(ep.addr.family, family);
	assert_int_equal(inet_pton(family, addr, want), 1);
	assert_memory_equal(ep.addr.bytes, want, family == AF_INET ? 4 : 16);
	assert_int_equal(ep.port, port);
	/* and the canonical text form reads back the same */
	assert_string_equal(zeq_endpoint_str(&ep, back, sizeof(back)), s);
}

static void endpoint_bad(const char *s, const char *reason)
{
	struct zeq_endpoint ep;

	assert_int_equal(zeq_parse_endpoint(s, &ep, why, sizeof(why)), -1);
	assert_string_equal(why, reason);
}

static void endpoint_v4(void **state)
{
	(void)state;
	endpoint_ok("192.168.241.2:51900", AF_INET, "192.168.241.2", 51900);
	endpoint_ok("0.0.0.0:1", AF_INET, "0.0.0.0", 1);
	endpoint_ok("255.255.255.255:65535", AF_INET, "255.255.255.255", 65535);
}

static void endpoint_v6(void **state)
{
	(void)state;
	endpoint_ok("[fd00::1]:443", AF_INET6, "fd00::1", 443);
	endpoint_ok("[::1]:51900", AF_INET6, "::1", 51900);
	endpoint_ok("[::ffff:1.2.3.4]:7", AF_INET6, "::ffff:1.2.3.4", 7);
}

static void endpoint_bad_port(void **state)
{
	(void)state;
	endpoint_bad("1.2.3.4:0", "port out of range (1..65535)");
	endpoint_bad("1.2.3.4:65536", "port out of range (1..65535)");
	endpoint_bad("1.2.3.4:http", "port not a number");
	endpoint_bad("1.2.3.4:-1", "port not a number");
	endpoint_bad("[fd00::1]:99999", "port out of range (1..65535)");
}

static void endpoint_missing_port(void **state)
{
	(void)state;
	endpoint_bad("1.2.3.4", "missing port");
	endpoint_bad("1.2.3.4:", "missing port");
	endpoint_bad("[fd00::1]", "missing port");
	endpoint_bad("[fd00::1]:", "missing port");
}

static void endpoint_garbage(void **state)
{
	(void)state;
	endpoint_bad("", "empty");
	endpoint_bad("garbage", "invalid IPv4 address (names are not resolved)");
	endpoint_bad("vpn.example.com:51900",
		     "invalid IPv4 address (names are not resolved)");
	endpoint_bad("1.2.3:80", "invalid IPv4 address (names are not resolved)");
	endpoint_bad("256.1.1.1:80",
		     "invalid IPv4 address (names are not resolved)");
	endpoint_bad("fd00::1:51900",
		     "IPv6 address must be in brackets: [addr]:port");
	endpoint_bad("[fd00::1", "missing ']'");
	endpoint_bad("[fd00::1]51900", "expected ':' after ']'");
	endpoint_bad("[1.2.3.4]:80", "invalid IPv6 address");
	endpoint_bad("[fd00::zz]:80", "invalid IPv6 address");
	endpoint_bad("[]:80", "invalid IPv6 address");
	endpoint_bad("[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
		     "invalid IPv6 address");
}

/* --- prefixes --- */

static void prefix_ok(const char *s, const char *canon, int family,
		      unsigned int cidr)
{
	struct zeq_prefix p;
	char back[ZEQ_PREFIX_STRLEN];

	assert_int_equal(zeq_parse_prefix(s, &p, why, sizeof(why)), 0);
	assert_int_equal(p.addr.family, family);
	assert_int_equal(p.cidr, cidr);
	assert_string_equal(zeq_prefix_str(&p, back, sizeof(back)), canon);
}

static void prefix_bad(const char *s, const char *reason)
{
	struct zeq_prefix p;

	assert_int_equal(zeq_parse_prefix(s, &p, why, sizeof(why)), -1);
	assert_string_equal(why, reason);
}

static void prefix_good(void **state)
{
	(void)state;
	prefix_ok("10.0.0.2/32", "10.0.0.2/32", AF_INET, 32);
	prefix_ok("10.0.0.0/8", "10.0.0.0/8", AF_INET, 8);
	prefix_ok("0.0.0.0/0", "0.0.0.0/0", AF_INET, 0);
	prefix_ok("10.0.0.128/25", "10.0.0.128/25", AF_INET, 25);
	prefix_ok("fd00::8000/113", "fd00::8000/113", AF_INET6, 113);
	prefix_ok("10.0.0.2", "10.0.0.2/32", AF_INET, 32);
	prefix_ok("fd00::2/128", "fd00::2/128", AF_INET6, 128);
	prefix_ok("fd00::/64", "fd00::/64", AF_INET6, 64);
	prefix_ok("::/0", "::/0", AF_INET6, 0);
	prefix_ok("fd00::2", "fd00::2/128", AF_INET6, 128);
}

static void prefix_host_bits(void **state)
{
	(void)state;
	prefix_bad("10.0.0.1/24", "host bits set (did you mean 10.0.0.0/24?)");
	prefix_bad("10.0.0.64/25", "host bits set (did you mean 10.0.0.0/25?)");
	prefix_bad("1.0.0.0/0", "host bits set (did you mean 0.0.0.0/0?)");
	prefix_bad("fd00::1/64", "host bits set (did you mean fd00::/64?)");
	prefix_bad("fd00::4000/113",
		   "host bits set (did you mean fd00::/113?)");
}

static void prefix_cidr_range(void **state)
{
	(void)state;
	prefix_bad("10.0.0.0/33", "prefix length out of range (0..32)");
	prefix_bad("fd00::/129", "prefix length out of range (0..128)");
	prefix_bad("10.0.0.0/", "missing prefix length");
	prefix_bad("10.0.0.0/-1", "prefix length not a number");
	prefix_bad("10.0.0.0/x", "prefix length not a number");
}

static void prefix_garbage(void **state)
{
	(void)state;
	prefix_bad("", "empty");
	prefix_bad("/24", "invalid IPv4 address");
	prefix_bad("10.0.0/24", "invalid IPv4 address");
	prefix_bad("fd00:::1/64", "invalid IPv6 address");
	prefix_bad("10.0.0.0/24,10.1.0.0/16", "prefix length not a number");
	/* a ':' after the '/' does not make it IPv6 */
	prefix_bad("10.0.0.0/8:", "prefix length not a number");
	prefix_bad("10.0.0.0/::", "prefix length not a number");
	prefix_bad("fd00::/6:4", "prefix length not a number");
}

const struct CMUnitTest parse_tests[] = {
	cmocka_unit_test(numbers_in_range),
	cmocka_unit_test(numbers_out_of_range),
	cmocka_unit_test(numbers_garbage),
	cmocka_unit_test(endpoint_v4),
	cmocka_unit_test(endpoint_v6),
	cmocka_unit_test(endpoint_bad_port),
	cmocka_unit_test(endpoint_missing_port),
	cmocka_unit_test(endpoint_garbage),
	cmocka_unit_test(prefix_good),
	cmocka_unit_test(prefix_host_bits),
	cmocka_unit_test(prefix_cidr_range),
	cmocka_unit_test(prefix_garbage),
};
const size_t parse_tests_n = N_TESTS(parse_tests);
