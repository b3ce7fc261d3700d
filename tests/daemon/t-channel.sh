#!/bin/bash
# t-channel.sh - the control channel's listener with real OpenSSL, curl,
# openssl s_client and raw sockets: every probe kind gets the cover page,
# byte for byte what the others get (Date aside), and is recorded; a
# valid mesh token is let in; the pending cap and the per-source rate
# limit close connections before any TLS work; config errors name the line.
. ./lib.sh
setup_node chan
(umask 077 && random_hex 32 >"$D/mesh.key" && random_hex 32 >"$D/other.key")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$D/key.pem" -out "$D/cert.pem" -days 2 \
	-subj "/CN=www.example.com" 2>/dev/null
printf '<html><body>cover %s</body></html>\n' "$(random_hex 8)" >"$D/cover.html"
PORT=$((20000 + $$ % 20000))
cp "$CONF" "$D/base.conf"

# --- configuration --------------------------------------------------------
bad() {	# bad DESCRIPTION WANT-IN-ERROR LINES...
	local d=$1 w=$2
	shift 2
	{ cat "$D/base.conf"; printf '%s\n' "$@"; } >"$D/bad.conf"
	if ! "$ZEQD" -c "$D/bad.conf" -t >"$D/bad.out" 2>&1 &&
	   grep -qF -- "$w" "$D/bad.out"; then
		ok "config: $d"
	else
		not_ok "config: $d"
		diag_file "$D/bad.out"
	fi
}
bad "mesh secret without a certificate" \
	"bad.conf:6: mesh_secret_file: the control channel needs tls_cert_file and tls_key_file" \
	"mesh_secret_file = $D/mesh.key"
bad "listen_port out of range" "bad.conf:6: listen_port: '70000' is not a number from 1 to 65535" \
	"listen_port = 70000"
bad "listen_address not an address" "bad.conf:6: listen_address: 'localhost' is not an IPv4 or IPv6 address" \
	"listen_address = localhost"
bad "a bad name in sni_pool" "bad.conf:6: sni_pool: 'bad_name.example' is not a DNS name" \
	"sni_pool = a.example.com, bad_name.example"
bad "first_request_timeout 0" "bad.conf:6: first_request_timeout: '0' is not a number from 1 to 120" \
	"first_request_timeout = 0"

cat >>"$CONF" <<EOC
mesh_secret_file = $D/mesh.key
listen_address = 127.0.0.1
listen_port = $PORT
tls_cert_file = $D/cert.pem
tls_key_file = $D/key.pem
cover_page = $D/cover.html
sni_pool = www.example.com, cdn.example.net
first_request_timeout = 2
EOC
try "zeqd -t accepts the channel's keys" "$ZEQD" -c "$CONF" -t
chmod 644 "$D/mesh.key"
"$ZEQD" -c "$CONF" -f >"$D/mode.out" 2>&1
if grep -qF "mode 0644 lets group or others at the mesh secret" "$D/mode.out"; then
	ok "a mesh secret others can read is refused"
else
	not_ok "a mesh secret others can read is refused"; diag_file "$D/mode.out"
fi
chmod 600 "$D/mesh.key"

if ! start_zeqd; then
	not_ok "zeqd starts with the control channel"
	diag_file "$LOG"
	exit 0
fi
ok "zeqd starts with the control channel"
i=0
while ! grep -q "control channel on \[127.0.0.1\]:$PORT" "$LOG" && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done

# the response without its Date line, CRs kept
norm() { grep -av '^Date: ' "$1"; }
pace() { sleep 0.3; }	# stay under the per-source rate limit (20/s)
R=$D/resp
curl -sk -i --max-time 10 "https://127.0.0.1:$PORT/" >"$R.ref"
is "$(head -n1 "$R.ref" | tr -d '\r')" "HTTP/1.1 200 OK" "HTTPS without a token: 200"
if tail -c "$(wc -c <"$D/cover.html")" "$R.ref" | cmp -s - "$D/cover.html"; then
	ok "the body is the configured cover page"
else
	not_ok "the body is the configured cover page"; diag_file "$R.ref"
fi
grep -q '^Date: ' "$R.ref" && ok "the response has a Date" || not_ok "the response has a Date"

same() {	# same DESCRIPTION FILE: FILE is the reference response, Date aside
	if [ -s "$2" ] && norm "$R.ref" | cmp -s - <(norm "$2"); then
		ok "$1: the cover response"
	else
		not_ok "$1: the cover response"
		diff <(norm "$R.ref") <(norm "$2") | head -n 20 | sed 's/^/# /'
	fi
}
pace
curl -s -i --max-time 10 "http://127.0.0.1:$PORT/" >"$R.plain"
same "plain HTTP" "$R.plain"
pace
curl -sk -i --max-time 10 "https://127.0.0.1:$PORT/admin?x=1" -H 'Cookie: zs=nope' >"$R.path"
same "HTTPS, another path and a cookie that is no token" "$R.path"
pace
printf 'GET / HTTP/1.1\r\nHost: other.example.org\r\n\r\n' |
	timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername other.example.org \
		-quiet -ign_eof 2>/dev/null >"$R.sni"
