#!/bin/sh
# Namespace deleted under traffic: the receiving namespace (ns1) goes away
# while ns2 floods it; then the sending one. Afterwards a new pair works.
. /zeqtests/lib.sh

for victim in ns1 ns2; do
	zeq_pair v4 || { not_ok "zeq pair"; continue; }
	ping_ok ns1 10.0.0.2
	ip netns exec ns1 iperf3 -s -1 >/dev/null 2>&1 &
	s=$!
	wait_for 10 tcp_listening ns1 5201
	ip netns exec ns2 iperf3 -c 10.0.0.1 -t 8 >/dev/null 2>&1 &
	c1=$!
	nsenter --net=/run/netns/ns2 ping -q -A -w 8 10.0.0.1 >/dev/null 2>&1 &
	c2=$!
	nsenter --net=/run/netns/ns1 ping -q -A -w 8 fd00::2 >/dev/null 2>&1 &
	c3=$!
	sleep 2.5
	try "ip netns del $victim under traffic" ip netns del $victim
	# the namespace dies once its last process is gone
	if [ $victim = ns1 ]; then kill -9 $s $c3; else kill -9 $c1 $c2; fi
	sleep 3
	for p in $s $c1 $c2 $c3; do kill -9 $p 2>/dev/null; wait $p 2>/dev/null; done
	teardown
	sleep 1
	zeq_pair v4 || { not_ok "zeq pair after deleting $victim"; continue; }
	try "a new pair works after deleting $victim" ping_ok ns1 10.0.0.2
done
teardown
