// SPDX-License-Identifier: MIT
/* test_args.c - zeqctl's argument grammar (tools/args.c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "unit.h"
#include "args.h"
#include "cli.h"
#include "nl.h"

#define MAX_WORDS 32

/* What zc_parse_args printed on stderr (captured), and its result. */
static char errbuf[4096];
static int status;
static struct zc_args a;
static char **g_argv;		/* what a points into, freed by done() */
static char **g_vec;		/* the argv given to zc_parse_args */
static int g_argc;

/*
 * Parses a command line given as one string of space-separated words
 * (argv[0] included). Every word is its own heap block, argv exactly
 * argc + 1 long: ASan sees a read past either.
 */
static void parse_words(const char *line)
{
	char *copy = strdup(line), *save = NULL, *w;
	char **argv = calloc(MAX_WORDS + 1, sizeof(*argv));
	FILE *saved = stderr, *mem;
	int argc = 0;

	assert_non_null(copy);
	assert_non_null(argv);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		assert_true(argc < MAX_WORDS);
		argv[argc] = strdup(w);
		assert_non_null(argv[argc++]);
	}
	argv = realloc(argv, ((size_t)argc + 1) * sizeof(*argv));
	assert_non_null(argv);
	/* zc_parse_args may reorder argv (it removes -j): free a copy */
	g_argv = malloc(((size_t)argc + 1) * sizeof(*argv));
	assert_non_null(g_argv);
	memcpy(g_argv, argv, ((size_t)argc + 1) * sizeof(*argv));
	g_argc = argc;
	memset(errbuf, 0, sizeof(errbuf));
	mem = fmemopen(errbuf, sizeof(errbuf) - 1, "w");
	assert_non_null(mem);
	stderr = mem;
	status = zc_parse_args(argc, argv, &a);
	stderr = saved;
	fclose(mem);
	g_vec = argv;
	free(copy);
}

/* Releases the parse and the argv it points into. */
static void done(void)
{
	zc_args_free(&a);
	for (int i = 0; i < g_argc; i++)
		free(g_argv[i]);
	free(g_argv);
	free(g_vec);
	g_argv = g_vec = NULL;
	g_argc = 0;
}

static void ok(const char *line, enum zc_cmd cmd)
{
	parse_words(line);
	assert_int_equal(status, 0);
	assert_string_equal(errbuf, "");
	assert_int_equal(a.cmd, cmd);
}

static void usage_error(const char *line, const char *msg)
{
	char want[512];

	parse_words(line);
	assert_int_equal(status, EXIT_USAGE);
	snprintf(want, sizeof(want), "zeqctl: %s\nTry \"zeqctl help\".\n", msg);
	assert_string_equal(errbuf, want);
	done();
}

static void empty_argv(void **state)
{
	char **argv = calloc(1, sizeof(*argv));	/* { NULL }: argc 0 */

	(void)state;
	assert_non_null(argv);
	/* used to read argv[1], past the array */
	assert_int_equal(zc_parse_args(0, argv, &a), 0);
	assert_int_equal(a.cmd, ZC_USAGE);
	zc_args_free(&a);
	free(argv);
}

static void global_options(void **state)
{
	(void)state;
	ok("zeqctl", ZC_USAGE);
	done();
	ok("zeqctl -j", ZC_USAGE);
	done();
	ok("zeqctl --help show", ZC_HELP);
	done();
	ok("zeqctl help", ZC_HELP);
	done();
	ok("zeqctl -V", ZC_VERSION);
	done();
	ok("zeqctl --json show zeq0", ZC_SHOW);
	assert_true(a.json);
	assert_string_equal(a.dev, "zeq0");
	done();
	/* -j after the subcommand, for show and monitor only */
	ok("zeqctl show zeq0 -j", ZC_SHOW);
	assert_true(a.json);
	done();
	ok("zeqctl show -j zeq0", ZC_SHOW);
	assert_true(a.json);
	assert_string_equal(a.dev, "zeq0");
	done();
	ok("zeqctl monitor --json", ZC_MONITOR);
	assert_true(a.json);
	done();
	usage_error("zeqctl -x show", "unknown option \"-x\"");
	usage_error("zeqctl frobnicate", "unknown command \"frobnicate\"");
	usage_error("zeqctl show zeq0 zeq1",
		    "unknown argument \"zeq1\" for \"show\"");
	usage_error("zeqctl show zeq0/1", "invalid device name \"zeq0/1\"");
	usage_error("zeqctl monitor zeq0",
		    "unknown argument \"zeq0\" for \"monitor\"");
	usage_error("zeqctl genkey x", "unknown argument \"x\" for \"genkey\"");
	usage_error("zeqctl set zeq0 -j", "unknown argument \"-j\" for \"set\"");
}

