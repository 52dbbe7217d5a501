#!/usr/bin/env bash
# Builds Swarmdex and starts a local network on the embedded defaults: one index server on
# 127.0.0.1:8080 (H2 file database, Lucene index, both under run/index) and three peer agents on
# 127.0.0.2, 127.0.0.3 and 127.0.0.4, each sharing a generated sample folder. Ctrl-C stops all.
#
# Environment: SWARMDEX_PORT (index server port, default 8080), SWARMDEX_RUN (working folder,
# default ./run), SWARMDEX_SKIP_BUILD=1 (use the jars already built), SWARMDEX_SUPERNODES=N (KaZaA
# mode: also start N supernodes on 127.0.0.11.., credentials issued through the admin API; the
# peers then attach to them), SWARMDEX_ADMIN_PASSWORD (the admin console's password; generated
# and printed when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${SWARMDEX_PORT:-8080}
run=${SWARMDEX_RUN:-run}
server="http://127.0.0.1:${port}"
index_jar=index-server/target/swarmdex-index-server.jar
peer_jar=peer-agent/target/swarmdex-peer-agent.jar
supernode_jar=supernode/target/swarmdex-supernode.jar
supernodes=${SWARMDEX_SUPERNODES:-0}

if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi
mkdir -p "$run"

# The admin password: given, or generated once and kept (the account is created only once).
if [[ -n "${SWARMDEX_ADMIN_PASSWORD:-}" ]]; then
  admin_password=$SWARMDEX_ADMIN_PASSWORD
else
  [[ -f "$run/admin-password" ]] ||
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$run/admin-password")
  admin_password=$(cat "$run/admin-password")
fi

# Sample files: realistic names, random bytes. One song is on two peers, to show several sources.
make_file() { # folder, name, KiB
  [[ -f "$1/$2" ]] || head -c "$(($3 * 1024))" /dev/urandom >"$1/$2"
}
mkdir -p "$run"/share-{1,2,3}/{music,docs}
make_file "$run/share-1/music" "Nina Simone - Feeling Good.mp3" 3200
make_file "$run/share-1/music" "Miles Davis - So What (1959).flac" 2400
make_file "$run/share-1/docs" "debian-reference_12.pdf" 900
make_file "$run/share-1" "holiday_photos_2019.zip" 1500
make_file "$run/share-2" "debian-12.2.0-amd64-netinst.iso" 4096
make_file "$run/share-2/docs" "LibreOffice_Writer_Guide.odt" 700
make_file "$run/share-2/music" "Café del Mar - 03 Entrée.ogg" 1800
make_file "$run/share-3/music" "Beethoven_Symphony9_Karajan.mp3" 2800
make_file "$run/share-3/docs" "XMLParserTutorial.html" 120
make_file "$run/share-3" "kernel-6.1-config.txt" 60
[[ -f "$run/share-3/music/Nina Simone - Feeling Good.mp3" ]] ||
  cp "$run/share-1/music/Nina Simone - Feeling Good.mp3" "$run/share-3/music/"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

SWARMDEX_ADMIN_PASSWORD="$admin_password" \
  java -jar "$index_jar" --bind 127.0.0.1 --port "$port" --data "$run/index" >"$run/index.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "$server/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$server/health" >/dev/null || { echo "index server did not start; see $run/index.log"; exit 1; }

if ((supernodes > 0)); then
  jar="$run/admin-cookies"
  csrf=$(curl -fs -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$admin_password\"}" "$server/api/v1/admin/login" |
    sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
  [[ -n "$csrf" ]] || { echo "cannot log in to the admin API (was the admin password changed in $run/index?)"; exit 1; }
  for s in $(seq 1 "$supernodes"); do
    # The credentials are a secret: owner-only, or the supernode refuses them.
    [[ -f "$run/sn$s.json" ]] || (umask 077 && curl -fs -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      -d "{\"name\":\"sn$s\"}" "$server/api/v1/admin/supernodes" >"$run/sn$s.json")
    chmod 600 "$run/sn$s.json"
    java -jar "$supernode_jar" --index "$server" --bind "127.0.0.$((10 + s))" --port 8081 \
      --data "$run/sn$s" --name "sn$s" --credentials "$run/sn$s.json" >"$run/sn$s.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 100); do
    mesh=$(curl -fs -b "$jar" "$server/api/v1/admin/mesh" || true)
    [[ $(grep -o '"url"' <<<"$mesh" | wc -l) -ge "$supernodes" ]] && break
    sleep 0.2
  done
fi

for n in 1 2 3; do
  java -jar "$peer_jar" share --server "$server" --dir "$run/share-$n" --bind "127.0.0.$((n + 1))" \
    --port 6346 --name "peer-$n" --state "$run/state-$n" >"$run/peer-$n.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 150); do
  stats=$(curl -fs "$server/api/v1/stats" || true)
  [[ "$stats" == *'"peers":3'* && "$stats" != *'"files":0'* ]] && break
  sleep 0.2
done

cat <<TXT

Swarmdex is running: index server $server, peers on 127.0.0.2-4:6346 (logs in $run/).$(
  ((supernodes > 0)) && printf '\nSupernodes: %s on 127.0.0.11-%s:8081 (KaZaA mode)' "$supernodes" "$((10 + supernodes))")
Network: $(curl -fs "$server/api/v1/stats")
Admin console: $server/admin/  (name admin, password $admin_password)

Try:
  curl -s '$server/api/v1/search?q=feeling+good'
  java -jar $peer_jar search --server $server netinst
  java -jar $peer_jar get --state $run/state-1 SHA256        (peer-1 downloads it and shares it)
  java -jar $peer_jar get --server $server SHA256 -o /tmp/file  (a download of your own, not shared)

Ctrl-C stops the network.
TXT
wait
