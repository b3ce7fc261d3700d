// SPDX-License-Identifier: MIT
/*
 * show.c - `zeqctl show` output, text and JSON.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <string.h>

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

/* --- text ------------------------------------------------------------------ */

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

static void text_peer(FILE *f, const struct zeq_peer *p)
{
	char buf[ZEQ_ENDPOINT_STRLEN > ZEQ_PREFIX_STRLEN ?
		 ZEQ_ENDPOINT_STRLEN : ZEQ_PREFIX_STRLEN];
	char dur[128];

	fprintf(f, "\npeer: %" PRIu32 "\n", p->id);
	if (p->endpoint.addr.family)
		fprintf(f, "  endpoint: %s\n",
			zeq_endpoint_str(&p->endpoint, buf, sizeof(buf)));
	fputs("  allowed ips: ", f);
	for (size_t i = 0; i < p->n_aips; i++)
		fprintf(f, "%s%s", i ? ", " : "",
			zeq_prefix_str(&p->aips[i], buf, sizeof(buf)));
	fputs(p->n_aips ? "\n" : "(none)\n", f);
	if (ZEQ_HAS(p, ZEQ_A_PEER_LAST_RX))
		fprintf(f, "  latest packet: %s ago\n",
			fmt_duration(p->last_rx, dur, sizeof(dur)));
	text_keys(f, p);
	text_transfer(f, &p->stats);
	text_drops(f, &p->stats);
	if (p->keepalive)
		fprintf(f, "  persistent keepalive: every %u second%s\n",
			p->keepalive, p->keepalive == 1 ? "" : "s");
}

void show_text(FILE *f, const struct zeq_dev_info *info, size_t n)
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
		text_transfer(f, &d->stats);
		text_drops(f, &d->stats);
		for (size_t k = 0; k < info[i].n_peers; k++)
			text_peer(f, &info[i].peers[k]);
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
	json_key(j, "keys");
	json_arr_begin(j);
	for (unsigned int i = 0; i < p->n_keys; i++)
		json_key_slot(j, &p->keys[i]);
	json_arr_end(j);
	json_key(j, "stats");
	json_stats(j, &p->stats);
	json_obj_end(j);
}

void show_json(FILE *f, const struct zeq_dev_info *info, size_t n)
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
		json_key(&j, "stats");
		json_stats(&j, &d->stats);
		json_key(&j, "peers");
		json_arr_begin(&j);
		for (size_t k = 0; k < info[i].n_peers; k++)
			json_peer(&j, &info[i].peers[k]);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	fputc('\n', f);
}
