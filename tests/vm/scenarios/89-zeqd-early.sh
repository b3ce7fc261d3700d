#!/bin/sh
# Early ratchet: with the shortest key max age an operator can set (5 s)
# on both devices and the default ratchet period (60 Zeqonds, 46.6 s),
# every key would expire long before its period ends. The kernel reports
# each key near its limit (3 s before it) and both daemons ratchet at
# once; the side that hears the other's READY first stages at once rather
# than waiting for its own event, so neither side's key outlives the
# limit: over 40 s of iperf3 UDP the keys change at least eight times, no
# datagram is lost and no packet is dropped for an expired key.
# timeout: 240
. /zeqtests/lib.sh

early() { grep -c "near its limit: ratchet early" "/tmp/zeqd/$1/log"; }

if ! zeqd_topology || ! nz ns1 set zeq0 key-max-age 5 ||
   ! nz ns2 set zeq0 key-max-age 5; then
	not_ok "topology with key max age 5 s"
	exit 0
fi
if ! zeqd_pair_nodes 60 || ! zeqd_start n2 || ! zeqd_start n1; then
	not_ok "two daemons started"
	zeqd_teardown
	teardown
	exit 0
fi
try "tunnel up" wait_for 30 ping_ok ns1 10.0.0.2
udp_lossless 40 1M "40 s of iperf3 UDP across keys of 5 s: nothing lost"
ge "$(early n1)" 8 "n1 ratcheted early, on the kernel's near-limit events"
ge "$(early n2)" 8 "n2 too"
ge "$(grep -c "epoch [0-9]* in force" /tmp/zeqd/n1/log)" 8 "eight epochs or more in 40 s"
is "$(drop ns2 key-expired)" 0 "ns2: no packet dropped for an expired key"
is "$(drop ns1 key-expired)" 0 "ns1: no packet dropped for an expired key"
try "ping across after" ping_ok ns1 10.0.0.2

zeqd_teardown
teardown