static void set_values(void **state)
{
	(void)state;
	ok("zeqctl set zeq0 listen-port 0x1234 fwmark 0xdeadbeef key-max-age 5",
	   ZC_SET);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_DEV_SET);
	assert_string_equal(a.conf.ifname, "zeq0");
	assert_int_equal(a.conf.listen_port, 0x1234);
	assert_int_equal(a.conf.fwmark, 0xdeadbeef);
	assert_int_equal(a.conf.key_max_age, 5);
	assert_int_equal(a.conf.has, ZEQ_BIT(ZEQ_A_IFNAME) |
			 ZEQ_BIT(ZEQ_A_LISTEN_PORT) | ZEQ_BIT(ZEQ_A_FWMARK) |
			 ZEQ_BIT(ZEQ_A_KEY_MAX_AGE));
	done();
	usage_error("zeqctl set", "set: missing device");
	usage_error("zeqctl set zeq0", "set: nothing to set");
	usage_error("zeqctl set zeq0 listen-port", "\"listen-port\" needs a value");
	usage_error("zeqctl set zeq0 listen-port 1 listen-port 2",
		    "\"listen-port\" given twice");
	usage_error("zeqctl set zeq0 listen-port 65536",
		    "invalid listen port \"65536\": out of range (0..65535)");
	usage_error("zeqctl set zeq0 key-max-age 4",
		    "invalid key max age \"4\": out of range (5..604800)");
	/* a number too long for 32 bits with a letter after: not a number */
	usage_error("zeqctl set zeq0 fwmark 99999999999x",
		    "invalid fwmark \"99999999999x\": not a number");
}

