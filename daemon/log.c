// SPDX-License-Identifier: MIT
/*
 * log.c - zeqd's log lines: one write(2) each, to stderr.
 *
 * Under systemd, stderr is the journal's stream (JOURNAL_STREAM holds its
 * device and inode) and a "<N>" prefix carries the priority. Control
 * characters in a message become '?', so text from a peer or a request
 * cannot forge a second line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define LINE_MAX_LEN	2048

static const char *const level_names[] = {
	[ZLOG_ERR] = "error",
	[ZLOG_WARNING] = "warning",
	[ZLOG_NOTICE] = "notice",
	[ZLOG_INFO] = "info",
	[ZLOG_DEBUG] = "debug",
};

static struct {
	const char *prog;
	int level;
	bool journal;
} zl = { "zeqd", ZLOG_INFO, false };

/* is stderr the journal stream systemd gave us? */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void zlog_init(const char *prog, int level)
{
	zl.prog = prog;
	zl.level = level;
	zl.journal = stderr_is_journal();
}

void zlog_set_level(int level)
{
	zl.level = level;
}

int zlog_get_level(void)
{
	return zl.level;
}

int zlog_level_parse(const char *name)
{
	for (int i = ZLOG_ERR; i <= ZLOG_DEBUG; i++)
		if (!strcmp(name, level_names[i]))
			return i;
	return -1;
}

const char *zlog_level_name(int level)
{
	return level >= ZLOG_ERR && level <= ZLOG_DEBUG ? level_names[level] :
	       "?";
}

void zlog(int level, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	int saved = errno, n, m;
	va_list ap;

	if (level > zl.level)
		return;
	if (zl.journal)
		n = snprintf(line, sizeof(line), "<%d>", level);
	else
		n = snprintf(line, sizeof(line), "%s: %s: ", zl.prog,
			     zlog_level_name(level));
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	/* truncated: the text ends at the buffer */
	if ((size_t)m > sizeof(line) - (size_t)n - 2)
		m = (int)(sizeof(line) - (size_t)n - 2);
	while (m > 0 && line[n + m - 1] == '\n')
		m--;
	for (int i = n; i < n + m; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n + m] = '\n';
	/* one write: lines from concurrent writers do not interleave */
	if (write(STDERR_FILENO, line, (size_t)(n + m + 1)) < 0)
		(void)0;	/* nowhere left to report it */
	errno = saved;
}
