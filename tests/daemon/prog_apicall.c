// SPDX-License-Identifier: MIT
/*
 * prog_apicall - send to zeqd's control socket, print what comes back.
 *
 *   prog_apicall SOCK JSON     one request line; prints the response line
 *   prog_apicall -r SOCK       stdin's bytes as they are (no newline added),
 *                              then prints everything received until the
 *                              daemon closes or 2 s pass without data
 * Exit 0 if a response (or anything, with -r) came back, 1 otherwise.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* print received bytes; stop at the first newline if one_line */
static size_t receive(int fd, int one_line)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t total = 0;
	char buf[65536];

	while (poll(&p, 1, 2000) > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		char *nl;

		if (n <= 0)
			break;
		nl = one_line ? memchr(buf, '\n', (size_t)n) : NULL;
		fwrite(buf, 1, nl ? (size_t)(nl - buf + 1) : (size_t)n, stdout);
		total += (size_t)n;
		if (nl)
			break;
	}
	return total;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 3 && !strcmp(argv[1], "-r")) {
		static char in[1 << 20];
		size_t n = fread(in, 1, sizeof(in), stdin);

		fd = connect_to(argv[2]);
		if (send_all(fd, in, n) < 0)
			return receive(fd, 0) ? 0 : 1;
		shutdown(fd, SHUT_WR);
		return receive(fd, 0) ? 0 : 1;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCK JSON | -r SOCK <bytes\n", argv[0]);
		return 2;
	}
	fd = connect_to(argv[1]);
	if (send_all(fd, argv[2], strlen(argv[2])) < 0 || send_all(fd, "\n", 1) < 0)
		return 1;
	return receive(fd, 1) ? 0 : 1;
}
