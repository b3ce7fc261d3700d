/* SPDX-License-Identifier: MIT */
/*
 * config.h - zeqd.conf: the daemon's one configuration file.
 *
 * Format (docs/zeqd.conf.5): "key = value" lines, '#' comments, blank
 * lines; values may be double-quoted. Every error names the file, the line
 * and the key: "FILE:LINE: KEY: what is wrong". A key given twice is an
 * error. Unknown keys are errors (a typo must not silently fall back to a
 * default). A "[peer NAME]" line starts a peer's section: the keys after
 * it, up to the next section, are that peer's (its own table of keys).
 */
#ifndef ZEQD_CONFIG_H
#define ZEQD_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sni.h"
#include "zeq_attrs.h"

#define ZEQD_CONF_DEFAULT	"/etc/zeq/zeqd.conf"
#define ZEQD_STATE_DIR_DEFAULT	"/var/lib/zeq"
#define ZEQD_SOCKET_DEFAULT	"/run/zeq/zeqd.sock"
/* sockaddr_un.sun_path */
#define ZEQD_SOCKET_PATH_MAX	108
#define ZEQD_LISTEN_PORT_DEFAULT	443
#define ZEQD_FIRST_REQ_TIMEOUT_DEFAULT	10
#define ZEQD_FIRST_REQ_TIMEOUT_MAX	120
#define ZEQD_MAX_PENDING_DEFAULT	256
#define ZEQD_MAX_PENDING_MAX		65536
#define ZEQD_RATCHET_PERIOD_MAX		4096
#define ZEQD_REHANDSHAKE_DEFAULT	3600
#define ZEQD_REHANDSHAKE_MIN		10
#define ZEQD_REHANDSHAKE_MAX		604800
#define ZEQD_PEERS_MAX			64
#define ZEQD_PEER_NAME_MAX		31
#define ZEQD_PEER_AIPS_MAX		16
#define ZEQD_PEER_KEY_LEN		32
#define ZEQD_IFNAME_MAX			15

/**
 * struct zeqd_peer_conf - one "[peer NAME]" section
 * @name: NAME: 1 to 31 of A-Z a-z 0-9 _ . -
 * @line: the line of its "[peer NAME]"
 * @public_key: its node identity key (Ed25519, `zeqd identity` on that
 *	node; base64 or hex); key public_key, required
 * @endpoint: its control channel, "host:port" (a DNS name or an address;
 *	"[v6]:port"); key endpoint; "" = we only answer it
 * @device: our zeq device the tunnel uses; key device, required
 * @peer_id: the peer's id on that device; key peer_id, 1..ZEQ_PEER_ID_MAX,
 *	required
 * @aips: allowed IPs; key allowed_ips, comma-separated prefixes
 * @naips: how many
 */
struct zeqd_peer_conf {
	char name[ZEQD_PEER_NAME_MAX + 1];
	int line;
	uint8_t public_key[ZEQD_PEER_KEY_LEN];
	char endpoint[ZEQ_SNI_NAME_MAX + 10];
	char device[ZEQD_IFNAME_MAX + 1];
	uint32_t peer_id;
	struct zeq_prefix aips[ZEQD_PEER_AIPS_MAX];
	unsigned int naips;
};

