// SPDX-License-Identifier: MIT
/*
 * nl.c - generic netlink client core on libmnl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netlink.h>

#include "nl.h"

const char *znl_strerror(const struct znl_err *e)
{
	return e->msg[0] ? e->msg : strerror(e->err);
}

/* --- parsing of control messages ----------------------------------------- */

#define ZNL_MAX_ERRNO	4095	/* the kernel's MAX_ERRNO */

static int extack_cb(const struct nlattr *a, void *data)
{
	struct znl_err *e = data;
	size_t plen = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG: {
		size_t n = strnlen(mnl_attr_get_payload(a), plen);

		if (n >= sizeof(e->msg))
			n = sizeof(e->msg) - 1;
		memcpy(e->msg, mnl_attr_get_payload(a), n);
		e->msg[n] = '\0';
		/* Keep one line. */
		while (n && e->msg[n - 1] == '\n')
			e->msg[--n] = '\0';
		break;
	}
	case NLMSGERR_ATTR_OFFS:
		if (plen == sizeof(uint32_t)) {
			e->offs = mnl_attr_get_u32(a);
			e->has_offs = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (plen == sizeof(uint32_t)) {
			e->miss_type = mnl_attr_get_u32(a);
			e->has_miss_type = true;
		}
		break;
	}
	return MNL_CB_OK;
}

int znl_parse_error(const struct nlmsghdr *nlh, struct znl_err *e)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t hlen;
	int code;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		if (plen < sizeof(*err)) {
			e->err = EBADMSG;	/* a failure always has an errno */
			return -EBADMSG;
		}
		code = err->error;
		hlen = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    err->msg.nlmsg_len >= sizeof(struct nlmsghdr))
			hlen += mnl_nlmsg_get_payload_len(&err->msg);
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int))
			return 0;
		memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
		hlen = sizeof(int);
	} else {
		return 0;
	}
	if (code > 0)
		code = -code;
	/*
	 * Not an errno (the kernel's are -4095..-1): report the message as
	 * malformed. Also keeps -code below defined for INT_MIN.
	 */
	if (code < -ZNL_MAX_ERRNO)
		code = -EBADMSG;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && MNL_ALIGN(hlen) <= plen) {
		struct znl_err tmp = { 0 };

		mnl_attr_parse(nlh, hlen, extack_cb, &tmp);
		if (code == 0) {
			memcpy(e->warning, tmp.msg, sizeof(e->warning));
		} else {
			memcpy(e->msg, tmp.msg, sizeof(e->msg));
			e->has_offs = tmp.has_offs;
			e->offs = tmp.offs;
			e->has_miss_type = tmp.has_miss_type;
			e->miss_type = tmp.miss_type;
		}
	}
	if (code < 0)
		e->err = -code;
	return code;
}

static int group_cb(const struct nlattr *grp, struct znl *nl)
{
	const struct nlattr *a;
	struct znl_group g = { .id = 0 };

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				return -1;
			snprintf(g.name, sizeof(g.name), "%s",
				 mnl_attr_get_str(a));
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			g.id = mnl_attr_get_u32(a);
			break;
		}
	}
	if (g.id && nl->n_groups < ZNL_MAX_GROUPS)
		nl->groups[nl->n_groups++] = g;
	return 0;
}

int znl_parse_family(const struct nlmsghdr *nlh, struct znl *nl)
{
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				return MNL_CB_ERROR;
			nl->family = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			nl->n_groups = 0;
			mnl_attr_for_each_nested(g, a)
				if (group_cb(g, nl))
					return MNL_CB_ERROR;
			break;
		}
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return znl_parse_family(nlh, data);
}

/* --- socket and requests ------------------------------------------------- */

