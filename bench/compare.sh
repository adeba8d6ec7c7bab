#!/usr/bin/env bash
# Side-by-side throughput: a real redis-server and Kvasir on free loopback ports, the same
# redis-benchmark runs against each, interleaved (A B A B ...), medians and Kvasir/Redis ratios.
#   bench/compare.sh [rounds] [redis-benchmark options...]
#   default: 3 rounds of  -t get,set -c 50 -P 16 -n 1000000 -r 1000000 -d 16
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
rounds="${1:-3}"; shift || true
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(-t get,set -c 50 -P 16 -n 1000000 -r 1000000 -d 16)
require_redis_tools
start_pair
# warm up the JIT so the rounds measure steady state
redis-benchmark -p "$kport" "${opts[@]}" -q >/dev/null 2>&1 || true

declare -A results
for r in $(seq 1 "$rounds"); do
  for target in redis kvasir; do
    port=$rport; [ "$target" = kvasir ] && port=$kport
    while IFS= read -r line; do
      test_name="${line%%:*}"
      rps=$(echo "$line" | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/')
      results["$target|$test_name"]+="$rps "
    done < <(redis-benchmark -p "$port" "${opts[@]}" -q 2>/dev/null | tr '\r' '\n' | grep 'requests per second')
  done
done

echo "redis-benchmark ${opts[*]}  (${rounds} interleaved rounds, medians, $(nproc) cores)"
printf '%-12s %14s %14s %8s\n' test redis kvasir ratio
for key in "${!results[@]}"; do
  [[ "$key" == redis\|* ]] || continue
  t="${key#redis|}"
  rm=$(echo "${results[redis|$t]}" | median); km=$(echo "${results[kvasir|$t]:-0}" | median)
  printf '%-12s %14.0f %14.0f %8.2f\n' "$t" "$rm" "$km" "$(echo "$km / $rm" | bc -l)"
done
