#!/usr/bin/env bash
# TC capture against the AF_PACKET ring at the same offered rate (issue 14). Inside a throw-away network
# namespace, native-shims/live_flood.c sends paced 64-byte UDP frames on veth fa; on the peer fb either nothing
# captures (the baseline), Wirecap's AF_PACKET ring does (bench --live-count, filter in the kernel by
# SO_ATTACH_FILTER), or a TcCapture at fb's ingress does (bench --tc-count, filter translated into the TC program).
# Two filters: "udp src port 40000" keeps 1% (the flood cycles over 100 source ports) and "udp" keeps everything.
#   bench/tc-side-by-side.sh [PACKETS] [PPS] [ROUNDS] [RING_KIB]
# The capturers run in turn within each round (none, ring, tc), so drifts in the machine's load hit all three.
# CPU figures, never wall time: the capturer's from /proc/PID/task/*/schedstat (ns, all threads), the sender's
# from its own getrusage. On veth the receive path (TC programs, packet-socket taps, their filters and copies)
# runs in the sender's softirq context, and this kernel has no IRQ_TIME_ACCOUNTING, so that kernel-side work is in
# the sender's CPU time: "kernel ns/pkt" is the sender's CPU per offered packet minus the same round's baseline.
# Needs root. Prints one row per run, then medians with ranges.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKETS=${1:-500000}
PPS=${2:-50000}
ROUNDS=${3:-3}
RING_KIB=${4:-32768}
. bench/lib-netns.sh
build_shims live_flood
dotnet build -c Release bench/Wirecap.Bench >/dev/null
BENCH_DLL=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll
trap netns_cleanup EXIT
netns_setup tcbench

results=$(mktemp)
trap 'netns_cleanup; rm -f "$results"' EXIT

# run FILTER_NAME CAPTURER [COMMAND...]: flood once with COMMAND capturing (none: no command); one row.
run() {
  local filter=$1 name=$2; shift 2
  flood_round "$PACKETS" "$PPS" "$@"
  echo "$filter $name $ROUND_OFFERED $ROUND_CAPTURED $ROUND_DROPPED $ROUND_SENDER_NS $ROUND_CAPTURER_NS" >>"$results"
}

echo "packets per run: $PACKETS at $PPS pps offered, 64-byte frames, ring $RING_KIB KiB, rounds: $ROUNDS, load $(cut -d' ' -f1 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for f in "1%:udp src port 40000" "all:udp"; do
    name=${f%%:*}; expression=${f#*:}
    run "$name" none
    run "$name" ring dotnet "$BENCH_DLL" --live-count fb "$RING_KIB" 1 "$expression"
    run "$name" tc dotnet "$BENCH_DLL" --tc-count fb "$RING_KIB" "$expression"
  done
done
echo "load at the end $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| filter | capturer | offered pps | captured | dropped | sender CPU ns/pkt | kernel ns/pkt (sender − baseline) | capturer CPU ns/pkt offered | capturer CPU ns/pkt captured | total ns/pkt offered |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
# Rows in order; each round's "none" row is the baseline of the two rows after it.
awk -v packets="$PACKETS" '
  { sender = $6 / packets }
  $2 == "none" { base[$1] = sender }
  {
    kernel = $2 == "none" ? 0 : sender - base[$1]
    cap = $7 / packets
    percap = $4 > 0 ? $7 / $4 : 0
    printf "| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, sender,
      ($2 == "none" ? "-" : sprintf("%.1f", kernel)), ($2 == "none" ? "-" : sprintf("%.1f", cap)),
      ($2 == "none" ? "-" : sprintf("%.1f", percap)), ($2 == "none" ? "-" : sprintf("%.1f", kernel + cap))
    if ($2 != "none") { key = $1 " " $2; k[key] = k[key] " " kernel; c[key] = c[key] " " cap; t[key] = t[key] " " (kernel + cap) }
  }
  END {
    print ""
    print "| filter | capturer | kernel ns/pkt, median (range) | capturer ns/pkt offered | total ns/pkt offered |"
    print "| --- | --- | ---: | ---: | ---: |"
    n = split("1% ring,1% tc,all ring,all tc", keys, ",")
    for (i = 1; i <= n; i++) { key = keys[i]; split(key, kk, " "); printf "| %s | %s | %s | %s | %s |\n", kk[1], kk[2], med(k[key]), med(c[key]), med(t[key]) }
  }
  function med(list,   v, m, i, j, x) {
    m = split(substr(list, 2), v, " ")
    for (i = 2; i <= m; i++) { x = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    return sprintf("%.1f (%.1f–%.1f)", (m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2), v[1], v[m])
  }' "$results"
