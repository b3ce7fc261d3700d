#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# zcap_selftest.sh [ZCAP] - zcap checked on synthetic captures, on the host.
#
# "zcap synth" seals datagrams as a zeq sender does (AES-256-GCM, header
# protection, prefixes, junk) and writes the truth beside them; then each
# analysis must find what is known to be there, and find nothing where
# there is nothing:
#   label    opens known-answer datagrams (zcap_kat.py) and recovers every
#            synthetic datagram's class, inner length and padding; the
#            wrong direction or header protection key opens none
#   rate     counts the datagrams to a port and their rate
#   bytes    passes header-protected traffic and fails clear headers,
#            naming the fixed positions
#   classify finds no excess where cover and data look alike, and a large
#            one where the sizes tell the classes apart
#   junk     counts the junk datagrams before the first packet
#   errors   bad input exits 2
# Output is TAP; exit 1 if a check failed. ZCAP defaults to the zcap
# next to this script (make -C tests/progs zcap).
set -u

ZCAP=${1:-$(dirname "$0")/zcap}
T=$(mktemp -d "${TMPDIR:-/tmp}/zcap-selftest.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
diag() { echo "# $*"; }
# check DESC CMD...: ok if CMD succeeds
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# val KEY FILE: the value of a key=value line
val() { sed -n "s/^$1=//p" "$2"; }
# in_range X LO HI: integers, LO <= X <= HI
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
# positive X...: integers, all > 0
positive() {
	for x; do [ -n "$x" ] && [ "$x" -gt 0 ] || return 1; done
}
# over X LIMIT: decimal X > LIMIT
over() { awk -v x="$1" -v l="$2" 'BEGIN { exit !(x != "" && x + 0 > l + 0) }'; }
# runs STATUS OUT CMD...: CMD's stdout to OUT (stderr to OUT.err); true
# if it exits with STATUS
runs() {
	want=$1 out=$2
	shift 2
	"$@" >"$out" 2>"$out.err"
	rc=$?
	[ "$rc" -eq "$want" ] && return 0
	diag "$* exited $rc, not $want:"
	sed 's/^/#   /' "$out.err" | head -n 5
	return 1
}
# run STATUS OUT CMD...: runs, a failed check if the status is not STATUS
run() {
	runs "$@" || not_ok "$(basename "$3") $4 exits $1"
}

if [ ! -x "$ZCAP" ]; then
	not_ok "zcap is built ($ZCAP)"
	echo "1..$n"
	exit 1
fi

# A fixed key file (as zeqctl genkey writes one) and header protection key.
K=$T/key
cat >"$K" <<'EOF'
# zeq key pair. The other end uses this file with "reverse".
tx-key 3a1f0c8e5d2b47a9968e0f1d2c3b4a59687766554433221100ffeeddccbbaa99
tx-salt 5e1a2b3c
rx-key 0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0
rx-salt 7c6b5a49
EOF
H=$T/hp
echo 9b8a7968574635241302f1e0d0c0b0a090807060504030201000fedcba987654 >"$H"
H2=$T/hp2
echo 1b8a7968574635241302f1e0d0c0b0a090807060504030201000fedcba987654 >"$H2"
OBFS="--prefix 4-24 --type-data 1000-900000 --type-junk 5-999"
DEC="--key $K --hp-key $H $OBFS"
P=51820

# --- label -------------------------------------------------------------
# Known answers, sealed by an implementation apart from zcap's (zcap_kat.py)
cat >"$T/kat.want" <<'EOF'
1700000000123456000 70 junk 0 0 0
1700000001123456000 82 data 20 5 7
1700000002123456000 55 cover 0 10 8
1700000003123456000 43 keepalive 0 0 9
1700000004123456000 82 bad 0 0 0
1700000005123456000 83 bad 0 0 0
1700000006123456000 84 bad 0 0 0
data=1 keepalive=1 cover=1 junk=1 bad=3
EOF
run 0 "$T/kat" "$ZCAP" label "$(dirname "$0")/zcap_kat.pcap" $DEC
check "label: known answers (zcap_kat.pcap: big-endian, microseconds)" \
	cmp -s "$T/kat" "$T/kat.want"
# Cover and data alike in size, half and half: the classifiers' hardest
# case (with one class far larger they fall back to it and cannot err).
run 0 "$T/synth" "$ZCAP" synth "$T/hp.pcap" $DEC --count 40000 --junk 5 \
	--noise 300 --cover-share 50 --truth "$T/hp.truth"
check "synth: 5 junk, 40000 packets, 300 noise datagrams" \
	[ "$(val datagrams "$T/synth")" = 40305 ]
run 0 "$T/label" "$ZCAP" label "$T/hp.pcap" $DEC --dport $P
sed '$d' "$T/label" | cut -d' ' -f3-5 >"$T/label.cut"
check "label: class, inner length and padding of every datagram as sealed" \
	cmp -s "$T/label.cut" "$T/hp.truth"
check "label: the opened datagrams' counters count from 0, one by one" \
	awk '$3 == "data" || $3 == "keepalive" || $3 == "cover" {
		if ($6 != n++) exit 1 } END { exit n != 40000 }' "$T/label"
