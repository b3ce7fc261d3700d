#!/bin/sh
# timeout: 600
# Padding modes on the wire. For each mode ns1 pads (the receiver needs no
# setting: the trailer carries the padding length), pings of several sizes
# go from ns1 to ns2, tcpdump captures them on ns2's veth and zcap opens
# every datagram: the inner length must come out exactly (and ns2's
# rx_bytes must grow by exactly the inner bytes sent), and the padded
# sizes must follow the mode: off none, bucket the smallest bucket that
# holds the packet (the MTU above the largest), mtu every packet the MTU,
# random within its max, spread out, and within the overhead cap. Bad
# configurations are refused with a message and change nothing.
. /zeqtests/lib.sh

SIZES="0 56 100 300 700 1200"
zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before" ping_ok ns1 10.0.0.2
MTU=$(ip -n ns1 -j link show zeq0 | jq '.[0].mtu')
K=$KEYDIR/pair

# pad_run NAME: pings of every size, 5 each; zcap's lines in /tmp/pad-NAME
pad_run() {
	local s b0 b1 want=0
	capture_start "/tmp/pad-$1.pcap" "udp and src host $V4_1 and dst port $PORT2"
	b0=$(peer_stat ns2 rx_bytes)
	for s in $SIZES; do
		n1 ping -q -c 5 -i 0.05 -s "$s" 10.0.0.2 >/dev/null 2>&1
		want=$((want + 5 * (s + 28)))
	done
	sleep 0.5
	b1=$(peer_stat ns2 rx_bytes)
	capture_stop
	is "$((b1 - b0))" "$want" "$1: ns2 received exactly the inner bytes sent"
	zcap label "/tmp/pad-$1.pcap" --key "$K" >"/tmp/pad-$1"
	tail -n 1 "/tmp/pad-$1"
	ge "$(awk '$3 == "data"' "/tmp/pad-$1" | wc -l)" 30 "$1: 30 pings captured and opened"
	is "$(awk '$3 == "data" && $4 > 0 && $2 != $4 + $5 + 36' "/tmp/pad-$1" | wc -l)" 0 \
		"$1: datagram = inner + padding + 36 bytes, every packet"
	is "$(awk '$3 == "bad"' "/tmp/pad-$1" | wc -l)" 0 "$1: every datagram opened"
}
# inner lengths of the pings seen on the wire, sorted, unique
inner_sizes() { awk '$3 == "data" && $4 > 0 { print $4 }' "/tmp/pad-$1" | sort -n | uniq | tr '\n' ' '; }

pad_run off
is "$(inner_sizes off)" "28 84 128 328 728 1228 " "off: inner lengths recovered exactly"
is "$(awk '$3 == "data" && $5 != 0' /tmp/pad-off | wc -l)" 0 "off: no padding"

try "padding bucket 128,256,512,1024" nz ns1 set zeq0 padding bucket 128,256,512,1024
is "$(dev_jq ns1 '.padding.mode')" bucket "show: padding bucket"
pad_run bucket
is "$(inner_sizes bucket)" "28 84 128 328 728 1228 " "bucket: inner lengths recovered exactly"
is "$(awk -v m="$MTU" '$3 == "data" && $4 > 0 {
	t = $4 + $5; w = m
	if ($4 <= 1024) w = 1024; if ($4 <= 512) w = 512
	if ($4 <= 256) w = 256; if ($4 <= 128) w = 128
	if (t != w) print }' /tmp/pad-bucket | wc -l)" 0 \
	"bucket: each packet padded to the smallest bucket that holds it (MTU above)"

try "padding mtu" nz ns1 set zeq0 padding mtu
pad_run mtu
is "$(inner_sizes mtu)" "28 84 128 328 728 1228 " "mtu: inner lengths recovered exactly"
is "$(awk '$3 == "data" { print $4 + $5 }' /tmp/pad-mtu | sort -u | tr '\n' ' ')" "$MTU " \
	"mtu: every packet (keepalives too) padded to the MTU ($MTU)"

try "padding random max 200" nz ns1 set zeq0 padding random max 200
pad_run random
is "$(inner_sizes random)" "28 84 128 328 728 1228 " "random: inner lengths recovered exactly"
is "$(awk '$3 == "data" && ($5 > 200 || $4 + $5 > '"$MTU"')' /tmp/pad-random | wc -l)" 0 \
	"random: padding within its max and the MTU"
ge "$(awk '$3 == "data" { print $5 }' /tmp/pad-random | sort -u | wc -l)" 10 \
	"random: padding spread out (10+ distinct amounts over 30 packets)"

try "padding random max 1000 dist exponential mean 100 cap 20" \
	nz ns1 set zeq0 padding random max 1000 dist exponential mean 100 cap 20
pad_run capped
is "$(inner_sizes capped)" "28 84 128 328 728 1228 " "capped: inner lengths recovered exactly"
pad=$(awk '$3 == "data" { p += $5 } END { print p + 0 }' /tmp/pad-capped)
inner=$(awk '$3 == "data" { i += $4 } END { print i + 0 }' /tmp/pad-capped)
diag "capped: $pad padding bytes for $inner inner bytes"
ge "$((inner / 5 + 1))" "$pad" "capped: padding at most 20 % of the inner bytes"
ge "$pad" 1 "capped: some padding"

# Refused, with the reason, and nothing changes.
before=$(dev_jq ns1 '.padding | tojson')
out=$(nz ns1 set zeq0 padding bucket 512,256 2>&1)
is "$?" 2 "bucket sizes out of order refused (usage error, exit 2)"
echo "$out" | grep -q "ascending" && ok "error says the sizes must ascend" ||
	{ not_ok "error says the sizes must ascend"; diag "$out"; }
try_fail "random without max refused" nz ns1 set zeq0 padding random
try_fail "mean above max refused" nz ns1 set zeq0 padding random max 10 dist exponential mean 20
is "$(dev_jq ns1 '.padding | tojson')" "$before" "refused changes left the padding as it was"
try "padding off" nz ns1 set zeq0 padding off
is "$(dev_jq ns1 '.padding.mode')" off "show: padding off"
try "tunnel works" ping_ok ns1 10.0.0.2
