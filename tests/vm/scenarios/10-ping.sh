#!/bin/sh
# Ping across a zeq tunnel: IPv4 and IPv6 inner over IPv4 and IPv6 outer,
# both directions, a full-MTU packet and a fragmented one.
. /zeqtests/lib.sh

for outer in v4 v6; do
	if ! zeq_pair $outer; then
		not_ok "zeq pair ($outer outer)"
		continue
	fi
	try "ping v4 inner / $outer outer" ping_ok ns1 10.0.0.2
	try "ping v6 inner / $outer outer" ping_ok ns1 fd00::2
	try "ping v4 inner / $outer outer, from ns2" ping_ok ns2 10.0.0.1
	try "ping v6 inner / $outer outer, from ns2" ping_ok ns2 fd00::1
	# 1388 + 28 = 1416 = the device MTU; 3000 is fragmented inside
	try "ping v4 inner / $outer outer, MTU-sized" ping_ok ns1 10.0.0.2 -s 1388
	try "ping v4 inner / $outer outer, fragmented inner" ping_ok ns1 10.0.0.2 -s 3000
	try "ping v6 inner / $outer outer, fragmented inner" ping_ok ns1 fd00::2 -s 3000
	if [ $outer = v4 ]; then
		is "$(ip -n ns1 -j link show zeq0 | jq '.[0].mtu')" 1416 "default MTU 1416"
		is "$(endpoint ns1)" "$V4_2:$PORT2" "show -j endpoint (v4)"
	else
		is "$(endpoint ns1)" "[$V6_2]:$PORT2" "show -j endpoint (v6)"
	fi
	is "$(dev_jq ns1 .listen_port)" $PORT1 "show -j listen_port"
done
teardown
