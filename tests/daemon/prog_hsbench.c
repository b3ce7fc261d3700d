// SPDX-License-Identifier: MIT
/*
 * prog_hsbench - complete control-channel handshakes on one core, both
 * sides in this thread over an OpenSSL BIO pair: TLS 1.3 (ECDHE, the
 * server's certificate signature), the exporter, the first request with
 * its mesh token (made, parsed, checked), the upgrade, INIT/RESP/FIN with
 * both Ed25519 signatures, and epoch 0's keys, checked equal on both
 * sides. Each side's CPU time is measured apart, so a responder's rate
 * (what a node answering many peers can take) is printed too.
 *
 *   prog_hsbench CERT KEY SECONDS [DEV]
 *
 * Prints "BENCH both N", "BENCH responder N", "BENCH initiator N"
 * (handshakes a second), "BENCH responder_tls_share P" (percent of the
 * responder's time in the TLS handshake) and "BENCH count N".
 *
 * With DEV (a zeq device: in the VM) the responder also installs each
 * handshake's keys as zeqd does (kernel.c: the peer with an endpoint, its
 * key staged, swapped in), for 1,000 peers in turn, inside its CPU time
 * (netlink runs in the caller's context); "BENCH install N" is the
 * installs a second alone. Then, for a quarter of SECONDS, one peer's
 * ratchet (HKDF step, stage, swap): "BENCH ratchet N" a second.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "channel.h"
#include "firstreq.h"
#include "kernel.h"
#include "meshauth.h"
#include "session.h"

static uint8_t seed_i[32], seed_r[32], pub_i[32], pub_r[32], obfs[32],
	mesh[32];
static double t_init, t_resp, t_resp_tls, t_install;
static struct zkern *kern;
static const char *dev;
static uint32_t next_key_id = 1;

#define PEERS 1000

/* the responder's side of what zeqd does with the keys */
static void install(const struct zeq_session_keys *k, long n)
{
	struct zeq_endpoint ep = { .addr.family = AF_INET, .port = 51900 };
	uint32_t id = (uint32_t)(n % PEERS) + 1;
	char err[256];

	ep.addr.v4.s_addr = htonl(0xc0000200 + (id & 0xff));	/* 192.0.2.x */
	if (zkern_peer(kern, dev, id, &ep, NULL, 0, err, sizeof(err)) < 0 ||
	    zkern_key_stage(kern, dev, id, next_key_id, next_key_id + 1,
			    &k->r2i, &k->i2r, err, sizeof(err)) < 0 ||
	    zkern_key_swap(kern, dev, id, err, sizeof(err)) < 0) {
		fprintf(stderr, "prog_hsbench: %s\n", err);
		exit(1);
	}
	next_key_id += 2;
}
static EVP_PKEY *key_i, *key_r;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* run f(arg) and add its CPU time to *acc */
#define TIMED(acc, expr) do {				\
	double t0_ = cpu_now();				\
	expr;						\
	*(acc) += cpu_now() - t0_;			\
} while (0)

