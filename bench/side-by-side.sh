#!/usr/bin/env bash
# Several servers side by side in one run — amped builds or settings, and nginx — each loaded by wrk in
# turn (A B C A B C ...), so that machine drift cancels out. Besides the server's own CPU per MB it prints
# the whole machine's: on loopback the kernel charges TCP work to whichever side runs it (a server that
# keeps little unsent data does the transmitting in its own sendfile; one with megabytes queued has it done
# in the client's ACK processing), so the server's share alone can mislead.
#
#   mvn -q -DskipTests package && bench/side-by-side.sh                       # this build against nginx
#   CONFIGS="nginx;new=cli/target/amped.jar;old=/tmp/old.jar" WORKLOADS="medium large" bench/side-by-side.sh
#   CONFIGS="one=cli/target/amped.jar;two=cli/target/amped.jar|--dispatchers 2" bench/side-by-side.sh
#
# CONFIGS: ';'-separated; "nginx" (one worker), or name=jar[|amped arguments]. JAVA_OPTS go to every JVM.
# WORKLOADS: small (1 KiB), medium (100 KiB), large (10 MiB), huge (1 GiB). Needs wrk and nginx
# (apt-get install -y wrk nginx). One row per round and server:
#   req/s, MB/s, p99, cpu (server CPU ms per MB), all (whole machine's busy CPU ms per MB: server, client and
#   kernel), vcs (the server's voluntary context switches per request), wall (seconds the round took).
set -euo pipefail

CONFIGS=${CONFIGS:-"nginx;amped=cli/target/amped.jar"}
WORKLOADS=${WORKLOADS:-"small medium large"}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-6}
CONNECTIONS=${CONNECTIONS:-64}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
JAVA=${JAVA:-java}

command -v wrk >/dev/null || { echo "side-by-side.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
www=$work/www; mkdir -p "$www"; chmod 755 "$work" "$www"   # nginx workers run unprivileged
head -c 1024 /dev/urandom >"$www/small.bin"
head -c $((100 * 1024)) /dev/urandom >"$www/medium.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$www/large.bin"
case " $WORKLOADS " in *" huge "*) head -c $((1024 * 1024 * 1024)) /dev/urandom >"$www/huge.bin" ;; esac
chmod 644 "$www"/*

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "side-by-side.sh: nothing listens on $1" >&2; return 1; }

names=(); ports=(); measured=()
IFS=';' read -ra configs <<<"$CONFIGS"
for c in "${configs[@]}"; do
  port=$(free_port)
  if [ "$c" = nginx ]; then
    command -v nginx >/dev/null || { echo "side-by-side.sh: nginx is missing (apt-get install -y nginx)" >&2; exit 2; }
    cat >"$work/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 16384; }
http {
  access_log off;
  types { application/octet-stream bin; }
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 10000000;
  open_file_cache max=1000;
  server { listen 127.0.0.1:$port; root $www; }
}
NGX
    nginx -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
    pids+=($!); names+=(nginx)
  else
    name=${c%%=*}; rest=${c#*=}; jar=${rest%%|*}; args=""
    [ "$rest" != "$jar" ] && args=${rest#*|}
    [ -f "$jar" ] || { echo "side-by-side.sh: $jar not found" >&2; exit 2; }
    # shellcheck disable=SC2086
    "$JAVA" ${JAVA_OPTS:-} -jar "$jar" "$www" --bind 127.0.0.1 --port "$port" $args >"$work/$name.out" 2>&1 &
    pids+=($!); names+=("$name")
  fi
  ports+=("$port")
done
for i in "${!names[@]}"; do
  wait_port "${ports[$i]}"
  # nginx's CPU is its worker's; amped's its JVM's
  p=${pids[$i]}; [ "${names[$i]}" = nginx ] && p=$(ps -o pid= --ppid "$p" | head -1 | tr -d ' ')
  measured+=("$p")
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
voluntary() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {n += $2} END {print n + 0}'; }

for w in $WORKLOADS; do   # warm-up: JIT and page cache
  for i in "${!names[@]}"; do wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:${ports[$i]}/$w.bin" >/dev/null; done
done
printf '%-7s %-8s %9s %8s %9s %7s %7s %7s %6s\n' workload server req/s MB/s p99 cpu all vcs wall
for w in $WORKLOADS; do
  for _ in $(seq 1 "$ROUNDS"); do
    for i in "${!names[@]}"; do
      p=${measured[$i]}
      t0=$(ticks "$p"); m0=$(busy); v0=$(voluntary "$p"); s0=$(date +%s.%N)
      out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:${ports[$i]}/$w.bin")
      t1=$(ticks "$p"); m1=$(busy); v1=$(voluntary "$p"); s1=$(date +%s.%N)
      echo "$out" | awk -v w="$w" -v n="${names[$i]}" -v dt=$((t1 - t0)) -v dm=$((m1 - m0)) -v dv=$((v1 - v0)) \
          -v hz="$(getconf CLK_TCK)" -v s0="$s0" -v s1="$s1" '
        function mb(v,  u, x) { u = substr(v, length(v) - 1); x = v + 0
          if (u == "GB") x *= 1024; else if (u == "KB") x /= 1024; else if (u !~ /MB/) x /= 1048576; return x }
        /Requests\/sec/ {r = $2} /Transfer\/sec/ {t = mb($2)} / 99%/ {p = $2}
        / requests in .* read$/ {total = mb($(NF - 1)); count = $1}
        END {printf "%-7s %-8s %9.0f %8.1f %9s %7.3f %7.3f %7.4f %6.1f\n", w, n, r, t, p,
          (total > 0 ? dt * 1000 / hz / total : 0), (total > 0 ? dm * 1000 / hz / total : 0),
          (count > 0 ? dv / count : 0), s1 - s0}'
    done
  done
done