static void set_cover_padding_obfs(void **state)
{
	(void)state;
	ok("zeqctl set zeq0 cover on rate 12.87", ZC_SET);
	assert_int_equal(a.conf.cover, 1);
	assert_int_equal(a.conf.cover_rate, 12870);
	assert_true(ZEQ_HAS(&a.conf, ZEQ_A_COVER) &&
		    ZEQ_HAS(&a.conf, ZEQ_A_COVER_RATE));
	done();
	ok("zeqctl set zeq0 cover on rate 0.001", ZC_SET);
	assert_int_equal(a.conf.cover_rate, 1);
	done();
	ok("zeqctl set zeq0 cover off", ZC_SET);
	assert_int_equal(a.conf.cover, 0);
	assert_false(ZEQ_HAS(&a.conf, ZEQ_A_COVER_RATE));
	done();
	ok("zeqctl set zeq0 padding bucket 128,256,1024 listen-port 1", ZC_SET);
	assert_int_equal(a.conf.padding.mode, ZEQ_PADDING_BUCKET);
	assert_int_equal(a.conf.padding.n_buckets, 3);
	assert_int_equal(a.conf.padding.buckets[2], 1024);
	assert_int_equal(a.conf.listen_port, 1);
	done();
	ok("zeqctl set zeq0 padding random max 400 dist exponential mean 50 cap 20",
	   ZC_SET);
	assert_int_equal(a.conf.padding.mode, ZEQ_PADDING_RANDOM);
	assert_int_equal(a.conf.padding.random_max, 400);
	assert_int_equal(a.conf.padding.dist, ZEQ_PAD_DIST_EXPONENTIAL);
	assert_int_equal(a.conf.padding.random_mean, 50);
	assert_int_equal(a.conf.padding.overhead_cap, 20);
	done();
	ok("zeqctl set zeq0 junk-count 4 junk-size 60-200 prefix 1-16 "
	   "type-data 1000-900000 type-junk 5 header-protection on "
	   "hp-key-file k", ZC_SET);
	assert_int_equal(a.conf.obfs.junk_count, 4);
	assert_int_equal(a.conf.obfs.junk_min, 60);
	assert_int_equal(a.conf.obfs.junk_max, 200);
	assert_int_equal(a.conf.obfs.prefix_max, 16);
	assert_int_equal(a.conf.obfs.type_data_max, 900000);
	assert_int_equal(a.conf.obfs.type_junk_min, 5);
	assert_int_equal(a.conf.obfs.type_junk_max, 5);
	assert_int_equal(a.conf.obfs.header_protection, 1);
	assert_string_equal(a.hp_key_file, "k");
	assert_true(ZEQ_HAS(&a.conf, ZEQ_A_OBFS));
	/* the key is read by cmd_set, not by the grammar */
	assert_false(ZEQ_HAS(&a.conf.obfs, ZEQ_A_OBFS_HP_KEY));
	done();
	usage_error("zeqctl set zeq0 cover on rate 12.8701",
		    "invalid cover rate \"12.8701\": at most 3 decimals");
	usage_error("zeqctl set zeq0 cover on rate 0",
		    "invalid cover rate \"0\": 0.001 to 1000 packets per second");
	usage_error("zeqctl set zeq0 cover on rate 1e3",
		    "invalid cover rate \"1e3\": not a number of packets per second");
	usage_error("zeqctl set zeq0 cover off rate 5",
		    "set: \"rate\" goes with \"cover on\"");
	usage_error("zeqctl set zeq0 cover maybe",
		    "invalid cover \"maybe\": on or off");
	usage_error("zeqctl set zeq0 padding bucket 512,256",
		    "invalid buckets \"512,256\": sizes must be strictly ascending");
	usage_error("zeqctl set zeq0 padding bucket",
		    "set: \"padding bucket\" needs the sizes, e.g. 128,256,512,1024");
	usage_error("zeqctl set zeq0 padding random",
		    "set: \"padding random\" needs \"max\"");
	usage_error("zeqctl set zeq0 padding mtu max 5",
		    "set: \"max\" goes with \"padding random\"");
	usage_error("zeqctl set zeq0 padding random max 10 mean 5",
		    "set: \"mean\" goes with \"dist exponential\"");
	usage_error("zeqctl set zeq0 padding huge",
		    "invalid padding \"huge\": off, bucket, mtu or random");
	usage_error("zeqctl set zeq0 buckets 1,2",
		    "unknown argument \"buckets\" for \"set\"");
	usage_error("zeqctl set zeq0 type-data 1-10 type-junk 5-20",
		    "set: type-data and type-junk ranges overlap");
	usage_error("zeqctl set zeq0 junk-size 300-100",
		    "invalid junk size \"300-100\": min is greater than max");
	usage_error("zeqctl set zeq0 prefix 0-65",
		    "invalid prefix \"0-65\": out of range (0..64)");
	usage_error("zeqctl set zeq0 header-protection yes",
		    "invalid header-protection \"yes\": on or off");
}

/* Cover rates: packets per second to milli-hertz, exactly. */
static void cover_rates(void **state)
{
	static const struct { const char *rate; uint32_t mhz; } good[] = {
		{ "12.87", 12870 }, { "0.001", ZEQ_COVER_RATE_MIN_MHZ },
		{ "1000", ZEQ_COVER_RATE_MAX_MHZ }, { "1000.000", 1000000 },
		{ ".5", 500 }, { "7.", 7000 }, { "007.250", 7250 },
	};
	static const struct { const char *rate, *why; } bad_rates[] = {
		{ "12.8701", "at most 3 decimals" },
		{ "1000.0001", "at most 3 decimals" },
		{ "0", "0.001 to 1000 packets per second" },
		{ "0.0009", "at most 3 decimals" },
		{ "0.000", "0.001 to 1000 packets per second" },
		{ "1000.001", "0.001 to 1000 packets per second" },
		{ "99999999999999999999", "0.001 to 1000 packets per second" },
		/* every character is checked before the range */
		{ "99999999999x", "not a number of packets per second" },
		{ "1e3", "not a number of packets per second" },
		{ "-1", "not a number of packets per second" },
		{ "1.2.3", "not a number of packets per second" },
		{ ".", "not a number of packets per second" },
	};
	char line[128], msg[128];

	(void)state;
	for (size_t i = 0; i < N_TESTS(good); i++) {
		snprintf(line, sizeof(line), "zeqctl set zeq0 cover on rate %s",
			 good[i].rate);
		ok(line, ZC_SET);
		assert_int_equal(a.conf.cover_rate, good[i].mhz);
		done();
		snprintf(line, sizeof(line), "zeqctl peer set zeq0 id 1 cover on "
			 "rate %s", good[i].rate);
		ok(line, ZC_PEER);
		assert_int_equal(a.peer.cover_rate, good[i].mhz);
		done();
	}
	for (size_t i = 0; i < N_TESTS(bad_rates); i++) {
		snprintf(line, sizeof(line), "zeqctl set zeq0 cover on rate %s",
			 bad_rates[i].rate);
		snprintf(msg, sizeof(msg), "invalid cover rate \"%s\": %s",
			 bad_rates[i].rate, bad_rates[i].why);
		usage_error(line, msg);
	}
}

