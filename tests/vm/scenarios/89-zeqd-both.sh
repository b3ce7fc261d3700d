#!/bin/sh
# Both nodes call each other (each has the other's endpoint), started at
# once: two links race to one peer. Both sides keep the same one, the
# link called by the lower node id, and the tunnel stays up without
# flapping: no further handshake for 20 s and nothing lost meanwhile.
# timeout: 240
. /zeqtests/lib.sh

ups() { grep -c "tunnel up on zeq0" "/tmp/zeqd/$1/log"; }
link_of() { zeqd_show "$1" -j | jq -r '.[0].tunnels[0].link'; }

if ! zeqd_topology || ! zeqd_pair_nodes 60; then
	not_ok "topology and nodes"
	exit 0
fi
# n2 calls n1 too: its peer section gets n1's endpoint
echo "endpoint = $ZA1:443" >>/tmp/zeqd/n2/zeqd.conf
zeqd_start n1 && zeqd_start n2 || { not_ok "two daemons started"; zeqd_teardown; teardown; exit 0; }
try "tunnel up" wait_for 30 ping_ok ns1 10.0.0.2
sleep 3
u1=$(ups n1) u2=$(ups n2)
iperf_server ns2
if ip netns exec ns1 iperf3 -c 10.0.0.2 -u -b 1M -l 1000 -t 20 -J >/tmp/zb-udp.json 2>&1; then
	is "$(jq '.end.sum.lost_packets' /tmp/zb-udp.json)" 0 "20 s of iperf3 UDP: nothing lost"
else
	not_ok "iperf3 UDP"
	diag_file /tmp/zb-udp.json
fi
is "$(ups n1)/$(ups n2)" "$u1/$u2" "no tunnel came up again in 20 s (no flapping)"
if [ "$(zeqd_zid n1)" \< "$(zeqd_zid n2)" ]; then
	want1=called want2=answered
else
	want1=answered want2=called
fi
is "$(link_of n1)/$(link_of n2)" "$want1/$want2" \
	"both keep the link called by the lower node id"
is "$(zeqd_show n1 -j | jq -r '.[0].tunnels[0].state')" up "n1: up"
is "$(zeqd_show n2 -j | jq -r '.[0].tunnels[0].state')" up "n2: up"
try "ping back from ns2" ping_ok ns2 10.0.0.1

zeqd_teardown
teardown
