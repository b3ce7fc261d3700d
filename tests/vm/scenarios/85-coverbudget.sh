#!/bin/sh
# Cover budget: the cover rates of a device's peers may add up to at most
# ZEQ_COVER_BUDGET_PPS (include/zeq_constants.h: 100,000 packets/s). A
# DEV_SET, PEER_NEW or PEER_SET that would pass it is refused with ENOSPC
# and a message naming the budget, and changes nothing; exactly the budget
# is allowed. The peers here have no keys: a peer with cover on and nothing
# to send with looks again ten times a second instead of firing at its
# rate, which the HRTIMER softirq count shows.
. /zeqtests/lib.sh

BUDGET=100000
N=$((BUDGET / 1000 + 1))	# N peers at the maximum rate pass the budget

setup_ns && zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 || { not_ok "zeq device"; exit 0; }
try "$N peers that follow the device's cover (off)" nsx ns1 sh -c "
	i=1
	while [ \$i -le $N ]; do
		$ZEQCTL peer add zeq0 id \$i || exit 1
		i=\$((i + 1))
	done"

# refused ACTION...: ACTION must exit 1 and say what the budget is
refused() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "+ $* -> $rc: $out"
	is "$rc" 1 "$desc: refused (exit 1)"
	case $out in
	*"more than $BUDGET packets/s"*) ok "$desc: the message names the budget" ;;
	*) not_ok "$desc: the message names the budget"; diag "  got: $out" ;;
	esac
}
# active_sum: sum of the peers' cover_active_rate, packets/s
active_sum() { dev_jq ns1 '[.peers[].cover_active_rate] | add / 1000'; }

refused "cover on at 1000/s for $N peers" nz ns1 set zeq0 cover on rate 1000
is "$(dev_jq ns1 .cover)" false "device cover still off"
is "$(dev_jq ns1 .cover_rate)" 12870 "device cover rate unchanged"
is "$(active_sum)" 0 "no peer's cover started"

try "cover on at 990/s for $N peers ($((N * 990))/s, within the budget)" \
	nz ns1 set zeq0 cover on rate 990
is "$(active_sum)" $((N * 990)) "every peer's cover runs at 990/s"
try "peer 1 at 1000/s: exactly the budget" nz ns1 peer set zeq0 id 1 cover on rate 1000
is "$(active_sum)" $BUDGET "committed cover is the budget"
refused "peer 2 at 1000/s" nz ns1 peer set zeq0 id 2 cover on rate 1000
is "$(PEER=2 peer_jq ns1 .cover_active_rate)" 990000 "peer 2 still at 990/s"
is "$(PEER=2 peer_jq ns1 .cover)" device "peer 2 still follows the device"
refused "a new peer that follows the device" nz ns1 peer add zeq0 id $((N + 1))
is "$(dev_jq ns1 .peer_count)" $N "the refused peer was not added"
try "a new peer with cover off" nz ns1 peer add zeq0 id $((N + 1)) cover off
try "delete peer 3" nz ns1 peer del zeq0 id 3
try "the new peer may follow the device now" nz ns1 peer set zeq0 id $((N + 1)) cover device
is "$(active_sum)" $BUDGET "committed cover is the budget again"
refused "device rate 991/s" nz ns1 set zeq0 cover on rate 991
is "$(dev_jq ns1 .cover_rate)" 990000 "device rate unchanged"

# Keyless peers with cover on must not fire at their rate. HRTIMER
# softirqs in 2 s: ~8,700 when $N keyless timers fire at 990/s (measured
# with the idle check taken out), ~60 with it; the limit allows every idle
# timer (10/s) a softirq of its own, and a quarter more.
hr() { awk '/HRTIMER:/ { s = 0; for (i = 2; i <= NF; i++) s += $i; print s }' /proc/softirqs; }
h0=$(hr)
sleep 2
h1=$(hr)
diag "HRTIMER softirqs in 2 s: $((h1 - h0))"
ge $((N * 25)) $((h1 - h0)) "keyless peers' cover timers idle (< $((N * 25)) HRTIMER softirqs in 2 s)"
is "$(dev_stat ns1 tx_cover)" 0 "no cover sent without keys"

try "cover off" nz ns1 set zeq0 cover off
is "$(active_sum)" 1000 "only peer 1 (cover on) still runs"
try "ip link del with cover committed" ip -n ns1 link del zeq0
teardown
