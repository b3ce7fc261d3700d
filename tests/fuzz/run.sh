#!/bin/sh
# tests/fuzz/run.sh - builds the libFuzzer targets (tests/fuzz/Makefile)
# and runs them, one after the other, printing TAP on stdout.
#
#   run.sh --replay [TARGET...]   each target once over its committed
#                                 corpus (corpus/<target>/*), nothing else:
#                                 a few seconds; what make check runs
#   run.sh --time S [TARGET...]   each target fuzzes for S seconds from its
#                                 committed corpus plus the scratch corpus
#                                 build/fuzz/corpus/<target>/, where new
#                                 inputs go (never into the repository)
#
# TARGET is a name such as "args" (default: every fuzz_*.c). One result
# per target ("ok N - fuzz: <target> ..."), then the plan and a last line
# "N passed, N failed". Exit status 1 on any failure. A crash prints the
# reproducer's path (reproduce: build/fuzz/fuzz_<target> FILE) and the
# first lines of the sanitizer's report; logs are in build/fuzz/log/.
# --time also appends each run's numbers to build/fuzz/stats.tsv.
# FUZZ_BUILD=DIR builds and works in DIR instead of build/fuzz;
# FUZZ_FLAGS adds libFuzzer options to --time (e.g. -use_value_profile=1).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${FUZZ_BUILD:-$TOP/build/fuzz}	# FUZZ_BUILD: another build directory
cd "$HERE" || exit 1

usage() {
	echo "usage: $0 --replay [TARGET...] | --time SECONDS [TARGET...]" >&2
	exit 2
}

MODE=
SECS=0
case ${1:-} in
--replay) MODE=replay; shift ;;
--time)
	MODE="time"
	SECS=${2:-}
	case $SECS in ''|*[!0-9]*) usage ;; esac
	[ "$SECS" -gt 0 ] || usage
	shift 2
	;;
*) usage ;;
esac

if [ $# -gt 0 ]; then
	TARGETS=$*
else
	TARGETS=$(for f in fuzz_*.c; do f=${f#fuzz_}; echo "${f%.c}"; done)
fi

# Per-target options: the longest input, and a dictionary if there is one.
max_len() {
	case $1 in
	args) echo 32768 ;;		# one argument may be long (allowed-ips)
	nlreply|event) echo 16384 ;;	# datagrams
	*) echo 4096 ;;
	esac
}

n=0
pass=0
fail=0
result() {	# result ok|not-ok DESCRIPTION
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n - fuzz: $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - fuzz: $2"
	fi
}
finish() {
	echo "1..$n"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
comment() { sed 's/^/# /'; }

mkdir -p "$BUILD/log" || exit 1
if ! command -v clang >/dev/null 2>&1; then
	result not-ok "build (no clang: tests/deps.sh installs it)"
	finish
fi
# Modest: one compiler at a time (the machine has 2 cores).
if make -s BUILD="$BUILD" >"$BUILD/log/build.log" 2>&1; then
	result ok "build ($(echo "$TARGETS" | wc -w) targets, clang libFuzzer+ASan+UBSan)"
else
	result not-ok "build"
	tail -n 30 "$BUILD/log/build.log" | comment
	finish
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

# The reproducer and the first lines of the report, as TAP comments.
report_crash() {	# report_crash TARGET LOG REPRODUCER
	echo "# reproducer: $3"
	echo "# reproduce:  FUZZ_VERBOSE=1 ${BUILD#"$TOP"/}/fuzz_$1 $3"
	# the report from its first line to the shadow map, without
	# libFuzzer's and libc's frames
	sed -n '/FUZZ_CHECK failed\|runtime error\|==ERROR\|ERROR: libFuzzer/,$p' "$2" |
		sed '/^Shadow bytes/,$d' |
		grep -v 'fuzzer::\|__sanitizer_print\|libc\.so\|libc_start\|/libc-start\|in _start \|in main \|pthread_kill\|in raise \|in abort \|^INFO\|^MS:\|^base unit\|^0x\|^NOTE\|^ *$' |
		sed 's/ (BuildId: [0-9a-f]*)//; s|/[^ ]*/tests/fuzz/\.\./\.\./|| ; s|/[^ ]*/tests/fuzz/|tests/fuzz/|' |
		head -n 14 | comment
}

for t in $TARGETS; do
	bin=$BUILD/fuzz_$t
	log=$BUILD/log/$t.log
	if [ ! -x "$bin" ]; then
		result not-ok "$t: no such target (tests/fuzz/fuzz_$t.c)"
		continue
	fi
	dict=
	[ -f "$t.dict" ] && dict=-dict=$HERE/$t.dict
	art=$BUILD/artifacts/$t
	mkdir -p "$art"

	if [ "$MODE" = replay ]; then
		set -- corpus/"$t"/*
		if [ ! -e "$1" ]; then
			result not-ok "$t: no committed corpus in tests/fuzz/corpus/$t"
			continue
		fi
		count=$#
		start=$(date +%s)
		"$bin" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$art/" "$@" >"$log" 2>&1
		rc=$?
		secs=$(($(date +%s) - start))
		if [ $rc -eq 0 ]; then
			result ok "$t: $count corpus inputs replayed (${secs} s)"
		else
			# the input that was running when it died
			repro=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
			result not-ok "$t: replay of tests/fuzz/${repro:-corpus/$t} (exit $rc)"
			report_crash "$t" "$log" "tests/fuzz/$repro"
		fi
		continue
	fi

	scratch=$BUILD/corpus/$t
	mkdir -p "$scratch"
	# the scratch corpus first: libFuzzer writes new inputs there only
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$t")" -print_final_stats=1 \
		-artifact_prefix="$art/" $dict ${FUZZ_FLAGS:-} "$scratch" "corpus/$t" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(find "$scratch" -type f | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$SECS" \
		"${execs:-0}" "${rate:-0}" "${cov:-0}" "$rc" >>"$BUILD/stats.tsv"
	what="$t: ${SECS} s, ${execs:-?} execs (${rate:-?}/s), coverage ${cov:-?}, scratch corpus $corp"
	if [ $rc -eq 0 ]; then
		result ok "$what"
	else
		repro=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		result not-ok "$what (exit $rc)"
		report_crash "$t" "$log" "${repro:-(none written)}"
	fi
done
finish
