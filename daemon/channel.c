// SPDX-License-Identifier: MIT
/*
 * channel.c - the control channel's listener (channel.h).
 *
 * Every connection is a small state machine on the event loop, with
 * non-blocking sockets and OpenSSL in non-blocking mode:
 *
 *   PEEK     nothing read yet; the first byte says TLS (a handshake
 *            record, 0x16) or not
 *   TLS      SSL_accept until the handshake is done
 *   REQUEST  reading the first request (TLS or plain) until firstreq.c
 *            can judge it
 *   WRITE    sending the cover page (or, once authenticated, the upgrade)
 *   DRAIN    cover sent and our side shut: read and drop what the client
 *            still sends until it closes, so the kernel does not answer
 *            unread data with a reset that could cost it the page
 *
 * Once the upgrade is sent, the connection is handed to the peer table
 * (peers.c), which runs the link on it.
 *
 * One timer per connection: first_request_timeout for everything up to
 * the verdict, then a short one for WRITE and DRAIN. Connections count
 * against max_pending until they authenticate or close.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "channel.h"
#include "coverpage.h"
#include "firstreq.h"
#include "log.h"
#include "peers.h"
#include "probes.h"
#include "ratelimit.h"
#include "tlsio.h"

/* TLS record type of a handshake: the first byte of a ClientHello */
#define TLS_HANDSHAKE_RECORD	0x16
/* time to send the cover page and drain after it */
#define LINGER_MS		5000
/* nonces of accepted tokens remembered (meshauth.c) */
#define SEEN_SLOTS		4096
/*
 * Probes are written to the store in one transaction a second, at most
 * this many: a flood of probes from many sources must not become a flood
 * of synchronous writes that stalls the loop. Beyond it they are counted
 * and logged, not stored.
 */
#define PROBE_BATCH		256
#define PROBE_FLUSH_MS		1000

enum conn_state { C_PEEK, C_TLS, C_REQUEST, C_WRITE, C_DRAIN };

struct zchan;

/**
 * struct probe_rec - a probe waiting to be written
 * @src: its source
 * @kind: ZEQ_PROBE_*
 * @detail: what was wrong
 * @t: Unix time
 */
struct probe_rec {
	struct sockaddr_storage src;
	const char *kind;
	char detail[64];
	int64_t t;
};

/**
 * struct zconn - one control connection
 * @ch: its listener
 * @next: next in @ch's list
 * @prev: previous in @ch's list
 * @fd: the socket
 * @ssl: TLS state (NULL until the first byte said TLS)
 * @state: enum conn_state
 * @pending: counts against max_pending
 * @src: the peer's address
 * @name: the peer's address as text, for the log
 * @timer: the current deadline
 * @in: bytes of the first request so far
 * @in_len: their number
 * @head_len: bytes of them that were the request (the rest is the link's)
 * @out: what is being written (malloc'd)
 * @out_len: its length
 * @out_off: bytes written
 */
struct zconn {
	struct zchan *ch;
	struct zconn *next, *prev;
	int fd;
	SSL *ssl;
	enum conn_state state;
	bool pending;
	struct sockaddr_storage src;
	char name[INET6_ADDRSTRLEN + 8];
	struct zloop_timer *timer;
	char in[ZEQ_FIRSTREQ_MAX];
	size_t in_len;
	size_t head_len;
	char *out;
	size_t out_len, out_off;
};

/**
 * struct zchan - the listener
 * @loop: event loop
 * @store: where probes are recorded
 * @peers: who takes authenticated connections
 * @fd: the listening socket
 * @ctx: TLS server context
 * @cover: the cover page
 * @mesh: the mesh secret
 * @mesh_len: its length
 * @seen: nonces of accepted tokens
 * @rl: per-source rate limit on new connections
 * @conns: every open connection
 * @npending: connections not yet authenticated
 * @max_pending: their cap
 * @timeout_ms: first_request_timeout
 * @probes: probes not yet written
 * @nprobes: how many
 * @probes_lost: probes beyond PROBE_BATCH since the last write
 * @flush: the timer that writes them (NULL when none wait)
 */
struct zchan {
	struct zloop *loop;
	struct zstore *store;
	struct zpeers *peers;
	int fd;
	SSL_CTX *ctx;
	struct zeq_coverpage cover;
	uint8_t mesh[64];
	size_t mesh_len;
	struct zeq_meshauth_seen seen;
	struct zeq_ratelimit rl;
	struct zconn *conns;
	unsigned int npending;
	unsigned int max_pending;
	uint64_t timeout_ms;
	struct probe_rec probes[PROBE_BATCH];
	unsigned int nprobes;
	unsigned long probes_lost;
	struct zloop_timer *flush;
};

