#!/bin/sh
# iperf3 TCP and UDP, 3 s each, through the tunnel.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
ping_ok ns1 10.0.0.2

for inner in 10.0.0.2 fd00::2; do
	iperf_server ns2
	if ip netns exec ns1 iperf3 -c $inner -t 3 -J >/tmp/tcp.json 2>&1; then
		bps=$(jq '.end.sum_received.bits_per_second | floor' /tmp/tcp.json)
		ge "$bps" 1 "iperf3 TCP to $inner: $((bps / 1000000)) Mbit/s"
	else
		not_ok "iperf3 TCP to $inner"
		jq -r '.error // empty' /tmp/tcp.json | diag_stdin
	fi
	wait_pid "$IPERF_SERVER" 10
done

iperf_server ns2
if ip netns exec ns1 iperf3 -c 10.0.0.2 -u -b 10M -l 1300 -t 3 -J >/tmp/udp.json 2>&1; then
	pk=$(jq '.end.sum.packets' /tmp/udp.json)
	lost=$(jq '.end.sum.lost_packets' /tmp/udp.json)
	ge "$((pk - lost))" 1 "iperf3 UDP 10M: $pk datagrams, $lost lost"
else
	not_ok "iperf3 UDP"
	jq -r '.error // empty' /tmp/udp.json | diag_stdin
fi
wait_pid "$IPERF_SERVER" 10
diag "crypto driver: $(dev_jq ns1 .crypto_driver)"
ge "$(peer_stat ns2 rx_bytes)" 1000000 "receiver counted the traffic"
teardown
