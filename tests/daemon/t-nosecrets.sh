#!/bin/sh
# t-nosecrets.sh - no secret in any log line. A full run at log level
# debug: first start (identity made), tokens created, 50 secrets written
# through the API, SIGHUP, stop, field-key rotation, restart under the new
# key, stop. Then every log and every subcommand's output is searched for
# each secret value (raw, hex, base64), each token, both field keys and
# the identity's private key: none may appear.
. ./lib.sh
setup_node quiet
OWNER=0123456789abcdef0123456789abcdef
ALL=$D/all-output
: >"$ALL"

start_zeqd || { not_ok "zeqd started"; diag_file "$LOG"; exit 1; }
"$ZEQD" -c "$CONF" token create --slug quiet --owner $OWNER >"$D/tok" 2>>"$ALL"
tok=$(cat "$D/tok")
: >"$D/values"
i=0
while [ $i -lt 50 ]; do
	v=$(random_hex 24)
	echo "$v" >>"$D/values"
	b=$(echo "$v" | xxd -r -p | base64)
	zcall '{"token":"'"$tok"'","op":"secrets.put","args":{"purpose":"sm/quiet/s'$i'","value_b64":"'"$b"'"}}' >>"$ALL"
	i=$((i + 1))
done
is "$(grep -c '"ok":true' "$ALL")" 50 "50 secrets written through the API"
kill -HUP "$ZEQD_PID"
sleep 0.5
"$ZEQCTL" --socket "$SOCK" --token-file "$D/tok" secrets >>"$ALL" 2>&1
"$ZEQD" -c "$CONF" secrets list >>"$ALL" 2>&1
"$ZEQD" -c "$CONF" identity >>"$ALL" 2>&1
stop_zeqd
is "$ZEQD_STATUS" 0 "zeqd stopped"

# rotation, then a restart under the new key
(umask 077 && random_hex 32 >"$D/new.key")
"$ZEQD" -c "$CONF" rotate-field-key --new-key-file "$D/new.key" >>"$ALL" 2>&1
is "$?" 0 "rotate-field-key"
old_key=$(cat "$KEYFILE")
cp "$D/new.key" "$KEYFILE"
start_zeqd || not_ok "zeqd restarted under the new key"
"$ZEQCTL" --socket "$SOCK" --token-file "$D/tok" -j secrets >>"$ALL" 2>&1
stop_zeqd
is "$ZEQD_STATUS" 0 "zeqd stopped again"
cat "$LOG" >>"$ALL"
ge "$(grep -c 'debug' "$LOG")" 1 "the log has debug lines (the search covers them)"

# the identity's private key, read with the store's own test tool
priv=$("$PROGS/prog_zscget" "$D/state" "$KEYFILE" node/identity)
[ -n "$priv" ] && echo "$priv" >>"$D/values" ||
	not_ok "the identity key read back for the search"

found=0
searched=0
# needle: a string that must not appear in the output
check() {
	searched=$((searched + 1))
	if grep -qiF -- "$1" "$ALL"; then
		found=$((found + 1))
		diag "found: $2"
	fi
}
while read -r v; do
	check "$v" "a secret in hex"
	check "$(echo "$v" | xxd -r -p | base64)" "a secret in base64"
	check "$(echo "$v" | cut -c1-16)" "part of a secret in hex"
done <"$D/values"
check "$(cut -c5-47 "$D/tok")" "the token"
check "$(cut -c5-20 "$D/tok")" "part of the token"
check "$old_key" "the old field key"
check "$(cat "$D/new.key")" "the new field key"
# raw bytes of each secret, too (python: a binary needle may hold newlines)
raw=$(python3 -c '
import sys
hay = open(sys.argv[1], "rb").read()
vals = [bytes.fromhex(l.strip()) for l in open(sys.argv[2]) if l.strip()]
print(len(vals), sum(1 for v in vals if v in hay))' "$ALL" "$D/values")
searched=$((searched + ${raw% *}))
found=$((found + ${raw#* }))
[ "${raw#* }" = 0 ] || diag "found: ${raw#* } secrets as raw bytes"
ge "$searched" 200 "searched for every secret, token and key ($searched needles)"
is "$found" 0 "no secret, token or key in any log or output line"
