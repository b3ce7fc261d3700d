#!/bin/sh
# Several devices in several namespaces: two tunnels between ns1 and ns2,
# a third between ns2 and ns3 where ns3 reuses ns1's port number.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
k=$(genkey multi)
zeq_dev ns1 zeq1 51911 10.0.2.1/24 fd00:2::1/64
zeq_dev ns2 zeq1 51912 10.0.2.2/24 fd00:2::2/64
nz ns1 peer add zeq1 id 7 endpoint $V4_2:51912 allowed-ips 10.0.2.2/32
nz ns2 peer add zeq1 id 9 endpoint $V4_1:51911 allowed-ips 10.0.2.1/32
nz ns1 key add zeq1 peer 7 id 70 remote-id 90 key-file "$k"
nz ns2 key add zeq1 peer 9 id 90 remote-id 70 key-file "$k" reverse
ip -n ns1 link set zeq1 up
ip -n ns2 link set zeq1 up

mkns ns3
ip -n ns3 link add veth3 type veth peer name veth23 netns ns2
ip -n ns3 addr add 192.168.242.3/24 dev veth3
ip -n ns2 addr add 192.168.242.2/24 dev veth23
ip -n ns3 link set veth3 up
ip -n ns2 link set veth23 up
k3=$(genkey third)
zeq_dev ns3 zeq0 $PORT1 10.0.3.3/24 fd00:3::3/64
zeq_dev ns2 zeq2 51922 10.0.3.2/24 fd00:3::2/64
nz ns3 peer add zeq0 id 1 endpoint 192.168.242.2:51922 allowed-ips 10.0.3.2/32
nz ns2 peer add zeq2 id 1 endpoint 192.168.242.3:$PORT1 allowed-ips 10.0.3.3/32
nz ns3 key add zeq0 peer 1 id 1 key-file "$k3"
nz ns2 key add zeq2 peer 1 id 1 key-file "$k3" reverse
ip -n ns3 link set zeq0 up
ip -n ns2 link set zeq2 up

try "ns1 zeq0 -> ns2" ping_ok ns1 10.0.0.2
try "ns1 zeq1 -> ns2 (key ids 70/90)" ping_ok ns1 10.0.2.2
try "ns3 zeq0 (same port as ns1 zeq0) -> ns2 zeq2" ping_ok ns3 10.0.3.2
try "ns2 -> all three" ip netns exec ns2 sh -c 'ping -q -c 2 -i 0.2 -w 10 10.0.0.1 &&
	ping -q -c 2 -i 0.2 -w 10 10.0.2.1 && ping -q -c 2 -i 0.2 -w 10 10.0.3.3'
is "$(zshow ns1 | jq length)" 2 "show -j in ns1 lists its 2 devices"
is "$(zshow ns2 | jq length)" 3 "show -j in ns2 lists its 3 devices"
is "$(zshow ns3 | jq length)" 1 "show -j in ns3 lists its 1 device"
is "$(zshow ns2 zeq1 | jq -r '.[0].ifname')" zeq1 "show -j DEV selects one device"
is "$(zshow ns2 zeq1 | jq -r '.[0].peers[0].id')" 9 "peer ids are per device"
try_fail "a port already used in the namespace is refused" nz ns1 set zeq1 listen-port $PORT1
is "$(DEV=zeq1 dev_jq ns1 .listen_port)" 51911 "failed set left the port alone"
try "ns1 zeq1 still works" ping_ok ns1 10.0.2.2
try "ip link del of one device" ip -n ns2 link del zeq1
try "the others still work" ping_ok ns1 10.0.0.2
try "no zeq device left in ns1 after ip link del" sh -c \
	'ip -n ns1 link del zeq0 && ip -n ns1 link del zeq1 && ! ip -n ns1 -o link show type zeq | grep -q .'
teardown
