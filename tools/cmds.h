/* SPDX-License-Identifier: MIT */
/*
 * cmds.h - zeqctl subcommands. Each gets the arguments after its name and
 * returns the exit status.
 */
#ifndef ZEQ_CMDS_H
#define ZEQ_CMDS_H

#include <stdbool.h>

int cmd_show(int argc, char **argv, bool json);
int cmd_set(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_genkey(int argc, char **argv);
int cmd_monitor(int argc, char **argv, bool json);

#endif /* ZEQ_CMDS_H */
