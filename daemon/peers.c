// SPDX-License-Identifier: MIT
/*
 * peers.c - the configured peers at run time (peers.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "dial.h"
#include "kem.h"
#include "kernel.h"
#include "link.h"
#include "log.h"
#include "peers.h"
#include "resolve.h"
#include "sni.h"
#include "status.h"
#include "tunnels.h"

/**
 * struct zpeer - one configured peer
 * @ps: its table
 * @conf: its section of the config
 * @lp: it as a link needs it
 * @zid: its node id
 * @zid_hex: the same as text (the store's and the status file's)
 * @link: the link in force (handshake done), NULL if none
 * @calling: our call's link while it handshakes
 * @dial: our call before the upgrade
 * @retry: the next call
 * @refresh: the timer of the fresh handshake on a link we called
 * @refreshing: that call is under way (the link in force stays meanwhile)
 * @backoff_ms: the wait before the call after next
 * @to: the address called
 * @obfs: our device's obfuscation digest, for our call's handshake
 * @why: why there is no tunnel ("" while there is one, or none was tried)
 * @resolver: the resolver address the peer pushed ("" none)
 * @state: the state last published
 * @since: when it began
 */
struct zpeer {
	struct zpeers *ps;
	const struct zeqd_peer_conf *conf;
	struct zlink_peer lp;
	uint8_t zid[ZEQ_ZID_LEN];
	char zid_hex[ZEQ_ZID_HEX_LEN + 1];
	struct zlink *link;
	struct zlink *calling;
	struct zresolve *lookup;
	struct zdial *dial;
	struct zloop_timer *retry;
	struct zloop_timer *refresh;
	bool refreshing;
	uint64_t backoff_ms;
	struct sockaddr_storage to;
	uint8_t obfs[ZEQ_OBFS_DIGEST_LEN];
	char why[384];
	char resolver[INET6_ADDRSTRLEN];
	const char *state;
	int64_t since;
};

/**
 * struct zpeers - the table
 * @env: what the links share
 * @store: the store (vpn_tunnels rows, sessions in zsc_secrets)
 * @conf: the config
 * @id: our node id and key
 * @zid: our node id as bytes
 * @ctx: TLS client context for calls
 * @sni_day: the moment of the last daily evaluation of the server name
 * @sni_timer: the next evaluation
 * @ev_fd: the kernel's events socket, watched (-1 none)
 * @start: the first calls' timer
 * @kem: OpenSSL offers ML-KEM-768 (kem.c)
 * @status_failed: writing the status file failed (logged once)
 * @n: peers
 * @p: them
 */
struct zpeers {
	struct zlink_env env;
	struct zstore *store;
	const struct zeqd_config *conf;
	struct zeq_identity id;
	uint8_t zid[ZEQ_ZID_LEN];
	SSL_CTX *ctx;
	time_t sni_day;
	struct zloop_timer *sni_timer;
	struct zloop_timer *start;
	int ev_fd;
	bool kem;
	bool status_failed;
	unsigned int n;
	struct zpeer p[ZEQD_PEERS_MAX];
};

static void call(struct zpeer *p);

static const char *state_of(const struct zpeer *p)
{
	if (p->link)
		return zlink_epoch(p->link) >= 0 ? "up" : "keying";
	return p->lookup || p->dial || p->calling ? "calling" : "down";
}

/* the status file, after any change */
static void publish(struct zpeers *ps)
{
	struct zstatus_peer sp[ZEQD_PEERS_MAX];
	char err[PATH_MAX + 64];

	for (unsigned int i = 0; i < ps->n; i++) {
		struct zpeer *p = &ps->p[i];
		const char *st = state_of(p);

		if (!p->state || strcmp(st, p->state)) {
			p->state = st;
			p->since = (int64_t)time(NULL);
		}
		sp[i] = (struct zstatus_peer){
			.name = p->conf->name, .device = p->conf->device,
			.peer_id = p->conf->peer_id, .zid = p->zid_hex,
			.state = st, .why = p->link ? "" : p->why,
			.since = p->since,
			.epoch = p->link ? zlink_epoch(p->link) : -1,
			.link = !p->link ? NULL : zlink_initiator(p->link) ?
				"called" : "answered",
			.resolver = p->resolver[0] ? p->resolver : NULL,
		};
	}
	if (zstatus_write(ps->conf->status_file, ps->id.zid, ps->kem, sp,
			  ps->n, err, sizeof(err)) < 0 && !ps->status_failed) {
		log_warn("%s (zeqctl show will not say why a tunnel is down)",
			 err);
		ps->status_failed = true;
	}
}

