#!/bin/sh
# timeout: 600
# Cover traffic on the wire. Two tunnels from ns1 to ns2: zeq0 idle with
# cover at the default rate (10 x PULSE_HZ = 12.87/s), zeq1 carrying an
# iperf3 UDP stream with cover at 20/s. tcpdump on ns2's veth captures
# COVER_SECONDS (default 60) of both; zcap opens every datagram with the
# tunnels' keys and tells cover from data. For each tunnel the cover
# packets' rate, (count - 1) over the time from the first to the last,
# must be within 0.1 % of the configured rate, and the kernel's counters
# must agree with the capture. Then cover off stops them and a peer's own
# setting overrides the device's.
. /zeqtests/lib.sh

T=${COVER_SECONDS:-60}
PORT3=51903 PORT4=51904

zeq_pair v4 || { not_ok "zeq pair"; exit 0; }
zeq_dev ns1 zeq1 $PORT3 10.0.3.1/24 fd00:3::1/64 &&
	zeq_dev ns2 zeq1 $PORT4 10.0.3.2/24 fd00:3::2/64 &&
	nz ns1 peer add zeq1 id 1 endpoint $V4_2:$PORT4 allowed-ips 10.0.3.2/32 &&
	nz ns2 peer add zeq1 id 1 endpoint $V4_1:$PORT3 allowed-ips 10.0.3.1/32 &&
	k1=$(genkey cover1) &&
	nz ns1 key add zeq1 peer 1 id 7 key-file "$k1" &&
	nz ns2 key add zeq1 peer 1 id 7 key-file "$k1" reverse &&
	ip -n ns1 link set zeq1 up && ip -n ns2 link set zeq1 up ||
	{ not_ok "second tunnel (zeq1)"; exit 0; }
k0=$KEYDIR/pair
try "ping through zeq0" ping_ok ns1 10.0.0.2
try "ping through zeq1" ping_ok ns1 10.0.3.2

try "zeq0: cover on at the default rate" nz ns1 set zeq0 cover on
try "zeq1: cover on rate 20" nz ns1 set zeq1 cover on rate 20
is "$(peer_jq ns1 .cover_active_rate)" 12870 "zeq0 peer: cover active at 12870 mHz"
is "$(DEV=zeq1 peer_jq ns1 .cover_active_rate)" 20000 "zeq1 peer: cover active at 20000 mHz"
is "$(peer_jq ns2 .cover_active_rate)" 0 "ns2 sends no cover (not configured)"

# (rx read before tx at the start and after it at the end, so the
# receive window holds the send window)
r0=$(peer_stat ns2 rx_cover) c0=$(peer_stat ns1 tx_cover)
h0=$(($(softnet_drops) + $(udp_errs ns2)))
capture_start /tmp/cover.pcap "udp and src host $V4_1"
iperf_server ns2
ip netns exec ns1 iperf3 -c 10.0.3.2 -u -b 1M -l 1000 -t "$T" >/tmp/cover.iperf 2>&1 &
ipid=$!
sleep "$T"
wait_pid $ipid 30
capture_stop
c1=$(peer_stat ns1 tx_cover)
sleep 1
r1=$(peer_stat ns2 rx_cover)
h1=$(($(softnet_drops) + $(udp_errs ns2)))
wait_pid "$IPERF_SERVER" 5

