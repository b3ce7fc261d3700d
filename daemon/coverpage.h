/* SPDX-License-Identifier: MIT */
/*
 * coverpage.h - the answer every connection gets that does not
 * authenticate in its first request: the configured cover page, served
 * the way a plain nginx serves a static file (status, headers, body), the
 * same for every probe whatever it sent. Only Date changes, as it does on
 * any web server.
 */
#ifndef ZEQD_COVERPAGE_H
#define ZEQD_COVERPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* the cover page may be this big */
#define ZEQ_COVERPAGE_MAX	(1 << 20)

/**
 * struct zeq_coverpage - the page and what its headers say about it
 * @body: the page (malloc'd)
 * @len: its length
 * @mtime: Last-Modified
 */
struct zeq_coverpage {
	char *body;
	size_t len;
	time_t mtime;
};

/*
 * Load path (a file of at most ZEQ_COVERPAGE_MAX bytes), or the built-in
 * page when path is "" or NULL. 0, or -1 with "path: reason" in err.
 */
int zeq_coverpage_load(const char *path, struct zeq_coverpage *cp,
		       char *err, size_t errlen);
void zeq_coverpage_free(struct zeq_coverpage *cp);

/*
 * The whole response at time now, into *out (malloc'd, *len bytes);
 * head: headers only (a HEAD request). 0, or -1 (ENOMEM).
 */
int zeq_coverpage_response(const struct zeq_coverpage *cp, time_t now,
			   bool head, char **out, size_t *len);

#endif
