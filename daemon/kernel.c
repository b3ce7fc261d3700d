// SPDX-License-Identifier: MIT
/*
 * kernel.c - zeqd's requests to the zeq device (kernel.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kernel.h"
#include "zeq_query.h"

/**
 * struct zkern - the netlink socket
 * @nl: the "zeq" family's socket
 * @open: @nl is open
 * @ev: the events group's socket
 * @ev_open: @ev is open
 */
struct zkern {
	struct znl nl;
	bool open;
	struct znl ev;
	bool ev_open;
};

struct zkern *zkern_new(void)
{
	return calloc(1, sizeof(struct zkern));
}

static void zkern_reset(struct zkern *k)
{
	if (k->open)
		znl_close(&k->nl);
	k->open = false;
}

void zkern_free(struct zkern *k)
{
	if (!k)
		return;
	zkern_reset(k);
	if (k->ev_open)
		znl_close(&k->ev);
	free(k);
}

/* e as -errno, with its message in err; a socket error reopens next time */
static int nl_fail(struct zkern *k, const struct znl_err *e, const char *what,
		   char *err, size_t errlen)
{
	int ret = e->err ? -e->err : -EIO;

	snprintf(err, errlen, "%s: %s", what, znl_strerror(e));
	if (e->err != EINVAL && e->err != EEXIST && e->err != ENOENT &&
	    e->err != ENODEV && e->err != EKEYREJECTED && e->err != ENOSPC)
		zkern_reset(k);
	return ret;
}

static int kopen(struct zkern *k, char *err, size_t errlen)
{
	struct znl_err e = { 0 };

	if (k->open)
		return 0;
	if (zeq_nl_open(&k->nl, &e) < 0) {
		snprintf(err, errlen, "netlink family " ZEQ_GENL_NAME ": %s%s",
			 znl_strerror(&e), e.err == ENOENT ?
			 " (is the zeq module loaded?)" : "");
		return e.err ? -e.err : -EIO;
	}
	k->open = true;
	return 0;
}

int zkern_dev(struct zkern *k, const char *dev, uint16_t *port,
	      uint8_t *digest, char *err, size_t errlen)
{
	struct zeq_device d = { 0 };
	struct znl_err e = { 0 };
	int ret = kopen(k, err, errlen);

	if (ret)
		return ret;
	if (zeq_dev_get(&k->nl, dev, &d, &e) < 0) {
		if (e.err == ENODEV || e.err == ENOENT) {
			snprintf(err, errlen, "device %s: no such zeq device",
				 dev);
			return -ENODEV;
		}
		return nl_fail(k, &e, dev, err, errlen);
	}
	if (!ZEQ_HAS(&d.obfs, ZEQ_A_OBFS_DIGEST)) {
		snprintf(err, errlen, "device %s: no obfuscation digest", dev);
		return -EIO;
	}
	*port = d.listen_port;
	memcpy(digest, d.obfs.digest, ZEQ_OBFS_DIGEST_LEN);
	return 0;
}

/* send one request built in buf; 0 or -errno */
static int talk(struct zkern *k, struct nlmsghdr *nlh, const char *what,
		char *err, size_t errlen)
{
	struct znl_err e = { 0 };

	if (znl_talk(&k->nl, nlh, NULL, NULL, &e) < 0)
		return nl_fail(k, &e, what, err, errlen);
	return 0;
}

static int peer_cmd(struct zkern *k, uint8_t cmd, const char *dev,
		    struct zeq_peer *p, char *err, size_t errlen)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh = znl_msg(&k->nl, buf, cmd, 0);

	if (!zeq_put_dev_sel(nlh, sizeof(buf), 0, dev) ||
	    !zeq_put_peer(nlh, sizeof(buf), p)) {
		snprintf(err, errlen, "peer %u: request too large", p->id);
		return -EMSGSIZE;
	}
	return talk(k, nlh, cmd == ZEQ_CMD_PEER_NEW ? "new peer" : "set peer",
		    err, errlen);
}

