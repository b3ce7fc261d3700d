// SPDX-License-Identifier: MIT
/*
 * coverpage.c - the cover page and its response (coverpage.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverpage.h"

/* nginx's own welcome page, which many servers on the Internet show */
static const char builtin_page[] =
	"<!DOCTYPE html>\n"
	"<html>\n"
	"<head>\n"
	"<title>Welcome to nginx!</title>\n"
	"<style>\n"
	"html { color-scheme: light dark; }\n"
	"body { width: 35em; margin: 0 auto;\n"
	"font-family: Tahoma, Verdana, Arial, sans-serif; }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n"
	"<h1>Welcome to nginx!</h1>\n"
	"<p>If you see this page, the nginx web server is successfully installed and\n"
	"working. Further configuration is required.</p>\n"
	"\n"
	"<p>For online documentation and support please refer to\n"
	"<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\n"
	"Commercial support is available at\n"
	"<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n"
	"\n"
	"<p><em>Thank you for using nginx.</em></p>\n"
	"</body>\n"
	"</html>\n";

/* when the built-in page was "installed" (Debian 12's nginx package) */
#define BUILTIN_MTIME	1676304000

static int load_error(char *err, size_t errlen, const char *path,
		      const char *why)
{
	snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

int zeq_coverpage_load(const char *path, struct zeq_coverpage *cp,
		       char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	int fd;

	memset(cp, 0, sizeof(*cp));
	if (!path || !*path) {
		cp->len = sizeof(builtin_page) - 1;
		cp->body = malloc(cp->len);
		if (!cp->body)
			return load_error(err, errlen, "cover page", strerror(ENOMEM));
		memcpy(cp->body, builtin_page, cp->len);
		cp->mtime = BUILTIN_MTIME;
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return load_error(err, errlen, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > ZEQ_COVERPAGE_MAX) {
		close(fd);
		return load_error(err, errlen, path, S_ISREG(st.st_mode) ?
				  "larger than 1 MiB" : "not a regular file");
	}
	cp->len = (size_t)st.st_size;
	cp->mtime = st.st_mtime;
	cp->body = malloc(cp->len ? cp->len : 1);
	if (!cp->body) {
		close(fd);
		return load_error(err, errlen, path, strerror(ENOMEM));
	}
	while (got < cp->len) {
		ssize_t n = read(fd, cp->body + got, cp->len - got);

		if (n <= 0) {
			close(fd);
			zeq_coverpage_free(cp);
			return load_error(err, errlen, path, n < 0 ?
					  strerror(errno) : "changed while read");
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

void zeq_coverpage_free(struct zeq_coverpage *cp)
{
	free(cp->body);
	memset(cp, 0, sizeof(*cp));
}

/* an HTTP date (RFC 9110 IMF-fixdate) */
static void http_date(time_t t, char *out, size_t n)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		snprintf(out, n, "Thu, 01 Jan 1970 00:00:00 GMT");
}

int zeq_coverpage_response(const struct zeq_coverpage *cp, time_t now,
			   bool head, char **out, size_t *len)
{
	char date[64], modified[64], hdr[512];
	size_t total;
	int n;

	http_date(now, date, sizeof(date));
	http_date(cp->mtime, modified, sizeof(modified));
	/* nginx's header order and its ETag: "hex(mtime)-hex(length)" */
	n = snprintf(hdr, sizeof(hdr),
		     "HTTP/1.1 200 OK\r\n"
		     "Server: nginx\r\n"
		     "Date: %s\r\n"
		     "Content-Type: text/html\r\n"
		     "Content-Length: %zu\r\n"
		     "Last-Modified: %s\r\n"
		     "Connection: close\r\n"
		     "ETag: \"%llx-%zx\"\r\n"
		     "Accept-Ranges: bytes\r\n"
		     "\r\n", date, cp->len, modified,
		     (unsigned long long)cp->mtime, cp->len);
	if (n < 0 || (size_t)n >= sizeof(hdr))
		return -1;
	total = (size_t)n + (head ? 0 : cp->len);
	*out = malloc(total);
	if (!*out)
		return -1;
	memcpy(*out, hdr, (size_t)n);
	if (!head)
		memcpy(*out + n, cp->body, cp->len);
	*len = total;
	return 0;
}
