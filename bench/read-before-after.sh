#!/usr/bin/env bash
# Reading a file by path, this tree against another revision, in the same run:
#   bench/read-before-after.sh REV [PACKETS] [PAIRS] [span|async]
# Builds bench/ReadCpu once, runs it with this tree's Wirecap.dll and with REV's (built in a temporary
# worktree), alternating, PAIRS times (default 8); each run prints the median thread CPU of 15 passes.
# Prints each pair and the median ratio this/REV.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/read-before-after.sh REV [PACKETS] [PAIRS] [span|async]}
packets=${2:-300000}; pairs=${3:-8}; mode=${4:-span}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/rev" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

dotnet build bench/ReadCpu -c Release -o "$work/this" -v quiet -nologo >/dev/null
git worktree add --detach "$work/rev" "$rev" >/dev/null 2>&1
dotnet build "$work/rev/src/Wirecap/Wirecap.csproj" -c Release -f net10.0 -o "$work/rev-out" -v quiet -nologo -p:TreatWarningsAsErrors=false >/dev/null
cp -r "$work/this" "$work/before"
cp "$work/rev-out/Wirecap.dll" "$work/before/Wirecap.dll"

dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench pcap-generate "$work/bench.pcap" "$packets"
cat "$work/bench.pcap" >/dev/null

echo "file: $packets packets, $(stat -c %s "$work/bench.pcap") bytes; mode $mode; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "pair: thread CPU ms per pass (median of 15) $rev, this, ratio; user ms per pass $rev, this, ratio"
for i in $(seq "$pairs"); do
  a=$(dotnet "$work/before/ReadCpu.dll" "$work/bench.pcap" 15 "$mode")
  b=$(dotnet "$work/this/ReadCpu.dll" "$work/bench.pcap" 15 "$mode")
  read -r at au _ <<<"$a"; read -r bt bu _ <<<"$b"
  awk -v i="$i" -v at="$at" -v bt="$bt" -v au="$au" -v bu="$bu" 'BEGIN { printf "%4d %8.2f %8.2f %7.3f   %8.2f %8.2f %7.3f\n", i, at, bt, bt / at, au, bu, bu / au }'
done | tee "$work/pairs"
for col in 4 7; do
  sort -k$col -n "$work/pairs" | awk -v c=$col -v what="$([ $col = 4 ] && echo 'thread CPU' || echo 'user CPU')" \
    '{ r[NR] = $c } END { printf "median this/'"$rev"' %s: %.3f (min %.3f, max %.3f)\n", what, r[int((NR + 1) / 2)], r[1], r[NR] }'
done
