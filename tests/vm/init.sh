#!/bin/sh
# tests/vm/init.sh - /init of the test VM (busybox sh, runs as PID 1).
#
# Kernel command line (set by tests/vm/run.sh):
#   zeqtests=a,b,c     scenarios from /zeqtests/scenarios/ to run, in order
#   zeqscript=NAME     instead: run /zeqtests/NAME (demo, bench), output as is
#   zeqstimeout=S      per-scenario time limit (default 240 s)
#   zeqtrace=1         run scenarios with sh -x
#   zeqlogs=1          print every scenario's output, also when it passes
#
# Scenario mode prints TAP on the console: every scenario's own tests, one
# "dmesg clean" test per scenario, and the plan at the end. A scenario's
# output (and the offending dmesg) is printed as "# " comments when any of
# its tests fails. Then the guest powers off.
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /run/netns
exec </dev/null >/dev/console 2>&1
echo	# the firmware leaves escape codes on the console line

echo /sbin/modprobe >/proc/sys/kernel/modprobe
hostname zeqvm
ip link set lo up

# End the VM: qemu runs with -no-reboot, so a reboot makes it exit. (A
# poweroff needs working ACPI; without it, the debug kernel only halts.)
die_off() {
	sync
	reboot -f
	sleep 2
	echo b >/proc/sysrq-trigger
	sleep 60
}

cmdline=$(cat /proc/cmdline)
arg() {
	for w in $cmdline; do
		case $w in "$1="*) echo "${w#*=}"; return ;; esac
	done
}
# The serial console is slow under TCG: keep it for errors only.
echo 4 >/proc/sys/kernel/printk
DEBUGPASS=$(arg zeqdebug)
# Let a WARN()/BUG() be noticed but not stop the run, except in the debug
# pass (run.sh --debug, panic_on_warn=1): there any oops, WARN, KASAN or
# UBSAN report or lockup panics and ends the run.
[ "$DEBUGPASS" = 1 ] || echo 0 >/proc/sys/kernel/panic_on_oops
SCENARIOS=$(arg zeqtests | tr ',' ' ')
SCRIPT=$(arg zeqscript)
STIMEOUT=$(arg zeqstimeout)
STIMEOUT=${STIMEOUT:-240}
# zeqtrace=1: scenarios run under sh -x (their log is shown on failure)
SHOPT=
[ "$(arg zeqtrace)" = 1 ] && SHOPT=-x
# zeqlogs=1: print every scenario's output, not only on failure
SHOWLOGS=$(arg zeqlogs)

# Crypto drivers: no udev here, so load AES-NI explicitly.
modprobe aesni_intel 2>/dev/null || echo "# modprobe aesni_intel failed"
modprobe ghash_clmulni_intel 2>/dev/null

# The kernel's own boot messages, then those of loading zeq (checked for
# splats below; both are in /tmp/dmesg.boot for the self-test scenario).
dmesg -c >/tmp/dmesg.kernel
KO=/lib/modules/$(uname -r)/extra/zeq.ko
ZEQ_LOAD=absent
if [ -f "$KO" ]; then
	if modprobe zeq >/tmp/modprobe.zeq 2>&1; then
		ZEQ_LOAD=ok
	else
		ZEQ_LOAD=failed
	fi
fi
dmesg -c >/tmp/dmesg.zeqload
cat /tmp/dmesg.kernel /tmp/dmesg.zeqload >/tmp/dmesg.boot
export ZEQ_LOAD ZEQ_IN_VM=1

if [ -n "$SCRIPT" ]; then
	# demo / bench: output as is, then the exit status for the host.
	cd /zeqtests || exit 1
	echo ZEQ-BEGIN
	sh "/zeqtests/$SCRIPT"
	echo "ZEQ-EXIT $?"
	die_off
fi

mkdir -p /tmp/tap /tmp/logs
echo 0 >/tmp/tap/n
echo 0 >/tmp/tap/fail
exec 3>&1
. /zeqtests/lib.sh

echo "# kernel $(uname -r), $(nproc) CPUs, zeq module: $ZEQ_LOAD, up $(cut -d' ' -f1 /proc/uptime)s"
if [ "$ZEQ_LOAD" = failed ]; then
	not_ok "modprobe zeq"
	diag_file /tmp/modprobe.zeq
	diag_file /tmp/dmesg.zeqload
fi

