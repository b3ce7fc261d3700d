#!/bin/sh
# timeout: 400
# 1,000 peers on one device, dumped in full; a peer with 1,000 allowed IPs
# (its dump continues over several messages); deleting half of them.
. /zeqtests/lib.sh

setup_ns && zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 || { not_ok "zeq device"; exit 0; }
t0=$(cut -d. -f1 /proc/uptime)
try "1000 x zeqctl peer add" ip netns exec ns1 sh -c '
	i=1
	while [ $i -le 1000 ]; do
		zeqctl peer add zeq0 id $i endpoint 192.168.241.2:$((20000 + i)) \
			allowed-ips 10.1.$((i / 256)).$((i % 256))/32 keepalive 25 || exit 1
		i=$((i + 1))
	done'
t1=$(cut -d. -f1 /proc/uptime)
diag "1000 peer adds took $((t1 - t0)) s"
zshow ns1 >/tmp/peers.json
is "$(jq '.[0].peers | length' /tmp/peers.json)" 1000 "show -j dumps 1000 peers"
is "$(jq '.[0].peer_count' /tmp/peers.json)" 1000 "peer_count 1000"
is "$(jq '[.[0].peers[].id] | unique | length' /tmp/peers.json)" 1000 "1000 distinct peer ids"
is "$(jq '[.[0].peers[].allowed_ips | length] | add' /tmp/peers.json)" 1000 "1000 allowed IPs in the dump"
is "$(jq -r '.[0].peers[] | select(.id == 777) | .endpoint' /tmp/peers.json)" \
	"192.168.241.2:20777" "peer 777 endpoint"
is "$(jq -r '.[0].peers[] | select(.id == 777) | .allowed_ips[0]' /tmp/peers.json)" \
	"10.1.3.9/32" "peer 777 allowed IP"

try "peer 1001 with 1000 IPv6 allowed IPs (10 x 100)" ip netns exec ns1 sh -c '
	c=0
	while [ $c -lt 10 ]; do
		list=""
		i=0
		while [ $i -lt 100 ]; do
			list="$list${list:+,}fd00:1001::$c:$i/128"
			i=$((i + 1))
		done
		if [ $c = 0 ]; then
			zeqctl peer add zeq0 id 1001 allowed-ips "$list" || exit 1
		else
			zeqctl peer set zeq0 id 1001 allowed-ips "$list" || exit 1
		fi
		c=$((c + 1))
	done'
is "$(PEER=1001 peer_jq ns1 '.allowed_ips | length')" 1000 "dump of peer 1001 has all 1000 allowed IPs"
is "$(zshow ns1 | jq '[.[0].peers[].allowed_ips | length] | add')" 2000 "2000 allowed IPs in the full dump"

try "delete 500 peers" ip netns exec ns1 sh -c '
	i=1
	while [ $i -le 1000 ]; do zeqctl peer del zeq0 id $i || exit 1; i=$((i + 2)); done'
is "$(zshow ns1 | jq '.[0].peers | length')" 501 "501 peers left"
is "$(dev_jq ns1 .peer_count)" 501 "peer_count 501"
try_fail "adding an existing peer id fails" nz ns1 peer add zeq0 id 2
try_fail "deleting a missing peer fails" nz ns1 peer del zeq0 id 1
try "ip link del with 501 peers" ip -n ns1 link del zeq0
teardown
