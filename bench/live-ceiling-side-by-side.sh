#!/usr/bin/env bash
# The live ceiling (issue 13): for each capturer, the highest offered rate it captures with 0 drops over
# SECONDS, stepping the rate up. The sender is native-shims/live_txring.c (AF_PACKET TX ring with
# PACKET_QDISC_BYPASS, paced, THREADS sender threads) on veth fa in a throw-away namespace; the capturers
# listen on the peer fb with a 32 MiB ring: Wirecap's library loop (1 socket, and a PACKET_FANOUT hash
# group of 2 on two threads), libpcap's C loop (native-shims/live_pcap_count.c), the wirecap command line
# -w /dev/null and tcpdump -w /dev/null.
#   bench/live-ceiling-side-by-side.sh [SIZES [SECONDS [THREADS]]]     (./build.sh bench live-ceiling)
# ORDER picks the capturers (default all five). SIZES defaults to "64 1500" (frame bytes), SECONDS to 10, THREADS (sender threads) to 1. RATES_64,
# RATES_1500 (or RATES_<size>) list the offered packets/s to step through, lowest first; 0 means "as fast as
# the sender goes". A step passes when the kernel counted 0 drops and the capturer got every packet the
# sender sent; each capturer stops at its first failing step (tried TRIES times, default 2). WIRECAP is
# the command line to run (default: the NativeAOT binary artifacts/wirecap when it exists, else the JIT build).
# CPU_BUDGET=P confines each capturer to P% of one core per capturing thread (a cgroup's CFS quota; the fanout
# group of 2 gets 2P%), so that the capturer rather than the sender sets the ceiling: the same offered rates,
# the same kernel work (the copy into the ring runs in the sender's context), each capturer's user-space cost
# per packet deciding how far it keeps up. Needs root. Prints every step, then a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-64 1500}
SECONDS_PER_STEP=${2:-10}
THREADS=${3:-1}
TRIES=${TRIES:-2}
RATES_64=${RATES_64:-100000 200000 300000 400000 500000 600000 700000 0}
RATES_1500=${RATES_1500:-50000 100000 200000 300000 400000 0}
BUFFER_KIB=32768
. bench/lib-netns.sh
build_shims live_txring live_pcap_count
dotnet build -c Release bench/Wirecap.Bench >/dev/null
BENCH_DLL=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll
if [ -z "${WIRECAP:-}" ]; then
  if [ -x artifacts/wirecap ]; then WIRECAP=artifacts/wirecap
  else dotnet build -c Release src/Wirecap.Cli >/dev/null; WIRECAP="dotnet src/Wirecap.Cli/bin/Release/net10.0/Wirecap.Cli.dll"; fi
fi
trap 'netns_cleanup; budget_cleanup' EXIT
netns_setup capceil
CPU_BUDGET=${CPU_BUDGET:-}
[ -z "$CPU_BUDGET" ] || budget_setup wirecap-ceiling

load() { cut -d' ' -f1 /proc/loadavg; }
rx_packets() { in_ns cat /sys/class/net/fb/statistics/rx_packets; }
# Packets the kernel dropped before any socket saw them (backlog full), all CPUs: softnet_stat's second column (hex).
backlog_drops() { local s=0 d; while read -r _ d _; do s=$(( s + 0x$d )); done </proc/net/softnet_stat; echo "$s"; }

declare -A CAPTURERS=(
  [library-1]="dotnet $BENCH_DLL --live-count fb $BUFFER_KIB 1"
  [library-fanout-2]="dotnet $BENCH_DLL --live-count fb $BUFFER_KIB 2"
  [libpcap-c-loop]="$BIN/live_pcap_count fb $BUFFER_KIB"
  [wirecap-w-null]="$WIRECAP -i fb -p -B $BUFFER_KIB -w /dev/null"
  [tcpdump-w-null]="tcpdump -i fb -p -n -B $BUFFER_KIB -w /dev/null"
)
ORDER=${ORDER:-"library-1 library-fanout-2 libpcap-c-loop wirecap-w-null tcpdump-w-null"}   # or a subset, e.g. ORDER=wirecap-w-null