/*
 * Rules between obfuscation values are checked only when the command
 * gives every value the rule reads; the kernel checks the merged result.
 */
static void obfs_rules(void **state)
{
	(void)state;
	usage_error("zeqctl set zeq0 junk-count 4 junk-size 47-200 prefix 0-16",
		    "invalid junk size \"47-200\": with junk-count the min must "
		    "be at least 48 (prefix max 16 + 32)");
	usage_error("zeqctl set zeq0 junk-count 1 junk-size 31-200",
		    "invalid junk size \"31-200\": with junk-count the min must "
		    "be at least the prefix max + 32");
	ok("zeqctl set zeq0 junk-count 4 junk-size 48-200 prefix 0-16", ZC_SET);
	assert_int_equal(a.conf.obfs.junk_min, 48);
	done();
	/* no junk sent, or the device's count or prefix unknown: the kernel's */
	ok("zeqctl set zeq0 junk-count 0 junk-size 0-10 prefix 0-64", ZC_SET);
	assert_int_equal(a.conf.obfs.junk_count, 0);
	assert_int_equal(a.conf.obfs.junk_max, 10);
	done();
	ok("zeqctl set zeq0 junk-size 1-2 prefix 64", ZC_SET);
	assert_false(ZEQ_HAS(&a.conf.obfs, ZEQ_A_OBFS_JUNK_COUNT));
	done();
	ok("zeqctl set zeq0 junk-count 9 prefix 0-64", ZC_SET);
	assert_false(ZEQ_HAS(&a.conf.obfs, ZEQ_A_OBFS_JUNK_MIN));
	done();
	/* the device's junk types (2-2 by default) are not known here */
	ok("zeqctl set zeq0 type-data 1-5", ZC_SET);
	assert_int_equal(a.conf.obfs.type_data_max, 5);
	assert_false(ZEQ_HAS(&a.conf.obfs, ZEQ_A_OBFS_TYPE_JUNK_MIN));
	done();
	ok("zeqctl set zeq0 type-data 0x100-0xffffffff type-junk 0-255", ZC_SET);
	assert_int_equal(a.conf.obfs.type_data_max, UINT32_MAX);
	assert_int_equal(a.conf.obfs.type_junk_max, 255);
	done();
	/* header protection on without a key: the device may have one */
	ok("zeqctl set zeq0 header-protection on", ZC_SET);
	assert_null(a.hp_key_file);
	assert_int_equal(a.conf.obfs.has,
			 ZEQ_BIT(ZEQ_A_OBFS_HEADER_PROTECTION));
	done();
	/* a key alone: the nest goes out with the key cmd_set reads */
	ok("zeqctl set zeq0 hp-key-file -", ZC_SET);
	assert_string_equal(a.hp_key_file, "-");
	assert_true(ZEQ_HAS(&a.conf, ZEQ_A_OBFS));
	assert_int_equal(a.conf.obfs.has, 0);
	done();
	usage_error("zeqctl set zeq0 type-data 5-10 type-junk 10-20",
		    "set: type-data and type-junk ranges overlap");
	usage_error("zeqctl set zeq0 type-junk 4294967296",
		    "invalid type-junk \"4294967296\": out of range "
		    "(0..4294967295)");
	usage_error("zeqctl set zeq0 junk-count 129",
		    "invalid junk count \"129\": out of range (0..128)");
	usage_error("zeqctl set zeq0 junk-size 10-1453",
		    "invalid junk size \"10-1453\": out of range (0..1452)");
	usage_error("zeqctl set zeq0 prefix 9-8",
		    "invalid prefix \"9-8\": min is greater than max");
	usage_error("zeqctl set zeq0 prefix 1-",
		    "invalid prefix \"1-\": empty");
	usage_error("zeqctl set zeq0 hp-key-file",
		    "\"hp-key-file\" needs a value");
}

