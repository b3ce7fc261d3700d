// SPDX-License-Identifier: MIT
/*
 * show.c - `zeqctl show` output, text and JSON.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "show.h"

char *fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	size_t i = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return buf;
	}
	v /= 1024;
	while (v >= 1024 && i < sizeof(unit) / sizeof(unit[0]) - 1) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.2f %s", v, unit[i]);
	return buf;
}

char *fmt_duration(uint64_t s, char *buf, size_t len)
{
	static const struct { const char *name; uint64_t secs; } u[] = {
		{ "year", 365 * 86400ULL }, { "day", 86400 }, { "hour", 3600 },
		{ "minute", 60 }, { "second", 1 },
	};
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]) && pos < len; i++) {
		uint64_t n = s / u[i].secs;

		if (!n && !(i == sizeof(u) / sizeof(u[0]) - 1 && pos == 0))
			continue;
		s %= u[i].secs;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%" PRIu64 " %s%s",
					pos ? ", " : "", n, u[i].name,
					n == 1 ? "" : "s");
	}
	return buf;
}

/* "12.870" packets per second from milli-hertz (exact, no rounding). */
static char *fmt_rate(uint32_t mhz, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu32 ".%03" PRIu32, mhz / 1000, mhz % 1000);
	return buf;
}

static char *fmt_hex(const uint8_t *b, size_t n, char *buf, size_t len)
{
	for (size_t i = 0; i < n && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return buf;
}

/* --- text ------------------------------------------------------------------ */

static void text_padding(FILE *f, const struct zeq_padding *p)
{
	fprintf(f, "  padding: %s", zeq_padding_mode_name(p->mode) ?: "?");
	for (unsigned int i = 0; i < p->n_buckets; i++)
		fprintf(f, "%c%u", i ? ',' : ' ', p->buckets[i]);
	if (p->mode == ZEQ_PADDING_RANDOM) {
		fprintf(f, " max %u dist %s", p->random_max,
			zeq_pad_dist_name(p->dist) ?: "?");
		if (p->dist == ZEQ_PAD_DIST_EXPONENTIAL)
			fprintf(f, " mean %u", p->random_mean);
		if (p->overhead_cap)
			fprintf(f, " cap %u%%", p->overhead_cap);
	}
	fputc('\n', f);
}

static void text_obfs(FILE *f, const struct zeq_obfs *o)
{
	char hex[2 * ZEQ_OBFS_DIGEST_LEN + 1];

	fprintf(f, "  obfuscation: junk %u x %u-%u B, prefix %u-%u B, type data "
		"%" PRIu32 "-%" PRIu32 " junk %" PRIu32 "-%" PRIu32
		", header protection %s\n", o->junk_count, o->junk_min,
		o->junk_max, o->prefix_min, o->prefix_max, o->type_data_min,
		o->type_data_max, o->type_junk_min, o->type_junk_max,
		o->header_protection ? "on" : "off");
	if (ZEQ_HAS(o, ZEQ_A_OBFS_DIGEST))
		fprintf(f, "  obfuscation digest: %s\n",
			fmt_hex(o->digest, sizeof(o->digest), hex, sizeof(hex)));
}

/* Cover, junk and padding counters, when there are any. */
static void text_cover_stats(FILE *f, const struct zeq_stats *s)
{
	char pad[32];

	if (s->tx_cover || s->rx_cover)
		fprintf(f, "  cover packets: %" PRIu64 " sent, %" PRIu64
			" received\n", s->tx_cover, s->rx_cover);
	if (s->tx_junk || s->rx_junk)
		fprintf(f, "  junk: %" PRIu64 " sent, %" PRIu64 " received\n",
			s->tx_junk, s->rx_junk);
	if (s->tx_pad_bytes)
		fprintf(f, "  padding sent: %s\n",
			fmt_bytes(s->tx_pad_bytes, pad, sizeof(pad)));
}

static void text_transfer(FILE *f, const struct zeq_stats *s)
{
	char rx[32], tx[32];

	fprintf(f, "  transfer: %s received, %s sent\n",
		fmt_bytes(s->rx_bytes, rx, sizeof(rx)),
		fmt_bytes(s->tx_bytes, tx, sizeof(tx)));
}

static void text_drops(FILE *f, const struct zeq_stats *s)
{
	const char *lead = "  drops: ";

	for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++) {
		if (!s->drops[r])
			continue;
		fprintf(f, "%s%s %" PRIu64, lead, zeq_drop_name(r), s->drops[r]);
		lead = ", ";
	}
	if (lead[0] == ',')
		fputc('\n', f);
}