want=""
for c in data keepalive cover junk; do
	want="$want$c=$(val $c "$T/synth") "
done
check "label: summary counts as sealed (${want}bad=0)" \
	[ "$(tail -n 1 "$T/label")" = "${want}bad=0" ]
check "synth: every class present" \
	positive "$(val keepalive "$T/synth")" "$(val cover "$T/synth")"
run 0 "$T/rev" "$ZCAP" label "$T/hp.pcap" $DEC --dport $P --reverse
check "label --reverse (the other direction's key) opens nothing" \
	[ "$(tail -n 1 "$T/rev")" = "data=0 keepalive=0 cover=0 junk=5 bad=40000" ]
run 0 "$T/other" "$ZCAP" label "$T/hp.pcap" --key "$K" --hp-key "$H2" $OBFS --dport $P
check "label with another header protection key opens nothing" \
	[ "$(tail -n 1 "$T/other" | cut -d' ' -f1-3)" = "data=0 keepalive=0 cover=0" ]
run 0 "$T/synth" "$ZCAP" synth "$T/r.pcap" $DEC --reverse --count 500 \
	--truth "$T/r.truth" --seed 7
run 0 "$T/label" "$ZCAP" label "$T/r.pcap" $DEC --reverse
sed '$d' "$T/label" | cut -d' ' -f3-5 >"$T/label.cut"
check "label --reverse opens what the other side sealed" \
	cmp -s "$T/label.cut" "$T/r.truth"
run 0 "$T/all" "$ZCAP" label "$T/hp.pcap" $DEC
check "label without --dport: the noise datagrams are bad" \
	[ "$(tail -n 1 "$T/all" | sed 's/.*bad=//')" = 300 ]

# --- rate ------------------------------------------------------------------
run 0 "$T/rate" "$ZCAP" rate "$T/hp.pcap"
check "rate: every datagram counted" [ "$(val count "$T/rate")" = 40305 ]
check "rate: Poisson arrivals at 1000/s measured within 2 % ($(val rate_mhz "$T/rate") mHz)" \
	in_range "$(val rate_mhz "$T/rate")" 980000 1020000
run 0 "$T/rate" "$ZCAP" rate "$T/hp.pcap" --dport $P
check "rate --dport: that port's datagrams" [ "$(val count "$T/rate")" = 40005 ]
run 0 "$T/rate" "$ZCAP" rate "$T/hp.pcap" --dport $((P + 1))
check "rate --dport: the other port's datagrams" [ "$(val count "$T/rate")" = 300 ]

