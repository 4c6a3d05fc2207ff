#!/usr/bin/env bash
# Classic BPF, same run, same programs, same packets: libpcap's C bpf_filter (native-shims/bpf_bench)
# next to Wirecap's interpreter and IL-compiled filter (BenchmarkDotNet, bench/Wirecap.Bench).
# Prints ns per packet, the ratios to libpcap, and bytes allocated per packet.
#   bench/bpf-side-by-side.sh            full BenchmarkDotNet run (~2 minutes)
#   BPF_BENCH_QUICK=1 bench/...          BenchmarkDotNet's short job (less precise, ~40 s)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

programs=tests/Wirecap.Tests/TestData/Bpf/Programs
names=(tcp-port-80 udp-dst-port-53 ip-not-net-10 mixed-40)
work=BenchmarkDotNet.Artifacts/bpf-side-by-side
rm -rf "$work"
mkdir -p "$work" native-shims/bin

gcc -O2 -Wall -Werror -o native-shims/bin/bpf_bench native-shims/bpf_bench.c -lpcap
dotnet build bench/Wirecap.Bench -c Release -v q -nologo >/dev/null
bench=bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll

dotnet "$bench" --write-bpf-mix "$work/mix.pcap"
dotnet "$bench" --bpf-kept-counts >"$work/kept.txt"

args=()
for n in "${names[@]}"; do args+=("$n=$programs/$n.ddd"); done
native-shims/bin/bpf_bench "$work/mix.pcap" "${args[@]}" >"$work/libpcap.txt"

job=()
[ "${BPF_BENCH_QUICK:-}" = 1 ] && job=(--job short)
dotnet "$bench" --filter '*BpfFilterBenchmarks*' --artifacts "$work/bdn" "${job[@]}" >"$work/bdn.log" 2>&1 || {
  tail -n 40 "$work/bdn.log" >&2
  exit 1
}
csv=$(ls "$work"/bdn/results/*BpfFilterBenchmarks-report.csv)

echo "Classic BPF filter, ns per packet (fastest run), $(grep -c . "$work/kept.txt") programs over $(capinfos -c -M "$work/mix.pcap" 2>/dev/null | awk '/Number of packets/ {print $NF}') packets"
echo "$(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(dotnet --version)"
awk -F, -v libpcap="$work/libpcap.txt" -v kept="$work/kept.txt" '
  function clean(s) { gsub(/"/, "", s); return s }
  BEGIN {
    while ((getline line < libpcap) > 0) { split(line, f, " "); c[f[1]] = f[2]; ckept[f[1]] = f[3] }
    while ((getline line < kept) > 0) { split(line, f, " "); ikept[f[1]] = f[2]; jkept[f[1]] = f[3] }
  }
  NR == 1 { for (i = 1; i <= NF; i++) col[clean($i)] = i; next }
  {
    p = clean($col["Program"]); e = clean($col["Engine"])
    ns[p, e] = clean($col["Min [ns]"]); alloc[p, e] = clean($col["Allocated [B]"])
    if (alloc[p, e] == "-") alloc[p, e] = 0
    seen[p] = 1
  }
  END {
    printf "%-16s %9s %9s %9s %13s %11s %11s %6s\n", "program", "libpcap", "interp", "jit", "interp/libpcap", "jit/libpcap", "alloc B/pkt", "kept"
    n = split("tcp-port-80 udp-dst-port-53 ip-not-net-10 mixed-40", order, " ")
    for (k = 1; k <= n; k++) {
      p = order[k]
      if (!(p in seen)) continue
      same = (ckept[p] == ikept[p] && ckept[p] == jkept[p]) ? "" : " (kept counts differ: libpcap " ckept[p] ", interp " ikept[p] ", jit " jkept[p] ")"
      printf "%-16s %9.2f %9.2f %9.2f %13.2fx %10.2fx %5s/%-5s %6s%s\n", p, c[p], ns[p, "interpreter"], ns[p, "compiled"],
        ns[p, "interpreter"] / c[p], ns[p, "compiled"] / c[p], alloc[p, "interpreter"], alloc[p, "compiled"], ckept[p], same
    }
  }' "$csv"
echo "(alloc: interpreter/jit bytes per packet; kept: packets of the mix the filter keeps, equal for all three engines)"
