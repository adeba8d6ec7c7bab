#!/usr/bin/env bash
# The performance issue's side-by-side table: a real redis-server and Kvasir on free loopback
# ports, both filled with the same 1M keys (key:%012d -> 16-byte values), then every
# configuration run against both, interleaved (Redis, Kvasir, Redis, Kvasir ...), for [rounds]
# rounds. Prints medians of requests/s and p99 latency, the Kvasir/Redis ratio next to its goal,
# and the load generator's own CPU use (near 100% means the generator, not the server, is the
# limit).
#   bench/suite.sh [rounds]          default 3
#   SECONDS_PER_RUN=5 KEYS=1000000 SCALE=1 bench/suite.sh   (SCALE=0.1: a quick smoke run)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
rounds="${1:-3}"
keys="${KEYS:-1000000}"
secs="${SECONDS_PER_RUN:-5}"
scale="${SCALE:-1}"
require_redis_tools
start_pair
for p in "$rport" "$kport"; do
  "$here/kvasir-benchmark" -p "$p" --fill "$keys" -d 16 -c 8 -q >/dev/null
done
echo "filled both with $(redis-cli -p "$rport" dbsize) / $(redis-cli -p "$kport" dbsize) keys"

# name | goal | tool | options (requests sized so one run takes a few seconds here)
configs=(
  "GET c50 P1|1.0|rb|-t get -c 50 -P 1 -n 300000"
  "SET c50 P1|1.0|rb|-t set -c 50 -P 1 -n 300000"
  "GET c50 P16|1.8|rb|-t get -c 50 -P 16 -n 2000000"
  "SET c50 P16|1.6|rb|-t set -c 50 -P 16 -n 2000000"
  "GET c50 P100|3.6|rb|-t get -c 50 -P 100 -n 4000000"
  "SET c50 P100|4.8|rb|-t set -c 50 -P 100 -n 4000000"
  "GET c4 P1000 --threads 2|8|rb|-t get -c 4 -P 1000 --threads 2 -n 6000000"
  "SET c4 P1000 --threads 2|8|rb|-t set -c 4 -P 1000 --threads 2 -n 6000000"
  "GET own P1000|-|kb|-t get -c 8 -P 1000"
  "GET own P20000|10|kb|-t get -c 8 -P 20000"
)

# Runs one configuration once; prints "rps p99 cpu%".
run() {
  local tool=$1 port=$2; shift 2
  local line cpu
  if [ "$tool" = rb ]; then
    line=$( { /usr/bin/time -f 'CPU %P' redis-benchmark -p "$port" -r "$keys" -d 16 --csv "$@" 2>&1; } | tr '\r' '\n')
    cpu=$(echo "$line" | sed -n 's/^CPU \([0-9]*\)%.*/\1/p')
    echo "$line" | grep -v '^"test"' | grep '^"' | tail -1 | awk -F'","' -v c="$cpu" '{print $2, $7, c}'
  else
    line=$( { /usr/bin/time -f 'CPU %P' "$here/kvasir-benchmark" -p "$port" -r "$keys" -d 16 --seconds "$(echo "$secs * $scale" | bc -l)" --csv "$@" 2>&1; } | tr '\r' '\n')
    cpu=$(echo "$line" | sed -n 's/^CPU \([0-9]*\)%.*/\1/p')
    echo "$line" | grep '^"GET\|^"SET' | tail -1 | awk -F'","' -v c="$cpu" '{print $2, $4, c}'
  fi
}


echo "warming up the JIT"
run rb "$kport" -t get,set -c 50 -P 16 -n 2000000 >/dev/null
echo
echo "$(date -u +%F), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(redis-server --version | cut -d' ' -f1-3), ${rounds} interleaved rounds, medians"
printf '| %-26s | %12s | %12s | %6s | %5s | %9s | %9s | %7s | %7s |\n' configuration "Redis req/s" "Kvasir req/s" ratio goal "Redis p99" "Kvasir p99" "gen CPU R" "gen CPU K"
printf '|%s|\n' "---|---:|---:|---:|---:|---:|---:|---:|---:"
for c in "${configs[@]}"; do
  IFS='|' read -r name goal tool opts <<<"$c"
  opts=$(echo "$opts" | awk -v s="$scale" '{for (i = 1; i <= NF; i++) if ($(i-1) == "-n") $i = int($i * s); print}')
  declare -A rps=() p99=() cpu=()
  for _ in $(seq 1 "$rounds"); do
    for target in redis kvasir; do
      port=$rport; [ "$target" = kvasir ] && port=$kport
      # shellcheck disable=SC2086
      read -r r p u < <(run "$tool" "$port" $opts)
      rps[$target]+="$r "; p99[$target]+="$p "; cpu[$target]+="$u "
    done
  done
  rr=$(echo "${rps[redis]}" | median); kr=$(echo "${rps[kvasir]}" | median)
  printf '| %-26s | %12.0f | %12.0f | %6.2f | %5s | %7.2fms | %7.2fms | %6s%% | %6s%% |\n' "$name" "$rr" "$kr" \
    "$(echo "$kr / $rr" | bc -l)" "$goal" "$(echo "${p99[redis]}" | median)" "$(echo "${p99[kvasir]}" | median)" \
    "$(echo "${cpu[redis]}" | median)" "$(echo "${cpu[kvasir]}" | median)"
done
