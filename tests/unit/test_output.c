// SPDX-License-Identifier: MIT
/* test_output.c - `zeqctl show` and `zeqctl monitor` output. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "unit.h"
#include "monitor.h"
#include "show.h"

static char *capture_show_st(const struct zeq_dev_info *info, size_t n,
			     bool json, const struct zeqd_status *st)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		show_json(f, info, n, st);
	else
		show_text(f, info, n, st);
	fclose(f);
	return buf;
}

static char *capture_show(const struct zeq_dev_info *info, size_t n, bool json)
{
	return capture_show_st(info, n, json, NULL);
}

static char *capture_event(const struct zeq_event *ev, bool json)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	monitor_print(f, ev, json);
	fclose(f);
	return buf;
}

/* zeq0 with peer 1 as in the zeqctl(8) example. */
static void sample(struct zeq_dev_info *di, struct zeq_peer *p)
{
	static struct zeq_prefix aips[2];

	memset(di, 0, sizeof(*di));
	memset(p, 0, sizeof(*p));
	di->dev.ifindex = 5;
	strcpy(di->dev.ifname, "zeq0");
	di->dev.listen_port = 51900;
	di->dev.key_max_age = 86400;
	strcpy(di->dev.crypto_driver, "generic-gcm-aesni");
	di->dev.peer_count = 1;
	di->dev.has = ZEQ_BIT(ZEQ_A_CRYPTO_DRIVER) | ZEQ_BIT(ZEQ_A_PEER_COUNT);
	di->dev.stats.rx_bytes = 1289748;		/* 1.23 MiB */
	di->dev.stats.tx_bytes = 4781506;		/* 4.56 MiB */
	di->dev.stats.drops[ZEQ_DROP_AUTH] = 3;
	di->dev.stats.drops[ZEQ_DROP_REPLAY] = 1;

	p->id = 1;
	p->endpoint.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.241.2", p->endpoint.addr.bytes);
	p->endpoint.port = 51900;
	aips[0].addr.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.2", aips[0].addr.bytes);
	aips[0].cidr = 32;
	aips[1].addr.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::2", aips[1].addr.bytes);
	aips[1].cidr = 128;
	p->aips = aips;
	p->n_aips = 2;
	p->keepalive = 25;
	p->has = ZEQ_BIT(ZEQ_A_PEER_LAST_RX) | ZEQ_BIT(ZEQ_A_PEER_LAST_KEY);
	p->last_rx = 3;
	p->last_key = 1700000000;
	p->n_keys = 2;
	p->keys[0].slot = ZEQ_KEY_SLOT_NEXT;	/* order of slots is fixed */
	p->keys[0].key_id = 2;
	p->keys[0].remote_key_id = 2;
	p->keys[1].slot = ZEQ_KEY_SLOT_CURRENT;
	p->keys[1].key_id = 1;
	p->keys[1].remote_key_id = 1;
	p->keys[1].age = 12;
	p->keys[1].tx_usage = ZEQ_KEY_USAGE_LIMIT / 10000;	/* 0.01% */
	p->keys[1].rx_usage = 5;
	p->keys[1].usage_limit = ZEQ_KEY_USAGE_LIMIT;
	p->stats.rx_bytes = 100;
	p->stats.tx_bytes = 2048;
	di->peers = p;
	di->n_peers = 1;
}

/* The text of the sample's device and peer up to their own settings. */
#define SAMPLE_DEV_HEAD \
	"device: zeq0\n" \
	"  listen port: 51900\n" \
	"  fwmark: off\n" \
	"  crypto: generic-gcm-aesni\n" \
	"  key max age: 86400 s\n"
#define SAMPLE_PEER_HEAD \
	"peer: 1\n" \
	"  endpoint: 192.168.241.2:51900\n" \
	"  allowed ips: 10.0.0.2/32, fd00::2/128\n" \
	"  latest packet: 3 seconds ago\n" \
	"  keys: current id 1 (age 12 s, usage 0.01%), next id 2\n"

