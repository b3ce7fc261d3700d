// SPDX-License-Identifier: MIT
/*
 * prog_chanclient - a control-channel client for t-channel.sh: TLS 1.3 to
 * HOST:PORT, a first request (firstreq.c) with a mesh token made from
 * MESHKEY (meshauth.c, bound to this connection's exporter), then every
 * byte of the answer on stdout until the server closes or, for an
 * upgrade, until the end of its head.
 *
 *   prog_chanclient HOST PORT MESHKEY [--sni NAME] [--age SECONDS]
 *                   [--token-out FILE] [--token-in FILE]
 *
 * --age makes the token that many seconds old; --token-out saves the
 * token sent, --token-in sends a saved one instead (a replay on a new
 * connection). Exit 0 when the exchange ran (whatever the answer), 1 on
 * a connection or TLS failure, 2 on usage.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "channel.h"
#include "firstreq.h"
#include "meshauth.h"
#include "secretfile.h"

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *a;
	int fd = -1;

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd >= 0 && !connect(fd, a->ai_addr, a->ai_addrlen))
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static int token_io(const char *path, char *token, bool out)
{
	FILE *f = fopen(path, out ? "w" : "r");
	int ok;

	if (!f)
		return -1;
	ok = out ? fputs(token, f) >= 0 :
		   fgets(token, ZEQ_MESHAUTH_TOKEN_LEN + 1, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *sni = "www.example.com", *tout = NULL, *tin = NULL;
	char token[ZEQ_MESHAUTH_TOKEN_LEN + 1], req[1024], buf[4096], err[256];
	uint8_t mesh[ZEQ_MESHAUTH_SECRET_MIN], ex[ZEQ_CHAN_EXPORTER_LEN];
	size_t got = 0;
	long age = 0;
	SSL_CTX *ctx;
	SSL *ssl;
	int fd, n, len;

	if (argc < 4)
		return 2;
	for (int i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--sni"))
			sni = argv[i + 1];
		else if (!strcmp(argv[i], "--age"))
			age = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--token-out"))
			tout = argv[i + 1];
		else if (!strcmp(argv[i], "--token-in"))
			tin = argv[i + 1];
		else
			return 2;
	}
	if (secret_file_load(argv[3], "mesh secret", mesh, sizeof(mesh), err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	fd = connect_to(argv[1], argv[2]);
	ctx = SSL_CTX_new(TLS_client_method());
	if (fd < 0 || !ctx)
		return 1;
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_tlsext_host_name(ssl, sni) != 1 || SSL_connect(ssl) != 1 ||
	    SSL_export_keying_material(ssl, ex, sizeof(ex),
				       ZEQ_CHAN_EXPORTER_LABEL,
				       strlen(ZEQ_CHAN_EXPORTER_LABEL), NULL, 0,
				       0) != 1) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
	if (tin ? token_io(tin, token, false) :
	    zeq_meshauth_make(mesh, sizeof(mesh), time(NULL) - age, ex,
			      sizeof(ex), token))
		return 1;
	if (tout && token_io(tout, token, true))
		return 1;
	len = zeq_firstreq_make(sni, token, req, sizeof(req));
	if (len < 0 || SSL_write(ssl, req, len) != len)
		return 1;
	/* the answer: to the end, or to the end of an upgrade's head */
	while ((n = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got))) > 0) {
		got += (size_t)n;
		buf[got] = '\0';
		if (!strncmp(buf, "HTTP/1.1 101 ", 13) && strstr(buf, "\r\n\r\n"))
			break;
		if (got == sizeof(buf) - 1) {
			fwrite(buf, 1, got, stdout);
			got = 0;
		}
	}
	fwrite(buf, 1, got, stdout);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return 0;
}