same "openssl s_client, another SNI" "$R.sni"
pace
"$PROGS/prog_chanclient" 127.0.0.1 "$PORT" "$D/other.key" --sni cdn.example.net >"$R.wrong"
same "a token under another mesh secret" "$R.wrong"
pace
"$PROGS/prog_chanclient" 127.0.0.1 "$PORT" "$D/mesh.key" --age 600 >"$R.stale"
same "a token ten minutes old" "$R.stale"
pace
"$PROGS/prog_chanclient" 127.0.0.1 "$PORT" "$D/mesh.key" --token-out "$D/token" >"$R.good"
is "$(head -n1 "$R.good" | tr -d '\r')" "HTTP/1.1 101 Switching Protocols" "a valid token: 101 Switching Protocols"
pace
"$PROGS/prog_chanclient" 127.0.0.1 "$PORT" "$D/mesh.key" --token-in "$D/token" >"$R.replay"
same "the valid token again, on a new connection" "$R.replay"
pace
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf '\001\002\003garbage\r\n\r\n' >&3
timeout 10 cat <&3 >"$R.garbage"
exec 3<&-
same "garbage bytes on a raw socket" "$R.garbage"
pace
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
(for c in G E T ' ' /; do printf '%s' "$c"; sleep 1; done) >&3 &
drip=$!
timeout 10 cat <&3 >"$R.slow"
exec 3<&-
wait $drip 2>/dev/null
same "a slow drip (one byte a second)" "$R.slow"
pace
curl -sk -I --max-time 10 "https://127.0.0.1:$PORT/" >"$R.head"
# the reference's head: up to and with its blank line
if [ -s "$R.head" ] && cmp -s <(norm "$R.head") <(norm "$R.ref" | sed '/^\r$/q'); then
	ok "HEAD: the cover response's head, no body"
else
	not_ok "HEAD: the cover response's head, no body"; diag_file "$R.head"
fi

pace
# TLS 1.2 only: the handshake fails (the channel is TLS 1.3), nothing to answer
if timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 </dev/null >"$R.tls12" 2>&1; then
	not_ok "a TLS 1.2 client is refused"; diag_file "$R.tls12"
else
	ok "a TLS 1.2 client is refused"
fi

# --- what was recorded (written once a second) -----------------------------
sleep 1.5
"$ZEQD" -c "$CONF" probes -j >"$D/probes.json" 2>"$D/probes.err"
count() { jq -r --arg k "$1" '[.[] | select(.source == "127.0.0.1" and .kind == $k) | .count] | add // 0' "$D/probes.json"; }
is "$(count plain)" 1 "recorded: plain HTTP"
is "$(count no-token)" 4 "recorded: TLS without a token (curl x2, s_client, HEAD)"
is "$(count bad-token)" 3 "recorded: bad tokens (other secret, stale, replayed)"
is "$(count garbage)" 1 "recorded: garbage"
is "$(count slow)" 1 "recorded: the slow drip"
is "$(count tls-failed)" 1 "recorded: the failed TLS handshake"
grep -q "control: 127.0.0.1 authenticated" "$LOG" && ok "the valid token is logged as authenticated" ||
	not_ok "the valid token is logged as authenticated"
grep -q "bad-token (stale)" "$LOG" && ok "the log says the old token was stale" ||
	not_ok "the log says the old token was stale"
if grep -qF "$(cat "$D/token")" "$LOG" "$D/probes.json"; then
	not_ok "no token in the log or the probe records"
else
	ok "no token in the log or the probe records"
fi
"$ZEQD" -c "$CONF" probes >"$D/probes.txt"
grep -q '^127.0.0.1 *slow ' "$D/probes.txt" && ok "zeqd probes lists them" || not_ok "zeqd probes lists them"
stop_zeqd
is "$ZEQD_STATUS" 0 "zeqd stops cleanly"

# --- limits before any TLS work ----------------------------------------------
echo "max_pending = 2" >>"$CONF"
: >"$LOG"
start_zeqd || { not_ok "zeqd restarts with max_pending 2"; diag_file "$LOG"; exit 0; }
sleep 0.5
exec 4<>"/dev/tcp/127.0.0.1/$PORT" 5<>"/dev/tcp/127.0.0.1/$PORT"
sleep 0.3
exec 6<>"/dev/tcp/127.0.0.1/$PORT"
t0=$(date +%s%N)
timeout 5 cat <&6 >/dev/null
t1=$(date +%s%N)
exec 4<&- 5<&- 6<&-
ge 500 $(((t1 - t0) / 1000000)) "the third pending connection is closed at once"
grep -q "control: 2 connections pending, 127.0.0.1 closed" "$LOG" &&
	ok "the log says why (2 pending)" || { not_ok "the log says why (2 pending)"; diag_file "$LOG"; }
sleep 2.5
# 40 connections as fast as bash opens them (well under the 1.75 s that 20/s
# after a burst of 5 would need to let them all in)
i=0
while [ $i -lt 40 ]; do
	exec 7<>"/dev/tcp/127.0.0.1/$PORT"
	exec 7<&-
	i=$((i + 1))
done
sleep 0.3
ge "$(grep -c 'over its rate limit, closed' "$LOG")" 10 "40 connections at once: the rate limit (20/s, burst 5) closes many"
stop_zeqd
