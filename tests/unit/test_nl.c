// SPDX-License-Identifier: MIT
/* test_nl.c - extended ack and family parsing of tools/nl.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>

#include "unit.h"
#include "nl.h"

#define BUFLEN 4096

/*
 * An NLMSG_ERROR as the kernel builds it: error, the request header (and
 * its payload unless capped), then extack TLVs.
 */
static struct nlmsghdr *error_msg(void *buf, int error, bool capped,
				  const char *text, bool offs)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;

	memset(buf, 0, BUFLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : 20);
	err->msg.nlmsg_type = 0x20;
	if (!capped)		/* the echoed request payload */
		memset(mnl_nlmsg_put_extra_header(nlh, 20), 0xab, 20);
	if (text || offs)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (offs)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 36);
	return nlh;
}

static void extack_capped(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };

	(void)state;
	assert_int_equal(znl_parse_error(error_msg(buf, -EINVAL, true,
						   "integer out of range", true),
				     &e), -EINVAL);
	assert_int_equal(e.err, EINVAL);
	assert_string_equal(e.msg, "integer out of range");
	assert_true(e.has_offs);
	assert_int_equal(e.offs, 36);
	assert_string_equal(znl_strerror(&e), "integer out of range");
}

static void extack_after_echoed_request(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };

	(void)state;
	assert_int_equal(znl_parse_error(error_msg(buf, -ERANGE, false,
						   "peer id out of range", false),
				     &e), -ERANGE);
	assert_int_equal(e.err, ERANGE);
	assert_string_equal(e.msg, "peer id out of range");
	assert_false(e.has_offs);
}

static void error_without_extack(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };

	(void)state;
	assert_int_equal(znl_parse_error(error_msg(buf, -EOPNOTSUPP, true,
						   NULL, false), &e),
			 -EOPNOTSUPP);
	assert_int_equal(e.err, EOPNOTSUPP);
	assert_string_equal(e.msg, "");
	assert_string_equal(znl_strerror(&e), strerror(EOPNOTSUPP));
}

static void ack_with_warning(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };

	(void)state;
	assert_int_equal(znl_parse_error(error_msg(buf, 0, true,
						   "deprecated attribute\n", false),
				     &e), 0);
	assert_int_equal(e.err, 0);
	assert_string_equal(e.msg, "");
	assert_string_equal(e.warning, "deprecated attribute");
}

static void missing_attribute(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };
	struct nlmsghdr *nlh = error_msg(buf, -EINVAL, true, NULL, false);

	(void)state;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 9);
	assert_int_equal(znl_parse_error(nlh, &e), -EINVAL);
	assert_true(e.has_miss_type);
	assert_int_equal(e.miss_type, 9);
}

static void done_with_error(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };
	struct nlmsghdr *nlh;
	int *code;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	code = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*code = -ENODEV;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "device went away");
	assert_int_equal(znl_parse_error(nlh, &e), -ENODEV);
	assert_int_equal(e.err, ENODEV);
	assert_string_equal(e.msg, "device went away");

	/* a plain end of dump */
	memset(&e, 0, sizeof(e));
	*code = 0;
	nlh->nlmsg_flags = NLM_F_MULTI;
	assert_int_equal(znl_parse_error(nlh, &e), 0);
	assert_int_equal(e.err, 0);
}

static void truncated_error(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };
	struct nlmsghdr *nlh;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	mnl_nlmsg_put_extra_header(nlh, 4);	/* shorter than nlmsgerr */
	assert_int_equal(znl_parse_error(nlh, &e), -EBADMSG);
	/* and says so: zeqctl printed "Success" for it */
	assert_int_equal(e.err, EBADMSG);
}

static void family_and_groups(void **state)
{
	char buf[BUFLEN];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *grps, *grp;
	struct znl nl = { 0 };

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "zeq");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1234);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 7);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
	mnl_attr_nest_end(nlh, grp);
	grp = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "other");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);

	assert_int_equal(znl_parse_family(nlh, &nl), MNL_CB_OK);
	assert_int_equal(nl.family, 0x1234);
	assert_int_equal(nl.n_groups, 2);
	assert_int_equal(znl_group_id(&nl, "events"), 7);
	assert_int_equal(znl_group_id(&nl, "other"), 9);
	assert_int_equal(znl_group_id(&nl, "event"), 0);
}

static void request_header(void **state)
{
	char buf[BUFLEN];
	struct znl nl = { .family = 0x1234, .version = 1, .seq = 41 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	(void)state;
	nlh = znl_msg(&nl, buf, 7, 0);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, 0x1234);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 42);
	assert_int_equal(g->cmd, 7);
	assert_int_equal(g->version, 1);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	/* dumps end with NLMSG_DONE and ask for no ack */
	nlh = znl_msg(&nl, buf, 5, NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, 43);
}

/* --- the receive loops (znl_talk_datagram, znl_recv_datagram) --- */

#define SEQ 77
#define PORT 4242

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

