#!/bin/sh
# Active probing of zeqd's control channel, inside the VM. A zeqd node in
# ns2 listens on $V4_2:443 (TLS 1.3, first_request_timeout 2 s). From ns1,
# every kind of connection that does not authenticate in its first request
# gets the cover response, byte for byte (Date aside) what curl -k gets:
# HTTPS without a token, another path with a cookie that is no token,
# plain HTTP, openssl s_client with another SNI, a forged token, TLS then
# garbage, raw garbage, a request that stops half-way; one that sends
# nothing is closed at the timeout. TLS 1.2 is refused. zeqd probes -j
# counts each kind exactly, the log names every probe and holds no byte of
# the mesh secret or the field key in any encoding.
. /zeqtests/lib.sh

T=/tmp/probes
R=$T/resp
rm -rf "$T"
mkdir -p "$T"

bail() {
	zeqd_teardown
	teardown
	exit 0
}
setup_ns || { not_ok "namespaces"; bail; }
if zeqd_node n2 ns2 "$V4_2" first_request_timeout=2 >"$T/node.err" 2>&1; then
	ok "zeqd node n2 made (certificate, keys, identity $(zeqd_zid n2))"
else
	not_ok "zeqd node n2 made (certificate, keys, identity)"
	diag_file "$T/node.err"
	bail
fi
if zeqd_start n2; then
	ok "zeqd starts in ns2, listening on $V4_2:443"
else
	not_ok "zeqd starts in ns2, listening on $V4_2:443"
	bail
fi

uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
# the response without its Date line
norm() { sed '/^Date: /d' "$1"; }
# stay under the per-source rate limit (20/s, burst 5)
pace() { sleep 0.3; }
step() { echo "+ [$(cut -d' ' -f1 /proc/uptime)] $*"; }

# same DESC FILE: FILE is the reference response, Date aside
same() {
	norm "$R.ref" >"$T/same.a"
	norm "$2" >"$T/same.b"
	if [ -s "$2" ] && cmp -s "$T/same.a" "$T/same.b"; then
		ok "$1: the cover response"
	else
		not_ok "$1: the cover response"
		diag "$(wc -c <"$2") bytes, against $(wc -c <"$R.ref") in the reference"
		diff "$T/same.a" "$T/same.b" | head -n 20 | diag_stdin
	fi
}

# nc_probe OUT DATA: DATA (a printf format) on a raw TCP connection from
# ns1, the write side kept open; what comes back goes to OUT until the
# server closes. NC_RC: nc's exit status, NC_CS: centiseconds it took.
nc_probe() {
	local out=$1 data=$2 w t0
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	# shellcheck disable=SC2059
	(printf "$data"; exec sleep 30) >"$T/fifo" &
	w=$!
	t0=$(uptime_cs)
	n1 timeout 20 nc "$V4_2" 443 <"$T/fifo" >"$out"
	NC_RC=$?
	NC_CS=$(($(uptime_cs) - t0))
	kill "$w" 2>/dev/null
	wait "$w" 2>/dev/null
	step "nc_probe $out: exit $NC_RC, $NC_CS cs, $(wc -c <"$out") bytes"
}

# --- the reference: HTTPS, no token ---------------------------------------
step "curl -k https://$V4_2/"
n1 curl -sk -i --max-time 20 "https://$V4_2/" >"$R.ref" 2>"$T/curl.err"
is "$(head -n 1 "$R.ref" | tr -d '\r')" "HTTP/1.1 200 OK" "HTTPS without a token: 200 OK" ||
	diag_file "$T/curl.err"
if grep -q '<title>Welcome to nginx!</title>' "$R.ref"; then
	ok "the body is the built-in cover page (nginx's welcome)"
else
	not_ok "the body is the built-in cover page (nginx's welcome)"
	diag_file "$R.ref"
fi
grep -q '^Date: ' "$R.ref" && ok "the cover response has a Date" ||
	not_ok "the cover response has a Date"

# --- every kind of probe ---------------------------------------------------
pace
step "curl -k https://$V4_2/admin?x=1 (cookie, no token)"
n1 curl -sk -i --max-time 20 "https://$V4_2/admin?x=1" -H 'Cookie: zs=nope' >"$R.path"
same "HTTPS, another path and a cookie that is no token" "$R.path"

pace
step "curl http://$V4_2:443/"
n1 curl -s -i --max-time 20 "http://$V4_2:443/" >"$R.plain"
same "plain HTTP on port 443" "$R.plain"

pace
step "openssl s_client -servername other.example.org, GET"
printf 'GET / HTTP/1.1\r\nHost: other.example.org\r\n\r\n' |
	n1 timeout 20 openssl s_client -connect "$V4_2:443" \
		-servername other.example.org -quiet -ign_eof >"$R.sni" 2>"$T/sni.err"
same "openssl s_client, another SNI, a GET" "$R.sni"

pace
# the form of a token (zs=zma1 + 112 hex digits) with random bytes: a MAC
# that does not verify
step "curl -k with a forged token"
n1 curl -sk -i --max-time 20 -H "Cookie: zs=zma1$(openssl rand -hex 56)" \
	"https://$V4_2/" >"$R.forged"
same "HTTPS with a forged token" "$R.forged"

pace
step "openssl s_client, garbage inside TLS"
printf '\001\002\003garbage\r\n\r\n' |
	n1 timeout 20 openssl s_client -connect "$V4_2:443" \
		-servername www.example.com -quiet -ign_eof >"$R.tlsgarbage" 2>"$T/tlsgarbage.err"
same "TLS, then garbage" "$R.tlsgarbage"

