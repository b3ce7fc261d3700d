#!/bin/sh
# Peer deleted under traffic (TCP + ping flood + dumps racing), on the
# sending and on the receiving side: no splat, peer-removed event, the
# device stays usable.
. /zeqtests/lib.sh

for side in ns1 ns2; do
	zeq_pair v4 || { not_ok "zeq pair"; continue; }
	ping_ok ns1 10.0.0.2
	monitor_start $side /tmp/mon-peerdel-$side.json
	iperf_server ns2
	ip netns exec ns1 iperf3 -c 10.0.0.2 -t 6 >/dev/null 2>&1 &
	c1=$!
	nsenter --net=/run/netns/ns1 ping -q -A -w 8 10.0.0.2 >/dev/null 2>&1 &
	c2=$!
	nsenter --net=/run/netns/ns2 ping -q -A -w 8 fd00::1 >/dev/null 2>&1 &
	c3=$!
	ip netns exec $side sh -c 'while :; do zeqctl -j show >/dev/null 2>&1; done' &
	c4=$!
	sleep 2.5
	try "peer del on $side under traffic" nz $side peer del zeq0 id 1
	sleep 1
	kill $c4
	is "$(dev_jq $side .peer_count)" 0 "$side: peer_count 0"
	is "$(dev_jq $side '.peers | length')" 0 "$side: no peer in the dump"
	for p in $c1 $c2 $c3; do wait_pid $p 15; done
	kill "$IPERF_SERVER" 2>/dev/null
	if event_seen /tmp/mon-peerdel-$side.json peer-removed; then
		ok "$side: peer-removed event"
	else
		not_ok "$side: peer-removed event"
		diag_file /tmp/mon-peerdel-$side.json
	fi
	kill "$MONITOR_PID" 2>/dev/null
	# the device takes a new peer (fresh key, id 2) and works again
	k=$(genkey again-$side)
	# (ns1 installs a key file as is, ns2 "reverse")
	if [ $side = ns1 ]; then other=ns2 rs="" ro=reverse ep=$V4_2:$PORT2 aip=10.0.0.2/32
	else other=ns1 rs=reverse ro="" ep=$V4_1:$PORT1 aip=10.0.0.1/32; fi
	nz $side peer add zeq0 id 2 endpoint $ep allowed-ips $aip
	nz $side key add zeq0 peer 2 id 2 key-file "$k" $rs
	nz $other key add zeq0 peer 1 id 2 key-file "$k" $ro
	nz $other key swap zeq0 peer 1
	try "$side: a new peer (new key) works" ping_ok ns1 10.0.0.2
done
teardown
