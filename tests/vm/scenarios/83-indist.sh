#!/bin/sh
# timeout: 900
# Cover packets cannot be told from data by what an observer sees. ns1
# sends cover at 100/s and random-length UDP datagrams (0..1500 bytes,
# Poisson arrivals at 500/s: pktgen -P) through the tunnel; tcpdump on
# ns2's veth captures >= 10,000 datagrams, and zcap labels each one by
# opening it with the tunnel's key (cover or data) and trains classifiers
# on what an observer has: the datagram's length, each of its first 16
# bytes, the time since the previous datagram (log2 buckets), and naive
# Bayes over all of them (even datagrams train, odd ones test). The best
# test accuracy must be within 2 points of the base rate (the share of
# the larger class), with mtu padding and with bucket padding.
# Control, to show the classifier sees what it can: labelled by inner
# size (>= 700 bytes or not) it beats the base rate by more than 20
# points with padding off. (With mtu padding it still beats it by 2-3
# points, through timing: an inner packet above the MTU leaves as two
# fragments back to back, a burst any tunnel shows.)
# (Timing: cover is sent at a constant rate, so with sparse real traffic
# its period gives it away; see docs/datapath.md. Here real traffic is
# five times denser than cover.)
. /zeqtests/lib.sh

N=${INDIST_COUNT:-12000}	# data datagrams per run; cover adds a fifth
zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
try "ping before" ping_ok ns1 10.0.0.2
K=$KEYDIR/pair
H=$KEYDIR/hp-indist
head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$H"
for ns in ns1 ns2; do
	nz $ns set zeq0 prefix 1-16 type-data 1000-900000 type-junk 5-999 \
		header-protection on hp-key-file "$H" || not_ok "$ns: obfuscation on"
done
DEC="--key $K --hp-key $H --prefix 1-16 --type-data 1000-900000 --type-junk 5-999"
try "cover on rate 100" nz ns1 set zeq0 cover on rate 100

# run NAME: capture N data datagrams and the cover between them
run() {
	capture_start "/tmp/ind-$1.pcap" "udp and src host $V4_1 and dst port $PORT2"
	n1 pktgen -P -r 500 random 10.0.0.2 9 "$N" >/dev/null
	capture_stop
}
# classify NAME LABEL MAX-EXCESS DESC: zcap classify; ok if within
classify() {
	local out rc
	out=$(zcap classify "/tmp/ind-$1.pcap" $DEC --label "$2" --max-excess "$3")
	rc=$?
	echo "$out"
	diag "$1/$2: $(echo "$out" | grep -E '^(n_test|base_rate|acc_max|excess)=' | tr '\n' ' ')"
	N_TEST=$(echo "$out" | sed -n 's/^n_test=//p')
	EXCESS=$(echo "$out" | sed -n 's/^excess=//p')
	return $rc
}

try "padding mtu" nz ns1 set zeq0 padding mtu
run mtu
classify mtu cover 2
is "$?" 0 "mtu padding: cover vs data, best accuracy within 2 points of the base rate (excess $EXCESS)"
ge "$((N_TEST * 2))" 10000 "mtu padding: 10,000+ datagrams classified"

try "padding bucket 128,256,512,1024" nz ns1 set zeq0 padding bucket 128,256,512,1024
run bucket
classify bucket cover 2
is "$?" 0 "bucket padding: cover vs data, best accuracy within 2 points of the base rate (excess $EXCESS)"
ge "$((N_TEST * 2))" 10000 "bucket padding: 10,000+ datagrams classified"

try "padding off" nz ns1 set zeq0 padding off
run off
classify off size:700 20
is "$?" 1 "control: with padding off the classifier tells inner sizes apart (excess $EXCESS > 20)"
try "tunnel works" ping_ok ns1 10.0.0.2