static void conn_not_pending(struct zconn *c)
{
	if (c->pending) {
		c->pending = false;
		c->ch->npending--;
	}
}

static void conn_free(struct zconn *c)
{
	struct zchan *ch = c->ch;

	conn_not_pending(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		ch->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	zloop_timer_del(ch->loop, c->timer);
	zloop_del_fd(ch->loop, c->fd);
	SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	OPENSSL_cleanse(c->in, sizeof(c->in));
	free(c);
}

/* write the waiting probes in one transaction */
static void flush_probes(struct zchan *ch)
{
	bool ok;

	if (ch->nprobes) {
		ok = !zstore_begin(ch->store);
		for (unsigned int i = 0; ok && i < ch->nprobes; i++)
			ok = !zeq_probes_record(ch->store,
						(struct sockaddr *)&ch->probes[i].src,
						ch->probes[i].kind,
						ch->probes[i].detail,
						ch->probes[i].t);
		if (!ok || zstore_commit(ch->store) < 0) {
			zstore_rollback(ch->store);
			log_warn("control: recording %u probes: %s", ch->nprobes,
				 zstore_errmsg(ch->store));
		}
	}
	if (ch->probes_lost)
		log_warn("control: %lu probes in a second beyond the %d "
			 "recorded", ch->probes_lost, PROBE_BATCH);
	ch->nprobes = 0;
	ch->probes_lost = 0;
}

static void flush_timer(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zchan *ch = arg;

	/* a fired timer stays allocated until deleted */
	zloop_timer_del(l, t);
	ch->flush = NULL;
	flush_probes(ch);
}

static void record(struct zconn *c, const char *kind, const char *detail)
{
	struct zchan *ch = c->ch;
	struct probe_rec *p;

	log_info("control: probe from %s: %s (%s)", c->name, kind, detail);
	if (ch->nprobes == PROBE_BATCH) {
		ch->probes_lost++;
		return;
	}
	p = &ch->probes[ch->nprobes++];
	p->src = c->src;
	p->kind = kind;
	snprintf(p->detail, sizeof(p->detail), "%s", detail);
	p->t = (int64_t)time(NULL);
	if (!ch->flush)
		ch->flush = zloop_timer_add(ch->loop, PROBE_FLUSH_MS, flush_timer,
					    ch);
	if (!ch->flush)
		flush_probes(ch);
}

/* the last OpenSSL error as text, for the probe record */
static const char *ssl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());

	return r ? r : "connection closed";
}

static void want(struct zconn *c, uint32_t events)
{
	zloop_mod_fd(c->ch->loop, c->fd, events);
}

/* after an SSL call that returned k <= 0: 0 would block, -1 not */
static ssize_t ssl_wait(struct zconn *c, int k)
{
	uint32_t ev = tls_wait_events(c->ssl, k);

	if (!ev)
		return -1;
	want(c, ev);
	return 0;
}

/* after a recv/send that returned -1: 0 would block (wait for events), -1 */
static ssize_t sock_wait(struct zconn *c, uint32_t events)
{
	if (errno != EAGAIN && errno != EINTR)
		return -1;
	want(c, events);
	return 0;
}

/* I/O in either mode: >0 bytes, 0 would block, -1 closed or failed */
static ssize_t conn_read(struct zconn *c, void *buf, size_t n)
{
	ssize_t r;
	int k;

	if (c->ssl) {
		/* SSL_get_error() reads the thread's queue: start it empty */
		ERR_clear_error();
		k = SSL_read(c->ssl, buf, (int)n);
		return k > 0 ? k : ssl_wait(c, k);
	}
	r = recv(c->fd, buf, n, 0);
	return r > 0 ? r : r == 0 ? -1 : sock_wait(c, EPOLLIN);
}

static ssize_t conn_write(struct zconn *c, const void *buf, size_t n)
{
	ssize_t r;
	int k;

	if (c->ssl) {
		ERR_clear_error();
		k = SSL_write(c->ssl, buf, (int)n);
		return k > 0 ? k : ssl_wait(c, k);
	}
	r = send(c->fd, buf, n, MSG_NOSIGNAL);
	return r >= 0 ? r : sock_wait(c, EPOLLOUT);
}

