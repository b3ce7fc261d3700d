#!/bin/sh
# Roaming: ns1's outer address changes; its next authenticated packet moves
# ns2's endpoint for the peer, traffic continues, and zeqctl monitor shows
# an endpoint-changed event.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
monitor_start ns2 /tmp/mon-roam.json
try "ping before roaming" ping_ok ns1 10.0.0.2
is "$(endpoint ns2)" "$V4_1:$PORT1" "ns2 endpoint before"
ip -n ns1 addr del $V4_1/24 dev veth1
ip -n ns1 addr add 192.168.241.11/24 dev veth1
try "ping after ns1 changed address" ping_ok ns1 10.0.0.2
is "$(endpoint ns2)" "192.168.241.11:$PORT1" "ns2 endpoint followed to the new address"
# to IPv6 outer: ns1 loses its IPv4 address, sends to ns2's v6 address
nz ns1 peer set zeq0 id 1 endpoint "[$V6_2]:$PORT2"
ip -n ns1 addr del 192.168.241.11/24 dev veth1
try "ping after ns1 moved to IPv6 outer" ping_ok ns1 10.0.0.2
is "$(endpoint ns2)" "[$V6_1]:$PORT1" "ns2 endpoint followed to IPv6"
try "ping from ns2 to the roamed peer" ping_ok ns2 10.0.0.1
sleep 0.5
if event_seen /tmp/mon-roam.json endpoint-changed; then
	ok "endpoint-changed event"
	n=$(grep -c endpoint-changed /tmp/mon-roam.json)
	ge "$n" 2 "one endpoint-changed event per move ($n)"
else
	not_ok "endpoint-changed event"
	diag_file /tmp/mon-roam.json
fi
grep endpoint-changed /tmp/mon-roam.json | head -n 3 | diag_stdin
kill "$MONITOR_PID" 2>/dev/null
teardown
