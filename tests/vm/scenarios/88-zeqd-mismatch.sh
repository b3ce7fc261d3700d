#!/bin/sh
# Mismatched obfuscation parameters: n1 calls n2, whose device draws data
# packet types from another range. Both daemons log the clear error, no
# peer or key reaches either kernel (no silent black hole), and zeqctl
# show says on both sides why there is no tunnel. Once the parameters
# match, n1's next call (at most 60 s later: backoff) brings the tunnel up.
# timeout: 300
. /zeqtests/lib.sh

# "STATE: WHY" of the node's tunnel; calling again after the mismatch,
# the state is "calling" and why the last attempt failed
why_of() {
	zeqd_show "$1" -j | jq -r '.[0].tunnels[0] |
		"\(.state | sub("calling"; "down")): \(.why)"'
}

if ! zeqd_topology; then
	not_ok "topology"
	exit 0
fi
try "ns2: another data packet type range" nz ns2 set zeq0 type-data 1000-2000
if ! zeqd_pair_nodes 60 || ! zeqd_start n2 || ! zeqd_start n1; then
	not_ok "two daemons started"
	zeqd_teardown
	teardown
	exit 0
fi
try "n1 logs the mismatch" wait_for 20 grep -q "obfuscation parameters differ" /tmp/zeqd/n1/log
try "n2 logs the mismatch" wait_for 5 grep -q "obfuscation parameters differ" /tmp/zeqd/n2/log
sleep 2
is "$(dev_jq ns1 '.peers | length')" 0 "ns1: no peer in the kernel"
is "$(dev_jq ns2 '.peers | length')" 0 "ns2: no peer in the kernel"
is "$(why_of n1)" "down: obfuscation parameters differ" "zeqctl show -j on ns1 says why"
is "$(why_of n2)" "down: obfuscation parameters differ" "zeqctl show -j on ns2 says why"
zeqd_show n1 >/tmp/zm-show.txt
try "zeqctl show on ns1 lists the peer zeqd could not bring up" \
	grep -q "^peer: 1 (not in the kernel)$" /tmp/zm-show.txt
try "... and why" grep -qE "^  tunnel: (down for .*: |calling for .*, last attempt: )obfuscation parameters differ \(zeqd peer n2\)$" /tmp/zm-show.txt
ge "$(grep -c "calling again" /tmp/zeqd/n1/log)" 1 "n1 calls again, with backoff"
check_fail ping_ok ns1 10.0.0.2

try "ns1: the same range as ns2" nz ns1 set zeq0 type-data 1000-2000
try "matching parameters: the tunnel comes up within 70 s" wait_for 70 ping_ok ns1 10.0.0.2
is "$(why_of n1)" "up: " "zeqctl show -j on ns1: up"
is "$(why_of n2)" "up: " "zeqctl show -j on ns2: up"

zeqd_teardown
teardown
