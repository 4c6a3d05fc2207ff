#!/usr/bin/env bash
# The same in-process job through Wirecap and through SharpPcap 6.3.1 (libpcap's pcap_offline_read and
# bpf_filter underneath): read a capture by path, keep what a filter keeps, count it. Thread CPU, passes
# alternating between the two in one process (bench/SharpPcapCompare), median per pass; prints a markdown table.
#   bench/sharppcap-side-by-side.sh [PACKETS] [PASSES]
# Traffic comes from Wirecap.Bench --write-traffic (the BPF benchmark's mix of TCP, UDP, DNS, ICMP, ARP, IPv6).
# DOTNET_TieredCompilation etc. are left at their defaults: this is what a library user gets.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-1000000}; passes=${2:-9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
dotnet build bench/SharpPcapCompare -c Release -v quiet -nologo >/dev/null
dotnet bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench.dll --write-traffic "$work/traffic.pcap" "$packets"
cat "$work/traffic.pcap" >/dev/null
echo "file: $packets packets, $(stat -c %s "$work/traffic.pcap") bytes; $passes passes each; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| filter | kept | Wirecap ms/pass | SharpPcap ms/pass | Wirecap / SharpPcap |"
echo "| --- | ---: | ---: | ---: | ---: |"
for expression in "tcp port 80" "udp and dst port 53" "ip6" "icmp or arp" "tcp[tcpflags] & tcp-syn != 0"; do
  line=$(dotnet bench/SharpPcapCompare/bin/Release/net10.0/SharpPcapCompare.dll "$work/traffic.pcap" "$passes" "$expression")
  read -r _ ours _ _ theirs _ _ ratio _ kept <<<"$line"
  echo "| \`$expression\` | $kept | $ours | $theirs | $ratio |"
done
