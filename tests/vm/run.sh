#!/bin/bash
# tests/vm/run.sh [OPTIONS] [SCENARIO...] - boot the test VM, run scenarios.
#
#   --debug            boot the debug kernel (KASAN, UBSAN, kmemleak,
#                      lockdep) from tests/vm/debug-kernel.sh, with zeq.ko
#                      built for it (built first if missing; ~10x slower)
#   --kernel VMLINUZ   kernel to boot (default /boot/vmlinuz-$KVER)
#   --kver VERSION     its module version (default tests/kver.sh; with a
#                      debug kernel set MODROOT to its modules too)
#   --timeout S        whole-run limit (default 300 + 240 per scenario)
#   --stimeout S       per-scenario limit in the guest (default 240)
#   --script NAME      run /zeqtests/NAME (demo.sh, guest.sh) instead of
#                      scenarios; its output is printed and its exit status
#                      becomes ours
#   --initrd FILE      use this initramfs instead of building one
#   --log FILE         keep the console log (default build/vm/console.log,
#                      or build/vm/run.*/ while another run holds build/vm)
#   --trace            run the scenarios under sh -x
#   --show-logs        print every scenario's output (default: on failure)
#
# With no SCENARIO, runs every tests/vm/scenarios/*.sh in name order.
# Prints the guest's TAP (and its diagnostics) as it comes; exits non-zero
# on any "not ok", a missing or short plan, a timeout or a kernel splat on
# the console.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
KVER=${KVER:-$("$TOP/tests/kver.sh")}
KERNEL=
TIMEOUT=
STIMEOUT=240
SCRIPT=
INITRD=
LOG=
TRACE=
SHOWLOGS=
DEBUG=
while [ $# -gt 0 ]; do
	case $1 in
	--debug) DEBUG=1; shift ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--kver) KVER=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--stimeout) STIMEOUT=$2; shift 2 ;;
	--script) SCRIPT=$2; shift 2 ;;
	--initrd) INITRD=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	--trace) TRACE=1; shift ;;
	--show-logs) SHOWLOGS=1; shift ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ -n "$DEBUG" ]; then
	denv=$TOP/build/debug-kernel/env
	if [ ! -f "$denv" ] || [ -n "$(find "$TOP/kmod" "$TOP/include" -newer "$denv" -type f | head -n1)" ]; then
		"$TOP/tests/vm/debug-kernel.sh" >/dev/null || {
			echo "not ok - vm: building the debug kernel / zeq.ko for it failed"
			exit 1
		}
	fi
	# shellcheck disable=SC1090
	. "$denv"
	export MODROOT ZEQ_KO
	[ "$STIMEOUT" = 240 ] && STIMEOUT=2400
fi
export KVER
KERNEL=${KERNEL:-/boot/vmlinuz-$KVER}
BUILD=${BUILD:-$TOP/build/vm}
mkdir -p "$BUILD"
# A run while another holds build/vm (a second shell, a helper session)
# builds its initramfs and writes its console log in a directory of its
# own, so that neither truncates the other's files.
exec 9>>"$BUILD/run.lock"
if ! flock -n 9; then
	BUILD=$(mktemp -d "$BUILD/run.XXXXXX") || exit 1
	trap 'rm -f "$BUILD/initramfs.cpio.gz"' EXIT
fi
LOG=${LOG:-$BUILD/console.log}

