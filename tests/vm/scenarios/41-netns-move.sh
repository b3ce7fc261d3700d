#!/bin/sh
# A device moved to another namespace keeps its UDP socket in the namespace
# that created it: the port stays bound in ns1 (not ns3), and traffic still
# flows. Then ip link del, and the creating namespace deleted under a moved
# device.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before the move" ping_ok ns1 10.0.0.2
mkns ns3
try "ip link set zeq0 netns ns3" ip -n ns1 link set zeq0 netns ns3
ip -n ns3 addr add 10.0.0.1/24 dev zeq0
ip -n ns3 addr add fd00::1/64 dev zeq0 nodad
ip -n ns3 link set zeq0 up
try "port $PORT1 still bound in ns1 (creating namespace)" udp_listening ns1 $PORT1
try_fail "port $PORT1 not bound in ns3" udp_listening ns3 $PORT1
try "ping from ns3 through the moved device" ping_ok ns3 10.0.0.2
try "ping v6 from ns3" ping_ok ns3 fd00::2
try "ping from ns2 to the moved device" ping_ok ns2 10.0.0.1
is "$(zshow ns3 | jq -r '.[0].peers[0].id')" 1 "zeqctl show in ns3 sees the device and its peer"
is "$(zshow ns1 | jq length)" 0 "zeqctl show in ns1 no longer lists it"
try "zeqctl set in ns3 works" nz ns3 set zeq0 listen-port 51931
try "new port bound in ns1" udp_listening ns1 51931
try_fail "old port released" udp_listening ns1 $PORT1
nz ns2 peer set zeq0 id 1 endpoint $V4_1:51931
try "ping after the port change" ping_ok ns3 10.0.0.2
try "ip link del in ns3" ip -n ns3 link del zeq0
sleep 0.5
try_fail "socket closed in ns1 after ip link del" udp_listening ns1 51931

# creating namespace deleted while the device lives elsewhere
ip -n ns1 link add zeq0 type zeq
nz ns1 set zeq0 listen-port $PORT1
ip -n ns1 link set zeq0 netns ns3
ip -n ns3 link set zeq0 up
try "moved device up in ns3" ip -n ns3 link show zeq0
ip netns del ns1
sleep 2
if ip -n ns3 link show zeq0 >/dev/null 2>&1; then
	diag "zeq0 in ns3 survived its creating namespace"
	try "zeqctl show of the orphaned device" nz ns3 show
	try "ip link del of the orphaned device" ip -n ns3 link del zeq0
else
	ok "zeq0 in ns3 removed with its creating namespace"
fi
teardown