static void linger_timeout(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zconn *c = arg;

	zloop_timer_del(l, t);
	c->timer = NULL;
	conn_free(c);
}

static void step(struct zconn *c);

/* start writing buf (taken over); step_write() decides what follows */
static void start_write(struct zconn *c, char *buf, size_t len)
{
	c->out = buf;
	c->out_len = len;
	c->out_off = 0;
	c->state = C_WRITE;
	zloop_timer_del(c->ch->loop, c->timer);
	c->timer = zloop_timer_add(c->ch->loop, LINGER_MS, linger_timeout, c);
	step(c);
}

static void send_cover(struct zconn *c, bool head)
{
	char *resp;
	size_t len;

	if (zeq_coverpage_response(&c->ch->cover, time(NULL), head, &resp,
				   &len) < 0) {
		conn_free(c);
		return;
	}
	start_write(c, resp, len);
}

/* the first request is complete: a token to check, or a probe */
static void judge(struct zconn *c, enum zeq_firstreq_verdict v,
		  const struct zeq_firstreq *r)
{
	uint8_t ex[ZEQ_CHAN_EXPORTER_LEN];
	const char *why = r->why;
	char *up;

	if (v == ZEQ_FR_TOKEN && !c->ssl) {
		why = "token without TLS";
	} else if (v == ZEQ_FR_TOKEN) {
		if (SSL_export_keying_material(c->ssl, ex, sizeof(ex),
					       ZEQ_CHAN_EXPORTER_LABEL,
					       strlen(ZEQ_CHAN_EXPORTER_LABEL),
					       NULL, 0, 0) != 1) {
			conn_free(c);
			return;
		}
		if (!zeq_meshauth_check(c->ch->mesh, c->ch->mesh_len,
					time(NULL), ex, sizeof(ex), r->token,
					&c->ch->seen, &why)) {
			OPENSSL_cleanse(ex, sizeof(ex));
			log_notice("control: %s authenticated", c->name);
			conn_not_pending(c);
			c->head_len = r->head_len;
			up = strdup(ZEQ_CHAN_UPGRADE);
			if (!up) {
				conn_free(c);
				return;
			}
			start_write(c, up, strlen(up));
			return;
		}
		OPENSSL_cleanse(ex, sizeof(ex));
		record(c, ZEQ_PROBE_BAD_TOKEN, why);
		send_cover(c, false);
		return;
	}
	if (c->ssl)
		record(c, r->http ? ZEQ_PROBE_NO_TOKEN : ZEQ_PROBE_TLS_GARBAGE, why);
	else
		record(c, r->http ? ZEQ_PROBE_PLAIN : ZEQ_PROBE_GARBAGE, why);
	send_cover(c, r->head);
}

static void step_request(struct zconn *c)
{
	struct zeq_firstreq r;
	enum zeq_firstreq_verdict v;
	ssize_t n;

	for (;;) {
		n = conn_read(c, c->in + c->in_len, sizeof(c->in) - c->in_len);
		if (n == 0)
			return;
		if (n < 0) {
			/* closed before a whole request: nothing to answer */
			if (c->in_len)
				record(c, c->ssl ? ZEQ_PROBE_TLS_GARBAGE :
				       ZEQ_PROBE_GARBAGE, "closed mid-request");
			conn_free(c);
			return;
		}
		c->in_len += (size_t)n;
		v = zeq_firstreq_parse(c->in, c->in_len, &r);
		if (v != ZEQ_FR_MORE) {
			judge(c, v, &r);
			return;
		}
	}
}

static void step_tls(struct zconn *c)
{
	int r;

	ERR_clear_error();
	r = SSL_accept(c->ssl);
	if (r == 1) {
		c->state = C_REQUEST;
		step_request(c);
	} else if (ssl_wait(c, r) < 0) {
		record(c, ZEQ_PROBE_TLS_FAILED, ssl_reason());
		ERR_clear_error();
		conn_free(c);
	}
}

static void step_peek(struct zconn *c)
{
	unsigned char b;
	ssize_t n = recv(c->fd, &b, 1, MSG_PEEK);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {		/* connected and closed: a port scan */
		conn_free(c);
		return;
	}
	if (b != TLS_HANDSHAKE_RECORD) {
		c->state = C_REQUEST;
		step_request(c);
		return;
	}
	c->ssl = SSL_new(c->ch->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1) {
		conn_free(c);
		return;
	}
	c->state = C_TLS;
	step_tls(c);
}