static void show_text_like_wg(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out;

	(void)state;
	sample(&di, &p);
	out = capture_show(&di, 1, false);
	assert_string_equal(out,
		SAMPLE_DEV_HEAD
		"  transfer: 1.23 MiB received, 4.56 MiB sent\n"
		"  drops: auth 3, replay 1\n"
		"\n"
		SAMPLE_PEER_HEAD
		"  transfer: 100 B received, 2.00 KiB sent\n"
		"  persistent keepalive: every 25 seconds\n");
	free(out);
}

static void show_text_sparse_peer(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p = { .id = 9 };
	char *out;

	(void)state;
	memset(&di, 0, sizeof(di));
	strcpy(di.dev.ifname, "zeq1");
	di.dev.fwmark = 0x51;
	di.peers = &p;
	di.n_peers = 1;
	out = capture_show(&di, 1, false);
	/* no drops line, no endpoint, no latest packet, no keepalive */
	assert_string_equal(out,
		"device: zeq1\n"
		"  listen port: 0\n"
		"  fwmark: 0x51\n"
		"  key max age: 0 s\n"
		"  transfer: 0 B received, 0 B sent\n"
		"\n"
		"peer: 9\n"
		"  allowed ips: (none)\n"
		"  keys: (none)\n"
		"  transfer: 0 B received, 0 B sent\n");
	free(out);
}

static void show_json_schema(void **state)
{
	struct zeq_dev_info di[2];
	struct zeq_peer p;
	char *out, *peer;

	(void)state;
	sample(&di[0], &p);
	memset(&di[1], 0, sizeof(di[1]));
	strcpy(di[1].dev.ifname, "zeq\"1");
	out = capture_show(di, 2, true);
	assert_true(out[0] == '[' && strcmp(out + strlen(out) - 2, "]\n") == 0);
	assert_non_null(strstr(out,
		"[{\"ifname\":\"zeq0\",\"ifindex\":5,\"listen_port\":51900,"
		"\"fwmark\":0,\"key_max_age\":86400,"
		"\"crypto_driver\":\"generic-gcm-aesni\",\"peer_count\":1,"
		"\"cover\":false,\"cover_rate\":0,"
		"\"padding\":{\"mode\":\"off\",\"buckets\":[]},"
		"\"obfs\":{\"junk_count\":0,"));
	assert_non_null(strstr(out,
		"\"header_protection\":false,\"digest\":null},"
		"\"stats\":{\"rx_packets\":0,\"rx_bytes\":1289748,"
		"\"tx_packets\":0,\"tx_bytes\":4781506,\"rx_keepalive\":0,"
		"\"tx_keepalive\":0,\"tx_cover\":0,\"rx_cover\":0,"
		"\"tx_junk\":0,\"rx_junk\":0,\"tx_pad_bytes\":0,"
		"\"drops\":{\"malformed\":0,"
		"\"unknown-key\":0,\"auth\":3,\"replay\":1,"));
	peer = strstr(out, "\"peers\":[{");
	assert_non_null(peer);
	assert_non_null(strstr(peer,
		"{\"id\":1,\"endpoint\":\"192.168.241.2:51900\",\"keepalive\":25,"
		"\"allowed_ips\":[\"10.0.0.2/32\",\"fd00::2/128\"],"
		"\"last_rx\":3,\"last_key\":1700000000,\"cover\":\"device\","
		"\"cover_rate\":0,\"cover_active_rate\":0,\"keys\":["
		"{\"slot\":\"next\",\"key_id\":2,\"remote_key_id\":2,\"age\":0,"
		"\"tx_packets\":0,\"rx_packets\":0,\"tx_usage\":0,\"rx_usage\":0,"
		"\"usage_limit\":0},"));
	/* the second device: no crypto driver, no peers, name escaped */
	assert_non_null(strstr(out, "{\"ifname\":\"zeq\\\"1\",\"ifindex\":0,"));
	assert_non_null(strstr(out, "\"crypto_driver\":null,\"peer_count\":0,"));
	assert_non_null(strstr(out, "\"peers\":[],\"tunnels\":[]}]\n"));
	free(out);
}

