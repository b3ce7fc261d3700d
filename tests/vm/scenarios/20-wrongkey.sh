#!/bin/sh
# Mismatched keys: nothing gets through, the receiver counts auth drops and
# reports an auth-failure burst.
. /zeqtests/lib.sh

ka=$(genkey a) && kb=$(genkey b) || { not_ok "zeqctl genkey"; exit 0; }
try_fail "two genkey runs give different keys" cmp -s "$ka" "$kb"
zeq_pair v4 "$ka" "$kb" || { not_ok "zeq pair"; exit 0; }
monitor_start ns2 /tmp/mon-wrongkey.json
a0=$(drop ns2 auth)
try_fail "ping with mismatched keys fails" n1 ping -q -c 40 -i 0.02 -w 4 -W 1 10.0.0.2
sleep 0.5
a1=$(drop ns2 auth)
ge "$((a1 - a0))" 40 "receiver drops.auth counts every packet ($((a1 - a0)))"
is "$(peer_stat ns2 rx_packets)" 0 "receiver delivered nothing"
is "$(peer_stat ns2 drops.auth)" "$((a1 - a0))" "auth drops counted on the peer too"
ge "$(dev_stat ns1 tx_packets)" 40 "sender sent them"
if event_seen /tmp/mon-wrongkey.json auth-fail-burst; then
	ok "auth-fail-burst event"
else
	not_ok "auth-fail-burst event"
	diag_file /tmp/mon-wrongkey.json
fi
kill "$MONITOR_PID" 2>/dev/null
teardown
