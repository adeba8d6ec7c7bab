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

# Growth per key from $1 to $2 bytes, over $keys keys.
per_key() { echo "scale=1; ($2 - $1) / $keys" | bc; }
