// SPDX-License-Identifier: MIT
/*
 * gen_corpus.c - writes the generated seed inputs of every target into
 * DIR/<target>/seed-*: real argument vectors, key files, and netlink
 * datagrams built the way the kernel builds them (libmnl and the
 * tools/zeq_attrs.c builders the unit tests check against the uapi).
 * Hand-made regression inputs (regress-*) are left alone.
 *
 *   gen_corpus DIR      (make corpus: DIR = tests/fuzz/corpus)
 */
#include "fuzz.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "parse.h"
#include "zeq_attrs.h"

#define BUFLEN 16384

static const char *g_dir;
static int g_count;

/* DIR/target/seed-name, or regress-... when name starts with "!" */
static void put_file(const char *target, const char *name, const void *buf,
		     size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g_dir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	if (name[0] == '!')
		snprintf(path, sizeof(path), "%s/%s/regress-%s", g_dir, target,
			 name + 1);
	else
		snprintf(path, sizeof(path), "%s/%s/seed-%s", g_dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	g_count++;
}

/* --- args ------------------------------------------------------------------ */

/* A command line, words separated by spaces, written NUL-separated. */
static void args(const char *name, const char *line)
{
	size_t n = strlen(line);
	char *buf = strdup(line);

	if (!buf)
		exit(1);
	for (size_t i = 0; i < n; i++)
		if (buf[i] == ' ')
			buf[i] = '\0';
	put_file("args", name, buf, n + 1);
	free(buf);
}

static void gen_args(void)
{
	static char big[32768];
	size_t pos;

	args("usage", "zeqctl");
	args("help", "zeqctl help");
	args("version", "zeqctl --version");
	args("show", "zeqctl show");
	args("show-json", "zeqctl -j show zeq0");
	args("show-json-after", "zeqctl show zeq0 -j");
	args("monitor", "zeqctl -j monitor");
	args("genkey", "zeqctl genkey");
	args("set", "zeqctl set zeq0 listen-port 51900");
	args("set-all", "zeqctl set zeq0 listen-port 0x1234 fwmark 0xdeadbeef "
	     "key-max-age 604800");
	args("peer-add", "zeqctl peer add zeq0 id 1 endpoint 192.168.241.2:51900 "
	     "allowed-ips 10.0.0.2/32,fd00::2/128 keepalive 25");
	args("peer-add-v6", "zeqctl peer add zeq0 id 2147483647 endpoint "
	     "[fd00::1]:443 allowed-ips 0.0.0.0/0,::/0");
	args("peer-set", "zeqctl peer set zeq0 id 1001 allowed-ips "
	     "10.1.0.0/16,10.2.0.128/25 replace-allowed-ips keepalive 0");
	args("peer-del", "zeqctl peer del zeq0 id 7");
	args("key-add", "zeqctl key add zeq0 peer 1 id 7001 key-file /etc/zeq/ab.key");
	args("key-add-reverse", "zeqctl key add zeq0 peer 1 id 1 remote-id 2 "
	     "key-file - reverse");
	args("key-swap", "zeqctl key swap zeq0 peer 1");
	args("key-del", "zeqctl key del zeq0 peer 1 slot previous");
	args("bad-option", "zeqctl -x show");
	args("bad-endpoint", "zeqctl peer add zeq0 id 1 endpoint fd00::1:5");
	args("bad-prefix", "zeqctl peer add zeq0 id 1 allowed-ips 10.0.0.1/24");
	args("set-cover", "zeqctl set zeq0 cover on rate 12.87");
	args("set-padding-bucket", "zeqctl set zeq0 padding bucket "
	     "128,256,512,1024 cover off");
	args("set-padding-random", "zeqctl set zeq0 padding random max 400 "
	     "dist exponential mean 50 cap 20");
	args("set-obfs", "zeqctl set zeq0 junk-count 4 junk-size 60-200 "
	     "prefix 1-16 type-data 1000-900000 type-junk 5 "
	     "header-protection on hp-key-file /etc/zeq/hp.key");
	args("set-hp-key", "zeqctl set zeq0 hp-key-file -");
	args("peer-add-cover", "zeqctl peer add zeq0 id 3 cover on rate 0.5 "
	     "keepalive 25");
	args("peer-set-cover", "zeqctl peer set zeq0 id 3 cover device");
	args("genkey-hp", "zeqctl genkey hp");
	args("bad-cover-rate", "zeqctl set zeq0 cover on rate 12.8701");
	args("bad-junk-size", "zeqctl set zeq0 junk-count 1 junk-size 20-40 "
	     "prefix 0-8");

	/*
	 * A peer with more allowed IPs than one netlink nest can hold: 2400
	 * IPv4 host prefixes are 67 kB of attributes, past nla_len's 65535.
	 * (24 kB of text: one argument may be 128 kB.)
	 */
	pos = (size_t)snprintf(big, sizeof(big),
			       "zeqctl peer add zeq0 id 1 allowed-ips ");
	for (unsigned int i = 0; i < 2400; i++)
		pos += (size_t)snprintf(big + pos, sizeof(big) - pos,
					"%s10.0.%u.%u", i ? "," : "",
					i / 256, i % 256);
	args("peer-add-2400-aips", big);
}

/* --- values ------------------------------------------------------------------ */

static void value(const char *name, uint8_t sel, const char *s)
{
	char buf[256];
	size_t n = strlen(s);

	buf[0] = (char)sel;
	memcpy(buf + 1, s, n);
	put_file("values", name, buf, n + 1);
}

static void gen_values(void)
{
	/* selector % 3: 0 number (range sel / 3), 1 endpoint, 2 prefix */
	value("port", 0 + 3 * 0, "51900");
	value("fwmark-hex", 0 + 3 * 1, "0xdeadbeef");
	value("key-max-age", 0 + 3 * 2, "86400");
	value("peer-id", 0 + 3 * 3, "2147483647");
	value("too-big", 0 + 3 * 1, "99999999999999999999");
	value("endpoint-v4", 1, "192.168.241.2:51900");
	value("endpoint-v6", 1, "[fd00::1]:443");
	value("endpoint-mapped", 1, "[::ffff:1.2.3.4]:7");
	value("prefix-v4", 2, "10.0.0.128/25");
	value("prefix-v6", 2, "fd00::/64");
	value("prefix-host", 2, "10.0.0.1/24");
	value("prefix-bare", 2, "fd00::2");
}

/* --- key files ------------------------------------------------------------------ */

static void gen_keyfile(void)
{
	struct zeq_keyconf kc = { 0 };
	char text[512];
	int len;
	static const char commented[] =
		"# zeq key pair\r\n"
		"\n"
		"tx-key  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\r\n"
		"\ttx-salt\ta0a1a2a3   # trailing comment\n"
		"rx-key F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF\n"
		"   \n"
		"rx-salt b0b1b2b3";
	static const char bad[] =
		"tx-key 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
		"tx-salt a0a1a2a3\n"
		"tx-salt a0a1a2a3\n";
	static const char hp_hex[] =
		"9d52fccac45cc1c285f3792d5c3cc3c8cc2ffdef62715a2e965e96ec0f183527\n";
	static const char hp_b64[] =
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

	for (int i = 0; i < ZEQ_KEY_LEN; i++) {
		kc.tx_key[i] = (uint8_t)(i * 7 + 1);
		kc.rx_key[i] = (uint8_t)(255 - i * 3);
	}
	memcpy(kc.tx_salt, "\x01\x02\x03\x04", 4);
	memcpy(kc.rx_salt, "\xfa\xfb\xfc\xfd", 4);
	len = zeq_format_keyfile(&kc, text, sizeof(text));
	if (len < 0)
		exit(1);
	put_file("keyfile", "genkey", text, (size_t)len);
	put_file("keyfile", "commented-crlf", commented, sizeof(commented) - 1);
	put_file("keyfile", "duplicate", bad, sizeof(bad) - 1);
	memcpy(kc.rx_key, kc.tx_key, ZEQ_KEY_LEN);	/* refused */
	len = zeq_format_keyfile(&kc, text, sizeof(text));
	if (len < 0)
		exit(1);
	put_file("keyfile", "same-keys", text, (size_t)len);
	/* header protection key files (zeq_parse_secret) */
	put_file("keyfile", "hp-hex", hp_hex, sizeof(hp_hex) - 1);
	put_file("keyfile", "hp-base64", hp_b64, sizeof(hp_b64) - 1);
}

/* --- netlink ------------------------------------------------------------------ */

/* A reply message from the kernel: nlmsghdr (our seq and port) + genl. */
static struct nlmsghdr *reply(void *buf, uint16_t type, uint16_t flags,
			      uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = FUZZ_SEQ;
	nlh->nlmsg_pid = FUZZ_PORTID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ZEQ_GENL_VERSION;
	return nlh;
}

/* NLMSG_DONE (dump end) or NLMSG_ERROR (ack) with optional extack text. */
static struct nlmsghdr *ack(void *buf, uint16_t type, int error,
			    const char *text)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = FUZZ_SEQ;
	nlh->nlmsg_pid = FUZZ_PORTID;
	if (type == NLMSG_DONE) {
		int *code = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

		nlh->nlmsg_flags = NLM_F_MULTI;
		*code = error;
	} else {
		struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

		nlh->nlmsg_flags = NLM_F_CAPPED;
		err->error = error;
		err->msg.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
		err->msg.nlmsg_type = FUZZ_FAMILY;
		err->msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		err->msg.nlmsg_seq = FUZZ_SEQ;
	}
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
		if (error)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 36);
	}
	return nlh;
}