static void step_write(struct zconn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = conn_write(c, c->out + c->out_off,
				       c->out_len - c->out_off);

		if (n == 0)
			return;
		if (n < 0) {
			conn_free(c);
			return;
		}
		c->out_off += (size_t)n;
	}
	free(c->out);
	c->out = NULL;
	if (!c->pending) {	/* the upgrade went out: the link's now */
		zloop_del_fd(c->ch->loop, c->fd);
		zpeers_accept(c->ch->peers, c->fd, c->ssl, &c->src, c->name,
			      (const uint8_t *)c->in + c->head_len,
			      c->in_len - c->head_len);
		c->fd = -1;
		c->ssl = NULL;
		conn_free(c);
		return;
	}
	if (c->ssl)
		SSL_shutdown(c->ssl);
	shutdown(c->fd, SHUT_WR);
	c->state = C_DRAIN;
	want(c, EPOLLIN);
}

static void step_drain(struct zconn *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(c->fd, buf, sizeof(buf), 0)) > 0)
		;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	conn_free(c);
}

static void step(struct zconn *c)
{
	switch (c->state) {
	case C_PEEK:
		step_peek(c);
		break;
	case C_TLS:
		step_tls(c);
		break;
	case C_REQUEST:
		step_request(c);
		break;
	case C_WRITE:
		step_write(c);
		break;
	case C_DRAIN:
		step_drain(c);
		break;
	}
}

static void conn_event(struct zloop *l, int fd, uint32_t events, void *arg)
{
	(void)l;
	(void)fd;
	(void)events;
	step(arg);
}

/* no verdict within first_request_timeout */
static void request_timeout(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zconn *c = arg;

	zloop_timer_del(l, t);
	c->timer = NULL;
	record(c, ZEQ_PROBE_SLOW, c->state == C_PEEK ? "sent nothing" :
	       c->state == C_TLS ? "TLS handshake not done" :
	       "no whole request in time");
	/* without a request (or TLS to send it in) there is nothing to answer */
	if (c->state == C_REQUEST)
		send_cover(c, false);
	else
		conn_free(c);
}

static void accept_one(struct zchan *ch, int fd,
		       const struct sockaddr_storage *src)
{
	struct timespec now;
	struct zconn *c;
	char a[INET6_ADDRSTRLEN] = "?";
	const void *ap = src->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)src)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)src)->sin6_addr;

	inet_ntop(src->ss_family, ap, a, sizeof(a));
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!zeq_ratelimit_allow(&ch->rl, (const struct sockaddr *)src,
				 (uint64_t)now.tv_sec * 1000000000ULL +
				 (uint64_t)now.tv_nsec + 1)) {
		log_debug("control: %s over its rate limit, closed", a);
		close(fd);
		return;
	}
	if (ch->npending >= ch->max_pending) {
		log_info("control: %u connections pending, %s closed",
			 ch->npending, a);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->ch = ch;
	c->fd = fd;
	c->src = *src;
	snprintf(c->name, sizeof(c->name), "%s", a);
	c->pending = true;
	ch->npending++;
	c->next = ch->conns;
	if (c->next)
		c->next->prev = c;
	ch->conns = c;
	c->timer = zloop_timer_add(ch->loop, ch->timeout_ms, request_timeout, c);
	if (!c->timer || zloop_add_fd(ch->loop, fd, EPOLLIN, conn_event, c) < 0)
		conn_free(c);
}

static void listen_event(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct sockaddr_storage src;
	socklen_t sl;
	int cfd;

	(void)l;
	(void)events;
	for (;;) {
		sl = sizeof(src);
		cfd = accept4(fd, (struct sockaddr *)&src, &sl,
			      SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("control: accept: %s", strerror(errno));
			return;
		}
		accept_one(arg, cfd, &src);
	}
}

