#!/bin/sh
# timeout: 900
# Obfuscation on the wire: header protection, junk datagrams, parameter
# mismatch, and the checks on the parameters.
#  - Header protection: over >= 10,000 captured datagrams no byte position
#    among the first 32 has a value more often than chance allows (zcap
#    bytes: the bound is in its output); with protection off, the same
#    test finds the fixed fields (type, key id), so it can fail.
#  - Junk: after a new key, the configured number of junk datagrams, sizes
#    in range and types in the junk range, come before the first packet
#    under the key; the receiver counts them (rx_junk).
#  - Mismatch: different parameters on the two sides pass no traffic and
#    the receiver counts obfs-mismatch drops; the digests differ; equal
#    parameters pass traffic and have equal digests.
#  - Bad parameters are refused with a message naming the rule, and change
#    nothing (the digest stays).
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before" ping_ok ns1 10.0.0.2
K=$KEYDIR/pair
hpkey() {	# hpkey NAME: 32 random bytes as hex, path printed
	head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$KEYDIR/$1"
	echo "$KEYDIR/$1"
}
H=$(hpkey hp1)
PARAMS="prefix 4-24 type-data 1000-900000 type-junk 5-999"
DEC="--key $K --hp-key $H --prefix 4-24 --type-data 1000-900000 --type-junk 5-999"
digest() { dev_jq "$1" .obfs.digest; }

# capture NAME SECONDS: iperf3 UDP ns1 -> ns2 for SECONDS, each datagram
# to port PORT2 captured whole on ns2's veth
capture() {
	capture_start "/tmp/$1.pcap" "udp and src host $V4_1 and dst port $PORT2"
	iperf_server ns2
	ip netns exec ns1 iperf3 -c 10.0.0.2 -u -b 4M -l 300 -t "$2" >/dev/null 2>&1
	wait_pid "$IPERF_SERVER" 5
	capture_stop
}

# --- header protection ---------------------------------------------------
for ns in ns1 ns2; do
	try "$ns: $PARAMS header-protection on" \
		nz $ns set zeq0 $PARAMS header-protection on hp-key-file "$H"
done
is "$(digest ns1)" "$(digest ns2)" "equal parameters: equal digests"
is "$(dev_jq ns1 .obfs.header_protection)" true "show: header protection on"
try "ping with header protection" ping_ok ns1 10.0.0.2
capture hp 8
out=$(zcap bytes /tmp/hp.pcap --positions 32)
rc=$?
echo "$out"
n=$(echo "$out" | sed -n 's/^n=//p')
ge "$n" 10000 "header protection: 10,000+ datagrams captured ($n)"
is "$rc" 0 "header protection: no byte position of the first 32 above the chance bound ($(echo "$out" | grep '^worst'))"
ge "$(zcap label /tmp/hp.pcap $DEC 2>/dev/null | sed -n 's/.*data=\([0-9]*\).*/\1/p')" 1 \
	"the captured datagrams open with the parameters (zcap agrees with the kernel)"

for ns in ns1 ns2; do
	nz $ns set zeq0 prefix 0-0 type-data 1-1 type-junk 2-2 header-protection off >/dev/null ||
		not_ok "$ns: obfuscation off"
done
try "ping without header protection" ping_ok ns1 10.0.0.2
capture clear 8
out=$(zcap bytes /tmp/clear.pcap --positions 32)
rc=$?
echo "$out"
is "$rc" 1 "no header protection: the same test finds fixed bytes (it can fail)"
fixed=$(echo "$out" | sed -n 's/^fixed=//p')
case ",$fixed," in
*,0,*,4,*) ok "no header protection: type and key id positions found fixed ($fixed)" ;;
*) not_ok "no header protection: type and key id positions found fixed"; diag "fixed=$fixed" ;;
esac

# --- junk ------------------------------------------------------------------
for ns in ns1 ns2; do
	try "$ns: junk-count 5 junk-size 80-300 $PARAMS" \
		nz $ns set zeq0 junk-count 5 junk-size 80-300 $PARAMS header-protection on hp-key-file "$H"
