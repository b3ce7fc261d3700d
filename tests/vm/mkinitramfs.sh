#!/bin/bash
# tests/vm/mkinitramfs.sh OUT.cpio.gz - the initramfs the VM tests boot.
#
# Two gzip'd newc archives concatenated into OUT (the kernel unpacks them in
# order, later files replacing earlier ones):
#
#  base     busybox-static with its applet links, Debian's iproute2 (ip, ss),
#           wg, iperf3, tcpdump, jq, setpriv, kmod (as modprobe, insmod,
#           rmmod, lsmod, modinfo, depmod), openssl and curl (with
#           /etc/ssl/openssl.cnf: the zeqd scenarios make certificates and
#           probe the control channel), their shared libraries, and the
#           kernel modules the tests need from /lib/modules/$KVER with their
#           dependencies.  Slow to build, rarely changes: cached in
#           build/vm/ keyed on its inputs.
#  project  kmod/zeq.ko (as extra/zeq.ko, modules.dep regenerated with
#           depmod -b), tools/zeqctl, daemon/zeqd, tests/progs/{pktgen,
#           nl_reject,nl_fuzz}, prog_hsbench (if built: make bench) and
#           their libraries (those base lacks:
#           SQLite, json-c, libsystemd, libmnl...), /init and the test data
#           (tests/vm/lib.sh, tests/vm/scenarios/, tests/demo.sh,
#           tests/bench/guest.sh).
#           Cheap; also cached by content.
#
# Binaries are shipped as built: this script builds nothing (make all, as
# tests/check.sh runs first, or make -C daemon for zeqd alone).
#
# Environment: KVER (default: tests/kver.sh), MODROOT (default
# /lib/modules/$KVER: where the kernel's modules come from), ZEQ_KO (default
# kmod/zeq.ko), BUILD (default build/vm).
set -euo pipefail

OUT=${1:?usage: mkinitramfs.sh OUT.cpio.gz}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
KVER=${KVER:-$("$TOP/tests/kver.sh")}
MODROOT=${MODROOT:-/lib/modules/$KVER}
ZEQ_KO=${ZEQ_KO:-$TOP/kmod/zeq.ko}
BUILD=${BUILD:-$TOP/build/vm}
mkdir -p "$BUILD"
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac

log() { [ -n "${VERBOSE:-}" ] && echo "mkinitramfs: $*" >&2; return 0; }

# Debian binaries (path on the host = path in the guest).
# dash is /bin/sh: Debian's busybox-static prefers its own applets over
# $PATH, so its sh would run busybox ip instead of iproute2's.
TOOLS="/usr/bin/dash /usr/sbin/ip /usr/bin/ss /usr/bin/wg /usr/bin/iperf3 /usr/bin/tcpdump
/usr/bin/jq /usr/bin/setpriv /usr/bin/kmod /usr/bin/openssl /usr/bin/curl"
# Data files for them (openssl req reads its config, found through
# OPENSSLDIR /usr/lib/ssl, a link to /etc/ssl in Debian).
TOOL_DATA="/etc/ssl/openssl.cnf"
KMOD_LINKS="modprobe insmod rmmod lsmod modinfo depmod"
# Kernel modules the tests load (built-in ones are skipped).
MODULES="wireguard veth aesni_intel ghash_clmulni_intel gcm ctr ghash_generic
cryptd crypto_simd udp_tunnel ip6_udp_tunnel ipv6 dummy"
if [ -f "$ZEQ_KO" ]; then
	MODULES="$MODULES $(/sbin/modinfo -F depends "$ZEQ_KO" | tr ',' ' ')"
fi

