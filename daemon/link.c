// SPDX-License-Identifier: MIT
/*
 * link.c - an authenticated control channel to one peer (link.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "channel.h"
#include "link.h"
#include "log.h"
#include "session.h"
#include "tlsio.h"

/* what is sent, at most, beyond a handshake message */
#define OUT_MAX		4096
/* key id bases are below this, so base + epoch never wraps to 0 */
#define KEY_ID_BASE_MAX	0x7fffffffU

enum link_state { L_HANDSHAKE, L_PARAMS, L_RUNNING };

/**
 * struct zlink - one link
 * @env: shared context
 * @next: next in env's list
 * @prev: previous in env's list
 * @fd: the TCP socket
 * @ssl: its TLS
 * @remote: the other side's address
 * @name: it as text, for the log
 * @state: enum link_state
 * @initiator: this side called
 * @peer: the peer table's entry (NULL until the responder knows it)
 * @lp: the peer as the link needs it
 * @obfs: our obfuscation digest for the initiator's session
 * @ex: the channel's TLS exporter, for the handshake
 * @s: the handshake (erased when done)
 * @keys: the newest epoch derived (staged, or in force)
 * @staged: its epoch is staged in the kernel
 * @their_ready: the newest epoch the other side staged, -1 none
 * @epoch: the epoch in force, -1 none
 * @due: the ratchet period ran out (or the key is near its limit); swap
 *	when both have staged
 * @half: the ratchet timer is at the half period (staging), not its end
 * @base: our key id base
 * @their_port: the other's UDP port
 * @their_base: its key id base
 * @in: the frame being received
 * @in_len: its bytes so far
 * @out: bytes to send
 * @out_len: their number
 * @timer: handshake deadline, then heartbeat
 * @ratchet: the ratchet period's timer (NULL while none runs)
 * @last_rx: when a message last came, zloop_now_ms
 */
struct zlink {
	struct zlink_env *env;
	struct zlink *next, *prev;
	int fd;
	SSL *ssl;
	struct sockaddr_storage remote;
	char name[INET6_ADDRSTRLEN + 8];
	enum link_state state;
	bool initiator;
	struct zpeer *peer;
	struct zlink_peer lp;
	uint8_t obfs[ZEQ_HS_HASH_LEN];
	uint8_t ex[ZEQ_CHAN_EXPORTER_LEN];
	struct zeq_session s;
	struct zeq_session_keys keys;
	bool staged;
	int64_t their_ready;
	int64_t epoch;
	bool due;
	bool half;
	uint32_t base;
	uint16_t their_port;
	uint32_t their_base;
	uint8_t in[2 + ZEQ_SESSION_FRAME_MAX];
	size_t in_len;
	uint8_t out[OUT_MAX];
	size_t out_len;
	struct zloop_timer *timer;
	struct zloop_timer *ratchet;
	uint64_t last_rx;
};

static void put_be(uint8_t *p, uint64_t v, int n);

int64_t zlink_epoch(const struct zlink *lk)
{
	return lk->epoch;
}

int zlink_state(const struct zlink *lk, uint8_t *out)
{
	/* between the half period and the swap, keys hold the staged epoch */
	if (lk->epoch < 0 || (int64_t)lk->keys.epoch != lk->epoch)
		return -1;
	put_be(out, lk->keys.epoch, 8);
	memcpy(out + 8, lk->keys.chain, ZEQ_KDF_LEN);
	return 0;
}

bool zlink_initiator(const struct zlink *lk)
{
	return lk->initiator;
}

void zlink_set_peer(struct zlink *lk, struct zpeer *p,
		    const struct zlink_peer *lp)
{
	lk->peer = p;
	lk->lp = *lp;
}

void zlink_free(struct zlink *lk)
{
	if (!lk)
		return;
	if (lk->prev)
		lk->prev->next = lk->next;
	else
		lk->env->links = lk->next;
	if (lk->next)
		lk->next->prev = lk->prev;
	zloop_timer_del(lk->env->loop, lk->timer);
	zloop_timer_del(lk->env->loop, lk->ratchet);
	zloop_del_fd(lk->env->loop, lk->fd);
	SSL_free(lk->ssl);
	close(lk->fd);
	zeq_session_clear(&lk->s);
	OPENSSL_cleanse(lk, sizeof(*lk));
	free(lk);
}

void zlink_free_all(struct zlink_env *env)
{
	while (env->links)
		zlink_free(env->links);
}

