/* SPDX-License-Identifier: MIT */
/*
 * cmds.h - zeqctl subcommands. Each runs a command line parsed by
 * zc_parse_args() (args.h) and returns the exit status.
 */
#ifndef ZEQ_CMDS_H
#define ZEQ_CMDS_H

#include "args.h"

int cmd_show(const struct zc_args *a);
int cmd_set(const struct zc_args *a);
int cmd_peer(const struct zc_args *a);
int cmd_key(struct zc_args *a);		/* reads the key file into a->kc */
int cmd_genkey(void);
int cmd_monitor(const struct zc_args *a);

#endif /* ZEQ_CMDS_H */
