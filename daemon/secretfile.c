// SPDX-License-Identifier: MIT
/*
 * secretfile.c - secrets from files (secretfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "parse.h"
#include "secretfile.h"

#define FILE_MAX	256	/* more than any valid secret text */

int secret_file_load(const char *path, const char *what, uint8_t *out,
		     size_t len, char *err, size_t errlen)
{
	char buf[FILE_MAX], why[128];
	size_t got = 0;
	struct stat st;
	ssize_t n;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: mode %04o lets group or others at the "
			 "%s (chmod 600)", path,
			 (unsigned int)(st.st_mode & 07777), what);
		goto out;
	}
	while ((n = read(fd, buf + got, sizeof(buf) - got)) > 0) {
		got += (size_t)n;
		if (got == sizeof(buf))
			break;
	}
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (zeq_parse_secret(buf, got, out, len, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: not a %s: %s", path, what, why);
		goto out;
	}
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return ret;
}