void zlink_close(struct zlink *lk, const char *why)
{
	struct zlink_env *env = lk->env;
	struct zpeer *p = lk->peer;

	log_info("link %s%s%s: closed: %s", lk->name, p ? " peer " : "",
		 p ? lk->lp.name : "", why);
	if (p)
		env->closed(env->arg, lk, p, why);
	zlink_free(lk);
}

/* write what waits; 0, or -1 when the connection failed */
static int flush(struct zlink *lk)
{
	uint32_t ev = EPOLLIN;
	int k;

	while (lk->out_len) {
		ERR_clear_error();
		k = SSL_write(lk->ssl, lk->out, (int)lk->out_len);
		if (k <= 0) {
			ev = tls_wait_events(lk->ssl, k);
			if (!ev)
				return -1;
			ev |= EPOLLIN;
			break;
		}
		memmove(lk->out, lk->out + k, lk->out_len - (size_t)k);
		lk->out_len -= (size_t)k;
	}
	zloop_mod_fd(lk->env->loop, lk->fd, ev);
	return 0;
}

/* queue bytes (a frame, or a session's output); -1 if they do not fit */
static int queue(struct zlink *lk, const uint8_t *b, size_t n)
{
	if (n > sizeof(lk->out) - lk->out_len)
		return -1;
	memcpy(lk->out + lk->out_len, b, n);
	lk->out_len += n;
	return 0;
}