static void retry_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zpeer *p = arg;

	zloop_timer_del(l, t);
	p->retry = NULL;
	call(p);
}

/* no tunnel, why; call again after the backoff if we call this peer */
static void no_tunnel(struct zpeer *p, const char *why)
{
	snprintf(p->why, sizeof(p->why), "%s", why);
	publish(p->ps);
	if (!p->conf->endpoint[0] || p->retry || p->lookup || p->dial ||
	    p->calling || p->link)
		return;
	log_info("peer %s: calling again in %llu ms", p->conf->name,
		 (unsigned long long)p->backoff_ms);
	p->retry = zloop_timer_add(p->ps->env.loop, p->backoff_ms, retry_timer,
				   p);
	p->backoff_ms = p->backoff_ms * 2 > ZEQ_PEERS_BACKOFF_MAX_MS ?
			ZEQ_PEERS_BACKOFF_MAX_MS : p->backoff_ms * 2;
}

/* the server name for a call now: the day's, or none without a pool */
static const char *sni_now(struct zpeers *ps)
{
	int i;

	if (!ps->conf->sni_count)
		return "";
	i = zeq_sni_index(ps->id.zid, ps->sni_day, ps->conf->sni_count);
	return i < 0 ? "" : ps->conf->sni_pool[i];
}

/* no call: why; a fresh handshake's call is tried again next time */
static void call_failed(struct zpeer *p, const char *why)
{
	if (p->link) {	/* a fresh handshake's call: next time */
		log_warn("peer %s: call for a fresh handshake: %s",
			 p->conf->name, why);
		p->refreshing = false;
		return;
	}
	log_warn("peer %s: %s", p->conf->name, why);
	no_tunnel(p, why);
}

static void dial_done(void *arg, int fd, SSL *ssl, const uint8_t *left,
		      size_t nleft, const char *why)
{
	struct zpeer *p = arg;
	char name[ZEQ_SNI_NAME_MAX + 16], msg[640];

	p->dial = NULL;
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "call to %s: %s", p->conf->endpoint,
			 why);
		call_failed(p, msg);
		return;
	}
	snprintf(name, sizeof(name), "%s", p->conf->endpoint);
	p->calling = zlink_new(&p->ps->env, fd, ssl, &p->to, name, p, &p->lp,
			       p->obfs, left, nleft);
	publish(p->ps);
}

/*
 * the call itself, to p->to, with our device's port and obfuscation
 * digest read now (after a lookup that may have taken seconds)
 */
static void dial(struct zpeer *p)
{
	struct zpeers *ps = p->ps;
	char why[384];

	if (zkern_dev(ps->env.kern, p->conf->device, &p->lp.port, p->obfs, why,
		      sizeof(why)) < 0) {
		call_failed(p, why);
		return;
	}
	log_info("peer %s: calling %s", p->conf->name, p->conf->endpoint);
	p->dial = zdial_start(ps->env.loop, ps->ctx, &p->to, sni_now(ps),
			      ps->env.mesh, ps->env.mesh_len,
			      ZEQ_PEERS_DIAL_MS, dial_done, p);
	if (!p->dial)
		no_tunnel(p, "could not start a call");
	else
		publish(ps);
}

/* an endpoint given as a name, looked up */
static void resolved(void *arg, const struct sockaddr_storage *to,
		     const char *err)
{
	struct zpeer *p = arg;
	char why[384];

	p->lookup = NULL;
	if (p->link && !p->refreshing)	/* the peer called meanwhile */
		return;
	if (!to) {
		snprintf(why, sizeof(why), "endpoint %s: %s",
			 p->conf->endpoint, err);
		call_failed(p, why);
		return;
	}
	p->to = *to;
	dial(p);
}