static void padding_grammar(void **state)
{
	(void)state;
	ok("zeqctl set zeq0 padding off", ZC_SET);
	assert_int_equal(a.conf.padding.mode, ZEQ_PADDING_OFF);
	assert_int_equal(a.conf.padding.has, ZEQ_BIT(ZEQ_A_PADDING_MODE));
	done();
	ok("zeqctl set zeq0 padding mtu", ZC_SET);
	assert_int_equal(a.conf.padding.mode, ZEQ_PADDING_MTU);
	done();
	ok("zeqctl set zeq0 padding bucket 1,2,3,4,5,6,7,65535", ZC_SET);
	assert_int_equal(a.conf.padding.has, ZEQ_BIT(ZEQ_A_PADDING_MODE) |
			 ZEQ_BIT(ZEQ_A_PADDING_BUCKET));
	assert_int_equal(a.conf.padding.n_buckets, ZEQ_PAD_BUCKETS_MAX);
	assert_int_equal(a.conf.padding.buckets[7], ZEQ_PAD_SIZE_MAX);
	done();
	ok("zeqctl set zeq0 padding random max 1500 cap 0", ZC_SET);
	assert_int_equal(a.conf.padding.random_max, ZEQ_PAD_RANDOM_MAX);
	assert_int_equal(a.conf.padding.has, ZEQ_BIT(ZEQ_A_PADDING_MODE) |
			 ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MAX) |
			 ZEQ_BIT(ZEQ_A_PADDING_OVERHEAD_CAP));
	done();
	ok("zeqctl set zeq0 padding random max 100 dist uniform", ZC_SET);
	assert_int_equal(a.conf.padding.dist, ZEQ_PAD_DIST_UNIFORM);
	assert_true(ZEQ_HAS(&a.conf.padding, ZEQ_A_PADDING_DIST));
	done();
	usage_error("zeqctl set zeq0 padding bucket 1,2,3,4,5,6,7,8,9",
		    "invalid buckets \"1,2,3,4,5,6,7,8,9\": at most 8 sizes");
	usage_error("zeqctl set zeq0 padding bucket 128,128",
		    "invalid buckets \"128,128\": sizes must be strictly "
		    "ascending");
	usage_error("zeqctl set zeq0 padding bucket 0,128",
		    "invalid bucket size \"0\": out of range (1..65535)");
	usage_error("zeqctl set zeq0 padding bucket 128,,256",
		    "invalid bucket size \"\": empty");
	usage_error("zeqctl set zeq0 padding bucket 65536",
		    "invalid bucket size \"65536\": out of range (1..65535)");
	usage_error("zeqctl set zeq0 padding random max 1501",
		    "invalid padding max \"1501\": out of range (1..1500)");
	usage_error("zeqctl set zeq0 padding random max 0",
		    "invalid padding max \"0\": out of range (1..1500)");
	usage_error("zeqctl set zeq0 padding random max 100 dist exponential "
		    "mean 101",
		    "invalid padding mean \"101\": out of range (1..100)");
	usage_error("zeqctl set zeq0 padding random max 100 cap 1001",
		    "invalid padding cap \"1001\": out of range (0..1000)");
	usage_error("zeqctl set zeq0 padding random max 100 dist normal",
		    "invalid dist \"normal\": uniform or exponential");
	usage_error("zeqctl set zeq0 dist uniform",
		    "set: \"dist\" goes with \"padding random\"");
	usage_error("zeqctl set zeq0 padding bucket 128 cap 5",
		    "set: \"cap\" goes with \"padding random\"");
	usage_error("zeqctl set zeq0 rate 5", "set: \"rate\" goes with \"cover on\"");
	usage_error("zeqctl set zeq0 padding mtu padding off",
		    "\"padding\" given twice");
}