static int peer_one_cb(const struct nlmsghdr *nlh, void *data)
{
	return zeq_parse_peer(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * Peer id as the kernel has it into *p (zeq_peer_free after): 1, or 0 if
 * there is no such peer, or -errno.
 */
static int peer_get(struct zkern *k, const char *dev, uint32_t id,
		    struct zeq_peer *p, char *err, size_t errlen)
{
	struct znl_err e = { 0 };
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	int ret = kopen(k, err, errlen);

	if (ret)
		return ret;
	nlh = znl_msg(&k->nl, buf, ZEQ_CMD_PEER_GET, 0);
	*p = (struct zeq_peer){ .id = id };
	ZEQ_MARK(p, ZEQ_A_PEER_ID);
	if (!zeq_put_dev_sel(nlh, sizeof(buf), 0, dev) ||
	    !zeq_put_peer(nlh, sizeof(buf), p))
		return -EMSGSIZE;
	*p = (struct zeq_peer){ 0 };
	if (znl_talk(&k->nl, nlh, peer_one_cb, p, &e) < 0) {
		zeq_peer_free(p);
		if (e.err == ENOENT)
			return 0;
		return nl_fail(k, &e, "read peer", err, errlen);
	}
	return 1;
}

/* the n prefixes of a are those p has (in any order) */
static bool same_aips(const struct zeq_peer *p, const struct zeq_prefix *a,
		      unsigned int n)
{
	if (p->n_aips != n)
		return false;
	for (unsigned int i = 0; i < n; i++) {
		bool found = false;

		for (size_t j = 0; j < p->n_aips && !found; j++)
			found = p->aips[j].cidr == a[i].cidr &&
				p->aips[j].addr.family == a[i].addr.family &&
				!memcmp(p->aips[j].addr.bytes, a[i].addr.bytes,
					a[i].addr.family == AF_INET ? 4 : 16);
		if (!found)
			return false;
	}
	return true;
}

int zkern_peer(struct zkern *k, const char *dev, uint32_t id,
	       const struct zeq_endpoint *ep, const struct zeq_prefix *aips,
	       unsigned int n, char *err, size_t errlen)
{
	struct zeq_peer p = { .id = id }, cur;
	bool same;
	int ret = peer_get(k, dev, id, &cur, err, errlen);

	if (ret < 0)
		return ret;
	/*
	 * Allowed IPs are replaced only when they differ: a replacement
	 * removes them all before adding them back, and a packet from the
	 * peer in between fails the source check.
	 */
	same = ret == 1 && same_aips(&cur, aips, n);
	if (ret == 1)
		zeq_peer_free(&cur);
	p.aips = (struct zeq_prefix *)aips;
	p.n_aips = n;
	ZEQ_MARK(&p, ZEQ_A_PEER_ID);
	if (n && !same)
		ZEQ_MARK(&p, ZEQ_A_PEER_ALLOWED_IP);
	if (ep->addr.family) {
		p.endpoint = *ep;
		ZEQ_MARK(&p, ep->addr.family == AF_INET ?
			 ZEQ_A_PEER_ENDPOINT_IPV4 : ZEQ_A_PEER_ENDPOINT_IPV6);
		ZEQ_MARK(&p, ZEQ_A_PEER_ENDPOINT_PORT);
	}
	if (!ret)
		return peer_cmd(k, ZEQ_CMD_PEER_NEW, dev, &p, err, errlen);
	if (!same)
		ZEQ_MARK(&p, ZEQ_A_PEER_REPLACE_ALLOWED_IPS);
	return peer_cmd(k, ZEQ_CMD_PEER_SET, dev, &p, err, errlen);
}

/* a KEY_* request on the peer in kc, with what kc marks besides */
static int key_cmd(struct zkern *k, uint8_t cmd, const char *dev,
		   struct zeq_keyconf *kc, const char *what, char *err,
		   size_t errlen)
{
	char buf[ZNL_BUF_LEN];
	struct nlmsghdr *nlh;
	int ret = kopen(k, err, errlen);

	if (ret)
		return ret;
	nlh = znl_msg(&k->nl, buf, cmd, 0);
	ZEQ_MARK(kc, ZEQ_A_KEYCONF_PEER_ID);
	if (!zeq_put_dev_sel(nlh, sizeof(buf), 0, dev) ||
	    !zeq_put_keyconf(nlh, sizeof(buf), ZEQ_A_KEYCONF, kc))
		ret = -EMSGSIZE;
	else
		ret = talk(k, nlh, what, err, errlen);
	/* the message held key bytes */
	OPENSSL_cleanse(buf, sizeof(buf));
	return ret;
}

/*
 * The key staged in peer id's next slot has received packets: the peer
 * sends under it (it swapped). 1 yes, 0 no, or -errno.
 */
static int next_in_use(struct zkern *k, const char *dev, uint32_t id,
		       char *err, size_t errlen)
{
	struct zeq_peer p;
	int ret = peer_get(k, dev, id, &p, err, errlen);

	if (ret <= 0)
		return ret ? ret : -ENOENT;
	ret = 0;
	for (unsigned int i = 0; i < p.n_keys; i++)
		if (p.keys[i].slot == ZEQ_KEY_SLOT_NEXT &&
		    p.keys[i].rx_packets)
			ret = 1;
	zeq_peer_free(&p);
	return ret;
}

int zkern_key_stage(struct zkern *k, const char *dev, uint32_t id,
		    uint32_t key_id, uint32_t remote_key_id,
		    const struct zeq_dir_keys *tx,
		    const struct zeq_dir_keys *rx, char *err, size_t errlen)
{
	struct zeq_keyconf kc = {
		.peer_id = id, .slot = ZEQ_KEY_SLOT_NEXT, .key_id = key_id,
		.remote_key_id = remote_key_id,
	};
	int ret;

	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_SLOT);
	memcpy(kc.tx_key, tx->key, ZEQ_KEY_LEN);
	memcpy(kc.tx_salt, tx->salt, ZEQ_SALT_LEN);
	memcpy(kc.rx_key, rx->key, ZEQ_KEY_LEN);
	memcpy(kc.rx_salt, rx->salt, ZEQ_SALT_LEN);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_KEY_ID);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_REMOTE_KEY_ID);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_TX_KEY);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_TX_SALT);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_RX_KEY);
	ZEQ_MARK(&kc, ZEQ_A_KEYCONF_RX_SALT);
	ret = key_cmd(k, ZEQ_CMD_KEY_NEW, dev, &kc, "install key", err, errlen);
	if (ret == -EEXIST) {
		/*
		 * A key staged by an earlier session (or daemon) goes first:
		 * swapped in if the peer already sends under it (deleting it
		 * would drop those packets until our new key is in force),
		 * else deleted. A second EEXIST is the key id, in use on the
		 * device.
		 */
		struct zeq_keyconf del = { .peer_id = id,
					   .slot = ZEQ_KEY_SLOT_NEXT };

		ret = next_in_use(k, dev, id, err, errlen);
		if (ret == 1) {
			ret = zkern_key_swap(k, dev, id, err, errlen);
		} else if (!ret) {
			ZEQ_MARK(&del, ZEQ_A_KEYCONF_SLOT);
			ret = key_cmd(k, ZEQ_CMD_KEY_DEL, dev, &del,
				      "delete staged key", err, errlen);
		}
		if (!ret || ret == -ENOENT)
			ret = key_cmd(k, ZEQ_CMD_KEY_NEW, dev, &kc, "install key",
				      err, errlen);
	}
	OPENSSL_cleanse(&kc, sizeof(kc));
	return ret;
}