static void die(const char *what)
{
	fprintf(stderr, "prog_hsbench: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static int find(const uint8_t *zid, uint8_t *pub, uint8_t *our_obfs,
		void *arg)
{
	(void)zid;
	memcpy(pub, pub_i, 32);
	memcpy(our_obfs, arg, 32);
	return 0;
}

/* a whole record's worth from ssl into buf (the pair never blocks long) */
static int rd(SSL *ssl, void *buf, int cap)
{
	int n = SSL_read(ssl, buf, cap);

	if (n <= 0)
		die("SSL_read");
	return n;
}

static void one(SSL_CTX *cctx, SSL_CTX *sctx, struct zeq_meshauth_seen *seen,
		long nth)
{
	uint8_t exi[ZEQ_CHAN_EXPORTER_LEN], exr[ZEQ_CHAN_EXPORTER_LEN];
	uint8_t a[ZEQ_SESSION_OUT_MAX], b[ZEQ_SESSION_OUT_MAX], buf[2048];
	char token[ZEQ_MESHAUTH_TOKEN_LEN + 1], req[1024];
	static struct zeq_session si, sr;
	struct zeq_session_params pi = {
		.initiator = true, .identity = key_i, .identity_pub = pub_i,
		.peer_pub = pub_r, .obfs = obfs, .exporter = exi, .mesh = mesh, .mesh_len = 32,
	}, pr = {
		.identity = key_r, .identity_pub = pub_r, .find = find,
		.find_arg = obfs, .exporter = exr, .mesh = mesh, .mesh_len = 32,
	};
	struct zeq_firstreq fr;
	const char *why;
	size_t alen, blen;
	SSL *c, *s;
	BIO *cb, *sb;
	int n, rc = 0, rs = 0, len;

	TIMED(&t_init, c = SSL_new(cctx));
	TIMED(&t_resp, s = SSL_new(sctx));
	if (!c || !s || !BIO_new_bio_pair(&cb, 0, &sb, 0))
		die("SSL_new");
	SSL_set_bio(c, cb, cb);
	SSL_set_bio(s, sb, sb);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	SSL_set_tlsext_host_name(c, "www.example.com");
	while (rc != 1 || rs != 1) {
		if (rc != 1)
			TIMED(&t_init, rc = SSL_do_handshake(c));
		if (rs != 1)
			TIMED(&t_resp_tls, rs = SSL_do_handshake(s));
		if ((rc != 1 && SSL_get_error(c, rc) != SSL_ERROR_WANT_READ) ||
		    (rs != 1 && SSL_get_error(s, rs) != SSL_ERROR_WANT_READ))
			die("TLS handshake");
	}
	/* the first request */
	TIMED(&t_init,
	      SSL_export_keying_material(c, exi, 32, ZEQ_CHAN_EXPORTER_LABEL,
					 strlen(ZEQ_CHAN_EXPORTER_LABEL), NULL,
					 0, 0);
	      zeq_meshauth_make(mesh, 32, time(NULL), exi, 32, token);
	      len = zeq_firstreq_make("www.example.com", token, req,
				      sizeof(req));
	      SSL_write(c, req, len));
	TIMED(&t_resp,
	      n = rd(s, buf, sizeof(buf));
	      SSL_export_keying_material(s, exr, 32, ZEQ_CHAN_EXPORTER_LABEL,
					 strlen(ZEQ_CHAN_EXPORTER_LABEL), NULL,
					 0, 0);
	      if (zeq_firstreq_parse((char *)buf, (size_t)n, &fr) != ZEQ_FR_TOKEN ||
		  zeq_meshauth_check(mesh, 32, time(NULL), exr, 32, fr.token,
				     seen, &why))
		      die("first request");
	      SSL_write(s, ZEQ_CHAN_UPGRADE, strlen(ZEQ_CHAN_UPGRADE)));
	/* INIT, RESP, FIN */
	TIMED(&t_init,
	      rd(c, buf, sizeof(buf));
	      zeq_session_start(&si, &pi, a, &alen);
	      SSL_write(c, a, (int)alen));
	TIMED(&t_resp,
	      n = rd(s, buf, sizeof(buf));
	      zeq_session_start(&sr, &pr, b, &blen);
	      if (zeq_session_input(&sr, buf, (size_t)n, b, &blen))
		      die("INIT");
	      SSL_write(s, b, (int)blen));
	TIMED(&t_init,
	      n = rd(c, buf, sizeof(buf));
	      if (zeq_session_input(&si, buf, (size_t)n, a, &alen) != 1)
		      die("RESP");
	      SSL_write(c, a, (int)alen));
	TIMED(&t_resp,
	      n = rd(s, buf, sizeof(buf));
	      if (zeq_session_input(&sr, buf, (size_t)n, b, &blen) != 1)
		      die("FIN"));
	if (memcmp(&si.keys, &sr.keys, sizeof(si.keys)))
		die("the two sides' keys differ");
	if (dev)
		TIMED(&t_install, install(&sr.keys, nth));
	TIMED(&t_init, zeq_session_clear(&si); SSL_free(c));
	TIMED(&t_resp, zeq_session_clear(&sr); SSL_free(s));
}

/* peer 1's ratchet, as a link does it each period: HKDF, stage, swap */
static void ratchets(double secs)
{
	struct zeq_session_keys k = { 0 };
	double t = 0;
	long n = 0;

	if (RAND_bytes(k.chain, sizeof(k.chain)) != 1)
		die("random");
	while (t < secs) {
		TIMED(&t, if (zeq_kdf_ratchet(&k))
				die("ratchet");
		      install(&k, 0));
		n++;
	}
	zeq_session_keys_clear(&k);
	printf("BENCH ratchet %.0f\n", n / t);
}

int main(int argc, char **argv)
{
	struct zeq_meshauth_seen seen;
	SSL_CTX *cctx, *sctx;
	struct timespec t0, t;
	double secs;
	long count = 0;

	if (argc != 4 && argc != 5)
		return 2;
	secs = atof(argv[3]);
	dev = argc == 5 ? argv[4] : NULL;
	if (dev && !(kern = zkern_new()))
		die("netlink");
	memset(seed_i, 1, 32);
	memset(seed_r, 2, 32);
	key_i = zeq_hs_key(seed_i, pub_i);
	key_r = zeq_hs_key(seed_r, pub_r);
	if (!key_i || !key_r)
		die("ed25519");
	memset(obfs, 0x55, 32);
	if (RAND_bytes(mesh, 32) != 1 ||
	    zeq_meshauth_seen_init(&seen, 1 << 20))
		die("setup");
	sctx = SSL_CTX_new(TLS_server_method());
	cctx = SSL_CTX_new(TLS_client_method());
	if (!sctx || !cctx ||
	    !SSL_CTX_set_min_proto_version(sctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_min_proto_version(cctx, TLS1_3_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(sctx, argv[1]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sctx, argv[2], SSL_FILETYPE_PEM) != 1)
		die("TLS contexts");
	/* every handshake in full (the client never resumes), tickets sent as
	 * the listener sends them */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		one(cctx, sctx, &seen, count);
		count++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) +
		 (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	t_resp += t_resp_tls + t_install;
	if (dev)
		ratchets(secs / 4);
	printf("BENCH count %ld\n", count);
	printf("BENCH responder_tls_share %.0f\n", 100 * t_resp_tls / t_resp);
	printf("BENCH both %.0f\n", count / (t_init + t_resp));
	printf("BENCH responder %.0f\n", count / t_resp);
	printf("BENCH initiator %.0f\n", count / t_init);
	if (dev)
		printf("BENCH install %.0f\n", count / t_install);
	zkern_free(kern);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	zeq_meshauth_seen_free(&seen);
	EVP_PKEY_free(key_i);
	EVP_PKEY_free(key_r);
	return 0;
}