/* An input of fuzz_nlreply: mode byte, then length-prefixed datagrams. */
struct nlin {
	uint8_t buf[4 * BUFLEN];
	size_t len, dgram;	/* dgram: offset of the open datagram's length */
};

static void nl_begin(struct nlin *in, uint8_t mode)
{
	in->buf[0] = mode;
	in->len = 1;
	in->dgram = 0;
}

static void nl_dgram(struct nlin *in)
{
	in->dgram = in->len;
	in->len += 2;
	in->buf[in->dgram] = in->buf[in->dgram + 1] = 0;
}

/* Appends a message to the open datagram. */
static void nl_add(struct nlin *in, const struct nlmsghdr *nlh)
{
	size_t n = MNL_ALIGN(nlh->nlmsg_len), d;

	memcpy(in->buf + in->len, nlh, nlh->nlmsg_len);
	memset(in->buf + in->len + nlh->nlmsg_len, 0, n - nlh->nlmsg_len);
	in->len += n;
	d = in->len - in->dgram - 2;
	in->buf[in->dgram] = (uint8_t)d;
	in->buf[in->dgram + 1] = (uint8_t)(d >> 8);
}

static void fill_stats(struct zeq_stats *s, uint64_t base)
{
	s->rx_packets = base + 1;
	s->rx_bytes = base * 1500;
	s->tx_packets = base + 3;
	s->tx_bytes = base * 1400;
	s->rx_keepalive = 2;
	s->tx_keepalive = 3;
	s->tx_cover = base + 4;
	s->rx_cover = base + 5;
	s->tx_junk = 6;
	s->rx_junk = 7;
	s->tx_pad_bytes = base * 100;
	for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++)
		s->drops[r] = r % 3 ? 0 : base + r;
	s->has = ZEQ_BIT(ZEQ_A_STATS_RX_PACKETS) | ZEQ_BIT(ZEQ_A_STATS_RX_BYTES) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_PACKETS) | ZEQ_BIT(ZEQ_A_STATS_TX_BYTES) |
		 ZEQ_BIT(ZEQ_A_STATS_RX_KEEPALIVE) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_KEEPALIVE) | ZEQ_BIT(ZEQ_A_STATS_DROPS) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_COVER) | ZEQ_BIT(ZEQ_A_STATS_RX_COVER) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_JUNK) | ZEQ_BIT(ZEQ_A_STATS_RX_JUNK) |
		 ZEQ_BIT(ZEQ_A_STATS_TX_PAD_BYTES);
}

