#!/bin/sh
# The module built with ZEQ_SELFTEST=1 runs its self-tests at load, prints
# "zeq: <suite> self-tests: pass" per suite and refuses to load on a failure.
. /zeqtests/lib.sh

is "$ZEQ_LOAD" ok "modprobe zeq at boot (zeq.ko in the initramfs, loads)"
lines=$(grep -E 'zeq: .* self-tests: pass' /tmp/dmesg.boot)
if [ -n "$lines" ]; then
	ok "module self-tests pass ($(echo "$lines" | wc -l) suites)"
	echo "$lines" | sed 's/^\[[^]]*\] *//' | diag_stdin
else
	not_ok "module self-tests pass (no 'zeq: ... self-tests: pass' in dmesg; built without ZEQ_SELFTEST=1?)"
	grep -E 'zeq[:_ ]' /tmp/dmesg.boot | grep -v 'command line' | diag_stdin
fi
for suite in "replay window" "routing trie" "key slots" "padding" "obfuscation" \
	"cover schedule"; do
	try "self-test suite '$suite' passed" grep -q "zeq: $suite self-tests: pass" /tmp/dmesg.boot
done
try_fail "no self-test failure reported" grep -Ei 'zeq: .*self-tests?: *(fail|error)' /tmp/dmesg.boot
try "modinfo zeq" modinfo zeq
try "crypto driver gcm(aes) available" grep -q 'gcm(aes)' /proc/crypto