/**
 * struct zeqd_config - the parsed zeqd.conf
 * @path: the file it was read from
 * @state_dir: directory of the store (zeq.db, its WAL) and the lock file;
 *	key state_dir, default /var/lib/zeq
 * @socket_path: the control API's Unix socket; key control_socket,
 *	default /run/zeq/zeqd.sock
 * @status_file: where zeqd writes its peers' state for zeqctl show; key
 *	status_file, default /run/zeq/status.json
 * @socket_group: group owning the socket (mode 0660), "" = the daemon's;
 *	key control_group
 * @field_key_file: file holding ZEQ_FIELD_KEY (mode 0600 or stricter);
 *	key field_key_file; "" means the ZEQ_FIELD_KEY environment variable
 * @log_level: ZLOG_*; key log_level (error|warning|notice|info|debug),
 *	default info
 * @mesh_secret_file: file holding ZEQ_MESH_SECRET; key mesh_secret_file;
 *	"" (default) = no control channel (the node joins no mesh)
 * @listen_address: the control channel's address; key listen_address,
 *	default "::" (IPv6 and IPv4)
 * @listen_port: its TCP port; key listen_port, default 443
 * @tls_cert_file: PEM certificate chain the channel presents; key
 *	tls_cert_file, needed with mesh_secret_file
 * @tls_key_file: its private key (PEM); key tls_key_file, likewise
 * @cover_page: file served to probes; key cover_page, "" = built-in page
 * @sni_pool: server names to present when connecting; key sni_pool,
 *	comma-separated, at most ZEQ_SNI_POOL_MAX
 * @sni_count: names in @sni_pool
 * @first_request_timeout: seconds a new connection has to send its first
 *	request; key first_request_timeout, 1..120, default 10
 * @max_pending: connections that have not authenticated, at most at once;
 *	key max_pending, 1..65536, default 256
 * @ratchet_period: Zeqonds between two ratchets of a tunnel's keys; key
 *	ratchet_period, 1..4096, default ZEQ_RATCHET_PERIOD_ZEQONDS (60)
 * @dns_resolver: the resolver address this node pushes to its peers for
 *	DNS through the tunnel; key dns_resolver, "" (default) = none
 * @rehandshake_interval: seconds after which the node that called a link
 *	calls again for a fresh handshake (new X25519 keys); key
 *	rehandshake_interval, 10..604800, default 3600
 * @peers: the "[peer NAME]" sections, in file order
 * @npeers: how many
 */
struct zeqd_config {
	char path[PATH_MAX];
	char state_dir[PATH_MAX];
	char socket_path[ZEQD_SOCKET_PATH_MAX];
	char status_file[PATH_MAX];
	char socket_group[64];
	char field_key_file[PATH_MAX];
	int log_level;
	char mesh_secret_file[PATH_MAX];
	char listen_address[64];
	uint16_t listen_port;
	char tls_cert_file[PATH_MAX];
	char tls_key_file[PATH_MAX];
	char cover_page[PATH_MAX];
	char sni_pool[ZEQ_SNI_POOL_MAX][ZEQ_SNI_NAME_MAX + 1];
	unsigned int sni_count;
	unsigned int first_request_timeout;
	unsigned int max_pending;
	unsigned int ratchet_period;
	unsigned int rehandshake_interval;
	char dns_resolver[64];
	struct zeqd_peer_conf peers[ZEQD_PEERS_MAX];
	unsigned int npeers;
};

/* defaults into *c */
void config_defaults(struct zeqd_config *c);

/*
 * Parse buf (len bytes, need not be NUL-terminated) named name into *c
 * (defaults first). 0 on success; -1 with "name:line: key: reason" in err
 * on the first error, *c then undefined (parse into a scratch struct and
 * copy on success: a bad reload keeps the running config).
 */
int config_parse(const char *name, const char *buf, size_t len,
		 struct zeqd_config *c, char *err, size_t errlen);

/*
 * A peer's endpoint, "host:port" or "[host]:port" with port 1 to 65535:
 * host (brackets off, 1 to ZEQ_SNI_NAME_MAX characters) into
 * host[ZEQ_SNI_NAME_MAX + 1], the port into *port. 1 if the host was in
 * brackets, 0 if not, -1 if ep has neither shape. Whether host is a name
 * or an address is the caller's to check.
 */
int config_endpoint_split(const char *ep, char *host, uint16_t *port);

/* read and parse a file; errors as config_parse (or "path: strerror") */
int config_load(const char *path, struct zeqd_config *c, char *err,
		size_t errlen);

#endif