/*
 * Cover, padding and obfuscation as the kernel reports them: device 3
 * has none (an older kernel), 4 bucket padding and default parameters,
 * others random padding, cover on and every obfuscation feature.
 */
static void put_dev_obfs(struct zeq_device *d)
{
	struct zeq_padding *pd = &d->padding;
	struct zeq_obfs *o = &d->obfs;

	if (d->ifindex == 3)
		return;
	d->cover = d->ifindex != 4;
	d->cover_rate = d->ifindex == 4 ? ZEQ_COVER_RATE_DEFAULT_MHZ : 20000;
	ZEQ_MARK(pd, ZEQ_A_PADDING_MODE);
	o->junk_min = o->junk_max = ZEQ_JUNK_SIZE_MIN(0);
	o->type_data_min = o->type_data_max = ZEQ_TYPE_DATA_DEFAULT;
	o->type_junk_min = o->type_junk_max = ZEQ_TYPE_JUNK_DEFAULT;
	if (d->ifindex == 4) {
		pd->mode = ZEQ_PADDING_BUCKET;
		pd->n_buckets = 3;
		pd->buckets[0] = 128;
		pd->buckets[1] = 512;
		pd->buckets[2] = 1280;
		ZEQ_MARK(pd, ZEQ_A_PADDING_BUCKET);
	} else {
		pd->mode = ZEQ_PADDING_RANDOM;
		pd->dist = ZEQ_PAD_DIST_EXPONENTIAL;
		pd->random_max = 400;
		pd->random_mean = 50;
		pd->overhead_cap = 20;
		pd->has |= ZEQ_BIT(ZEQ_A_PADDING_DIST) |
			   ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MAX) |
			   ZEQ_BIT(ZEQ_A_PADDING_RANDOM_MEAN) |
			   ZEQ_BIT(ZEQ_A_PADDING_OVERHEAD_CAP);
		o->junk_count = 4;
		o->junk_min = 60;
		o->junk_max = 200;
		o->prefix_min = 1;
		o->prefix_max = 16;
		o->type_data_min = 1000;
		o->type_data_max = 900000;
		o->type_junk_min = 5;
		o->type_junk_max = 999;
		o->header_protection = 1;
	}
	for (unsigned int i = 0; i < ZEQ_OBFS_DIGEST_LEN; i++)
		o->digest[i] = (uint8_t)(d->ifindex * 31 + i);
	for (int t = ZEQ_A_OBFS_JUNK_COUNT; t <= ZEQ_A_OBFS_DIGEST; t++)
		if (t != ZEQ_A_OBFS_HP_KEY)
			ZEQ_MARK(o, t);
	d->has |= ZEQ_BIT(ZEQ_A_COVER) | ZEQ_BIT(ZEQ_A_COVER_RATE) |
		  ZEQ_BIT(ZEQ_A_PADDING) | ZEQ_BIT(ZEQ_A_OBFS);
}