/* offer http/1.1 when the client asks for it, as a web server would */
static int alpn_select(SSL *ssl, const unsigned char **out,
		       unsigned char *outlen, const unsigned char *in,
		       unsigned int inlen, void *arg)
{
	static const unsigned char h11[] = "\x08http/1.1";

	(void)ssl;
	(void)arg;
	if (SSL_select_next_proto((unsigned char **)out, outlen, h11,
				  sizeof(h11) - 1, in, inlen) !=
	    OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	return SSL_TLSEXT_ERR_OK;
}

static int tls_error(char *err, size_t errlen, const char *what,
		     const char *path)
{
	char e[256];

	ERR_error_string_n(ERR_get_error(), e, sizeof(e));
	ERR_clear_error();
	snprintf(err, errlen, "%s %s: %s", what, path, e);
	return -1;
}

static int tls_setup(struct zchan *ch, const struct zeqd_config *c, char *err,
		     size_t errlen)
{
	ch->ctx = SSL_CTX_new(TLS_server_method());
	if (!ch->ctx)
		return tls_error(err, errlen, "TLS", "context");
	if (SSL_CTX_set_min_proto_version(ch->ctx, TLS1_3_VERSION) != 1)
		return tls_error(err, errlen, "TLS", "version");
	if (SSL_CTX_use_certificate_chain_file(ch->ctx, c->tls_cert_file) != 1)
		return tls_error(err, errlen, "tls_cert_file", c->tls_cert_file);
	if (SSL_CTX_use_PrivateKey_file(ch->ctx, c->tls_key_file,
					SSL_FILETYPE_PEM) != 1)
		return tls_error(err, errlen, "tls_key_file", c->tls_key_file);
	if (SSL_CTX_check_private_key(ch->ctx) != 1)
		return tls_error(err, errlen, "tls_key_file", c->tls_key_file);
	SSL_CTX_set_alpn_select_cb(ch->ctx, alpn_select, NULL);
	SSL_CTX_set_mode(ch->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return 0;
}

static int listen_socket(struct zchan *ch, const struct zeqd_config *c,
			 char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t sl;
	int one = 1, zero = 0;

	if (inet_pton(AF_INET, c->listen_address, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(c->listen_port);
		sl = sizeof(*s4);
	} else {
		inet_pton(AF_INET6, c->listen_address, &s6->sin6_addr);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(c->listen_port);
		sl = sizeof(*s6);
	}
	ch->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (ch->fd < 0 ||
	    setsockopt(ch->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(ch->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero))) ||
	    bind(ch->fd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(ch->fd, 128) < 0) {
		snprintf(err, errlen, "listen on [%s]:%u: %s", c->listen_address,
			 c->listen_port, strerror(errno));
		return -1;
	}
	return 0;
}

int zchan_open(struct zloop *l, struct zstore *s, struct zpeers *peers,
	       const struct zeqd_config *c, const uint8_t *mesh,
	       size_t mesh_len, struct zchan **out, char *err, size_t errlen)
{
	struct zchan *ch;

	*out = NULL;
	if (mesh_len < ZEQ_MESHAUTH_SECRET_MIN || mesh_len > sizeof(ch->mesh)) {
		snprintf(err, errlen, "mesh secret: %zu bytes", mesh_len);
		return -1;
	}
	ch = calloc(1, sizeof(*ch));
	if (!ch) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	ch->fd = -1;
	ch->loop = l;
	ch->store = s;
	ch->peers = peers;
	memcpy(ch->mesh, mesh, mesh_len);
	ch->mesh_len = mesh_len;
	ch->max_pending = c->max_pending;
	ch->timeout_ms = (uint64_t)c->first_request_timeout * 1000;
	if (zeq_coverpage_load(c->cover_page, &ch->cover, err, errlen) < 0)
		goto fail;
	if (zeq_meshauth_seen_init(&ch->seen, SEEN_SLOTS) < 0 ||
	    zeq_ratelimit_init(&ch->rl, ZEQ_RL_SLOTS_DEFAULT) < 0) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		goto fail;
	}
	if (tls_setup(ch, c, err, errlen) < 0 ||
	    listen_socket(ch, c, err, errlen) < 0)
		goto fail;
	if (zloop_add_fd(l, ch->fd, EPOLLIN, listen_event, ch) < 0) {
		snprintf(err, errlen, "event loop: %s", strerror(errno));
		goto fail;
	}
	log_notice("control channel on [%s]:%u", c->listen_address,
		   c->listen_port);
	*out = ch;
	return 0;
fail:
	zchan_close(ch);
	return -1;
}

void zchan_close(struct zchan *ch)
{
	if (!ch)
		return;
	while (ch->conns)
		conn_free(ch->conns);
	flush_probes(ch);
	zloop_timer_del(ch->loop, ch->flush);
	if (ch->fd >= 0) {
		zloop_del_fd(ch->loop, ch->fd);
		close(ch->fd);
	}
	SSL_CTX_free(ch->ctx);
	zeq_coverpage_free(&ch->cover);
	zeq_meshauth_seen_free(&ch->seen);
	zeq_ratelimit_free(&ch->rl);
	OPENSSL_cleanse(ch->mesh, sizeof(ch->mesh));
	free(ch);
}
