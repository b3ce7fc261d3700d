#!/bin/sh
# Both nodes call each other (each has the other's endpoint), started
# together: two links may race to one peer. Both sides keep the same one
# (when both handshakes complete, the link called by the lower node id;
# a node that already has a link does not call), and the tunnel stays up
# without flapping: no further handshake for 20 s, nothing lost.
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
udp_lossless 20 1M "20 s of iperf3 UDP: nothing lost"
is "$(ups n1)/$(ups n2)" "$u1/$u2" "no tunnel came up again in 20 s (no flapping)"
l="$(link_of n1)/$(link_of n2)"
case $l in
called/answered|answered/called) ok "both sides keep the same link ($l)" ;;
*) not_ok "both sides keep the same link (n1/n2: $l)" ;;
esac
# if both handshakes completed, the lower node id's call won on both sides
if grep -q "keeping the link called by the lower node id\|replaced by a newer link" \
	/tmp/zeqd/n1/log /tmp/zeqd/n2/log; then
	if [ "$(zeqd_zid n1)" \< "$(zeqd_zid n2)" ]; then want=called/answered; else want=answered/called; fi
	is "$l" "$want" "two links raced: the one called by the lower node id stayed"
else
	diag "one link only (a node that has a link does not call)"
fi
is "$(zeqd_show n1 -j | jq -r '.[0].tunnels[0].state')" up "n1: up"
is "$(zeqd_show n2 -j | jq -r '.[0].tunnels[0].state')" up "n2: up"
try "ping back from ns2" ping_ok ns2 10.0.0.1

zeqd_teardown
teardown