static void peer_cover(void **state)
{
	(void)state;
	ok("zeqctl peer add zeq0 id 1 cover on rate 20", ZC_PEER);
	assert_int_equal(a.peer.cover, ZEQ_COVER_ON);
	assert_int_equal(a.peer.cover_rate, 20000);
	assert_int_equal(a.peer.has, ZEQ_BIT(ZEQ_A_PEER_ID) |
			 ZEQ_BIT(ZEQ_A_PEER_COVER) |
			 ZEQ_BIT(ZEQ_A_PEER_COVER_RATE));
	done();
	/* without a rate, and off or device: back to the device's rate (0) */
	ok("zeqctl peer set zeq0 id 1 cover on", ZC_PEER);
	assert_int_equal(a.peer.cover, ZEQ_COVER_ON);
	assert_int_equal(a.peer.cover_rate, 0);
	assert_true(ZEQ_HAS(&a.peer, ZEQ_A_PEER_COVER_RATE));
	done();
	ok("zeqctl peer set zeq0 id 1 cover off", ZC_PEER);
	assert_int_equal(a.peer.cover, ZEQ_COVER_OFF);
	done();
	ok("zeqctl peer set zeq0 cover device id 1", ZC_PEER);
	assert_int_equal(a.peer.cover, ZEQ_COVER_DEVICE);
	assert_true(ZEQ_HAS(&a.peer, ZEQ_A_PEER_COVER));
	done();
	ok("zeqctl peer set zeq0 id 1 keepalive 5", ZC_PEER);
	assert_false(ZEQ_HAS(&a.peer, ZEQ_A_PEER_COVER));
	assert_false(ZEQ_HAS(&a.peer, ZEQ_A_PEER_COVER_RATE));
	done();
	usage_error("zeqctl peer set zeq0 id 1 cover device rate 5",
		    "peer: \"rate\" goes with \"cover on\"");
	usage_error("zeqctl peer set zeq0 id 1 rate 5",
		    "peer: \"rate\" goes with \"cover on\"");
	usage_error("zeqctl peer add zeq0 id 1 cover always",
		    "invalid cover \"always\": on, off or device");
	usage_error("zeqctl peer add zeq0 id 1 cover on rate 0",
		    "invalid cover rate \"0\": 0.001 to 1000 packets per second");
	usage_error("zeqctl peer del zeq0 id 1 cover off",
		    "unknown argument \"cover\" for \"peer del\"");
}

static void genkey(void **state)
{
	(void)state;
	ok("zeqctl genkey", ZC_GENKEY);
	assert_false(a.genkey_hp);
	done();
	ok("zeqctl genkey hp", ZC_GENKEY);
	assert_true(a.genkey_hp);
	done();
	usage_error("zeqctl genkey hp hp", "unknown argument \"hp\" for \"genkey\"");
	usage_error("zeqctl genkey tx", "unknown argument \"tx\" for \"genkey\"");
}

static void peer_commands(void **state)
{
	char text[ZEQ_PREFIX_STRLEN];

	(void)state;
	ok("zeqctl peer add zeq0 id 1 endpoint [fd00::1]:443 "
	   "allowed-ips 10.0.0.2/32,fd00::/64 keepalive 25", ZC_PEER);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_PEER_NEW);
	assert_string_equal(a.ctx, "peer add");
	assert_int_equal(a.peer.id, 1);
	assert_int_equal(a.peer.endpoint.addr.family, AF_INET6);
	assert_int_equal(a.peer.endpoint.port, 443);
	assert_int_equal(a.peer.keepalive, 25);
	assert_int_equal(a.peer.n_aips, 2);
	assert_string_equal(zeq_prefix_str(&a.peer.aips[1], text, sizeof(text)),
			    "fd00::/64");
	assert_int_equal(a.peer.has, ZEQ_BIT(ZEQ_A_PEER_ID) |
			 ZEQ_BIT(ZEQ_A_PEER_ENDPOINT_IPV6) |
			 ZEQ_BIT(ZEQ_A_PEER_ALLOWED_IP) |
			 ZEQ_BIT(ZEQ_A_PEER_KEEPALIVE));
	done();
	ok("zeqctl peer set zeq0 id 2 replace-allowed-ips", ZC_PEER);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_PEER_SET);
	assert_true(ZEQ_HAS(&a.peer, ZEQ_A_PEER_REPLACE_ALLOWED_IPS));
	done();
	ok("zeqctl peer del zeq0 id 2147483647", ZC_PEER);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_PEER_DEL);
	assert_int_equal(a.peer.id, ZEQ_PEER_ID_MAX);
	done();
	usage_error("zeqctl peer", "\"peer\" needs a subcommand: add, set, del");
	usage_error("zeqctl peer rm zeq0", "unknown subcommand \"peer rm\"");
	usage_error("zeqctl peer add zeq0", "peer add: missing \"id\"");
	usage_error("zeqctl peer add zeq0 id 1 replace-allowed-ips",
		    "unknown argument \"replace-allowed-ips\" for \"peer add\"");
	usage_error("zeqctl peer del zeq0 id 1 keepalive 5",
		    "unknown argument \"keepalive\" for \"peer del\"");
	usage_error("zeqctl peer add zeq0 id 0",
		    "invalid peer id \"0\": out of range (1..2147483647)");
	usage_error("zeqctl peer add zeq0 id 1 allowed-ips 10.0.0.0/8,",
		    "invalid allowed-ips \"10.0.0.0/8,\": empty prefix");
	usage_error("zeqctl peer add zeq0 id 1 allowed-ips 10.0.0.1/8",
		    "invalid prefix \"10.0.0.1/8\": host bits set (did you "
		    "mean 10.0.0.0/8?)");
	usage_error("zeqctl peer add zeq0 id 1 endpoint fd00::1:5",
		    "invalid endpoint \"fd00::1:5\": IPv6 address must be in "
		    "brackets: [addr]:port");
}

