#!/usr/bin/env bash
# Builds Swarmdex and starts a local network on the embedded defaults: one index server on
# 127.0.0.1:8080 (H2 file database, Lucene index, both under run/index) and three peer agents on
# 127.0.0.2, 127.0.0.3 and 127.0.0.4, each sharing a generated sample folder. Ctrl-C stops all.
#
# Environment: SWARMDEX_PORT (index server port, default 8080), SWARMDEX_RUN (working folder,
# default ./run), SWARMDEX_SKIP_BUILD=1 (use the jars already built), SWARMDEX_SUPERNODES=N (KaZaA
# mode: also start N supernodes on 127.0.0.11.., credentials issued through the admin API; the
# peers then attach to them), SWARMDEX_ADMIN_PASSWORD (the admin console's password; generated
# and printed when unset), SWARMDEX_DEMO=1 (reputation matures after 60 s instead of 72 h, so
# levels visibly change during a demo).
#
# It refuses to start while another network runs from the same folder or on its addresses (it
# touches nothing of the running one), and exits non-zero, stopping the rest, when a part dies.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${SWARMDEX_PORT:-8080}
run=${SWARMDEX_RUN:-run}
server="http://127.0.0.1:${port}"
index_jar=index-server/target/swarmdex-index-server.jar
peer_jar=peer-agent/target/swarmdex-peer-agent.jar
supernode_jar=supernode/target/swarmdex-supernode.jar
supernodes=${SWARMDEX_SUPERNODES:-0}
demo_flags=()
[[ "${SWARMDEX_DEMO:-0}" == 1 ]] && demo_flags=(--reputation-maturity 60)

# One network per folder: the lock is held while this script runs (a second run fails at once).
mkdir -p "$run"
exec 9>"$run/.network.lock"
if ! flock -n 9; then
  echo "error: another Swarmdex network runs from $run; stop it first (Ctrl-C in its terminal)," \
    "or give this one another SWARMDEX_RUN and SWARMDEX_PORT" >&2
  exit 1
fi
# ... and on free addresses: anything answering there would be taken for this network's parts.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
taken=()
listening 127.0.0.1 "$port" && taken+=("127.0.0.1:$port")
for n in 2 3 4; do listening "127.0.0.$n" 6346 && taken+=("127.0.0.$n:6346"); done
for n in 1 2 3; do listening 127.0.0.1 "$((7345 + n))" && taken+=("127.0.0.1:$((7345 + n))"); done
for s in $(seq 1 "$supernodes"); do
  listening "127.0.0.$((10 + s))" 8081 && taken+=("127.0.0.$((10 + s)):8081")
done
if ((${#taken[@]} > 0)); then
  echo "error: something already listens on ${taken[*]} (another Swarmdex network?); stop it," \
    "or choose another SWARMDEX_PORT" >&2
  exit 1
fi

if [[ "${SWARMDEX_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building (mvn -B -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

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
declare -A part_of # pid -> what it is, to name a part that dies
started() { # name: the last background job is that part
  pids+=($!)
  part_of[$!]=$1
}
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

SWARMDEX_ADMIN_PASSWORD="$admin_password" \
  java -jar "$index_jar" --bind 127.0.0.1 --port "$port" --data "$run/index" "${demo_flags[@]}" \
  >"$run/index.log" 2>&1 &
started "index server"
index_pid=$!
for _ in $(seq 1 300); do
  curl -fs "$server/health" >/dev/null 2>&1 && break
  kill -0 "$index_pid" 2>/dev/null || break
  sleep 0.2
done
if ! kill -0 "$index_pid" 2>/dev/null || ! curl -fs "$server/health" >/dev/null; then
  echo "error: the index server did not start; see $run/index.log:" >&2
  tail -n 5 "$run/index.log" >&2
  exit 1
fi

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
    started "supernode sn$s (log $run/sn$s.log)"
  done
  for _ in $(seq 1 100); do
    mesh=$(curl -fs -b "$jar" "$server/api/v1/admin/mesh" || true)
    [[ $(grep -o '"url"' <<<"$mesh" | wc -l) -ge "$supernodes" ]] && break
    sleep 0.2
  done
fi

for n in 1 2 3; do
  java -jar "$peer_jar" share --server "$server" --dir "$run/share-$n" --bind "127.0.0.$((n + 1))" \
    --port 6346 --name "peer-$n" --state "$run/state-$n" --ui-port "$((7345 + n))" \
    >"$run/peer-$n.log" 2>&1 &
  started "peer-$n (log $run/peer-$n.log)"
done
for _ in $(seq 1 150); do
  stats=$(curl -fs "$server/api/v1/stats" || true)
  [[ "$stats" == *'"peers":3'* && "$stats" != *'"files":0'* ]] && break
  sleep 0.2
done

for _ in $(seq 1 50); do [[ -f "$run/state-1/ui.json" ]] && break; sleep 0.2; done

song=$(sha256sum "$run/share-1/music/Nina Simone - Feeling Good.mp3" | cut -c1-64)
iso=$(sha256sum "$run/share-2/debian-12.2.0-amd64-netinst.iso" | cut -c1-64)
cat <<TXT

Swarmdex is running: index server $server, peers on 127.0.0.2-4:6346 (logs in $run/).$(
  ((supernodes > 0)) && printf '\nSupernodes: %s on 127.0.0.11-%s:8081 (KaZaA mode)' "$supernodes" "$((10 + supernodes))")$(
  [[ "${SWARMDEX_DEMO:-0}" == 1 ]] && printf '\nDemo: reputation matures after 60 s')
Network: $(curl -fs "$server/api/v1/stats")
Search page: $server/?q=feeling+good
Admin console: $server/admin/  (name admin, password $admin_password)
Peer-1's own web UI: $(java -jar "$peer_jar" ui --state "$run/state-1" 2>/dev/null || echo "(see $run/peer-1.log)")
  (peers 2 and 3: java -jar $peer_jar ui --state $run/state-N)

Try:
  curl -s '$server/api/v1/search?q=feeling+good'
  java -jar $peer_jar search --server $server netinst
  java -jar $peer_jar get --state $run/state-2 $song
      (peer-2 downloads "Feeling Good" from peers 1 and 3 and shares it)
  java -jar $peer_jar get --server $server $iso -o /tmp/netinst.iso
      (a download of your own, not shared)
  java -jar $peer_jar get -o /tmp/song.mp3 --bind 127.0.0.1 'magnet:?xt=urn:sha256:$song&xs=$server/api/v1/files/$song.meta4'
  aria2c $server/api/v1/files/$song.meta4     (from both sources at once, each piece checked)

Ctrl-C stops the network.
TXT

# Runs until Ctrl-C, or until a part dies: then it says which, stops the others and fails.
set +e
wait -n -p died
status=$?
set -e
echo "error: ${part_of[$died]:-a part} stopped (exit status $status); stopping the network" >&2
exit 1