/* The sample with cover, random padding and obfuscation set. */
static void sample_obfs(struct zeq_dev_info *di, struct zeq_peer *p)
{
	sample(di, p);
	di->dev.cover = 1;
	di->dev.cover_rate = 12870;
	di->dev.padding = (struct zeq_padding){
		.mode = ZEQ_PADDING_RANDOM, .dist = ZEQ_PAD_DIST_EXPONENTIAL,
		.random_max = 400, .random_mean = 50, .overhead_cap = 20,
	};
	di->dev.obfs = (struct zeq_obfs){
		.junk_count = 4, .junk_min = 60, .junk_max = 200,
		.prefix_min = 1, .prefix_max = 16, .type_data_min = 1000,
		.type_data_max = 900000, .type_junk_min = 5,
		.type_junk_max = 999, .header_protection = 1,
	};
	/* a key the kernel never sends: show must not print it either */
	memset(di->dev.obfs.hp_key, 0xab, sizeof(di->dev.obfs.hp_key));
	memset(di->dev.obfs.digest, 0x5a, sizeof(di->dev.obfs.digest));
	di->dev.obfs.digest[0] = 0x01;
	di->dev.obfs.digest[ZEQ_OBFS_DIGEST_LEN - 1] = 0xfe;
	ZEQ_MARK(&di->dev.obfs, ZEQ_A_OBFS_DIGEST);
	ZEQ_MARK(&di->dev, ZEQ_A_COVER);
	ZEQ_MARK(&di->dev, ZEQ_A_COVER_RATE);
	ZEQ_MARK(&di->dev, ZEQ_A_PADDING);
	ZEQ_MARK(&di->dev, ZEQ_A_OBFS);
	di->dev.stats.tx_cover = 70;
	di->dev.stats.rx_cover = 50;
	di->dev.stats.rx_junk = 8;
	di->dev.stats.tx_pad_bytes = 2048;
	di->dev.stats.drops[ZEQ_DROP_OBFS] = 2;
	p->cover_active_rate = 12870;
	ZEQ_MARK(p, ZEQ_A_PEER_COVER);
	ZEQ_MARK(p, ZEQ_A_PEER_COVER_RATE);
	ZEQ_MARK(p, ZEQ_A_PEER_COVER_ACTIVE_RATE);
	p->stats.tx_cover = 7;
	p->stats.rx_cover = 5;
	p->stats.tx_junk = 4;
	p->stats.tx_pad_bytes = 100;
}

#define DIGEST_HEX "01" "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a" \
		   "5a5a5a5a5a5a5a5a5a5a5a5a5a5a" "fe"	/* 32 bytes */

/* Cover, padding and obfuscation in text: every line; never the hp key. */
static void show_cover_padding_obfs(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out;

	(void)state;
	sample_obfs(&di, &p);
	out = capture_show(&di, 1, false);
	assert_string_equal(out,
		SAMPLE_DEV_HEAD
		"  cover: on, 12.870/s per peer\n"
		"  padding: random max 400 dist exponential mean 50 cap 20%\n"
		"  obfuscation: junk 4 x 60-200 B, prefix 1-16 B, type data "
		"1000-900000 junk 5-999, header protection on\n"
		"  obfuscation digest: " DIGEST_HEX "\n"
		"  transfer: 1.23 MiB received, 4.56 MiB sent\n"
		"  cover packets: 70 sent, 50 received\n"
		"  junk: 0 sent, 8 received\n"
		"  padding sent: 2.00 KiB\n"
		"  drops: auth 3, replay 1, obfs-mismatch 2\n"
		"\n"
		SAMPLE_PEER_HEAD
		"  cover: device, sending 12.870/s\n"
		"  transfer: 100 B received, 2.00 KiB sent\n"
		"  cover packets: 7 sent, 5 received\n"
		"  junk: 4 sent, 0 received\n"
		"  padding sent: 100 B\n"
		"  persistent keepalive: every 25 seconds\n");
	assert_null(strstr(out, "abab"));
	assert_null(strstr(out, "ABAB"));
	free(out);
}

