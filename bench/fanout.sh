#!/usr/bin/env bash
# Pub/sub fan-out side by side: a real redis-server and Kvasir on free loopback ports, the same
# `kvasir-benchmark fanout` run against each, interleaved (Redis, Kvasir, Redis, Kvasir ...), then
# medians and Kvasir/Redis ratios.
#   bench/fanout.sh [rounds] [fanout options...]          default: 3 rounds of the tool's defaults
#   bench/fanout.sh 5 --channels 10 --patterns --resp3    (./kvasir-benchmark fanout --help lists them)
# The tool's defaults: 1000 subscribers on 1 channel, 1 publisher sending PUBLISH in pipelined
# batches of 16 with 16-byte payloads, 5000 untimed warm-up messages, then 20000 timed ones; at
# most 1000 messages of a publisher on their way at once. It opens the subscribers over 2 event
# loops (non-blocking), waits until PUBSUB NUMSUB counts them all, and times from the first PUBLISH
# until every subscriber has every message; it checks that each got each of its messages exactly
# once, in publish order, and that each PUBLISH counted its receivers, and fails the run otherwise.
# Printed per server: published and delivered messages/s, the PUBLISH round trip (a batch's, for
# each of its requests) and the publish-to-last-subscriber latency (p50/p99), the CPU the server
# and the tool used while timed (% of one core; a tool near 100% per thread is the limit, not the
# server), and the server's CPU per 1000 deliveries, which a busy machine disturbs least.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
rounds="${1:-3}"; shift || true
opts=("$@")
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || [ "$(ulimit -n)" -ge 4096 ] || { echo "ulimit -n is $(ulimit -n): too few sockets" >&2; exit 1; }
start_pair

fields=(published_per_s delivered_per_s publish_p50_ms publish_p99_ms fanout_p50_ms fanout_p99_ms tool_cpu_pct server_cpu_pct server_us_per_k)
declare -A values
for r in $(seq 1 "$rounds"); do
  for target in redis kvasir; do
    port=$rport; pid=$rpid
    [ "$target" = kvasir ] && { port=$kport; pid=$kpid; }
    row=$("$here/kvasir-benchmark" fanout -p "$port" --server-pid "$pid" --csv -q "${opts[@]}" | tail -1 | tr -d '"')
    IFS=, read -r pub del pp50 pp99 fp50 fp99 tcpu scpu _ deliveries secs <<<"$row"
    perk=$(echo "$scpu / 100 * $secs * 1000000 / $deliveries * 1000" | bc -l)
    i=0
    for v in "$pub" "$del" "$pp50" "$pp99" "$fp50" "$fp99" "$tcpu" "$scpu" "$perk"; do
      values["$target|${fields[$i]}"]+="$v "; i=$((i + 1))
    done
    echo "round $r $target: $(printf '%.0f' "$del") delivered/s, server CPU ${scpu}%, tool CPU ${tcpu}%" >&2
  done
done

echo "kvasir-benchmark fanout ${opts[*]:-(defaults)}  (${rounds} interleaved rounds, medians, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-18s %14s %14s %8s\n' metric redis kvasir ratio
for f in "${fields[@]}"; do
  rm=$(echo "${values[redis|$f]}" | median); km=$(echo "${values[kvasir|$f]}" | median)
  ratio=$(echo "$rm" | awk -v k="$km" '{print ($1 == 0 ? "-" : sprintf("%.2f", k / $1))}')
  printf '%-18s %14.3f %14.3f %8s\n' "$f" "$rm" "$km" "$ratio"
done