static struct nlmsghdr *dev_msg(void *buf, uint16_t flags, uint32_t ifindex,
				const char *name)
{
	struct nlmsghdr *nlh = reply(buf, FUZZ_FAMILY, flags, ZEQ_CMD_DEV_GET);
	struct zeq_device d = { 0 };

	d.ifindex = ifindex;
	snprintf(d.ifname, sizeof(d.ifname), "%s", name);
	d.listen_port = 51900;
	d.fwmark = ifindex == 3 ? 0 : 0x51;
	d.key_max_age = ZEQ_KEY_MAX_AGE_DEFAULT;
	snprintf(d.crypto_driver, sizeof(d.crypto_driver), "generic-gcm-aesni");
	d.peer_count = 2;
	fill_stats(&d.stats, ifindex * 1000);
	d.has = ZEQ_BIT(ZEQ_A_IFINDEX) | ZEQ_BIT(ZEQ_A_IFNAME) |
		ZEQ_BIT(ZEQ_A_LISTEN_PORT) | ZEQ_BIT(ZEQ_A_FWMARK) |
		ZEQ_BIT(ZEQ_A_KEY_MAX_AGE) | ZEQ_BIT(ZEQ_A_CRYPTO_DRIVER) |
		ZEQ_BIT(ZEQ_A_PEER_COUNT) | ZEQ_BIT(ZEQ_A_STATS);
	put_dev_obfs(&d);
	if (!zeq_put_dev(nlh, BUFLEN, &d))
		exit(1);
	return nlh;
}

