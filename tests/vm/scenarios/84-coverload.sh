#!/bin/sh
# timeout: 400
# Cover traffic asked for beyond what the CPUs can seal must not make the
# device unmanageable. 64 peers on ns1, each with its own key and an
# endpoint on a dummy device (which drops what it gets), cover on at
# 1,000 packets/s each: more sealing than two emulated CPUs can do. While
# that runs, a DEV_SET that walks every peer (fwmark, then re-timing every
# peer's cover) and a dump come back within seconds, ping through the
# tunnel to ns2 works, and cover off stops every packet at once.
# (Written while looking for the cause of a hung-task panic in 61-nlfuzz
# on the debug kernel; docs/RELIABILITY.md has what it showed.)
. /zeqtests/lib.sh

P=${COVERLOAD_PEERS:-64}
zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before" ping_ok ns1 10.0.0.2
ip -n ns1 link add dummy0 type dummy
ip -n ns1 link set dummy0 up
ip -n ns1 addr add 10.99.0.254/24 dev dummy0
mkdir -p "$KEYDIR"
# every peer its own key and key id (the device never takes a key twice)
try "$P more peers with keys, endpoints on a dummy device" ip netns exec ns1 sh -c "
	i=2
	while [ \$i -le $((P + 1)) ]; do
		zeqctl genkey >$KEYDIR/load-\$i &&
		zeqctl peer add zeq0 id \$i endpoint 10.99.0.\$i:9 allowed-ips 10.2.0.\$i/32 &&
		zeqctl key add zeq0 peer \$i id \$i key-file $KEYDIR/load-\$i || exit 1
		i=\$((i + 1))
	done"
is "$(nz ns1 -j show zeq0 | jq '.[0].peers | length')" $((P + 1)) "$((P + 1)) peers"

# elapsed CMD...: run CMD; its wall time in ms in MS, its status in ELAPSED_RC
elapsed() {
	local t0
	t0=$(uptime_ms)
	"$@" >/dev/null 2>&1
	ELAPSED_RC=$?
	MS=$(($(uptime_ms) - t0))
}

c0=$(dev_stat ns1 tx_cover)
try "cover on at 1000/s on every peer" nz ns1 set zeq0 cover on rate 1000
sleep 5
elapsed nz ns1 set zeq0 fwmark 7
is "$ELAPSED_RC" 0 "DEV_SET (fwmark, over all peers) under the cover load"
diag "DEV_SET took $MS ms"
ge 5000 "$MS" "DEV_SET came back within 5 s ($MS ms)"
elapsed nz ns1 set zeq0 cover on rate 999
ge 5000 "$MS" "DEV_SET re-timing every peer's cover within 5 s ($MS ms)"
elapsed nz ns1 -j show
ge 5000 "$MS" "a full dump within 5 s ($MS ms)"
elapsed ping_ok ns1 10.0.0.2
is "$ELAPSED_RC" 0 "ping through the tunnel under the cover load ($MS ms)"
c1=$(dev_stat ns1 tx_cover)
diag "cover packets sent: $((c1 - c0)) (asked: $((P + 1)) peers at 1000/s)"
ge "$((c1 - c0))" 1000 "cover is being sent"
elapsed nz ns1 set zeq0 cover off
is "$ELAPSED_RC" 0 "cover off"
ge 5000 "$MS" "cover off within 5 s ($MS ms)"
c2=$(dev_stat ns1 tx_cover)
sleep 1
is "$(dev_stat ns1 tx_cover)" "$c2" "no cover after cover off"
try "ping after" ping_ok ns1 10.0.0.2
teardown