/* The other padding modes and peer cover settings, one line each. */
static void show_padding_modes_peer_cover(void **state)
{
	static const struct {
		struct zeq_padding pad;
		const char *line;
	} pads[] = {
		{ { .mode = ZEQ_PADDING_OFF }, "  padding: off\n" },
		{ { .mode = ZEQ_PADDING_MTU }, "  padding: mtu\n" },
		{ { .mode = ZEQ_PADDING_BUCKET, .n_buckets = 3,
		    .buckets = { 128, 512, 1280 } },
		  "  padding: bucket 128,512,1280\n" },
		{ { .mode = ZEQ_PADDING_RANDOM, .random_max = 256 },
		  "  padding: random max 256 dist uniform\n" },
	};
	static const struct {
		uint8_t mode;
		uint32_t rate, active;
		const char *line;
	} covers[] = {
		{ ZEQ_COVER_DEVICE, 0, 0, "  cover: device, not sending\n" },
		{ ZEQ_COVER_ON, 0, 12870, "  cover: on, sending 12.870/s\n" },
		{ ZEQ_COVER_ON, 20000, 20000,
		  "  cover: on at 20.000/s, sending 20.000/s\n" },
		{ ZEQ_COVER_ON, 1, 1, "  cover: on at 0.001/s, sending 0.001/s\n" },
		{ ZEQ_COVER_OFF, 0, 0, "  cover: off\n" },
	};
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out;

	(void)state;
	for (size_t i = 0; i < N_TESTS(pads); i++) {
		sample_obfs(&di, &p);
		di.dev.padding = pads[i].pad;
		out = capture_show(&di, 1, false);
		assert_non_null(strstr(out, pads[i].line));
		free(out);
	}
	for (size_t i = 0; i < N_TESTS(covers); i++) {
		sample_obfs(&di, &p);
		p.cover = covers[i].mode;
		p.cover_rate = covers[i].rate;
		p.cover_active_rate = covers[i].active;
		out = capture_show(&di, 1, false);
		assert_non_null(strstr(out, covers[i].line));
		free(out);
	}
	/* a kernel without cover, padding and obfuscation: no such lines */
	sample(&di, &p);
	out = capture_show(&di, 1, false);
	assert_null(strstr(out, "cover"));
	assert_null(strstr(out, "padding"));
	assert_null(strstr(out, "obfuscation"));
	free(out);
}