int zkern_key_swap(struct zkern *k, const char *dev, uint32_t id, char *err,
		   size_t errlen)
{
	struct zeq_keyconf kc = { .peer_id = id };
	int ret = key_cmd(k, ZEQ_CMD_KEY_SWAP, dev, &kc, "swap keys", err,
			  errlen);

	return ret == -ENOENT ? 0 : ret;
}

int zkern_events_open(struct zkern *k, char *err, size_t errlen)
{
	struct znl_err e = { 0 };

	if (k->ev_open)
		return znl_fd(&k->ev);
	if (zeq_nl_open(&k->ev, &e) < 0) {
		snprintf(err, errlen, "netlink family " ZEQ_GENL_NAME ": %s",
			 znl_strerror(&e));
		return e.err ? -e.err : -EIO;
	}
	if (znl_join(&k->ev, ZEQ_MCGRP_EVENTS, &e) < 0) {
		snprintf(err, errlen, "events group: %s", znl_strerror(&e));
		znl_close(&k->ev);
		return e.err ? -e.err : -EIO;
	}
	k->ev_open = true;
	return znl_fd(&k->ev);
}

/**
 * struct event_call - zkern_events_read's callback and its argument
 * @cb: the callback
 * @arg: its argument
 */
struct event_call {
	zkern_event_cb cb;
	void *arg;
};

static int event_msg(const struct nlmsghdr *nlh, void *data)
{
	struct event_call *c = data;
	struct zeq_event ev = { 0 };

	/* a malformed event is skipped, not fatal */
	if (!zeq_parse_event(nlh, &ev))
		c->cb(&ev, c->arg);
	return MNL_CB_OK;
}

int zkern_events_read(struct zkern *k, zkern_event_cb cb, void *arg)
{
	struct event_call c = { cb, arg };
	struct znl_err e = { 0 };

	if (!k->ev_open)
		return -EBADF;
	if (znl_recv(&k->ev, event_msg, &c, &e) < 0)
		return e.err ? -e.err : -EIO;
	return 0;
}
