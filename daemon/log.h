/* SPDX-License-Identifier: MIT */
/*
 * log.h - zeqd's logging: levels, stderr or the journal.
 *
 * Lines go to stderr. Under systemd (JOURNAL_STREAM names our stderr) each
 * line gets the sd-daemon "<N>" priority prefix so the journal keeps the
 * level; otherwise "zeqd: LEVEL: message". Never pass a secret, a key, a
 * token or a field key to these functions: tests/daemon greps the logs of a
 * full run for every secret it installed.
 */
#ifndef ZEQD_LOG_H
#define ZEQD_LOG_H

#include <stdbool.h>

/* syslog(3) priorities, so "<N>" prefixes need no mapping */
enum zlog_level {
	ZLOG_ERR = 3,
	ZLOG_WARNING = 4,
	ZLOG_NOTICE = 5,
	ZLOG_INFO = 6,
	ZLOG_DEBUG = 7,
};

/* prog: the name in front of lines; level: the most verbose level shown */
void zlog_init(const char *prog, int level);
void zlog_set_level(int level);
int zlog_get_level(void);
/* "error", "warning", "notice", "info", "debug" -> level; -1 if unknown */
int zlog_level_parse(const char *name);
const char *zlog_level_name(int level);

void zlog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	zlog(ZLOG_ERR, __VA_ARGS__)
#define log_warn(...)	zlog(ZLOG_WARNING, __VA_ARGS__)
#define log_notice(...)	zlog(ZLOG_NOTICE, __VA_ARGS__)
#define log_info(...)	zlog(ZLOG_INFO, __VA_ARGS__)
#define log_debug(...)	zlog(ZLOG_DEBUG, __VA_ARGS__)

#endif
