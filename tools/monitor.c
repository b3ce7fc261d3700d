// SPDX-License-Identifier: MIT
/*
 * monitor.c - `zeqctl monitor`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <linux/genetlink.h>

#include "json.h"
#include "monitor.h"

static bool has_endpoint(const struct zeq_event *ev)
{
	return ZEQ_HAS(ev, ZEQ_A_EVENT_ENDPOINT_IPV4) ||
	       ZEQ_HAS(ev, ZEQ_A_EVENT_ENDPOINT_IPV6);
}

static void print_json(FILE *f, const struct zeq_event *ev)
{
	const char *name = zeq_event_name(ev->type);
	char ep[ZEQ_ENDPOINT_STRLEN];
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_key(&j, "event");
	if (name)
		json_str(&j, name);
	else
		json_u64(&j, ev->type);	/* from a newer kernel */
	if (ev->ifindex)
		json_kv_u64(&j, "ifindex", ev->ifindex);
	if (ev->ifname[0])
		json_kv_str(&j, "ifname", ev->ifname);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_PEER_ID))
		json_kv_u64(&j, "peer_id", ev->peer_id);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_KEY_ID))
		json_kv_u64(&j, "key_id", ev->key_id);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_SLOT)) {
		const char *slot = zeq_slot_name(ev->slot);

		json_key(&j, "slot");
		if (slot)
			json_str(&j, slot);
		else
			json_u64(&j, ev->slot);
	}
	if (has_endpoint(ev))
		json_kv_str(&j, "endpoint",
			    zeq_endpoint_str(&ev->endpoint, ep, sizeof(ep)));
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_COUNT))
		json_kv_u64(&j, "count", ev->count);
	json_obj_end(&j);
	fputc('\n', f);
}

static void print_text(FILE *f, const struct zeq_event *ev)
{
	const char *name = zeq_event_name(ev->type);
	char ep[ZEQ_ENDPOINT_STRLEN];

	fprintf(f, "%s: ", ev->ifname[0] ? ev->ifname : "?");
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_PEER_ID))
		fprintf(f, "peer %" PRIu32 ": ", ev->peer_id);
	if (name)
		fputs(name, f);
	else
		fprintf(f, "event-%" PRIu32, ev->type);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_KEY_ID))
		fprintf(f, " key %" PRIu32, ev->key_id);
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_SLOT)) {
		const char *slot = zeq_slot_name(ev->slot);

		if (slot)
			fprintf(f, " (%s)", slot);
		else
			fprintf(f, " (slot %u)", ev->slot);
	}
	if (has_endpoint(ev))
		fprintf(f, " %s", zeq_endpoint_str(&ev->endpoint, ep, sizeof(ep)));
	if (ZEQ_HAS(ev, ZEQ_A_EVENT_COUNT))
		fprintf(f, " count %" PRIu64, ev->count);
	fputc('\n', f);
}

void monitor_print(FILE *f, const struct zeq_event *ev, bool json)
{
	if (json)
		print_json(f, ev);
	else
		print_text(f, ev);
	fflush(f);
}

int monitor_parse(const struct nlmsghdr *nlh, struct zeq_event *ev)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	memset(ev, 0, sizeof(*ev));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) ||
	    g->cmd != ZEQ_CMD_EVENT)
		return 0;
	return zeq_parse_event(nlh, ev) < 0 ? -1 : 1;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zeq_event ev;
	bool *json = data;
	int ret = monitor_parse(nlh, &ev);

	if (ret == 0)
		return MNL_CB_OK;
	if (ret < 0) {
		fprintf(stderr, "zeqctl: malformed event ignored\n");
		return MNL_CB_OK;
	}
	if (!ev.ifname[0] && ev.ifindex &&
	    !if_indextoname(ev.ifindex, ev.ifname))
		ev.ifname[0] = '\0';	/* device already gone */
	monitor_print(stdout, &ev, *json);
	return MNL_CB_OK;
}

int monitor_run(struct znl *nl, bool json)
{
	struct znl_err e;

	if (znl_join(nl, ZEQ_MCGRP_EVENTS, &e) < 0) {
		fprintf(stderr, "zeqctl: cannot join group \"%s\": %s\n",
			ZEQ_MCGRP_EVENTS, znl_strerror(&e));
		return 1;
	}
	for (;;) {
		if (znl_recv(nl, event_cb, &json, &e) == 0)
			continue;
		if (e.err == ENOBUFS) {
			fprintf(stderr, "zeqctl: events lost (receive buffer overrun)\n");
			continue;
		}
		fprintf(stderr, "zeqctl: monitor: %s\n", znl_strerror(&e));
		return 1;
	}
}
