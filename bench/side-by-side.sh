#!/usr/bin/env bash
# Reading a large pcap file: Wirecap (span and owned paths) against libpcap's pcap_next_ex loop
# (native-shims/pcap_read_bench.c) and `tcpdump -r FILE -w /dev/null`, in the same run.
#   bench/side-by-side.sh [PACKETS]      (default 1000000; ./build.sh bench calls this)
#   bench/side-by-side.sh NAME [ARGS]    runs bench/NAME-side-by-side.sh instead (./build.sh bench goals: issue 13's
#                                        table; bpf, sharppcap, aot, ncap, live, tc, filter-compile likewise)
# Each reader runs RUNS times (default 3) on a warm page cache; the best time is reported.
# Ours and the C loop time open + read loop + close inside the process (ours after one warm-up
# pass for the JIT); tcpdump is timed as a whole process (start-up included).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} =~ ^[a-z-]+$ ]]; then
  script=bench/$1-side-by-side.sh
  [ -f "$script" ] || { echo "no $script (see bench/README.md)" >&2; exit 2; }
  shift
  exec bash "$script" "$@"
fi
packets=${1:-1000000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file="$work/bench.pcap"

dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
bench=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench
mkdir -p native-shims/bin
[ native-shims/bin/pcap_read_bench -nt native-shims/pcap_read_bench.c ] ||
  gcc -O2 -Wall -Werror -o native-shims/bin/pcap_read_bench native-shims/pcap_read_bench.c -lpcap

"$bench" pcap-generate "$file" "$packets"
size=$(stat -c %s "$file")
cat "$file" >/dev/null   # warm the page cache

best() { grep -v '^$' | sort -n | head -n 1; }
field() { awk -v key="$1" '{ for (i = 1; i < NF; i++) if ($i == key) print $(i + 1) }'; }

declare -A ns alloc
for mode in span owned; do
  out=""
  for _ in $(seq "$runs"); do out+="$("$bench" pcap-read "$file" "$mode")"$'\n'; done
  ns[$mode]=$(field ns <<<"$out" | best)
  alloc[$mode]=$(field allocated <<<"$out" | best)
  got=$(field packets <<<"$out" | head -n 1)
  [ "$got" = "$packets" ] || { echo "ours ($mode) read $got packets, expected $packets" >&2; exit 1; }
done
out=""
for _ in $(seq "$runs"); do out+="$(native-shims/bin/pcap_read_bench "$file")"$'\n'; done
ns[libpcap]=$(field ns <<<"$out" | best)
got=$(field packets <<<"$out" | head -n 1)
[ "$got" = "$packets" ] || { echo "libpcap read $got packets, expected $packets" >&2; exit 1; }
out=""
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  tcpdump -r "$file" -w /dev/null 2>/dev/null
  out+="$(( $(date +%s%N) - start ))"$'\n'
done
ns[tcpdump]=$(best <<<"$out")

echo "file: $packets packets, $size bytes (mean $(( size / packets )) bytes/record), best of $runs, $(nproc) cores"
printf '%-34s %12s %10s %9s %14s\n' reader "packets/s" "MB/s" "vs libpcap" "alloc B/packet"
row() {
  local name=$1 t=$2 a=$3
  awk -v n="$name" -v t="$t" -v p="$packets" -v s="$size" -v base="${ns[libpcap]}" -v a="$a" 'BEGIN {
    printf "%-34s %12.0f %10.1f %9.2fx %14s\n", n, p / (t / 1e9), s / 1e6 / (t / 1e9), base / t, a == "" ? "n/a" : sprintf("%.3f", a / p) }'
}
row "Wirecap span path (Read/Current)" "${ns[span]}" "${alloc[span]}"
row "Wirecap owned path (ReadAllAsync)" "${ns[owned]}" "${alloc[owned]}"
row "libpcap pcap_next_ex (C)" "${ns[libpcap]}" ""
row "tcpdump -r FILE -w /dev/null" "${ns[tcpdump]}" ""