static double usage_pct(const struct zeq_keyconf *k)
{
	uint64_t used = k->tx_usage > k->rx_usage ? k->tx_usage : k->rx_usage;

	return k->usage_limit ? 100.0 * (double)used / (double)k->usage_limit
			      : 0.0;
}

static void text_keys(FILE *f, const struct zeq_peer *p)
{
	const char *lead = "  keys: ";

	for (unsigned int slot = 0; slot < ZEQ_NSLOTS; slot++) {
		for (unsigned int i = 0; i < p->n_keys; i++) {
			const struct zeq_keyconf *k = &p->keys[i];

			if (k->slot != slot)
				continue;
			fprintf(f, "%s%s id %" PRIu32, lead, zeq_slot_name(slot),
				k->key_id);
			if (ZEQ_HAS(k, ZEQ_A_KEYCONF_REMOTE_KEY_ID) &&
			    k->remote_key_id != k->key_id)
				fprintf(f, " remote id %" PRIu32, k->remote_key_id);
			if (slot != ZEQ_KEY_SLOT_NEXT)
				fprintf(f, " (age %" PRIu64 " s, usage %.2f%%)",
					k->age, usage_pct(k));
			lead = ", ";
		}
	}
	fprintf(f, "%s\n", lead[0] == ',' ? "" : "  keys: (none)");
}

/*
 * The peer's cover setting as given ("device", "on", "on at 20.000/s",
 * "off") and, unless off, what it does now ("sending 12.870/s", "not
 * sending").
 */
static void text_peer_cover(FILE *f, const struct zeq_peer *p)
{
	char own[32], now[32];

	if (!ZEQ_HAS(p, ZEQ_A_PEER_COVER))
		return;		/* a kernel without cover */
	fprintf(f, "  cover: %s", zeq_cover_mode_name(p->cover) ?: "?");
	if (p->cover == ZEQ_COVER_ON && p->cover_rate)
		fprintf(f, " at %s/s", fmt_rate(p->cover_rate, own, sizeof(own)));
	if (p->cover_active_rate)
		fprintf(f, ", sending %s/s\n",
			fmt_rate(p->cover_active_rate, now, sizeof(now)));
	else
		fputs(p->cover == ZEQ_COVER_OFF ? "\n" : ", not sending\n", f);
}

/*
 * "  tunnel: up for 2 minutes, epoch 3, called (zeqd peer berlin), ML-KEM no"
 * "  tunnel: down for 5 seconds: obfuscation parameters differ (zeqd peer x)"
 */
static void text_tunnel(FILE *f, const struct zeqd_tunnel *t)
{
	int64_t now = (int64_t)time(NULL);
	char dur[128];

	fprintf(f, "  tunnel: %s", t->state);
	if (t->since && now >= t->since)
		fprintf(f, " for %s", fmt_duration((uint64_t)(now - t->since),
						   dur, sizeof(dur)));
	if (t->epoch >= 0)
		fprintf(f, ", epoch %lld", (long long)t->epoch);
	if (t->link[0])
		fprintf(f, ", %s", t->link);
	if (!strcmp(t->state, "down"))
		fprintf(f, ": %s", t->why[0] ? t->why : "nothing tried yet");
	else if (!strcmp(t->state, "calling") && t->why[0])
		fprintf(f, ", last attempt: %s", t->why);
	fprintf(f, " (zeqd peer %s)", t->name);
	if (!strcmp(t->state, "up") || !strcmp(t->state, "keying"))
		fprintf(f, ", ML-KEM %s", t->ml_kem ? "yes" : "no");
	if (t->resolver[0])
		fprintf(f, ", resolver %s", t->resolver);
	fputc('\n', f);
}