/* The same in JSON: integers in milli-hertz, the digest as hex. */
static void show_json_cover_padding_obfs(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out;

	(void)state;
	sample_obfs(&di, &p);
	p.cover = ZEQ_COVER_ON;
	p.cover_rate = 20000;
	p.cover_active_rate = 20000;
	out = capture_show(&di, 1, true);
	assert_non_null(strstr(out, "\"peer_count\":1,"
		"\"cover\":true,\"cover_rate\":12870,"
		"\"padding\":{\"mode\":\"random\",\"buckets\":[],"
		"\"dist\":\"exponential\",\"max\":400,\"mean\":50,\"cap\":20},"
		"\"obfs\":{\"junk_count\":4,\"junk_min\":60,\"junk_max\":200,"
		"\"prefix_min\":1,\"prefix_max\":16,\"type_data_min\":1000,"
		"\"type_data_max\":900000,\"type_junk_min\":5,"
		"\"type_junk_max\":999,\"header_protection\":true,"
		"\"digest\":\"" DIGEST_HEX "\"},"
		"\"stats\":{\"rx_packets\":0,\"rx_bytes\":1289748,"
		"\"tx_packets\":0,\"tx_bytes\":4781506,\"rx_keepalive\":0,"
		"\"tx_keepalive\":0,\"tx_cover\":70,\"rx_cover\":50,"
		"\"tx_junk\":0,\"rx_junk\":8,\"tx_pad_bytes\":2048,"
		"\"drops\":{"));
	assert_non_null(strstr(out, "\"crypto\":0,\"obfs-mismatch\":2}}"));
	assert_non_null(strstr(out, "\"cover\":\"on\",\"cover_rate\":20000,"
				    "\"cover_active_rate\":20000,"));
	assert_non_null(strstr(out, "\"tx_cover\":7,\"rx_cover\":5,"
				    "\"tx_junk\":4,\"rx_junk\":0,"
				    "\"tx_pad_bytes\":100,"));
	assert_null(strstr(out, "abab"));
	assert_null(strstr(out, "hp_key"));
	free(out);

	/* bucket mode: the sizes, no random parameters; no digest: null */
	sample_obfs(&di, &p);
	di.dev.padding = (struct zeq_padding){ .mode = ZEQ_PADDING_BUCKET,
		.n_buckets = 2, .buckets = { 256, 1024 } };
	di.dev.obfs.has = 0;
	out = capture_show(&di, 1, true);
	assert_non_null(strstr(out, "\"padding\":{\"mode\":\"bucket\","
				    "\"buckets\":[256,1024]},"));
	assert_non_null(strstr(out, "\"header_protection\":true,"
				    "\"digest\":null},"));
	free(out);
}

static void show_json_every_drop_reason(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out, key[64];

	(void)state;
	sample(&di, &p);
	out = capture_show(&di, 1, true);
	for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++) {
		const char *s = out;
		int count = 0;

		snprintf(key, sizeof(key), "\"%s\":", zeq_drop_name(r));
		while ((s = strstr(s, key))) {
			count++;
			s++;
		}
		assert_int_equal(count, 2);	/* device and peer, zeros too */
	}
	free(out);
}

static void show_json_null_endpoint(void **state)
{
	struct zeq_dev_info di;
	struct zeq_peer p = { .id = 4 };
	char *out;

	(void)state;
	memset(&di, 0, sizeof(di));
	di.peers = &p;
	di.n_peers = 1;
	out = capture_show(&di, 1, true);
	assert_non_null(strstr(out, "{\"id\":4,\"endpoint\":null,\"keepalive\":0,"
				    "\"allowed_ips\":[],\"last_rx\":null,"
				    "\"last_key\":null,\"cover\":\"device\","
				    "\"cover_rate\":0,\"cover_active_rate\":0,"
				    "\"keys\":[],\"stats\":{"));
	free(out);
}

static void bytes_and_durations(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(fmt_bytes(0, b, sizeof(b)), "0 B");
	assert_string_equal(fmt_bytes(1023, b, sizeof(b)), "1023 B");
	assert_string_equal(fmt_bytes(1024, b, sizeof(b)), "1.00 KiB");
	assert_string_equal(fmt_bytes(1289748, b, sizeof(b)), "1.23 MiB");
	assert_string_equal(fmt_bytes(3ULL << 40, b, sizeof(b)), "3.00 TiB");
	assert_string_equal(fmt_bytes(UINT64_MAX, b, sizeof(b)), "16384.00 PiB");
	assert_string_equal(fmt_duration(0, b, sizeof(b)), "0 seconds");
	assert_string_equal(fmt_duration(1, b, sizeof(b)), "1 second");
	assert_string_equal(fmt_duration(60, b, sizeof(b)), "1 minute");
	assert_string_equal(fmt_duration(3661, b, sizeof(b)),
			    "1 hour, 1 minute, 1 second");
	assert_string_equal(fmt_duration(2 * 86400 + 5, b, sizeof(b)),
			    "2 days, 5 seconds");
}

