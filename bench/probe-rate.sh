#!/usr/bin/env bash
# How many events a probe carries before its ring buffer drops, and what each costs (issue 15). In a throw-away
# namespace native-shims/live_flood.c sends 64-byte UDP frames on veth fa, paced to each offered rate in turn (0: as
# fast as it can); on the peer fb the kernel runs net:netif_receive_skb for each, where a ProbeCapture
# (bench --probe-count, tp_btf, snap 128, kept to this namespace) records them into its ring and a reader drains it.
# At each rate the sender runs once with no probe (the baseline) and once with it.
#   bench/probe-rate.sh [SECONDS] [RING_KIB] [RATE...]
# CPU figures, never wall time: the capturer's from /proc/PID/task/*/schedstat (all threads), the sender's from its own
# getrusage. On veth the receive path, the probe program included, runs in the sender's softirq context, so the
# probe's in-kernel cost is the sender's CPU per packet minus the same rate's baseline ("kernel ns/event").
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RATE=${1:-4}
RING_KIB=${2:-4096}
shift 2 2>/dev/null || shift $#
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(50000 100000 200000 400000 800000 0)
. bench/lib-netns.sh
build_shims live_flood
dotnet build -c Release bench/Wirecap.Bench >/dev/null
BENCH_DLL=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll
results=$(mktemp)
trap 'netns_cleanup; rm -f "$results"' EXIT
netns_setup probebench

# run RATE none|probe: flood once, with the probe recording or not; one row
# "rate name offered-pps packets captured dropped sender-ns capturer-ns".
run() {
  local rate=$1 name=$2 packets
  packets=$(( rate > 0 ? rate * SECONDS_PER_RATE : 4000000 ))
  if [ "$name" = probe ]; then flood_round "$packets" "$rate" dotnet "$BENCH_DLL" --probe-count "$NS" "$RING_KIB"
  else flood_round "$packets" "$rate"; fi
  echo "$rate $name $ROUND_OFFERED $packets $ROUND_CAPTURED $ROUND_DROPPED $ROUND_SENDER_NS $ROUND_CAPTURER_NS" >>"$results"
}

echo "probe tp:net:netif_receive_skb, ring $RING_KIB KiB, snap 128, 64-byte frames, ${SECONDS_PER_RATE} s per rate, load $(cut -d' ' -f1 /proc/loadavg)"
for rate in "${RATES[@]}"; do
  run "$rate" none
  run "$rate" probe
done
echo "load at the end $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| asked pps | offered pps | events recorded | lost (ring full) | lost % | kernel ns/event (sender − baseline) | reader CPU ns/event |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk '
  $2 == "none" { base[$1] = $7 / $4; next }
  {
    kernel = $7 / $4 - base[$1]
    reader = $5 > 0 ? $8 / $5 : 0
    printf "| %s | %s | %d | %d | %.2f | %.0f | %.0f |\n", ($1 == 0 ? "max" : $1), $3, $5, $6, ($4 > 0 ? 100 * $6 / $4 : 0), kernel, reader
  }' "$results"
