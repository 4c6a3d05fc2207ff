#!/usr/bin/env bash
# The ncap engine against ncaptool on the same pcap, same run: pcap source → decode → (filter) → NCAP writing.
# Usage: bench/ncap-side-by-side.sh [PACKETS] [NCAP-FILTER-SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-500000}
spec=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build bench/Wirecap.Bench -c Release >/dev/null
bench() { dotnet bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll "$@"; }
bench ncap-generate "$work/in.pcap" "$packets"
ncaptool -p "$work/in.pcap" -o /dev/null                       # warm the file cache
best_theirs=""
for i in 1 2 3; do
  start=$(date +%s%N); ncaptool -p "$work/in.pcap" -o /dev/null; end=$(date +%s%N)
  t=$((end - start)); { [ -z "$best_theirs" ] || [ "$t" -lt "$best_theirs" ]; } && best_theirs=$t
done
ncaptool -p "$work/in.pcap" -o "$work/theirs.ncap"
theirs_bytes=$(stat -c %s "$work/theirs.ncap")
best_ours=""; line=""
for i in 1 2 3; do
  out=$(bench ncap-engine "$work/in.pcap" ${spec:+"$spec"})
  t=$(awk '{print $4}' <<<"$out"); { [ -z "$best_ours" ] || [ "$t" -lt "$best_ours" ]; } && { best_ours=$t; line=$out; }
done
messages=$(awk '{print $2}' <<<"$line"); allocated=$(awk '{print $6}' <<<"$line")
awk -v p="$packets" -v m="$messages" -v o="$best_ours" -v t="$best_theirs" -v a="$allocated" -v nb="$theirs_bytes" 'BEGIN {
  printf "%-28s %12s %14s %10s\n", "engine", "messages/s", "ns/frame", "vs ncaptool";
  printf "%-28s %12.0f %14.1f %10.2fx\n", "Wirecap NcapEngine", m / (o / 1e9), o / p, t / o;
  printf "%-28s %12.0f %14.1f %10.2fx\n", "ncaptool -p FILE -o /dev/null", m / (t / 1e9), t / p, 1.0;
  printf "frames %d, messages %d (ncaptool wrote %d bytes), allocated by ours per message: %.2f B\n", p, m, nb, a / m;
}'
