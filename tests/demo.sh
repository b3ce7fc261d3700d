#!/bin/sh
# tests/demo.sh (make demo) - zeq's main job on one machine: two network
# namespaces, a zeq tunnel between them keyed with zeqctl, ping and iperf3
# across it, zeqctl show on both sides.
#
# Runs on this host if it can load kmod/zeq.ko; otherwise (containers, CI,
# this build machine) boots the test VM (tests/vm/run.sh) and runs the same
# script in there, printing its output. Exit status non-zero if the demo
# fails. The namespaces are ns1 and ns2; the demo refuses to run on a host
# that already has namespaces of those names.

if [ "${ZEQ_IN_VM:-}" != 1 ] && [ "${ZEQ_DEMO_HOST:-}" != 1 ]; then
	TOP=$(cd "$(dirname "$0")/.." && pwd)
	cd "$TOP" || exit 1
	host_ok=
	if [ "$(id -u)" = 0 ] && [ -f kmod/zeq.ko ] && [ -x tools/zeqctl ] &&
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
		if ip netns list | grep -Eq '^ns[12]( |$)'; then
			echo "demo: namespaces ns1/ns2 exist already; not touching them" >&2
			exit 1
		fi
		echo "== running the demo on this host ($(uname -r))"
		ZEQ_DEMO_HOST=1 ZEQCTL=$TOP/tools/zeqctl PATH=$TOP/tools:$PATH \
			LIB=$TOP/tests/vm/lib.sh exec sh "$0"
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

echo "zeq demo: ns1 <-veth-> ns2, outer $V4_1 / $V4_2, tunnel 10.0.0.1 <-> 10.0.0.2"
setup_ns || { echo "demo: cannot create namespaces"; exit 1; }
key=$(genkey demo) || { echo "demo: zeqctl genkey failed"; exit 1; }
echo
echo "-- keys: one key file from 'zeqctl genkey', ns2 installs it reversed"
echo
echo "-- a zeq device in each namespace (stock iproute2)"
step "ns1: zeq0" ip -n ns1 link add zeq0 type zeq
step "ns2: zeq0" ip -n ns2 link add zeq0 type zeq
z1 set zeq0 listen-port $PORT1 || failed=$((failed + 1))
z2 set zeq0 listen-port $PORT2 || failed=$((failed + 1))
z1 peer add zeq0 id 1 endpoint $V4_2:$PORT2 allowed-ips 10.0.0.2/32,fd00::2/128 || failed=$((failed + 1))
z2 peer add zeq0 id 1 endpoint $V4_1:$PORT1 allowed-ips 10.0.0.1/32,fd00::1/128 || failed=$((failed + 1))
z1 key add zeq0 peer 1 id 1 key-file "$key" || failed=$((failed + 1))
z2 key add zeq0 peer 1 id 1 key-file "$key" reverse || failed=$((failed + 1))
ip -n ns1 addr add 10.0.0.1/24 dev zeq0
ip -n ns2 addr add 10.0.0.2/24 dev zeq0
ip -n ns1 addr add fd00::1/64 dev zeq0 nodad
ip -n ns2 addr add fd00::2/64 dev zeq0 nodad
ip -n ns1 link set zeq0 up
ip -n ns2 link set zeq0 up

step "ping 10.0.0.2 from ns1 through the tunnel" ip netns exec ns1 ping -c 5 -i 0.2 -w 15 10.0.0.2
step "ping fd00::1 from ns2" ip netns exec ns2 ping -c 3 -i 0.2 -w 15 fd00::1

ip netns exec ns2 iperf3 -s -1 >/dev/null 2>&1 &
wait_for 10 tcp_listening ns2 5201
step "iperf3 TCP, 3 s, ns1 -> ns2" ip netns exec ns1 iperf3 -c 10.0.0.2 -t 3 -f m
wait

echo
echo "-- zeqctl show, both sides"
z1 show || failed=$((failed + 1))
echo
z2 show || failed=$((failed + 1))
echo
echo "[ns2] \$ zeqctl -j show | jq '.[0].peers[0].stats'"
nz ns2 -j show | jq -M '.[0].peers[0].stats'
teardown
rm -rf "$TAPDIR"
echo
if [ $failed -eq 0 ]; then
	echo "demo: OK"
else
	echo "demo: $failed step(s) FAILED"
	exit 1
fi