/* A datagram: a reply message (type 0x20) and optionally an ack after it. */
static size_t datagram(void *buf, uint32_t reply_len, bool with_ack)
{
	struct nlmsghdr *nlh;
	size_t len;

	memset(buf, 0, BUFLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORT;
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	mnl_attr_put_u32(nlh, 1, 7);
	len = nlh->nlmsg_len;
	if (with_ack) {
		struct nlmsghdr *ack = (void *)((char *)buf + len);
		struct nlmsgerr *err;

		ack = mnl_nlmsg_put_header(ack);
		ack->nlmsg_type = NLMSG_ERROR;
		ack->nlmsg_flags = NLM_F_CAPPED;
		ack->nlmsg_seq = SEQ;
		err = mnl_nlmsg_put_extra_header(ack, sizeof(*err));
		err->error = 0;
		err->msg.nlmsg_len = NLMSG_HDRLEN;
		len += ack->nlmsg_len;
	}
	nlh->nlmsg_len = reply_len ? reply_len : nlh->nlmsg_len;
	return len;
}

static void datagram_reply_and_ack(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };
	int n = 0, cb_err = 0;
	size_t len = datagram(buf, 0, true);

	(void)state;
	assert_int_equal(znl_talk_datagram(buf, len, SEQ, PORT, count_cb, &n,
					   &cb_err, &e), 1);
	assert_int_equal(n, 1);
	assert_int_equal(e.err, 0);
	/* another request's replies are not ours */
	n = 0;
	assert_int_equal(znl_talk_datagram(buf, len, SEQ + 1, PORT, count_cb,
					   &n, &cb_err, &e), 0);
	assert_int_equal(n, 0);
}

/*
 * nlmsg_len of 2 GiB or more: libmnl's mnl_nlmsg_ok compares it as an
 * int (negative, so it passed) and mnl_nlmsg_next then stepped by
 * MNL_ALIGN(0xffffffff) = 0: the loop never ended. Other such lengths had
 * the callbacks walk far past the datagram.
 */
static void datagram_huge_length(void **state)
{
	static const uint32_t lens[] = { 0xffffffff, 0xfffffffd, 0x80000000 };
	char buf[BUFLEN];

	(void)state;
	for (size_t i = 0; i < N_TESTS(lens); i++) {
		struct znl_err e = { 0 };
		int n = 0, cb_err = 0;
		size_t len = datagram(buf, lens[i], true);

		assert_int_equal(znl_talk_datagram(buf, len, SEQ, PORT, count_cb,
						   &n, &cb_err, &e), 0);
		assert_int_equal(n, 0);
		assert_int_equal(znl_recv_datagram(buf, len, 0x20, count_cb, &n,
						   &e), 0);
		assert_int_equal(n, 0);
	}
}

/*
 * A last message whose unaligned length ends the datagram: libmnl parses
 * attributes up to MNL_ALIGN(nlmsg_len), past the datagram's end, so it
 * is dropped like a truncated message. The same message with the
 * datagram's padding in place is fine.
 */
static void datagram_unaligned_last_message(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };
	int n = 0;
	size_t len = datagram(buf, 0, false);

	(void)state;
	assert_int_equal(len, NLMSG_HDRLEN + GENL_HDRLEN + 8);
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)len - 1;
	assert_int_equal(znl_recv_datagram(buf, len - 1, 0x20, count_cb, &n,
					   &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(znl_recv_datagram(buf, len, 0x20, count_cb, &n, &e), 0);
	assert_int_equal(n, 1);
}

/* An error code that is no errno (INT_MIN: -code overflowed). */
static void error_not_an_errno(void **state)
{
	char buf[BUFLEN];
	struct znl_err e = { 0 };

	(void)state;
	assert_int_equal(znl_parse_error(error_msg(buf, INT32_MIN, true,
						   "x", false), &e), -EBADMSG);
	assert_int_equal(e.err, EBADMSG);
	memset(&e, 0, sizeof(e));
	assert_int_equal(znl_parse_error(error_msg(buf, -4096, true, NULL,
						   false), &e), -EBADMSG);
	memset(&e, 0, sizeof(e));
	assert_int_equal(znl_parse_error(error_msg(buf, -4095, true, NULL,
						   false), &e), -4095);
	assert_int_equal(e.err, 4095);
	memset(&e, 0, sizeof(e));
	/* a positive code is taken as its negative, as before */
	assert_int_equal(znl_parse_error(error_msg(buf, EPERM, true, NULL,
						   false), &e), -EPERM);
}

const struct CMUnitTest nl_tests[] = {
	cmocka_unit_test(extack_capped),
	cmocka_unit_test(extack_after_echoed_request),
	cmocka_unit_test(error_without_extack),
	cmocka_unit_test(ack_with_warning),
	cmocka_unit_test(missing_attribute),
	cmocka_unit_test(done_with_error),
	cmocka_unit_test(truncated_error),
	cmocka_unit_test(family_and_groups),
	cmocka_unit_test(request_header),
	cmocka_unit_test(datagram_reply_and_ack),
	cmocka_unit_test(datagram_huge_length),
	cmocka_unit_test(datagram_unaligned_last_message),
	cmocka_unit_test(error_not_an_errno),
};
const size_t nl_tests_n = N_TESTS(nl_tests);