# step NAME SIZE RATE: one capture of SECONDS at RATE; sets STEP (the log line) and PASS/OFFERED/PER_PACKET/SHARE/SENDER_NS.
step() {
  local name=$1 size=$2 rate=$3 err out
  err=$(mktemp); out=$(mktemp)
  # shellcheck disable=SC2086 # the capturer's command line is split on purpose
  start_capturer "$out" "$err" ${CAPTURERS[$name]}
  local pid=$CAPTURER_PID
  if [ -n "$CPU_BUDGET" ]; then
    local share=$CPU_BUDGET; [ "$name" = library-fanout-2 ] && share=$(( 2 * CPU_BUDGET ))
    budget_limit "$share" "$pid"
  fi
  sleep 0.3
  local rx0 bd0 before; rx0=$(rx_packets); bd0=$(backlog_drops); before=$(cpu_ns "$pid")
  local sender; sender=$(in_ns "$BIN/live_txring" fa "$size" "$rate" "$SECONDS_PER_STEP" "$THREADS")
  sleep 1.5   # tcpdump's libpcap hands over a partly filled block after its 1 s timeout
  local after; after=$(cpu_ns "$pid")
  local rx=$(( $(rx_packets) - rx0 )) bd=$(( $(backlog_drops) - bd0 ))
  kill -TERM "$pid"; wait "$pid" || true
  local captured dropped
  if grep -q "^captured" "$out"; then
    captured=$(awk '/^captured/{print $2}' "$out"); dropped=$(awk '/^captured/{print $6}' "$out")
  else
    captured=$(awk '/packets captured/{print $1}' "$err"); dropped=$(awk '/dropped by kernel/{print $1}' "$err")
  fi
  rm -f "$err" "$out"
  local sent pps sender_cpu
  sent=$(awk '{print $2}' <<<"$sender"); pps=$(sed -E 's/.*\(([0-9]+) pps\).*/\1/' <<<"$sender")
  sender_cpu=$(sed -E 's/.* cpu ([0-9]+) ns.*/\1/' <<<"$sender")
  OFFERED=$pps
  PER_PACKET=$(awk -v t=$((after - before)) -v n="${captured:-0}" 'BEGIN { if (n > 0) printf "%.1f", t / n; else print "-" }')
  SHARE=$(awk -v t=$((after - before)) -v s="$SECONDS_PER_STEP" 'BEGIN { printf "%.1f", 100 * t / (s * 1e9) }')
  SENDER_NS=$(awk -v t="$sender_cpu" -v n="$sent" 'BEGIN { if (n > 0) printf "%.0f", t / n; else print "-" }')
  PASS=0
  [ "${dropped:-x}" = 0 ] && [ "${captured:-x}" = "$sent" ] && PASS=1
  STEP="$name size $size asked $rate offered $pps sent $sent fb-rx $rx backlog-drops $bd captured ${captured:-?} dropped ${dropped:-?} capturer-ns/pkt $PER_PACKET capturer-core% $SHARE sender-ns/pkt $SENDER_NS load $(load) pass $PASS"
  echo "$STEP" >&2
}

echo "sender: live_txring, $THREADS thread(s); $SECONDS_PER_STEP s per step; ring $BUFFER_KIB KiB; $(nproc) cores; wirecap: $WIRECAP${CPU_BUDGET:+; capturer CPU budget $CPU_BUDGET% of a core per capturing thread}" >&2
declare -A BEST
for size in $SIZES; do
  rates_var=RATES_$size; rates=${!rates_var:-$RATES_64}
  # Baseline: the sender alone, as fast as it goes.
  base=$(in_ns "$BIN/live_txring" fa "$size" 0 "$SECONDS_PER_STEP" "$THREADS")
  echo "baseline size $size (no capturer): $base load $(load)" >&2
  BEST[$size,baseline]=$(sed -E 's/.*\(([0-9]+) pps\).*/\1/' <<<"$base")
  BEST[$size,baseline-ns]=$(sed -E 's/^sent ([0-9]+) .* cpu ([0-9]+) ns errors.*/\2 \1/' <<<"$base" | awk '{ printf "%.0f", $1 / $2 }')
  for name in $ORDER; do
    BEST[$size,$name]="none|-|-|-|$(load)"; top=0
    for rate in $rates; do
      ok=0
      for _ in $(seq 1 "$TRIES"); do
        step "$name" "$size" "$rate"
        if [ "$PASS" = 1 ]; then ok=1; break; fi
      done
      [ "$ok" = 1 ] || break
      # The highest rate actually offered in a passing step (a paced step may fall short of what it asked for).
      if [ "$OFFERED" -gt "${top:-0}" ]; then
        top=$OFFERED; limited=""; [ "$rate" = 0 ] && limited=" (sender's limit)"
        BEST[$size,$name]="$OFFERED$limited|$PER_PACKET|$SHARE|$SENDER_NS|$(load)"
      fi
    done
  done
done

echo
echo "| frame | capturer | highest 0-drop rate, pps | capturer CPU ns/packet there | capturer CPU, % of a core | sender CPU ns/packet (incl. veth receive) | load average |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for size in $SIZES; do
  echo "| $size B | sender alone | ${BEST[$size,baseline]} | - | - | ${BEST[$size,baseline-ns]} | - |"
  for name in $ORDER; do
    IFS='|' read -r rate ns share sns ld <<<"${BEST[$size,$name]}"
    echo "| $size B | $name | $rate | $ns | $share | $sns | $ld |"
  done
done
