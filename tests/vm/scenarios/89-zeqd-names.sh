#!/bin/sh
# Endpoints given as names. n1 calls n2 by a name in /etc/hosts, and a
# third peer, "ghost", by a name that only DNS could answer, with the name
# server's address blackholed in ns3: each lookup of it hangs until the
# resolver gives up (two tries of 10 s). The lookups run off zeqd's loop: while
# they hang, the tunnel to n2 comes up and n1's control socket answers at
# once; when one gives up, zeqctl show says why there is no tunnel.
# timeout: 240
. /zeqtests/lib.sh

if ! zeqd_topology; then
	not_ok "topology"
	exit 0
fi
# the guest's files, DNS after them (the initramfs has files alone)
for f in hosts resolv.conf nsswitch.conf; do
	[ -e /etc/$f ] && cp /etc/$f /tmp/zn-$f.orig
done
echo "$ZA2 n2.zeq.test" >>/etc/hosts
echo "hosts: files dns" >/etc/nsswitch.conf
printf 'nameserver 10.9.99.53\noptions timeout:10 attempts:2\n' >/etc/resolv.conf
try "ns3 drops what goes to the name server" \
	ip -n ns3 route add blackhole 10.9.99.53/32
zeqd_node n1 ns1 $ZA1 ratchet_period=60 &&
zeqd_node n2 ns2 $ZA2 ratchet_period=60 &&
zeqd_peer n1 ghost public_key="$(openssl rand -base64 32)" \
	endpoint=ghost.zeq.test:443 device=zeq0 peer_id=2 \
	allowed_ips=10.0.0.9/32 &&
zeqd_peer n1 n2 public_key="$(zeqd_pub n2)" endpoint=n2.zeq.test:443 \
	device=zeq0 peer_id=1 allowed_ips=10.0.0.2/32,fd00::2/128 &&
zeqd_peer n2 n1 public_key="$(zeqd_pub n1)" device=zeq0 peer_id=7 \
	allowed_ips=10.0.0.1/32,fd00::1/128
# a control API token, to ask n1's loop something while lookups hang
zeqd_cmd n1 token create --slug names --owner "$(zeqd_zid n1)" >/tmp/zn-token
if ! zeqd_start n2 || ! zeqd_start n1; then
	not_ok "two daemons started"
	zeqd_teardown
	teardown
	exit 0
fi
t0=$(cut -d. -f1 /proc/uptime)

# the control socket, five times a second apart, while ghost's lookup hangs
worst=0
for i in 1 2 3 4 5; do
	a=$(uptime_ms)
	nz ns1 --socket /tmp/zeqd/n1/zeqd.sock --token-file /tmp/zn-token \
		token >/dev/null 2>&1 || worst=99999
	ms=$(($(uptime_ms) - a))
	[ "$ms" -gt "$worst" ] && worst=$ms
	sleep 1
done
lookups=$(grep -c "ghost: endpoint ghost.zeq.test:443" /tmp/zeqd/n1/log)
is "$lookups" 0 "ghost's first lookup still hangs after 5 s"
try "n1's control socket answers within 2 s while the lookup hangs (slowest: $worst ms)" \
	test "$worst" -lt 2000
try "the tunnel to n2 (called by name) is up" wait_for 20 ping_ok ns1 10.0.0.2
is "$(zeqd_show n1 -j | jq -r '.[0].tunnels[] | select(.peer_id == 1) | .state')" \
	up "zeqctl show -j on ns1: peer 1 up"
up=$(($(cut -d. -f1 /proc/uptime) - t0))
diag "tunnel up ${up} s after n1 started"
try "n1 logs why ghost has no tunnel" wait_for 45 \
	grep -q "peer ghost: endpoint ghost.zeq.test:443: " /tmp/zeqd/n1/log
grep "peer ghost" /tmp/zeqd/n1/log | head -n 3 | diag_stdin
zeqd_show n1 >/tmp/zn-show.txt
try "zeqctl show on ns1 says why there is no tunnel to ghost" \
	grep -qE "^  tunnel: (down for .*: |calling for .*, last attempt: )endpoint ghost.zeq.test:443: .* \(zeqd peer ghost\)$" /tmp/zn-show.txt
check_fail grep -q "^peer: 2$" /tmp/zn-show.txt
try "ping across still" ping_ok ns1 10.0.0.2

zeqd_teardown
ip -n ns3 route del blackhole 10.9.99.53/32 2>/dev/null
for f in hosts resolv.conf nsswitch.conf; do
	if [ -e /tmp/zn-$f.orig ]; then
		cp /tmp/zn-$f.orig /etc/$f
	else
		rm -f /etc/$f
	fi
done
teardown
