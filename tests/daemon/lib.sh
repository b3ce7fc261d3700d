# tests/daemon/lib.sh - sourced by the t-*.sh daemon tests.
#
# Results are TAP lines ("ok - ...", "not ok - ..."), numbered by run.sh.
# Each test runs with TMPDIR set to a fresh directory; setup_node makes a
# node there: $D (state dir), $CONF, $KEYFILE, $SOCK, $LOG.
# $ZEQD, $ZEQCTL and $PROGS (test programs) come from run.sh.

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
diag() { echo "$*" | sed 's/^/# /'; }
diag_file() { sed 's/^/# /' "$1" | tail -n "${2:-20}"; }
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got '$1', want '$2'"; fi
}
# ge GOT MIN DESCRIPTION
ge() {
	if [ "$1" -ge "$2" ] 2>/dev/null; then ok "$3"; else not_ok "$3"; diag "got '$1', want >= $2"; fi
}
# try DESCRIPTION CMD...: ok if CMD succeeds (its output kept on failure)
try() {
	d=$1
	shift
	if "$@" >"$TMPDIR/try.out" 2>&1; then ok "$d"; else not_ok "$d"; diag_file "$TMPDIR/try.out"; fi
}
# fails DESCRIPTION CMD...: ok if CMD fails
fails() {
	d=$1
	shift
	if "$@" >"$TMPDIR/try.out" 2>&1; then not_ok "$d"; diag_file "$TMPDIR/try.out"; else ok "$d"; fi
}

# random_hex BYTES
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# setup_node [NAME]: a state dir, a field key file (0600) and a config
setup_node() {
	N=${1:-node}
	D=$TMPDIR/$N
	mkdir -p "$D/state"
	KEYFILE=$D/field.key
	(umask 077 && random_hex 32 >"$KEYFILE")
	SOCK=$D/zeqd.sock
	LOG=$D/zeqd.log
	CONF=$D/zeqd.conf
	cat >"$CONF" <<EOC
# test node $N
state_dir = $D/state
control_socket = $SOCK
field_key_file = $KEYFILE
log_level = debug
EOC
}

# start_zeqd [ARGS...]: zeqd -c $CONF -f in the background, stderr to $LOG;
# waits (10 s) for the control socket; sets ZEQD_PID. 1 if it did not come up.
start_zeqd() {
	rm -f "$SOCK"
	"$ZEQD" -c "$CONF" -f "$@" 2>>"$LOG" &
	ZEQD_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		[ -S "$SOCK" ] && return 0
		kill -0 "$ZEQD_PID" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# stop_zeqd: SIGTERM and wait; the exit status in ZEQD_STATUS (not in a
# $(...) subshell: only this shell can wait for its child)
stop_zeqd() {
	kill -TERM "$ZEQD_PID" 2>/dev/null
	wait "$ZEQD_PID"
	ZEQD_STATUS=$?
}

# zcall JSON: one request to $SOCK, the response line on stdout
zcall() { "$PROGS/prog_apicall" "$SOCK" "$1"; }
