#!/bin/sh
# tests/deps.sh - install what building and testing zeq needs (Debian 12).
#
# Idempotent and quiet: asks dpkg what is already installed and runs
# apt-get (update + install) only for what is missing.
set -eu

# libclang-rt-14-dev (libFuzzer, sanitizer runtimes) and llvm-14
# (llvm-symbolizer) are only recommended by clang: tests/fuzz needs them.
# flex, bison, bc and libelf-dev build the debug kernel (make check-debug).
# curl and openssl (the CLI) probe the control channel (t-channel.sh).
PKGS="build-essential linux-headers-amd64 linux-image-amd64 linux-source-6.1
qemu-system-x86 busybox-static iproute2 iperf3 tcpdump wireguard-tools
libmnl-dev libcmocka-dev libssl-dev libsqlite3-dev libjson-c-dev
libsystemd-dev pkg-config systemd sqlite3 xxd python3 sparse dkms kmod cpio jq
clang util-linux libclang-rt-14-dev llvm-14 groff-base flex bison bc libelf-dev
curl openssl"

# One dpkg-query for all; a package it does not know is simply missing.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PKGS \
	2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
missing=""
for p in $PKGS; do
	echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: missing packages:$missing and no apt-get (Debian 12 expected)" >&2
	exit 1
fi
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