/* One PEER_GET dump message: a peer, n_aips allowed IPs from first. */
static struct nlmsghdr *peer_msg(void *buf, uint32_t id, bool v6,
				 unsigned int first, unsigned int n_aips,
				 unsigned int n_keys)
{
	struct nlmsghdr *nlh = reply(buf, FUZZ_FAMILY, NLM_F_MULTI,
				     ZEQ_CMD_PEER_GET);
	struct zeq_peer p = { 0 };

	p.id = id;
	p.has = ZEQ_BIT(ZEQ_A_PEER_ID);
	if (first == 0) {	/* the first message of a peer has it all */
		p.endpoint.addr.family = v6 ? AF_INET6 : AF_INET;
		inet_pton(p.endpoint.addr.family, v6 ? "fd00::2" : "192.168.241.2",
			  p.endpoint.addr.bytes);
		p.endpoint.port = 51900;
		p.keepalive = 25;
		p.last_rx = 12;
		p.last_key = 1700000000;
		p.cover = id == 2 ? ZEQ_COVER_ON : ZEQ_COVER_DEVICE;
		p.cover_rate = id == 2 ? 20000 : 0;
		p.cover_active_rate = id == 2 ? 20000 : ZEQ_COVER_RATE_DEFAULT_MHZ;
		fill_stats(&p.stats, id);
		p.has |= ZEQ_BIT(v6 ? ZEQ_A_PEER_ENDPOINT_IPV6 :
				 ZEQ_A_PEER_ENDPOINT_IPV4) |
			 ZEQ_BIT(ZEQ_A_PEER_KEEPALIVE) |
			 ZEQ_BIT(ZEQ_A_PEER_STATS) | ZEQ_BIT(ZEQ_A_PEER_LAST_RX) |
			 ZEQ_BIT(ZEQ_A_PEER_LAST_KEY) |
			 ZEQ_BIT(ZEQ_A_PEER_COVER) |
			 ZEQ_BIT(ZEQ_A_PEER_COVER_RATE) |
			 ZEQ_BIT(ZEQ_A_PEER_COVER_ACTIVE_RATE);
		for (unsigned int k = 0; k < n_keys && k < ZEQ_NSLOTS; k++) {
			struct zeq_keyconf *kc = &p.keys[k];

			kc->slot = (uint8_t)k;
			kc->key_id = 7000 + k;
			kc->remote_key_id = 8000 + k;
			kc->age = 100 * k;
			kc->tx_packets = 10 + k;
			kc->rx_packets = 20 + k;
			kc->tx_usage = 1000 * k;
			kc->rx_usage = 2000 * k;
			kc->usage_limit = ZEQ_KEY_USAGE_LIMIT;
			kc->has = ZEQ_BIT(ZEQ_A_KEYCONF_SLOT) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_KEY_ID) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_REMOTE_KEY_ID) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_AGE) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_TX_PACKETS) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_RX_PACKETS) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_TX_USAGE) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_RX_USAGE) |
				  ZEQ_BIT(ZEQ_A_KEYCONF_USAGE_LIMIT);
			p.n_keys++;
		}
	}
	for (unsigned int i = first; i < first + n_aips; i++) {
		struct zeq_prefix pfx = { 0 };

		if (v6 && i % 2) {
			pfx.addr.family = AF_INET6;
			pfx.addr.bytes[0] = 0xfd;
			pfx.addr.bytes[15] = (uint8_t)i;
			pfx.cidr = 128;
		} else {
			pfx.addr.family = AF_INET;
			pfx.addr.bytes[0] = 10;
			pfx.addr.bytes[2] = (uint8_t)i;
			pfx.cidr = 24;
		}
		if (zeq_peer_add_aip(&p, &pfx))
			exit(1);
	}
	if (!zeq_put_peer(nlh, BUFLEN, &p))
		exit(1);
	zeq_peer_free(&p);
	return nlh;
}

static struct nlmsghdr *family_msg(void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *grps, *grp;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = FUZZ_SEQ;
	nlh->nlmsg_pid = FUZZ_PORTID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	g->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEQ_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FUZZ_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, ZEQ_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, ZEQ_A_MAX);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, ZEQ_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	return nlh;
}