pace
nc_probe "$R.garbage" '\001\002\003garbage\r\n\r\n'
same "raw garbage bytes" "$R.garbage"

pace
nc_probe "$R.partial" 'GET /'
same "a request that stops half-way (answered at the timeout)" "$R.partial"
ge "$NC_CS" 180 "... and answered only at the 2 s timeout ($NC_CS cs)"

pace
nc_probe "$R.silent" ''
if [ "$NC_RC" = 0 ] && [ ! -s "$R.silent" ]; then
	ok "a connection that sends nothing is closed, with nothing sent back"
else
	not_ok "a connection that sends nothing is closed, with nothing sent back"
	diag "nc exit $NC_RC, $(wc -c <"$R.silent") bytes back"
fi
if [ "$NC_CS" -ge 180 ] && [ "$NC_CS" -le 1000 ]; then
	ok "... at the 2 s timeout ($NC_CS cs)"
else
	not_ok "... at the 2 s timeout ($NC_CS cs)"
fi

pace
step "openssl s_client -tls1_2"
if n1 timeout 20 openssl s_client -connect "$V4_2:443" -tls1_2 </dev/null >"$T/tls12.out" 2>&1; then
	not_ok "a TLS 1.2 client is refused"
	diag_file "$T/tls12.out"
else
	ok "a TLS 1.2 client is refused"
fi
grep -q -e 'Cipher is' -e CONNECTED "$T/tls12.out" && echo "(s_client connected at TCP level)"

# --- what was recorded (written once a second) -----------------------------
NPROBES=10
probes_total() {
	zeqd_cmd n2 probes -j 2>/dev/null |
		jq --arg s "$V4_1" '[.[] | select(.source == $s) | .count] | add // 0'
}
probes_reach() { [ "$(probes_total)" -ge "$1" ]; }
wait_for 15 probes_reach $NPROBES
sleep 1.5	# one more flush: a late extra record would show
if zeqd_cmd n2 probes -j >"$T/probes.json" 2>"$T/probes.err"; then
	ok "zeqd probes -j in ns2"
else
	not_ok "zeqd probes -j in ns2"
	diag_file "$T/probes.err"
fi
cat "$T/probes.json"
count() {
	jq -r --arg s "$V4_1" --arg k "$1" \
		'[.[] | select(.source == $s and .kind == $k) | .count] | add // 0' "$T/probes.json"
}
is "$(count no-token)" 3 "recorded: no-token x3 (curl x2, s_client with another SNI)"
is "$(count plain)" 1 "recorded: plain x1"
is "$(count bad-token)" 1 "recorded: bad-token x1 (the forged token)"
is "$(count tls-garbage)" 1 "recorded: tls-garbage x1"
is "$(count garbage)" 1 "recorded: garbage x1"
is "$(count slow)" 2 "recorded: slow x2 (half a request, nothing)"
is "$(count tls-failed)" 1 "recorded: tls-failed x1 (TLS 1.2)"
is "$(jq -r '[.[] | .count] | add // 0' "$T/probes.json")" $NPROBES \
	"nothing else recorded ($NPROBES probes, all from $V4_1)"
is "$(jq -r --arg s "$V4_1" '.[] | select(.source == $s and .kind == "slow") | .detail' "$T/probes.json")" \
	"sent nothing" "the last slow one is recorded as having sent nothing"

# --- the log -----------------------------------------------------------------
LOG=$ZEQD_DIR/n2/log
grep -qF "control channel on [$V4_2]:443" "$LOG" &&
	ok "the log names the control channel's address" ||
	not_ok "the log names the control channel's address"
is "$(grep -c "control: probe from $V4_1: " "$LOG")" $NPROBES "the log names every probe"

# found HEXFILE FILE: a 32-byte key (hex in HEXFILE), or its first 16
# bytes, is in FILE as hex (any case), as base64, or as raw bytes
found() {
	local hex half b64 dump
	hex=$(tr -d '\n' <"$1")
	half=$(echo "$hex" | cut -c1-32)
	b64=$(echo "$hex" | xxd -r -p | base64 | tr -d '\n' | cut -c1-20)
	[ ${#hex} = 64 ] && [ ${#b64} = 20 ] || { echo "found: bad key $1" >&2; return 0; }
	grep -qiF -e "$half" -e "$b64" "$2" && return 0
	dump=$(od -An -tx1 -v "$2" | tr -d ' \n')
	case $dump in *"$half"*) return 0 ;; esac
	return 1
}
# (the check itself finds the key in its own file, and in its raw bytes)
tr -d '\n' <"$ZEQD_DIR/mesh.secret" | xxd -r -p >"$T/mesh.raw"
if found "$ZEQD_DIR/mesh.secret" "$ZEQD_DIR/mesh.secret" &&
   found "$ZEQD_DIR/mesh.secret" "$T/mesh.raw"; then
	ok "the leak check finds the mesh secret where it is"
else
	not_ok "the leak check finds the mesh secret where it is"
fi

if zeqd_stop n2; then
	ok "zeqd stops with status 0 on SIGTERM"
else
	not_ok "zeqd stops with status 0 on SIGTERM (status $?)"
	diag_file "$LOG"
fi
if found "$ZEQD_DIR/mesh.secret" "$LOG"; then
	not_ok "no byte of the mesh secret in the log"
else
	ok "no byte of the mesh secret in the log"
fi
if found "$ZEQD_DIR/n2/field.key" "$LOG"; then
	not_ok "no byte of the field key in the log"
else
	ok "no byte of the field key in the log"
fi
echo "--- zeqd's log:"
zeqd_log n2
zeqd_teardown
teardown
