/* SPDX-License-Identifier: MIT */
/*
 * zeq_query.h - read devices and peers from the kernel into plain structs
 * (DEV_GET do/dump, PEER_GET dump with continued peers merged).
 */
#ifndef ZEQ_QUERY_H
#define ZEQ_QUERY_H

#include "nl.h"
#include "zeq_attrs.h"

struct zeq_dev_info {
	struct zeq_device dev;
	struct zeq_peer *peers;
	size_t n_peers;
};

/* Opens the "zeq" family. */
int zeq_nl_open(struct znl *nl, struct znl_err *e);

/* One device by name. */
int zeq_dev_get(struct znl *nl, const char *ifname, struct zeq_device *d,
		struct znl_err *e);
/* Every zeq device of the netns; *devs is malloc'd. */
int zeq_dev_dump(struct znl *nl, struct zeq_device **devs, size_t *n,
		 struct znl_err *e);
/* Every peer of a device (by name, or ifindex if name is ""). */
int zeq_peer_dump(struct znl *nl, const struct zeq_device *d,
		  struct zeq_peer **peers, size_t *n, struct znl_err *e);
/*
 * Devices with their peers: one (ifname) or all (ifname NULL; devices
 * that vanish between the two dumps are left out).
 */
int zeq_collect(struct znl *nl, const char *ifname,
		struct zeq_dev_info **info, size_t *n, struct znl_err *e);
/*
 * Adds the peer in one PEER_GET reply to a malloc'd array, merging it into
 * the last element when it continues that peer (same ZEQ_A_PEER_ID).
 */
int zeq_peer_list_add(struct zeq_peer **peers, size_t *n,
		      const struct nlmsghdr *nlh);
void zeq_peers_free(struct zeq_peer *peers, size_t n);

/*
 * The reply callbacks of the queries (mnl_cb_t), for znl_talk_datagram
 * in tests: DEV_GET do into a struct zeq_device, DEV_GET dump appended to
 * a struct zeq_dev_list, PEER_GET dump to a struct zeq_peer_list.
 */
struct zeq_dev_list {
	struct zeq_device *devs;	/* malloc'd */
	size_t n;
};

struct zeq_peer_list {
	struct zeq_peer *peers;		/* malloc'd; zeq_peers_free */
	size_t n;
};

int zeq_dev_one_cb(const struct nlmsghdr *nlh, void *data);
int zeq_dev_list_cb(const struct nlmsghdr *nlh, void *data);
int zeq_peer_list_cb(const struct nlmsghdr *nlh, void *data);
void zeq_collect_free(struct zeq_dev_info *info, size_t n);

#endif /* ZEQ_QUERY_H */