static void gen_nlreply(void)
{
	static struct nlin in;
	static char buf[BUFLEN];
	enum { DEV_GET, DEV_DUMP, PEER_DUMP, FAMILY, ACK };

	nl_begin(&in, DEV_GET);
	nl_dgram(&in);
	nl_add(&in, dev_msg(buf, 0, 3, "zeq0"));
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, 0, NULL));
	put_file("nlreply", "dev-get", in.buf, in.len);

	nl_begin(&in, DEV_GET);
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, -ENODEV, "device not found"));
	put_file("nlreply", "dev-get-enodev", in.buf, in.len);

	nl_begin(&in, DEV_GET);	/* cover, random padding, obfuscation */
	nl_dgram(&in);
	nl_add(&in, dev_msg(buf, 0, 5, "zeq5"));
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, 0, NULL));
	put_file("nlreply", "dev-get-obfs", in.buf, in.len);

	nl_begin(&in, DEV_DUMP);
	nl_dgram(&in);
	nl_add(&in, dev_msg(buf, NLM_F_MULTI, 3, "zeq0"));
	nl_add(&in, dev_msg(buf, NLM_F_MULTI, 4, "zeq-\xc3\xa9t\xe2\x82\xac"));
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_DONE, 0, NULL));
	put_file("nlreply", "dev-dump", in.buf, in.len);

	/* two peers, the first continued in a second message */
	nl_begin(&in, PEER_DUMP);
	nl_dgram(&in);
	nl_add(&in, peer_msg(buf, 1, false, 0, 4, 3));
	nl_add(&in, peer_msg(buf, 1, false, 4, 3, 0));
	nl_add(&in, peer_msg(buf, 2, true, 0, 4, 1));
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_DONE, 0, NULL));
	put_file("nlreply", "peer-dump", in.buf, in.len);

	nl_begin(&in, PEER_DUMP);
	nl_dgram(&in);
	nl_add(&in, peer_msg(buf, 5, false, 0, 1, 0));
	nl_add(&in, ack(buf, NLMSG_DONE, -ENODEV, "device went away"));
	put_file("nlreply", "peer-dump-enodev", in.buf, in.len);

	nl_begin(&in, FAMILY);
	nl_dgram(&in);
	nl_add(&in, family_msg(buf));
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, 0, NULL));
	put_file("nlreply", "family", in.buf, in.len);

	nl_begin(&in, ACK);
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, -ERANGE, "peer id out of range"));
	put_file("nlreply", "ack-extack", in.buf, in.len);

	nl_begin(&in, ACK);
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, 0, "deprecated attribute\n"));
	put_file("nlreply", "ack-warning", in.buf, in.len);

	{	/* an extack message longer than zeqctl keeps (256) */
		char text[400];

		memset(text, 'x', sizeof(text) - 2);
		text[sizeof(text) - 2] = '\n';
		text[sizeof(text) - 1] = '\0';
		nl_begin(&in, ACK);
		nl_dgram(&in);
		nl_add(&in, ack(buf, NLMSG_ERROR, -EINVAL, text));
		put_file("nlreply", "ack-long-extack", in.buf, in.len);
	}
	{	/* an NLMSG_DONE without its error code (old kernels) */
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

		nlh->nlmsg_type = NLMSG_DONE;
		nlh->nlmsg_flags = NLM_F_MULTI;
		nlh->nlmsg_seq = FUZZ_SEQ;
		nl_begin(&in, DEV_DUMP);
		nl_dgram(&in);
		nl_add(&in, dev_msg(buf + 4096, NLM_F_MULTI, 3, "zeq0"));
		nl_add(&in, nlh);
		put_file("nlreply", "dev-dump-short-done", in.buf, in.len);
	}

	/* regressions (bugs found by review, see README.md) */
	nl_begin(&in, ACK);		/* negating INT_MIN overflowed */
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_ERROR, INT32_MIN, "boom"));
	put_file("nlreply", "!error-int-min", in.buf, in.len);
	nl_begin(&in, DEV_DUMP);
	nl_dgram(&in);
	nl_add(&in, ack(buf, NLMSG_DONE, INT32_MIN, NULL));
	put_file("nlreply", "!done-int-min", in.buf, in.len);

	/*
	 * A last message with an unaligned nlmsg_len (27) whose IFNAME
	 * attribute (nla_len 8) ends in the pad byte after the datagram:
	 * libmnl walks to MNL_ALIGN(nlmsg_len) and parsed it.
	 */
	nl_begin(&in, DEV_GET);
	nl_dgram(&in);
	{
		struct nlmsghdr *nlh = reply(buf, FUZZ_FAMILY, 0, ZEQ_CMD_DEV_GET);
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

		a->nla_type = ZEQ_A_IFNAME;
		a->nla_len = 8;
		memcpy(a + 1, "zeq0", 4);
		nlh->nlmsg_len += 8;
		nl_add(&in, nlh);
		in.len -= 1;		/* the datagram ends at byte 27 */
		in.buf[in.dgram] -= 1;
		nlh->nlmsg_len -= 1;
		memcpy(in.buf + in.dgram + 2, nlh, 4);
	}
	put_file("nlreply", "!unaligned-last-message", in.buf, in.len);
}

