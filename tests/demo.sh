#!/bin/sh
# tests/demo.sh (make demo) - zeq's main job on one machine: two peers in
# two network namespaces (a third routes between them), a zeq device in
# each with a listen port and cover traffic on, and a zeqd in each that
# brings the tunnel up from its zeqd.conf alone (TLS control channel,
# handshake, keys through netlink, ratchet); ping and iperf3 across it,
# zeqctl show on both sides.
#
# Runs on this host if it can load kmod/zeq.ko; otherwise (containers, CI,
# this build machine) boots the test VM (tests/vm/run.sh) and runs the same
# script in there, printing its output. Exit status non-zero if the demo
# fails. The namespaces are ns1, ns2 and ns3; the demo refuses to run on a host
# that already has namespaces of those names.

if [ "${ZEQ_IN_VM:-}" != 1 ] && [ "${ZEQ_DEMO_HOST:-}" != 1 ]; then
	TOP=$(cd "$(dirname "$0")/.." && pwd)
	cd "$TOP" || exit 1
	host_ok=
	if [ "$(id -u)" = 0 ] && [ -f kmod/zeq.ko ] && [ -x tools/zeqctl ] &&
	   [ -x daemon/zeqd ] &&
	   [ "$(uname -r)" = "$(/sbin/modinfo -F vermagic kmod/zeq.ko | cut -d' ' -f1)" ]; then
		if lsmod | grep -q '^zeq '; then
			host_ok=1
		else
			modprobe udp_tunnel 2>/dev/null
			modprobe ip6_udp_tunnel 2>/dev/null
			modprobe aesni_intel 2>/dev/null
			modprobe zeq 2>/dev/null || insmod kmod/zeq.ko 2>/dev/null && host_ok=1
		fi
	fi
	if [ -n "$host_ok" ]; then
		if ip netns list | grep -Eq '^ns[123]( |$)'; then
			echo "demo: namespaces ns1/ns2/ns3 exist already; not touching them" >&2
			exit 1
		fi
		echo "== running the demo on this host ($(uname -r))"
		ZEQ_DEMO_HOST=1 ZEQCTL=$TOP/tools/zeqctl ZEQD=$TOP/daemon/zeqd \
			PATH=$TOP/tools:$PATH LIB=$TOP/tests/vm/lib.sh exec sh "$0"
	fi
	echo "== this kernel cannot load zeq.ko: running the demo in a VM (qemu, TCG)"
	exec tests/vm/run.sh --script demo.sh --timeout ${DEMO_TIMEOUT:-600}
fi

# ---------------------------------------------------------------- demo
LIB=${LIB:-/zeqtests/lib.sh}
TAPDIR=$(mktemp -d)
export TAPDIR
echo 0 >"$TAPDIR/n"
echo 0 >"$TAPDIR/fail"
. "$LIB"

failed=0
# step DESC CMD...: show the command and its output, remember failures
step() {
	local desc=$1
	shift
	case $desc in ns[12]:*) ;; *) echo; echo "-- $desc" ;; esac
	echo "\$ $*"
	if ! "$@"; then
		echo "!! FAILED: $desc"
		failed=$((failed + 1))
		return 1
	fi
}
z1() { echo "[ns1] \$ zeqctl $*"; nz ns1 "$@"; }
z2() { echo "[ns2] \$ zeqctl $*"; nz ns2 "$@"; }
# zeqctl show with the node's zeqd status file (its tunnel lines)
s1() { echo "[ns1] \$ zeqctl show"; zeqd_show n1; }
s2() { echo "[ns2] \$ zeqctl show"; zeqd_show n2; }

echo "zeq demo: ns1 <-> ns3 <-> ns2, outer $ZA1 / $ZA2, tunnel 10.0.0.1 <-> 10.0.0.2"
echo
echo "-- a zeq device in each peer's namespace (stock iproute2), a listen port,"
echo "   cover traffic on; no peer, no key: zeqd brings those"
zeqd_topology || { echo "demo: cannot create the namespaces and devices"; exit 1; }
z1 set zeq0 cover on || failed=$((failed + 1))
z2 set zeq0 cover on || failed=$((failed + 1))
z1 show zeq0 | sed -n 1,6p

echo
echo "-- a zeqd in each: one mesh secret, a TLS certificate each, the other as"
echo "   a [peer] (n1 calls n2 on $ZA2:443; n2 answers)"
step "zeqd configs and identities" zeqd_pair_nodes 60 || exit 1
echo "[n1] zeqd.conf:"
sed -e 's/^/    /' -e '/^    public_key/s/= .*/= (n2'"'"'s identity key)/' /tmp/zeqd/n1/zeqd.conf
step "start zeqd n2 (ns2)" zeqd_start n2 && step "start zeqd n1 (ns1)" zeqd_start n1 || {
	zeqd_teardown
	exit 1
}
step "wait for the tunnel (handshake, keys through netlink)" wait_for 30 ping_ok ns1 10.0.0.2
echo "[n1] log:"
grep -E "calling|handshake|tunnel up|server name" /tmp/zeqd/n1/log | sed 's/^/    /' | head -8

step "ping 10.0.0.2 from ns1 through the tunnel" ip netns exec ns1 ping -c 5 -i 0.2 -w 15 10.0.0.2
step "ping fd00::1 from ns2" ip netns exec ns2 ping -c 3 -i 0.2 -w 15 fd00::1

ip netns exec ns2 iperf3 -s -1 >/dev/null 2>&1 &
srv=$!
wait_for 10 tcp_listening ns2 5201
step "iperf3 TCP, 3 s, ns1 -> ns2" ip netns exec ns1 iperf3 -c 10.0.0.2 -t 3 -f m
# (the server alone: the zeqd are background jobs of this shell too)
wait $srv

echo
echo "-- zeqctl show, both sides (the tunnel lines come from zeqd)"
s1 || failed=$((failed + 1))
echo
s2 || failed=$((failed + 1))
echo
echo "[ns2] \$ zeqctl -j show | jq '.[0].peers[0].stats'"
nz ns2 -j show | jq -M '.[0].peers[0].stats'
n=$(nz ns2 -j show | jq '.[0].peers[0].stats.rx_cover')
step "cover packets flowed ($n received by ns2)" test "${n:-0}" -gt 0
zeqd_teardown
teardown
rm -rf "$TAPDIR"
echo
if [ $failed -eq 0 ]; then
	echo "demo: OK"
else
	echo "demo: $failed step(s) FAILED"
	exit 1
fi