static void call(struct zpeer *p)
{
	struct zpeers *ps = p->ps;
	char why[384];
	int ret;

	if ((p->link && !p->refreshing) || p->calling || p->lookup ||
	    p->dial || !p->conf->endpoint[0])
		return;
	/* a name is looked up off the loop; an address is used at once */
	ret = zresolve_start(ps->env.loop, p->conf->endpoint, &p->to,
			     &p->lookup, resolved, p, why, sizeof(why));
	if (ret < 0)
		call_failed(p, why);
	else if (ret == 0)
		dial(p);
	else
		publish(ps);
}

/* a link we called is old: a fresh handshake replaces it (peers.h) */
static void refresh_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zpeer *p = arg;

	zloop_timer_del(l, t);
	p->refresh = NULL;
	if (!p->link)
		return;
	log_info("peer %s: link %u s old: calling for a fresh handshake",
		 p->conf->name, p->ps->conf->rehandshake_interval);
	p->refreshing = true;
	call(p);
	if (!p->lookup && !p->dial)
		p->refreshing = false;
}

/* the responder learns who called */
static int link_find(void *arg, struct zlink *lk, const uint8_t *zid,
		     uint8_t *pub, uint8_t *obfs)
{
	struct zpeers *ps = arg;
	char err[256];

	for (unsigned int i = 0; i < ps->n; i++) {
		struct zpeer *p = &ps->p[i];

		if (CRYPTO_memcmp(p->zid, zid, sizeof(p->zid)))
			continue;
		if (zkern_dev(ps->env.kern, p->conf->device, &p->lp.port, obfs,
			      err, sizeof(err)) < 0) {
			log_warn("peer %s called: %s", p->conf->name, err);
			snprintf(p->why, sizeof(p->why), "%s", err);
			return -ENOENT;
		}
		memcpy(pub, p->conf->public_key, ZEQD_PEER_KEY_LEN);
		zlink_set_peer(lk, p, &p->lp);
		return 0;
	}
	return -ENOENT;
}

/* the node id that called lk: ours or the peer's */
static const uint8_t *caller(struct zpeers *ps, struct zlink *lk,
			     struct zpeer *p)
{
	return zlink_initiator(lk) ? ps->zid : p->zid;
}

/* a handshake is done: which link stays (peers.h) */
static int link_up(void *arg, struct zlink *lk, struct zpeer *p)
{
	struct zpeers *ps = arg;
	struct zlink *old = p->link;

	if (lk == p->calling)
		p->calling = NULL;
	if (old && old != lk) {
		const uint8_t *a = caller(ps, lk, p), *b = caller(ps, old, p);

		if (a != b && memcmp(a, b, ZEQ_ZID_LEN) > 0) {
			log_info("peer %s: keeping the link called by the "
				 "lower node id", p->conf->name);
			return -1;
		}
		p->link = NULL;
		zlink_close(old, "replaced by a newer link");
	}
	p->link = lk;
	p->why[0] = '\0';
	p->backoff_ms = ZEQ_PEERS_BACKOFF_MIN_MS;
	zloop_timer_del(ps->env.loop, p->retry);
	p->retry = NULL;
	p->refreshing = false;
	zloop_timer_del(ps->env.loop, p->refresh);
	p->refresh = !zlink_initiator(lk) ? NULL :
		     zloop_timer_add(ps->env.loop,
				     (uint64_t)ps->conf->rehandshake_interval *
				     1000, refresh_timer, p);
	publish(ps);
	return 0;
}

/* the peer's resolver, for DNS through the tunnel */
static void link_pushed(void *arg, struct zpeer *p, const struct zeq_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, s, sizeof(s)) ||
	    !strcmp(s, p->resolver))
		return;
	log_notice("peer %s: pushes resolver %s", p->conf->name, s);
	memcpy(p->resolver, s, sizeof(s));
	publish(arg);
}

