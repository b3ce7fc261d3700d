#!/bin/sh
# Replay: data packets captured on the veth and sent again (from another
# source port) are authenticated, then dropped by the replay window and
# counted as drops.replay; the endpoint does not follow them.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
ping_ok ns1 10.0.0.2
cap=/tmp/replay.pcap
rm -f $cap
ip netns exec ns2 tcpdump -Z root -n -U -i veth2 -c 10 -w $cap "udp and dst port $PORT2" 2>/tmp/tcpdump.log &
tpid=$!
wait_for 10 test -s $cap
sleep 0.5
n1 ping -q -c 10 -i 0.1 10.0.0.2
wait_pid $tpid 10
cat /tmp/tcpdump.log

r0=$(drop ns2 replay)
rx0=$(peer_stat ns2 rx_packets)
ep0=$(endpoint ns2)
out=$(n1 pktgen replay $cap $V4_2 $PORT2)
echo "$out"
sent=$(echo "$out" | sed -n 's/.* sent \([0-9]*\) .*/\1/p')
is "$sent" 10 "pktgen replayed the 10 captured datagrams"
sleep 0.5
r1=$(drop ns2 replay)
is "$((r1 - r0))" 10 "every replayed packet counted as drops.replay"
is "$(peer_stat ns2 rx_packets)" "$rx0" "no replayed packet delivered"
is "$(endpoint ns2)" "$ep0" "endpoint unchanged by replays"
# replayed twice more, and replayed over the other family of outer address
n1 pktgen replay $cap $V4_2 $PORT2
n1 pktgen replay $cap $V6_2 $PORT2
sleep 0.5
is "$(($(drop ns2 replay) - r0))" 30 "replays from IPv6 source counted too"
is "$(endpoint ns2)" "$ep0" "endpoint unchanged by replays from another address"
# The replay window is consulted only after authentication: old packets
# with a corrupted tag, ciphertext or counter, cut or extended, are
# authentication failures (or malformed), never replays.
r0=$(drop ns2 replay)
b0=$(($(drop ns2 auth) + $(drop ns2 malformed)))
n1 pktgen -m tag,ciphertext,counter,extend,truncate mutate $cap $V4_2 $PORT2 50 7
sleep 0.5
is "$(($(drop ns2 replay) - r0))" 0 "forged copies of old packets are not counted as replays"
is "$(($(drop ns2 auth) + $(drop ns2 malformed) - b0))" 50 "they count as auth/malformed drops"
drops_line ns2 | diag_stdin
try "tunnel still works" ping_ok ns1 10.0.0.2
teardown
