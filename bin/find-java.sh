#!/usr/bin/env bash
# Finds a JDK 25 or newer: $JAVA_HOME first, then the usual install places. Prints its home.
# Sourced by ./kvasir-server, ./kvasir-benchmark and .ci/run.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_java_home() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* \
           "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    major=$(java_major "$c")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

require_java_home() {
  local home
  if ! home=$(find_java_home); then
    echo "Kvasir needs a JDK 25 or newer, and none was found (looked at \$JAVA_HOME and /usr/lib/jvm)." >&2
    echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or from https://adoptium.net," >&2
    echo "then run again, or set JAVA_HOME to its folder." >&2
    exit 1
  fi
  export JAVA_HOME="$home"
}

# Run directly (as ./mvnw does), print the JDK's home, or explain and fail.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  require_java_home
  echo "$JAVA_HOME"
fi
