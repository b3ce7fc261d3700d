// SPDX-License-Identifier: MIT
/*
 * zeqctl.c - command line entry: global options and dispatch.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

#ifndef ZEQ_VERSION
#define ZEQ_VERSION "unknown"
#endif

static const char usage[] =
"Usage: zeqctl [-j] show [DEV]\n"
"       zeqctl set DEV [listen-port N] [fwmark M] [key-max-age SECONDS]\n"
"       zeqctl peer add DEV id N [endpoint A:P|[A6]:P] [allowed-ips PFX[,PFX...]]\n"
"                       [keepalive S]\n"
"       zeqctl peer set DEV id N [endpoint ...] [allowed-ips ...]\n"
"                       [replace-allowed-ips] [keepalive S]\n"
"       zeqctl peer del DEV id N\n"
"       zeqctl key add DEV peer N id K [remote-id R] [key-file FILE|-] [reverse]\n"
"       zeqctl key swap DEV peer N\n"
"       zeqctl key del DEV peer N slot current|next|previous\n"
"       zeqctl genkey\n"
"       zeqctl [-j] monitor\n"
"       zeqctl help | -h | --help | --version\n"
"\n"
"Keys are read from FILE or stdin, never from the command line. See zeqctl(8).\n";

static bool is_json_opt(const char *a)
{
	return strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0;
}

/* Removes -j/--json from argv (after the subcommand); sets *json. */
static int strip_json(int argc, char **argv, bool *json)
{
	int out = 0;

	for (int i = 0; i < argc; i++) {
		if (is_json_opt(argv[i]))
			*json = true;
		else
			argv[out++] = argv[i];
	}
	return out;
}

int main(int argc, char **argv)
{
	bool json = false;
	const char *cmd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (is_json_opt(argv[i])) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			printf("zeqctl %s\n", ZEQ_VERSION);
			return EXIT_OK;
		} else {
			return cli_usage_error("unknown option \"%s\"", argv[i]);
		}
	}
	if (i == argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[i++];
	argc -= i;
	argv += i;

	if (!strcmp(cmd, "show"))
		return cmd_show(strip_json(argc, argv, &json), argv, json);
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor(strip_json(argc, argv, &json), argv, json);
	if (!strcmp(cmd, "set"))
		return cmd_set(argc, argv);
	if (!strcmp(cmd, "peer"))
		return cmd_peer(argc, argv);
	if (!strcmp(cmd, "key"))
		return cmd_key(argc, argv);
	if (!strcmp(cmd, "genkey"))
		return cmd_genkey(argc, argv);
	if (!strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	return cli_usage_error("unknown command \"%s\"", cmd);
}
