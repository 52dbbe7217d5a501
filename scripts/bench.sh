#!/usr/bin/env bash
# Runs a Swarmdex benchmark against a real index server and writes its report to the terminal and to
# bench/results/<UTC timestamp>-<benchmark>.txt (with a header: date, commit, load average, java
# -version, nproc; scripts/bench-results.sh). BENCHMARKS.md quotes the figures; it is not appended to.
#
#   scripts/bench.sh publish-search [flags of the bench jar, e.g. --entries 100000 --clients 1,16,256]
#   scripts/bench.sh flood [--nodes 10000 --degrees 3,4,6 --ttls 1,2,3,4,5,6,7 --queries 200]
#   SWARMDEX_BENCH_JVM=-Xmx12g scripts/bench.sh route [--directories 10000 --leaves 100 --queries 200]
#   scripts/bench.sh transfer [--size-mib 1024] [--rounds 3]
#   scripts/bench.sh swarm [--rate-mib 20] [--size-mib 256] [--rounds 3]
#   scripts/bench.sh failover [--rounds 5]   (scripts/bench-failover.sh: whole networks of the real jars)
#   scripts/bench.sh churn [--agents 50 --seconds 300 --kill-every-ms 5000 --search-every-ms 200]
#   scripts/bench.sh search-ab A.jar B.jar [--rounds 8]   (scripts/bench-ab.sh: jars side by side)
#
# flood needs no server: it simulates query floods through a mesh in the bench's JVM. Nor does
# route: keyword digests, routed searches and content homes (engine.routing) beside flooding.
# watch: saved searches at their rendezvous (engine.watch): messages a publish and a notification.
#
# transfer: one peer agent (upload limits off) and nginx (sendfile on) serve the same file of random
# bytes; curl fetches it from each in turn, A/B, and the ratio of the medians is peer/nginx; the
# Swarmdex downloader's time from the one peer is recorded beside them. swarm: 1, 2, then 4 peer
# agents on 127.0.0.2-5, each throttled to the same rate, and the downloader's speed-up t1/tk; with
# aria2c installed, the same against nginx servers throttled with limit_rate. Both install nginx
# with apt-get when it is absent and they run as root (and say so), and need curl.
#
# churn: the index server (heartbeats every 30 s, timeout 90 s) and the bench jar's churn command,
# which runs that many peer agents as processes of their own (on 127.0.0.10 and up; the bench jar
# carries the agent), kills one with SIGKILL and starts a new one every --kill-every-ms, and
# searches all their files meanwhile, counting stale results (a source killed before the search)
# and missing ones (a live agent's file not found).
#
# Builds the jars (unless SWARMDEX_SKIP_BUILD=1), starts the index server as its own process on
# 127.0.0.1 with a free port, a fresh data folder and no rate limit, runs the bench jar as another
# process, records the server's heap and the on-disk size of its catalog, and stops the server.
# publish-search passes the bench the server's pid and data folder, so that it measures the
# server's live heap and catalog before and after publishing (bytes per entry) and the server's
# CPU per search; the bench then repeats the publishes and searches against the index server's
# Catalog in its own JVM (--in-process false skips that) for the HTTP / in-process ratio.
#
# Environment: SWARMDEX_SKIP_BUILD=1 (use the jars already built), SWARMDEX_INDEX_JAR and
# SWARMDEX_BENCH_JAR (run copies of the jars, so that a build during a long run cannot replace the
# classes under a running server), SWARMDEX_SERVER_JVM (JVM flags
# of the server, default "-Xmx2g -XX:+UseG1GC"), SWARMDEX_BENCH_JVM (JVM flags of the bench,
# default "-Xmx2g"), SWARMDEX_PEER_JVM (JVM flags of the peer agents, default "-Xmx1g"),
# SWARMDEX_RESULTS_DIR (where the report goes, default bench/results), SWARMDEX_BENCH_OUT (also
# append the report to this file; unset by default, it used to be BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# failover starts whole networks of the real jars; it has its own script.
if [[ "${1:-}" == failover ]]; then
  shift
  exec scripts/bench-failover.sh "$@"
fi
# search-ab starts a server for each jar it is given; it has its own script.
if [[ "${1:-}" == search-ab ]]; then
  shift
  exec scripts/bench-ab.sh "$@"
fi