int znl_fd(const struct znl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

struct nlmsghdr *znl_msg_family(struct znl *nl, void *buf, uint16_t family,
				uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	/* Dumps end with NLMSG_DONE; everything else asks for an ack. */
	if (!(flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct nlmsghdr *znl_msg(struct znl *nl, void *buf, uint8_t cmd,
			 uint16_t flags)
{
	return znl_msg_family(nl, buf, nl->family, cmd, nl->version, flags);
}

static int fail(struct znl_err *e, int err)
{
	e->err = err;
	return -1;
}

/*
 * A whole message at nlh, len bytes left in the datagram. Not
 * mnl_nlmsg_ok: it compares (int)nlmsg_len, so a length of 2 GiB or more
 * passes as negative, and mnl_nlmsg_next then moves by MNL_ALIGN(nlmsg_len)
 * (0 for 0xfffffffd and up: the loop never ends; otherwise the callbacks
 * walk attributes far past the datagram). The message must also fit up
 * to its aligned end, since libmnl walks attributes up to
 * MNL_ALIGN(nlmsg_len): a last message with an unaligned length would be
 * parsed into the bytes after the datagram. Anything else ends the
 * datagram, as a truncated message does.
 */
static bool msg_ok(const struct nlmsghdr *nlh, int len)
{
	size_t mlen;

	if (len < (int)sizeof(*nlh))
		return false;
	mlen = nlh->nlmsg_len;
	return mlen >= sizeof(*nlh) &&
	       ((mlen + MNL_ALIGNTO - 1) & ~(size_t)(MNL_ALIGNTO - 1)) <=
	       (size_t)len;
}

int znl_talk_datagram(const void *buf, size_t n, uint32_t seq,
		      uint32_t portid, mnl_cb_t cb, void *data, int *cb_err,
		      struct znl_err *e)
{
	const struct nlmsghdr *nlh = buf;
	int len = n > INT_MAX ? INT_MAX : (int)n;

	for (; msg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq ||
		    (nlh->nlmsg_pid && nlh->nlmsg_pid != portid))
			continue;	/* stale reply or not ours */
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_OVERRUN:
			return fail(e, EOVERFLOW);
		case NLMSG_ERROR:
		case NLMSG_DONE:
			if (znl_parse_error(nlh, e) < 0)
				return -1;
			if (*cb_err)
				return fail(e, *cb_err);
			return 1;
		}
		if (cb && !*cb_err) {
			errno = 0;
			if (cb(nlh, data) == MNL_CB_ERROR)
				*cb_err = errno ? errno : EBADMSG;
		}
	}
	return 0;
}

int znl_talk(struct znl *nl, const struct nlmsghdr *req, mnl_cb_t cb,
	     void *data, struct znl_err *e)
{
	int cb_err = 0;

	memset(e, 0, sizeof(*e));
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return fail(e, errno);

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rxbuf,
						ZNL_RXBUF_LEN);
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(e, errno);
		}
		if (n == 0)
			return fail(e, EPIPE);
		ret = znl_talk_datagram(nl->rxbuf, (size_t)n, req->nlmsg_seq,
					nl->portid, cb, data, &cb_err, e);
		if (ret)
			return ret < 0 ? -1 : 0;
	}
}

int znl_open(struct znl *nl, const char *family, uint8_t version,
	     struct znl_err *e)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	memset(e, 0, sizeof(*e));
	nl->version = version;
	nl->seq = (uint32_t)time(NULL);
	nl->rxbuf = malloc(ZNL_RXBUF_LEN);
	if (!nl->rxbuf)
		return fail(e, ENOMEM);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail(e, errno);
		znl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Best effort: older kernels lack them. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = znl_msg_family(nl, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	if (znl_talk(nl, nlh, family_cb, nl, e) < 0 || !nl->family) {
		if (!e->err)
			e->err = ENOENT;
		znl_close(nl);
		return -1;
	}
	return 0;
}

void znl_close(struct znl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->rxbuf);
	nl->rxbuf = NULL;
}

/* --- multicast ---------------------------------------------------------- */

uint32_t znl_group_id(const struct znl *nl, const char *name)
{
	for (unsigned int i = 0; i < nl->n_groups; i++)
		if (strcmp(nl->groups[i].name, name) == 0)
			return nl->groups[i].id;
	return 0;
}

int znl_join(struct znl *nl, const char *group, struct znl_err *e)
{
	uint32_t id = znl_group_id(nl, group);

	memset(e, 0, sizeof(*e));
	if (!id) {
		snprintf(e->msg, sizeof(e->msg),
			 "no multicast group \"%s\" in the family", group);
		return fail(e, ENOENT);
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id)) < 0)
		return fail(e, errno);
	return 0;
}

int znl_recv_datagram(const void *buf, size_t n, uint16_t family,
		      mnl_cb_t cb, void *data, struct znl_err *e)
{
	const struct nlmsghdr *nlh = buf;
	int len = n > INT_MAX ? INT_MAX : (int)n;

	for (; msg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type != family)
			continue;
		errno = 0;
		if (cb(nlh, data) == MNL_CB_ERROR)
			return fail(e, errno ? errno : EBADMSG);
	}
	return 0;
}

int znl_recv(struct znl *nl, mnl_cb_t cb, void *data, struct znl_err *e)
{
	ssize_t n;

	memset(e, 0, sizeof(*e));
	do
		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, ZNL_RXBUF_LEN);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(e, errno);
	return znl_recv_datagram(nl->rxbuf, (size_t)n, nl->family, cb, data, e);
}
