// SPDX-License-Identifier: MIT
/*
 * zeq_query.c - DEV_GET and PEER_GET into plain structs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zeq_query.h"

int zeq_nl_open(struct znl *nl, struct znl_err *e)
{
	return znl_open(nl, ZEQ_GENL_NAME, ZEQ_GENL_VERSION, e);
}

/* Grows a malloc'd array by one zeroed element; NULL on ENOMEM. */
static void *grow(void **arr, size_t *n, size_t size)
{
	char *p = realloc(*arr, (*n + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

int zeq_dev_one_cb(const struct nlmsghdr *nlh, void *data)
{
	return zeq_parse_dev(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int zeq_dev_get(struct znl *nl, const char *ifname, struct zeq_device *d,
		struct znl_err *e)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = znl_msg(nl, buf, ZEQ_CMD_DEV_GET, 0);

	memset(d, 0, sizeof(*d));
	zeq_put_dev_sel(nlh, sizeof(buf), 0, ifname);
	return znl_talk(nl, nlh, zeq_dev_one_cb, d, e);
}

int zeq_dev_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zeq_dev_list *l = data;
	struct zeq_device *d = grow((void **)&l->devs, &l->n, sizeof(*d));

	if (!d)
		return MNL_CB_ERROR;
	return zeq_parse_dev(nlh, d) ? MNL_CB_ERROR : MNL_CB_OK;
}

int zeq_dev_dump(struct znl *nl, struct zeq_device **devs, size_t *n,
		 struct znl_err *e)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = znl_msg(nl, buf, ZEQ_CMD_DEV_GET, NLM_F_DUMP);
	struct zeq_dev_list l = { NULL, 0 };

	if (znl_talk(nl, nlh, zeq_dev_list_cb, &l, e) < 0) {
		free(l.devs);
		return -1;
	}
	*devs = l.devs;
	*n = l.n;
	return 0;
}

int zeq_peer_list_add(struct zeq_peer **peers, size_t *n,
		      const struct nlmsghdr *nlh)
{
	uint32_t id = zeq_msg_peer_id(nlh);
	struct zeq_peer *p;

	/* A peer with many allowed IPs continues in the next message. */
	if (*n && id && (*peers)[*n - 1].id == id)
		p = &(*peers)[*n - 1];
	else if (!(p = grow((void **)peers, n, sizeof(*p))))
		return -1;
	return zeq_parse_peer(nlh, p);
}

int zeq_peer_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zeq_peer_list *l = data;

	return zeq_peer_list_add(&l->peers, &l->n, nlh) ? MNL_CB_ERROR
							: MNL_CB_OK;
}

int zeq_peer_dump(struct znl *nl, const struct zeq_device *d,
		  struct zeq_peer **peers, size_t *n, struct znl_err *e)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = znl_msg(nl, buf, ZEQ_CMD_PEER_GET, NLM_F_DUMP);
	struct zeq_peer_list l = { NULL, 0 };

	if (d->ifname[0])
		zeq_put_dev_sel(nlh, sizeof(buf), 0, d->ifname);
	else
		zeq_put_dev_sel(nlh, sizeof(buf), d->ifindex, NULL);
	if (znl_talk(nl, nlh, zeq_peer_list_cb, &l, e) < 0) {
		zeq_peers_free(l.peers, l.n);
		return -1;
	}
	*peers = l.peers;
	*n = l.n;
	return 0;
}

void zeq_peers_free(struct zeq_peer *peers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zeq_peer_free(&peers[i]);
	free(peers);
}

void zeq_collect_free(struct zeq_dev_info *info, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zeq_peers_free(info[i].peers, info[i].n_peers);
	free(info);
}

int zeq_collect(struct znl *nl, const char *ifname,
		struct zeq_dev_info **info, size_t *n, struct znl_err *e)
{
	struct zeq_device *devs = NULL;
	struct zeq_dev_info *out;
	size_t n_devs = 0, n_out = 0;

	if (ifname) {
		devs = calloc(1, sizeof(*devs));
		if (!devs) {
			e->err = ENOMEM;
			return -1;
		}
		n_devs = 1;
		if (zeq_dev_get(nl, ifname, devs, e) < 0)
			goto fail;
		/* Address the peer dump the way the caller named the device. */
		if (!devs->ifname[0])
			snprintf(devs->ifname, sizeof(devs->ifname), "%s", ifname);
	} else if (zeq_dev_dump(nl, &devs, &n_devs, e) < 0) {
		return -1;
	}

	out = calloc(n_devs ? n_devs : 1, sizeof(*out));
	if (!out) {
		e->err = ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < n_devs; i++) {
		struct zeq_dev_info *di = &out[n_out];

		di->dev = devs[i];
		if (zeq_peer_dump(nl, &di->dev, &di->peers, &di->n_peers, e)) {
			if (!ifname && e->err == ENODEV)
				continue;	/* removed meanwhile */
			zeq_collect_free(out, n_out);
			goto fail;
		}
		n_out++;
	}
	free(devs);
	memset(e, 0, sizeof(*e));
	*info = out;
	*n = n_out;
	return 0;
fail:
	free(devs);
	return -1;
}