static void key_commands(void **state)
{
	(void)state;
	ok("zeqctl key add zeq0 peer 3 id 7 remote-id 9 key-file k.key reverse",
	   ZC_KEY);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_KEY_NEW);
	assert_int_equal(a.kc.peer_id, 3);
	assert_int_equal(a.kc.key_id, 7);
	assert_int_equal(a.kc.remote_key_id, 9);
	assert_int_equal(a.kc.slot, ZEQ_KEY_SLOT_NEXT);
	assert_true(a.read_keys);
	assert_true(a.reverse);
	assert_string_equal(a.key_file, "k.key");
	done();
	ok("zeqctl key add zeq0 peer 3 id 7", ZC_KEY);
	assert_int_equal(a.kc.remote_key_id, 7);	/* defaults to id */
	assert_null(a.key_file);			/* stdin */
	assert_false(a.reverse);
	done();
	ok("zeqctl key swap zeq0 peer 3", ZC_KEY);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_KEY_SWAP);
	assert_int_equal(a.kc.has, ZEQ_BIT(ZEQ_A_KEYCONF_PEER_ID));
	assert_false(a.read_keys);
	done();
	ok("zeqctl key del zeq0 slot previous peer 3", ZC_KEY);
	assert_int_equal(a.nl_cmd, ZEQ_CMD_KEY_DEL);
	assert_int_equal(a.kc.slot, ZEQ_KEY_SLOT_PREVIOUS);
	done();
	usage_error("zeqctl key", "\"key\" needs a subcommand: add, swap, del");
	usage_error("zeqctl key add zeq0 id 1", "key add: missing \"peer\"");
	usage_error("zeqctl key add zeq0 peer 1", "key add: missing \"id\"");
	usage_error("zeqctl key add zeq0 peer 1 id 1 slot next",
		    "unknown argument \"slot\" for \"key add\"");
	usage_error("zeqctl key swap zeq0 peer 1 id 2",
		    "unknown argument \"id\" for \"key swap\"");
	usage_error("zeqctl key del zeq0 peer 1", "key del: missing \"slot\"");
	usage_error("zeqctl key del zeq0 peer 1 slot last",
		    "invalid slot \"last\": expected current, next or previous");
}

/* The request of the parsed command line, built in *buf (to free). */
static struct nlmsghdr *request(char **buf)
{
	struct znl nl = { .family = 0x20, .version = ZEQ_GENL_VERSION };
	size_t len = zc_request_len(&a);
	struct nlmsghdr *nlh;

	*buf = calloc(1, len);
	assert_non_null(*buf);
	nlh = znl_msg(&nl, *buf, a.nl_cmd, 0);
	assert_true(zc_put_request(nlh, len, &a));
	return nlh;
}