# --- bytes -------------------------------------------------------------
check "bytes: header-protected traffic passes (exit 0)" \
	runs 0 "$T/bytes" "$ZCAP" bytes "$T/hp.pcap" --dport $P
check "bytes: no position over the bound ($(grep '^worst_excess' "$T/bytes"))" \
	[ "$(val fixed "$T/bytes")" = none ]
check "bytes: states its bound" grep -q '^bound=.*Binomial' "$T/bytes"
run 0 "$T/synth" "$ZCAP" synth "$T/clear.pcap" --key "$K" --count 20000
check "bytes: clear headers (type 1, one key id) fail (exit 1)" \
	runs 1 "$T/bytes" "$ZCAP" bytes "$T/clear.pcap"
# type 0..3, key id 4..7, counter 8..15 below 20000: 8..13 zero, 14
# one of 79 values; 15 and the ciphertext after it are uniform.
check "bytes: the type, key id and counter's high bytes found, nothing else ($(val fixed "$T/bytes"))" \
	[ "$(val fixed "$T/bytes")" = 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14 ]

# --- classify ------------------------------------------------------------
# classify NAME STATUS LABEL MAX-EXCESS: zcap classify on NAME.pcap
classify() {
	runs "$2" "$T/cl-$1-$3" "$ZCAP" classify "$T/$1.pcap" $DEC --dport $P \
		--label "$3" --max-excess "$4"
}
# result NAME LABEL: its main figures, as a TAP comment
result() {
	diag "$1 $2: $(grep -E '^(n_test|base_rate|acc_max|excess)=' \
		"$T/cl-$1-$2" | tr '\n' ' ')"
}
check "classify: cover vs data, same sizes, header protection: within 2 points" \
	classify hp 0 cover 2
result hp cover
check "classify: 20000 datagrams tested" [ "$(val n_test "$T/cl-hp-cover")" = 20000 ]
check "classify: sizes apart (size:700, no padding): over 20 points (exit 1)" \
	classify hp 1 size:700 20
result hp size:700
check "classify: ... and the excess printed is over 20" \
	over "$(val excess "$T/cl-hp-size:700")" 20
# synth_classify NAME LABEL STATUS MAX-EXCESS DESC SYNTH-ARGS...: zcap
# synth NAME.pcap, then classify it; ok if it exits STATUS
synth_classify() {
	name=$1 label=$2 st=$3 max=$4 desc=$5
	shift 5
	run 0 "$T/synth" "$ZCAP" synth "$T/$name.pcap" $DEC "$@"
	check "classify: $desc" classify "$name" "$st" "$label" "$max"
	result "$name" "$label"
}
synth_classify pad size:700 0 2 \
	"sizes padded to 1400 (size:700): within 2 points" \
	--pad-to 1400 --count 40000 --seed 3
synth_classify fixed cover 1 20 \
	"cover 100 bytes, data 1000: over 20 points (exit 1)" \
	--sizes fixed --cover-share 50 --seed 4
check "classify: ... the length table tells them apart" \
	over "$(val acc_size "$T/cl-fixed-cover")" 99
synth_classify c80 cover 0 2 "80 % cover, alike: within 2 points" \
	--cover-share 80 --count 20000 --seed 6
check "classify: ... of a base rate near 80 %" \
	in_range "$(val base_rate "$T/cl-c80-cover" | cut -d. -f1)" 78 81
synth_classify gap cover 1 20 \
	"cover 5 us after the datagram before it: over 20 points (exit 1)" \
	--cover-gap 5 --cover-share 50 --seed 5
check "classify: ... the inter-arrival table tells them apart" \
	over "$(val acc_iat "$T/cl-gap-cover")" 90
