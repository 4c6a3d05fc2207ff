#!/usr/bin/env bash
# One entry point for building, testing, benchmarking and running the sample job.
#   ./build.sh test     install what the tests need, build, run every test, print "N passed, N failed, N skipped"
#   ./build.sh demo     read the sample capture the repo ships, tcpdump-style
#   ./build.sh build    build everything (Release)
#   ./build.sh bench    run the side-by-side benchmarks (see bench/README.md); ./build.sh bench goals: issue 13's table;
#                       ./build.sh bench nats: JetStream vs a file
#   ./build.sh publish  the command line as a self-contained NativeAOT binary: artifacts/wirecap
#   ./build.sh pack     the NuGet packages into artifacts/packages (library, symbols, the tool: NativeAOT for
#                       linux-x64 and linux-arm64, cross-compiled on x64, and the framework-dependent fallback)
#   ./build.sh api      record public API changes in each package's PublicAPI.Unshipped.txt (RS0016/RS0017 fixes)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

debian_packages=(tcpdump tshark wireshark-common libpcap-dev gcc ncaptool iproute2 procps libcap2-bin bpftool nats-server)

# What NativeAOT needs to link the linux-arm64 tool on an x64 machine (src/Wirecap.Cli/NativeAotCrossCompile.props):
# clang (the link passes --target=aarch64-linux-gnu, which gcc rejects), the aarch64 binutils and libgcc that
# gcc-aarch64-linux-gnu brings, the aarch64 C library (libc6-dev-arm64-cross, only recommended by the compiler, so
# named), and qemu-user, whose qemu-aarch64 runs the result in the tests. Installed only where the arm64 RID is packed.
cross_arm64_packages=(clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)

apt_install_missing() {
  # $1 says what goes without them; the rest are Debian packages, installed only when missing (needs root; CI runs as root).
  local without=$1 missing=()
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "warning: cannot install ${missing[*]} (not root or no apt-get); $without" >&2
    return 0
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # wireshark-common asks whether to install dumpcap setuid; no
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections || true
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

install_peers() {
  # Peers used as oracles.
  apt_install_missing "tests needing them are skipped" "${debian_packages[@]}"
}

install_cross_arm64() {
  # Only an x64 machine cross-compiles the arm64 tool; an arm64 machine builds it natively.
  [ "$(host_rid)" = linux-x64 ] || return 0
  apt_install_missing "the linux-arm64 tool package cannot be linked here" "${cross_arm64_packages[@]}"
}

build_native_shims() {
  # Small C programs over Debian's libpcap, used as oracles by the tests and benchmarks.
  mkdir -p native-shims/bin
  for src in native-shims/*.c; do
    [ -e "$src" ] || continue
    local out="native-shims/bin/$(basename "${src%.c}")"
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
      gcc -O2 -Wall -Werror -o "$out" "$src" -lpcap
    fi
  done
}

build() {
  dotnet restore Capture.sln
  dotnet build Capture.sln -c Release --no-restore
}

host_rid() {
  case "$(uname -m)" in
    x86_64) echo linux-x64 ;;
    aarch64) echo linux-arm64 ;;
    *) echo "unsupported machine $(uname -m): NativeAOT builds linux-x64 and linux-arm64" >&2; return 1 ;;
  esac
}

publish_native() {
  # NativeAOT links with clang, or gcc where clang is missing (install_peers brings gcc).
  install_peers
  local rid
  rid=$(host_rid)
  dotnet publish src/Wirecap.Cli -c Release -r "$rid" -p:PublishAot=true -o "artifacts/publish/$rid" "$@"
  cp "artifacts/publish/$rid/Wirecap.Cli" artifacts/wirecap
  cp "artifacts/publish/$rid/Wirecap.Cli.dbg" artifacts/wirecap.dbg
  echo "artifacts/wirecap: $(artifacts/wirecap --version | tr '\n' ' ')"
}

native_tool_rids() {
  # The RIDs whose NativeAOT tool this machine builds: its own, and linux-arm64 cross-compiled from linux-x64.
  local rid
  rid=$(host_rid)
  if [ "$rid" = linux-x64 ]; then echo "linux-x64;linux-arm64"; else echo "$rid"; fi
}

pack_packages() {
  # The tool is packed as a pointer package naming every RID, a NativeAOT package for each RID this machine builds
  # (native_tool_rids) and a framework-dependent 'any' package for every other platform. TOOL_RIDS replaces the RIDs
  # the pointer names ("linux-x64;linux-arm64" on an arm64 machine, whose linux-x64 package an x64 machine packs).
  install_peers
  local out=artifacts/packages built rids r
  built=$(native_tool_rids)
  rids="${TOOL_RIDS:-$built};any"
  install_cross_arm64
  rm -rf "$out"
  dotnet pack src/Wirecap -c Release -o "$out" "$@"
  dotnet pack src/Wirecap.Cli -c Release -o "$out" "-p:ToolPackageRuntimeIdentifiers=\"$rids\"" "$@"
  for r in ${built//;/ } any; do
    dotnet pack src/Wirecap.Cli -c Release -o "$out" -r "$r" "-p:ToolPackageRuntimeIdentifiers=\"$rids\"" "$@"
  done
  ls -l "$out"
}

run_tests() {
  install_peers
  install_cross_arm64 # the packaging tests pack and run the linux-arm64 tool
  build_native_shims
  build
  local results=TestResults
  rm -rf "$results"
  set +e
  dotnet test tests/Wirecap.Tests/Wirecap.Tests.csproj -c Release --no-build \
    --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@"
  local rc=$?
  set -e
  summarize "$results/tests.trx"
  return $rc
}

summarize() {
  local trx=$1
  if [ ! -f "$trx" ]; then echo "0 passed, 1 failed, 0 skipped (no test results: the run did not complete)"; return; fi
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  local passed failed total executed
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  local errors
  errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  local skipped=$(( total - executed ))
  echo "${passed:-0} passed, $(( ${failed:-0} + ${errors:-0} )) failed, ${skipped} skipped"
}

case "${1:-test}" in
  test) shift || true; run_tests "$@" ;;
  build) build ;;
  demo) shift || true; dotnet run --project src/Wirecap.Cli -c Release -- -n -r samples/sample.pcapng "$@" ;;
  bench) shift || true; install_peers; build_native_shims
    # ./build.sh bench nats [ARGS]: JetStream against a local pcapng (bench/nats-vs-file.sh); else reading files.
    if [ "${1:-}" = nats ]; then shift; bash bench/nats-vs-file.sh "$@"; else bash bench/side-by-side.sh "$@"; fi ;;
  publish) shift || true; publish_native "$@" ;;
  pack) shift || true; pack_packages "$@" ;;
  api) for p in src/*/*.csproj; do [ -f "$(dirname "$p")/PublicAPI.Unshipped.txt" ] && dotnet format analyzers "$p" --diagnostics RS0016 RS0017 --severity warn; done ;;
  *) echo "usage: $0 [test|demo|build|bench|api]" >&2; exit 2 ;;
esac