static void endpoint_changed(struct zeq_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ifindex = 5;
	strcpy(ev->ifname, "zeq0");
	ev->type = ZEQ_EVENT_ENDPOINT_CHANGED;
	ev->peer_id = 1;
	ev->endpoint.addr.family = AF_INET;
	inet_pton(AF_INET, "192.168.241.3", ev->endpoint.addr.bytes);
	ev->endpoint.port = 51900;
	ev->has = ZEQ_BIT(ZEQ_A_EVENT_TYPE) | ZEQ_BIT(ZEQ_A_EVENT_PEER_ID) |
		  ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_IPV4) |
		  ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_PORT);
}

static void monitor_text(void **state)
{
	struct zeq_event ev;
	char *out;

	(void)state;
	endpoint_changed(&ev);
	out = capture_event(&ev, false);
	assert_string_equal(out, "zeq0: peer 1: endpoint-changed 192.168.241.3:51900\n");
	free(out);

	memset(&ev, 0, sizeof(ev));
	strcpy(ev.ifname, "zeq0");
	ev.type = ZEQ_EVENT_AUTH_FAIL_BURST;
	ev.count = 16;
	ev.has = ZEQ_BIT(ZEQ_A_EVENT_TYPE) | ZEQ_BIT(ZEQ_A_EVENT_COUNT);
	out = capture_event(&ev, false);
	assert_string_equal(out, "zeq0: auth-fail-burst count 16\n");
	free(out);
}

static void monitor_json(void **state)
{
	struct zeq_event ev = { 0 };
	char *out;

	(void)state;
	ev.ifindex = 5;
	strcpy(ev.ifname, "zeq0");
	ev.type = ZEQ_EVENT_KEY_NEAR_LIMIT;
	ev.peer_id = 1;
	ev.key_id = 7;
	ev.slot = ZEQ_KEY_SLOT_CURRENT;
	ev.endpoint.addr.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::3", ev.endpoint.addr.bytes);
	ev.endpoint.port = 51900;
	ev.count = 16;
	ev.has = ZEQ_BIT(ZEQ_A_EVENT_TYPE) | ZEQ_BIT(ZEQ_A_EVENT_PEER_ID) |
		 ZEQ_BIT(ZEQ_A_EVENT_KEY_ID) | ZEQ_BIT(ZEQ_A_EVENT_SLOT) |
		 ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_IPV6) |
		 ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_PORT) | ZEQ_BIT(ZEQ_A_EVENT_COUNT);
	out = capture_event(&ev, true);
	assert_string_equal(out,
		"{\"event\":\"key-near-limit\",\"ifindex\":5,\"ifname\":\"zeq0\","
		"\"peer_id\":1,\"key_id\":7,\"slot\":\"current\","
		"\"endpoint\":\"[fd00::3]:51900\",\"count\":16}\n");
	free(out);

	/* absent attributes are left out; unknown types print as numbers */
	memset(&ev, 0, sizeof(ev));
	ev.ifindex = 6;
	ev.type = 200;
	ev.has = ZEQ_BIT(ZEQ_A_EVENT_TYPE);
	out = capture_event(&ev, true);
	assert_string_equal(out, "{\"event\":200,\"ifindex\":6}\n");
	free(out);
}