usage() {
  echo "usage: scripts/bench.sh publish-search [--entries N] [--peers P] [--clients C,C] ..."
  echo "       scripts/bench.sh flood [--nodes N] [--degrees D,D] [--ttls T,T] [--queries Q] ..."
  echo "       scripts/bench.sh route [--directories N] [--leaves L] [--queries Q] ..."
  echo "       scripts/bench.sh watch [--directories N] [--subscriptions S] [--publishes P] ..."
  echo "       scripts/bench.sh transfer [--size-mib 1024] [--rounds 3]"
  echo "       scripts/bench.sh swarm [--rate-mib 20] [--size-mib 256] [--rounds 3]"
  echo "       scripts/bench.sh failover [--rounds 5]"
  echo "       scripts/bench.sh search-ab A.jar B.jar [--rounds 8] [--batch 10000] [--clients 16]"
  echo "       scripts/bench.sh churn [--agents 50] [--seconds 300] [--kill-every-ms 5000] ..."
  echo "Each run's report goes to the terminal and to bench/results/<UTC timestamp>-<benchmark>.txt."
  echo "publish-search, flood, route and watch pass their flags to the bench jar: java -jar $bench_jar lists them."
}
index_jar=${SWARMDEX_INDEX_JAR:-index-server/target/swarmdex-index-server.jar}
bench_jar=${SWARMDEX_BENCH_JAR:-bench/target/swarmdex-bench.jar}
if [[ "${1:-}" == -h || "${1:-}" == --help || "${1:-}" == help ]]; then
  usage
  exit 0
