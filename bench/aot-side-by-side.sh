#!/usr/bin/env bash
# The command line as users run it: the NativeAOT binary (filters interpreted), the JIT build (filters
# compiled to IL) and the C tool for the job (tcpdump, or ncaptool for NCAP), interleaved round by round.
#   bench/aot-side-by-side.sh [PACKETS] [ROUNDS]     (defaults 1000000 and 7)
# Each job runs once per round for each tool, in turn; the table gives each tool's median wall time, CPU
# time (user + system, the kernel's accounting of the finished process) and peak RSS, and the ratio of the
# medians to the C tool's. CPU time is the figure to trust on a loaded machine.
set -euo pipefail -f
cd "$(dirname "$0")/.."
packets=${1:-1000000}; rounds=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x artifacts/wirecap ] || ./build.sh publish >/dev/null
dotnet build src/Wirecap.Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
jit=src/Wirecap.Cli/bin/Release/net10.0/Wirecap.Cli
bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench --write-traffic "$work/big.pcap" "$packets"   # IPv4/IPv6 TCP, UDP, ICMP, ARP, other
cat "$work/big.pcap" >/dev/null   # warm the page cache

mixed='(tcp or udp) and (port 53 or port 123 or port 443 or port 8443) and not src host 10.1.2.3 and greater 60 and less 1400'
# name|our arguments|the C tool's whole command
jobs=(
  "copy-sample|-r samples/sample.pcapng -w /dev/null|tcpdump -r samples/sample.pcapng -w /dev/null"
  "filter-tcp-80|-r $work/big.pcap -w /dev/null tcp port 80|tcpdump -r $work/big.pcap -w /dev/null tcp port 80"
  "filter-mixed|-r $work/big.pcap -w /dev/null $mixed|tcpdump -r $work/big.pcap -w /dev/null $mixed"
  "print|-n -r $work/big.pcap|tcpdump -n -r $work/big.pcap"
  "to-ncap|-r $work/big.pcap -w $work/ours.ncap|ncaptool -p $work/big.pcap -o $work/theirs.ncap"
)
tools=(aot jit peer)

# one run of a job by a tool: "wall user sys maxrss_kib"
measure() {
  local tool=$1 job=$2
  local rest=${job#*|}
  local cmd args
  case $tool in
    aot) cmd=artifacts/wirecap; args=${rest%%|*} ;;
    jit) cmd=$jit; args=${rest%%|*} ;;
    peer) cmd=""; args=${rest#*|} ;;
  esac
  # $args splits into words on purpose (globbing is off): each tool joins them into one expression
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" $cmd $args >/dev/null 2>&1 || true
  cat "$work/time"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A wall cpu rss
for job in "${jobs[@]}"; do
  name=${job%%|*}
  for _ in $(seq "$rounds"); do
    for tool in "${tools[@]}"; do
      read -r w u s m <<<"$(measure "$tool" "$job")"
      echo "$name $tool wall $w user $u sys $s rss_kib $m" >>"${RUNS_LOG:-/dev/null}"   # every run, should the table fail
      wall[$name,$tool]+="$w "$'\n'
      cpu[$name,$tool]+="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"$'\n'
      rss[$name,$tool]+="$m"$'\n'
    done
  done
done

echo "$packets generated packets ($(stat -c %s "$work/big.pcap") bytes), $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
printf '%-14s %-8s %9s %9s %10s %10s %10s\n' job tool "wall s" "cpu s" "peak MiB" "cpu/peer" "wall/peer"
for job in "${jobs[@]}"; do
  name=${job%%|*}
  base_cpu=$(median <<<"${cpu[$name,peer]}")
  base_wall=$(median <<<"${wall[$name,peer]}")
  peer=${job##*|}; peer=${peer%% *}
  for tool in "${tools[@]}"; do
    label=$tool; [ "$tool" = peer ] && label=$peer
    w=$(median <<<"${wall[$name,$tool]}"); c=$(median <<<"${cpu[$name,$tool]}"); m=$(median <<<"${rss[$name,$tool]}")
    awk -v j="$name" -v t="$label" -v w="$w" -v c="$c" -v m="$m" -v bc="$base_cpu" -v bw="$base_wall" 'BEGIN {
      printf "%-14s %-8s %9.3f %9.3f %10.1f %9.2fx %9.2fx\n", j, t, w, c, m / 1024, (bc > 0 ? c / bc : 0), (bw > 0 ? w / bw : 0) }'
  done
done
