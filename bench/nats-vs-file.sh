#!/usr/bin/env bash
# A capture published to one NATS JetStream stream against the same capture written to a local pcapng, whole process,
# interleaved run by run:
#   wirecap -r traffic.pcap --send nats://127.0.0.1:PORT/SUBJECT [--replicas 3]   (every batch acknowledged)
#   wirecap -r traffic.pcap -w out.pcapng
#   wirecap -r traffic.pcap --send tcp:127.0.0.1:PORT [--tls-*]   (to a wirecap --listen tcp collector; TLS with
#                                                                     openssl-made certificates, client certificate required)
# for 100-byte and 1500-byte frames of the benchmarks' traffic mix (Wirecap.Bench --write-traffic PATH COUNT BYTES).
#   bench/nats-vs-file.sh [PACKETS_100B] [PACKETS_1500B] [RUNS]     (defaults 500000, 100000, 5)
#   SINKS="file r1 r3 tcp tls" picks the rows (r1/r3: JetStream with 1 or 3 replicas).
# It starts its own nats-server processes on 127.0.0.1 ports in a temporary directory: one server for the R1 stream,
# a 3-node cluster for the R3 one (ports chosen free; nothing leaves loopback), and stops them at the end.
# Each run's wall time and CPU (user + system, the kernel's accounting of the finished wirecap process) are taken
# with /usr/bin/time; the servers' (or the collector's) CPU over the run comes from /proc/PID/stat. The table gives medians, and the ratios
# to the pcapng file taken run by run (each publish against the file run beside it), then their median.
set -euo pipefail -f
cd "$(dirname "$0")/.."
small=${1:-500000}; large=${2:-100000}; runs=${3:-5}
sinks=(${SINKS:-file r1 r3 tcp tls})
work=$(mktemp -d)
server_pids=() collector_pids=()
cleanup() {
  for pid in "${server_pids[@]}" "${collector_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}" "${collector_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Wirecap.Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/Wirecap.Bench -c Release -v quiet -nologo >/dev/null
cli=src/Wirecap.Cli/bin/Release/net10.0/Wirecap.Cli
server=$(command -v nats-server || echo /usr/sbin/nats-server)
tick=$(getconf CLK_TCK)

free_port() {
  local port
  while :; do
    port=$(shuf -i 20000-60000 -n 1)
    ss -Htan "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# start_server NAME CLIENT_PORT [ROUTE_PORT ROUTES]: one nats-server with JetStream, its store under $work.
start_server() {
  local name=$1 port=$2 route=${3:-} routes=${4:-}
  mkdir -p "$work/$name"
  {
    echo "server_name: $name"
    echo "listen: 127.0.0.1:$port"
    echo "jetstream { store_dir: \"$work/$name\" }"
    [ -z "$route" ] || printf 'cluster { name: bench, listen: 127.0.0.1:%s, routes: [%s] }\n' "$route" "$routes"
  } >"$work/$name.conf"
  "$server" -c "$work/$name.conf" >"$work/$name.log" 2>&1 &
  server_pids+=($!)
}

single=$(free_port)
start_server r1 "$single"
declare -a cport rport
for i in 0 1 2; do cport[$i]=$(free_port); rport[$i]=$(free_port); done
for i in 0 1 2; do
  routes=""
  for j in 0 1 2; do [ "$j" = "$i" ] || routes+="${routes:+, }nats-route://127.0.0.1:${rport[$j]}"; done
  start_server "n$i" "${cport[$i]}" "${rport[$i]}" "$routes"
done
# JetStream is up once a server says so (the cluster once it has a meta leader).
for log in r1 n0 n1 n2; do
  for _ in $(seq 150); do grep -q "Server is ready" "$work/$log.log" && break; sleep 0.2; done
done
for _ in $(seq 150); do cat "$work/n0.log" "$work/n1.log" "$work/n2.log" | grep -q "metadata leader" && break; sleep 0.2; done

# The TCP collectors, plain and TLS, each writing one file per stream into its directory (emptied after each run).
certificate() {  # certificate NAME USAGE: a P-256 key and certificate for 127.0.0.1 from the bench CA
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$1.key" -out "$work/$1.csr" -subj "/CN=$1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=%s\n' "$2" >"$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
    -extfile "$work/$1.ext" -out "$work/$1.crt" 2>/dev/null
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" -out "$work/ca.crt" \
  -subj "/CN=bench CA" -days 1 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
certificate collector serverAuth
certificate sender clientAuth
collector_tls=(--tls-cert "$work/collector.crt" --tls-key "$work/collector.key" --tls-ca "$work/ca.crt")
sender_tls=(--tls-cert "$work/sender.crt" --tls-key "$work/sender.key" --tls-ca "$work/ca.crt")
declare -A collector_port collector_pid
for kind in tcp tls; do
  collector_port[$kind]=$(free_port)
  mkdir -p "$work/in-$kind"
  extra=(); [ "$kind" = tcp ] || extra=("${collector_tls[@]}")
  "$cli" --listen "tcp:127.0.0.1:${collector_port[$kind]}" -w "$work/in-$kind/" "${extra[@]}" 2>"$work/collector-$kind.log" &
  collector_pid[$kind]=$!; collector_pids+=($!)
  for _ in $(seq 150); do grep -q "listening on" "$work/collector-$kind.log" && break; sleep 0.2; done
done

# CPU ticks (user + system) of every process in PIDS (default: the nats servers) so far.
server_ticks() {
  local total=0 pid fields
  for pid in ${1:-${server_pids[@]}}; do
    read -r -a fields < <(sed 's/.*) //' "/proc/$pid/stat")
    total=$(( total + fields[11] + fields[12] ))
  done
  echo "$total"
}

# run NAME ARGS...: one wirecap run; appends "wall cpu server_cpu" to $work/NAME.runs and keeps its standard error.
# For tcp/tls the "server" is the collector, whose CPU is read once it has said the stream is written.
run() {
  local name=$1; shift
  local before after pids="" streams=0
  case $name in tcp|tls) pids=${collector_pid[$name]}; streams=$(grep -c "packets from" "$work/collector-$name.log" || true) ;; esac
  before=$(server_ticks "$pids")
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$cli" "$@" >/dev/null 2>"$work/$name.stderr"
  if [ -n "$pids" ]; then
    for _ in $(seq 300); do [ "$(grep -c "packets from" "$work/collector-$name.log" || true)" -gt "$streams" ] && break; sleep 0.1; done
    tail -n 1 "$work/collector-$name.log" >"$work/$name.stderr"
    rm -f "$work/in-$name"/*
  fi
  after=$(server_ticks "$pids")
  awk -v t="$tick" -v d="$(( after - before ))" '{ printf "%s %.3f %.3f\n", $1, $2 + $3, d / t }' "$work/time" >>"$work/$name.runs"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "$(date -u +%Y-%m-%d) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); nats-server $("$server" --version | awk '{ print $2 }'); $runs runs each, interleaved"
printf '%-6s %-16s %8s %8s %8s %10s %8s %8s %10s %13s\n' frame sink "wall s" "cpu s" "srv cpu" "packets/s" "MB/s" "wall x" "cpu x" "cpu+srv x"
for size in 100 1500; do
  packets=$([ "$size" = 100 ] && echo "$small" || echo "$large")
  input="$work/traffic-$size.pcap"
  bench/Wirecap.Bench/bin/Release/net10.0/Wirecap.Bench --write-traffic "$input" "$packets" "$size"
  cat "$input" >/dev/null   # warm the page cache
  rm -f "$work"/*.runs
  for round in $(seq 0 "$runs"); do   # round 0 warms up (and creates the streams); it is not counted
    for sink in "${sinks[@]}"; do
      case $sink in
        file) run file -r "$input" -w "$work/out.pcapng" ;;
        r1) run r1 -r "$input" --send "nats://127.0.0.1:$single/bench.s$size" ;;
        r3) run r3 -r "$input" --send "nats://127.0.0.1:${cport[0]}/bench.s$size" --replicas 3 ;;
        tcp) run tcp -r "$input" --send "tcp:127.0.0.1:${collector_port[tcp]}" ;;
        tls) run tls -r "$input" --send "tcp:127.0.0.1:${collector_port[tls]}" "${sender_tls[@]}" ;;
      esac
      case $sink in
        r1|r3) pattern="^$packets packets .* acknowledged .*; 0 refused" ;;
        tcp|tls) pattern="^$packets packets from .* written to [^(]*$" ;;
        *) pattern="" ;;
      esac
      if [ -n "$pattern" ] && ! grep -q "$pattern" "$work/$sink.stderr"; then
        echo "$sink did not take every packet:" >&2; cat "$work/$sink.stderr" >&2; exit 1
      fi
      [ "$round" != 0 ] || : >"$work/$sink.runs"
    done
  done
  for sink in "${sinks[@]}"; do
    wall=$(cut -d' ' -f1 "$work/$sink.runs" | median)
    cpu=$(cut -d' ' -f2 "$work/$sink.runs" | median)
    srv=$(cut -d' ' -f3 "$work/$sink.runs" | median)
    # Ratios run by run against the file run of the same round.
    ratio() { paste -d' ' "$work/$sink.runs" "$work/file.runs" | awk -v e="$1" '{ print (e == "wall" ? $1 / $4 : (e == "cpu" ? $2 / $5 : ($2 + $3) / ($5 + $6))) }' | median; }
    awk -v n="$size" -v s="$sink" -v w="$wall" -v c="$cpu" -v v="$srv" -v p="$packets" -v rw="$(ratio wall)" -v rc="$(ratio cpu)" -v rs="$(ratio all)" 'BEGIN {
      printf "%-6s %-16s %8.2f %8.2f %8.2f %10.0f %8.1f %7.2fx %9.2fx %12.2fx\n", n " B",
        (s == "file" ? "pcapng file" : (s == "tcp" ? "TCP collector" : (s == "tls" ? "TLS collector" : "JetStream " toupper(s)))), w, c, v, p / w, p * n / 1e6 / w, rw, rc, rs }'
  done
done
echo "wall x, cpu x: the sender's wall time and CPU against the pcapng run beside it; cpu+srv x adds the nats-server processes' (or the collector's) CPU."