if [ $# -eq 0 ] && [ -z "$SCRIPT" ]; then
	set -- $(cd "$TOP/tests/vm/scenarios" && ls -- *.sh | sed 's/\.sh$//')
fi
SCENARIOS=$(echo "$@" | tr ' ' ',')
NSCEN=$#
TIMEOUT=${TIMEOUT:-$((300 + STIMEOUT * (NSCEN > 0 ? NSCEN : 1)))}

if [ ! -r "$KERNEL" ]; then
	echo "not ok - vm: kernel $KERNEL not readable"
	exit 1
fi
if [ -z "$INITRD" ]; then
	INITRD=$BUILD/initramfs.cpio.gz
	if ! "$TOP/tests/vm/mkinitramfs.sh" "$INITRD"; then
		echo "not ok - vm: building the initramfs failed"
		exit 1
	fi
fi

APPEND="console=ttyS0 panic=-1 oops=panic_off quiet loglevel=4 log_buf_len=4M"
APPEND="$APPEND net.ifnames=0${TRACE:+ zeqtrace=1}${SHOWLOGS:+ zeqlogs=1}"
# debug pass: a WARN (and so any KASAN/UBSAN report) panics too; a hung
# task report shows every CPU's stack (what holds up the waiter)
[ -n "$DEBUG" ] && APPEND="$APPEND panic_on_warn=1 zeqdebug=1 sysctl.kernel.hung_task_all_cpu_backtrace=1"
if [ -n "$SCRIPT" ]; then
	APPEND="$APPEND zeqscript=$SCRIPT"
else
	APPEND="$APPEND zeqtests=$SCENARIOS zeqstimeout=$STIMEOUT"
fi

t0=$(date +%s)
# KVM hangs this guest here: always TCG.
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-accel tcg -cpu max -smp 2 -m 2G \
	-nographic -no-reboot -nic none \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" </dev/null 2>&1 |
	sed -u 's/\r$//' | tee "$LOG" |
	if [ -n "$SCRIPT" ]; then
		# the script's output: from the guest's start marker on
		awk '/^ZEQ-BEGIN$/ { on = 1; next }
		     /^ZEQ-EXIT / || /reboot: Power down/ { next }
		     on { print; fflush() }'
	else
		# Only TAP and the guest's diagnostics; kernel lines on errors.
		grep --line-buffered -E '^(ok|not ok|1\.\.|#|Bail out!)|^\[ *[0-9]+\.[0-9]+\]' |
			grep --line-buffered -vE '\] reboot: (Restarting system|Power down|System halted)' || true
	fi
qrc=${PIPESTATUS[0]}
t1=$(date +%s)

SPLAT='WARNING:|BUG:|refcount_t|lockdep|KASAN|UBSAN|kmemleak|Oops|general protection|Kernel panic|Call Trace|soft lockup|hung_task'
splat=$(grep -E '^\[ *[0-9]+\.[0-9]+\]' "$LOG" | grep -E "$SPLAT")

if [ -n "$SCRIPT" ]; then
	rc=$(sed -n 's/^ZEQ-EXIT \([0-9]*\).*/\1/p' "$LOG" | tail -n1)
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "run.sh: VM timed out after ${TIMEOUT}s" >&2
		exit 1
	fi
	if [ -n "$splat" ]; then
		echo "run.sh: kernel splat on the console:" >&2
		echo "$splat" >&2
		exit 1
	fi
	if [ -z "$rc" ]; then
		echo "run.sh: $SCRIPT did not finish (qemu exit $qrc); console log: $LOG" >&2
		tail -n 30 "$LOG" >&2
		exit 1
	fi
	exit "$rc"
fi

fail=0
plan=$(grep -E '^1\.\.[0-9]+' "$LOG" | tail -n1 | cut -d. -f3)
nres=$(grep -cE '^(ok|not ok) ' "$LOG")
nfail=$(grep -cE '^not ok ' "$LOG")
n=$nres
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	n=$((n + 1))
	echo "not ok $n - vm: timed out after ${TIMEOUT}s (qemu killed)"
	fail=1
fi
if [ -z "$plan" ]; then
	n=$((n + 1))
	echo "not ok $n - vm: no TAP plan from the guest (qemu exit $qrc); last console lines:"
	tail -n 40 "$LOG" | sed 's/^/# /'
	fail=1
elif [ "$plan" != "$nres" ]; then
	n=$((n + 1))
	echo "not ok $n - vm: plan 1..$plan but $nres results"
	fail=1
fi
if [ -n "$splat" ]; then
	n=$((n + 1))
	echo "not ok $n - vm: kernel splat on the console"
	# the whole report: from 5 lines before the first splat line, 150 lines
	grep -E '^\[ *[0-9]+\.[0-9]+\]' "$LOG" |
		grep -E -m1 -B5 -A150 "$SPLAT" | sed 's/^/# /'
	fail=1
fi
[ "$nfail" -gt 0 ] && fail=1
echo "# vm: $nres guest results, $nfail failed, $((t1 - t0))s (console log: $LOG)"
exit $fail
