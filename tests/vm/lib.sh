# tests/vm/lib.sh - sourced by the VM scenarios and demo.sh (POSIX sh +
# "local"; in the VM /bin/sh is dash).
#
# TAP:       ok DESC | not_ok DESC | skip DESC WHY | is GOT WANT DESC |
#            ge GOT MIN DESC | check CMD... | check_fail CMD... |
#            try DESC CMD... | try_fail DESC CMD... | diag MSG |
#            diag_file F | tap_passthrough NAME CMD... (a TAP program)
# Topology:  like WireGuard's tools/testing/selftests/wireguard/netns.sh:
#            ns1 and ns2 joined by a veth pair (veth1 in ns1, veth2 in ns2),
#            outer 192.168.241.1/24 + fd00:241::1/64 in ns1, .2 / ::2 in ns2.
#            setup_ns, mkns NS, zeq_pair [v4|v6] [KEY1 [KEY2]],
#            zeq_dev NS DEV PORT ADDR4 ADDR6, wg_pair [v4|v6], teardown,
#            n1/n2/n3/nsx NS CMD... (run in that network namespace),
#            nz NS ZEQCTL-ARGS..., genkey NAME, ping_ok NS DEST [ARGS]
# zeq state: zshow NS [DEV] (zeqctl -j show), dev_jq NS EXPR, peer_jq NS
#            EXPR ($DEV, $PEER select), dev_stat / peer_stat NS FIELD,
#            drop NS REASON, drops_sum NS, drops_line NS, endpoint NS,
#            softnet_drops, udp_errs NS (what the kernel dropped itself)
# Helpers:   wait_for S CMD, wait_pid PID S, iperf_server NS [PORT],
#            monitor_start NS FILE, event_seen FILE EVENT,
#            udp_listening / tcp_listening NS PORT
# zeqd:      zeqd_node, zeqd_pub, zeqd_zid, zeqd_peer, zeqd_start, zeqd_stop,
#            zeqd_pid, zeqd_running, zeqd_status, zeqd_log, zeqd_cmd,
#            zeqd_teardown, zeqd_show, zeqd_topology, zeqd_pair_nodes (the
#            daemon in namespaces: see the section at the end),
#            udp_lossless SECONDS RATE DESC
#
# Busybox runs its own applets in preference to $PATH: under busybox
# nsenter/timeout/setsid, name Debian's tools by full path where an applet
# of the same name exists (ip, setpriv, modprobe...).
#
# TAP lines go to fd 3 (the console in the VM) and to stdout (the
# scenario's log); the test counter is shared by all scenarios of a run
# through $TAPDIR, so numbers are unique and the runner prints the plan.

TAPDIR=${TAPDIR:-/tmp/tap}
[ -d "$TAPDIR" ] || { mkdir -p "$TAPDIR"; echo 0 >"$TAPDIR/n"; echo 0 >"$TAPDIR/fail"; }
{ true >&3; } 2>/dev/null || exec 3>&1

ZEQCTL=${ZEQCTL:-zeqctl}
V4_1=192.168.241.1
V4_2=192.168.241.2
V6_1=fd00:241::1
V6_2=fd00:241::2
PORT1=51901
PORT2=51902

_tap() {
	local st=$1 n
	shift
	n=$(($(cat "$TAPDIR/n") + 1))
	echo "$n" >"$TAPDIR/n"
	[ "$st" = ok ] || echo $(($(cat "$TAPDIR/fail") + 1)) >"$TAPDIR/fail"
	echo "$st $n - ${SCENARIO:+$SCENARIO: }$*" >&3
	[ "/proc/self/fd/3" -ef "/proc/self/fd/1" ] ||
		echo "TAP: $st $n - $*"
}
ok() { _tap ok "$@"; }
not_ok() { _tap "not ok" "$@"; }
skip() { _tap ok "$1 # SKIP ${2:-}"; }
diag() { echo "# $*" >&3; }
diag_stdin() { sed 's/^/# /' >&3; }
# Print a file as TAP comments (its last 400 lines).
diag_file() {
	local l
	l=$(wc -l <"$1" 2>/dev/null || echo 0)
	[ "$l" -gt 400 ] && diag "... ($((l - 400)) lines before)"
	tail -n 400 "$1" 2>/dev/null | diag_stdin
}

