#!/bin/sh
# t-lifecycle.sh - zeqd as a process: config errors name file and line and
# stop the start, -t, one instance per state directory, a wrong field key,
# SIGHUP reload (good and bad), SIGTERM, the systemd unit.
. ./lib.sh
setup_node life
TOP=$(cd ../.. && pwd)

# --- configuration errors: FILE:LINE: KEY: reason, refused ---------------
bad() {	# bad DESCRIPTION WANT-IN-ERROR CONFIG-TEXT
	printf '%s\n' "$3" >"$D/bad.conf"
	"$ZEQD" -c "$D/bad.conf" -f >"$D/bad.out" 2>&1
	st=$?
	if [ $st -eq 1 ] && grep -qF -- "$2" "$D/bad.out" && [ ! -e "$D/bad-state" ]; then
		ok "config: $1"
	else
		not_ok "config: $1 (status $st)"
		diag_file "$D/bad.out"
	fi
}
bad "unknown key named with file and line" "$D/bad.conf:3: frobnicate: unknown key" \
	"# comment
state_dir = $D/bad-state
frobnicate = 1"
bad "bad log level" "$D/bad.conf:2: log_level: unknown level 'loud'" \
	"state_dir = $D/bad-state
log_level = loud"
bad "relative state_dir" "$D/bad.conf:1: state_dir: 'var/lib' is not an absolute path" \
	"state_dir = var/lib"
bad "a key given twice" "$D/bad.conf:4: state_dir: given twice (first on line 1)" \
	"state_dir = $D/bad-state

# again
state_dir = $D/bad-state"
bad "a line without '='" "$D/bad.conf:2: expected 'key = value'" \
	"state_dir = $D/bad-state
state_dir"
bad "unterminated quote" "$D/bad.conf:1: control_socket: unterminated quote" \
	"control_socket = \"/run/x"
"$ZEQD" -c "$D/none.conf" -f >"$D/bad.out" 2>&1
is "$?" 1 "a missing config file: refused"
grep -qF "$D/none.conf: No such file or directory" "$D/bad.out" &&
	ok "... naming the file" || { not_ok "... naming the file"; diag_file "$D/bad.out"; }
out=$("$ZEQD" -c "$CONF" -t)
is "$?:$out" "0:$CONF: ok" "zeqd -t: a good file"
"$ZEQD" -c "$D/bad.conf" -t >/dev/null 2>&1
is "$?" 1 "zeqd -t: a bad file"

# --- a field key that is not the store's ----------------------------------
start_zeqd || { not_ok "zeqd started"; diag_file "$LOG"; exit 1; }
ok "zeqd started"
[ "$(stat -c %a "$SOCK")" = 660 ] && ok "control socket mode 0660" ||
	not_ok "control socket mode 0660 ($(stat -c %a "$SOCK"))"
[ "$(stat -c %a "$D/state/zeq.db")" = 600 ] && ok "store mode 0600" ||
	not_ok "store mode 0600"

# --- a second instance on the same state directory -------------------------
sed "s|^control_socket = .*|control_socket = $D/other.sock|" "$CONF" >"$D/second.conf"
"$ZEQD" -c "$D/second.conf" -f >"$D/second.out" 2>&1 &
p2=$!
sleep 1
if kill -0 $p2 2>/dev/null; then
	kill -KILL $p2
	not_ok "a second zeqd on the same state directory refuses to start"
else
	wait $p2
	is "$?" 1 "a second zeqd on the same state directory refuses to start"
fi
grep -q "another zeqd (pid $ZEQD_PID) is running on $D/state" "$D/second.out" &&
	ok "... naming the running one's pid" ||
	{ not_ok "... naming the running one's pid"; diag_file "$D/second.out"; }

# --- SIGHUP ---------------------------------------------------------------
sed -i 's/^log_level = .*/log_level = notice/' "$CONF"
kill -HUP "$ZEQD_PID"
sleep 0.5
grep -q "reload: $CONF read, log level notice" "$LOG" && ok "SIGHUP: reloaded" ||
	{ not_ok "SIGHUP: reloaded"; diag_file "$LOG"; }
n0=$(grep -c ': info: ' "$LOG")
"$ZEQD" -c "$CONF" token create --slug life --owner 0123456789abcdef0123456789abcdef |
	head -n 1 >"$D/token"
zcall "{\"token\":\"$(cat "$D/token")\",\"op\":\"whoami\"}" | grep -q '"ok":true' &&
	ok "the API answers after the reload" || not_ok "the API answers after the reload"
is "$(grep -c ': info: ' "$LOG")" "$n0" "log level notice in force: no info lines"

printf 'bogus line\n' >>"$CONF"
kill -HUP "$ZEQD_PID"
sleep 0.5
grep -qF "reload: $CONF:$(wc -l <"$CONF"): expected 'key = value'; keeping the running configuration" "$LOG" &&
	ok "SIGHUP with a bad file: the error names file and line, config kept" ||
	{ not_ok "SIGHUP with a bad file: the error names file and line, config kept"; diag_file "$LOG"; }