static void text_peer(FILE *f, const struct zeq_peer *p,
		      const struct zeqd_tunnel *t)
{
	char buf[ZEQ_ENDPOINT_STRLEN > ZEQ_PREFIX_STRLEN ?
		 ZEQ_ENDPOINT_STRLEN : ZEQ_PREFIX_STRLEN];
	char dur[128];

	fprintf(f, "\npeer: %" PRIu32 "\n", p->id);
	if (p->endpoint.addr.family)
		fprintf(f, "  endpoint: %s\n",
			zeq_endpoint_str(&p->endpoint, buf, sizeof(buf)));
	if (t)
		text_tunnel(f, t);
	fputs("  allowed ips: ", f);
	for (size_t i = 0; i < p->n_aips; i++)
		fprintf(f, "%s%s", i ? ", " : "",
			zeq_prefix_str(&p->aips[i], buf, sizeof(buf)));
	fputs(p->n_aips ? "\n" : "(none)\n", f);
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_RX))
		fprintf(f, "  latest packet: %s ago\n",
			fmt_duration(p->last_rx, dur, sizeof(dur)));
	text_keys(f, p);
	text_peer_cover(f, p);
	text_transfer(f, &p->stats);
	text_cover_stats(f, &p->stats);
	text_drops(f, &p->stats);
	if (p->keepalive)
		fprintf(f, "  persistent keepalive: every %u second%s\n",
			p->keepalive, p->keepalive == 1 ? "" : "s");
}

/* peer id is among the device's peers in the kernel */
static bool in_kernel(const struct zeq_dev_info *di, uint32_t id)
{
	for (size_t k = 0; k < di->n_peers; k++)
		if (di->peers[k].id == id)
			return true;
	return false;
}

void show_text(FILE *f, const struct zeq_dev_info *info, size_t n,
	       const struct zeqd_status *st)
{
	for (size_t i = 0; i < n; i++) {
		const struct zeq_device *d = &info[i].dev;

		if (i)
			fputc('\n', f);
		fprintf(f, "device: %s\n", d->ifname);
		fprintf(f, "  listen port: %u\n", d->listen_port);
		if (d->fwmark)
			fprintf(f, "  fwmark: 0x%" PRIx32 "\n", d->fwmark);
		else
			fputs("  fwmark: off\n", f);
		if (ZEQ_HAS(d, ZEQ_A_CRYPTO_DRIVER))
			fprintf(f, "  crypto: %s\n", d->crypto_driver);
		fprintf(f, "  key max age: %" PRIu32 " s\n", d->key_max_age);
		if (ZEQ_HAS(d, ZEQ_A_COVER)) {
			char rate[32];

			fprintf(f, "  cover: %s, %s/s per peer\n",
				d->cover ? "on" : "off",
				fmt_rate(d->cover_rate, rate, sizeof(rate)));
		}
		if (ZEQ_HAS(d, ZEQ_A_PADDING))
			text_padding(f, &d->padding);
		if (ZEQ_HAS(d, ZEQ_A_OBFS))
			text_obfs(f, &d->obfs);
		text_transfer(f, &d->stats);
		text_cover_stats(f, &d->stats);
		text_drops(f, &d->stats);
		for (size_t k = 0; k < info[i].n_peers; k++)
			text_peer(f, &info[i].peers[k], !st ? NULL :
				  zeqd_status_find(st, d->ifname,
						   info[i].peers[k].id));
		for (size_t k = 0; st && k < st->n; k++) {
			if (strcmp(st->t[k].device, d->ifname) ||
			    in_kernel(&info[i], st->t[k].peer_id))
				continue;
			fprintf(f, "\npeer: %" PRIu32 " (not in the kernel)\n",
				st->t[k].peer_id);
			text_tunnel(f, &st->t[k]);
		}
	}
}

/* --- JSON ---------------------------------------------------------------------- */

