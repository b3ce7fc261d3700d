#!/bin/sh
# tests/bench/guest.sh - runs in the VM (tests/bench/run.sh boots it):
# iperf3 TCP, 5 s, 1 and 4 streams, ns1 -> ns2 over plain veth, WireGuard
# and zeq; then one stream over zeq with each padding mode, with cover on,
# and with header protection and a prefix (zeq-<variant>). Prints
# "BENCH <link> <streams> <Mbit/s>" lines and "BENCH-INFO key value"
# lines; the host makes the tables.
. /zeqtests/lib.sh

T=${BENCH_TIME:-5}
measure() {	# measure LINK DEST [STREAMS...]
	local link=$1 dest=$2 p bps
	shift 2
	for p in ${@:-1 4}; do
		ip netns exec ns2 iperf3 -s -1 >/dev/null 2>&1 &
		wait_for 10 tcp_listening ns2 5201
		if ip netns exec ns1 iperf3 -c "$dest" -t "$T" -P $p -J >/tmp/bench.json 2>&1; then
			bps=$(jq '.end.sum_received.bits_per_second' /tmp/bench.json)
			echo "BENCH $link $p $(echo "$bps" | awk '{printf "%.1f", $1 / 1e6}')"
		else
			echo "BENCH $link $p FAILED"
			jq -r '.error // empty' /tmp/bench.json
		fi
		wait
	done
}

echo "BENCH-INFO kernel $(uname -r)"
echo "BENCH-INFO cpus $(nproc)"
setup_ns && measure veth $V4_2
wg_pair v4 && ping_ok ns1 10.0.1.2 >/dev/null && measure WireGuard 10.0.1.2
if zeq_pair v4 && ping_ok ns1 10.0.0.2 >/dev/null; then
	echo "BENCH-INFO crypto_driver $(dev_jq ns1 .crypto_driver)"
	measure zeq 10.0.0.2
	# variants, one stream each, against "zeq" (padding off, cover off)
	variant() {	# variant NAME ZEQCTL-SET-ARGS... (on both sides)
		local name=$1
		shift
		if nz ns1 set zeq0 "$@" && nz ns2 set zeq0 "$@"; then
			measure "zeq-$name" 10.0.0.2 1
		else
			echo "BENCH zeq-$name 1 FAILED"
		fi
	}
	variant bucket padding bucket 128,256,512,1024
	variant mtu padding mtu
	variant random padding random max 256
	variant cover padding off cover on
	head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >/tmp/bench-hp
	variant obfs cover off prefix 1-16 type-data 1000-900000 \
		header-protection on hp-key-file /tmp/bench-hp
else
	echo "BENCH zeq 1 FAILED"
	echo "BENCH zeq 4 FAILED"
fi

# The control plane: complete handshakes on one thread (prog_hsbench),
# without and with the responder's kernel install (peer, key staged and
# swapped in through netlink, as zeqd does), and a ratchet's cost.
hs() {	# hs TAG [DEV]: prog_hsbench's lines as "BENCH TAG key value"
	local tag=$1
	shift
	nsx ns1 prog_hsbench /tmp/hs-cert.pem /tmp/hs-key.pem "${HS_TIME:-8}" "$@" |
		sed "s/^BENCH /BENCH $tag /"
}
if setup_ns && zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 &&
   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout /tmp/hs-key.pem -out /tmp/hs-cert.pem -days 1 \
	-subj "/CN=www.example.com" 2>/dev/null; then
	hs hs-plain
	hs hs-install zeq0
	echo "BENCH-INFO hs_peers $(dev_jq ns1 '.peers | length')"
else
	echo "BENCH hs-plain responder FAILED"
fi
teardown
