#!/bin/sh
# t-fault.sh - crash safety of the store.
#
# 1. 1,000 secret writes through the control API while zeqd is killed with
#    SIGKILL at random moments and restarted: afterwards PRAGMA
#    integrity_check is ok and every write zeqd acknowledged is there with
#    its value (prog_zscverify).
# 2. zeqd rotate-field-key killed with SIGKILL at random moments of the
#    rotation: the store then opens under exactly one of the two keys (all
#    old or all new), is whole, and every secret opens under that key.
. ./lib.sh
setup_node fault
N=${FAULT_WRITES:-1000}
ACK=$D/acks

# a random number of milliseconds in [lo, hi) from /dev/urandom
rand_ms() { echo $(($1 + $(od -An -tu2 -N2 /dev/urandom) % ($2 - $1))); }
acks() { [ -f "$ACK" ] && wc -l <"$ACK" || echo 0; }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

start_zeqd || { not_ok "zeqd started"; diag_file "$LOG"; exit 1; }
zid=$("$ZEQD" -c "$CONF" identity | sed -n 's/^node id: //p')
"$ZEQD" -c "$CONF" token create --slug fault --owner "$zid" | head -n 1 >"$D/token"
grep -q '^zsm_' "$D/token" && ok "token for the writer" || not_ok "token for the writer"

# --- 1. SIGKILL during writes ---------------------------------------------
next=0 kills=0 rounds=0
while [ "$next" -lt "$N" ] && [ $rounds -lt 60 ]; do
	rounds=$((rounds + 1))
	if [ $rounds -gt 1 ]; then
		start_zeqd || { not_ok "zeqd restarted after SIGKILL"; diag_file "$LOG"; break; }
	fi
	"$PROGS/prog_apiwriter" "$SOCK" "$D/token" fault "$next" "$N" "$ACK" >"$D/next" 2>"$D/writer.err" &
	wpid=$!
	if [ $kills -lt 8 ]; then
		# kill once a random number (1..150) of further writes is acked
		want=$(($(acks) + $(rand_ms 1 151)))
		while [ "$(acks)" -lt "$want" ] && kill -0 $wpid 2>/dev/null; do
			sleep 0.005
		done
		kill -KILL "$ZEQD_PID" 2>/dev/null && kills=$((kills + 1))
		wait "$ZEQD_PID" 2>/dev/null
	fi
	wait $wpid
	ws=$?
	n=$(cat "$D/next")
	[ "$ws" -eq 1 ] && { not_ok "writer failed"; diag_file "$D/writer.err"; break; }
	[ -n "$n" ] && next=$n
done
is "$kills" 8 "zeqd killed with SIGKILL during the writes ($kills times)"
is "$next" "$N" "all $N writes acknowledged in the end ($rounds daemon runs)"
acked=$(sort -u -k1,1 "$ACK" | wc -l)
is "$acked" "$N" "$N distinct purposes acknowledged"
stop_zeqd
"$PROGS/prog_zscverify" "$D/state" "$KEYFILE" "$ACK" >"$D/verify" 2>"$D/verify.err"
is "$?" 0 "after the kills: integrity_check ok, every acknowledged write present"
diag_file "$D/verify"
diag_file "$D/verify.err"
grep -q "acked=$N verified=$N " "$D/verify" && ok "verified $N of $N" ||
	not_ok "verified $N of $N"

# the checker can fail: a changed value is found
sqlite3 "$D/state/zeq.db" "UPDATE zsc_secrets SET nonce = zeroblob(12) WHERE purpose = 'sm/fault/w7'"
"$PROGS/prog_zscverify" "$D/state" "$KEYFILE" "$ACK" >/dev/null 2>"$D/verify.err"
is "$?" 1 "prog_zscverify finds a write that does not open"
grep -q "sm/fault/w7" "$D/verify.err" && ok "... and names it" || not_ok "... and names it"
sqlite3 "$D/state/zeq.db" "DELETE FROM zsc_secrets WHERE purpose = 'sm/fault/w7'"
sed -i '/^sm\/fault\/w7 /d' "$ACK"

# --- 2. SIGKILL during rotation ---------------------------------------------
# how long one rotation of this store takes, on a copy
cp -r "$D/state" "$D/rot-copy"
(umask 077 && random_hex 32 >"$D/k-probe")
sed "s|^state_dir = .*|state_dir = $D/rot-copy|" "$CONF" >"$D/probe.conf"
t0=$(date +%s%N)
"$ZEQD" -c "$D/probe.conf" rotate-field-key --new-key-file "$D/k-probe" >/dev/null 2>&1
is "$?" 0 "a whole rotation of $N secrets"
dur=$((($(date +%s%N) - t0) / 1000000))
diag "one rotation: $dur ms"
[ "$dur" -lt 20 ] && dur=20

old=$KEYFILE i=0 olds=0 news=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	(umask 077 && random_hex 32 >"$D/k$i")
	"$ZEQD" -c "$CONF" rotate-field-key --new-key-file "$D/k$i" >/dev/null 2>&1 &
	rpid=$!
	sleep_ms "$(rand_ms $((dur / 4)) "$dur")"	# past most of the start-up
	kill -KILL $rpid 2>/dev/null
	wait $rpid 2>/dev/null
	"$PROGS/prog_zscverify" "$D/state" "$old" "$ACK" >"$D/v-old" 2>"$D/v-old.err"
	so=$?
	"$PROGS/prog_zscverify" "$D/state" "$D/k$i" "$ACK" >"$D/v-new" 2>"$D/v-new.err"
	sn=$?
	if [ $so -eq 0 ] && [ $sn -eq 4 ]; then
		olds=$((olds + 1))
	elif [ $so -eq 4 ] && [ $sn -eq 0 ]; then
		news=$((news + 1))
		old=$D/k$i
	else
		not_ok "rotation $i killed: the store opens under exactly one key, whole (old $so, new $sn)"
		diag_file "$D/v-old.err"
		diag_file "$D/v-new.err"
		continue
	fi
	ok "rotation $i killed: all under the $([ "$old" = "$D/k$i" ] && echo new || echo old) key, integrity ok, every secret opens"
done
diag "killed rotations: $olds left all-old, $news all-new"
is "$((olds + news))" 10 "every killed rotation left all-old or all-new"

# and the daemon starts on the key the store settled on
sed -i "s|^field_key_file = .*|field_key_file = $old|" "$CONF"
start_zeqd && ok "zeqd starts under the key the store uses" ||
	{ not_ok "zeqd starts under the key the store uses"; diag_file "$LOG"; }
stop_zeqd
is "$ZEQD_STATUS" 0 "zeqd stopped"
