/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - helpers shared by the libFuzzer targets (header only).
 *
 * FUZZ_CHECK(cond, ...) is the oracle: when a property of the code under
 * test does not hold it prints why and aborts, which libFuzzer reports as
 * a crash with its input saved as a reproducer.
 */
#ifndef ZEQ_FUZZ_H
#define ZEQ_FUZZ_H

#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sanitizer/asan_interface.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The real stderr (fd 2): oracle failures; sanitizers write there too. */
static FILE *fuzz_err;

/*
 * The code under test prints its errors ("zeqctl: invalid ...") through
 * stdio's stderr: point that at /dev/null, millions of times faster than
 * a terminal, unless FUZZ_VERBOSE is set (to read them on a reproducer).
 * fd 2 is left alone (libFuzzer's own output, sanitizer reports).
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_err = stderr;
	if (!getenv("FUZZ_VERBOSE")) {
		FILE *null = fopen("/dev/null", "w");

		if (!null)
			abort();
		stderr = null;
	}
	return 0;
}

#define FUZZ_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			FILE *f_ = fuzz_err ? fuzz_err : stderr;	\
			fprintf(f_, "FUZZ_CHECK failed at %s:%d: %s: ", \
				__FILE__, __LINE__, #cond);		\
			fprintf(f_, __VA_ARGS__);			\
			fputc('\n', f_);				\
			fflush(f_);					\
			abort();					\
		}							\
	} while (0)

/* True if s[0..size) holds a NUL (the string fits its buffer). */
static inline bool fuzz_terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* --- argument vectors ---------------------------------------------------- */

static char **fuzz_argv_strings;	/* the last fuzz_argv's strings */

/*
 * data as an argument vector: NUL-separated strings (a final NUL ends the
 * last one, it does not start an empty one). Empty data is argc 0, as
 * execve(path, {NULL}, envp) gives. Each string and the array are
 * separate heap blocks so ASan sees any read past them; argv[argc] is
 * NULL. At most max strings (the rest is dropped). The code under test
 * may reorder argv (zeqctl removes -j in place): the strings are freed
 * through a copy of the array made here (fuzz_argv_free).
 */
static inline char **fuzz_argv(const uint8_t *data, size_t size, int max,
			       int *argc)
{
	char **argv = calloc((size_t)max + 1, sizeof(*argv));
	size_t pos = 0;
	int n = 0;

	if (!argv)
		abort();
	while (pos < size && n < max) {
		const uint8_t *end = memchr(data + pos, '\0', size - pos);
		size_t len = end ? (size_t)(end - (data + pos)) : size - pos;

		argv[n] = malloc(len + 1);
		if (!argv[n])
			abort();
		memcpy(argv[n], data + pos, len);
		argv[n][len] = '\0';
		n++;
		pos += len + 1;
	}
	/* argv exactly argc + 1 long, so reading argv[argc + 1] is caught */
	argv = realloc(argv, ((size_t)n + 1) * sizeof(*argv));
	fuzz_argv_strings = malloc(((size_t)n + 1) * sizeof(*argv));
	if (!argv || !fuzz_argv_strings)
		abort();
	memcpy(fuzz_argv_strings, argv, ((size_t)n + 1) * sizeof(*argv));
	*argc = n;
	return argv;
}

static inline void fuzz_argv_free(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(fuzz_argv_strings[i]);
	free(fuzz_argv_strings);
	fuzz_argv_strings = NULL;
	free(argv);
}

/* --- received datagrams --------------------------------------------------- */

#define FUZZ_DGRAM_MAX	32768	/* ZNL_RXBUF_LEN */

/* What the netlink targets and gen_corpus.c agree on. */
#define FUZZ_SEQ	1000u	/* sequence number of the request */
#define FUZZ_PORTID	4242u	/* our netlink port id */
#define FUZZ_FAMILY	0x1d	/* the zeq family id nlctrl gave */
#define FUZZ_MAX_DGRAMS	4	/* fuzz_nlreply: datagrams per input */

/*
 * A copy of a received datagram for the netlink parsers. It ends (padded
 * to 4 bytes, as the kernel pads) right before an inaccessible page, so a
 * read past it faults even inside libmnl, which is not instrumented; the
 * pad bytes and everything before the copy are poisoned for ASan. Only
 * one datagram at a time: each call reuses the buffer.
 */
