// SPDX-License-Identifier: MIT
/*
 * prog_notifywait - play systemd's part of Type=notify for one daemon run:
 * bind a datagram socket at SOCKPATH, run CMD with NOTIFY_SOCKET pointing
 * at it, wait (10 s) for READY=1, send SIGTERM, wait for STOPPING=1 and
 * the exit. Prints every message received, one per line.
 *
 *   prog_notifywait SOCKPATH CMD [ARGS...]
 *
 * Exit 0 if READY=1 and STOPPING=1 came and CMD exited 0, 1 otherwise.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* wait for a datagram containing want; 1 if it came */
static int wait_for(int fd, const char *want)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];

	while (poll(&p, 1, 10000) > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

		if (n <= 0)
			return 0;
		buf[n] = '\0';
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("%s\n", buf);
		fflush(stdout);
		if (strstr(buf, want))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ready, stopping, status = 1;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SOCKPATH CMD [ARGS...]\n", argv[0]);
		return 2;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		perror(argv[1]);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", argv[1], 1);
		execv(argv[2], argv + 2);
		_exit(127);
	}
	ready = wait_for(fd, "READY=1");
	kill(pid, SIGTERM);
	stopping = wait_for(fd, "STOPPING=1");
	waitpid(pid, &status, 0);
	unlink(argv[1]);
	printf("ready=%d stopping=%d exit=%d\n", ready, stopping,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return ready && stopping && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}
