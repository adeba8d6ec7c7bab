# Helpers shared by the bench/ scripts (sourced, not run).

# A free TCP port on the loopback interface.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (up to 30 s) until the server on port $1 answers PING.
wait_up() { for _ in $(seq 1 300); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; }

# The median of the numbers on standard input (separated by spaces or lines).
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Resident set size of process $1, in bytes.
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }

# Field $2 of INFO memory from the server on port $1.
info_memory() { redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f {print $2}'; }

# Two full GCs of JVM $1, with pauses so that the GC can give freed heap back to the OS.
full_gc() { "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null; sleep 3; "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null; sleep 2; }

# CPU time process $1 has used so far (user + system), in clock ticks of 10 ms.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Growth per key from $1 to $2 bytes, over $keys keys.
per_key() { echo "scale=1; ($2 - $1) / $keys" | bc; }

# Stops with a hint unless redis-server and redis-benchmark are installed.
require_redis_tools() {
  command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null || {
    echo "needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)" >&2; exit 1; }
}

# Starts a redis-server and a Kvasir (the launcher's defaults) on free loopback ports and waits for
# both: sets rport, kport, rpid, kpid and tmp (a scratch folder); both stop, and tmp goes, when the
# script exits.
start_pair() {
  rport=$(free_port); kport=$(free_port)
  tmp=$(mktemp -d)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --daemonize no \
    >"$tmp/redis.log" 2>&1 &
  rpid=$!
  "$here/kvasir-server" --port "$kport" --bind 127.0.0.1 --save "" >"$tmp/kvasir.log" 2>&1 &
  kpid=$!
  # shellcheck disable=SC2064 # the pids and folder are fixed now
  trap "kill $rpid $kpid 2>/dev/null; wait 2>/dev/null; rm -rf '$tmp'" EXIT
  wait_up "$rport"; wait_up "$kport"
}