static inline const void *fuzz_dgram(const uint8_t *data, size_t size)
{
	static uint8_t *region;
	static size_t region_len;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t padded = (size + 3) & ~(size_t)3;
	uint8_t *guard, *place;

	if (!region) {
		region_len = (FUZZ_DGRAM_MAX + page - 1) / page * page;
		region = mmap(NULL, region_len + page, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (region == MAP_FAILED ||
		    mprotect(region + region_len, page, PROT_NONE))
			abort();
	}
	if (padded > region_len)
		abort();		/* -max_len too large for the buffer */
	guard = region + region_len;
	place = guard - padded;
	ASAN_UNPOISON_MEMORY_REGION(region, region_len);
	memset(place + size, 0xa5, padded - size);
	memcpy(place, data, size);
	ASAN_POISON_MEMORY_REGION(region, (size_t)(place - region));
	ASAN_POISON_MEMORY_REGION(place + size, padded - size);
	return place;
}

/* --- output to memory ------------------------------------------------------ */

struct fuzz_mem {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *fuzz_mem_open(struct fuzz_mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	if (!m->f)
		abort();
	return m->f;
}

/* Closes the stream; m->buf (NUL-terminated, m->len bytes) stays. */
static inline void fuzz_mem_close(struct fuzz_mem *m)
{
	if (fclose(m->f))
		abort();
}

/* --- a strict JSON validator (RFC 8259, UTF-8 checked) -------------------- */

struct fuzz_json {
	const unsigned char *s, *end;
	int depth;
};

static inline void fj_ws(struct fuzz_json *j)
{
	while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' ||
				 *j->s == '\n' || *j->s == '\r'))
		j->s++;
}

/* One UTF-8 sequence at s (well-formed, shortest form, no surrogate). */
static inline size_t fuzz_utf8_len(const unsigned char *s,
				   const unsigned char *end)
{
	size_t n, i;
	uint32_t cp;

	if (s >= end)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1fu;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0fu;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if ((size_t)(end - s) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static inline bool fj_hex4(struct fuzz_json *j)
{
	for (int i = 0; i < 4; i++, j->s++)
		if (j->s >= j->end || !strchr("0123456789abcdefABCDEF", *j->s) ||
		    !*j->s)
			return false;
	return true;
}

static inline bool fj_string(struct fuzz_json *j)
{
	if (j->s >= j->end || *j->s != '"')
		return false;
	j->s++;
	while (j->s < j->end) {
		unsigned char c = *j->s;
		size_t n;

		if (c == '"') {
			j->s++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			j->s++;
			if (j->s >= j->end)
				return false;
			c = *j->s++;
			if (c == 'u') {
				if (!fj_hex4(j))
					return false;
			} else if (!c || !strchr("\"\\/bfnrt", c)) {
				return false;
			}
			continue;
		}
		n = fuzz_utf8_len(j->s, j->end);
		if (!n)
			return false;
		j->s += n;
	}
	return false;
}

static inline bool fj_number(struct fuzz_json *j)
{
	const unsigned char *start = j->s;

	if (j->s < j->end && *j->s == '-')
		j->s++;
	if (j->s < j->end && *j->s == '0') {
		j->s++;
	} else {
		if (j->s >= j->end || *j->s < '1' || *j->s > '9')
			return false;
		while (j->s < j->end && *j->s >= '0' && *j->s <= '9')
			j->s++;
	}
	if (j->s < j->end && *j->s == '.') {
		j->s++;
		if (j->s >= j->end || *j->s < '0' || *j->s > '9')
			return false;
		while (j->s < j->end && *j->s >= '0' && *j->s <= '9')
			j->s++;
	}
	return j->s > start;
}

static inline bool fj_lit(struct fuzz_json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->s) < n || memcmp(j->s, lit, n))
		return false;
	j->s += n;
	return true;
}

static inline bool fj_value(struct fuzz_json *j)
{
	bool first = true;
	unsigned char close;

	fj_ws(j);
	if (j->s >= j->end)
		return false;
	switch (*j->s) {
	case '"': return fj_string(j);
	case 't': return fj_lit(j, "true");
	case 'f': return fj_lit(j, "false");
	case 'n': return fj_lit(j, "null");
	case '{': close = '}'; break;
	case '[': close = ']'; break;
	default: return fj_number(j);
	}
	if (++j->depth > 64)
		return false;
	j->s++;
	for (;;) {
		fj_ws(j);
		if (j->s < j->end && *j->s == close && first) {
			j->s++;
			break;
		}
		if (close == '}') {
			if (!fj_string(j))
				return false;
			fj_ws(j);
			if (j->s >= j->end || *j->s++ != ':')
				return false;
		}
		if (!fj_value(j))
			return false;
		first = false;
		fj_ws(j);
		if (j->s < j->end && *j->s == ',') {
			j->s++;
			continue;
		}
		if (j->s < j->end && *j->s == close) {
			j->s++;
			break;
		}
		return false;
	}
	j->depth--;
	return true;
}

/* True if s[0..len) is exactly one JSON value (whitespace around it). */
static inline bool fuzz_json_valid(const char *s, size_t len)
{
	struct fuzz_json j = { (const unsigned char *)s,
			       (const unsigned char *)s + len, 0 };

	if (!fj_value(&j))
		return false;
	fj_ws(&j);
	return j.s == j.end;
}

#endif /* ZEQ_FUZZ_H */