/* monitor_parse: what `zeqctl monitor` makes of one message. */
static void monitor_parse_messages(void **state)
{
	static char buf[4096];
	struct zeq_event in, ev;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *n;

	(void)state;
	endpoint_changed(&in);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x1d;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = ZEQ_CMD_EVENT;
	assert_true(zeq_put_event(nlh, sizeof(buf), &in));
	memset(&ev, 0xee, sizeof(ev));
	assert_int_equal(monitor_parse(nlh, &ev), 1);
	assert_memory_equal(&ev, &in, sizeof(ev));

	/* another command on the group is not an event */
	g->cmd = ZEQ_CMD_PEER_GET;
	assert_int_equal(monitor_parse(nlh, &ev), 0);
	/* nor is a message too short for its genl header */
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(monitor_parse(nlh, &ev), 0);

	/* an event with a malformed attribute */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x1d;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = ZEQ_CMD_EVENT;
	n = zeq_nest_start(nlh, sizeof(buf), ZEQ_A_EVENT);
	mnl_attr_put_u8(nlh, ZEQ_A_EVENT_TYPE, 1);		/* u32 expected */
	assert_true(zeq_nest_end(nlh, n));
	assert_int_equal(monitor_parse(nlh, &ev), -1);
}

/*
 * zeqd's status file as zeqd writes it (daemon/status.c): peer 1 up on
 * zeq0, peer 4 refused (not in the kernel), peer 2 on another device.
 */
static const char status_json[] =
	"{\"version\":1,\"pid\":0,\"node\":\"00112233445566778899aabbccddeeff\","
	"\"updated\":1700000000,\"peers\":["
	"{\"name\":\"berlin\",\"device\":\"zeq0\",\"peer_id\":1,"
	"\"zid\":\"ffeeddccbbaa99887766554433221100\",\"state\":\"up\","
	"\"why\":\"\",\"since\":0,\"epoch\":42,\"ml_kem\":false,"
	"\"link\":\"called\",\"resolver\":\"10.0.0.2\"},"
	"{\"name\":\"paris\",\"device\":\"zeq0\",\"peer_id\":4,"
	"\"zid\":\"ffeeddccbbaa99887766554433221101\",\"state\":\"down\","
	"\"why\":\"obfuscation parameters differ\",\"since\":0,"
	"\"epoch\":null,\"ml_kem\":false,\"link\":null},"
	"{\"name\":\"rome\",\"device\":\"zeq9\",\"peer_id\":2,"
	"\"zid\":\"ffeeddccbbaa99887766554433221102\",\"state\":\"calling\","
	"\"why\":\"connect: Connection refused\",\"since\":0,"
	"\"epoch\":null,\"ml_kem\":false,\"link\":null}]}";

static void zeqd_status_file(void **state)
{
	struct zeqd_status st;
	const struct zeqd_tunnel *t;

	(void)state;
	assert_int_equal(zeqd_status_parse(status_json, strlen(status_json),
					   &st), 0);
	assert_int_equal(st.n, 3);
	t = zeqd_status_find(&st, "zeq0", 1);
	assert_non_null(t);
	assert_string_equal(t->name, "berlin");
	assert_string_equal(t->state, "up");
	assert_int_equal(t->epoch, 42);
	assert_string_equal(t->link, "called");
	assert_string_equal(t->resolver, "10.0.0.2");
	t = zeqd_status_find(&st, "zeq0", 4);
	assert_non_null(t);
	assert_int_equal(t->epoch, -1);
	assert_string_equal(t->link, "");
	assert_null(zeqd_status_find(&st, "zeq0", 2));
	assert_non_null(zeqd_status_find(&st, "zeq9", 2));
	zeqd_status_free(&st);
	/* not a status file: refused whole */
	assert_int_equal(zeqd_status_parse("{}", 2, &st), -1);
	assert_int_equal(zeqd_status_parse("[1]", 3, &st), -1);
	assert_int_equal(zeqd_status_parse("{\"version\":2,\"peers\":[]}", 24,
					   &st), -1);
	assert_int_equal(zeqd_status_parse("garbage", 7, &st), -1);
	assert_int_equal(st.n, 0);
	/* the writer's pid, for ignoring the file of a zeqd that is gone */
	assert_int_equal(zeqd_status_parse("{\"version\":1,\"pid\":4242,"
					   "\"peers\":[]}", 35, &st), 0);
	assert_int_equal(st.pid, 4242);
	zeqd_status_free(&st);
	/* a malformed line is left out, the rest kept */
	assert_int_equal(zeqd_status_parse(
		"{\"version\":1,\"peers\":[{\"name\":\"a\"},7,"
		"{\"name\":\"b\",\"device\":\"zeq0\",\"peer_id\":0,"
		"\"state\":\"up\",\"why\":\"\"},"
		"{\"name\":\"c\",\"device\":\"zeq0\",\"peer_id\":3,"
		"\"state\":\"up\",\"why\":\"\"}]}", 164, &st), 0);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.t[0].name, "c");
	zeqd_status_free(&st);
}

