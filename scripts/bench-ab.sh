#!/usr/bin/env bash
# Index server jars side by side on the same searches: what a lever worth a few percent needs.
#
#   scripts/bench.sh search-ab A.jar B.jar [flags of the bench jar's search-ab, e.g. --rounds 8]
#
# Starts one index server a jar (its own process, port and data folder, no rate limit, peers kept
# for a day without heartbeats), fills each with the same --entries of ../shared/corpus (default
# 1,000,000) through the bench's publish-search (one measured round, no searches to speak of),
# waits until each is quiet, then runs the bench's search-ab: the same warm-up, then batches of the
# same searches that alternate between the servers, and each server's CPU a search (/proc). Servers
# measured in one run share the machine's drift, which moves separate runs of one jar by 30%.
# The report goes to the terminal and to bench/results/<UTC timestamp>-search-ab.txt. Environment:
# SWARMDEX_BENCH_JAR, SWARMDEX_SERVER_JVM (default "-Xmx2g -XX:+UseG1GC"), SWARMDEX_BENCH_JVM
# (default "-Xmx3g"); builds the bench jar unless SWARMDEX_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/bench.sh search-ab A.jar B.jar [--rounds 8] [--batch 10000] [--clients 16] ..."
}
jars=()
while [[ $# -gt 0 && "$1" == *.jar ]]; do
  jars+=("$1")
  shift
done
if [[ ${#jars[@]} -lt 1 ]]; then
  usage >&2
  exit 2
fi
entries=1000000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == --entries ]]; then
    entries=${args[$((i + 1))]}
  fi
done
corpus=../shared/corpus/debian-paths-2m.tsv.gz
if [[ ! -r "$corpus" ]]; then
  echo "search-ab: skipped: the corpus $corpus is absent"
  exit 0
fi
bench_jar=${SWARMDEX_BENCH_JAR:-bench/target/swarmdex-bench.jar}
read -r -a server_jvm <<<"${SWARMDEX_SERVER_JVM:--Xmx2g -XX:+UseG1GC}"
read -r -a bench_jvm <<<"${SWARMDEX_BENCH_JVM:--Xmx3g}"
if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi
# shellcheck source=scripts/bench-results.sh
. scripts/bench-results.sh
results_begin search-ab "scripts/bench.sh search-ab ${jars[*]} $*"

work=$(mktemp -d "${TMPDIR:-/tmp}/swarmdex-ab.XXXXXX")
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop_servers EXIT

servers=""
for i in "${!jars[@]}"; do
  port=
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      port=$candidate
      break
    fi
  done
  [[ -n "$port" ]] || { echo "no free port found" >&2; exit 1; }
  data="$work/data-$i"
  java "${server_jvm[@]}" -jar "${jars[$i]}" --bind 127.0.0.1 --port "$port" --data "$data" \
    --rate-limit 0 --max-peers-per-ip 0 --timeout 86400 >"$work/server-$i.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  echo "Filling server $((i + 1)) (${jars[$i]}, pid $pid, port $port) with $entries entries ..."
  java "${bench_jvm[@]}" -jar "$bench_jar" publish-search --entries "$entries" --clients 1 \
    --searches 100 --jit-warmup 0 --publish-warmup 0 --publish-rounds 1 --in-process false \
    --server "http://127.0.0.1:$port" --server-pid "$pid" --server-data "$data" \
    >"$work/fill-$i.log" 2>&1 || { tail -20 "$work/fill-$i.log" >&2; exit 1; }
  servers="${servers:+$servers,}http://127.0.0.1:$port=$pid"
done

report="$work/report.md"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`scripts/bench.sh search-ab ${jars[*]} $*\`"
  echo
  for i in "${!jars[@]}"; do
    echo "- server $((i + 1)): \`${jars[$i]}\` (\`java ${server_jvm[*]}\`), filled with $entries entries"
  done
  echo "- Machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} >"$report"
java "${bench_jvm[@]}" -jar "$bench_jar" search-ab --servers "$servers" "$@" | tee -a "$report"
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$report"
results_write "$report"
