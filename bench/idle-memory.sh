#!/usr/bin/env bash
# Memory per idle connection, amped beside nginx (one worker), in one run.
#
#   bench/idle-memory.sh                 # from the project root, after `mvn -q package -DskipTests`
#   COUNTS="5000 50000" bench/idle-memory.sh
#   AMPED="java -jar other/amped.jar" bench/idle-memory.sh     # another build (default: bin/amped)
#
# For each count N and each server: open N connections from several loopback source addresses and hold
# them idle (mode idle), or send one keep-alive request for a 1 KiB file on each first and then hold them
# (mode request). The figure is (RSS with the N connections open - RSS before) / N, in KiB. Before each
# reading the same N connections are opened, used and closed once, so that both servers have grown their
# pools (and amped its heap) to that load; and for amped a full collection runs before both readings
# (jcmd GC.run): the figure is what the connections hold, not garbage made while accepting them. Needs
# nginx and python3; raises the descriptor limit as far as it may (N + 1000 descriptors are needed).
# The last column is exact where RSS is not (a JVM's heap grows and shrinks in steps): the bytes of live
# objects per connection in amped's heap, from class histograms taken after full collections.
set -euo pipefail
cd "$(dirname "$0")/.."

AMPED=${AMPED:-bin/amped}
COUNTS=${COUNTS:-5000 50000}
AMPED_ARGS=${AMPED_ARGS:-}
JAVA_HOME=${JAVA_HOME:-$(bin/jdk25)}
command -v nginx >/dev/null || { echo "idle-memory.sh: nginx is missing (apt-get install -y nginx)" >&2; exit 2; }
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
limit=$(ulimit -n); max=0; counts=()
for n in $COUNTS; do
  if [ $((n + 1000)) -gt "$limit" ]; then
    echo "idle-memory.sh: skipping $n connections: they need $((n + 1000)) descriptors, the limit here is $limit" >&2
    continue
  fi
  counts+=("$n"); [ "$n" -gt "$max" ] && max=$n
done
[ ${#counts[@]} -gt 0 ] || exit 2

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
www=$work/www; mkdir -p "$www"; chmod 755 "$work" "$www"
head -c 1024 /dev/urandom >"$www/small.bin"; chmod 644 "$www/small.bin"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "idle-memory.sh: nothing listens on $1" >&2; return 1; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
heap_bytes() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram | awk '/^Total/ {print $3}'; }   # live objects, after a full GC

ap=$(free_port)
$AMPED "$www" --port "$ap" --access-log off --max-connections $((max + 1000)) $AMPED_ARGS \
  >"$work/amped.log" 2>&1 &
amped=$!; pids+=("$amped")
np=$(free_port)
cat >"$work/nginx.conf" <<NGX
worker_processes 1;
worker_rlimit_nofile $((max + 2000));
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections $((max + 1000)); }
http {
  access_log off;
  sendfile on;
  keepalive_timeout 300s;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$np backlog=4096; root $www; }
}
NGX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
wait_port "$ap"; wait_port "$np"
worker=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)

settle() { # $1 server pid; $2 amped|nginx
  if [ "$2" = amped ]; then "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null; fi
  sleep 1
}
measure() { # $1 name $2 pid $3 port $4 count $5 mode; prints RSS KiB/conn and, for amped, live heap bytes/conn
  local before after heap0=0 heap1=0
  python3 bench/scripts/idle_clients.py 127.0.0.1 "$3" "$4" request </dev/null >/dev/null
  settle "$2" "$1"; before=$(rss_kib "$2")
  [ "$1" = amped ] && heap0=$(heap_bytes "$2")
  coproc CLIENTS { exec python3 bench/scripts/idle_clients.py 127.0.0.1 "$3" "$4" "$5"; }
  local line; read -r line <&"${CLIENTS[0]}" || { echo "idle-memory.sh: clients failed" >&2; exit 1; }
  settle "$2" "$1"; after=$(rss_kib "$2")
  [ "$1" = amped ] && heap1=$(heap_bytes "$2")
  echo done >&"${CLIENTS[1]}"; wait "$CLIENTS_PID" || true
  awk -v b="$before" -v a="$after" -v n="$4" -v h0="$heap0" -v h1="$heap1" 'BEGIN {printf "%.2f %.0f\n", (a - b) / n, (h1 - h0) / n}'
}
printf '%-8s %-8s %14s %14s %8s %16s\n' count mode "amped KiB/conn" "nginx KiB/conn" ratio "amped heap B/conn"
for n in "${counts[@]}"; do
  for mode in idle request; do
    read -r a heap < <(measure amped "$amped" "$ap" "$n" "$mode")
    read -r g _ < <(measure nginx "$worker" "$np" "$n" "$mode")
    printf '%-8s %-8s %14s %14s %8s %16s\n' "$n" "$mode" "$a" "$g" "$(awk -v a="$a" -v g="$g" 'BEGIN {printf "%.2f", (g > 0 ? a / g : 0)}')" "$heap"
  done
done
