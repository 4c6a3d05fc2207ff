#!/usr/bin/env bash
# Compile cost of a long or-chain of ports ("port 0 or port 1 or ..."): `wirecap -d -F FILE` against `tcpdump -d -F FILE`
# in the same run, paired and interleaved, CPU time (user + system) of each whole process, so start-up is included.
#   bench/filter-compile-side-by-side.sh [CLI] [TERMS...]     (defaults: the Release build, 250 and 1000 terms; 3 pairs each)
# CLI is Wirecap.Cli.dll (run by dotnet, so start-up includes the JIT) or the NativeAOT binary (./build.sh publish: artifacts/wirecap).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-src/Wirecap.Cli/bin/Release/net10.0/Wirecap.Cli.dll}
shift || true
terms=("${@:-250 1000}")
pairs=${PAIRS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run=(dotnet "$cli")
[[ "$cli" == *.dll ]] || run=("$cli")
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.2f", $1 + $2 }'; }
printf "%-6s %-5s %12s %12s %8s %8s\n" terms pair "tcpdump s" "wirecap s" ratio "insns"
for n in ${terms[@]}; do
  python3 -c "print(' or '.join(f'port {i % 65536}' for i in range($n)))" > "$dir/chain$n"
  for ((p = 1; p <= pairs; p++)); do
    theirs=$(cpu tcpdump -d -F "$dir/chain$n")
    ours=$(cpu "${run[@]}" -d -F "$dir/chain$n")
    insns=$("${run[@]}" -d -F "$dir/chain$n" | wc -l)
    printf "%-6s %-5s %12s %12s %7.1fx %8s\n" "$n" "$p" "$theirs" "$ours" "$(echo "$theirs / $ours" | bc -l)" "$insns"
  done
done
