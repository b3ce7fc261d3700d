# zeq - top-level build. See README.md and DEVELOPERS.md.
#
#   make            kernel module (kmod/zeq.ko), zeqctl (tools/) and zeqd
#                   (daemon/)
#   make check      every test (installs its packages first on Debian 12)
#   make check-debug   the VM suite under a KASAN/UBSAN/lockdep/kmemleak
#                   kernel built from linux-source-6.1 (cached in build/)
#   make check-ci   make check, then the debug pass, as one TAP stream
#                   (what .ci/run runs)
#   make fuzz       every libFuzzer target for FUZZ_TIME seconds each
#   make demo       the main job: two namespaces, a zeq tunnel, ping+iperf3
#   make bench      throughput: zeq vs WireGuard vs veth in one VM boot;
#                   the ZSC store against plain SQLite on the host
#   make install    module into /lib/modules, zeqctl and zeqd into
#                   $(PREFIX), zeqd's systemd unit, the man pages
#   make dkms-install  register the module source with DKMS and build it
#
# KDIR selects the kernel tree; by default the newest installed Debian
# linux-headers-*-amd64 (the kernel the VM tests boot).

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local
KVER ?= $(shell tests/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all kmod tools daemon check check-debug check-ci fuzz demo bench install \
	dkms-install clean deps

all: kmod tools daemon

kmod:
	$(MAKE) -C kmod KDIR=$(KDIR)

tools:
	$(MAKE) -C tools

daemon: tools
	$(MAKE) -C daemon

deps:
	tests/deps.sh

check: deps
	tests/check.sh

check-debug: deps
	tests/check.sh build debug

check-ci: deps
	CHECK_CI=1 tests/check.sh build unit daemon static vm debug

FUZZ_TIME ?= 60
fuzz: deps
	tests/fuzz/run.sh --time $(FUZZ_TIME)

demo: deps all
	tests/demo.sh

bench: deps all
	tests/bench/run.sh; a=$$?; tests/bench/zsc.sh && tests/bench/kdf.sh && exit $$a

# DESTDIR stages the install (as packagers do); depmod then runs on the
# staged tree.
install: all
	$(MAKE) -C kmod KDIR=$(KDIR) modules_install \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C daemon install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 docs/zeqctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/zeqctl.8
	install -D -m 0644 docs/zeqd.8 $(DESTDIR)$(PREFIX)/share/man/man8/zeqd.8
	install -D -m 0644 docs/zeqd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/zeqd.conf.5

# DKMS: the module source (kmod/ and include/) plus dkms.conf under
# /usr/src/zeq-$(VERSION), then built and installed for KVER.
DKMS_SRC := $(DESTDIR)/usr/src/zeq-$(VERSION)
dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cp -r kmod include dkms.conf $(DKMS_SRC)/
	$(MAKE) -C $(DKMS_SRC)/kmod clean KDIR=$(KDIR) >/dev/null
	dkms add zeq/$(VERSION) 2>/dev/null || true
	dkms build zeq/$(VERSION) -k $(KVER) --force
	dkms install zeq/$(VERSION) -k $(KVER) --force

clean:
	$(MAKE) -C kmod clean KDIR=$(KDIR) 2>/dev/null || true
	$(MAKE) -C tools clean
	$(MAKE) -C daemon clean
	$(MAKE) -C tests/daemon clean
	rm -rf build
