#!/bin/bash
# tests/vm/debug-kernel.sh - a debug kernel for the VM tests (KASAN, UBSAN,
# kmemleak, lockdep/PROVE_LOCKING, DEBUG_LIST, ...) and zeq.ko built for it.
#
# Debian's linux-source-6.1, allnoconfig, then WireGuard's qemu fragments
# (tools/testing/selftests/wireguard/qemu: kernel.config, arch/x86_64.config,
# debug.config) plus what zeq and the tests need. Everything the tests use
# is built in; MODULES stays on for zeq.ko. ACPI is on (both vCPUs); the
# guest's /init also copes with a kernel without it ("reboot -f", qemu runs
# with -no-reboot).
#
#   tests/vm/debug-kernel.sh          build (incremental) and print the
#                                     variables tests/vm/run.sh --debug uses
# Output in build/debug-kernel/: linux/ (the tree), modroot/ (modules.*
# of the kernel), zeq/ (a copy of kmod/ + include/ built with
# ZEQ_SELFTEST=1 against the tree), env (KERNEL=, KVER=, MODROOT=, ZEQ_KO=).
# About 7 minutes on 2 cores the first time.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
D=$TOP/build/debug-kernel
SRC=$D/linux
JOBS=$(nproc 2>/dev/null || echo 2)
# x86_64, not i386: allnoconfig alone would give a 32-bit kernel
export ARCH=x86_64
mkdir -p "$D"

if [ ! -f "$SRC/Makefile" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
	[ -n "$tarball" ] || { echo "debug-kernel: no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2; exit 1; }
	echo "debug-kernel: extracting $tarball" >&2
	rm -rf "$SRC" "$D/extract"
	mkdir -p "$D/extract"
	tar -xJf "$tarball" -C "$D/extract"
	mv "$D/extract"/linux-source-* "$SRC"
	rmdir "$D/extract"
fi

Q=$SRC/tools/testing/selftests/wireguard/qemu
FRAG=$TOP/tests/vm/debug-kernel.config

cfg_inputs=$(cat "$0" "$Q/kernel.config" "$Q/arch/x86_64.config" "$Q/debug.config" "$FRAG" | sha256sum | cut -c1-16)
if [ ! -f "$SRC/.config" ] || [ "$(cat "$D/.config-key" 2>/dev/null)" != "$cfg_inputs" ]; then
	echo "debug-kernel: configuring" >&2
	make -C "$SRC" -s allnoconfig
	(cd "$SRC" && scripts/kconfig/merge_config.sh -n -m .config \
		"$Q/kernel.config" "$Q/arch/x86_64.config" "$Q/debug.config" "$FRAG" >/dev/null)
	make -C "$SRC" -s olddefconfig
	echo "$cfg_inputs" >"$D/.config-key"
	# report what did not stick (dependencies missing)
	for f in "$FRAG"; do
		grep -E '^CONFIG_[A-Z0-9_]+=y' "$f" | while IFS= read -r l; do
			grep -qx "$l" "$SRC/.config" || echo "debug-kernel: note: $l not set" >&2
		done
	done
fi

echo "debug-kernel: building ($JOBS jobs)" >&2
make -C "$SRC" -s -j"$JOBS" bzImage modules
KREL=$(make -C "$SRC" -s kernelrelease)
rm -rf "$D/modroot"
make -C "$SRC" -s modules_install INSTALL_MOD_PATH="$D/modroot" INSTALL_MOD_STRIP=1 >/dev/null
rm -f "$D/modroot/lib/modules/$KREL/build" "$D/modroot/lib/modules/$KREL/source"

# zeq.ko with self-tests, from a copy of the module source
Z=$D/zeq
mkdir -p "$Z"
rm -rf "$Z/include"
cp -a "$TOP/include" "$Z/"
[ -f "$TOP/dkms.conf" ] && cp -a "$TOP/dkms.conf" "$Z/"
mkdir -p "$Z/kmod"
(cd "$TOP/kmod" && find . -type f \( -name '*.[ch]' -o -name Makefile -o -name Kbuild \) ! -name '*.mod.c') |
	while read -r f; do
		cmp -s "$TOP/kmod/$f" "$Z/kmod/$f" || install -D -m 0644 "$TOP/kmod/$f" "$Z/kmod/$f"
	done
ZEQ_KO=
if make -C "$Z/kmod" -s KDIR="$SRC" ZEQ_SELFTEST=1 >"$D/zeq-build.log" 2>&1; then
	ZEQ_KO=$Z/kmod/zeq.ko
else
	echo "debug-kernel: building zeq.ko for $KREL failed (log: $D/zeq-build.log)" >&2
	tail -n 20 "$D/zeq-build.log" >&2
fi

cat >"$D/env" <<EOF
KERNEL=$SRC/arch/x86/boot/bzImage
KVER=$KREL
MODROOT=$D/modroot/lib/modules/$KREL
ZEQ_KO=$ZEQ_KO
EOF
cat "$D/env"
[ -n "$ZEQ_KO" ]
