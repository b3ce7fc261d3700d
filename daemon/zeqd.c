// SPDX-License-Identifier: MIT
/*
 * zeqd.c - the zeq daemon's main(): options, administrative subcommands,
 * and the daemon itself (config, instance lock, store, identity, control
 * API, signals).
 *
 *   zeqd [-c FILE] [-f] [-t]         run the daemon (always in the
 *                                    foreground: run it under systemd)
 *   zeqd [-c FILE] COMMAND [ARGS]    identity, token, secrets,
 *                                    rotate-field-key (docs/zeqd.8)
 *
 * Signals: SIGTERM/SIGINT stop cleanly; SIGHUP reloads zeqd.conf (a bad
 * file is logged and the running configuration kept). Readiness, reloads
 * and stopping are reported to systemd with sd_notify.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include <openssl/crypto.h>

#include "api.h"
#include "channel.h"
#include "cmds.h"
#include "config.h"
#include "identity.h"
#include "log.h"
#include "loop.h"
#include "peers.h"
#include "secretfile.h"
#include "store.h"

/**
 * struct zeqd - the running daemon
 * @conf: the configuration in force (SIGHUP replaces what can change live)
 * @loop: the event loop
 * @store: the open store
 * @api: the control API
 * @chan: the control channel to peers (NULL without a mesh secret)
 * @peers: the configured peers at run time (likewise)
 * @lock: the instance lock's fd
 */
struct zeqd {
	struct zeqd_config conf;
	struct zloop *loop;
	struct zstore *store;
	struct zapi *api;
	struct zchan *chan;
	struct zpeers *peers;
	int lock;
};

static const struct {
	const char *name;
	int (*fn)(const struct zeqd_config *c, int argc, char **argv);
} commands[] = {
	{ "identity", cmd_identity },
	{ "token", cmd_token },
	{ "secrets", cmd_secrets },
	{ "rotate-field-key", cmd_rotate_field_key },
	{ "probes", cmd_probes },
};

static int usage(FILE *f, int status)
{
	fprintf(f, "usage: zeqd [-c FILE] [-f] [-t]\n"
		"       zeqd [-c FILE] identity [-j]\n"
		"       zeqd [-c FILE] token create --slug SLUG --owner ZID\n"
		"       zeqd [-c FILE] token list [-j]\n"
		"       zeqd [-c FILE] token revoke ID | --slug SLUG\n"
		"       zeqd [-c FILE] secrets list [-j] [PREFIX]\n"
		"       zeqd [-c FILE] rotate-field-key --new-key-file FILE\n"
		"       zeqd [-c FILE] probes [-j]\n"
		"  -c FILE  configuration (default " ZEQD_CONF_DEFAULT ")\n"
		"  -f       stay in the foreground (zeqd never forks)\n"
		"  -t       check the configuration and exit\n"
		"  -V       print the version\n");
	return status;
}

static void on_stop(struct zloop *l, int signo, void *arg)
{
	(void)arg;
	log_notice("signal %d: stopping", signo);
	sd_notify(0, "STOPPING=1");
	zloop_stop(l);
}

/*
 * SIGHUP: read the file again. Only the log level changes live; the state
 * directory, socket, its group and the field key file are bound at start,
 * and a change to them is reported as needing a restart.
 */
static void on_reload(struct zloop *l, int signo, void *arg)
{
	struct zeqd *d = arg;
	struct zeqd_config nc;
	char err[512];

	(void)l;
	(void)signo;
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)zloop_now_ms() * 1000);
	if (config_load(d->conf.path, &nc, err, sizeof(err)) < 0) {
		log_err("reload: %s; keeping the running configuration", err);
	} else {
		if (strcmp(nc.state_dir, d->conf.state_dir) ||
		    strcmp(nc.socket_path, d->conf.socket_path) ||
		    strcmp(nc.socket_group, d->conf.socket_group) ||
		    strcmp(nc.field_key_file, d->conf.field_key_file))
			log_warn("reload: state_dir, control_socket, control_group "
				 "and field_key_file take effect at restart");
		d->conf.log_level = nc.log_level;
		zlog_set_level(nc.log_level);
		log_notice("reload: %s read, log level %s", d->conf.path,
			   zlog_level_name(nc.log_level));
	}
	sd_notify(0, "READY=1");
}

