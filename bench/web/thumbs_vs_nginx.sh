#!/usr/bin/env bash
# Thumbnail serving: `kho serve` (bytes from LMDB) against nginx serving the same thumbnails as files,
# in one run, on loopback, with wrk (64 connections, bounded time). Target (issue 17): kho ≥ 80% of nginx.
#
#   bench/web/thumbs_vs_nginx.sh KHO_BINARY [SAMPLES_DIR] [SECONDS]
#
# It ingests SAMPLES_DIR (default: samples/) into a temporary archive, writes every 320 px thumbnail the
# server gives out into a folder with the same URL layout, starts both servers on free loopback ports,
# and runs wrk against each with a script that cycles through all thumbnail URLs. Everything it starts
# is stopped on exit.
set -euo pipefail
KHO=$(realpath "${1:?usage: thumbs_vs_nginx.sh KHO_BINARY [SAMPLES_DIR] [SECONDS]}")
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=${2:-$HERE/../../samples}
SECS=${3:-10}
CONNS=64
WORK=$(mktemp -d /tmp/kho-bench-web.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as another user when started by root
KHO_PID=""
NGINX_CONF=""
cleanup() {
  [ -n "$KHO_PID" ] && kill "$KHO_PID" 2>/dev/null && wait "$KHO_PID" 2>/dev/null || true
  [ -n "$NGINX_CONF" ] && nginx -c "$NGINX_CONF" -p "$WORK/nginx" -s stop 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_up() {
  for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "not up: $1" >&2
  return 1
}

"$KHO" --archive "$WORK/archive" ingest "$SAMPLES" >/dev/null 2>&1 || [ $? -eq 1 ]
KPORT=$(free_port)
"$KHO" --archive "$WORK/archive" serve --port "$KPORT" 2>/dev/null &
KHO_PID=$!
wait_up "http://127.0.0.1:$KPORT/api/events"

# Every photo of every event, its 320 px thumbnail copied to disk under the same path.
mkdir -p "$WORK/www"
: > "$WORK/urls.txt"
for ev in $(curl -sf "http://127.0.0.1:$KPORT/api/events" |
  python3 -c 'import json,sys; [print(e["id"]) for e in json.load(sys.stdin)["events"]]'); do
  for d in $(curl -sf "http://127.0.0.1:$KPORT/api/event/$ev" |
    python3 -c 'import json,sys; [print(p["digest"]) for p in json.load(sys.stdin)["photos"]]'); do
    mkdir -p "$WORK/www/thumb/$d"
    curl -sf -o "$WORK/www/thumb/$d/320" "http://127.0.0.1:$KPORT/thumb/$d/320" &&
      echo "/thumb/$d/320" >> "$WORK/urls.txt"
  done
done
N=$(wc -l < "$WORK/urls.txt")
BYTES=$(du -sb "$WORK/www/thumb" | cut -f1)
echo "thumbnails: $N (avg $((BYTES / N)) bytes)"

# nginx with a plain static configuration: sendfile, keep-alive, one worker per core, no access log.
NPORT=$(free_port)
mkdir -p "$WORK/nginx/logs"
NGINX_CONF="$WORK/nginx/nginx.conf"
cat > "$NGINX_CONF" <<NGX
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type image/jpeg;
  etag on;
  open_file_cache max=10000 inactive=60s;  # a fair peer: no open/stat per request
  open_file_cache_valid 60s;
  client_body_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $WORK/www;
    location /thumb/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
NGX
mkdir -p "$WORK/nginx/tmp"
nginx -c "$NGINX_CONF" -p "$WORK/nginx" || { tail -3 "$WORK/nginx/logs/error.log" >&2; exit 1; }
wait_up "http://127.0.0.1:$NPORT$(head -1 "$WORK/urls.txt")" || { tail -3 "$WORK/nginx/logs/error.log" >&2; exit 1; }

# wrk script: each request takes the next URL of the list.
python3 - "$WORK/urls.txt" > "$WORK/cycle.lua" <<'PY'
import sys
urls = [u.strip() for u in open(sys.argv[1]) if u.strip()]
print("local urls = {" + ",".join('"%s"' % u for u in urls) + "}")
print("local i = 0")
print("request = function() i = i % #urls + 1; return wrk.format('GET', urls[i]) end")
PY

# CPU ticks (user + system) of a server's processes: kho, or nginx's master and workers. On a shared
# machine the req/s ratio depends on how much CPU each server gets; CPU per request does not.
cpu_ticks() {  # pids...
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
server_pids() {  # name
  if [ "$1" = kho ]; then echo "$KHO_PID"; else
    local m; m=$(cat "$WORK/nginx/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; fi
}
run() {  # name port → prints req/s; writes name.cpu (µs of server CPU per request)
  local pids t0 t1
  pids=$(server_pids "${1%[12]}")
  t0=$(cpu_ticks $pids)
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$WORK/cycle.lua" "http://127.0.0.1:$2" > "$WORK/$1.txt"
  t1=$(cpu_ticks $pids)
  python3 - "$WORK/$1.txt" "$((t1 - t0))" "$(getconf CLK_TCK)" > "$WORK/$1.cpu" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
reqs = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{int(sys.argv[2]) / int(sys.argv[3]) * 1e6 / max(reqs, 1):.1f}")
PY
  awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt"
}
# Warm both, then measure nginx, kho, nginx again (the machine is shared: the mean of two nginx runs).
wrk -t2 -c"$CONNS" -d2s -s "$WORK/cycle.lua" "http://127.0.0.1:$NPORT" >/dev/null
wrk -t2 -c"$CONNS" -d2s -s "$WORK/cycle.lua" "http://127.0.0.1:$KPORT" >/dev/null
N1=$(run nginx1 "$NPORT")
K=$(run kho "$KPORT")
N2=$(run nginx2 "$NPORT")
echo "--- kho serve ---"; grep -E "Latency|99%|Requests/sec|Non-2xx|Socket errors" "$WORK/kho.txt" || true
echo "--- nginx ---";      grep -E "Latency|99%|Requests/sec|Non-2xx|Socket errors" "$WORK/nginx1.txt" || true
python3 - "$K" "$N1" "$N2" "$(cat "$WORK/kho.cpu")" "$(cat "$WORK/nginx1.cpu")" "$(cat "$WORK/nginx2.cpu")" <<'PY'
import sys
k, n1, n2, kc, nc1, nc2 = map(float, sys.argv[1:])
n = (n1 + n2) / 2
nc = (nc1 + nc2) / 2
print(f"kho {k:.0f} req/s, nginx {n:.0f} req/s ({n1:.0f}, {n2:.0f}): kho = {100 * k / n:.0f}% of nginx (target >= 80%)")
print(f"server CPU per request: kho {kc:.1f} us, nginx {nc:.1f} us ({nc1:.1f}, {nc2:.1f})")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
