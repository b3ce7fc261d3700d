#!/bin/sh
# Netlink policy: nl_reject (tests/progs) sends malformed and out-of-range
# requests and prints its own TAP; again without privileges (--eperm: every
# op and the events group refused). An unprivileged zeqctl show fails with
# a permission message.
. /zeqtests/lib.sh

setup_ns && zeq_dev ns1 zeq0 $PORT1 10.0.0.1/24 fd00::1/64 || { not_ok "zeq device"; exit 0; }
# nl_reject's fixture (see tests/progs/nl_reject.c): peer 1, allowed-ips
# 10.0.0.2/32, endpoint 192.168.241.2:51900, one key: current, id 1.
nz ns1 peer add zeq0 id 1 endpoint 192.168.241.2:51900 allowed-ips 10.0.0.2/32 &&
	nz ns1 key add zeq0 peer 1 id 1 key-file "$(genkey nlreject)" ||
	not_ok "nl_reject fixture (peer 1, key 1) with zeqctl"
NOBODY="/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
if command -v nl_reject >/dev/null; then
	tap_passthrough nl_reject ip netns exec ns1 nl_reject zeq0
	tap_passthrough "nl_reject --eperm" ip netns exec ns1 $NOBODY nl_reject --eperm zeq0
else
	not_ok "nl_reject built (tests/progs/nl_reject missing from the initramfs)"
fi
out=$(ip netns exec ns1 $NOBODY zeqctl show 2>&1)
rc=$?
echo "$out"
is "$rc" 1 "unprivileged zeqctl show exits 1"
if echo "$out" | grep -Eqi 'permi|privileg|CAP_NET_ADMIN'; then
	ok "unprivileged zeqctl show says why (permission)"
else
	not_ok "unprivileged zeqctl show says why (permission)"
	diag "output: $out"
fi
out=$(ip netns exec ns1 $NOBODY timeout 5 zeqctl -j monitor 2>&1)
rc=$?
echo "$out"
is "$rc" 1 "unprivileged zeqctl monitor refused (exit 1, not left listening)"
out=$(ip netns exec ns1 $NOBODY zeqctl peer add zeq0 id 5 2>&1)
is "$?" 1 "unprivileged peer add refused"
is "$(dev_jq ns1 .peer_count)" 1 "nothing was added"
teardown
