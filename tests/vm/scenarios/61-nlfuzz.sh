#!/bin/sh
# timeout: 7200
# Netlink fuzz under traffic: nl_fuzz (tests/progs) sends NLFUZZ_COUNT
# (default 100,000) random and mutated "zeq" requests to zeq0 in ns1 and
# ns2 and to a spare zeq1 in ns1, while two threads add, change, delete and
# dump peers and install, swap and delete keys on the same devices, a keeper
# thread keeps putting the tunnel back (fresh matching keys), and a UDP
# flood and pings both ways run through the tunnel. Then: nl_fuzz ran to
# completion, the kernel answered, the legitimate requests got no
# unexpected error, traffic passed during the fuzz, zeqctl show works, the
# tunnel works again once reconfigured with fresh keys, and the module
# unloads with the fuzzed devices present and loads again. (The timeout
# allows for the debug kernel, about ten times slower.)
. /zeqtests/lib.sh

N=${NLFUZZ_COUNT:-100000}
# debug kernel (lockdep, kmemleak): about ten times slower
SLOW=1
{ [ -e /proc/lockdep ] || [ -e /sys/kernel/debug/kmemleak ]; } && SLOW=10
LIMIT=$(((60 + N / 250) * SLOW))	# seconds nl_fuzz may take

command -v nl_fuzz >/dev/null ||
	{ not_ok "nl_fuzz built (tests/progs/nl_fuzz missing from the initramfs)"; exit 0; }
zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
zeq_dev ns1 zeq1 51903 10.0.3.1/24 fd00:3::1/64 && ip -n ns1 link set zeq1 up ||
	not_ok "spare device zeq1"
try "ping before" ping_ok ns1 10.0.0.2

# traffic through the tunnel for as long as the fuzz runs
nsenter --net=/run/netns/ns1 pktgen -r 500 random 10.0.0.2 9 1000000000 7 >/dev/null 2>&1 &
t1=$!
nsenter --net=/run/netns/ns1 ping -q -i 0.05 10.0.0.2 >/dev/null 2>&1 &
t2=$!
nsenter --net=/run/netns/ns2 ping -q -i 0.05 fd00::1 >/dev/null 2>&1 &
t3=$!
tx0=$(dev_stat ns1 tx_packets) rx0=$(dev_stat ns2 rx_packets)

out=/tmp/nlfuzz.out
t0=$(cut -d. -f1 /proc/uptime)
# under the debug kernel the racers' big peers are smaller (1,000 to 1,500
# allowed IPs: a dump of one still needs two messages), which halves the
# time their inserts and dumps take under KASAN and lockdep
# and the racers pause a second between operations: unpaused they hold the
# family's lock so much that the fuzz runs six times slower (2,000
# messages: 21 s with the keeper alone, 93 to 120 s raced; see
# docs/RELIABILITY.md), while paused they still race it throughout
AIPS=2000
PAUSE=0
[ "$SLOW" -gt 1 ] && AIPS=1500 PAUSE=1000
nl_fuzz -n "$N" -t 2 -a $AIPS -p $PAUSE -k ns1:zeq0 ns2:zeq0 ns1:zeq1 >$out 2>&1 &
fz=$!
# the seed on the console too (level err, shown at loglevel 4): a panic
# takes the guest's files with it, the host's console log survives, and
# with the seed the run can be repeated (nl_fuzz -s SEED)
wait_for 10 grep -q seed $out &&
	echo "<3>61-nlfuzz: $(grep -m1 seed $out)" >/dev/kmsg
wait_pid $fz $LIMIT
rc=$?
diag "nl_fuzz: $N messages in $(($(cut -d. -f1 /proc/uptime) - t0)) s (limit $LIMIT s)"
cat $out
for p in $t1 $t2 $t3; do kill $p 2>/dev/null; wait $p 2>/dev/null; done
tx1=$(dev_stat ns1 tx_packets) rx1=$(dev_stat ns2 rx_packets)

