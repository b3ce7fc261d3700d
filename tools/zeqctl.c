// SPDX-License-Identifier: MIT
/*
 * zeqctl.c - command line entry: parse (args.c), then run (cmd_*.c).
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "cli.h"
#include "cmds.h"

#ifndef ZEQ_VERSION
#define ZEQ_VERSION "unknown"
#endif

static const char usage[] =
"Usage: zeqctl [-j] show [DEV]\n"
"       zeqctl set DEV [listen-port N] [fwmark M] [key-max-age SECONDS]\n"
"                  [cover on [rate PPS] | cover off]\n"
"                  [padding off | mtu | bucket S1,S2,... |\n"
"                   random max N [dist uniform|exponential] [mean N] [cap PCT]]\n"
"                  [junk-count N] [junk-size MIN-MAX] [prefix MIN-MAX]\n"
"                  [type-data MIN-MAX] [type-junk MIN-MAX]\n"
"                  [header-protection on|off] [hp-key-file FILE|-]\n"
"       zeqctl peer add DEV id N [endpoint A:P|[A6]:P] [allowed-ips PFX[,PFX...]]\n"
"                       [keepalive S] [cover on [rate PPS] | cover off|device]\n"
"       zeqctl peer set DEV id N [endpoint ...] [allowed-ips ...]\n"
"                       [replace-allowed-ips] [keepalive S] [cover ...]\n"
"       zeqctl peer del DEV id N\n"
"       zeqctl key add DEV peer N id K [remote-id R] [key-file FILE|-] [reverse]\n"
"       zeqctl key swap DEV peer N\n"
"       zeqctl key del DEV peer N slot current|next|previous\n"
"       zeqctl genkey [hp]\n"
"       zeqctl [-j] monitor\n"
"       zeqctl [-j] tunnels [list | show ID]\n"
"       zeqctl tunnels add PEER [via HOP[,HOP...]] | stop ID | del ID\n"
"       zeqctl [-j] secrets [list]\n"
"       zeqctl [-j] token [show | revoke]\n"
"         (daemon commands: [--socket PATH] [--token-file FILE] before\n"
"          the command; the token also from $ZEQ_TOKEN_FILE or $ZEQ_TOKEN)\n"
"       zeqctl help | -h | --help | --version\n"
"\n"
"Keys are read from FILE or stdin, never from the command line. See zeqctl(8).\n";

int main(int argc, char **argv)
{
	struct zc_args a;
	int ret = zc_parse_args(argc, argv, &a);

	if (ret) {
		zc_args_free(&a);
		return ret;
	}
	switch (a.cmd) {
	case ZC_USAGE:
		fputs(usage, stderr);
		ret = EXIT_USAGE;
		break;
	case ZC_HELP:
		fputs(usage, stdout);
		ret = EXIT_OK;
		break;
	case ZC_VERSION:
		printf("zeqctl %s\n", ZEQ_VERSION);
		ret = EXIT_OK;
		break;
	case ZC_SHOW: ret = cmd_show(&a); break;
	case ZC_MONITOR: ret = cmd_monitor(&a); break;
	case ZC_SET: ret = cmd_set(&a); break;
	case ZC_PEER: ret = cmd_peer(&a); break;
	case ZC_KEY: ret = cmd_key(&a); break;
	case ZC_GENKEY: ret = cmd_genkey(a.genkey_hp); break;
	case ZC_API: ret = cmd_api(&a); break;
	}
	zc_args_free(&a);
	return ret;
}
