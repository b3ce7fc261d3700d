#!/bin/sh
# Prints the version of the newest installed Debian amd64 kernel headers:
# the kernel zeq.ko is built for and the VM tests boot.
ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	sed 's|/usr/src/linux-headers-||' | sort -V | tail -n 1