static void show_with_zeqd_status(void **state)
{
	struct zeqd_status st;
	struct zeq_dev_info di;
	struct zeq_peer p;
	char *out;

	(void)state;
	sample(&di, &p);
	assert_int_equal(zeqd_status_parse(status_json, strlen(status_json),
					   &st), 0);
	out = capture_show_st(&di, 1, false, &st);
	assert_non_null(strstr(out,
		"peer: 1\n"
		"  endpoint: 192.168.241.2:51900\n"
		"  tunnel: up, epoch 42, called (zeqd peer berlin), ML-KEM no, "
		"resolver 10.0.0.2\n"
		"  allowed ips: "));
	assert_non_null(strstr(out,
		"\npeer: 4 (not in the kernel)\n"
		"  tunnel: down: obfuscation parameters differ (zeqd peer paris)\n"));
	assert_null(strstr(out, "rome"));	/* another device's */
	free(out);
	out = capture_show_st(&di, 1, true, &st);
	assert_non_null(strstr(out,
		"\"tunnels\":[{\"name\":\"berlin\",\"peer_id\":1,"
		"\"in_kernel\":true,\"state\":\"up\",\"why\":\"\",\"since\":0,"
		"\"epoch\":42,\"ml_kem\":false,\"link\":\"called\","
		"\"resolver\":\"10.0.0.2\"},"
		"{\"name\":\"paris\",\"peer_id\":4,\"in_kernel\":false,"
		"\"state\":\"down\",\"why\":\"obfuscation parameters differ\","
		"\"since\":0,\"epoch\":null,\"ml_kem\":false,\"link\":null,"
		"\"resolver\":null}]"));
	free(out);
	zeqd_status_free(&st);
	/* a peer calling again shows why its last attempt failed */
	strcpy(di.dev.ifname, "zeq9");
	di.n_peers = 0;
	assert_int_equal(zeqd_status_parse(status_json, strlen(status_json),
					   &st), 0);
	out = capture_show_st(&di, 1, false, &st);
	assert_non_null(strstr(out, "\npeer: 2 (not in the kernel)\n"
		"  tunnel: calling, last attempt: connect: Connection refused "
		"(zeqd peer rome)\n"));
	free(out);
	zeqd_status_free(&st);
}

const struct CMUnitTest output_tests[] = {
	cmocka_unit_test(zeqd_status_file),
	cmocka_unit_test(show_with_zeqd_status),
	cmocka_unit_test(show_text_like_wg),
	cmocka_unit_test(show_text_sparse_peer),
	cmocka_unit_test(show_json_schema),
	cmocka_unit_test(show_cover_padding_obfs),
	cmocka_unit_test(show_padding_modes_peer_cover),
	cmocka_unit_test(show_json_cover_padding_obfs),
	cmocka_unit_test(show_json_every_drop_reason),
	cmocka_unit_test(show_json_null_endpoint),
	cmocka_unit_test(bytes_and_durations),
	cmocka_unit_test(monitor_text),
	cmocka_unit_test(monitor_json),
	cmocka_unit_test(monitor_parse_messages),
};
const size_t output_tests_n = N_TESTS(output_tests);
