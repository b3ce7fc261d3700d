#!/bin/sh
# timeout: 1500
# Hostile datagrams at the receiver's port: random ones, and mutations of
# captured valid packets (header, key id, counter, ciphertext, tag bits,
# truncation, extension, overwritten spans), over IPv4 and over the wrong
# outer family (captured over IPv4, sent over IPv6), plus the captured
# packets replayed over both families. FUZZ_COUNT mutations (default
# 1,000,000; 100,000 under the ~10x slower debug kernel) and a tenth as
# many random ones (a hundredth under the debug kernel). Every datagram is
# counted under some drop reason (allowing for what the kernel itself
# could not receive), nothing is delivered, the endpoint does not move,
# dmesg stays clean and the tunnel still works.
. /zeqtests/lib.sh

# (random datagrams die at the header check: a tenth of N, a hundredth
# under the debug kernel, where each costs as much as a mutant)
case $(uname -r) in
*-debug) N=${FUZZ_COUNT:-100000} NR=$((N / 100)) ;;
*) N=${FUZZ_COUNT:-1000000} NR=$((N / 10)) ;;
esac
zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before" ping_ok ns1 10.0.0.2
# global (init netns) receive backlog: a flood from a fast sender
echo 100000 >/proc/sys/net/core/netdev_max_backlog

fuzz() {	# fuzz DESC PKTGEN-ARGS...
	local desc=$1 d0 d1 s0 s1 e0 e1 rx0 out sent lost want
	shift
	d0=$(drops_sum ns2) s0=$(softnet_drops) e0=$(udp_errs ns2)
	rx0=$(peer_stat ns2 rx_packets)
	t0=$(cut -d. -f1 /proc/uptime)
	out=$(n1 pktgen "$@")
	echo "$out"
	sent=$(echo "$out" | sed -n 's/.* sent \([0-9]*\) .*/\1/p')
	sleep 1
	d1=$(drops_sum ns2) s1=$(softnet_drops) e1=$(udp_errs ns2)
	lost=$((s1 - s0 + e1 - e0))
	want=$(((sent - lost) * 99 / 100))
	diag "$desc: sent ${sent:-?} in $(($(cut -d. -f1 /proc/uptime) - t0)) s, drops +$((d1 - d0)), kernel lost $lost"
	ge "${sent:-0}" 1 "$desc: pktgen sent them"
	ge "$((d1 - d0))" "$want" "$desc: >= 99% counted as drops ($((d1 - d0)) of $sent)"
	is "$(peer_stat ns2 rx_packets)" "$rx0" "$desc: nothing delivered"
	drops_line ns2 | diag_stdin
}

ep=$(endpoint ns2)
fuzz "random" random $V4_2 $PORT2 $NR 1
fuzz "random over IPv6" random $V6_2 $PORT2 $((NR / 2)) 2

cap=/tmp/fuzz.pcap
ip netns exec ns2 tcpdump -Z root -n -U -i veth2 -c 20 -w $cap "udp and dst port $PORT2" 2>/tmp/tcpdump.log &
tpid=$!
wait_for 10 test -s $cap
sleep 0.5
n1 ping -q -c 12 -i 0.05 -s 200 10.0.0.2
n1 ping -q -c 12 -i 0.05 -s 1300 fd00::2
wait_pid $tpid 10
fuzz "mutated" mutate $cap $V4_2 $PORT2 $N 3
fuzz "mutated, wrong outer family (IPv6)" mutate $cap $V6_2 $PORT2 $((N / 10)) 4
fuzz "replayed" replay $cap $V4_2 $PORT2
fuzz "replayed, wrong outer family (IPv6)" replay $cap $V6_2 $PORT2
ge "$(drop ns2 replay)" 40 "the 2 x 20 replays (both families) counted as replay drops"

is "$(endpoint ns2)" "$ep" "endpoint unchanged by the flood"
try "tunnel still passes ping" ping_ok ns1 10.0.0.2
try "and the other way" ping_ok ns2 fd00::1
is "$(jq -n "$(drop ns2 auth) > 0 and $(drop ns2 malformed) + $(drop ns2 unknown-key) > 0")" true \
	"auth and malformed/unknown-key drops both seen"
teardown
