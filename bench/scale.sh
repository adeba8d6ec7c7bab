#!/usr/bin/env bash
# How cost grows, Redis and Kvasir side by side (interleaved, medians of [rounds]):
#   - GET throughput with 1M and with 10M keys loaded (key:%012d -> 16-byte values);
#   - GET throughput with 50, 1,000 and 10,000 connections (the first key count);
#   - Kvasir's longest GC pause and safepoint while loading 10M keys and serving (JFR, with the
#     launcher's default JVM options).
#   bench/scale.sh [rounds]      default 3;  SECONDS_PER_RUN=5 KEY_COUNTS="1000000 10000000"
# The load generator is ./kvasir-benchmark (one thread; -P 16). 10,000 connections need
# `ulimit -n` above 20,000.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
rounds="${1:-3}"
secs="${SECONDS_PER_RUN:-5}"
# shellcheck source=../bin/find-java.sh
source "$here/bin/find-java.sh"
require_java_home

gen() { "$here/kvasir-benchmark" -p "$1" -d 16 --csv "${@:2}" 2>/dev/null | grep '^"GET' | tail -1 | awk -F'","' '{print $2}'; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
start_both() {
  rport=$(free_port); kport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --maxclients 20000 \
    --daemonize no >"$tmp/redis.log" 2>&1 &
  KVASIR_JAVA_OPTS="-XX:+UseZGC -XX:+AlwaysPreTouch -Xms256m -XX:StartFlightRecording=filename=$tmp/kvasir-$1.jfr,settings=default" \
    "$here/kvasir-server" --port "$kport" --bind 127.0.0.1 --save "" --maxclients 20000 >"$tmp/kvasir.log" 2>&1 &
  wait_up "$rport"; wait_up "$kport"
}
stop_both() {
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  local kpid; kpid=$(pgrep -f "kvasir.jar.*--port $kport" | head -1)
  "$JAVA_HOME/bin/jcmd" "$kpid" JFR.dump filename="$tmp/kvasir-$1.jfr" >/dev/null
  redis-cli -p "$kport" shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
}
row() { # name, then generator options
  local name=$1; shift
  local r="" k=""
  for _ in $(seq 1 "$rounds"); do
    r+="$(gen "$rport" "$@") "; k+="$(gen "$kport" "$@") "
  done
  local rm km; rm=$(echo "$r" | median); km=$(echo "$k" | median)
  printf '| %-34s | %12.0f | %12.0f | %6.2f |\n' "$name" "$rm" "$km" "$(echo "$km / $rm" | bc -l)"
}

echo "$(date -u +%F), $(nproc) cores, $(redis-server --version | cut -d' ' -f1-3), ${rounds} interleaved rounds, medians, GET -P 16"
printf '| %-34s | %12s | %12s | %6s |\n' configuration "Redis GET/s" "Kvasir GET/s" ratio
printf '|%s|\n' "---|---:|---:|---:"
counts=(${KEY_COUNTS:-1000000 10000000})
for keys in "${counts[@]}"; do
  start_both "$keys"
  for p in "$rport" "$kport"; do "$here/kvasir-benchmark" -p "$p" --fill "$keys" -d 16 -c 8 -q >/dev/null 2>&1; done
  row "$keys keys, 50 connections" -t get -c 50 -P 16 -r "$keys" --seconds "$secs"
  if [ "$keys" = "${counts[0]}" ]; then
    row "$keys keys, 1,000 connections" -t get -c 1000 -P 16 -r "$keys" --seconds "$secs"
    row "$keys keys, 10,000 connections" -t get -c 10000 -P 16 -r "$keys" --seconds "$secs" --warmup 3
  fi
  stop_both "$keys"
  echo "    Kvasir with ${keys} keys: $("$JAVA_HOME/bin/java" "$here/bench/JfrPauses.java" "$tmp/kvasir-$keys.jfr" | tr '\n' ';')"
done
