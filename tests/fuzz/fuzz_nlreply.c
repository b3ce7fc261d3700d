// SPDX-License-Identifier: MIT
/*
 * fuzz_nlreply.c - what zeqctl (and zeqd, through libzeqnl) does with the
 * kernel's replies: the reply loop of znl_talk (znl_talk_datagram: seq
 * and port matching, NLMSG_ERROR / NLMSG_DONE with extended ack TLVs,
 * znl_parse_error), nlctrl's family reply (znl_parse_family), and the zeq
 * attribute parsers behind `zeqctl show` (DEV_GET do and dump, PEER_GET
 * dump with continued peers merged), then `zeqctl show` text and JSON
 * output of whatever was parsed.
 *
 * Input: one selector byte (which request the replies answer), then up
 * to 4 received datagrams, each a 2-byte little-endian length and that
 * many bytes (the last may be short). Each datagram is placed before an
 * inaccessible page (fuzz_dgram), as zeqctl's receive buffer holds it.
 * Checks: the loop ends with success, more-to-come or an error that
 * carries an errno; strings parsed from the kernel fit their buffers;
 * parsed values are within what the parsers promise (address families,
 * prefix lengths, key slots, at most 3 keys); the JSON output is valid
 * JSON (RFC 8259, UTF-8) whatever the kernel sent.
 */
#include "fuzz.h"

#include <sys/socket.h>

#include "nl.h"
#include "show.h"
#include "zeq_attrs.h"
#include "zeq_query.h"


enum mode { DEV_GET, DEV_DUMP, PEER_DUMP, FAMILY, ACK, N_MODES };

/* As znl_open runs it on nlctrl's reply. */
static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return znl_parse_family(nlh, data);
}

static void check_err(const struct znl_err *e, int ret)
{
	FUZZ_CHECK(fuzz_terminated(e->msg, sizeof(e->msg)) &&
		   fuzz_terminated(e->warning, sizeof(e->warning)),
		   "extack text not terminated");
	if (ret < 0)
		FUZZ_CHECK(e->err > 0, "failed with errno %d", e->err);
	else
		FUZZ_CHECK(e->err == 0, "succeeded with errno %d", e->err);
	/* what cli_kernel_error prints */
	FUZZ_CHECK(znl_strerror(e) != NULL, "no error text");
}

static void check_endpoint(const struct zeq_endpoint *ep)
{
	FUZZ_CHECK(ep->addr.family == 0 || ep->addr.family == AF_INET ||
		   ep->addr.family == AF_INET6, "endpoint family %u",
		   ep->addr.family);
}

static void check_dev(const struct zeq_device *d)
{
	FUZZ_CHECK(fuzz_terminated(d->ifname, sizeof(d->ifname)), "ifname");
	FUZZ_CHECK(fuzz_terminated(d->crypto_driver, sizeof(d->crypto_driver)),
		   "crypto driver");
}

static void check_peer(const struct zeq_peer *p)
{
	FUZZ_CHECK(p->n_aips <= p->cap_aips, "aips %zu > cap %zu", p->n_aips,
		   p->cap_aips);
	for (size_t i = 0; i < p->n_aips; i++) {
		const struct zeq_prefix *a = &p->aips[i];

		FUZZ_CHECK(a->addr.family == AF_INET || a->addr.family == AF_INET6,
			   "aip family %u", a->addr.family);
		FUZZ_CHECK(a->cidr <= (a->addr.family == AF_INET ? 32 : 128),
			   "aip cidr %u", a->cidr);
	}
	FUZZ_CHECK(p->n_keys <= ZEQ_NSLOTS, "%u keys", p->n_keys);
	check_endpoint(&p->endpoint);
}

/* zeqctl show, text and JSON, of what was parsed. */
static void render(const struct zeq_dev_info *info, size_t n)
{
	struct fuzz_mem m;

	show_text(fuzz_mem_open(&m), info, n, NULL);
	fuzz_mem_close(&m);
	free(m.buf);

	show_json(fuzz_mem_open(&m), info, n, NULL);
	fuzz_mem_close(&m);
	FUZZ_CHECK(fuzz_json_valid(m.buf, m.len), "invalid JSON: %s", m.buf);
	free(m.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zeq_device dev = { 0 };
	struct zeq_dev_list devs = { NULL, 0 };
	struct zeq_peer_list peers = { NULL, 0 };
	struct znl nl = { 0 };
	struct znl_err e;
	mnl_cb_t cb = NULL;
	void *cb_data = NULL;
	enum mode mode;
	int cb_err = 0, ret = 0;

	if (size < 1)
		return 0;
	mode = (enum mode)(data[0] % N_MODES);
	data++;
	size--;
	switch (mode) {
	case DEV_GET: cb = zeq_dev_one_cb; cb_data = &dev; break;
	case DEV_DUMP: cb = zeq_dev_list_cb; cb_data = &devs; break;
	case PEER_DUMP: cb = zeq_peer_list_cb; cb_data = &peers; break;
	case FAMILY: cb = family_cb; cb_data = &nl; break;
	default: break;
	}

	memset(&e, 0, sizeof(e));
	for (int d = 0; d < FUZZ_MAX_DGRAMS && size >= 2 && ret == 0; d++) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if (len > FUZZ_DGRAM_MAX)
			len = FUZZ_DGRAM_MAX;
		ret = znl_talk_datagram(fuzz_dgram(data, len), len, FUZZ_SEQ, FUZZ_PORTID,
					cb, cb_data, &cb_err, &e);
		FUZZ_CHECK(ret >= -1 && ret <= 1, "returned %d", ret);
		data += len;
		size -= len;
	}
	check_err(&e, ret);
	if (ret == 1)
		FUZZ_CHECK(cb_err == 0, "success despite callback error %d",
			   cb_err);

	switch (mode) {
	case DEV_GET: {
		struct zeq_dev_info info = { .dev = dev };

		check_dev(&dev);
		render(&info, 1);
		break;
	}
	case DEV_DUMP: {
		struct zeq_dev_info *info = calloc(devs.n + 1, sizeof(*info));

		if (!info)
			abort();
		for (size_t i = 0; i < devs.n; i++) {
			check_dev(&devs.devs[i]);
			info[i].dev = devs.devs[i];
		}
		render(info, devs.n);
		free(info);
		free(devs.devs);
		break;
	}
	case PEER_DUMP: {
		struct zeq_dev_info info = { .peers = peers.peers,
					     .n_peers = peers.n };

		snprintf(info.dev.ifname, sizeof(info.dev.ifname), "zeq0");
		for (size_t i = 0; i < peers.n; i++)
			check_peer(&peers.peers[i]);
		render(&info, 1);
		zeq_peers_free(peers.peers, peers.n);
		break;
	}
	case FAMILY:
		FUZZ_CHECK(nl.n_groups <= ZNL_MAX_GROUPS, "%u groups",
			   nl.n_groups);
		for (unsigned int i = 0; i < nl.n_groups; i++)
			FUZZ_CHECK(fuzz_terminated(nl.groups[i].name,
						   sizeof(nl.groups[i].name)) &&
				   nl.groups[i].id, "group %u", i);
		(void)znl_group_id(&nl, ZEQ_MCGRP_EVENTS);
		break;
	default:
		break;
	}
	return 0;
}