fi
if [[ $# -lt 1 || ( "$1" != publish-search && "$1" != flood && "$1" != route && "$1" != watch && "$1" != transfer && "$1" != swarm && "$1" != churn ) ]]; then
  usage >&2
  exit 2
fi
command_line="scripts/bench.sh $*"
# shellcheck source=scripts/bench-results.sh
. scripts/bench-results.sh
read -r -a server_jvm <<<"${SWARMDEX_SERVER_JVM:--Xmx2g -XX:+UseG1GC}"
read -r -a bench_jvm <<<"${SWARMDEX_BENCH_JVM:--Xmx2g}"

if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi
results_begin "$1" "$command_line"

machine_line() {
  local cpu memory java_version
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  memory=$(free -g | awk '/^Mem:/ {print $2}')
  java_version=$(java -version 2>&1 | head -1)
  echo "- Machine: $(nproc) cores ($cpu), ${memory} GiB memory; $java_version;" \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

if [[ "$1" == flood || "$1" == route || "$1" == watch ]]; then
  flood_dir=$(mktemp -d "${TMPDIR:-/tmp}/swarmdex-flood.XXXXXX")
  trap 'rm -rf "$flood_dir"' EXIT
  section="$flood_dir/section.md"
  bench_cmd=(java "${bench_jvm[@]}" -jar "$bench_jar" "$@" --markdown "$section")
  echo "Bench:  ${bench_cmd[*]}"
  start=$(date +%s)
  "${bench_cmd[@]}"
  elapsed=$(($(date +%s) - start))
  {
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
    echo
    echo "- Command: \`${command_line}\`, which ran"
    echo "  - bench: \`${bench_cmd[*]}\` (no server: one JVM, one thread)"
    echo "- Bench JVM flags: \`${bench_jvm[*]}\`; wall time ${elapsed} s"
    machine_line
    echo
    cat "$section"
  } >"$flood_dir/report.md"
  echo
  results_write "$flood_dir/report.md"
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
extra_pids=()
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  for pid in "${extra_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for URL PID LOG NAME: until URL answers, or fail with the tail of LOG.
wait_for() {
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null -r 0-0 "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.2
  done
  echo "$4 did not start:" >&2
  tail -20 "$3" >&2
  exit 1
}

# churn: agent processes killed and replaced while searches count stale and missing results.
if [[ "$1" == churn ]]; then
  shift
  load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
  port=$(free_port)
  server="http://127.0.0.1:$port"
  server_cmd=(java "${server_jvm[@]}" -jar "$index_jar" --bind 127.0.0.1 --port "$port"
    --data "$work/data" --rate-limit 0 --heartbeat 30 --timeout 90)
  echo "Server: ${server_cmd[*]}"
  "${server_cmd[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for "$server/health" "$server_pid" "$work/server.log" "the index server"
  bench_cmd=(java "${bench_jvm[@]}" -jar "$bench_jar" churn "$@" --server "$server"
    --markdown "$work/section.md")
  echo "Bench:  ${bench_cmd[*]}"
  "${bench_cmd[@]}"
  server_errors=$(grep -c -E ' (WARN|ERROR) ' "$work/server.log" || true)
  lost=$(grep -c 'lost its presence' "$work/server.log" || true)
  stop_server
  {
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
    echo
    echo "- Command: \`${command_line}\`, which ran"
    echo "  - server: \`${server_cmd[*]}\`"
    echo "  - bench: \`${bench_cmd[*]}\` (the agents: processes of the bench jar)"
    machine_line
    echo "- Load average (1, 5, 15 min) before: $load_before; after:" \
      "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (above $(nproc): other work waited too)"
    echo "- Server log: $lost presences lost; $server_errors WARN/ERROR lines"
    echo
    cat "$work/section.md"
  } >"$work/report.md"
  echo
  results_write "$work/report.md"
  exit 0
fi

# transfer and swarm: real peer agents (and nginx) serving one file of random bytes.
if [[ "$1" == transfer || "$1" == swarm ]]; then
  mode=$1
  shift
  size_mib=$([[ $mode == transfer ]] && echo 1024 || echo 256)
  rounds=3
  rate_mib=20
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --size-mib) size_mib=$2; shift 2 ;;
      --rounds) rounds=$2; shift 2 ;;
      --rate-mib)
        [[ $mode == swarm ]] || { echo "--rate-mib is a swarm flag" >&2; exit 2; }
        rate_mib=$2; shift 2 ;;
      *) echo "unknown flag $1 (transfer: --size-mib N --rounds N; swarm: also --rate-mib N)" >&2
         exit 2 ;;
    esac
  done
  for n in "$size_mib" "$rounds" "$rate_mib"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "sizes, rates and rounds are whole numbers above 0" >&2; exit 2; }
  done
  peer_jar=peer-agent/target/swarmdex-peer-agent.jar
  read -r -a peer_jvm <<<"${SWARMDEX_PEER_JVM:--Xmx1g}"
  if ! command -v nginx >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "nginx is absent: installing it (apt-get install -y nginx), for the comparison only"
      apt-get install -y -q nginx >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx >/dev/null; }
      # The package starts a system nginx on port 80; the bench runs its own instance.
      { service nginx stop || systemctl stop nginx; } >/dev/null 2>&1 || true
    else
      echo "nginx is absent: install it (apt-get install nginx) to compare against it" >&2
      exit 1
    fi
  fi
  if [[ $mode == swarm ]] && ! command -v aria2c >/dev/null 2>&1; then
    echo "aria2c is absent: the swarm comparison with aria2c is left out (apt-get install aria2)"
  fi
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)

  mkdir -p "$work/files" "$work/nginx" "$work/dl"
  file="$work/files/bench-${size_mib}MiB.bin"
  echo "Writing ${size_mib} MiB of random bytes to $file ..."
  head -c $((size_mib * 1048576)) /dev/urandom >"$file"
  size_bytes=$(stat -c %s "$file")
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  samples="$work/samples.tsv"
  : >"$samples"

  port=$(free_port)
  server="http://127.0.0.1:$port"
  server_cmd=(java "${server_jvm[@]}" -jar "$index_jar" --bind 127.0.0.1 --port "$port"
    --data "$work/data" --rate-limit 0 --max-peers-per-ip 0)
  echo "Server: ${server_cmd[*]}"
  "${server_cmd[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for "$server/health" "$server_pid" "$work/server.log" "the index server"

  # start_peer N [share flags]: a peer agent on 127.0.0.N sharing the folder; sets peer_url.
  peer_cmds=()
  jetty_cmds=()
  start_peer() {
    local n=$1 peer_port
    shift
    peer_port=$(free_port)
    local cmd=(java "${peer_jvm[@]}" -jar "$peer_jar" share --server "$server" --dir "$work/files"
      --bind "127.0.0.$n" --port "$peer_port" --name "bench-$n" --state "$work/state-$n"
      --rescan 3600 "$@")
    echo "Peer:   ${cmd[*]}"
    peer_cmds+=("${cmd[*]}")
    "${cmd[@]}" >"$work/peer-$n.log" 2>&1 &
    extra_pids+=($!)
    peer_url="http://127.0.0.$n:$peer_port"
    wait_for "$peer_url/health" "$!" "$work/peer-$n.log" "the peer agent on 127.0.0.$n"
  }

  # nginx_server ADDRESS PORT EXTRA: one server block serving the folder.
  nginx_conf="$work/nginx/nginx.conf"
  nginx_servers=""
  nginx_server() {
    nginx_servers+="  server { listen $1:$2; root $work/files; $3 }"$'\n'
  }
  start_nginx() {
    local user_line=""
    [[ $(id -u) == 0 ]] && user_line="user $(id -un) $(id -gn);"
    cat >"$nginx_conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
$nginx_servers}
EOF
    nginx_cmd=(nginx -p "$work/nginx" -c "$nginx_conf" -e "$work/nginx/error.log")
    echo "nginx:  ${nginx_cmd[*]}"
    "${nginx_cmd[@]}" >"$work/nginx/stdout.log" 2>&1 &
    extra_pids+=($!)
  }

  # curl_sample CLIENT ROUND URL: one timed curl download into the samples.
  curl_sample() {
    local out
    out=$(curl -sf -o /dev/null -w '%{size_download} %{time_total}' "$3")
    read -r got secs <<<"$out"
    [[ "$got" == "$size_bytes" ]] || { echo "$1 round $2: got $got bytes of $size_bytes" >&2; exit 1; }
    printf '%s\t1\t%s\t%s\t%s\n' "$1" "$2" "$got" "$secs" >>"$samples"
    echo "$1, round $2: $got bytes in $secs s"
  }

  fetch() { # fetch CLIENT SOURCES ROUNDS
    local cmd=(java "${bench_jvm[@]}" -jar "$bench_jar" fetch --server "$server" --sha256 "$sha"
      --client "$1" --sources "$2" --rounds "$3" --out "$work/dl/fetched.bin" --samples "$samples")
    echo "Fetch:  ${cmd[*]}"
    fetch_cmds+=("${cmd[*]}")
    "${cmd[@]}"
  }
  fetch_cmds=()
  started=$(date +%s)

  if [[ $mode == transfer ]]; then
    start_peer 2
    nginx_port=$(free_port)
    nginx_server 127.0.0.1 "$nginx_port" ""
    start_nginx
    wait_for "http://127.0.0.1:$nginx_port/$(basename "$file")" "${extra_pids[-1]}" "$work/nginx/error.log" nginx
    peer_file="$peer_url/files/$sha"
    # The agent answers /health before it has hashed the file; wait until it serves it.
    wait_for "$peer_file" "${extra_pids[0]}" "$work/peer-2.log" "the peer agent's file"
    nginx_file="http://127.0.0.1:$nginx_port/$(basename "$file")"
    # The peer has to have published before it is located; fetch waits for that.
    # References: the same Jetty with nothing of the peer agent around it, sending the file four
    # ways (serve-static --content: mapped, pooled, plain as the agent's FileHandler, plain-sized).
    clients=(curl-peer curl-nginx)
    urls=("$peer_file" "$nginx_file")
    n=3
    for content in mapped pooled plain plain-sized; do
      jetty_port=$(free_port)
      jetty_cmd=(java "${peer_jvm[@]}" -jar "$bench_jar" serve-static --bind "127.0.0.$n"
        --port "$jetty_port" --dir "$work/files" --content "$content")
      echo "Jetty:  ${jetty_cmd[*]}"
      jetty_cmds+=("${jetty_cmd[*]}")
      "${jetty_cmd[@]}" >"$work/jetty-$content.log" 2>&1 &
      extra_pids+=($!)
      clients+=("curl-jetty-$content")
      urls+=("http://127.0.0.$n:$jetty_port/$(basename "$file")")
      wait_for "${urls[-1]}" "$!" "$work/jetty-$content.log" "the bare Jetty server ($content)"
      n=$((n + 1))
    done
    echo "Warm-up: one unmeasured curl from each (page cache, JIT)"
    for url in "${urls[@]}"; do curl -sf -o /dev/null "$url"; done
    servers=${#urls[@]}
    for round in $(seq 1 "$rounds"); do
      for i in $(seq 0 $((servers - 1))); do # each round starts with the next: A B C.., B C ..A
        j=$(((i + round - 1) % servers))
        curl_sample "${clients[$j]}" "$round" "${urls[$j]}"
      done
    done
    fetch get-peer 1 "$rounds"
    get_cmd=(java "${peer_jvm[@]}" -jar "$peer_jar" get --server "$server" "$sha" -o "$work/dl/get-cli.bin")
    echo "Get:    ${get_cmd[*]}"
    t0=$(date +%s.%N)
    "${get_cmd[@]}"
    t1=$(date +%s.%N)
    printf 'get-cli\t1\t1\t%s\t%s\n' "$(stat -c %s "$work/dl/get-cli.bin")" "$(echo "$t1 - $t0" | bc -l)" >>"$samples"
    rm -f "$work/dl/get-cli.bin"
  else
    rate_kib=$((rate_mib * 1024))
    start_peer 2 --max-upload "$rate_kib"
    fetch swarmdex 1 "$rounds"
    start_peer 3 --max-upload "$rate_kib"
    fetch swarmdex 2 "$rounds"
    start_peer 4 --max-upload "$rate_kib"
    start_peer 5 --max-upload "$rate_kib"
    fetch swarmdex 4 "$rounds"
    if command -v aria2c >/dev/null 2>&1; then
      nginx_port=$(free_port)
      for n in 2 3 4 5; do
        nginx_server "127.0.0.$n" "$nginx_port" "limit_rate ${rate_mib}m;"
      done
      start_nginx
      wait_for "http://127.0.0.2:$nginx_port/$(basename "$file")" "${extra_pids[-1]}" "$work/nginx/error.log" nginx
      aria_cmd=(aria2c -q --allow-overwrite=true --auto-file-renaming=false --file-allocation=none
        -x1 -k1M -d "$work/dl" -o aria.bin)
      for k in 1 2 4; do
        uris=()
        for n in $(seq 2 $((k + 1))); do uris+=("http://127.0.0.$n:$nginx_port/$(basename "$file")"); done
        echo "aria2c: ${aria_cmd[*]} -s$k ${uris[*]}"
        for round in $(seq 1 "$rounds"); do
          rm -f "$work/dl/aria.bin"
          t0=$(date +%s.%N)
          "${aria_cmd[@]}" "-s$k" "${uris[@]}"
          t1=$(date +%s.%N)
          secs=$(echo "$t1 - $t0" | bc -l)
          printf 'aria2c\t%s\t%s\t%s\t%s\n' "$k" "$round" "$(stat -c %s "$work/dl/aria.bin")" "$secs" >>"$samples"
          echo "aria2c, $k source(s), round $round: $secs s"
        done
      done
      rm -f "$work/dl/aria.bin"
    fi
  fi
  elapsed=$(($(date +%s) - started))
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  peer_errors=$(cat "$work"/peer-*.log | grep -c -E ' (WARN|ERROR) ' || true)
  {
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
    echo
    echo "- Command: \`${command_line}\`, which ran"
    echo "  - server: \`${server_cmd[*]}\`"
    for c in "${peer_cmds[@]}"; do echo "  - peer agent: \`$c\`"; done
    [[ -n "${nginx_cmd[*]:-}" ]] && echo "  - nginx: \`${nginx_cmd[*]}\` (config below)"
    for c in "${fetch_cmds[@]}"; do echo "  - bench: \`$c\`"; done
    for c in "${jetty_cmds[@]}"; do echo "  - bare Jetty: \`$c\`"; done
    [[ -n "${get_cmd[*]:-}" ]] && echo "  - get: \`${get_cmd[*]}\` (timed from outside, JVM start included)"
    [[ $mode == swarm && -n "${aria_cmd[*]:-}" ]] && echo "  - aria2c: \`${aria_cmd[*]} -sK URI...\` (one URI per source, timed from outside)"
    [[ $mode == transfer ]] && echo "  - curl: \`curl -sf -o /dev/null -w '%{size_download} %{time_total}' URL\`"
    echo "- File: ${size_mib} MiB (${size_bytes} bytes) of random bytes, in the page cache (written just before); sha256 ${sha:0:16}..."
    echo "- Peer agent JVM flags: \`${peer_jvm[*]}\`; bench JVM flags: \`${bench_jvm[*]}\`; index server \`${server_jvm[*]}\`; wall time ${elapsed} s"
    machine_line
    echo "- Tools: $(nginx -v 2>&1 | head -1); $(curl --version | head -1 | cut -d' ' -f1-2)$(command -v aria2c >/dev/null && echo "; $(aria2c --version | head -1)")"
    echo "- Load average (1, 5, 15 min) before: ${load_before}; after: ${load_after}. Everything runs on this machine and shares its cores; the loopback carries the bytes."
    echo "- WARN/ERROR lines in the peer agents' logs: ${peer_errors}"
    echo
    if [[ $mode == transfer ]]; then
      echo "### transfer: one source, ${size_mib} MiB, ${rounds} rounds"
      echo
      echo "- curl from the peer agent (\`GET /files/SHA256\`, upload limits off) and from nginx (\`sendfile on\`), and from four bare Jetty servers (\`serve-static\`: the same Jetty as the peer agent with nothing of the agent around it, sending the file four ways, see \`java -jar bench/target/swarmdex-bench.jar\`), in turn, each round starting with the next server, after one unmeasured download from each; \`get\` rows: the Swarmdex downloader from the same one source, each 1 MiB chunk and the whole file verified, written to disk."
    else
      echo "### swarm: 1, 2 and 4 sources each throttled to ${rate_mib} MiB/s, ${size_mib} MiB, ${rounds} rounds"
      echo
      echo "- Peer agents on 127.0.0.2-5 started one by one (k = 1, then 2, then 4 running), each with \`--max-upload ${rate_kib}\` (KiB/s); the downloader waits until the directory lists exactly k sources, then fetches ${rounds} times in one JVM (only the fetch is timed). aria2c: one nginx with a server on each of 127.0.0.2-5, \`limit_rate ${rate_mib}m\` (per connection), \`-x1\` so one connection per server."
    fi
    echo
    java "${bench_jvm[@]}" -jar "$bench_jar" transfer-report --mode "$mode" --samples "$samples" \
      --rate-kib "$((rate_mib * 1024))"
    if [[ -n "${nginx_cmd[*]:-}" ]]; then
      echo
      echo "<details><summary>nginx.conf</summary>"
      echo
      echo '```nginx'
      sed "s#$work#TMP#g" "$nginx_conf"
      echo '```'
      echo
      echo "</details>"
    fi
  } >"$work/section.md"
  echo
  results_write "$work/section.md"
  exit 0
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
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
  --server-pid "$server_pid" --server-data "$work/data" --markdown "$work/section.md")
