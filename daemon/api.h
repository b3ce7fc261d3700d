/* SPDX-License-Identifier: MIT */
/*
 * api.h - the control API: a Unix stream socket (default
 * /run/zeq/zeqd.sock, mode 0660) speaking newline-delimited JSON, one
 * request and one response per line; every request carries a zsm_ bearer
 * token. The protocol is in docs/api.md.
 */
#ifndef ZEQD_API_H
#define ZEQD_API_H

#include <stddef.h>

struct zloop;
struct zstore;
struct zeqd_config;
struct zapi;

/*
 * Create the socket's directory if missing (0750), bind (replacing a stale
 * socket, refusing a live one), chmod 0660, chown to control_group if set,
 * listen and serve on l. 0, or -1 with the reason in err.
 */
int zapi_open(struct zloop *l, struct zstore *s, const struct zeqd_config *c,
	      struct zapi **out, char *err, size_t errlen);
/* close every connection and the socket, unlink it */
void zapi_close(struct zapi *a);

/*
 * One request line (without the newline) -> one response (a malloc'd JSON
 * text without newline, never NULL except on ENOMEM). The transport-free
 * core, for the unit tests and the fuzz target.
 */
char *zapi_handle(struct zstore *s, const char *req, size_t len);

#endif