static struct nlmsghdr *event_msg(void *buf, uint32_t type, bool v6,
				  bool with_name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct zeq_event ev = { 0 };
	struct genlmsghdr *g;

	nlh->nlmsg_type = FUZZ_FAMILY;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = ZEQ_CMD_EVENT;
	g->version = ZEQ_GENL_VERSION;
	ev.ifindex = 3;
	if (with_name)
		snprintf(ev.ifname, sizeof(ev.ifname), "zeq0");
	ev.type = type;
	ev.peer_id = 1;
	ev.has = ZEQ_BIT(ZEQ_A_EVENT_TYPE) | ZEQ_BIT(ZEQ_A_EVENT_PEER_ID);
	switch (type) {
	case ZEQ_EVENT_KEY_NEAR_LIMIT:
	case ZEQ_EVENT_KEY_EXPIRED:
		ev.key_id = 7001;
		ev.slot = ZEQ_KEY_SLOT_CURRENT;
		ev.has |= ZEQ_BIT(ZEQ_A_EVENT_KEY_ID) | ZEQ_BIT(ZEQ_A_EVENT_SLOT);
		break;
	case ZEQ_EVENT_ENDPOINT_CHANGED:
		ev.endpoint.addr.family = v6 ? AF_INET6 : AF_INET;
		inet_pton(ev.endpoint.addr.family, v6 ? "fd00::3" : "192.168.241.3",
			  ev.endpoint.addr.bytes);
		ev.endpoint.port = 51900;
		ev.has |= ZEQ_BIT(v6 ? ZEQ_A_EVENT_ENDPOINT_IPV6 :
				  ZEQ_A_EVENT_ENDPOINT_IPV4) |
			  ZEQ_BIT(ZEQ_A_EVENT_ENDPOINT_PORT);
		break;
	case ZEQ_EVENT_AUTH_FAIL_BURST:
		ev.count = ZEQ_AUTH_FAIL_BURST;
		ev.has |= ZEQ_BIT(ZEQ_A_EVENT_COUNT);
		break;
	}
	if (!zeq_put_event(nlh, BUFLEN, &ev))
		exit(1);
	return nlh;
}

static void gen_event(void)
{
	static char buf[BUFLEN];
	static uint8_t dgram[BUFLEN];
	static const char *const names[] = {
		"key-near-limit", "key-expired", "endpoint-changed",
		"peer-removed", "auth-fail-burst",
	};
	struct nlmsghdr *nlh;
	size_t len = 0;

	for (uint32_t t = 0; t < __ZEQ_EVENT_MAX && t < 5; t++) {
		nlh = event_msg(buf, t, false, true);
		put_file("event", names[t], nlh, nlh->nlmsg_len);
	}
	nlh = event_msg(buf, ZEQ_EVENT_ENDPOINT_CHANGED, true, false);
	put_file("event", "endpoint-changed-v6-noname", nlh, nlh->nlmsg_len);
	/* one datagram, several events */
	for (uint32_t t = 0; t < __ZEQ_EVENT_MAX; t++) {
		nlh = event_msg(buf, t, t % 2, true);
		memcpy(dgram + len, nlh, nlh->nlmsg_len);
		len += MNL_ALIGN(nlh->nlmsg_len);
	}
	put_file("event", "several", dgram, len);
}

/* --- json ------------------------------------------------------------------ */

static void gen_json(void)
{
	static const struct { const char *name, *s; } strs[] = {
		{ "ascii", "generic-gcm-aesni" },
		{ "escapes", "a\"b\\c\n\t\x01\x7f" },
		{ "utf8", "zeq-\xc3\xa9t\xe2\x82\xac\xf0\x9f\x94\x92" },
		{ "invalid", "\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80\xff" },
		{ "truncated", "ok\xe2\x82" },
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		put_file("json", strs[i].name, strs[i].s, strlen(strs[i].s));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	g_dir = argv[1];
	if (mkdir(g_dir, 0755) && errno != EEXIST) {
		perror(g_dir);
		return 1;
	}
	gen_args();
	gen_values();
	gen_keyfile();
	gen_nlreply();
	gen_event();
	gen_json();
	printf("gen_corpus: %d seed inputs in %s\n", g_count, g_dir);
	return 0;
}