# check CMD...: ok if CMD succeeds; its output goes to the log.
check() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out"
	if [ $rc -eq 0 ]; then
		ok "$*"
	else
		not_ok "$* (exit $rc)"
		echo "$out" | tail -n 20 | diag_stdin
	fi
	return $rc
}
# try DESC CMD...: like check, with a description.
try() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "+ [$(cut -d' ' -f1 /proc/uptime)] $*"
	[ -n "$out" ] && echo "$out"
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "  \$ $* -> exit $rc"
		echo "$out" | tail -n 20 | diag_stdin
	fi
	return $rc
}
# try_fail DESC CMD...: ok if CMD fails.
try_fail() {
	local desc=$1
	shift
	echo "+ $*"
	if "$@"; then
		not_ok "$desc"
		diag "  \$ $* succeeded, should fail"
		return 1
	fi
	ok "$desc"
}
# check_fail CMD...: ok if CMD fails.
check_fail() {
	if "$@" >/dev/null 2>&1; then
		not_ok "fails: $*"
		return 1
	fi
	ok "fails: $*"
}
# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got: '$1'"
		diag " want: '$2'"
		return 1
	fi
}
# ge GOT MIN DESC (integers)
ge() {
	if [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got: '$1'"
		diag " want: >= $2"
		return 1
	fi
}

# uptime_ms: the uptime in milliseconds (busybox date has no %N)
uptime_ms() {
	local u
	u=$(cut -d' ' -f1 /proc/uptime)
	echo $((${u%.*} * 1000 + 1${u#*.} * 10 - 1000))
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
wait_for() {
	local end=$(($(cut -d. -f1 /proc/uptime) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# nsx NS CMD...: run CMD in the network namespace NS only. Much cheaper
# than "ip netns exec" (which also makes a mount namespace and remounts
# /sys), and enough for anything that does not look at /sys.
nsx() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
n1() { nsx ns1 "$@"; }
n2() { nsx ns2 "$@"; }
n3() { nsx ns3 "$@"; }
nz() { local ns=$1; shift; nsx "$ns" "$ZEQCTL" "$@"; }

# A fresh namespace with lo up and no DAD.
mkns() {
	ip netns del "$1" 2>/dev/null
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	nsx "$1" sh -c '
		echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad
		echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad
		echo 1 > /proc/sys/net/ipv4/ip_forward
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
	return 0
}

# ns1 and ns2 joined by veth1 <-> veth2.
setup_ns() {
	teardown
	mkns ns1 && mkns ns2 || return 1
	ip -n ns1 link add veth1 type veth peer name veth2 netns ns2 || return 1
	ip -n ns1 addr add $V4_1/24 dev veth1
	ip -n ns2 addr add $V4_2/24 dev veth2
	ip -n ns1 addr add $V6_1/64 dev veth1 nodad
	ip -n ns2 addr add $V6_2/64 dev veth2 nodad
	ip -n ns1 link set veth1 up
	ip -n ns2 link set veth2 up
}

# Deletes the namespaces the tests use (and only those).
teardown() {
	local ns
	for ns in ns1 ns2 ns3; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

KEYDIR=${KEYDIR:-/tmp/zeqkeys}
# genkey NAME: a key file from zeqctl genkey, path printed.
genkey() {
	mkdir -p "$KEYDIR"
	"$ZEQCTL" genkey >"$KEYDIR/$1" || return 1
	echo "$KEYDIR/$1"
}

# zeq_dev NS DEV PORT INNER4 INNER6: a zeq device with its inner addresses.
zeq_dev() {
	ip -n "$1" link add "$2" type zeq || return 1
	nz "$1" set "$2" listen-port "$3" || return 1
	ip -n "$1" addr add "$4" dev "$2"
	ip -n "$1" addr add "$5" dev "$2" nodad
}

# zeq_pair [v4|v6] [KEYFILE1 [KEYFILE2]]: zeq0 in ns1 and ns2, peer id 1 on
# both sides, endpoints over the v4 (default) or v6 outer network, keys
# from one genkey file (side 2 "reverse"); a second key file for side 2
# gives mismatched keys.
zeq_pair() {
	local outer=${1:-v4} k1=${2:-} k2=${3:-} ep1 ep2
	setup_ns || return 1
	[ -n "$k1" ] || k1=$(genkey pair) || return 1
	[ -n "$k2" ] || k2=$k1
	if [ "$outer" = v6 ]; then
		ep1="[$V6_1]:$PORT1" ep2="[$V6_2]:$PORT2"
	else
		ep1="$V4_1:$PORT1" ep2="$V4_2:$PORT2"
	fi
	zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 || return 1
	zeq_dev ns2 zeq0 $PORT2 10.0.0.2/24 fd00::2/64 || return 1
	nz ns1 peer add zeq0 id 1 endpoint "$ep2" allowed-ips 10.0.0.2/32,fd00::2/128 || return 1
	nz ns2 peer add zeq0 id 1 endpoint "$ep1" allowed-ips 10.0.0.1/32,fd00::1/128 || return 1
	nz ns1 key add zeq0 peer 1 id 1 key-file "$k1" || return 1
	nz ns2 key add zeq0 peer 1 id 1 key-file "$k2" reverse || return 1
	ip -n ns1 link set zeq0 up
	ip -n ns2 link set zeq0 up
}

# wg_pair [v4|v6]: the same with WireGuard (wg0, 10.0.1.x, fd00:1::x).
wg_pair() {
	local outer=${1:-v4} k1 k2 p1 p2 ep1 ep2
	setup_ns || return 1
	mkdir -p "$KEYDIR"
	k1=$(wg genkey) k2=$(wg genkey)
	echo "$k1" >"$KEYDIR/wg1"
	echo "$k2" >"$KEYDIR/wg2"
	p1=$(echo "$k1" | wg pubkey) p2=$(echo "$k2" | wg pubkey)
	if [ "$outer" = v6 ]; then
		ep1="[$V6_1]:51821" ep2="[$V6_2]:51822"
	else
		ep1="$V4_1:51821" ep2="$V4_2:51822"
	fi
	ip -n ns1 link add wg0 type wireguard || return 1
	ip -n ns2 link add wg0 type wireguard || return 1
	n1 wg set wg0 listen-port 51821 private-key "$KEYDIR/wg1" \
		peer "$p2" endpoint "$ep2" allowed-ips 10.0.1.2/32,fd00:1::2/128 || return 1
	n2 wg set wg0 listen-port 51822 private-key "$KEYDIR/wg2" \
		peer "$p1" endpoint "$ep1" allowed-ips 10.0.1.1/32,fd00:1::1/128 || return 1
	ip -n ns1 addr add 10.0.1.1/24 dev wg0
	ip -n ns2 addr add 10.0.1.2/24 dev wg0
	ip -n ns1 addr add fd00:1::1/64 dev wg0 nodad
	ip -n ns2 addr add fd00:1::2/64 dev wg0 nodad
	ip -n ns1 link set wg0 up
	ip -n ns2 link set wg0 up
}

# ---- zeq state through zeqctl show -j ---------------------------------
# zshow NS [DEV]
zshow() { nz "$1" -j show ${2:+"$2"}; }
# snap NS FILE: one zeqctl show -j, for several jq queries (jf FILE EXPR)
snap() { zshow "$1" >"$2"; }
jf() { jq -r "$2" "$1"; }
# dev_jq NS JQ-EXPR (on device zeq0, or $DEV)
dev_jq() {
	zshow "$1" | jq -r --arg d "${DEV:-zeq0}" ".[] | select(.ifname == \$d) | $2"
}
# peer_jq NS JQ-EXPR (on peer $PEER, default 1, of zeq0 / $DEV)
peer_jq() {
	dev_jq "$1" ".peers[] | select(.id == ${PEER:-1}) | $2"
}
dev_stat() { dev_jq "$1" ".stats.$2"; }
peer_stat() { peer_jq "$1" ".stats.$2"; }
drop() { dev_jq "$1" ".stats.drops[\"$2\"]"; }
drops_sum() { dev_jq "$1" '[.stats.drops[]] | add'; }
endpoint() { peer_jq "$1" .endpoint; }
# datagrams the kernel itself dropped: the softnet backlog's "dropped"
# column summed over CPUs (global), and UDP receive errors of a namespace
# (InErrors + RcvbufErrors)
softnet_drops() {
	local s=0 h
	for h in $(awk '{print $2}' /proc/net/softnet_stat); do
		s=$((s + 0x$h))
	done
	echo $s
}
udp_errs() {
	ip netns exec "$1" awk '/^Udp:/ { if (h) { print $4 + $6; exit } h = 1 }' /proc/net/snmp
}
# all drop counters of a device on one line, for diagnostics
drops_line() { dev_jq "$1" '.stats.drops | to_entries | map("\(.key)=\(.value)") | join(" ")'; }

# ping_ok NS DEST [ARGS...]: a few pings, waiting for the tunnel.
ping_ok() {
	local ns=$1 dst=$2
	shift 2
	nsx "$ns" ping -q -c 3 -i 0.2 -w 15 -W 2 "$@" "$dst"
}

# u16 port -> /proc/net/udp hex
port_hex() { printf '%04X' "$1"; }
# udp_listening NS PORT: the port is bound in NS (v4 or v6 socket)
udp_listening() {
	local h
	h=$(port_hex "$2")
	nsx "$1" cat /proc/net/udp /proc/net/udp6 2>/dev/null |
		awk '{print $2}' | grep -q ":$h\$"
}

tcp_listening() {
	local h
	h=$(port_hex "$2")
	nsx "$1" cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk '$4 == "0A" {print $2}' | grep -q ":$h\$"
}

# iperf_server NS [PORT]: iperf3 server for one client run, pid in
# IPERF_SERVER. (Background jobs use "ip netns exec" directly, not the n1
# helpers, so that $! is the program itself.)
iperf_server() {
	local port=${2:-5201}
	nsenter --net="/run/netns/$1" iperf3 -s -1 -p "$port" >"/tmp/iperf3-server-$port.log" 2>&1 &
	IPERF_SERVER=$!
	wait_for 10 tcp_listening "$1" "$port"
}

# capture_start FILE FILTER [ARGS...]: tcpdump on ns2's veth2 writing FILE
# (whole packets, one write per packet), CAPTURE_PID set. Returns once
# tcpdump says it is listening: a fixed sleep is not enough on a busy
# host, and a packet sent before that is lost to the capture.
capture_start() {
	local file=$1 filter=$2
	shift 2
	rm -f "$file" "$file.log"
	ip netns exec ns2 tcpdump -Z root -n -i veth2 -s 0 -U "$@" -w "$file" \
		"$filter" 2>"$file.log" &
	CAPTURE_PID=$!
	wait_for 20 grep -q 'listening on' "$file.log" ||
		diag "tcpdump not listening after 20 s: $(cat "$file.log")"
}

# capture_stop: let packets in flight land, then stop the capture
capture_stop() {
	sleep 0.5
	kill "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	return 0
}

# monitor_start NS FILE: zeqctl -j monitor in the background (MONITOR_PID)
monitor_start() {
	nsenter --net="/run/netns/$1" "$ZEQCTL" -j monitor >"$2" 2>&1 &
	MONITOR_PID=$!
	sleep 0.5
}
# event_seen FILE EVENT: the monitor wrote an event of that type
event_seen() {
	jq -Rc --arg e "$2" 'fromjson? | select(.event == $e)' "$1" 2>/dev/null |
		grep -q .
}

# wait_pid PID SECONDS: wait for a background job, kill it when late;
# returns its exit status (or 124 if it had to be killed).
wait_pid() {
	local pid=$1 end=$(($(cut -d. -f1 /proc/uptime) + $2))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(cut -d. -f1 /proc/uptime)" -ge "$end" ]; then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.2
	done
	wait "$pid"
}

# tap_passthrough NAME CMD...: run a program that prints TAP; every result
# becomes one of ours, its plan is checked.
tap_passthrough() {
	local name=$1 out rc line n=0 plan="" st desc bailed=""
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "+ $* -> exit $rc"
	echo "$out"
	while IFS= read -r line; do
		case $line in
		"not ok"*) st="not ok"; desc=${line#not ok} ;;
		"ok"*) st=ok; desc=${line#ok} ;;
		1..*) plan=${line#1..}; continue ;;
		"Bail out!"*) _tap "not ok" "$name: $line"; bailed=1; continue ;;
		"#"*) echo "$line" >&3; continue ;;
		*) continue ;;
		esac
		desc=$(echo "$desc" | sed 's/^ *[0-9]* *-\{0,1\} *//')
		n=$((n + 1))
		_tap "$st" "$name: $desc"
	done <<EOF_TAP
$out
EOF_TAP
	if [ -n "$bailed" ]; then
		:
	elif [ -z "$plan" ]; then
		not_ok "$name: printed a TAP plan (exit $rc)"
		echo "$out" | tail -n 20 | diag_stdin
	elif [ "$plan" != "$n" ]; then
		not_ok "$name: plan 1..$plan matches $n results"
	elif [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok'; then
		not_ok "$name: exit status $rc without a failed test"
	fi
}

# ---- zeqd: the daemon in the guest ---------------------------------------
# Nodes of zeqd, each in a network namespace. Everything of node NAME is in
# $ZEQD_DIR/NAME/ (/tmp/zeqd/NAME): zeqd.conf, field.key (0600, 32 random
# bytes as hex), state/ (the store, the lock), zeqd.sock (control API),
# cert.pem + key.pem (self-signed, EC P-256, CN www.example.com),
# identity.json (zeqd identity -j), ns and addr (where it runs), log
# (zeqd's stdout + stderr, appended over restarts), pid (while it runs).
# Every node shares the mesh secret $ZEQD_DIR/mesh.secret (0600, made by
# the first zeqd_node). The control channel listens on ADDR port 443
# ($ZEQD_PORT), sni_pool is "www.example.com, cdn.example.net", log_level
# debug.
#
#   zeqd_node NAME NS ADDR [KEY=VALUE...]  make the node, its keys and
#              certificate, and its identity (no daemon yet); KEY=VALUE:
#              more global config lines (first_request_timeout=2,
#              cover_page=/path...), written "KEY = VALUE" before any
#              peer section. Before or after setup_ns (NS need not
#              exist until zeqd_start).
#   zeqd_pub NAME    its Ed25519 public key (base64), for a peer's
#              public_key line; zeqd_zid NAME: its node id (ZID, hex)
#   zeqd_peer NAME PEERNAME KEY=VALUE...  append "[peer PEERNAME]" and
#              "KEY = VALUE" lines to NAME's zeqd.conf (split at the first
#              "=", so a base64 value keeps its padding), e.g.
#              zeqd_peer n1 n2 public_key="$(zeqd_pub n2)" \
#                  endpoint=$V4_2:443 device=zeq0 peer_id=1 \
#                  allowed_ips=10.0.0.2/32
#   zeqd_start NAME  zeqd -f -c CONF in NS, in the background, output
#              appended to its log; waits (30 s) until it listens on
#              ADDR:443. Non-zero, with its log as diag, if it exits or
#              does not listen. zeqd is the child of a small subshell that
#              writes zeqd's own pid (nsenter execs it) to the pid file and,
#              once it exits, its exit status to the status file: works
#              from any shell, try's $(...) included.
#   zeqd_stop NAME [SIGNAL]  kill -SIGNAL (default TERM) unless it has
#              exited already, wait (20 s, then KILL); returns zeqd's exit
#              status (0 after TERM, 128+N for a signal it did not handle,
#              124 if it had to be killed). TERM and INT stop it; not
#              for HUP (it reloads): kill -HUP "$(zeqd_pid NAME)".
#   zeqd_pid NAME    zeqd's pid (empty before zeqd_start / after zeqd_stop)
#   zeqd_running NAME  true while it runs (started, no exit status yet)
#   zeqd_status NAME   its exit status once it has exited (crashed: 134,
#              139...), empty while it runs
#   zeqd_log NAME    print its log (diag_file "$ZEQD_DIR/NAME/log" for TAP)
#   zeqd_cmd NAME ARGS...  zeqd -c CONF ARGS... in NS (zeqd_cmd n2 probes -j)
#   zeqd_teardown    stop every node's zeqd (TERM, KILL after 10 s) and
#              remove $ZEQD_DIR. Not called by teardown: a scenario that
#              starts zeqd ends with "zeqd_teardown; teardown" (init.sh
#              also kills whatever a scenario left running in its session).

ZEQD=${ZEQD:-/usr/local/bin/zeqd}
ZEQD_DIR=${ZEQD_DIR:-/tmp/zeqd}
ZEQD_PORT=443

# _zeqd_kv WHO KEY=VALUE...: check every argument is KEY=VALUE
_zeqd_kv() {
	local who=$1 kv
	shift
	for kv in "$@"; do
		case $kv in
		[a-z]*=*) ;;
		*) echo "$who: '$kv' is not KEY=VALUE" >&2; return 2 ;;
		esac
	done
}
# _zeqd_lines KEY=VALUE...: "KEY = VALUE" lines
_zeqd_lines() {
	local kv
	for kv in "$@"; do
		echo "${kv%%=*} = ${kv#*=}"
	done
}

zeqd_node() {
	local name ns addr d
	if [ $# -lt 3 ]; then
		echo "usage: zeqd_node NAME NS ADDR [KEY=VALUE...]" >&2
		return 2
	fi
	name=$1 ns=$2 addr=$3
	shift 3
	_zeqd_kv zeqd_node "$@" || return 2
	if [ ! -x "$ZEQD" ]; then
		echo "zeqd_node: no $ZEQD (build it: make -C daemon)" >&2
		return 1
	fi
	d=$ZEQD_DIR/$name
	rm -rf "$d"
	mkdir -p "$d/state" || return 1
	chmod 700 "$d"
	if [ ! -s "$ZEQD_DIR/mesh.secret" ]; then
		(umask 077 && openssl rand -hex 32 >"$ZEQD_DIR/mesh.secret") || return 1
	fi
	(umask 077 && openssl rand -hex 32 >"$d/field.key") || return 1
	if ! (umask 077 && openssl req -x509 -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=www.example.com -keyout "$d/key.pem" \
		-out "$d/cert.pem") >"$d/openssl.log" 2>&1; then
		echo "zeqd_node: openssl req failed:" >&2
		cat "$d/openssl.log" >&2
		return 1
	fi
	echo "$ns" >"$d/ns"
	echo "$addr" >"$d/addr"
	{
		echo "# zeqd node $name in netns $ns (tests/vm/lib.sh zeqd_node)"
		echo "state_dir = $d/state"
		echo "control_socket = $d/zeqd.sock"
		echo "status_file = $d/status.json"
		echo "field_key_file = $d/field.key"
		echo "mesh_secret_file = $ZEQD_DIR/mesh.secret"
		echo "listen_address = $addr"
		echo "listen_port = $ZEQD_PORT"
		echo "tls_cert_file = $d/cert.pem"
		echo "tls_key_file = $d/key.pem"
		echo "sni_pool = www.example.com, cdn.example.net"
		echo "log_level = debug"
		_zeqd_lines "$@"
	} >"$d/zeqd.conf"
	# the identity now, so that peers can name its key before any start
	if ! "$ZEQD" -c "$d/zeqd.conf" identity -j >"$d/identity.json" 2>"$d/identity.err" ||
	   ! jq -e '.public_key | length > 0' "$d/identity.json" >/dev/null 2>&1; then
		echo "zeqd_node: zeqd identity -j failed:" >&2
		cat "$d/identity.err" "$d/identity.json" >&2
		return 1
	fi
}

zeqd_pub() { jq -r .public_key "$ZEQD_DIR/$1/identity.json"; }
zeqd_zid() { jq -r .node_id "$ZEQD_DIR/$1/identity.json"; }

zeqd_peer() {
	local f=$ZEQD_DIR/$1/zeqd.conf peer=$2
	if [ $# -lt 2 ] || [ ! -f "$f" ]; then
		echo "usage: zeqd_peer NAME PEERNAME KEY=VALUE... (after zeqd_node NAME)" >&2
		return 2
	fi
	shift 2
	_zeqd_kv zeqd_peer "$@" || return 2
	{
		echo
		echo "[peer $peer]"
		_zeqd_lines "$@"
	} >>"$f"
}

zeqd_pid() { cat "$ZEQD_DIR/$1/pid" 2>/dev/null; }
zeqd_status() { cat "$ZEQD_DIR/$1/status" 2>/dev/null; }
zeqd_running() { [ -s "$ZEQD_DIR/$1/pid" ] && [ ! -e "$ZEQD_DIR/$1/status" ]; }

# _zeqd_listening NS ADDR: a TCP socket listens on ADDR:$ZEQD_PORT in NS
_zeqd_listening() {
	nsx "$1" /usr/bin/ss -Hltn "sport = :$ZEQD_PORT" 2>/dev/null |
		grep -qF -e " $2:$ZEQD_PORT " -e " [$2]:$ZEQD_PORT "
}
# _zeqd_up_or_gone NAME NS ADDR: listening, or zeqd has exited
_zeqd_up_or_gone() {
	_zeqd_listening "$2" "$3" || [ -e "$ZEQD_DIR/$1/status" ]
}

# zeqd runs as the child of a small subshell that writes its pid, waits
# for it and writes its exit status: so the status is known whichever
# shell started it (zeqd_start inside try's $(...) too), and the pid file
# names zeqd itself (nsenter execs it). The subshell's output goes to the
# log, not to a $(...) that would wait for zeqd to end.
zeqd_start() {
	local name=$1 d=$ZEQD_DIR/$1 ns addr pid
	if [ ! -f "$d/zeqd.conf" ]; then
		echo "zeqd_start: no node '$name' (zeqd_node first)" >&2
		return 2
	fi
	if zeqd_running "$name"; then
		echo "zeqd_start: $name runs already (pid $(zeqd_pid "$name"))" >&2
		return 1
	fi
	ns=$(cat "$d/ns") addr=$(cat "$d/addr")
	rm -f "$d/pid" "$d/status"
	echo "--- zeqd_start $name [$(cut -d' ' -f1 /proc/uptime)]" >>"$d/log"
	(
		nsenter --net="/run/netns/$ns" "$ZEQD" -f -c "$d/zeqd.conf" &
		echo $! >"$d/pid.new" && mv "$d/pid.new" "$d/pid"
		wait $!
		echo $? >"$d/status"
	) </dev/null >>"$d/log" 2>&1 &
	wait_for 10 test -s "$d/pid"
	pid=$(zeqd_pid "$name")
	wait_for 30 _zeqd_up_or_gone "$name" "$ns" "$addr"
	if [ -z "$pid" ] || ! zeqd_running "$name" || ! _zeqd_listening "$ns" "$addr"; then
		if zeqd_running "$name"; then
			diag "zeqd $name (pid $pid) not listening on $addr:$ZEQD_PORT in $ns after 30 s; its log:"
		else
			diag "zeqd $name (pid ${pid:-?}) exited (status $(zeqd_status "$name")); its log:"
		fi
		diag_file "$d/log"
		return 1
	fi
}

zeqd_stop() {
	local d=$ZEQD_DIR/$1 pid rc
	pid=$(zeqd_pid "$1")
	if [ -z "$pid" ]; then
		echo "zeqd_stop: $1 was not started" >&2
		return 1
	fi
	[ -e "$d/status" ] || kill -"${2:-TERM}" "$pid" 2>/dev/null
	if wait_for 20 test -s "$d/status"; then
		rc=$(cat "$d/status")
	else
		kill -KILL "$pid" 2>/dev/null
		wait_for 5 test -s "$d/status"
		rc=124
	fi
	rm -f "$d/pid"
	echo "--- zeqd_stop $1 ${2:-TERM}: exit $rc [$(cut -d' ' -f1 /proc/uptime)]" >>"$d/log"
	return "$rc"
}

zeqd_log() { cat "$ZEQD_DIR/$1/log" 2>/dev/null; }

zeqd_cmd() {
	local name=$1 d=$ZEQD_DIR/$1
	shift
	nsenter --net="/run/netns/$(cat "$d/ns")" "$ZEQD" -c "$d/zeqd.conf" "$@"
}

# _zeqd_all_gone: no node's zeqd runs
_zeqd_all_gone() {
	local d
	for d in "$ZEQD_DIR"/*/; do
		d=${d%/}
		[ -s "$d/pid" ] && [ ! -e "$d/status" ] && return 1
	done
	return 0
}

zeqd_teardown() {
	local d left=""
	for d in "$ZEQD_DIR"/*/; do
		d=${d%/}
		[ -s "$d/pid" ] && [ ! -e "$d/status" ] &&
			kill -TERM "$(cat "$d/pid")" 2>/dev/null
	done
	if ! wait_for 10 _zeqd_all_gone; then
		for d in "$ZEQD_DIR"/*/; do
			d=${d%/}
			if [ -s "$d/pid" ] && [ ! -e "$d/status" ]; then
				left="$left ${d##*/}"
				kill -KILL "$(cat "$d/pid")" 2>/dev/null
			fi
		done
		echo "zeqd_teardown: killed (no exit 10 s after TERM):$left" >&2
		wait_for 5 _zeqd_all_gone
	fi
	rm -rf "$ZEQD_DIR"
	return 0
}

ZA1=10.9.1.1
ZA2=10.9.2.2

# zeqd_topology: ns1 - ns3 - ns2, the outer network routed by ns3 ($ZA1 in
# ns1, $ZA2 in ns2), and a zeq0 in ns1 and ns2 with a listen port and
# nothing else (no peer, no key): what zeqd starts from
zeqd_topology() {
	teardown
	mkns ns1 && mkns ns2 && mkns ns3 || return 1
	ip -n ns3 link add veth31 type veth peer name veth1 netns ns1 &&
	ip -n ns3 link add veth32 type veth peer name veth2 netns ns2 || return 1
	ip -n ns3 addr add 10.9.1.3/24 dev veth31
	ip -n ns3 addr add 10.9.2.3/24 dev veth32
	ip -n ns1 addr add $ZA1/24 dev veth1
	ip -n ns2 addr add $ZA2/24 dev veth2
	for l in ns3/veth31 ns3/veth32 ns1/veth1 ns2/veth2; do
		ip -n "${l%/*}" link set "${l#*/}" up
	done
	ip -n ns1 route add default via 10.9.1.3 &&
	ip -n ns2 route add default via 10.9.2.3 || return 1
	zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 &&
	zeq_dev ns2 zeq0 $PORT2 10.0.0.2/24 fd00::2/64 || return 1
	ip -n ns1 link set zeq0 up
	ip -n ns2 link set zeq0 up
}

# zeqd_pair_nodes PERIOD [KEY=VALUE...]: nodes n1 (ns1) and n2 (ns2) for
# zeqd_topology: n1 calls n2 (peer 1 on ns1), n2 only answers (n1 is peer
# 7 on ns2); PERIOD Zeqonds between ratchets, the other keys for both
zeqd_pair_nodes() {
	local period=$1
	shift
	zeqd_node n1 ns1 $ZA1 ratchet_period="$period" "$@" &&
	zeqd_node n2 ns2 $ZA2 ratchet_period="$period" "$@" || return 1
	zeqd_peer n1 n2 public_key="$(zeqd_pub n2)" endpoint=$ZA2:443 \
		device=zeq0 peer_id=1 allowed_ips=10.0.0.2/32,fd00::2/128 &&
	zeqd_peer n2 n1 public_key="$(zeqd_pub n1)" device=zeq0 peer_id=7 \
		allowed_ips=10.0.0.1/32,fd00::1/128
}

# zeqd_show NAME [ZEQCTL-OPTIONS...]: zeqctl show in NAME's netns, reading
# NAME's status file (what zeqd says about each configured peer)
zeqd_show() {
	local d=$ZEQD_DIR/$1
	shift
	nsx "$(cat "$d/ns")" env ZEQ_STATUS_FILE="$d/status.json" "$ZEQCTL" "$@" show
}

# udp_lossless SECONDS RATE DESC: iperf3 UDP from ns1 to 10.0.0.2 (its
# server in ns2), 1000-byte datagrams at RATE; one test: it ran and lost
# nothing. A tunnel that dies mid-run fails the test (iperf3 is given 30 s
# more than SECONDS) instead of hanging the scenario. The report stays in
# /tmp/udp-lossless.json.
udp_lossless() {
	local f=/tmp/udp-lossless.json
	iperf_server ns2
	if timeout $(($1 + 30)) nsenter --net=/run/netns/ns1 iperf3 -c 10.0.0.2 \
	    -u -b "$2" -l 1000 -t "$1" --connect-timeout 5000 -J >"$f" 2>&1; then
		is "$(jq '.end.sum.lost_packets' "$f")" 0 "$3"
	else
		not_ok "$3 (iperf3 failed)"
		diag_file "$f"
	fi
}
