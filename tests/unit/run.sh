#!/bin/sh
# tests/unit/run.sh - builds the cmocka unit tests twice (plain, and with
# ASan + UBSan), runs both, checks that the docs match include/zeq.h
# (docs_sync.py), and prints one TAP stream on stdout: cmocka's TAP
# renumbered, each test prefixed with its build, then the plan and a last
# line "# N passed, N failed". Exit status 1 on any failure.
set -u
cd "$(dirname "$0")" || exit 1

export CMOCKA_MESSAGE_OUTPUT=TAP
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1

n=0
pass=0
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

result() {	# result ok|not-ok description
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
	fi
}

comment() {	# comment FILE: each line as a TAP comment
	sed 's/^/# /' "$1"
}

run_build() {	# run_build NAME SAN
	name=$1
	if ! make -s SAN="$2" >"$tmp/build.log" 2>&1; then
		result not-ok "$name: build"
		comment "$tmp/build.log"
		return
	fi
	bin=build/$name/test_zeq
	"$bin" >"$tmp/out" 2>"$tmp/err"
	status=$?
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/out" | head -n 1)
	seen=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			seen=$((seen + 1))
			result ok "$name: ${line#ok * - }" ;;
		"not ok "*)
			seen=$((seen + 1))
			result not-ok "$name: ${line#not ok * - }" ;;
		"1.."*|"# ok - "*|"# not ok - "*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$tmp/out"
	[ -s "$tmp/err" ] && comment "$tmp/err"
	if [ -z "$planned" ] || [ "$seen" -lt "$planned" ]; then
		result not-ok "$name: test binary stopped after $seen of ${planned:-?} tests (status $status)"
	elif [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
		result not-ok "$name: test binary exited with status $status"
	fi
}

run_docs() {
	if ! command -v python3 >/dev/null; then
		echo "ok $((n += 1)) - docs: in step with zeq.h # SKIP no python3"
		pass=$((pass + 1))
		return
	fi
	python3 ./docs_sync.py >"$tmp/docs" 2>&1 || echo "not ok - docs_sync.py failed" >>"$tmp/docs"
	while IFS= read -r line; do
		case $line in
		"ok - "*) result ok "docs: ${line#ok - }" ;;
		"not ok - "*) result not-ok "docs: ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <"$tmp/docs"
}

run_build plain 0
run_build asan 1
run_docs

echo "1..$n"
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
