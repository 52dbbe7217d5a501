#!/usr/bin/env bash
# Runs a Swarmdex benchmark against a real index server and appends its figures to BENCHMARKS.md.
#
#   scripts/bench.sh publish-search [flags of the bench jar, e.g. --entries 100000 --peers 1000]
#   scripts/bench.sh flood [--nodes 10000 --degrees 3,4,6 --ttls 1,2,3,4,5,6,7 --queries 200]
#
# flood needs no server: it simulates query floods through a mesh in the bench's JVM.
#
# Builds the jars (unless SWARMDEX_SKIP_BUILD=1), starts the index server as its own process on
# 127.0.0.1 with a free port, a fresh data folder and no rate limit, runs the bench jar as another
# process, records the server's heap and the on-disk size of its catalog, and stops the server.
#
# Environment: SWARMDEX_SKIP_BUILD=1 (use the jars already built), SWARMDEX_SERVER_JVM (JVM flags
# of the server, default "-Xmx2g -XX:+UseG1GC"), SWARMDEX_BENCH_JVM (JVM flags of the bench,
# default "-Xmx2g"), SWARMDEX_BENCH_OUT (the Markdown file, default BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 || ( "$1" != publish-search && "$1" != flood ) ]]; then
  echo "usage: scripts/bench.sh publish-search [--entries N] [--peers P] [--clients C,C] ..." >&2
  echo "       scripts/bench.sh flood [--nodes N] [--degrees D,D] [--ttls T,T] [--queries Q] ..." >&2
  exit 2
fi
command_line="scripts/bench.sh $*"
index_jar=index-server/target/swarmdex-index-server.jar
bench_jar=bench/target/swarmdex-bench.jar
out=${SWARMDEX_BENCH_OUT:-BENCHMARKS.md}
read -r -a server_jvm <<<"${SWARMDEX_SERVER_JVM:--Xmx2g -XX:+UseG1GC}"
read -r -a bench_jvm <<<"${SWARMDEX_BENCH_JVM:--Xmx2g}"

if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

machine_line() {
  local cpu memory java_version
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  memory=$(free -g | awk '/^Mem:/ {print $2}')
  java_version=$(java -version 2>&1 | head -1)
  echo "- Machine: $(nproc) cores ($cpu), ${memory} GiB memory; $java_version;" \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

if [[ "$1" == flood ]]; then
  section=$(mktemp "${TMPDIR:-/tmp}/swarmdex-flood.XXXXXX")
  trap 'rm -f "$section"' EXIT
  bench_cmd=(java "${bench_jvm[@]}" -jar "$bench_jar" "$@" --markdown "$section")
  echo "Bench:  ${bench_cmd[*]}"
  start=$(date +%s)
  "${bench_cmd[@]}"
  elapsed=$(($(date +%s) - start))
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
    echo
    echo "- Command: \`${command_line}\`, which ran"
    echo "  - bench: \`${bench_cmd[*]}\` (no server: one JVM, one thread)"
    echo "- Bench JVM flags: \`${bench_jvm[*]}\`; wall time ${elapsed} s"
    machine_line
    echo
    cat "$section"
  } >>"$out"
  echo "Appended the figures to $out"
  exit 0
fi

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/swarmdex-bench.XXXXXX")
server_pid=
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
server="http://127.0.0.1:$port"
server_cmd=(java "${server_jvm[@]}" -jar "$index_jar" --bind 127.0.0.1 --port "$port"
  --data "$work/data" --rate-limit 0 --max-peers-per-ip 0)
echo "Server: ${server_cmd[*]}"
"${server_cmd[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -fs "$server/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
if ! curl -fs "$server/health" >/dev/null 2>&1; then
  echo "the index server did not start:" >&2
  tail -20 "$work/server.log" >&2
  exit 1
fi

bench_cmd=(java "${bench_jvm[@]}" -jar "$bench_jar" "$@" --server "$server"
  --markdown "$work/section.md")
echo "Bench:  ${bench_cmd[*]}"
"${bench_cmd[@]}"

if [[ ! -s "$work/section.md" ]]; then
  echo "No figures (the bench skipped its run); $out is unchanged."
  exit 0
fi

# The server's heap after the run: as it stands, then after a full GC (what the index keeps).
heap_now=$(jcmd "$server_pid" GC.heap_info 2>/dev/null | grep -m1 -E 'garbage-first heap|total' | sed -e 's/^ *//' -e 's/ *\[.*//' || true)
jcmd "$server_pid" GC.run >/dev/null 2>&1 || true
heap_live=$(jcmd "$server_pid" GC.heap_info 2>/dev/null | grep -m1 -E 'garbage-first heap|total' | sed -e 's/^ *//' -e 's/ *\[.*//' || true)
catalog_bytes=$(du -sb "$work/data/catalog" | cut -f1)
db_bytes=$(du -sb "$work/data/db" 2>/dev/null | cut -f1 || echo 0)
server_errors=$(grep -c -E ' (WARN|ERROR) ' "$work/server.log" || true)
stop_server

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
memory=$(free -g | awk '/^Mem:/ {print $2}')
java_version=$(java -version 2>&1 | head -1)
{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
  echo
  echo "- Command: \`${command_line}\`, which ran"
  echo "  - server: \`${server_cmd[*]}\`"
  echo "  - bench: \`${bench_cmd[*]}\`"
  echo "- Server JVM flags: \`${server_jvm[*]}\`; bench JVM flags: \`${bench_jvm[*]}\`"
  echo "- Machine: $(nproc) cores ($cpu), ${memory} GiB memory; $java_version;" \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- Server and bench run on the same machine and share its cores."
  echo
  cat "$work/section.md"
  echo
  echo "| server after the run | figure |"
  echo "|---|---|"
  echo "| heap (jcmd GC.heap_info) | ${heap_now:-n/a} |"
  echo "| heap after a full GC | ${heap_live:-n/a} |"
  echo "| catalog on disk (du -sb DIR/catalog) | $(numfmt --to=iec-i --suffix=B "$catalog_bytes") ($catalog_bytes bytes) |"
  echo "| database on disk (du -sb DIR/db) | $(numfmt --to=iec-i --suffix=B "$db_bytes") |"
  echo "| WARN/ERROR lines in the server log | $server_errors |"
} >>"$out"
echo "Appended the figures to $out"
