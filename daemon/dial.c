// SPDX-License-Identifier: MIT
/*
 * dial.c - calling a peer's control channel (dial.h).
 *
 *   CONNECT   non-blocking connect until writable
 *   TLS       SSL_connect
 *   REQUEST   the first request with the token (firstreq.c, meshauth.c)
 *   ANSWER    read until the end of the answer's head
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "channel.h"
#include "dial.h"
#include "firstreq.h"
#include "tlsio.h"

/* the answer's head, at most (a 101 is short; a cover page is not read) */
#define ANSWER_MAX	2048
#define UPGRADE_LINE	"HTTP/1.1 101 "

enum dial_state { D_CONNECT, D_TLS, D_REQUEST, D_ANSWER };

/**
 * struct zdial - one call in progress
 * @loop: the event loop
 * @fd: the socket
 * @ssl: its TLS
 * @state: enum dial_state
 * @mesh: the mesh secret
 * @mesh_len: its length
 * @sni: the server name presented
 * @timer: the deadline
 * @cb: the outcome's callback
 * @arg: its argument
 * @req: the first request
 * @req_len: its length
 * @req_off: bytes of it sent
 * @ans: the answer so far
 * @ans_len: its length
 */
struct zdial {
	struct zloop *loop;
	int fd;
	SSL *ssl;
	enum dial_state state;
	uint8_t mesh[64];
	size_t mesh_len;
	char sni[256];
	struct zloop_timer *timer;
	zdial_cb cb;
	void *arg;
	char req[1024];
	size_t req_len, req_off;
	char ans[ANSWER_MAX + 1];
	size_t ans_len;
};

SSL_CTX *zdial_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_alpn_protos(ctx, (const unsigned char *)
				    "\x08http/1.1", 9) != 0) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}

void zdial_cancel(struct zdial *d)
{
	if (!d)
		return;
	zloop_timer_del(d->loop, d->timer);
	if (d->fd >= 0) {
		zloop_del_fd(d->loop, d->fd);
		close(d->fd);
	}
	SSL_free(d->ssl);
	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
}

static void fail(struct zdial *d, const char *why)
{
	zdial_cb cb = d->cb;
	void *arg = d->arg;
	char w[160];

	snprintf(w, sizeof(w), "%s", why);
	zdial_cancel(d);
	cb(arg, -1, NULL, NULL, 0, w);
}

/* upgraded: hand fd and ssl over */
static void done(struct zdial *d, size_t head_len)
{
	uint8_t left[ANSWER_MAX];
	size_t nleft = d->ans_len - head_len;
	zdial_cb cb = d->cb;
	void *arg = d->arg;
	SSL *ssl = d->ssl;
	int fd = d->fd;

	memcpy(left, d->ans + head_len, nleft);
	zloop_del_fd(d->loop, fd);
	d->fd = -1;
	d->ssl = NULL;
	zdial_cancel(d);
	cb(arg, fd, ssl, left, nleft, NULL);
	OPENSSL_cleanse(left, sizeof(left));
}

/* after an SSL call returned k <= 0: wait (0), or failed (-1) */
static int wait_ssl(struct zdial *d, int k)
{
	uint32_t ev = tls_wait_events(d->ssl, k);

	if (!ev)
		return -1;
	zloop_mod_fd(d->loop, d->fd, ev);
	return 0;
}

static void step_answer(struct zdial *d)
{
	char *end;
	int k;

	for (;;) {
		ERR_clear_error();
		k = SSL_read(d->ssl, d->ans + d->ans_len, ANSWER_MAX - d->ans_len);
		if (k <= 0) {
			if (wait_ssl(d, k) < 0)
				fail(d, "closed without an answer");
			return;
		}
		d->ans_len += (size_t)k;
		d->ans[d->ans_len] = '\0';
		if (d->ans_len >= strlen(UPGRADE_LINE) &&
		    strncmp(d->ans, UPGRADE_LINE, strlen(UPGRADE_LINE))) {
			fail(d, "answered with a web page, not the upgrade: "
			     "the peer did not accept our mesh token "
			     "(another mesh secret, or clocks apart)");
			return;
		}
		end = strstr(d->ans, "\r\n\r\n");
		if (end) {
			done(d, (size_t)(end + 4 - d->ans));
			return;
		}
		if (d->ans_len == ANSWER_MAX) {
			fail(d, "answer head too long");
			return;
		}
	}
}

