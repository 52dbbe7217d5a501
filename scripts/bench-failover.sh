#!/usr/bin/env bash
# Failover time: how long after a supernode dies its leaves' files are searchable again.
#
#   scripts/bench.sh failover [--rounds 5]
#
# Each round starts a fresh KaZaA-mode network with scripts/start-network.sh (the real jars on the
# embedded defaults: an index server, 2 supernodes on 127.0.0.11-12, 3 peer agents on
# 127.0.0.2-4, in a temporary folder on port 18080), waits until every peer has published, and
# runs the probe (bench/ FailoverProbe, its own process): it notes every (file, source) pair the
# index server's searches find, kills the supernode with the most leaves with SIGKILL, and searches
# every 200 ms until each pair of that supernode's leaves is found again (the leaf noticed at its
# next heartbeat, moved to a backup supernode and republished). The report goes to the terminal and
# to bench/results/<UTC timestamp>-failover.txt (scripts/bench-results.sh; SWARMDEX_RESULTS_DIR,
# SWARMDEX_BENCH_OUT). Needs curl; builds the jars unless SWARMDEX_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    -h | --help) echo "usage: scripts/bench.sh failover [--rounds N]"; exit 0 ;;
    *) echo "usage: scripts/bench.sh failover [--rounds N]" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/bench-results.sh
. scripts/bench-results.sh
port=18080
words=feeling,miles,debian,holiday,netinst,libreoffice,cafe,beethoven,xmlparser,kernel

if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi
results_begin failover "scripts/bench.sh failover --rounds $rounds"
if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
  echo "something already answers on 127.0.0.1:$port; stop it first" >&2
  exit 1
fi

work=$(mktemp -d /tmp/swarmdex-failover.XXXXXX)
network_pid=
stop_network() {
  if [[ -n "$network_pid" ]]; then
    kill -TERM "$network_pid" 2>/dev/null || true
    wait "$network_pid" 2>/dev/null || true
    network_pid=
  fi
}
trap 'stop_network; rm -rf "$work"' EXIT

lines=()
for round in $(seq 1 "$rounds"); do
  run="$work/run-$round"
  SWARMDEX_RUN="$run" SWARMDEX_PORT=$port SWARMDEX_SKIP_BUILD=1 SWARMDEX_SUPERNODES=2 \
    bash scripts/start-network.sh >"$work/network-$round.log" 2>&1 &
  network_pid=$!
  for _ in $(seq 1 300); do
    grep -qs 'is running' "$work/network-$round.log" && break
    sleep 0.2
  done
  grep -q 'is running' "$work/network-$round.log" ||
    { cat "$work/network-$round.log"; echo "round $round: the network did not start" >&2; exit 1; }
  line=$(java -cp bench/target/swarmdex-bench.jar dev.swarmdex.bench.FailoverProbe \
    "http://127.0.0.1:$port" "$(cat "$run/admin-password")" "$words" 60)
  echo "round $round: $line"
  lines+=("$line")
  stop_network
done

# leaves, pairs, first, median, all back, note
summary=$(printf '%s\n' "${lines[@]}" | awk -F'\t' '
  { n++; leaves += $1; pairs += $2; if ($5 == "-") late++; else { all[n] = $5; if ($5 > max) max = $5 } }
  END { printf "%d rounds, %d leaves moved, %d (file, source) pairs lost; slowest round all back after %.1f s; rounds not all back within 60 s: %d", n, leaves, pairs, max, late + 0 }')
echo "$summary"

{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`scripts/bench.sh failover --rounds $rounds\`"
  echo
  echo "- Command: \`scripts/bench.sh failover --rounds $rounds\`: per round a fresh \`SWARMDEX_SUPERNODES=2 scripts/start-network.sh\` (index server, 2 supernodes, 3 peer agents; embedded defaults: leaves beat their supernode every 5 s), the supernode with the most leaves killed with SIGKILL, searches through the index server every 200 ms (probe: \`FailoverProbe\`, its own JVM)"
  echo "- Corpus: the start script's 11 sample files; searched words: $words"
  echo "- Machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Vendor ID: *//p' | head -1)), $(free -g | awk '/^Mem:/{print $2}') GiB memory; $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD)"
  echo
  echo "| round | leaves moved | (file, source) pairs lost | first back s | median back s | all back s |"
  echo "|---:|---:|---:|---:|---:|---:|"
  i=0
  for line in "${lines[@]}"; do
    i=$((i + 1))
    IFS=$'\t' read -r leaves pairs first median all note <<<"$line"
    echo "| $i | $leaves | $pairs | $first | $median | $all${note:+ ($note)} |"
  done
  echo
  echo "Summary: $summary."
} >"$work/report.md"
echo
results_write "$work/report.md"
