#!/bin/sh
# timeout: 120
# Key age limit: with key-max-age set to the key's age plus 10 s (on a
# slow debug kernel the setup alone takes longer than a short limit), the
# kernel sends key-near-limit before it (zeq_key_age_notify()), then
# removes the key at the limit with a key-expired event; the tunnel stops
# (no-key drops) until a fresh key is installed.
# Also: the per-key usage limit shown is the 2^36 budget of docs/datapath.md.
. /zeqtests/lib.sh

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
monitor_start ns1 /tmp/mon-expiry.json
is "$(peer_jq ns1 '.keys[0].usage_limit')" 68719476736 "usage limit is 2^36"
age=$(peer_jq ns1 '.keys[0].age')
max=$((age + 10))
[ "$max" -ge 8 ] || max=8
try "key-max-age $max on ns1 (key age $age s)" nz ns1 set zeq0 key-max-age $max
try "key-max-age $max on ns2" nz ns2 set zeq0 key-max-age $max
is "$(dev_jq ns1 .key_max_age)" $max "show -j key_max_age"
try "ping while the key is young" ping_ok ns1 10.0.0.2

if wait_for 15 event_seen /tmp/mon-expiry.json key-near-limit; then
	ok "key-near-limit event before the age limit"
else
	not_ok "key-near-limit event before the age limit"
	diag_file /tmp/mon-expiry.json
fi
if wait_for 15 event_seen /tmp/mon-expiry.json key-expired; then
	ok "key-expired event at the age limit"
else
	not_ok "key-expired event at the age limit"
	diag_file /tmp/mon-expiry.json
fi
ev=$(jq -Rc 'fromjson? | select(.event == "key-expired")' /tmp/mon-expiry.json | head -n 1)
is "$(echo "$ev" | jq -r '"\(.peer_id)/\(.key_id)/\(.slot)"')" "1/1/current" \
	"key-expired names peer 1, key 1, slot current"
is "$(peer_jq ns1 '.keys | length')" 0 "the expired key is gone from ns1"
d0=$(drop ns1 no-key)
try_fail "no traffic without a key" ping_ok ns1 10.0.0.2
ge "$(drop ns1 no-key)" $((d0 + 1)) "sends counted as no-key drops"

k2=$(genkey fresh) || { not_ok "genkey"; exit 0; }
try "fresh key on ns1" nz ns1 key add zeq0 peer 1 id 2 key-file "$k2"
try "fresh key on ns2" nz ns2 key add zeq0 peer 1 id 2 key-file "$k2" reverse
try "a fresh key brings the tunnel back" ping_ok ns1 10.0.0.2
kill "$MONITOR_PID" 2>/dev/null
teardown
