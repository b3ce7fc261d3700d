#!/bin/bash
# tests/bench/run.sh (make bench) - throughput of zeq against WireGuard and
# plain veth, measured in one VM boot (qemu TCG: absolute numbers are
# emulated, the ratios are what counts). Prints a markdown table.
# Exit status non-zero if a measurement failed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOG=$TOP/build/vm/bench.log
mkdir -p "$TOP/build/vm"

make -s -C "$TOP/tests/daemon" build/plain/prog_hsbench >/dev/null || exit 1
echo "booting the VM (TCG, 2 CPUs): iperf3 TCP ${BENCH_TIME:-5} s, -P1 and -P4 ..." >&2
"$TOP/tests/vm/run.sh" --script guest.sh --timeout "${BENCH_TIMEOUT:-600}" \
	--log "$TOP/build/vm/bench-console.log" >"$LOG" 2>&1
rc=$?

val() { awk -v l="$1" -v p="$2" '$1 == "BENCH" && $2 == l && $3 == p { print $4 }' "$LOG" | tail -n1; }
info() { awk -v k="$1" '$1 == "BENCH-INFO" && $2 == k { $1 = $2 = ""; sub(/^ +/, ""); print }' "$LOG" | tail -n1; }
ratio() {
	if [[ $1 =~ ^[0-9.]+$ ]] && [[ $2 =~ ^[0-9.]+$ ]]; then
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'
	else
		echo "n/a"
	fi
}

fail=0
for l in veth WireGuard zeq; do
	for p in 1 4; do
		v=$(val $l $p)
		[[ $v =~ ^[0-9.]+$ ]] || fail=1
	done
done
[ $rc -eq 0 ] || fail=1

echo "### zeq throughput (iperf3 TCP, ${BENCH_TIME:-5} s, ns1 -> ns2, one VM boot)"
echo
echo "Kernel $(info kernel), $(info cpus) vCPUs, qemu TCG; zeq crypto driver: \`$(info crypto_driver)\`"
echo
echo "| link | -P1 Mbit/s | -P4 Mbit/s |"
echo "|---|---:|---:|"
for l in veth WireGuard zeq; do
	echo "| $l | $(val $l 1) | $(val $l 4) |"
done
echo "| **zeq / WireGuard** | $(ratio "$(val zeq 1)" "$(val WireGuard 1)") | $(ratio "$(val zeq 4)" "$(val WireGuard 4)") |"
echo "| zeq / veth | $(ratio "$(val zeq 1)" "$(val veth 1)") | $(ratio "$(val zeq 4)" "$(val veth 4)") |"
echo
echo "### zeq padding, cover and obfuscation (one stream, same boot)"
echo
echo "| zeq with | -P1 Mbit/s | **/ zeq plain** | / WireGuard |"
echo "|---|---:|---:|---:|"
echo "| nothing (padding off, cover off) | $(val zeq 1) | 1.000 | $(ratio "$(val zeq 1)" "$(val WireGuard 1)") |"
for v in "bucket:padding bucket 128,256,512,1024" "mtu:padding mtu" \
	 "random:padding random max 256" "cover:cover on (12.87/s)" \
	 "obfs:header protection, prefix 1-16, type range"; do
	k=${v%%:*}
	[[ $(val "zeq-$k" 1) =~ ^[0-9.]+$ ]] || fail=1
	echo "| ${v#*:} | $(val "zeq-$k" 1) | $(ratio "$(val "zeq-$k" 1)" "$(val zeq 1)") | $(ratio "$(val "zeq-$k" 1)" "$(val WireGuard 1)") |"
done
echo
echo "### Control-channel handshakes in the VM (TCG, one thread, same boot)"
echo
echo "prog_hsbench: TLS 1.3, first request, INIT/RESP/FIN, epoch 0's keys; with the"
echo "install, the responder also creates the peer (1,000 in turn: $(info hs_peers) in the"
echo "kernel at the end), stages the key and swaps it in through netlink."
echo
echo "| measure | handshakes per second |"
echo "|---|---:|"
echo "| responder, no install | $(val hs-plain responder) |"
echo "| responder, with the kernel install | $(val hs-install responder) |"
echo "| **with / without install** | $(ratio "$(val hs-install responder)" "$(val hs-plain responder)") |"
echo "| kernel installs alone | $(val hs-install install) |"
echo "| ratchets (HKDF step, stage, swap) | $(val hs-install ratchet) |"
for k in "hs-plain responder" "hs-install responder" "hs-install install" "hs-install ratchet"; do
	# shellcheck disable=SC2086
	[[ $(val $k) =~ ^[0-9.]+$ ]] || fail=1
done
if [ $fail -ne 0 ]; then
	echo
	echo "bench: a measurement failed (VM exit $rc); output:" >&2
	grep -v '^BENCH' "$LOG" | tail -n 40 >&2
	exit 1
fi
