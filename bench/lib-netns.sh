# Sourced by the live benchmarks (bench/live-side-by-side.sh, bench/tc-side-by-side.sh): the throw-away network
# namespace they flood, the C shims they run, and how they time and start a capturer. Needs root.
#   build_shims NAME...           native-shims/NAME.c into native-shims/bin/NAME when the binary is older than its source
#   netns_setup PREFIX            namespace PREFIX$$ ($NS) with the veth pair fa <-> fb up and IPv6 off (no router
#                                 solicitations in the flood); netns_cleanup removes it (the caller's EXIT trap)
#   in_ns COMMAND...              runs COMMAND in the namespace
#   cpu_ns PID                    CPU time of all the process's threads, ns (schedstat: exact, unlike /proc/PID/stat's ticks)
#   start_capturer OUT ERR CMD... starts CMD in the namespace (stdout to OUT, stderr to ERR), waits up to 20 s for its
#                                 "listening on" and sets CAPTURER_PID; a capturer that does not start ends the script
#   flood_round PACKETS PPS [CMD...] floods fa with PACKETS 64-byte frames paced to PPS (0: unpaced) over 100 source
#                                 ports while CMD (if any) captures in the namespace; CMD prints "captured N received R
#                                 dropped D" when it gets SIGTERM. Sets ROUND_OFFERED (pps), ROUND_SENDER_NS,
#                                 ROUND_CAPTURER_NS (CPU over the flood), ROUND_CAPTURED and ROUND_DROPPED (0 without CMD)

BIN=native-shims/bin

build_shims() {
  mkdir -p "$BIN"
  local shim
  for shim in "$@"; do
    [ "$BIN/$shim" -nt "native-shims/$shim.c" ] || gcc -O2 -Wall -Werror -o "$BIN/$shim" "native-shims/$shim.c" -lpcap
  done
}

netns_setup() {
  NS=$1$$
  ip netns add "$NS"
  in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  in_ns ip link add fa type veth peer name fb
  in_ns ip link set lo up
  in_ns ip link set fa up
  in_ns ip link set fb up
}

netns_cleanup() { ip netns delete "$NS" 2>/dev/null || true; }

in_ns() { ip netns exec "$NS" "$@"; }

cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ sum += $1 } END { printf "%d", sum }'; }

start_capturer() {
  local out=$1 err=$2; shift 2
  ip netns exec "$NS" "$@" >"$out" 2>"$err" &
  CAPTURER_PID=$!
  for _ in $(seq 1 400); do grep -q "listening on" "$err" && return 0; sleep 0.05; done
  echo "$* did not start:" >&2; cat "$err" >&2; exit 1
}

flood_round() {
  local packets=$1 pps=$2 pid="" out err before=0 after=0 flood; shift 2
  ROUND_CAPTURED=0; ROUND_DROPPED=0
  out=$(mktemp); err=$(mktemp)
  if [ $# -gt 0 ]; then
    start_capturer "$out" "$err" "$@"
    pid=$CAPTURER_PID
    sleep 0.5
    before=$(cpu_ns "$pid")
  fi
  flood=$(in_ns "$BIN/live_flood" fa "$packets" 64 "$pps" 100)
  if [ -n "$pid" ]; then
    sleep 0.5
    after=$(cpu_ns "$pid")
    kill -TERM "$pid"; wait "$pid" || true
    ROUND_CAPTURED=$(awk '/^captured/{print $2}' "$out"); ROUND_DROPPED=$(awk '/^captured/{print $6}' "$out")
  fi
  ROUND_OFFERED=$(sed -E 's/.*\(([0-9]+) pps\).*/\1/' <<<"$flood")
  ROUND_SENDER_NS=$(sed -E 's/.*cpu ([0-9]+) ns.*/\1/' <<<"$flood")
  ROUND_CAPTURER_NS=$((after - before))
  rm -f "$out" "$err"
}

# A CPU budget for capturers (bench/live-ceiling-side-by-side.sh with CPU_BUDGET): a cgroup whose CFS quota is
# PERCENT of one core per 100 ms period, so the capturer, not the sender, sets the ceiling.
#   budget_setup NAME             creates the cgroup (cgroup v1 cpu controller, or v2 with cpu enabled); budget_cleanup removes it
#   budget_limit PERCENT PID      sets the quota to PERCENT (integer, at least 1) of a core and moves PID (all its threads) in
budget_setup() {
  if [ -d /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    BUDGET_CG=/sys/fs/cgroup/cpu/$1$$; BUDGET_V=1
  elif [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
    BUDGET_CG=/sys/fs/cgroup/$1$$; BUDGET_V=2
  else
    echo "no cgroup cpu controller here: CPU_BUDGET needs cgroup v1 cpu or v2 with cpu" >&2; exit 1
  fi
  mkdir -p "$BUDGET_CG"
}

budget_limit() {
  local quota=$(( $1 * 1000 ))
  if [ "$BUDGET_V" = 1 ]; then
    echo 100000 >"$BUDGET_CG/cpu.cfs_period_us"; echo "$quota" >"$BUDGET_CG/cpu.cfs_quota_us"
  else
    echo "$quota 100000" >"$BUDGET_CG/cpu.max"
  fi
  echo "$2" >"$BUDGET_CG/cgroup.procs"
}

# The budget's cgroup empties when its capturer exits; rmdir fails only while a process is still in it.
budget_cleanup() { [ -n "${BUDGET_CG:-}" ] && rmdir "$BUDGET_CG" 2>/dev/null || true; }
