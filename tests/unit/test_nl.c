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
};
const size_t nl_tests_n = N_TESTS(nl_tests);