SPLAT='WARNING:|BUG:|refcount_t|lockdep|KASAN|UBSAN|kmemleak|Oops|general protection|RCU|Call Trace|Kernel panic|hung_task|soft lockup|stack-protector|list_(add|del) corruption|double free|use-after-free'
if [ "$ZEQ_LOAD" != absent ]; then
	SCENARIO=boot
	if grep -Eq "$SPLAT" /tmp/dmesg.zeqload; then
		not_ok "dmesg clean while loading zeq"
		diag_file /tmp/dmesg.zeqload
	else
		ok "dmesg clean while loading zeq"
	fi
	SCENARIO=
fi
# kmemleak (debug kernels): what boot left behind is not ours
# (an object is reported once its checksum held still over two scans)
if [ -w /sys/kernel/debug/kmemleak ]; then
	t=$(cut -d. -f1 /proc/uptime)
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
	echo "# kmemleak: boot objects scanned and cleared in $(($(cut -d. -f1 /proc/uptime) - t))s"
fi
dmesg -c >/dev/null	# (its "new suspected memory leaks" line too)
# debug pass: from here on every kernel message goes to the console, so
# that a report that panics is printed whole (run.sh shows it)
[ "$DEBUGPASS" = 1 ] && echo 7 >/proc/sys/kernel/printk

for s in $SCENARIOS; do
	f=/zeqtests/scenarios/$s.sh
	[ -f "$f" ] || f=/zeqtests/scenarios/$s
	export SCENARIO=$s
	if [ ! -f "$f" ]; then
		not_ok "no such scenario"
		continue
	fi
	t=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)
	t=${t:-$STIMEOUT}
	fail0=$(cat /tmp/tap/fail)
	n0=$(cat /tmp/tap/n)
	start=$(cut -d. -f1 /proc/uptime)
	log=/tmp/logs/$s.log
	# Own session, so everything it left running can be killed after.
	( cd /tmp && exec setsid /bin/sh -c 'exec /bin/sh $1 "$0"' "$f" "$SHOPT" ) >"$log" 2>&1 &
	pid=$!
	( sleep "$t"; echo "TIMEOUT after ${t}s" >>"$log"
	  kill -9 -"$pid" "$pid" 2>/dev/null ) &
	dog=$!
	wait "$pid"
	rc=$?
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
	kill -9 -"$pid" 2>/dev/null
	# Leftovers of the scenario: namespaces, devices, the module.
	ip -all netns delete 2>/dev/null
	for d in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
		[ "$d" = lo ] || ip link del "$d" 2>/dev/null
	done
	[ "$ZEQ_LOAD" = ok ] && { lsmod | grep -q '^zeq ' || modprobe zeq; }
	sleep 1	# netns cleanup runs from a workqueue
	end=$(cut -d. -f1 /proc/uptime)

	if grep -q '^TIMEOUT after' "$log"; then
		not_ok "scenario finished within its ${t}s (killed)"
	elif [ "$(cat /tmp/tap/n)" = "$n0" ]; then
		not_ok "scenario produced no test result (exit $rc)"
	elif [ "$rc" -ne 0 ]; then
		not_ok "scenario exited with status $rc"
	fi
	dmesg -c >"/tmp/logs/$s.dmesg"
	if grep -Eq "$SPLAT" "/tmp/logs/$s.dmesg"; then
		not_ok "dmesg clean"
		diag "kernel log of $s:"
		diag_file "/tmp/logs/$s.dmesg"
	else
		ok "dmesg clean"
	fi
	echo "# $s: $((end - start))s"
	if [ "$(cat /tmp/tap/fail)" != "$fail0" ] || [ "$SHOWLOGS" = 1 ]; then
		diag "output of $s:"
		diag_file "$log"
	fi
done
SCENARIO=
# debug kernels: kmemleak after the suite. An object is reported once it
# is unreferenced, older than 5 s and unchanged since the previous scan:
# two scans, after a pause.
if [ -w /sys/kernel/debug/kmemleak ]; then
	SCENARIO=kmemleak
	t=$(cut -d. -f1 /proc/uptime)
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/logs/kmemleak
	if [ -s /tmp/logs/kmemleak ]; then
		not_ok "no leaks after the suite ($(grep -c '^unreferenced object' /tmp/logs/kmemleak) reported)"
		diag_file /tmp/logs/kmemleak
	else
		ok "no leaks after the suite"
	fi
	echo "# kmemleak: scanned in $(($(cut -d. -f1 /proc/uptime) - t))s"
	SCENARIO=
fi
echo "1..$(cat /tmp/tap/n)"
echo "# failed: $(cat /tmp/tap/fail)"
die_off