# Copy FILE and the shared libraries it needs into ROOT at the same paths.
copy_with_libs() {
	local root=$1 f=$2 dst=${3:-$2} lib
	install -D -m 0755 "$f" "$root$dst"
	ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
	while read -r lib; do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# Module file names (relative to MODROOT) for the modules and their deps.
module_files() {
	local m line base=${MODROOT%/lib/modules/"$KVER"} d=()
	[ -n "$base" ] && d=(-d "$base")
	for m in "$@"; do
		modprobe -S "$KVER" "${d[@]}" --show-depends "$m" 2>/dev/null || {
			# not built for this kernel at all: fine if built in
			tr '-' '_' <"$MODROOT/modules.builtin" 2>/dev/null |
				grep -q "/$(echo "$m" | tr '-' '_').ko" ||
				echo "mkinitramfs: warning: no module $m" >&2
		}
	done | while read -r line; do
		case $line in insmod\ *) line=${line#insmod }; line=${line%% *}
			echo "${line#"$MODROOT"/}" ;; esac
	done | sort -u
}

hash_of() { sha256sum | cut -c1-16; }

# ---------------------------------------------------------------- base
# shellcheck disable=SC2086
MODFILES=$(module_files $MODULES)
base_key=$( {
	cat "$0"
	echo "$KVER $MODROOT $MODFILES"
	# shellcheck disable=SC2086
	stat -L -c '%n %s %Y' /bin/busybox $TOOLS $TOOL_DATA "$MODROOT/modules.builtin" 2>/dev/null || true
	for t in $TOOLS; do ldd "$t" | sed "s/ (0x.*//"; done
} | hash_of)
BASE=$BUILD/base-$KVER-$base_key.cpio.gz
BASEROOT=$BUILD/base-root-$KVER
if [ ! -s "$BASE" ] || [ ! -f "$BASEROOT/.key-$base_key" ]; then
	log "building base ($base_key)"
	rm -rf "$BASEROOT" "$BUILD"/base-"$KVER"-*.cpio.gz
	mkdir -p "$BASEROOT"
	(
		cd "$BASEROOT"
		mkdir -p bin sbin usr/bin usr/sbin usr/lib usr/lib64 usr/local/bin \
			etc proc sys dev run tmp var root mnt
		ln -s usr/lib lib
		ln -s usr/lib64 lib64
		ln -s ../run var/run
		chmod 1777 tmp
	)
	for t in $TOOLS; do copy_with_libs "$BASEROOT" "$t"; done
	ln -s /usr/bin/dash "$BASEROOT/bin/sh"
	for f in $TOOL_DATA; do install -D -m 0644 "$f" "$BASEROOT$f"; done
	mkdir -p "$BASEROOT/usr/lib/ssl"
	ln -s /etc/ssl/openssl.cnf "$BASEROOT/usr/lib/ssl/openssl.cnf"
	for l in $KMOD_LINKS; do ln -sf /usr/bin/kmod "$BASEROOT/sbin/$l"; done
	install -m 0755 /bin/busybox "$BASEROOT/bin/busybox"
	# Applet links, unless a Debian tool of that name is there already.
	/bin/busybox --list-full | while read -r a; do
		n=${a##*/}
		for d in bin sbin usr/bin usr/sbin; do
			[ -e "$BASEROOT/$d/$n" ] && continue 2
		done
		mkdir -p "$BASEROOT/$(dirname "$a")"
		ln -s /bin/busybox "$BASEROOT/$a"
	done
	# Users: root, nobody (setpriv tests), tcpdump (it drops privileges).
	cat >"$BASEROOT/etc/passwd" <<-'EOP'
	root:x:0:0:root:/root:/bin/sh
	tcpdump:x:104:107::/nonexistent:/bin/false
	nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOP
	cat >"$BASEROOT/etc/group" <<-'EOG'
	root:x:0:
	tcpdump:x:107:
	nogroup:x:65534:
	EOG
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$BASEROOT/etc/hosts"
	printf 'hosts: files\n' >"$BASEROOT/etc/nsswitch.conf"
	printf 'udp 17 UDP\ntcp 6 TCP\nicmp 1 ICMP\nipv6-icmp 58 IPv6-ICMP\n' \
		>"$BASEROOT/etc/protocols"
	# Kernel modules.
	mkdir -p "$BASEROOT/lib/modules/$KVER"
	for f in $MODFILES; do
		install -D -m 0644 "$MODROOT/$f" "$BASEROOT/lib/modules/$KVER/$f"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$MODROOT/$f" ] && cp "$MODROOT/$f" "$BASEROOT/lib/modules/$KVER/"
	done
	depmod -b "$BASEROOT" "$KVER"
	(cd "$BASEROOT" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$BASE.tmp")
	mv "$BASE.tmp" "$BASE"
	touch "$BASEROOT/.key-$base_key"
fi

# ---------------------------------------------------------------- project
PROJ_BINS=""
for b in tools/zeqctl daemon/zeqd tests/progs/pktgen tests/progs/zcap tests/progs/nl_reject tests/progs/nl_fuzz \
	 tests/daemon/build/plain/prog_hsbench; do
	[ -x "$TOP/$b" ] && PROJ_BINS="$PROJ_BINS $b"
done
DATA="tests/vm/init.sh tests/vm/lib.sh tests/demo.sh tests/bench/guest.sh"
proj_key=$( {
	echo "$base_key $PROJ_BINS"
	cd "$TOP"
	# shellcheck disable=SC2086
	cat $PROJ_BINS $DATA tests/vm/scenarios/*.sh 2>/dev/null
	# the libraries they resolve to (a Debian upgrade changes them)
	for b in $PROJ_BINS; do
		ldd "$b" 2>/dev/null | sed "s/ (0x.*//" |
			awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
			while read -r lib; do stat -L -c '%n %s %Y' "$lib"; done || true
	done
	[ -f "$ZEQ_KO" ] && cat "$ZEQ_KO"
	ls tests/vm/scenarios/
} | hash_of)
PROJ=$BUILD/project-$proj_key.cpio.gz
if [ ! -s "$PROJ" ]; then
	log "building project part ($proj_key)"
	rm -f "$BUILD"/project-*.cpio.gz
	P=$BUILD/project-root
	rm -rf "$P"
	mkdir -p "$P/usr/local/bin" "$P/zeqtests/scenarios" "$P/usr/lib" "$P/usr/lib64"
	ln -s usr/lib "$P/lib"
	ln -s usr/lib64 "$P/lib64"
	for b in $PROJ_BINS; do
		copy_with_libs "$P" "$TOP/$b" "/usr/local/bin/$(basename "$b")"
		# libraries the base part already has need not be repeated
	done
	# Libraries: keep only those missing from base.
	(cd "$P" && find usr/lib usr/lib64 -type f) | while read -r f; do
		[ -e "$BASEROOT/$f" ] && rm -f "$P/$f"
	done
	install -m 0755 "$TOP/tests/vm/init.sh" "$P/init"
	for f in $DATA; do
		[ -f "$TOP/$f" ] && install -m 0755 "$TOP/$f" "$P/zeqtests/$(basename "$f")"
	done
	cp "$TOP"/tests/vm/scenarios/*.sh "$P/zeqtests/scenarios/" 2>/dev/null || true
	if [ -f "$ZEQ_KO" ]; then
		# depmod over base + zeq.ko, then ship zeq.ko and the new indexes.
		install -D -m 0644 "$ZEQ_KO" "$BASEROOT/lib/modules/$KVER/extra/zeq.ko"
		depmod -b "$BASEROOT" "$KVER"
		install -D -m 0644 "$ZEQ_KO" "$P/lib/modules/$KVER/extra/zeq.ko"
		cp "$BASEROOT/lib/modules/$KVER"/modules.* "$P/lib/modules/$KVER/"
		rm -f "$BASEROOT/lib/modules/$KVER/extra/zeq.ko"
		depmod -b "$BASEROOT" "$KVER"
	fi
	(cd "$P" && find . -mindepth 1 ! -name lib ! -name lib64 ! -name usr \
		! -path ./usr/lib ! -path ./usr/lib64 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$PROJ.tmp")
	mv "$PROJ.tmp" "$PROJ"
fi

cat "$BASE" "$PROJ" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "wrote $OUT"
