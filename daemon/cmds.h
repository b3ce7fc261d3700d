/* SPDX-License-Identifier: MIT */
/*
 * cmds.h - zeqd's administrative subcommands: "zeqd [-c FILE] CMD ...".
 *
 * Each runs in the foreground, uses the store (possibly beside a running
 * daemon: SQLite's WAL and busy timeout make that safe), prints its result
 * on stdout and errors on stderr, and returns the process exit status
 * (0 success, 1 failure, 2 usage error). argv[0] is the subcommand name.
 */
#ifndef ZEQD_CMDS_H
#define ZEQD_CMDS_H

struct zeqd_config;

/* identity.c: print the node's public key and ZID (creating them once) */
int cmd_identity(const struct zeqd_config *c, int argc, char **argv);
/* tokens.c: token create --slug S --owner ZID | token list [-j] |
 * token revoke ID|--slug S */
int cmd_token(const struct zeqd_config *c, int argc, char **argv);
/* cmd_store.c: rotate-field-key --new-key-file FILE (the daemon must not
 * be running: it takes the instance lock) */
int cmd_rotate_field_key(const struct zeqd_config *c, int argc, char **argv);
/* cmd_store.c: secrets list [-j] [PREFIX]: purposes and metadata only */
int cmd_secrets(const struct zeqd_config *c, int argc, char **argv);
/* cmd_store.c: probes [-j]: connections that did not authenticate */
int cmd_probes(const struct zeqd_config *c, int argc, char **argv);

#endif
