#!/bin/sh
# WireGuard between ns1 and ns2 (Debian's module): proves the harness, the
# initramfs (iproute2, wg, kernel modules) and the topology helpers, and is
# the reference the zeq scenarios and the benchmark compare against.
. /zeqtests/lib.sh

for outer in v4 v6; do
	if ! wg_pair $outer; then
		not_ok "wireguard pair ($outer outer)"
		continue
	fi
	try "wireguard: ping v4 inner / $outer outer" ping_ok ns1 10.0.1.2
	try "wireguard: ping v6 inner / $outer outer" ping_ok ns1 fd00:1::2
done
teardown