/* a new epoch is in force: the store keeps the session's state */
static void link_changed(void *arg, struct zpeer *p)
{
	struct zpeers *ps = arg;
	uint8_t st[ZEQ_LINK_STATE_LEN];
	int ret;

	if (p->link && !zlink_state(p->link, st)) {
		ret = tunnels_session_up(ps->store, ZEQ_TUNNELS_CONF_SLUG,
					 p->zid_hex, st, sizeof(st));
		OPENSSL_cleanse(st, sizeof(st));
		if (ret < 0)
			log_warn("peer %s: recording the session: %s",
				 p->conf->name, zstore_errmsg(ps->store));
	}
	publish(ps);
}

static void link_closed(void *arg, struct zlink *lk, struct zpeer *p,
			const char *why)
{
	(void)arg;
	if (lk && lk == p->calling) {
		p->calling = NULL;
		p->refreshing = false;
	}
	if (lk && lk == p->link) {
		p->link = NULL;
		zloop_timer_del(p->ps->env.loop, p->refresh);
		p->refresh = NULL;
		if (tunnels_session_down(p->ps->store, ZEQ_TUNNELS_CONF_SLUG,
					 p->zid_hex) < 0)
			log_warn("peer %s: recording the end of the session: %s",
				 p->conf->name, zstore_errmsg(p->ps->store));
	}
	/* a losing or failed second link leaves the one in force alone */
	if (!p->link)
		no_tunnel(p, why);
}

void zpeers_accept(struct zpeers *ps, int fd, SSL *ssl,
		   const struct sockaddr_storage *src, const char *name,
		   const uint8_t *leftover, size_t nleft)
{
	zlink_new(&ps->env, fd, ssl, src, name, NULL, NULL, NULL, leftover,
		  nleft);
}

/* a key near its limit: its link ratchets early */
static void on_event(const struct zeq_event *ev, void *arg)
{
	struct zpeers *ps = arg;

	if (ev->type != ZEQ_EVENT_KEY_NEAR_LIMIT)
		return;
	for (unsigned int i = 0; i < ps->n; i++) {
		struct zpeer *p = &ps->p[i];

		if (p->link && p->conf->peer_id == ev->peer_id &&
		    ev->ifindex == if_nametoindex(p->conf->device))
			zlink_key_near_limit(p->link, ev->key_id);
	}
}

static void events_ready(struct zloop *l, int fd, uint32_t events, void *arg)
{
	int ret = zkern_events_read(((struct zpeers *)arg)->env.kern, on_event,
				    arg);

	(void)l;
	(void)fd;
	(void)events;
	if (ret == -ENOBUFS)
		log_warn("kernel events lost (receive buffer overrun)");
	else if (ret < 0)
		log_warn("kernel events: %s", strerror(-ret));
}

/* watch the kernel's events (a key near its limit) if the module is in */
static void watch_events(struct zpeers *ps)
{
	char err[256];
	int fd = zkern_events_open(ps->env.kern, err, sizeof(err));

	if (fd < 0) {
		log_warn("%s: no early ratchet on a key near its limit", err);
		return;
	}
	if (zloop_add_fd(ps->env.loop, fd, EPOLLIN, events_ready, ps) < 0) {
		log_warn("event loop: %s", strerror(errno));
		return;
	}
	ps->ev_fd = fd;
}

static void sni_timer(struct zloop *l, struct zloop_timer *t, void *arg);

/* evaluate the day's server name now; the next evaluation */
static void sni_eval(struct zpeers *ps)
{
	time_t now = time(NULL), next;
	uint32_t rnd = 0;

	ps->sni_day = now;
	if (RAND_bytes((uint8_t *)&rnd, sizeof(rnd)) != 1)
		rnd = (uint32_t)now;
	next = zeq_sni_next_eval(now, rnd);
	if (ps->conf->sni_count)
		log_info("server name for calls today: %s", sni_now(ps));
	zloop_timer_del(ps->env.loop, ps->sni_timer);
	ps->sni_timer = zloop_timer_add(ps->env.loop,
					(uint64_t)(next - now) * 1000,
					sni_timer, ps);
}

static void sni_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zpeers *ps = arg;

	zloop_timer_del(l, t);
	ps->sni_timer = NULL;
	sni_eval(ps);
}

/* the first calls, from the loop */
static void start_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zpeers *ps = arg;

	zloop_timer_del(l, t);
	ps->start = NULL;
	watch_events(ps);
	publish(ps);
	for (unsigned int i = 0; i < ps->n; i++)
		call(&ps->p[i]);
}

