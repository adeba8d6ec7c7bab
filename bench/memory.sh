#!/usr/bin/env bash
# Bytes per key, side by side: a real redis-server and Kvasir, each started empty, loaded with the
# same N keys key:%012d -> D-byte values over the network, then measured:
#   Redis:  used_memory growth and process RSS growth;
#   Kvasir: process RSS growth after a full GC (jcmd GC.run, then a pause so ZGC can return
#           freed heap to the OS), and used_memory (the live heap after that GC).
#   bench/memory.sh [keys] [value sizes...]      default: 1000000 16 100
# Kvasir runs with the launcher's GC (ZGC) but a small initial heap and a short uncommit delay, so
# that RSS follows the data instead of a pre-touched heap (KVASIR_MEMORY_JAVA_OPTS overrides).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
keys="${1:-1000000}"; shift || true
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(16 100)
opts="${KVASIR_MEMORY_JAVA_OPTS:--XX:+UseZGC -Xms16m -XX:ZUncommitDelay=1}"
# shellcheck source=../bin/find-java.sh
source "$here/bin/find-java.sh"
require_java_home

fill() { "$here/kvasir-benchmark" -p "$1" --fill "$keys" -d "$2" -c 8 -q >/dev/null 2>&1; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
echo "$(date -u +%F), $(nproc) cores, $(redis-server --version | cut -d' ' -f1-3), $keys keys key:%012d"
printf '| %-6s | %-28s | %10s |\n' value measure "bytes/key"
printf '|%s|\n' "---|---|---:"
for d in "${sizes[@]}"; do
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --daemonize no >"$tmp/redis.log" 2>&1 &
  rpid=$!
  wait_up "$rport"
  r_used0=$(info_memory "$rport" used_memory); r_rss0=$(rss $rpid)
  fill "$rport" "$d"
  r_used1=$(info_memory "$rport" used_memory); r_rss1=$(rss $rpid)
  kill $rpid; wait $rpid 2>/dev/null || true

  kport=$(free_port)
  KVASIR_JAVA_OPTS="$opts" "$here/kvasir-server" --port "$kport" --bind 127.0.0.1 --save "" >"$tmp/kvasir.log" 2>&1 &
  wait_up "$kport"
  kpid=$(pgrep -f "kvasir.jar.*--port $kport" | head -1)
  full_gc "$kpid"
  k_rss0=$(rss "$kpid"); k_used0=$(info_memory "$kport" used_memory)
  fill "$kport" "$d"
  full_gc "$kpid"
  k_rss1=$(rss "$kpid"); k_used1=$(info_memory "$kport" used_memory)
  redis-cli -p "$kport" shutdown nosave >/dev/null 2>&1 || kill "$kpid"
  wait 2>/dev/null || true

  printf '| %-6s | %-28s | %10s |\n' "${d} B" "Redis used_memory" "$(per_key "$r_used0" "$r_used1")"
  printf '| %-6s | %-28s | %10s |\n' "${d} B" "Redis RSS" "$(per_key "$r_rss0" "$r_rss1")"
  printf '| %-6s | %-28s | %10s |\n' "${d} B" "Kvasir RSS after full GC" "$(per_key "$k_rss0" "$k_rss1")"
  printf '| %-6s | %-28s | %10s |\n' "${d} B" "Kvasir used_memory (live heap)" "$(per_key "$k_used0" "$k_used1")"
done
