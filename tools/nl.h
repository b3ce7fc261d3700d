/* SPDX-License-Identifier: MIT */
/*
 * nl.h - a small generic netlink client on libmnl: family resolution,
 * request/ack with extended ack, dumps, multicast groups by name.
 * Knows nothing about zeq; shared by zeqctl, zeqd and the tests.
 */
#ifndef ZEQ_NL_H
#define ZEQ_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define ZNL_MAX_GROUPS	8
#define ZNL_MSG_LEN	256
#define ZNL_RXBUF_LEN	32768	/* a whole dump skb */
#define ZNL_BUF_LEN	8192	/* a request without long lists */

/* Outcome of a request: errno and the kernel's extended ack. */
struct znl_err {
	int err;			/* positive errno; 0 = success */
	char msg[ZNL_MSG_LEN];		/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	char warning[ZNL_MSG_LEN];	/* message sent with a success ack */
};

struct znl_group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct znl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;		/* resolved family id */
	uint8_t version;		/* version put in requests */
	struct znl_group groups[ZNL_MAX_GROUPS];
	unsigned int n_groups;
	char *rxbuf;			/* ZNL_RXBUF_LEN bytes */
};

/*
 * Opens a generic netlink socket with extended and capped acks and
 * resolves the family (and its multicast groups) by name. On failure
 * fills e and returns -1; ENOENT means the family is not registered.
 */
int znl_open(struct znl *nl, const char *family, uint8_t version,
	     struct znl_err *e);
void znl_close(struct znl *nl);
int znl_fd(const struct znl *nl);

/*
 * Starts a request in buf (ZNL_BUF_LEN bytes unless the caller knows
 * better): nlmsghdr with NLM_F_REQUEST | NLM_F_ACK | flags,
 * a fresh sequence number, and the genlmsghdr.
 */
struct nlmsghdr *znl_msg(struct znl *nl, void *buf, uint8_t cmd,
			 uint16_t flags);
/* Same, for another family id (used to talk to nlctrl). */
struct nlmsghdr *znl_msg_family(struct znl *nl, void *buf, uint16_t family,
				uint8_t cmd, uint8_t version, uint16_t flags);

/*
 * Sends req and runs cb on each reply message until the ack, NLMSG_DONE
 * or an error. A callback returning MNL_CB_ERROR makes the call fail with
 * its errno (EBADMSG if none) once the replies are drained. Returns 0 or
 * -1 with e filled (e->err, extack message, offset, missing type).
 */
int znl_talk(struct znl *nl, const struct nlmsghdr *req, mnl_cb_t cb,
	     void *data, struct znl_err *e);

/*
 * The receive side of znl_talk, without the socket: processes one received
 * datagram (n bytes) of replies to the request with sequence number seq,
 * running cb on each reply message as znl_talk does (*cb_err, 0 at the
 * start of a request, keeps the first callback error across datagrams).
 * Returns 1 when the datagram ended the request (ack, NLMSG_DONE) with
 * success, 0 when more datagrams are to come, -1 with e filled on error.
 * Pure function, exposed for tests and fuzzing.
 */
int znl_talk_datagram(const void *buf, size_t n, uint32_t seq,
		      uint32_t portid, mnl_cb_t cb, void *data, int *cb_err,
		      struct znl_err *e);

/* Multicast group id by name, or 0. */
uint32_t znl_group_id(const struct znl *nl, const char *name);
/* Joins a multicast group by name. -1 with e filled on failure. */
int znl_join(struct znl *nl, const char *group, struct znl_err *e);
/*
 * Waits for and processes one datagram of unsolicited messages (events)
 * with cb. -1 with e filled on error (ENOBUFS: messages were lost).
 */
int znl_recv(struct znl *nl, mnl_cb_t cb, void *data, struct znl_err *e);

/*
 * The dispatch step of znl_recv, without the socket: cb on each message of
 * the family in one received datagram (n bytes). 0, or -1 with e filled
 * when cb failed. Pure function, exposed for tests and fuzzing.
 */
int znl_recv_datagram(const void *buf, size_t n, uint16_t family,
		      mnl_cb_t cb, void *data, struct znl_err *e);

/*
 * Fills e from an NLMSG_ERROR or NLMSG_DONE message (error code and
 * extack TLVs). Returns the error code (<= 0) found in the message.
 * Pure function, exposed for tests.
 */
int znl_parse_error(const struct nlmsghdr *nlh, struct znl_err *e);
/* Fills family id and groups from a CTRL_CMD_NEWFAMILY message. */
int znl_parse_family(const struct nlmsghdr *nlh, struct znl *nl);

/* e->msg if any, else strerror(e->err). */
const char *znl_strerror(const struct znl_err *e);

#endif /* ZEQ_NL_H */
