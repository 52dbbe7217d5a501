#!/usr/bin/env bash
# Installs the Debian package the build made (packaging/target/swarmdex_*_all.deb) with dpkg -i,
# checks what it created, starts the index server from its installed command and config as the
# swarmdex user, searches it, then purges the package. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(ls packaging/target/swarmdex_*_all.deb)
port=18480
log=$(mktemp)
cleanup() {
  [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  dpkg --purge swarmdex >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT

dpkg -i "$deb"
fail() { echo "package-check: $*" >&2; exit 1; }
getent passwd swarmdex >/dev/null || fail "no swarmdex user"
[[ $(stat -c '%a %U' /var/lib/swarmdex) == "700 swarmdex" ]] || fail "/var/lib/swarmdex is not 0700 swarmdex"
[[ $(stat -c '%a %U' /etc/swarmdex/admin-password) == "600 swarmdex" ]] || fail "admin password not owner-only"
for p in index-server supernode peer-agent; do
  [[ -x /usr/bin/swarmdex-$p ]] || fail "no /usr/bin/swarmdex-$p"
  [[ -f /etc/swarmdex/$p.toml ]] || fail "no /etc/swarmdex/$p.toml"
  [[ -f /lib/systemd/system/swarmdex-$p.service ]] || fail "no unit for $p"
done
# The units parse (systemd-analyze needs no running systemd for this).
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/swarmdex-*.service
fi

# What the unit runs (its ExecStart, read from the installed unit), as the unit's user, with the
# port moved off 8080 by a flag over the config.
read -r -a exec_start < <(sed -n 's/^ExecStart=//p' /lib/systemd/system/swarmdex-index-server.service)
[[ ${exec_start[0]} == /usr/bin/swarmdex-index-server ]] || fail "unexpected ExecStart: ${exec_start[*]}"
runuser -u swarmdex -- "${exec_start[@]}" --bind 127.0.0.1 --port "$port" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the installed index server exited"; }
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/ready" || { cat "$log" >&2; fail "the installed index server is not ready"; }
echo
curl -fs "http://127.0.0.1:$port/api/v1/search?q=anything" | grep -q '"results"' || fail "search failed"
[[ -d /var/lib/swarmdex/index/catalog ]] || fail "the index server did not keep its data in /var/lib/swarmdex/index"
# The admin password the package made logs in.
curl -fs -H 'Content-Type: application/json' \
  -d "{\"name\":\"admin\",\"password\":\"$(cat /etc/swarmdex/admin-password)\"}" \
  "http://127.0.0.1:$port/api/v1/admin/login" | grep -q csrfToken || fail "admin login with the package's password failed"
echo "package-check: installed $(basename "$deb"), index server started from /usr/bin with /etc/swarmdex/index-server.toml"