static void zeqd_teardown(struct zeqd *d)
{
	zchan_close(d->chan);
	zpeers_free(d->peers);
	zapi_close(d->api);
	zstore_close(d->store);
	zloop_free(d->loop);
	if (d->lock >= 0)
		close(d->lock);
}

/* the peers and the control channel, with the mesh secret from its file */
static int chan_open(struct zeqd *d, const struct zeq_identity *id)
{
	uint8_t mesh[ZEQ_MESHAUTH_SECRET_MIN];
	EVP_PKEY *key = NULL;
	char err[512];
	int ret;

	ret = secret_file_load(d->conf.mesh_secret_file, "mesh secret", mesh,
			       sizeof(mesh), err, sizeof(err));
	if (!ret) {
		key = identity_signing_key(d->store, id, err, sizeof(err));
		ret = key ? 0 : -1;
	}
	if (!ret) {
		d->peers = zpeers_new(d->loop, d->store, &d->conf, id, key,
				      mesh, sizeof(mesh), err, sizeof(err));
		ret = d->peers ? 0 : -1;
	}
	if (!ret)
		ret = zchan_open(d->loop, d->store, d->peers, &d->conf, mesh,
				 sizeof(mesh), &d->chan, err, sizeof(err));
	OPENSSL_cleanse(mesh, sizeof(mesh));
	if (ret < 0)
		log_err("control channel: %s", err);
	return ret;
}

static int zeqd_run(struct zeqd *d)
{
	struct zeq_identity id;
	char err[512];
	int ret;

	d->lock = zstore_lock(d->conf.state_dir, err, sizeof(err));
	if (d->lock < 0) {
		log_err("%s", err);
		return 1;
	}
	d->loop = zloop_new();
	if (!d->loop) {
		log_err("event loop: %s", strerror(errno));
		goto fail;
	}
	if (zstore_open_config(&d->conf, &d->store, err, sizeof(err)) < 0 ||
	    identity_ensure(d->store, &id, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto fail;
	}
	log_info("node %s, store %s/%s, field key version %u", id.zid,
		 d->conf.state_dir, ZSTORE_DB_NAME, zstore_key_version(d->store));
	if (zloop_add_signal(d->loop, SIGTERM, on_stop, d) < 0 ||
	    zloop_add_signal(d->loop, SIGINT, on_stop, d) < 0 ||
	    zloop_add_signal(d->loop, SIGHUP, on_reload, d) < 0) {
		log_err("signals: %s", strerror(errno));
		goto fail;
	}
	if (zapi_open(d->loop, d->store, &d->conf, &d->api, err,
		      sizeof(err)) < 0) {
		log_err("control API: %s", err);
		goto fail;
	}
	if (d->conf.mesh_secret_file[0] && chan_open(d, &id) < 0)
		goto fail;
	sd_notifyf(0, "READY=1\nSTATUS=node %s", id.zid);
	log_notice("zeqd " ZEQ_VERSION " ready (pid %ld)", (long)getpid());
	ret = zloop_run(d->loop);
	if (ret < 0)
		log_err("event loop: %s", strerror(-ret));
	zeqd_teardown(d);
	log_notice("stopped");
	return ret < 0 ? 1 : 0;
fail:
	zeqd_teardown(d);
	return 1;
}

int main(int argc, char **argv)
{
	static struct zeqd d = { .lock = -1 };
	const char *conf = ZEQD_CONF_DEFAULT;
	int opt, check = 0;
	char err[512];

	zlog_init("zeqd", ZLOG_INFO);
	/* '+': options stop at the subcommand, which has its own */
	while ((opt = getopt(argc, argv, "+c:ftVh")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'f':
			break;	/* zeqd never forks; accepted for habit */
		case 't':
			check = 1;
			break;
		case 'V':
			printf("zeqd " ZEQ_VERSION "\n");
			return 0;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (config_load(conf, &d.conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "zeqd: %s\n", err);
		return 1;
	}
	zlog_set_level(d.conf.log_level);
	if (optind < argc) {
		if (check)
			return usage(stderr, 2);
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[optind], commands[i].name))
				return commands[i].fn(&d.conf, argc - optind,
						      argv + optind);
		fprintf(stderr, "zeqd: unknown command '%s'\n", argv[optind]);
		return usage(stderr, 2);
	}
	if (check) {
		printf("%s: ok\n", conf);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	return zeqd_run(&d);
}