/* The request of a command line, read back with the attribute parsers. */
static void request_round_trip(void **state)
{
	struct zeq_device sel = { 0 };
	struct zeq_peer back = { 0 };
	struct nlmsghdr *nlh;
	char *buf;

	(void)state;
	ok("zeqctl peer set zeq0 id 9 endpoint 192.0.2.1:51900 "
	   "allowed-ips 10.9.0.0/16 replace-allowed-ips", ZC_PEER);
	nlh = request(&buf);
	assert_int_equal(zeq_parse_dev(nlh, &sel), 0);
	assert_string_equal(sel.ifname, "zeq0");
	assert_int_equal(zeq_parse_peer(nlh, &back), 0);
	assert_int_equal(back.id, 9);
	assert_int_equal(back.endpoint.port, 51900);
	assert_int_equal(back.n_aips, 1);
	assert_memory_equal(&back.aips[0], &a.peer.aips[0], sizeof(back.aips[0]));
	assert_true(ZEQ_HAS(&back, ZEQ_A_PEER_REPLACE_ALLOWED_IPS));
	zeq_peer_free(&back);
	free(buf);
	done();

	/* set: cover, padding and obfuscation as zeq_put_dev sends them */
	ok("zeqctl set zeq0 cover on rate 0.5 padding bucket 64,1280 "
	   "junk-count 2 junk-size 40-90 prefix 0-8 header-protection off",
	   ZC_SET);
	nlh = request(&buf);
	memset(&sel, 0, sizeof(sel));
	assert_int_equal(zeq_parse_dev(nlh, &sel), 0);
	assert_memory_equal(&sel, &a.conf, sizeof(sel));
	assert_int_equal(sel.cover_rate, 500);
	assert_int_equal(sel.padding.n_buckets, 2);
	assert_int_equal(sel.obfs.junk_max, 90);
	assert_int_equal(sel.obfs.has, ZEQ_BIT(ZEQ_A_OBFS_JUNK_COUNT) |
			 ZEQ_BIT(ZEQ_A_OBFS_JUNK_MIN) |
			 ZEQ_BIT(ZEQ_A_OBFS_JUNK_MAX) |
			 ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MIN) |
			 ZEQ_BIT(ZEQ_A_OBFS_PREFIX_MAX) |
			 ZEQ_BIT(ZEQ_A_OBFS_HEADER_PROTECTION));
	free(buf);
	done();

	/* peer cover */
	ok("zeqctl peer set zeq0 id 4 cover on rate 3.5", ZC_PEER);
	nlh = request(&buf);
	memset(&back, 0, sizeof(back));
	assert_int_equal(zeq_parse_peer(nlh, &back), 0);
	assert_int_equal(back.has, a.peer.has);
	assert_int_equal(back.cover, ZEQ_COVER_ON);
	assert_int_equal(back.cover_rate, 3500);
	zeq_peer_free(&back);
	free(buf);
	done();
}

/*
 * More allowed IPs than one ZEQ_A_PEER nest can hold (nla_len is 16
 * bits): the request is refused, where it used to be sent with a wrapped
 * nest length and the rest of the list read as top-level attributes.
 */
static void request_too_large(void **state)
{
	struct znl nl = { .family = 0x20, .version = ZEQ_GENL_VERSION };
	size_t n = 2400, pos, len;
	char *line = malloc(64 + n * 16), *buf;
	struct nlmsghdr *nlh;

	(void)state;
	assert_non_null(line);
	pos = (size_t)sprintf(line, "zeqctl peer add zeq0 id 1 allowed-ips ");
	for (size_t i = 0; i < n; i++)
		pos += (size_t)sprintf(line + pos, "%s10.0.%zu.%zu", i ? "," : "",
				       i / 256, i % 256);
	ok(line, ZC_PEER);
	assert_int_equal(a.peer.n_aips, n);
	len = zc_request_len(&a);
	buf = calloc(1, len);
	assert_non_null(buf);
	nlh = znl_msg(&nl, buf, a.nl_cmd, 0);
	assert_false(zc_put_request(nlh, len, &a));
	free(buf);
	done();

	/* 2000 fit: 2000 * 28 bytes of allowed IPs < 65535 */
	pos = (size_t)sprintf(line, "zeqctl peer add zeq0 id 1 allowed-ips ");
	for (size_t i = 0; i < 2000; i++)
		pos += (size_t)sprintf(line + pos, "%s10.1.%zu.%zu", i ? "," : "",
				       i / 256, i % 256);
	ok(line, ZC_PEER);
	len = zc_request_len(&a);
	buf = calloc(1, len);
	assert_non_null(buf);
	nlh = znl_msg(&nl, buf, a.nl_cmd, 0);
	assert_true(zc_put_request(nlh, len, &a));
	free(buf);
	done();
	free(line);
}

const struct CMUnitTest args_tests[] = {
	cmocka_unit_test(empty_argv),
	cmocka_unit_test(global_options),
	cmocka_unit_test(set_values),
	cmocka_unit_test(set_cover_padding_obfs),
	cmocka_unit_test(cover_rates),
	cmocka_unit_test(obfs_rules),
	cmocka_unit_test(padding_grammar),
	cmocka_unit_test(peer_cover),
	cmocka_unit_test(genkey),
	cmocka_unit_test(peer_commands),
	cmocka_unit_test(key_commands),
	cmocka_unit_test(request_round_trip),
	cmocka_unit_test(request_too_large),
};
const size_t args_tests_n = N_TESTS(args_tests);
