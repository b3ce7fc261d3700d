#!/bin/bash
# tests/bench/zsc.sh (make bench) - the ZSC secret store's speed and size
# against plain SQLite (same table shape and pragmas, no sealing) on the
# same disk in the same run: the ratio is the cost of AES-256-GCM sealing,
# the AAD and the row-id round trip. Runs on the host, not in the VM.
# Prints a markdown table; exit status non-zero if a measurement failed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${ZSC_BENCH_N:-10000}
make -s -C "$TOP/tests/daemon" >/dev/null || exit 1
dir=$(mktemp -d "$TOP/build/zsc-bench.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
out=$("$TOP/tests/daemon/build/plain/prog_zscbench" "$dir" "$N") || exit 1

val() { echo "$out" | awk -v k="$1" '$1 == "BENCH" && $2 == k { print $3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "### ZSC secret store ($N secrets of 32 bytes, $(df --output=fstype "$dir" | tail -n 1) on the build machine)"
echo
echo "| operation | zsc | plain SQLite | **zsc / plain** |"
echo "|---|---:|---:|---:|"
for k in put_tx:"put, one durable transaction each (/s)" \
	 put_batch:"put, $N in one transaction (/s)" get:"get (/s)"; do
	n=${k%%:*}
	echo "| ${k#*:} | $(val "$n") | $(val "plain_$n") | $(ratio "$(val "$n")" "$(val "plain_$n")") |"
done
echo "| store size per $N secrets (bytes, after checkpoint + VACUUM) | $(val size) | $(val plain_size) | $(ratio "$(val size)" "$(val plain_size)") |"
