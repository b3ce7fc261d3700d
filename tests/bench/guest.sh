#!/bin/sh
# tests/bench/guest.sh - runs in the VM (tests/bench/run.sh boots it):
# iperf3 TCP, 5 s, 1 and 4 streams, ns1 -> ns2 over plain veth, WireGuard
# and zeq. Prints "BENCH <link> <streams> <Mbit/s>" lines and
# "BENCH-INFO key value" lines; the host makes the table.
. /zeqtests/lib.sh

T=${BENCH_TIME:-5}
measure() {	# measure LINK DEST
	local p bps
	for p in 1 4; do
		ip netns exec ns2 iperf3 -s -1 >/dev/null 2>&1 &
		wait_for 10 tcp_listening ns2 5201
		if ip netns exec ns1 iperf3 -c "$2" -t "$T" -P $p -J >/tmp/bench.json 2>&1; then
			bps=$(jq '.end.sum_received.bits_per_second' /tmp/bench.json)
			echo "BENCH $1 $p $(echo "$bps" | awk '{printf "%.1f", $1 / 1e6}')"
		else
			echo "BENCH $1 $p FAILED"
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
else
	echo "BENCH zeq 1 FAILED"
	echo "BENCH zeq 4 FAILED"
fi
teardown