static void step_request(struct zdial *d)
{
	int k;

	while (d->req_off < d->req_len) {
		ERR_clear_error();
		k = SSL_write(d->ssl, d->req + d->req_off,
			      (int)(d->req_len - d->req_off));
		if (k <= 0) {
			if (wait_ssl(d, k) < 0)
				fail(d, "connection lost");
			return;
		}
		d->req_off += (size_t)k;
	}
	OPENSSL_cleanse(d->req, sizeof(d->req));
	d->state = D_ANSWER;
	zloop_mod_fd(d->loop, d->fd, EPOLLIN);
	step_answer(d);
}

/* TLS is up: the token for this connection, in the first request */
static void make_request(struct zdial *d)
{
	uint8_t ex[ZEQ_CHAN_EXPORTER_LEN];
	char token[ZEQ_MESHAUTH_TOKEN_LEN + 1];
	int len = -1;

	if (SSL_export_keying_material(d->ssl, ex, sizeof(ex),
				       ZEQ_CHAN_EXPORTER_LABEL,
				       strlen(ZEQ_CHAN_EXPORTER_LABEL), NULL, 0,
				       0) == 1 &&
	    !zeq_meshauth_make(d->mesh, d->mesh_len, time(NULL), ex,
			       sizeof(ex), token))
		len = zeq_firstreq_make(d->sni[0] ? d->sni : "localhost", token,
					d->req, sizeof(d->req));
	OPENSSL_cleanse(ex, sizeof(ex));
	OPENSSL_cleanse(token, sizeof(token));
	if (len < 0) {
		fail(d, "could not make the first request");
		return;
	}
	d->req_len = (size_t)len;
	d->state = D_REQUEST;
	step_request(d);
}

static void step_tls(struct zdial *d)
{
	int k;

	ERR_clear_error();
	k = SSL_connect(d->ssl);
	if (k == 1) {
		make_request(d);
		return;
	}
	if (wait_ssl(d, k) < 0) {
		char why[160];

		snprintf(why, sizeof(why), "TLS: %s",
			 ERR_reason_error_string(ERR_peek_last_error()) ?:
			 "connection closed");
		ERR_clear_error();
		fail(d, why);
	}
}

static void step_connect(struct zdial *d)
{
	socklen_t sl = sizeof(int);
	int e = 0;

	if (getsockopt(d->fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
		e = errno;
	if (e) {
		char why[160];

		snprintf(why, sizeof(why), "connect: %s", strerror(e));
		fail(d, why);
		return;
	}
	d->state = D_TLS;
	step_tls(d);
}

static void dial_event(struct zloop *l, int fd, uint32_t events, void *arg)
{
	struct zdial *d = arg;

	(void)l;
	(void)fd;
	(void)events;
	switch (d->state) {
	case D_CONNECT:
		step_connect(d);
		break;
	case D_TLS:
		step_tls(d);
		break;
	case D_REQUEST:
		step_request(d);
		break;
	case D_ANSWER:
		step_answer(d);
		break;
	}
}

static void dial_timeout(struct zloop *l, struct zloop_timer *t, void *arg)
{
	struct zdial *d = arg;

	zloop_timer_del(l, t);
	d->timer = NULL;
	fail(d, d->state == D_CONNECT ? "connect: timed out" :
	     d->state == D_TLS ? "TLS handshake timed out" :
	     "no answer in time");
}

struct zdial *zdial_start(struct zloop *l, SSL_CTX *ctx,
			  const struct sockaddr_storage *to, const char *sni,
			  const uint8_t *mesh, size_t mesh_len,
			  uint64_t timeout_ms, zdial_cb cb, void *arg)
{
	struct zdial *d;
	socklen_t sl = to->ss_family == AF_INET ?
		       sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

	if (mesh_len > sizeof(d->mesh))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->loop = l;
	d->cb = cb;
	d->arg = arg;
	memcpy(d->mesh, mesh, mesh_len);
	d->mesh_len = mesh_len;
	snprintf(d->sni, sizeof(d->sni), "%s", sni);
	d->fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		       SOCK_CLOEXEC, 0);
	d->ssl = SSL_new(ctx);
	if (d->fd < 0 || !d->ssl || SSL_set_fd(d->ssl, d->fd) != 1 ||
	    (sni[0] && SSL_set_tlsext_host_name(d->ssl, sni) != 1) ||
	    (connect(d->fd, (const struct sockaddr *)to, sl) < 0 &&
	     errno != EINPROGRESS))
		goto fail;
	d->timer = zloop_timer_add(l, timeout_ms, dial_timeout, d);
	if (!d->timer || zloop_add_fd(l, d->fd, EPOLLOUT, dial_event, d) < 0)
		goto fail;
	return d;
fail:
	ERR_clear_error();
	zdial_cancel(d);	/* deleting what was never added is harmless */
	return NULL;
}