# Cover of one type (1000), data of any (1000-900000), no prefix: seen in
# the clear, hidden by header protection.
for hp in clear hp; do
	case $hp in
	clear) keys="--key $K" st=1 max=20 what="over 20 points (exit 1)" ;;
	hp) keys="--key $K --hp-key $H" st=0 max=2 what="within 2 points" ;;
	esac
	run 0 "$T/synth" "$ZCAP" synth "$T/type-$hp.pcap" $keys \
		--type-data 1000-900000 --cover-type 1000 --cover-share 50 --seed 8
	check "classify: cover of one type, $hp header: $what" \
		runs $st "$T/cl-type-$hp" "$ZCAP" classify "$T/type-$hp.pcap" \
		$keys --type-data 1000-900000 --max-excess $max
	diag "type-$hp: $(grep -E '^(base_rate|acc_hdr_best|hdr_best_pos|excess)=' \
		"$T/cl-type-$hp" | tr '\n' ' ')"
done
check "classify: ... in the clear the header byte table tells them apart" \
	over "$(val acc_hdr_best "$T/cl-type-clear")" 90

# --- junk ------------------------------------------------------------------
run 0 "$T/junk" "$ZCAP" junk "$T/hp.pcap" $DEC --dport $P
check "junk: 5 junk datagrams before the first packet" \
	[ "$(val junk_before_first "$T/junk"):$(val first_data_index "$T/junk")" = 5:5 ]
check "junk: shortest within prefix max + 32 .. + 200" \
	in_range "$(val junk_min_len "$T/junk")" 56 256
check "junk: longest within prefix max + 32 .. + 200" \
	in_range "$(val junk_max_len "$T/junk")" 56 256
check "junk: types in the junk range" [ "$(val junk_types_ok "$T/junk")" = 1 ]
run 0 "$T/junk" "$ZCAP" junk "$T/hp.pcap" --key "$K" --hp-key "$H" \
	--prefix 4-24 --type-data 1000-900000 --type-junk 5-6 --dport $P
check "junk: types outside a narrower junk range are caught" \
	[ "$(val junk_types_ok "$T/junk")" = 0 ]
run 0 "$T/synth" "$ZCAP" synth "$T/jc.pcap" $DEC --junk 3 --count 5 --cover-share 100
run 0 "$T/junk" "$ZCAP" junk "$T/jc.pcap" $DEC
check "junk: a cover packet ends the junk too" \
	[ "$(val junk_before_first "$T/junk"):$(val first_data_index "$T/junk")" = 3:3 ]
run 0 "$T/synth" "$ZCAP" synth "$T/jo.pcap" $DEC --junk 4 --count 0
run 0 "$T/junk" "$ZCAP" junk "$T/jo.pcap" $DEC
check "junk: only junk, no packet: first_data_index=-1" \
	[ "$(val junk_before_first "$T/junk"):$(val first_data_index "$T/junk")" = 4:-1 ]

# --- errors --------------------------------------------------------------
check "missing capture: exit 2" runs 2 "$T/e" "$ZCAP" rate "$T/none.pcap"
check "not a capture: exit 2" runs 2 "$T/e" "$ZCAP" rate "$K"
sed 's/^tx-salt .*/tx-salt 5e1a2b/' "$K" >"$T/badkey"
check "short salt in the key file: exit 2" \
	runs 2 "$T/e" "$ZCAP" label "$T/hp.pcap" --key "$T/badkey"
check "... saying which line" grep -q 'line 3: expected "tx-salt <8 hex digits>"' "$T/e.err"
check "no --key: exit 2" runs 2 "$T/e" "$ZCAP" label "$T/hp.pcap"
check "an option of another subcommand: exit 2" \
	runs 2 "$T/e" "$ZCAP" label "$T/hp.pcap" --key "$K" --positions 4
check "bad --label: exit 2" \
	runs 2 "$T/e" "$ZCAP" classify "$T/hp.pcap" --key "$K" --label sizes
check "prefix longer than 64: exit 2" \
	runs 2 "$T/e" "$ZCAP" label "$T/hp.pcap" --key "$K" --prefix 0-65

echo "1..$n"
[ "$failed" -eq 0 ]