static void json_stats(struct json *j, const struct zeq_stats *s)
{
	json_obj_begin(j);
	json_kv_u64(j, "rx_packets", s->rx_packets);
	json_kv_u64(j, "rx_bytes", s->rx_bytes);
	json_kv_u64(j, "tx_packets", s->tx_packets);
	json_kv_u64(j, "tx_bytes", s->tx_bytes);
	json_kv_u64(j, "rx_keepalive", s->rx_keepalive);
	json_kv_u64(j, "tx_keepalive", s->tx_keepalive);
	json_kv_u64(j, "tx_cover", s->tx_cover);
	json_kv_u64(j, "rx_cover", s->rx_cover);
	json_kv_u64(j, "tx_junk", s->tx_junk);
	json_kv_u64(j, "rx_junk", s->rx_junk);
	json_kv_u64(j, "tx_pad_bytes", s->tx_pad_bytes);
	json_key(j, "drops");
	json_obj_begin(j);
	for (unsigned int r = 0; r < __ZEQ_DROP_MAX; r++)
		json_kv_u64(j, zeq_drop_name(r), s->drops[r]);
	json_obj_end(j);
	json_obj_end(j);
}

static void json_key_slot(struct json *j, const struct zeq_keyconf *k)
{
	json_obj_begin(j);
	json_kv_str(j, "slot", zeq_slot_name(k->slot));
	json_kv_u64(j, "key_id", k->key_id);
	json_kv_u64(j, "remote_key_id", k->remote_key_id);
	json_kv_u64(j, "age", k->age);
	json_kv_u64(j, "tx_packets", k->tx_packets);
	json_kv_u64(j, "rx_packets", k->rx_packets);
	json_kv_u64(j, "tx_usage", k->tx_usage);
	json_kv_u64(j, "rx_usage", k->rx_usage);
	json_kv_u64(j, "usage_limit", k->usage_limit);
	json_obj_end(j);
}

static void json_peer(struct json *j, const struct zeq_peer *p)
{
	char buf[ZEQ_ENDPOINT_STRLEN > ZEQ_PREFIX_STRLEN ?
		 ZEQ_ENDPOINT_STRLEN : ZEQ_PREFIX_STRLEN];

	json_obj_begin(j);
	json_kv_u64(j, "id", p->id);
	json_kv_str(j, "endpoint", p->endpoint.addr.family ?
		    zeq_endpoint_str(&p->endpoint, buf, sizeof(buf)) : NULL);
	json_kv_u64(j, "keepalive", p->keepalive);
	json_key(j, "allowed_ips");
	json_arr_begin(j);
	for (size_t i = 0; i < p->n_aips; i++)
		json_str(j, zeq_prefix_str(&p->aips[i], buf, sizeof(buf)));
	json_arr_end(j);
	json_key(j, "last_rx");
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_RX))
		json_u64(j, p->last_rx);
	else
		json_null(j);
	json_key(j, "last_key");
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_KEY))
		json_u64(j, p->last_key);
	else
		json_null(j);
	json_kv_str(j, "cover", zeq_cover_mode_name(p->cover));
	json_kv_u64(j, "cover_rate", p->cover_rate);
	json_kv_u64(j, "cover_active_rate", p->cover_active_rate);
	json_key(j, "keys");
	json_arr_begin(j);
	for (unsigned int i = 0; i < p->n_keys; i++)
		json_key_slot(j, &p->keys[i]);
	json_arr_end(j);
	json_key(j, "stats");
	json_stats(j, &p->stats);
	json_obj_end(j);
}

static void json_tunnel(struct json *j, const struct zeqd_tunnel *t,
			bool in_kernel)
{
	json_obj_begin(j);
	json_kv_str(j, "name", t->name);
	json_kv_u64(j, "peer_id", t->peer_id);
	json_kv_bool(j, "in_kernel", in_kernel);
	json_kv_str(j, "state", t->state);
	json_kv_str(j, "why", t->why);
	json_kv_u64(j, "since", t->since > 0 ? (uint64_t)t->since : 0);
	json_key(j, "epoch");
	if (t->epoch >= 0)
		json_u64(j, (uint64_t)t->epoch);
	else
		json_null(j);
	json_kv_bool(j, "ml_kem", t->ml_kem);
	json_kv_str(j, "link", t->link[0] ? t->link : NULL);
	json_kv_str(j, "resolver", t->resolver[0] ? t->resolver : NULL);
	json_obj_end(j);
}