/* a message of n bytes as a frame */
static int send_msg(struct zlink *lk, const uint8_t *m, size_t n)
{
	uint8_t f[2 + ZEQ_LINK_PUSH_MAX];

	f[0] = (uint8_t)(n >> 8);
	f[1] = (uint8_t)n;
	memcpy(f + 2, m, n);
	return queue(lk, f, 2 + n);
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int send_ready(struct zlink *lk)
{
	uint8_t m[ZEQ_LINK_READY_LEN] = { ZEQ_LINK_READY };

	put_be(m + 1, lk->keys.epoch, 8);
	return send_msg(lk, m, sizeof(m));
}

/* our epoch's keys into the next slot, READY sent; 0 or -1 (closed) */
static int stage(struct zlink *lk)
{
	const struct zeq_dir_keys *tx = lk->initiator ? &lk->keys.i2r :
					&lk->keys.r2i;
	const struct zeq_dir_keys *rx = lk->initiator ? &lk->keys.r2i :
					&lk->keys.i2r;
	char err[256];

	if (zkern_key_stage(lk->env->kern, lk->lp.dev, lk->lp.id,
			    lk->base + (uint32_t)lk->keys.epoch,
			    lk->their_base + (uint32_t)lk->keys.epoch, tx, rx,
			    err, sizeof(err)) < 0) {
		log_err("peer %s: epoch %llu: %s", lk->lp.name,
			(unsigned long long)lk->keys.epoch, err);
		zlink_close(lk, "the kernel refused the key");
		return -1;
	}
	lk->staged = true;
	if (send_ready(lk) < 0) {
		zlink_close(lk, "output full");
		return -1;
	}
	return 0;
}

static void ratchet_timer(struct zloop *l, struct zloop_timer *t, void *arg);

/* derive the epoch after the one in force and stage it; 0 or -1 (closed) */
static int stage_next(struct zlink *lk)
{
	if (lk->staged || (int64_t)lk->keys.epoch != lk->epoch)
		return 0;
	if (zeq_kdf_ratchet(&lk->keys) < 0) {
		zlink_close(lk, "crypto failure");
		return -1;
	}
	return stage(lk);
}

/*
 * Swap the staged epoch in when both sides have it (and, after epoch 0,
 * the period ran out); the next is staged half a period later. 0 or -1
 * (closed).
 */
static int advance(struct zlink *lk)
{
	char err[256];

	/* their READY for the epoch after may come first: it implies ours */
	if (!lk->staged || lk->their_ready < (int64_t)lk->keys.epoch ||
	    (lk->epoch >= 0 && !lk->due))
		return 0;
	if (zkern_key_swap(lk->env->kern, lk->lp.dev, lk->lp.id, err,
			   sizeof(err)) < 0) {
		log_err("peer %s: %s", lk->lp.name, err);
		zlink_close(lk, "the kernel refused the swap");
		return -1;
	}
	lk->epoch = (int64_t)lk->keys.epoch;
	lk->due = false;
	lk->staged = false;
	if (lk->epoch == 0) {
		log_notice("peer %s: tunnel up on %s (peer id %u)", lk->lp.name,
			   lk->lp.dev, lk->lp.id);
	} else {
		log_debug("peer %s: epoch %lld in force", lk->lp.name,
			  (long long)lk->epoch);
	}
	lk->env->changed(lk->env->arg, lk->peer);
	zloop_timer_del(lk->env->loop, lk->ratchet);
	lk->half = true;
	lk->ratchet = zloop_timer_add(lk->env->loop, lk->env->ratchet_ms / 2,
				      ratchet_timer, lk);
	if (!lk->ratchet) {
		zlink_close(lk, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Half a period after a swap: stage the next epoch (so that a key waits in
 * the next slot, ageing, for half a period at most); at the end: swap.
 */
static void ratchet_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zlink *lk = arg;

	if (lk->half) {
		lk->half = false;
		zloop_timer_rearm(l, t, lk->env->ratchet_ms -
				  lk->env->ratchet_ms / 2);
		if (!stage_next(lk))
			flush(lk);
		return;
	}
	lk->ratchet = NULL;
	zloop_timer_del(l, t);
	lk->due = true;
	if (!advance(lk))
		flush(lk);
}

void zlink_key_near_limit(struct zlink *lk, uint32_t key_id)
{
	/* the key in force, or the one staged to follow it (aged waiting) */
	if (lk->epoch < 0 || lk->due ||
	    (key_id != lk->base + (uint32_t)lk->epoch &&
	     !(lk->staged && key_id == lk->base + (uint32_t)lk->keys.epoch)))
		return;
	log_notice("peer %s: key of epoch %lld near its limit: ratchet early",
		   lk->lp.name, (long long)lk->epoch);
	lk->due = true;
	if (!stage_next(lk) && !advance(lk))
		flush(lk);
}

/* the other side's PARAMS: install the peer, stage epoch 0 */
static int on_params(struct zlink *lk, const uint8_t *m, size_t n)
{
	struct zeq_endpoint ep = { 0 };
	char err[256];

	if (n != ZEQ_LINK_PARAMS_LEN || m[1] != ZEQ_LINK_VERSION) {
		zlink_close(lk, "malformed PARAMS");
		return -1;
	}
	lk->their_port = (uint16_t)get_be(m + 2, 2);
	lk->their_base = (uint32_t)get_be(m + 4, 4);
	if (!lk->their_port || !lk->their_base ||
	    lk->their_base > KEY_ID_BASE_MAX) {
		zlink_close(lk, "malformed PARAMS");
		return -1;
	}
	if (lk->remote.ss_family == AF_INET) {
		ep.addr.family = AF_INET;
		ep.addr.v4 = ((struct sockaddr_in *)&lk->remote)->sin_addr;
	} else {
		ep.addr.family = AF_INET6;
		ep.addr.v6 = ((struct sockaddr_in6 *)&lk->remote)->sin6_addr;
		/* a v4-mapped address: the v4 endpoint it is */
		if (IN6_IS_ADDR_V4MAPPED(&ep.addr.v6)) {
			ep.addr.family = AF_INET;
			memcpy(&ep.addr.v4, ep.addr.v6.s6_addr + 12, 4);
		}
	}
	ep.port = lk->their_port;
	if (zkern_peer(lk->env->kern, lk->lp.dev, lk->lp.id, &ep, lk->lp.aips,
		       lk->lp.naips, err, sizeof(err)) < 0) {
		log_err("peer %s: %s", lk->lp.name, err);
		zlink_close(lk, "the kernel refused the peer");
		return -1;
	}
	lk->state = L_RUNNING;
	return stage(lk);
}

/* our resolver, if we push one */
static int send_push(struct zlink *lk)
{
	const struct zeq_addr *a = &lk->env->resolver;
	uint8_t m[ZEQ_LINK_PUSH_MAX] = { ZEQ_LINK_PUSH };
	size_t n = a->family == AF_INET ? 4 : 16;

	if (!a->family)
		return 0;
	m[1] = a->family == AF_INET ? 4 : 6;
	memcpy(m + 2, a->bytes, n);
	if (send_msg(lk, m, 2 + n) < 0) {
		zlink_close(lk, "output full");
		return -1;
	}
	return 0;
}

/* the other side's PUSH: a resolver address */
static int on_push(struct zlink *lk, const uint8_t *m, size_t n)
{
	struct zeq_addr a = { 0 };

	if (n == 2 + 4 && m[1] == 4) {
		a.family = AF_INET;
	} else if (n == 2 + 16 && m[1] == 6) {
		a.family = AF_INET6;
	} else {
		zlink_close(lk, "malformed PUSH");
		return -1;
	}
	memcpy(a.bytes, m + 2, n - 2);
	lk->env->pushed(lk->env->arg, lk->peer, &a);
	return 0;
}

static int send_params(struct zlink *lk)
{
	uint8_t m[ZEQ_LINK_PARAMS_LEN] = { ZEQ_LINK_PARAMS, ZEQ_LINK_VERSION };

	if (!lk->lp.port) {
		log_err("peer %s: device %s has no listen port", lk->lp.name,
			lk->lp.dev);
		zlink_close(lk, "our device is not ready");
		return -1;
	}
	if (RAND_bytes((uint8_t *)&lk->base, sizeof(lk->base)) != 1) {
		zlink_close(lk, "no random bytes");
		return -1;
	}
	lk->base = lk->base % KEY_ID_BASE_MAX + 1;
	put_be(m + 2, lk->lp.port, 2);
	put_be(m + 4, lk->base, 4);
	if (send_msg(lk, m, sizeof(m)) < 0) {
		zlink_close(lk, "output full");
		return -1;
	}
	lk->state = L_PARAMS;
	return send_push(lk);
}

/* a whole frame of the handshake */
static int on_handshake(struct zlink *lk, const uint8_t *f, size_t n)
{
	uint8_t out[ZEQ_SESSION_OUT_MAX];
	size_t outlen = 0;
	int ret = zeq_session_input(&lk->s, f, n, out, &outlen);

	if (outlen && queue(lk, out, outlen) < 0)
		ret = -EIO;
	if (ret < 0) {
		log_warn("link %s%s%s: handshake failed: %s", lk->name,
			 lk->peer ? " peer " : "", lk->peer ? lk->lp.name : "",
			 lk->s.why ? lk->s.why : "output full");
		/* the RESP of a mismatch goes out before the close */
		flush(lk);
		zlink_close(lk, lk->s.why ? lk->s.why : "output full");
		return -1;
	}
	if (ret == 0)
		return 0;
	lk->keys = lk->s.keys;
	zeq_session_clear(&lk->s);
	OPENSSL_cleanse(lk->ex, sizeof(lk->ex));
	zloop_timer_rearm(lk->env->loop, lk->timer, ZEQ_LINK_HEARTBEAT_MS);
	log_info("link %s: handshake with peer %s done", lk->name, lk->lp.name);
	if (lk->env->up(lk->env->arg, lk, lk->peer)) {
		zlink_close(lk, "another link to the peer won");
		return -1;
	}
	return send_params(lk);
}

/* one whole frame (its 2-byte length included) */
static int on_frame(struct zlink *lk, const uint8_t *f, size_t n)
{
	const uint8_t *m = f + 2;

	lk->last_rx = zloop_now_ms();
	if (lk->state == L_HANDSHAKE)
		return on_handshake(lk, f, n);
	n -= 2;
	switch (m[0]) {
	case ZEQ_LINK_PARAMS:
		if (lk->state != L_PARAMS)
			break;
		return on_params(lk, m, n);
	case ZEQ_LINK_READY:
		if (lk->state != L_RUNNING || n != ZEQ_LINK_READY_LEN)
			break;
		lk->their_ready = (int64_t)get_be(m + 1, 8);
		/*
		 * They staged the epoch after ours (half a period, or a key
		 * near its limit): stage it too. Waiting for our own timer or
		 * near-limit event would leave their key ageing in force
		 * until then, up to a second past the kernel's event.
		 */
		if (lk->their_ready > lk->epoch && stage_next(lk) < 0)
			return -1;
		return advance(lk);
	case ZEQ_LINK_HEARTBEAT:
		if (n != ZEQ_LINK_HEARTBEAT_LEN)
			break;
		return 0;
	case ZEQ_LINK_PUSH:
		return on_push(lk, m, n);
	}
	zlink_close(lk, "unexpected or malformed message");
	return -1;
}

/* bytes received: whole frames out of them; 0 or -1 (closed) */
static int input(struct zlink *lk, const uint8_t *b, size_t n)
{
	while (n) {
		size_t want = lk->in_len < 2 ? 2 :
			      2 + ((size_t)lk->in[0] << 8 | lk->in[1]);
		size_t take = want - lk->in_len < n ? want - lk->in_len : n;

		memcpy(lk->in + lk->in_len, b, take);
		lk->in_len += take;
		b += take;
		n -= take;
		if (lk->in_len == 2) {
			want = 2 + ((size_t)lk->in[0] << 8 | lk->in[1]);
			if (want == 2 || want > sizeof(lk->in)) {
				zlink_close(lk, "frame of a wrong length");
				return -1;
			}
			continue;
		}
		if (lk->in_len < want)
			continue;
		lk->in_len = 0;
		if (on_frame(lk, lk->in, want) < 0)
			return -1;
	}
	return 0;
}

static void link_event(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct zlink *lk = arg;
	uint8_t buf[4096];
	uint32_t ev;
	int k;

	(void)l;
	(void)fd;
	(void)events;
	for (;;) {
		ERR_clear_error();
		k = SSL_read(lk->ssl, buf, sizeof(buf));
		if (k <= 0)
			break;
		if (input(lk, buf, (size_t)k) < 0)
			return;
	}
	ev = tls_wait_events(lk->ssl, k);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!ev) {
		zlink_close(lk, SSL_get_error(lk->ssl, k) ==
			    SSL_ERROR_ZERO_RETURN ? "the peer closed it" :
			    "connection lost");
		return;
	}
	if (flush(lk) < 0)
		zlink_close(lk, "connection lost");
}

/* handshake deadline, then the heartbeat */
static void link_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zlink *lk = arg;
	static const uint8_t hb[] = { ZEQ_LINK_HEARTBEAT };

	/* zlink_free deletes the timer (t) */
	if (lk->state == L_HANDSHAKE) {
		zlink_close(lk, "handshake not done in time");
		return;
	}
	if (zloop_now_ms() - lk->last_rx > ZEQ_LINK_DEAD_MS) {
		zlink_close(lk, "heartbeats missed");
		return;
	}
	zloop_timer_rearm(l, t, ZEQ_LINK_HEARTBEAT_MS);
	if (send_msg(lk, hb, sizeof(hb)) < 0 || flush(lk) < 0)
		zlink_close(lk, "connection lost");
}

/* the responder's lookup, through the env */
static int link_find(const uint8_t *zid, uint8_t *pub, uint8_t *obfs,
		     void *arg)
{
	struct zlink *lk = arg;

	return lk->env->find(lk->env->arg, lk, zid, pub, obfs);
}

struct zlink *zlink_new(struct zlink_env *env, int fd, SSL *ssl,
			const struct sockaddr_storage *remote, const char *name,
			struct zpeer *p, const struct zlink_peer *lp,
			const uint8_t *obfs, const uint8_t *leftover,
			size_t nleft)
{
	uint8_t out[ZEQ_SESSION_OUT_MAX];
	struct zeq_session_params sp = {
		.initiator = p != NULL, .identity = env->identity,
		.identity_pub = env->identity_pub, .find = link_find,
		.mesh = env->mesh, .mesh_len = env->mesh_len,
	};
	struct zlink *lk = calloc(1, sizeof(*lk));
	size_t outlen = 0;
	int ret;

	if (!lk) {
		SSL_free(ssl);
		close(fd);
		if (p)
			env->closed(env->arg, NULL, p, "out of memory");
		return NULL;
	}
	lk->env = env;
	lk->next = env->links;
	if (lk->next)
		lk->next->prev = lk;
	env->links = lk;
	lk->fd = fd;
	lk->ssl = ssl;
	lk->remote = *remote;
	snprintf(lk->name, sizeof(lk->name), "%s", name);
	lk->initiator = p != NULL;
	lk->peer = p;
	if (lp)
		lk->lp = *lp;
	lk->their_ready = -1;
	lk->epoch = -1;
	lk->last_rx = zloop_now_ms();
	if (obfs)
		memcpy(lk->obfs, obfs, sizeof(lk->obfs));
	sp.peer_pub = lk->lp.pub;
	sp.obfs = lk->obfs;
	sp.exporter = lk->ex;
	sp.find_arg = lk;
	lk->timer = zloop_timer_add(env->loop, ZEQ_LINK_HANDSHAKE_MS,
				    link_timer, lk);
	ret = SSL_export_keying_material(ssl, lk->ex, sizeof(lk->ex),
					 ZEQ_CHAN_EXPORTER_LABEL,
					 strlen(ZEQ_CHAN_EXPORTER_LABEL), NULL,
					 0, 0) == 1 ? 0 : -1;
	if (!ret)
		ret = zeq_session_start(&lk->s, &sp, out, &outlen);
	if (ret || !lk->timer ||
	    zloop_add_fd(env->loop, fd, EPOLLIN, link_event, lk) < 0 ||
	    queue(lk, out, outlen) < 0) {
		zlink_close(lk, "could not start the handshake");
		return NULL;
	}
	if (nleft && input(lk, leftover, nleft) < 0)
		return NULL;
	if (flush(lk) < 0) {
		zlink_close(lk, "connection lost");
		return NULL;
	}
	return lk;
}
