#!/usr/bin/env bash
# Live capture side by side: the same veth flood captured by Wirecap (library loop, 1 socket and a
# fanout group of 2; the capture CLI writing to /dev/null), by libpcap's C loop
# (native-shims/live_pcap_count.c) and by tcpdump -w /dev/null. For each: packets captured, kernel
# drops, CPU time of the capturing process per captured packet, and (ours) bytes allocated per packet.
#   bench/live-side-by-side.sh [PACKETS] [FRAME_SIZE] [BUFFER_KIB] [ROUNDS]
# Needs root (a network namespace is created and removed). Prints a markdown table. BENCH_DLL=PATH
# runs another build of bench/Wirecap.Bench (e.g. an older commit's) as "Wirecap, library loop".
set -euo pipefail
cd "$(dirname "$0")/.."
PACKETS=${1:-2000000}
SIZE=${2:-64}
BUFFER_KIB=${3:-32768}
ROUNDS=${4:-3}
. bench/lib-netns.sh
build_shims live_flood live_pcap_count
dotnet build -c Release bench/Wirecap.Bench >/dev/null
dotnet build -c Release src/Wirecap.Cli >/dev/null
BENCH_DLL=${BENCH_DLL:-bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll}
CLI_DLL=src/Wirecap.Cli/bin/Release/net10.0/Wirecap.Cli.dll
trap netns_cleanup EXIT
netns_setup capbench

# run NAME COMMAND...: start the capturer in the namespace, wait for "listening", flood, stop it, report.
run() {
  local name=$1; shift
  local err out
  err=$(mktemp); out=$(mktemp)
  start_capturer "$out" "$err" "$@"
  local pid=$CAPTURER_PID
  sleep 0.3
  local before; before=$(cpu_ns "$pid")
  local flood; flood=$(in_ns "$BIN/live_flood" fa "$PACKETS" "$SIZE")
  sleep 1
  local after; after=$(cpu_ns "$pid")
  kill -TERM "$pid"; wait "$pid" || true
  local captured dropped alloc="-"
  if grep -q "^captured" "$out"; then
    captured=$(awk '/^captured/{print $2}' "$out"); dropped=$(awk '/^captured/{print $6}' "$out")
    alloc=$(awk '/^captured/{ if ($7 != "") print $8; else print "-" }' "$out")
  else
    captured=$(awk '/packets captured/{print $1}' "$err"); dropped=$(awk '/dropped by kernel/{print $1}' "$err")
  fi
  local rate; rate=$(sed -E 's/.*\(([0-9]+) pps\).*/\1/' <<<"$flood")
  local ns_per_packet; ns_per_packet=$(awk -v t=$((after - before)) -v n="$captured" 'BEGIN { if (n > 0) printf "%.1f", t / n; else print "-" }')
  printf "| %s | %s | %s | %s | %s | %s |\n" "$name" "$rate" "$captured" "$dropped" "$ns_per_packet" "$alloc"
  rm -f "$err" "$out"
}

echo "packets per round: $PACKETS, frame size: $SIZE bytes, ring/buffer: $BUFFER_KIB KiB, rounds: $ROUNDS"
echo
echo "| capturer | offered pps | captured | dropped by kernel | CPU ns/packet | alloc B/packet |"
echo "| --- | --- | --- | --- | --- | --- |"
for round in $(seq 1 "$ROUNDS"); do
  run "Wirecap, library loop, 1 socket" dotnet "$BENCH_DLL" --live-count fb "$BUFFER_KIB" 1
  run "Wirecap, library loop, fanout 2" dotnet "$BENCH_DLL" --live-count fb "$BUFFER_KIB" 2
  run "libpcap C loop" "$BIN/live_pcap_count" fb "$BUFFER_KIB"
  run "wirecap -w /dev/null" dotnet "$CLI_DLL" -i fb -p -B "$BUFFER_KIB" -w /dev/null
  run "tcpdump -w /dev/null" tcpdump -i fb -p -n -B "$BUFFER_KIB" -w /dev/null
done