static void json_padding(struct json *j, const struct zeq_padding *p)
{
	json_obj_begin(j);
	json_kv_str(j, "mode", zeq_padding_mode_name(p->mode));
	json_key(j, "buckets");
	json_arr_begin(j);
	for (unsigned int i = 0; i < p->n_buckets; i++)
		json_u64(j, p->buckets[i]);
	json_arr_end(j);
	if (p->mode == ZEQ_PADDING_RANDOM) {
		json_kv_str(j, "dist", zeq_pad_dist_name(p->dist));
		json_kv_u64(j, "max", p->random_max);
		json_kv_u64(j, "mean", p->random_mean);
		json_kv_u64(j, "cap", p->overhead_cap);
	}
	json_obj_end(j);
}

static void json_obfs(struct json *j, const struct zeq_obfs *o)
{
	char hex[2 * ZEQ_OBFS_DIGEST_LEN + 1];

	json_obj_begin(j);
	json_kv_u64(j, "junk_count", o->junk_count);
	json_kv_u64(j, "junk_min", o->junk_min);
	json_kv_u64(j, "junk_max", o->junk_max);
	json_kv_u64(j, "prefix_min", o->prefix_min);
	json_kv_u64(j, "prefix_max", o->prefix_max);
	json_kv_u64(j, "type_data_min", o->type_data_min);
	json_kv_u64(j, "type_data_max", o->type_data_max);
	json_kv_u64(j, "type_junk_min", o->type_junk_min);
	json_kv_u64(j, "type_junk_max", o->type_junk_max);
	json_kv_bool(j, "header_protection", o->header_protection);
	json_kv_str(j, "digest", ZEQ_HAS(o, ZEQ_A_OBFS_DIGEST) ?
		    fmt_hex(o->digest, sizeof(o->digest), hex, sizeof(hex)) :
		    NULL);
	json_obj_end(j);
}

void show_json(FILE *f, const struct zeq_dev_info *info, size_t n,
	       const struct zeqd_status *st)
{
	struct json j;

	json_init(&j, f);
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct zeq_device *d = &info[i].dev;

		json_obj_begin(&j);
		json_kv_str(&j, "ifname", d->ifname);
		json_kv_u64(&j, "ifindex", d->ifindex);
		json_kv_u64(&j, "listen_port", d->listen_port);
		json_kv_u64(&j, "fwmark", d->fwmark);
		json_kv_u64(&j, "key_max_age", d->key_max_age);
		json_kv_str(&j, "crypto_driver",
			    ZEQ_HAS(d, ZEQ_A_CRYPTO_DRIVER) ?
			    d->crypto_driver : NULL);
		json_kv_u64(&j, "peer_count", ZEQ_HAS(d, ZEQ_A_PEER_COUNT) ?
			    d->peer_count : info[i].n_peers);
		json_kv_bool(&j, "cover", d->cover);
		json_kv_u64(&j, "cover_rate", d->cover_rate);
		json_key(&j, "padding");
		json_padding(&j, &d->padding);
		json_key(&j, "obfs");
		json_obfs(&j, &d->obfs);
		json_key(&j, "stats");
		json_stats(&j, &d->stats);
		json_key(&j, "peers");
		json_arr_begin(&j);
		for (size_t k = 0; k < info[i].n_peers; k++)
			json_peer(&j, &info[i].peers[k]);
		json_arr_end(&j);
		/* zeqd's configured peers on this device */
		json_key(&j, "tunnels");
		json_arr_begin(&j);
		for (size_t k = 0; st && k < st->n; k++)
			if (!strcmp(st->t[k].device, d->ifname))
				json_tunnel(&j, &st->t[k],
					    in_kernel(&info[i], st->t[k].peer_id));
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	fputc('\n', f);
}
