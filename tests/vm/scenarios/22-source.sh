#!/bin/sh
# Cryptokey routing: a packet that decrypts fine but whose inner source is
# outside the sending peer's allowed IPs (on the receiver) is dropped and
# counted as drops.source.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
ping_ok ns1 10.0.0.2
ip -n ns1 addr add 10.0.0.3/32 dev zeq0
ip -n ns1 addr add fd00::3/128 dev zeq0 nodad
s0=$(drop ns2 source)
rx0=$(peer_stat ns2 rx_packets)
try_fail "ping from 10.0.0.3 (not allowed on ns2) fails" \
	n1 ping -q -c 3 -i 0.2 -w 3 -W 1 -I 10.0.0.3 10.0.0.2
try_fail "ping from fd00::3 (not allowed on ns2) fails" \
	n1 ping -q -c 3 -i 0.2 -w 3 -W 1 -I fd00::3 fd00::2
sleep 0.3
s1=$(drop ns2 source)
is "$((s1 - s0))" 6 "receiver drops.source counts them"
is "$(peer_stat ns2 rx_packets)" "$rx0" "nothing delivered from a wrong source"
try "ping from an allowed source still works" ping_ok ns1 10.0.0.2 -I 10.0.0.1
# allow it on the receiver: now it passes
nz ns2 peer set zeq0 id 1 allowed-ips 10.0.0.3/32
try "after allowing 10.0.0.3 on ns2 it passes" ping_ok ns1 10.0.0.2 -I 10.0.0.3
is "$(peer_jq ns2 '.allowed_ips | length')" 3 "peer set adds allowed IPs (3)"
nz ns2 peer set zeq0 id 1 allowed-ips 10.0.0.1/32 replace-allowed-ips
is "$(peer_jq ns2 '.allowed_ips | length')" 1 "replace-allowed-ips replaces them (1)"
try_fail "10.0.0.3 dropped again" \
	n1 ping -q -c 2 -i 0.2 -w 2 -W 1 -I 10.0.0.3 10.0.0.2
# sender side: no peer for a destination
n0=$(drop ns1 no-route)
ip -n ns1 route add 10.9.9.0/24 dev zeq0
n1 ping -q -c 2 -i 0.2 -w 1 -W 1 10.9.9.9
ge "$(($(drop ns1 no-route) - n0))" 2 "sender drops.no-route for a destination no peer owns"
teardown
