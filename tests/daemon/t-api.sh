#!/bin/sh
# t-api.sh - the control API and zeqctl's daemon commands against a real
# zeqd: identity, token create/list/revoke, scoping by state machine,
# tunnels and secrets through zeqctl (text and -j), malformed input.
. ./lib.sh
setup_node api
A=0123456789abcdef0123456789abcdef
B=fedcba9876543210fedcba9876543210
P=11111111111111111111111111111111
H=22222222222222222222222222222222

start_zeqd || { not_ok "zeqd started"; diag_file "$LOG"; exit 1; }
ok "zeqd started"

# identity: created at first start, stable, the same in text and JSON
id1=$("$ZEQD" -c "$CONF" identity | sed -n 's/^node id: //p')
id2=$("$ZEQD" -c "$CONF" identity -j | sed -n 's/.*"node_id":"\([0-9a-f]*\)".*/\1/p')
is "$(echo "$id1" | grep -cE '^[0-9a-f]{32}$')" 1 "identity: a 32-hex node id"
is "$id2" "$id1" "identity: -j gives the same node id"
grep -q "node $id1" "$LOG" && ok "the daemon logged the node id at start" ||
	not_ok "the daemon logged the node id at start"

# tokens: shown once on stdout, a second slug, a wrong owner refused
"$ZEQD" -c "$CONF" token create --slug alpha --owner $A >"$D/ta" 2>"$D/ta.err"
is "$?" 0 "token create alpha"
"$ZEQD" -c "$CONF" token create --slug beta --owner $B >"$D/tb" 2>/dev/null
is "$(grep -cE '^zsm_[A-Za-z0-9_-]{43}$' "$D/ta" "$D/tb" | grep -c ':1$')" 2 \
	"tokens are zsm_ + 43 base64url characters"
fails "token create: a slug's owner cannot change" \
	"$ZEQD" -c "$CONF" token create --slug alpha --owner $B
"$ZEQD" -c "$CONF" token create --slug alpha --owner nothex 2>"$D/err"
is "$?" 1 "token create: a bad owner is an error"
grep -q "owner 'nothex'" "$D/err" && ok "the error names the owner" ||
	{ not_ok "the error names the owner"; diag_file "$D/err"; }
"$ZEQD" -c "$CONF" token create --slug alpha 2>/dev/null
is "$?" 2 "token create without --owner: usage error (2)"
n=$("$ZEQD" -c "$CONF" token list -j | grep -o '"slug"' | wc -l)
is "$n" 2 "token list -j: two tokens"
"$ZEQD" -c "$CONF" token list >"$D/tl"
grep -q "$(cut -c5-20 "$D/ta")" "$D/tl" && not_ok "token list never shows a token" ||
	ok "token list never shows a token"

TA="--token-file $D/ta"
TB="--token-file $D/tb"
# shellcheck disable=SC2086
zc() { "$ZEQCTL" --socket "$SOCK" "$@"; }

out=$(zc $TA token)
echo "$out" | grep -q "state machine alpha, owner $A" && ok "zeqctl token: whoami" ||
	{ not_ok "zeqctl token: whoami"; diag "$out"; }
out=$(ZEQ_TOKEN_FILE=$D/tb zc -j token show)
echo "$out" | grep -q "\"slug\":\"beta\"" && ok "zeqctl -j token show, token from \$ZEQ_TOKEN_FILE" ||
	{ not_ok "zeqctl -j token show, token from \$ZEQ_TOKEN_FILE"; diag "$out"; }