done
k2=$(genkey junk2)
try "new key as next on ns2" nz ns2 key add zeq0 peer 1 id 2 key-file "$k2" reverse
try "new key as next on ns1" nz ns1 key add zeq0 peer 1 id 2 key-file "$k2"
j0=$(dev_stat ns2 rx_junk)
capture_start /tmp/junk.pcap "udp and src host $V4_1 and dst port $PORT2"
try "swap to the new key on both sides" sh -c \
	"nsenter --net=/run/netns/ns2 zeqctl key swap zeq0 peer 1 &&
	 nsenter --net=/run/netns/ns1 zeqctl key swap zeq0 peer 1"
try "ping under the new key" ping_ok ns1 10.0.0.2
capture_stop
out=$(zcap junk /tmp/junk.pcap --key "$k2" --hp-key "$H" --prefix 4-24 \
	--type-data 1000-900000 --type-junk 5-999)
echo "$out"
is "$(echo "$out" | sed -n 's/^junk_before_first=//p')" 5 "5 junk datagrams before the first packet under the new key"
ge "$(echo "$out" | sed -n 's/^junk_min_len=//p')" 80 "junk sizes >= 80"
ge 300 "$(echo "$out" | sed -n 's/^junk_max_len=//p')" "junk sizes <= 300"
is "$(echo "$out" | sed -n 's/^junk_types_ok=//p')" 1 "junk types in the junk range"
ge "$(($(dev_stat ns2 rx_junk) - j0))" 5 "ns2 counted them (rx_junk)"
is "$(drop ns2 obfs-mismatch)" 0 "no mismatch drops with equal parameters"

# --- mismatch --------------------------------------------------------------
try "ns2: a different data type range" nz ns2 set zeq0 type-data 1000-2000
[ "$(digest ns1)" != "$(digest ns2)" ] && ok "different parameters: different digests" ||
	not_ok "different parameters: different digests"
m0=$(drop ns2 obfs-mismatch)
try_fail "no traffic with mismatched type ranges" ping_ok ns1 10.0.0.2
ge "$(($(drop ns2 obfs-mismatch) - m0))" 1 "ns2 counts obfs-mismatch drops"
try "ns2: same parameters again" nz ns2 set zeq0 type-data 1000-900000
is "$(digest ns1)" "$(digest ns2)" "digests equal again"
try "traffic with equal parameters" ping_ok ns1 10.0.0.2
H2=$(hpkey hp2)
try "ns2: another header protection key" nz ns2 set zeq0 hp-key-file "$H2"
m0=$(drop ns2 obfs-mismatch)
try_fail "no traffic with different header protection keys" ping_ok ns1 10.0.0.2
ge "$(($(drop ns2 obfs-mismatch) - m0))" 1 "ns2 counts obfs-mismatch drops (keys)"
try "ns2: the same key again" nz ns2 set zeq0 hp-key-file "$H"
try "traffic again" ping_ok ns1 10.0.0.2

# --- bad parameters: refused with the rule, nothing changes --------------
d=$(digest ns1)
refused() {	# refused DESC PATTERN ZEQCTL-SET-ARGS...
	local desc=$1 pat=$2 out
	shift 2
	out=$(nz ns1 set zeq0 "$@" 2>&1) && { not_ok "$desc: refused"; return; }
	if echo "$out" | grep -qi "$pat"; then
		ok "$desc: refused ($out)"
	else
		not_ok "$desc: refused, saying $pat"
		diag "$out"
	fi
}
refused "junk size min > max" "min" junk-size 300-100
refused "junk smaller than prefix max + 32" "prefix max" junk-size 40-100
refused "overlapping type ranges" "overlap" type-data 1-10 type-junk 5-20
refused "prefix longer than 64" "prefix" prefix 0-65
refused "junk count above 128" "junk" junk-count 129
is "$(digest ns1)" "$d" "refused changes left the parameters as they were"
ip -n ns1 link add zeq9 type zeq
out=$(nz ns1 set zeq9 header-protection on 2>&1)
echo "$out" | grep -q "needs a key" && ok "header protection without a key refused ($out)" ||
	{ not_ok "header protection without a key refused"; diag "$out"; }
ip -n ns1 link del zeq9
try "tunnel works" ping_ok ns1 10.0.0.2
