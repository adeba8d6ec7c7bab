#!/usr/bin/env bash
# JMH micro-benchmarks of the hot path: the RESP parser, the keyspace index, the reply writer,
# GET/SET through the dispatcher (src/jmh/java). Times in ns per operation.
#   bench/jmh.sh [JMH options] [benchmark regex]
#   bench/jmh.sh                                   # all: 1 fork, 3 x 1 s warmup, 5 x 1 s measured
#   bench/jmh.sh -f 1 -wi 1 -i 2 Keyspace          # a quick look at one class;  -h lists JMH's options
# Builds target/jmh/benchmarks.jar (./mvnw -Pjmh package) when missing or older than the sources.
# The forked JVMs run with the flags in the classes' @Fork (ZGC as ./kvasir-server, a 1 GB heap);
# -jvmArgsAppend '...' replaces them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bin/find-java.sh"
require_java_home
jar="$here/target/jmh/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/src/jmh" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "Building the benchmarks (first run or sources changed)..." >&2
  (cd "$here" && ./mvnw -q -B -Pjmh package >&2)
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "$@"
