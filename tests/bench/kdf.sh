#!/bin/bash
# tests/bench/kdf.sh (make bench) - the control plane's cost on one core of
# the build machine: the key schedule (tests/daemon/prog_kdfbench.c:
# X25519, a handshake's key derivation for both sides, a ratchet step) and
# complete control-channel handshakes (tests/daemon/prog_hsbench.c: TLS
# 1.3, the first request, INIT/RESP/FIN, epoch 0's keys; each side's CPU
# time apart; not the kernel install). Runs on the host, not in the VM.
# Prints markdown tables; exit status non-zero if a measurement failed.
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

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 \
	-subj "/CN=www.example.com" 2>/dev/null || exit 1
out=$(taskset -c 0 "$TOP/tests/daemon/build/plain/prog_hsbench" "$tmp/cert.pem" \
	"$tmp/key.pem" "${HS_BENCH_SECONDS:-5}") || exit 1
echo
echo "### Control-channel handshakes (one core, both sides in one thread; kernel install not included)"
echo
echo "| measure | handshakes per second |"
echo "|---|---:|"
echo "| responder's CPU time (what a node answering peers can take; $(val responder_tls_share) % of it in TLS) | $(val responder) |"
echo "| initiator's CPU time | $(val initiator) |"
echo "| both sides on one core | $(val both) |"