struct zpeers *zpeers_new(struct zloop *l, struct zstore *s,
			  const struct zeqd_config *c,
			  const struct zeq_identity *id, EVP_PKEY *key,
			  const uint8_t *mesh, size_t mesh_len, char *err,
			  size_t errlen)
{
	struct zpeers *ps = calloc(1, sizeof(*ps));

	if (!ps || mesh_len > sizeof(ps->env.mesh)) {
		free(ps);
		EVP_PKEY_free(key);
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	ps->env.loop = l;
	ps->store = s;
	ps->env.identity = key;
	memcpy(ps->env.identity_pub, id->pub, sizeof(ps->env.identity_pub));
	memcpy(ps->env.mesh, mesh, mesh_len);
	ps->env.mesh_len = mesh_len;
	ps->env.ratchet_ms = (uint64_t)c->ratchet_period * ZEQ_ZEQOND_NS /
			     1000000;
	ps->env.find = link_find;
	ps->env.up = link_up;
	ps->env.closed = link_closed;
	ps->env.changed = link_changed;
	ps->env.pushed = link_pushed;
	if (c->dns_resolver[0]) {
		ps->env.resolver.family =
			inet_pton(AF_INET, c->dns_resolver,
				  ps->env.resolver.bytes) == 1 ? AF_INET :
			AF_INET6;
		if (ps->env.resolver.family == AF_INET6)
			inet_pton(AF_INET6, c->dns_resolver,
				  ps->env.resolver.bytes);
	}
	ps->env.arg = ps;
	ps->conf = c;
	ps->ev_fd = -1;
	ps->id = *id;
	identity_zid_bytes(id->pub, ps->zid);
	ps->env.kern = zkern_new();
	ps->ctx = zdial_ctx_new();
	if (!ps->env.kern || !ps->ctx) {
		snprintf(err, errlen, "%s", "out of memory (netlink or TLS)");
		zpeers_free(ps);
		return NULL;
	}
	ps->n = c->npeers;
	for (unsigned int i = 0; i < ps->n; i++) {
		struct zpeer *p = &ps->p[i];
		const struct zeqd_peer_conf *pc = &c->peers[i];

		p->ps = ps;
		p->conf = pc;
		p->backoff_ms = ZEQ_PEERS_BACKOFF_MIN_MS;
		identity_zid_bytes(pc->public_key, p->zid);
		identity_zid(pc->public_key, p->zid_hex);
		p->lp = (struct zlink_peer){
			.name = pc->name, .pub = pc->public_key,
			.dev = pc->device, .id = pc->peer_id, .aips = pc->aips,
			.naips = pc->naips,
		};
	}
	ps->kem = zeq_kem_offered();
	log_info("%s: %s", ZEQ_KEM_NAME, ps->kem ?
		 "offered by OpenSSL, not used yet (docs/protocol.md)" :
		 "not offered by this OpenSSL: handshakes use X25519 alone");
	sni_eval(ps);
	ps->start = zloop_timer_add(l, 0, start_timer, ps);
	if (!ps->sni_timer || !ps->start) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		zpeers_free(ps);
		return NULL;
	}
	return ps;
}

void zpeers_free(struct zpeers *ps)
{
	if (!ps)
		return;
	zlink_free_all(&ps->env);
	if (ps->conf)
		zstatus_remove(ps->conf->status_file);
	for (unsigned int i = 0; i < ps->n; i++) {
		zresolve_cancel(ps->p[i].lookup);
		zdial_cancel(ps->p[i].dial);
		zloop_timer_del(ps->env.loop, ps->p[i].retry);
		zloop_timer_del(ps->env.loop, ps->p[i].refresh);
	}
	zloop_timer_del(ps->env.loop, ps->sni_timer);
	zloop_timer_del(ps->env.loop, ps->start);
	zloop_del_fd(ps->env.loop, ps->ev_fd);
	zkern_free(ps->env.kern);
	SSL_CTX_free(ps->ctx);
	EVP_PKEY_free(ps->env.identity);
	OPENSSL_cleanse(ps, sizeof(*ps));
	free(ps);
}