echo "Bench:  ${bench_cmd[*]}"
"${bench_cmd[@]}"

if [[ ! -s "$work/section.md" ]]; then
  echo "No figures (the bench skipped its run); no report written."
  exit 0
fi

# The server's heap after the run: as it stands, then after a full GC (what the index keeps).
heap_now=$(jcmd "$server_pid" GC.heap_info 2>/dev/null | grep -m1 -E 'garbage-first heap|total' | sed -e 's/^ *//' -e 's/ *\[.*//' || true)
jcmd "$server_pid" GC.run >/dev/null 2>&1 || true
heap_live=$(jcmd "$server_pid" GC.heap_info 2>/dev/null | grep -m1 -E 'garbage-first heap|total' | sed -e 's/^ *//' -e 's/ *\[.*//' || true)
catalog_bytes=$(du -sb "$work/data/catalog" | cut -f1)
db_bytes=$(du -sb "$work/data/db" 2>/dev/null | cut -f1 || echo 0)
server_errors=$(grep -c -E ' (WARN|ERROR) ' "$work/server.log" || true)
# The server's warm-up before it listened (--warm-up): made-up entries, searches, milliseconds.
warm_up=$(grep -m1 -o 'Warmed up on .*' "$work/server.log" || echo "none (--warm-up 0, or it failed)")
stop_server

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
memory=$(free -g | awk '/^Mem:/ {print $2}')
java_version=$(java -version 2>&1 | head -1)
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): \`${command_line}\`"
  echo
  echo "- Command: \`${command_line}\`, which ran"
  echo "  - server: \`${server_cmd[*]}\`"
  echo "  - bench: \`${bench_cmd[*]}\`"
  echo "- Server JVM flags: \`${server_jvm[*]}\`; bench JVM flags: \`${bench_jvm[*]}\`"
  echo "- Machine: $(nproc) cores ($cpu), ${memory} GiB memory; $java_version;" \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- Server and bench run on the same machine and share its cores; load average (1, 5, 15 min)" \
    "before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" \
    "(above $(nproc) means other work was waiting for the cores too)."
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
  echo "| the server's warm-up before it listened | $warm_up |"
} >"$work/report.md"
echo
results_write "$work/report.md"
