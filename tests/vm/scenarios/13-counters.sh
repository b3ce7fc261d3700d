#!/bin/sh
# Exact counters: K pings of S bytes must show as exactly K packets and
# K*(S+28) bytes (inner IPv4 packet: 20 IP + 8 ICMP + S) sent by ns1's
# peer and received by ns2's, and the replies the other way; likewise
# K*(S+48) for IPv6.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
ping_ok ns1 10.0.0.2
ping_ok ns1 fd00::2
K=10

# counters VAR-PREFIX: peer 1 and device stats of both sides, 2 zeqctl runs
counters() {
	local q='.[] | select(.ifname == "zeq0") | (.peers[] | select(.id == 1) | .stats |
		"\(.tx_packets) \(.tx_bytes) \(.rx_packets) \(.rx_bytes)"), (.stats |
		"\(.tx_packets) \(.tx_bytes) \(.rx_packets) \(.rx_bytes)")'
	set -- "$1" $(zshow ns1 | jq -r "$q") $(zshow ns2 | jq -r "$q")
	eval "$1_tx1=$2 $1_txb1=$3 $1_rx1=$4 $1_rxb1=$5 $1_dtx1=$6"
	eval "$1_tx2=${10} $1_txb2=${11} $1_rx2=${12} $1_rxb2=${13} $1_drx2=${17}"
}

for case in "10.0.0.2 1000 28" "10.0.0.2 0 28" "fd00::2 1000 48" "10.0.0.2 1388 28"; do
	set -- $case
	dst=$1 S=$2 H=$3
	B=$((K * (S + H)))
	counters a
	n1 ping -q -c $K -s $S -i 0.1 -W 5 $dst
	sleep 0.3
	counters b
	d="$dst x$K size $S"
	is "$((b_tx1 - a_tx1))" $K "$d: sender tx_packets"
	is "$((b_txb1 - a_txb1))" $B "$d: sender tx_bytes"
	is "$((b_rx2 - a_rx2))" $K "$d: receiver rx_packets"
	is "$((b_rxb2 - a_rxb2))" $B "$d: receiver rx_bytes"
	is "$((b_tx2 - a_tx2))" $K "$d: replies tx_packets"
	is "$((b_txb2 - a_txb2))" $B "$d: replies tx_bytes"
	is "$((b_rx1 - a_rx1))" $K "$d: replies rx_packets"
	is "$((b_rxb1 - a_rxb1))" $B "$d: replies rx_bytes"
	is "$((b_dtx1 - a_dtx1))" $K "$d: device tx_packets = peer's"
	is "$((b_drx2 - a_drx2))" $B "$d: device rx_bytes = peer's"
done
is "$(drops_sum ns2)" 0 "no drops on the receiver"
drops_line ns2 | diag_stdin
teardown
