#!/bin/bash
# tests/bench/kdf.sh (make bench) - the key schedule's cost on one core of
# the build machine (tests/daemon/prog_kdfbench.c): X25519, a handshake's
# key derivation (both sides), a ratchet step. Runs on the host, not in
# the VM. Prints a markdown table; exit status non-zero if a measurement
# failed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
make -s -C "$TOP/tests/daemon" >/dev/null || exit 1
out=$(taskset -c 0 "$TOP/tests/daemon/build/plain/prog_kdfbench" "${KDF_BENCH_SECONDS:-2}") || exit 1
val() { echo "$out" | awk -v k="$1" '$1 == "BENCH" && $2 == k { print $3 }'; }

echo "### Key schedule (one core of the build machine, OpenSSL $(openssl version | cut -d' ' -f2))"
echo
echo "| operation | per second |"
echo "|---|---:|"
echo "| X25519 shared secret | $(val x25519) |"
echo "| handshake key schedule, both sides (2 ephemeral keys, 2 X25519, mesh share, 2 HKDF) | $(val session) |"
echo "| ratchet step (HKDF-Expand, one side) | $(val ratchet) |"
