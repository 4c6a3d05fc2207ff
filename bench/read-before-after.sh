#!/usr/bin/env bash
# This tree against another revision, in the same run:
#   bench/read-before-after.sh REV [PACKETS] [PAIRS] [span|async|filter|ncap]
# span, async: reading a file by path through the library, the loops of bench/ReadLoops (as a user writes them),
#   built against each tree; bench/ReadPair loads both builds into one process and runs one pass of each in turn;
#   each run prints the median process CPU of 40 passes of each and the median ratio of pairs (and its quartiles).
#   One process because load, page cache and clock are then the same on both sides of a pair; separate processes
#   on a shared machine moved by ±50%.
# filter, ncap: the command line, whole process (start-up included): `-r FILE -w OUT.pcap EXPRESSION` and
#   `-r FILE -w OUT.ncap` over a generated traffic mix, CPU time (user + system) of each finished process.
# A revision from before the rename (namespace Capture, src/Capture, src/Capture.Cli) is adapted: ReadLoops is
# built against it with its namespace renamed, and its own CLI is run.
# PAIRS runs of each (default 8); prints each pair and the median ratio this/REV.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/read-before-after.sh REV [PACKETS] [PAIRS] [span|async|filter|ncap]}
packets=${2:-300000}; pairs=${3:-8}; mode=${4:-span}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/rev" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build() { dotnet build "$@" -c Release -v quiet -nologo -p:TreatWarningsAsErrors=false >/dev/null; }

git worktree add --detach "$work/rev" "$rev" >/dev/null 2>&1
old=""; [ -d "$work/rev/src/Wirecap" ] || old=Capture   # before the rename
build bench/Wirecap.Bench

case $mode in
  span|async)
    build bench/ReadLoops -o "$work/this"
    build bench/ReadPair -o "$work/pair"
    if [ -z "$old" ]; then
      build "$work/rev/src/Wirecap/Wirecap.csproj" -f net10.0 -o "$work/rev-out"
      cp -r "$work/this" "$work/before"
      cp "$work/rev-out/Wirecap.dll" "$work/before/Wirecap.dll"
    else
      mkdir -p "$work/rev/bench/ReadLoops"
      sed 's/Wirecap\.Formats/Capture.Formats/' bench/ReadLoops/Loops.cs >"$work/rev/bench/ReadLoops/Loops.cs"
      sed 's#src/Wirecap/Wirecap.csproj#src/Capture/Capture.csproj#' bench/ReadLoops/ReadLoops.csproj >"$work/rev/bench/ReadLoops/ReadLoops.csproj"
      build "$work/rev/bench/ReadLoops" -o "$work/before"
    fi
    input=$work/bench.pcap
    bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench pcap-generate "$input" "$packets"
    # one run: "before_ms this_ms ratio quartile1 quartile3"
    run() { dotnet "$work/pair/ReadPair.dll" "$work/before" "$work/this" "$input" 40 "$mode"; }
    head="process CPU ms per pass (median of 40) $rev, this; median pair ratio this/$rev (quartiles)" ;;
  filter|ncap)
    build src/Wirecap.Cli -o "$work/this"
    build "$(ls "$work"/rev/src/*.Cli/*.Cli.csproj)" -o "$work/before"
    input=$work/traffic.pcap
    bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench --write-traffic "$input" "$packets"   # IPv4/IPv6 TCP, UDP, ICMP, ARP, other
    mixed='(tcp or udp) and (port 53 or port 123 or port 443 or port 8443) and not src host 10.1.2.3 and greater 60 and less 1400'
    # one run: "cpu_ms wall_ms"; the output stays in $work/$1.out.* for the comparison below
    run() {
      local cli; cli=$(ls "$work/$1"/*.Cli.dll)
      if [ "$mode" = filter ]; then set -- "$1" -r "$input" -w "$work/$1.out.pcap" "$mixed"; else set -- "$1" -r "$input" -w "$work/$1.out.ncap"; fi
      /usr/bin/time -f '%U %S %e' -o "$work/time" dotnet "$cli" "${@:2}" >/dev/null 2>&1
      awk '{ printf "%.0f %.0f\n", ($1 + $2) * 1000, $3 * 1000 }' "$work/time"
    }
    head="process CPU ms (user + system) $rev, this, ratio; wall ms $rev, this, ratio"
    first="process CPU"; second="wall" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
cat "$input" >/dev/null

echo "file: $packets packets, $(stat -c %s "$input") bytes; mode $mode; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "pair: $head"
if [ "$mode" = span ] || [ "$mode" = async ]; then
  for i in $(seq "$pairs"); do
    read -r a b r q1 q3 <<<"$(run)"
    printf '%4d %8.2f %8.2f %7.3f (%.3f-%.3f)\n' "$i" "$a" "$b" "$r" "$q1" "$q3"
  done | tee "$work/pairs"
  sort -k4 -n "$work/pairs" | awk '{ r[NR] = $4 } END { printf "median over runs of the pair ratio this/'"$rev"': %.3f (min %.3f, max %.3f)\n", r[int((NR + 1) / 2)], r[1], r[NR] }'
  exit 0
fi
for i in $(seq "$pairs"); do
  a=$(run before)
  b=$(run this)
  read -r at au _ <<<"$a"; read -r bt bu _ <<<"$b"
  awk -v i="$i" -v at="$at" -v bt="$bt" -v au="$au" -v bu="$bu" 'BEGIN { printf "%4d %8.2f %8.2f %7.3f   %8.2f %8.2f %7.3f\n", i, at, bt, bt / at, au, bu, bu / au }'
done | tee "$work/pairs"
for col in 4 7; do
  sort -k$col -n "$work/pairs" | awk -v c=$col -v what="$([ $col = 4 ] && echo "$first" || echo "$second")" \
    '{ r[NR] = $c } END { printf "median this/'"$rev"' %s: %.3f (min %.3f, max %.3f)\n", what, r[int((NR + 1) / 2)], r[1], r[NR] }'
done
if [ "$mode" = filter ] || [ "$mode" = ncap ]; then
  for side in before this; do echo "$side output: $(stat -c %s "$work/$side".out.*) bytes, sha256 $(sha256sum "$work/$side".out.* | cut -c1-16)"; done
fi
