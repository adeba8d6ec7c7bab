#!/usr/bin/env bash
# Side-by-side throughput: a real redis-server and Kvasir on free loopback ports, the same
# redis-benchmark runs against each, interleaved (A B A B ...), medians and Kvasir/Redis ratios,
# and what each request cost in CPU: the server's (user + system, from /proc) and redis-benchmark's.
#   bench/compare.sh [rounds] [redis-benchmark options...]
#   default: 3 rounds of  -t get,set -c 50 -P 16 -n 1000000 -r 1000000 -d 16
# Each test named by -t runs as its own redis-benchmark invocation, so its CPU is its own (LRANGE
# tests include the LPUSH fill that redis-benchmark runs before them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
rounds="${1:-3}"; shift || true
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(-t get,set -c 50 -P 16 -n 1000000 -r 1000000 -d 16)
# split the -t list: one invocation per test; -n gives the requests per test
tests=(""); rest=(); requests=100000
for ((i = 0; i < ${#opts[@]}; i++)); do
  case "${opts[$i]}" in
    -t) IFS=, read -r -a tests <<<"${opts[$((i + 1))]}"; i=$((i + 1));;
    -n) requests="${opts[$((i + 1))]}"; rest+=(-n "$requests"); i=$((i + 1));;
    *) rest+=("${opts[$i]}");;
  esac
done
require_redis_tools
start_pair
# warm up the JIT so the rounds measure steady state
redis-benchmark -p "$kport" "${opts[@]}" -q >/dev/null 2>&1 || true

declare -A rps server client
names=()
for r in $(seq 1 "$rounds"); do
  for t in "${tests[@]}"; do
    for target in redis kvasir; do
      port=$rport; pid=$rpid
      [ "$target" = kvasir ] && { port=$kport; pid=$kpid; }
      targs=(); [ -n "$t" ] && targs=(-t "$t")
      c0=$(cpu_ticks "$pid")
      out=$( { /usr/bin/time -f 'client %U %S' redis-benchmark -p "$port" "${targs[@]}" "${rest[@]}" -q 2>&1 >&3 | grep '^client' >&2; } 3>&1 2>"$tmp/client" | tr '\r' '\n' | grep 'requests per second' || true)
      c1=$(cpu_ticks "$pid")
      lines=$(echo "$out" | grep -c 'requests per second' || true)
      [ "$lines" -gt 0 ] || continue
      total=$((requests * lines))
      # microseconds of CPU per request: ticks are 10 ms
      s_us=$(echo "scale=2; ($c1 - $c0) * 10000 / $total" | bc)
      c_us=$(awk -v n="$total" '{print ($2 + $3) * 1000000 / n}' "$tmp/client")
      while IFS= read -r line; do
        name="${line%%:*}"
        [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
        rps["$target|$name"]+="$(echo "$line" | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/') "
        server["$target|$name"]+="$s_us "
        client["$target|$name"]+="$c_us "
      done <<<"$out"
    done
  done
done

echo "redis-benchmark ${opts[*]}  (${rounds} interleaved rounds, medians, $(nproc) cores)"
printf '%-40s %12s %12s %7s %17s %17s\n' test redis kvasir ratio "server us/req R/K" "client us/req R/K"
for name in "${names[@]}"; do
  m() { echo "${1:-0}" | median; }
  rm=$(m "${rps[redis|$name]:-0}"); km=$(m "${rps[kvasir|$name]:-0}")
  printf '%-40s %12.0f %12.0f %7.2f %8.2f / %-6.2f %8.2f / %-6.2f\n' "$name" "$rm" "$km" "$(echo "$km / $rm" | bc -l)" \
    "$(m "${server[redis|$name]}")" "$(m "${server[kvasir|$name]}")" "$(m "${client[redis|$name]}")" "$(m "${client[kvasir|$name]}")"
done
