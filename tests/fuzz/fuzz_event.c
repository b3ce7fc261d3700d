// SPDX-License-Identifier: MIT
/*
 * fuzz_event.c - `zeqctl monitor`: datagrams received on the "events"
 * multicast group (znl_recv_datagram), each message of the family parsed
 * as an event (monitor_parse, zeq_parse_event) and printed as text and as
 * JSON (monitor_print).
 *
 * Input: one received datagram, placed before an inaccessible page
 * (fuzz_dgram) as zeqctl's receive buffer holds it.
 * Checks: a parsed event's strings fit their buffers and its endpoint has
 * a known family; the text form is one line; the JSON form is one valid
 * JSON object (RFC 8259, UTF-8) whatever the kernel sent.
 */
#include "fuzz.h"

#include <sys/socket.h>

#include "monitor.h"
#include "nl.h"
#include "zeq_attrs.h"

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zeq_event ev;
	struct fuzz_mem m;
	unsigned int *n = data;
	int ret = monitor_parse(nlh, &ev);

	FUZZ_CHECK(ret >= -1 && ret <= 1, "monitor_parse: %d", ret);
	if (ret <= 0)
		return MNL_CB_OK;	/* not an event, or malformed: skipped */
	(*n)++;
	FUZZ_CHECK(fuzz_terminated(ev.ifname, sizeof(ev.ifname)), "ifname");
	FUZZ_CHECK(ev.endpoint.addr.family == 0 ||
		   ev.endpoint.addr.family == AF_INET ||
		   ev.endpoint.addr.family == AF_INET6, "endpoint family %u",
		   ev.endpoint.addr.family);

	monitor_print(fuzz_mem_open(&m), &ev, false);
	fuzz_mem_close(&m);
	FUZZ_CHECK(m.len > 0 && m.buf[m.len - 1] == '\n' &&
		   strlen(m.buf) == m.len, "text: not one line");
	free(m.buf);

	monitor_print(fuzz_mem_open(&m), &ev, true);
	fuzz_mem_close(&m);
	FUZZ_CHECK(m.len > 2 && m.buf[0] == '{' && m.buf[m.len - 1] == '\n' &&
		   fuzz_json_valid(m.buf, m.len), "invalid JSON: %s", m.buf);
	free(m.buf);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct znl_err e = { 0 };
	unsigned int n = 0;

	if (size > FUZZ_DGRAM_MAX)
		size = FUZZ_DGRAM_MAX;
	FUZZ_CHECK(znl_recv_datagram(fuzz_dgram(data, size), size, FUZZ_FAMILY,
				     event_cb, &n, &e) == 0,
		   "the events loop stopped: %d", e.err);
	return 0;
}