sum=$(grep '^nl_fuzz: summary ' $out)
field() { echo "$sum" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
is "$rc" 0 "nl_fuzz ran to completion (exit 0)" || diag_file $out
grep '^nl_fuzz: \(summary\|errors\|racer\|keeper\)' $out | diag_stdin
is "$(field messages)" "$N" "nl_fuzz sent $N messages"
ge "$(field replies)" $((N / 2)) "the kernel answered (acks, errors, dump parts)"
ge "$(field errors)" $((N / 4)) "most malformed requests were refused"
ge "$(field ok)" $((N / 50)) "valid requests were accepted"
ge "$(field data)" 1 "replies with data (gets, dumps)"
if grep -q '^nl_fuzz: errors:.* EINVAL=.* ERANGE=' $out; then
	ok "refused with EINVAL and ERANGE"
else
	not_ok "refused with EINVAL and ERANGE"
fi
ge "$(field racer_ops)" 100 "racing threads did their work"
is "$(field racer_unexpected)" 0 "racers: valid requests got only expected errors"
ge "$(field racer_dump_cont)" 1 "racers: peer dumps continued peers over several messages"
is "$(field racer_dump_bad)" 0 "racers: peer dumps consistent (ascending ids, whole peers)"
ge "$(field keeper_ok)" 3 "keeper rounds (tunnel put back, fresh keys)"
is "$(field keeper_unexpected)" 0 "keeper: valid requests got only expected errors"
if grep -q 'DEV_GET failed' $out; then
	not_ok "every device still answers DEV_GET"
else
	ok "every device still answers DEV_GET"
fi
ge "$((tx1 - tx0))" 100 "packets sent into the tunnel during the fuzz"
ge "$((rx1 - rx0))" 10 "packets through the tunnel during the fuzz"

for ns in ns1 ns2; do
	try "zeqctl show in $ns" nz $ns show
	try "zeqctl -j show in $ns is JSON with zeq0" sh -c \
		"nsenter --net=/run/netns/$ns zeqctl -j show | jq -e 'map(.ifname) | index(\"zeq0\") != null'"
done
diag "after the fuzz: ns1 zeq0 $(dev_jq ns1 .peer_count) peers, zeq1 $(DEV=zeq1 dev_jq ns1 .peer_count) peers, ns2 zeq0 $(dev_jq ns2 .peer_count) peers"

# reconfigure zeq0 on both sides from scratch, with a fresh key
# (the kernel refuses keys it has seen)
reconfigure() {	# NS PORT PEER-ENDPOINT ALLOWED-IPS
	local id
	for id in $(dev_jq "$1" '.peers[].id'); do
		nz "$1" peer del zeq0 id "$id" || return 1
	done
	nz "$1" set zeq0 listen-port "$2" fwmark 0 key-max-age 86400 &&
		nz "$1" peer add zeq0 id 1 endpoint "$3" allowed-ips "$4"
}
try "ns1: zeq0 reconfigured" reconfigure ns1 $PORT1 $V4_2:$PORT2 10.0.0.2/32,fd00::2/128
try "ns2: zeq0 reconfigured" reconfigure ns2 $PORT2 $V4_1:$PORT1 10.0.0.1/32,fd00::1/128
k=$(genkey after-nlfuzz)
try "fresh key installed on both sides" sh -c \
	"nsenter --net=/run/netns/ns1 zeqctl key add zeq0 peer 1 id 7001 key-file $k &&
	 nsenter --net=/run/netns/ns2 zeqctl key add zeq0 peer 1 id 7001 key-file $k reverse"
is "$(dev_jq ns1 '[.listen_port, .fwmark, .key_max_age, .peer_count] | map(tostring) | join(" ")')" \
	"$PORT1 0 86400 1" "ns1: zeq0 settings as configured"
is "$(peer_jq ns1 '.allowed_ips | join(",")')" "10.0.0.2/32,fd00::2/128" \
	"ns1: peer 1 has exactly its allowed IPs"
is "$(peer_jq ns2 '[.keys[] | "\(.slot):\(.key_id)"] | join(",")')" "current:7001" \
	"ns2: peer 1 has exactly the new key"
try "tunnel works after the fuzz (ns1 -> ns2)" ping_ok ns1 10.0.0.2
try "and the other way (ns2 -> ns1, IPv6)" ping_ok ns2 fd00::1

# unload with the devices present (zeq1 as the fuzz left it), load again
try "rmmod zeq with the fuzzed devices present" rmmod zeq
try_fail "zeq1 gone" ip -n ns1 link show zeq1
try "modprobe zeq again" modprobe zeq
zeq_pair v4 || not_ok "zeq pair after reload"
try "tunnel works after reload" ping_ok ns1 10.0.0.2
teardown
