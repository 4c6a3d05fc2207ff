#!/usr/bin/env bash
# Issue 13's whole-process goals: the native command line (artifacts/wirecap, NativeAOT) against the C tool for
# each job, interleaved run by run (ours, theirs, ours, ...), and one markdown table: the median CPU seconds
# (user + system, the kernel's accounting of the finished process, read by /usr/bin/time), their ratio, the goal.
#   bench/goals-side-by-side.sh [PACKETS] [RUNS]     (defaults 3000000 and 7; ./build.sh bench goals)
# Read + filter runs over Wirecap.Bench --write-traffic (the BPF benchmark's mix); printing and NCAP over
# --write-plain-traffic (DNS, plain TCP and UDP), which tcpdump prints at its usual speed: it spends minutes on
# the random TCP options and DNS payloads of the first. CPU, not wall time: the machine may be shared.
set -euo pipefail -f
cd "$(dirname "$0")/.."
packets=${1:-3000000}; runs=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x artifacts/wirecap ] || ./build.sh publish >/dev/null
dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
generate=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench
"$generate" --write-traffic "$work/mix.pcap" "$packets"
"$generate" --write-plain-traffic "$work/plain.pcap" $((packets / 10))
cat "$work/mix.pcap" "$work/plain.pcap" >/dev/null   # warm the page cache

# name|goal (ours / peer at most)|our command|the peer's command; the read + filter job also gives the peak memory row.
jobs=(
  "read + filter \`tcp port 80\`, \`-w /dev/null\`|0.67|artifacts/wirecap -r $work/mix.pcap -w /dev/null tcp port 80|tcpdump -r $work/mix.pcap -w /dev/null tcp port 80"
  "NCAP conversion \`-w x.ncap\`|0.5|artifacts/wirecap -r $work/plain.pcap -w $work/ours.ncap|ncaptool -p $work/plain.pcap -o $work/theirs.ncap"
  "printing \`-n -r\` to /dev/null|0.67|artifacts/wirecap -n -r $work/plain.pcap|tcpdump -n -r $work/plain.pcap"
  "start-up: copy the shipped sample|3|artifacts/wirecap -r samples/sample.pcapng -w /dev/null|tcpdump -r samples/sample.pcapng -w /dev/null"
)

# One run: "cpu_seconds maxrss_kib". The command's words split on purpose (globbing is off).
measure() {
  /usr/bin/time -f '%U %S %M' -o "$work/time" $1 >/dev/null 2>&1 || true
  awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$work/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "$packets packets of the mix ($(stat -c %s "$work/mix.pcap") bytes), $((packets / 10)) plain ($(stat -c %s "$work/plain.pcap") bytes); $runs runs each, interleaved; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
echo
echo "| job | ours cpu s | peer cpu s | ours / peer | goal | | command (ours; peer) |"
echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
for job in "${jobs[@]}"; do
  IFS='|' read -r name goal ours theirs <<<"$job"
  our_cpu=""; their_cpu=""; our_rss=""; their_rss=""
  measure "$ours" >/dev/null; measure "$theirs" >/dev/null   # warm-up, not counted
  for _ in $(seq "$runs"); do
    read -r c m <<<"$(measure "$ours")"; our_cpu+="$c"$'\n'; our_rss+="$m"$'\n'
    read -r c m <<<"$(measure "$theirs")"; their_cpu+="$c"$'\n'; their_rss+="$m"$'\n'
  done
  a=$(median <<<"$our_cpu"); b=$(median <<<"$their_cpu")
  row() {   # name ours peer goal unit command
    awk -v n="$1" -v a="$2" -v b="$3" -v g="$4" -v u="$5" -v c="$6" 'BEGIN {
      r = (b > 0 ? sprintf("%.2f×", a / b) : "–"); ok = (b > 0 && a / b <= g) ? "met" : "**missed**"
      if (b == 0 && a == 0) ok = "met (both below the 10 ms clock)"
      printf "| %s | %s%s | %s%s | %s | ≤ %s× | %s | `%s` |\n", n, a, u, b, u, r, g, ok, c }'
  }
  short="${ours#artifacts/}; ${theirs%% *} …"
  row "$name" "$a" "$b" "$goal" "" "${short//$work\//}"
  if [[ $name == read* ]]; then
    row "peak memory, the same job" "$(awk '{ printf "%.1f", $1 / 1024 }' <<<"$(median <<<"$our_rss")")" \
      "$(awk '{ printf "%.1f", $1 / 1024 }' <<<"$(median <<<"$their_rss")")" 2 " MiB" "maximum resident set, /usr/bin/time %M"
  fi
done