# tunnels: alpha creates one; beta cannot see or touch it
out=$(zc $TA -j tunnels add $P via $H)
tid=$(echo "$out" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
ge "${tid:-0}" 1 "zeqctl tunnels add: a tunnel id"
echo "$out" | grep -q "\"multi_hop_chain\":\[\"$H\"\]" && ok "the hop is recorded" ||
	{ not_ok "the hop is recorded"; diag "$out"; }
zc $TA tunnels | grep -q "tunnel $tid: peer $P, down, via $H" &&
	ok "zeqctl tunnels: text" || not_ok "zeqctl tunnels: text"
is "$(zc $TB -j tunnels)" "[]" "beta's token sees no tunnel of alpha's"
zc $TB tunnels show "$tid" 2>"$D/err"
is "$?" 1 "beta: tunnels show of alpha's tunnel fails"
grep -q "Error: not_found" "$D/err" && ok "... as not found" || not_ok "... as not found"
zc $TB tunnels del "$tid" 2>/dev/null
is "$(zc $TA -j tunnels | grep -o '"id":' | wc -l)" 1 "beta's delete changed nothing"
try "alpha stops its tunnel" zc $TA tunnels stop "$tid"
zc $TA -j tunnels show "$tid" | grep -q '"status":"stopped"' &&
	ok "the tunnel is stopped" || not_ok "the tunnel is stopped"
zc $TA tunnels add $P 2>"$D/err"
grep -q "Error: conflict" "$D/err" && ok "a second tunnel to the same peer: conflict" ||
	not_ok "a second tunnel to the same peer: conflict"
try "alpha deletes its tunnel" zc $TA tunnels del "$tid"
is "$(zc $TA -j tunnels)" "[]" "no tunnel left"

# secrets: written through the API, listed without values
v=$(printf 'api-test-secret-value' | base64)
r=$(zcall '{"token":"'"$(cat "$D/ta")"'","op":"secrets.put","args":{"purpose":"sm/alpha/k1","value_b64":"'"$v"'"}}')
echo "$r" | grep -q '"ok":true' && ok "secrets.put" || { not_ok "secrets.put"; diag "$r"; }
out=$(zc $TA -j secrets)
echo "$out" | grep -q '"purpose":"sm/alpha/k1","len":21' && ok "zeqctl -j secrets: purpose and length" ||
	{ not_ok "zeqctl -j secrets: purpose and length"; diag "$out"; }
echo "$out" | grep -q "$v\|api-test-secret" && not_ok "zeqctl secrets never shows a value" ||
	ok "zeqctl secrets never shows a value"
is "$(zc $TB -j secrets)" "[]" "beta sees none of alpha's secrets"
"$ZEQD" -c "$CONF" secrets list >"$D/sl" 2>&1
grep -q "sm/alpha/k1" "$D/sl" && ok "zeqd secrets list (the host's view) lists it" ||
	{ not_ok "zeqd secrets list (the host's view) lists it"; diag_file "$D/sl"; }

# malformed input on the socket: an error response, the daemon unharmed
r=$(printf 'GET / HTTP/1.0\r\n\r\n' | "$PROGS/prog_apicall" -r "$SOCK")
echo "$r" | grep -q '"code":"bad_request"' && ok "garbage gets bad_request" ||
	{ not_ok "garbage gets bad_request"; diag "$r"; }
r=$(head -c 70000 /dev/zero | tr '\0' 'x' | "$PROGS/prog_apicall" -r "$SOCK")
echo "$r" | grep -q "longer than 65536" && ok "an overlong line is refused" ||
	{ not_ok "an overlong line is refused"; diag "$(echo "$r" | head -c 300)"; }
r=$(zcall '{"op":"whoami"}')
echo "$r" | grep -q '"code":"unauthorized"' && ok "no token: unauthorized" ||
	{ not_ok "no token: unauthorized"; diag "$r"; }

# revocation: by the holder through zeqctl, then by the host
try "zeqctl token revoke" zc $TA token revoke
zc $TA token 2>"$D/err"
is "$?" 1 "a revoked token is refused"
grep -q "Error: unauthorized" "$D/err" && ok "... as unauthorized" || not_ok "... as unauthorized"
try "zeqd token revoke --slug beta" "$ZEQD" -c "$CONF" token revoke --slug beta
zc $TB token 2>/dev/null
is "$?" 1 "beta's token is refused after the host revoked it"

kill -0 "$ZEQD_PID" 2>/dev/null && ok "zeqd still running" || not_ok "zeqd still running"
stop_zeqd
is "$ZEQD_STATUS" 0 "zeqd exits 0 on SIGTERM"
zc $TA token 2>"$D/err"
grep -q "is zeqd running" "$D/err" && ok "zeqctl without a daemon says so" ||
	{ not_ok "zeqctl without a daemon says so"; diag_file "$D/err"; }
