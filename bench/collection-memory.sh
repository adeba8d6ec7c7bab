#!/usr/bin/env bash
# Bytes per key of small collections, Redis and Kvasir side by side: each server starts empty,
# gets the same N keys over the network (redis-cli --pipe), and reports its growth per key:
# Redis's used_memory; Kvasir's used_memory after a full GC (its live heap) and its RSS growth.
#   bench/collection-memory.sh [keys]      default 200000
# Kinds: a hash of 10 fields (field0..9 -> 8-byte values, listpack), a set of the integers 1..10
# (intset), a sorted set of 10 members (listpack), a list of 10 8-byte elements (listpack).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$here/bench/lib.sh"
keys="${1:-200000}"
opts="${KVASIR_MEMORY_JAVA_OPTS:--XX:+UseZGC -Xms16m -XX:ZUncommitDelay=1}"
# shellcheck source=../bin/find-java.sh
source "$here/bin/find-java.sh"
require_java_home


tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

# RESP commands for each kind, written once
python3 - "$keys" "$tmp" <<'EOF'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
def resp(*a):
    return "*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a)
kinds = {
    "hash": lambda i: resp("HSET", "hash:%08d" % i, *sum((["field%d" % f, "v%07d" % f] for f in range(10)), [])),
    "intset": lambda i: resp("SADD", "set:%08d" % i, *[str(m) for m in range(1, 11)]),
    "zset": lambda i: resp("ZADD", "zset:%08d" % i, *sum(([str(m), "member:%d" % m] for m in range(10)), [])),
    "list": lambda i: resp("RPUSH", "list:%08d" % i, *["e%07d" % m for m in range(10)]),
}
for k, f in kinds.items():
    with open("%s/%s.resp" % (d, k), "w", newline="") as out:
        for i in range(n):
            out.write(f(i))
EOF

echo "$(date -u +%F), $(redis-server --version | cut -d' ' -f1-3), $keys keys of each kind"
printf '| %-40s | %12s | %12s | %12s |\n' kind "Redis used" "Kvasir heap" "Kvasir RSS"
printf '|%s|\n' "---|---:|---:|---:"
for kind in hash intset zset list; do
  case $kind in
    hash) label="hash, 10 fields of 8-byte values";; intset) label="set of the integers 1..10 (intset)";;
    zset) label="sorted set, 10 members (listpack)";; list) label="list, 10 elements of 8 bytes";;
  esac
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --daemonize no >"$tmp/redis.log" 2>&1 &
  rpid=$!
  wait_up "$rport"
  r0=$(info_memory "$rport" used_memory)
  redis-cli -p "$rport" --pipe <"$tmp/$kind.resp" >/dev/null
  r1=$(info_memory "$rport" used_memory)
  kill $rpid; wait $rpid 2>/dev/null || true

  kport=$(free_port)
  KVASIR_JAVA_OPTS="$opts" "$here/kvasir-server" --port "$kport" --bind 127.0.0.1 --save "" >"$tmp/kvasir.log" 2>&1 &
  wait_up "$kport"
  kpid=$(pgrep -f "kvasir.jar.*--port $kport" | head -1)
  full_gc "$kpid"
  k0=$(info_memory "$kport" used_memory); s0=$(rss "$kpid")
  redis-cli -p "$kport" --pipe <"$tmp/$kind.resp" >/dev/null
  full_gc "$kpid"
  k1=$(info_memory "$kport" used_memory); s1=$(rss "$kpid")
  redis-cli -p "$kport" shutdown nosave >/dev/null 2>&1 || kill "$kpid"
  wait 2>/dev/null || true
  printf '| %-40s | %12s | %12s | %12s |\n' "$label" "$(per_key "$r0" "$r1")" "$(per_key "$k0" "$k1")" "$(per_key "$s0" "$s1")"
done
