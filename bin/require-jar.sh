#!/usr/bin/env bash
# Builds target/kvasir.jar when it is missing or older than the sources; sets $jar to it.
# Sourced by ./kvasir-server and ./kvasir-benchmark (after find-java.sh's require_java_home).

require_jar() {
  local root="$1"
  jar="$root/target/kvasir.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "Building Kvasir (first run or sources changed)..." >&2
    (cd "$root" && ./mvnw -q -B -DskipTests package >&2)
  fi
}
