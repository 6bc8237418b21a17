#!/usr/bin/env bash
# HTTPS side by side: amped against nginx (one worker), both with the same EC P-256 certificate and TLS 1.3,
# loaded by wrk over https, alternating amped, nginx, amped, nginx so that machine drift cancels out.
#
#   mvn -q -DskipTests package && bench/tls-compare.sh            # from the project root
#   ROUNDS=5 DURATION=10 bench/tls-compare.sh large handshake
#
# Needs wrk, nginx and openssl (apt-get install -y wrk nginx openssl). Workloads:
#   large      a 10 MiB file over 16 kept-alive connections: MB/s and server CPU ms per MB served
#   small      a 1 KiB file over 64 kept-alive connections: requests per second
#   handshake  the 1 KiB file with "Connection: close" over 16 connections: a full handshake per request
# Prints one row per workload (medians of ROUNDS) and the ratios amped/nginx (higher is better for amped;
# cpu_r = nginx's CPU per MB / amped's).
set -euo pipefail

JAR=${AMPED_JAR:-cli/target/amped.jar}
AMPED_ARGS=${AMPED_ARGS:-}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-6}
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(large small handshake)

for tool in wrk nginx openssl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "tls-compare.sh: $tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || { echo "tls-compare.sh: $JAR not found; build first (mvn -q -DskipTests package)" >&2; exit 2; }
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
[ -n "$JAVA" ] || JAVA=$(bin/jdk25)/bin/java

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

www=$work/www; mkdir -p "$www"; chmod 755 "$work" "$www"   # nginx workers run unprivileged
head -c 1024 /dev/urandom >"$www/small.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$www/large.bin"
chmod 644 "$www"/*
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
chmod 644 "$work"/*.pem

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; return 1; }

np=$(free_port)
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
  server {
    listen 127.0.0.1:$np ssl;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.3;
    root $www;
  }
}
NGX
"$NGINX" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
npid=$!; pids+=($npid)
ap=$(free_port)
# shellcheck disable=SC2086
"$JAVA" ${JAVA_OPTS:-} -jar "$JAR" "$www" --port "$ap" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" \
  $AMPED_ARGS >"$work/amped.out" 2>&1 &
apid=$!; pids+=($apid)
wait_port "$np"; wait_port "$ap"

run_wrk() { # port workload -> "req/s MB/s errors"
  local c=64 path=small.bin hdr=()
  case "$2" in
    large) c=16; path=large.bin ;;
    handshake) c=16; hdr=(-H 'Connection: close') ;;
  esac
  wrk -t1 -c"$c" -d"${DURATION}s" --timeout 10s "${hdr[@]}" "https://127.0.0.1:$1/$path" 2>&1 | awk '
    /Requests\/sec/ {r=$2}
    /Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=v+0; if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u=="B") n/=1048576; t=n}
    /Non-2xx|Socket errors/ {e=e $0}
    END {printf "%s %.1f %s\n", r+0, t+0, (e=="" ? "-" : "ERR")}'
}
ticks() { # user+system clock ticks of a process and its children (nginx's worker)
  local t=0 p
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
measure() { # pid port workload -> "req/s MB/s err cpu_ms_per_MB"
  local before after out
  before=$(ticks "$1"); out=$(run_wrk "$2" "$3"); after=$(ticks "$1")
  echo "$out $(awk -v d=$((after - before)) -v hz="$(getconf CLK_TCK)" -v mb="$(echo "$out" | cut -d' ' -f2)" -v s="$DURATION" \
    'BEGIN {printf "%.3f", (mb > 0 ? d * 1000 / hz / (mb * s) : 0)}')"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for w in "${WORKLOADS[@]}"; do run_wrk "$ap" "$w" >/dev/null; run_wrk "$np" "$w" >/dev/null; done   # warm-up

printf '%-10s %12s %12s %6s %10s %10s %9s %9s %6s\n' workload amped_req/s nginx_req/s ratio amped_MB/s nginx_MB/s amped_cpu nginx_cpu cpu_r
for w in "${WORKLOADS[@]}"; do
  : >"$work/a"; : >"$work/n"
  for _ in $(seq 1 "$ROUNDS"); do
    measure "$apid" "$ap" "$w" >>"$work/a"
    measure "$npid" "$np" "$w" >>"$work/n"
  done
  ar=$(cut -d' ' -f1 "$work/a" | median); nr=$(cut -d' ' -f1 "$work/n" | median)
  am=$(cut -d' ' -f2 "$work/a" | median); nm=$(cut -d' ' -f2 "$work/n" | median)
  ac=$(cut -d' ' -f4 "$work/a" | median); nc=$(cut -d' ' -f4 "$work/n" | median)
  grep -q ERR "$work/a" && w="$w(amped ERR)"
  grep -q ERR "$work/n" && w="$w(nginx ERR)"
  printf '%-10s %12.0f %12.0f %6s %10s %10s %9s %9s %6s\n' "$w" "$ar" "$nr" \
    "$(awk -v a="$ar" -v b="$nr" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" "$am" "$nm" "$ac" "$nc" \
    "$(awk -v a="$ac" -v b="$nc" 'BEGIN {printf "%.2f", (a > 0 ? b / a : 0)}')"
done
echo "amped peak RSS: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$apid/status 2>/dev/null || echo '?')"
