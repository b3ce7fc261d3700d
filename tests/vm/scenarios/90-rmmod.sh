#!/bin/sh
# Module unloaded under traffic: devices still exist (no ip link del),
# iperf3 + ping flood + zeqctl monitor running; rmmod must succeed, the
# devices vanish, and modprobe zeq works again with a working tunnel.
# Runs last: it unloads the module.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
ping_ok ns1 10.0.0.2
monitor_start ns1 /tmp/mon-rmmod.json
iperf_server ns2
ip netns exec ns1 iperf3 -c 10.0.0.2 -t 8 >/dev/null 2>&1 &
c1=$!
nsenter --net=/run/netns/ns1 ping -q -A -w 8 10.0.0.2 >/dev/null 2>&1 &
c2=$!
nsenter --net=/run/netns/ns2 ping -q -A -w 8 fd00::1 >/dev/null 2>&1 &
c3=$!
sleep 2.5
try "rmmod zeq under traffic" rmmod zeq
try_fail "zeq no longer loaded" sh -c 'lsmod | grep -q "^zeq "'
try_fail "zeq0 gone from ns1" ip -n ns1 link show zeq0
try_fail "zeq0 gone from ns2" ip -n ns2 link show zeq0
for p in $c1 $c2 $c3 $IPERF_SERVER $MONITOR_PID; do
	kill $p 2>/dev/null
	wait_pid $p 10
done
try "modprobe zeq again" modprobe zeq
zeq_pair v4 || not_ok "zeq pair after reload"
try "tunnel works after reload" ping_ok ns1 10.0.0.2
teardown
try "rmmod zeq while idle (devices exist)" sh -c \
	'ip link add zeq9 type zeq && rmmod zeq && ! ip link show zeq9 2>/dev/null'
modprobe zeq
