#!/bin/sh
# tests/daemon/run.sh - zeqd's tests as one TAP stream on stdout:
#   unit    every test_*.c (cmocka), built plain and with ASan + UBSan
#   shell   every t-*.sh, against daemon/zeqd and tools/zeqctl (built by
#           make all), each in its own state directory under a temp dir
# Each result is prefixed with where it came from; the last lines are the
# plan and "# N passed, N failed". Exit status 1 on any failure.
#
#   tests/daemon/run.sh [unit] [shell] [t-NAME.sh...]
set -u
cd "$(dirname "$0")" || exit 1
HERE=$(pwd)
TOP=$(cd ../.. && pwd)
export ZEQD=${ZEQD:-$TOP/daemon/zeqd}
export ZEQCTL=${ZEQCTL:-$TOP/tools/zeqctl}
export PROGS=$HERE/build/plain
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
comment() { sed 's/^/# /' "$1"; }

# relay PREFIX FILE: a TAP stream's results as ours; sets seen, planned
relay() {
	seen=0
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$2" | head -n 1)
	while IFS= read -r line; do
		case $line in
		"ok "*)
			seen=$((seen + 1))
			d=${line#ok }; d=${d#[0-9]*}; d=${d# }; d=${d#- }
			result ok "$1: $d" ;;
		"not ok "*)
			seen=$((seen + 1))
			d=${line#not ok }; d=${d#[0-9]*}; d=${d# }; d=${d#- }
			result not-ok "$1: $d" ;;
		"1.."*|"# ok - "*|"# not ok - "*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$2"
}

run_unit() {	# run_unit NAME SAN
	if ! make -s SAN="$2" >"$tmp/build.log" 2>&1; then
		result not-ok "$1: build"
		comment "$tmp/build.log"
		return
	fi
	for bin in build/$1/test_*; do
		[ -x "$bin" ] || continue
		t=$(basename "$bin")
		f0=$fail
		"$bin" >"$tmp/out" 2>"$tmp/err"
		status=$?
		relay "$1: $t" "$tmp/out"
		[ -s "$tmp/err" ] && comment "$tmp/err"
		if [ -z "$planned" ] || [ "$seen" -lt "$planned" ]; then
			result not-ok "$1: $t stopped after $seen of ${planned:-?} tests (status $status)"
		elif [ "$status" -ne 0 ] && [ "$fail" -eq "$f0" ]; then
			result not-ok "$1: $t exited with status $status"
		fi
	done
}

run_shell() {	# run_shell t-NAME.sh
	name=${1%.sh}
	if [ ! -x "$ZEQD" ]; then
		result not-ok "$name: $ZEQD built"
		return
	fi
	mkdir -p "$tmp/$name"
	f0=$fail
	# sh, or bash for a test that asks for it (/dev/tcp, <(...))
	interp=sh
	head -n 1 "$1" | grep -q bash && interp=bash
	TMPDIR="$tmp/$name" $interp "./$1" >"$tmp/out" 2>"$tmp/err"
	status=$?
	relay "$name" "$tmp/out"
	if [ "$seen" -eq 0 ]; then
		result not-ok "$name: printed no result (status $status)"
		comment "$tmp/err"
	elif [ "$status" -ne 0 ] && [ "$fail" -eq "$f0" ]; then
		result not-ok "$name: exited with status $status"
		comment "$tmp/err"
	elif [ "$fail" -ne "$f0" ]; then
		tail -n 40 "$tmp/err" | sed 's/^/# /'
	fi
}

what=${*:-unit shell}
for w in $what; do
	case $w in
	unit)
		run_unit plain 0
		run_unit asan 1 ;;
	shell)
		make -s SAN=0 >"$tmp/build.log" 2>&1 ||
			{ result not-ok "test programs build"; comment "$tmp/build.log"; }
		for t in t-*.sh; do
			[ -f "$t" ] && run_shell "$t"
		done ;;
	t-*.sh)
		make -s SAN=0 >/dev/null 2>&1
		run_shell "$w" ;;
	*)
		echo "usage: $0 [unit] [shell] [t-NAME.sh...]" >&2
		exit 2 ;;
	esac
done

echo "1..$n"
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