kill -0 "$ZEQD_PID" 2>/dev/null && ok "zeqd still running" || not_ok "zeqd still running"
zcall "{\"token\":\"$(cat "$D/token")\",\"op\":\"whoami\"}" | grep -q '"ok":true' &&
	ok "the API answers after the bad reload" || not_ok "the API answers after the bad reload"
n1=$(grep -c ': info: \|: debug: ' "$LOG")
zcall '{"token":"zsm_x","op":"whoami"}' >/dev/null
is "$(grep -c ': info: \|: debug: ' "$LOG")" "$n1" "the running level (notice) still holds"
sed -i '/^bogus line$/d' "$CONF"

# --- SIGTERM ----------------------------------------------------------------
stop_zeqd
is "$ZEQD_STATUS" 0 "SIGTERM: exit status 0"
[ ! -e "$SOCK" ] && ok "SIGTERM: the socket is removed" || not_ok "SIGTERM: the socket is removed"
grep -q "signal 15: stopping" "$LOG" && ok "SIGTERM: logged" || not_ok "SIGTERM: logged"

# --- wrong field key: refused at start, the store unchanged -----------------
sum0=$(cat "$D/state/zeq.db" "$D/state/zeq.db-wal" 2>/dev/null | sha256sum)
(umask 077 && random_hex 32 >"$D/wrong.key")
sed "s|^field_key_file = .*|field_key_file = $D/wrong.key|" "$CONF" >"$D/wrong.conf"
"$ZEQD" -c "$D/wrong.conf" -f >"$D/wrong.out" 2>&1
is "$?" 1 "a wrong field key: zeqd refuses to start"
grep -q "wrong field key for $D/state/zeq.db" "$D/wrong.out" && ok "... and says so" ||
	{ not_ok "... and says so"; diag_file "$D/wrong.out"; }
is "$(cat "$D/state/zeq.db" "$D/state/zeq.db-wal" 2>/dev/null | sha256sum)" "$sum0" \
	"... and the store is unchanged"
chmod 644 "$D/wrong.key"
"$ZEQD" -c "$D/wrong.conf" -f >"$D/wrong.out" 2>&1
grep -q "mode 0644 lets group or others at the field key" "$D/wrong.out" &&
	ok "a field key file readable by others is refused" ||
	{ not_ok "a field key file readable by others is refused"; diag_file "$D/wrong.out"; }
# from the environment, when no file is configured
sed '/^field_key_file/d' "$CONF" >"$D/env.conf"
ZEQ_FIELD_KEY=$(cat "$KEYFILE") "$ZEQD" -c "$D/env.conf" identity >/dev/null 2>&1
is "$?" 0 "the field key from ZEQ_FIELD_KEY"

# --- the systemd unit -------------------------------------------------------
U=$D/zeqd.service
sed "s|@SBINDIR@|$TOP/daemon|" "$TOP/daemon/zeqd.service.in" >"$U"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no "$U" >"$D/verify.out" 2>&1
	is "$?" 0 "systemd-analyze verify accepts the unit"
	diag_file "$D/verify.out"
else
	not_ok "systemd-analyze is installed (deps.sh installs systemd)"
fi
for want in "Type=notify" "CapabilityBoundingSet=CAP_NET_ADMIN" "NoNewPrivileges=yes" \
	"ProtectSystem=strict" "RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6"; do
	grep -qx "$want" "$U" && ok "unit: $want" || not_ok "unit: $want"
done
# readiness: zeqd tells systemd (NOTIFY_SOCKET) when it serves
"$PROGS/prog_notifywait" "$D/notify.sock" "$ZEQD" -c "$CONF" -f >"$D/notify.out" 2>>"$LOG"
is "$?" 0 "sd_notify: READY=1 once the socket is served, STOPPING=1 on SIGTERM"
diag_file "$D/notify.out"

# --- under systemd: stderr is the journal stream, lines carry "<N>" ---------
JLOG=$D/journal.log
: >"$JLOG"
JOURNAL_STREAM=$(stat -c '%d:%i' "$JLOG") "$ZEQD" -c "$CONF" -f 2>>"$JLOG" &
jpid=$!
i=0
while [ $i -lt 50 ] && ! grep -q 'ready' "$JLOG"; do sleep 0.1; i=$((i + 1)); done
kill -TERM $jpid
wait $jpid
grep -q '^<5>zeqd .* ready (pid ' "$JLOG" && ok "journal: priority prefix <5> on notice lines" ||
	{ not_ok "journal: priority prefix <5> on notice lines"; diag_file "$JLOG"; }
is "$(grep -vc '^<[3-7]>' "$JLOG")" 0 "journal: every line has a priority prefix"