# rate_of PORT KEYFILE WANT-MHZ DESC: the cover rate on the wire, the
# sender's schedule. Each cover datagram gets its slot in the schedule, k:
# the next after the previous cover datagram's, unless datagrams of that
# tunnel are missing between the two (nonce counters not captured: a busy
# 2-core host overflows the veth backlog now and then), and then as many
# slots as the time between them spans, at most one per missing datagram
# (the missing ones are counted apart). A datagram is only ever late on
# its way (behind a burst of data, or a guest the host did not run for a
# while), never early, and how late changes with the host's load during
# the capture: a least-squares fit, or the median of slopes, moves with
# it. The schedule is the lower envelope: the rate is the slope between
# the least-delayed datagram of the first quarter and that of the last
# quarter (delay against the wanted rate; datagrams next to a missing one
# are left out, their slot being a guess).
rate_of() {
	local out n rate slots pts
	out=$(zcap label /tmp/cover.pcap --dport "$1" --key "$2")
	echo "$out" | tail -n 1
	pts=$(echo "$out" | awk -v r="$3" '
		$3 == "data" || $3 == "keepalive" || $3 == "cover" {
			seen[$6] = 1
		}
		$3 == "cover" { t[++n] = $1; c[n] = $6 }
		END {
			for (i = 1; i <= n; i++) {
				inc = 1; miss = 0
				if (i > 1)
					for (x = c[i - 1] + 1; x < c[i]; x++)
						miss += !(x in seen)
				if (i > 1 && miss) {
					inc = int((t[i] - t[i - 1]) * r / 1e12 + 0.5)
					inc = inc < 1 ? 1 : inc > 1 + miss ? 1 + miss : inc
				}
				k += i > 1 ? inc : 0
				printf "%d %.0f\n", k, t[i] - t[1]
			}
		}')
	n=$(echo "$pts" | grep -c .)
	slots=$(echo "$pts" | tail -n 1 | cut -d' ' -f1)
	rate=$(echo "$pts" | awk -v want="$3" '
		{ k[NR] = $1; y[NR] = $2 }
		END {
			K = k[NR]; p = 1e12 / want
			for (i = 2; i < NR; i++) {
				if (k[i] - k[i - 1] != 1 || k[i + 1] - k[i] != 1)
					continue
				e = y[i] - k[i] * p
				if (4 * k[i] <= K && (!na || e < ea)) {
					na = 1; ea = e; ka = k[i]
				} else if (4 * k[i] >= 3 * K && (!nb || e < eb)) {
					nb = 1; eb = e; kb = k[i]
				}
			}
			if (na && nb)
				printf "%d\n", 1e12 / (p + (eb - ea) / (kb - ka)) + 0.5
		}')
	diag "$4: $n cover packets captured over $slots periods, $rate mHz on the wire (want $3)"
	ge "$n" $(($3 * (T - 2) / 1000)) "$4: cover packets for the whole capture"
	ge "$((n + n / 200))" "$((slots + 1))" "$4: at most 0.5 % of them lost by the host ($((slots + 1 - n)))"
	# within 0.1 %: |rate - want| * 1000 <= want
	if [ -n "$rate" ] && [ $(((rate - $3) * 1000)) -le "$3" ] &&
	   [ $((($3 - rate) * 1000)) -le "$3" ]; then
		ok "$4: cover rate within 0.1 % of $3 mHz ($rate)"
	else
		not_ok "$4: cover rate within 0.1 % of $3 mHz"
		diag "  got: '$rate'"
	fi
	COVER_N=$n
	DATA_N=$(echo "$out" | awk '$3 == "data"' | wc -l)
}
rate_of $PORT2 "$k0" 12870 "idle zeq0"
n_idle=$COVER_N
rate_of $PORT4 "$k1" 20000 "zeq1 under iperf3"
ge "$DATA_N" $((T * 100)) "zeq1 carried the iperf3 stream ($DATA_N data packets)"
ge "$((c1 - c0))" "$n_idle" "zeq0: tx_cover counted every captured cover packet"
# (anything missing the kernel itself dropped)
ge "$((r1 - r0 + h1 - h0 + 1))" "$((c1 - c0))" \
	"zeq0: ns2 received (rx_cover) every cover packet ns1 sent, but for the host's own drops ($((c1 - c0)) sent, $((r1 - r0)) received, host dropped $((h1 - h0)))"
is "$(drops_sum ns2)" 0 "ns2: no drops"

# Off again; a peer's own setting overrides the device's.
try "zeq0: cover off" nz ns1 set zeq0 cover off
is "$(peer_jq ns1 .cover_active_rate)" 0 "zeq0 peer: cover stopped"
c0=$(peer_stat ns1 tx_cover)
sleep 2
is "$(peer_stat ns1 tx_cover)" "$c0" "zeq0: no cover sent after cover off"
try "peer 1: cover on rate 5 (own setting)" nz ns1 peer set zeq0 id 1 cover on rate 5
is "$(peer_jq ns1 .cover_active_rate)" 5000 "peer's own rate, device off"
try "peer 1: cover off while the device is on" sh -c \
	"nsenter --net=/run/netns/ns1 zeqctl set zeq0 cover on &&
	 nsenter --net=/run/netns/ns1 zeqctl peer set zeq0 id 1 cover off"
is "$(peer_jq ns1 .cover_active_rate)" 0 "peer's off beats the device's on"
try "peer 1: follow the device again" nz ns1 peer set zeq0 id 1 cover device
is "$(peer_jq ns1 .cover_active_rate)" 12870 "peer follows the device (12870 mHz)"
try_fail "cover rate 0 refused" nz ns1 set zeq0 cover on rate 0
try_fail "cover rate above 1000/s refused" nz ns1 set zeq0 cover on rate 1000.001
try "tunnel still works" ping_ok ns1 10.0.0.2
