// SPDX-License-Identifier: MIT
/*
 * prog_apiwriter - secret writes through zeqd's control API, for the
 * fault tests: writes sm/SLUG/wI for I = FROM .. TO-1, each a fresh random
 * 32-byte value, over one connection, and appends "PURPOSE HEX" to ACKFILE
 * only after the daemon acknowledged the write (ok: true).
 *
 *   prog_apiwriter SOCK TOKENFILE SLUG FROM TO ACKFILE
 *
 * Prints the next index to write and exits 0 when all are done, 3 when the
 * connection broke (the daemon was killed), 1 on any other failure.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -1;
	return fd;
}

/* one response line into buf; 0, or -1 if the connection broke */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = recv(fd, buf + n, 1, 0);

		if (r <= 0)
			return -1;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return 0;
		}
		n++;
	}
	return -1;
}

int main(int argc, char **argv)
{
	char token[128], req[512], resp[4096], purpose[128], line[256];
	unsigned char val[32], b64[64];
	long from, to, i;
	FILE *tf;
	int fd, ack;

	if (argc != 7) {
		fprintf(stderr, "usage: %s SOCK TOKENFILE SLUG FROM TO ACKFILE\n",
			argv[0]);
		return 1;
	}
	tf = fopen(argv[2], "r");
	if (!tf || !fgets(token, sizeof(token), tf)) {
		perror(argv[2]);
		return 1;
	}
	fclose(tf);
	token[strcspn(token, "\n")] = '\0';
	from = strtol(argv[4], NULL, 10);
	to = strtol(argv[5], NULL, 10);
	ack = open(argv[6], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (ack < 0) {
		perror(argv[6]);
		return 1;
	}
	fd = connect_to(argv[1]);
	if (fd < 0) {
		printf("%ld\n", from);
		return 3;
	}
	for (i = from; i < to; i++) {
		int n;

		if (RAND_bytes(val, sizeof(val)) != 1)
			return 1;
		EVP_EncodeBlock(b64, val, sizeof(val));
		snprintf(purpose, sizeof(purpose), "sm/%s/w%ld", argv[3], i);
		n = snprintf(req, sizeof(req), "{\"token\":\"%s\",\"op\":"
			     "\"secrets.put\",\"args\":{\"purpose\":\"%s\","
			     "\"value_b64\":\"%s\"}}\n", token, purpose, b64);
		if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n ||
		    read_line(fd, resp, sizeof(resp)) < 0) {
			printf("%ld\n", i);
			return 3;
		}
		if (!strstr(resp, "\"ok\":true") && !strstr(resp, "\"ok\": true")) {
			fprintf(stderr, "%s: %s\n", purpose, resp);
			return 1;
		}
		n = snprintf(line, sizeof(line), "%s ", purpose);
		for (size_t j = 0; j < sizeof(val); j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x",
				      val[j]);
		line[n++] = '\n';
		if (write(ack, line, (size_t)n) != n)
			return 1;
	}
	printf("%ld\n", to);
	return 0;
}
