#!/usr/bin/env bash
# Builds the Java SDK with the JDK alone (no Maven, no network): compiles src/main/java with
# javac (release 17, every lint and doclint warning an error) into build/provenance-sdk.jar.
#
#   bash sdk/java/build.sh              build the jar
#   bash sdk/java/build.sh test [NAME]  build, then compile src/test/java and run the tests
#                                       (TestRunner; NAME runs only tests whose name contains it).
#                                       Live tests need PROVENANCE_URL, PROVENANCE_TOKEN,
#                                       PROVENANCE_TEST_REVIEWER_TOKEN and PROVENANCE_TEST_ORG
#                                       (skipped, and counted as skipped, without them); the
#                                       JSON report goes to $PROVENANCE_TEST_REPORT when set.
#   bash sdk/java/build.sh clean        remove build/
#
# Works from any directory; uses $JAVA_HOME/bin when JAVA_HOME is set, else the PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

bin=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then bin="$JAVA_HOME/bin/"; fi
JAVAC="${bin}javac"
JAR="${bin}jar"
JAVA="${bin}java"

case "${1:-}" in
  clean)
    rm -rf build
    exit 0
    ;;
  "" | test) ;;
  *)
    echo "usage: bash sdk/java/build.sh [test [NAME] | clean]" >&2
    exit 2
    ;;
esac

rm -rf build/classes build/test-classes build/provenance-sdk.jar
mkdir -p build/classes build/test-classes

# Source lists as javac argument files (one quoted path per line: safe with any path).
find src/main/java -name '*.java' | LC_ALL=C sort | sed 's/.*/"&"/' > build/main-sources.txt
"$JAVAC" --release 17 -encoding UTF-8 -Xlint:all -Xdoclint:all,-missing -Werror \
  -d build/classes @build/main-sources.txt
"$JAR" --create --file build/provenance-sdk.jar -C build/classes .
echo "built $here/build/provenance-sdk.jar"

if [ "${1:-}" = "test" ]; then
  find src/test/java -name '*.java' | LC_ALL=C sort | sed 's/.*/"&"/' > build/test-sources.txt
  "$JAVAC" --release 17 -encoding UTF-8 -Xlint:all,-processing -Werror \
    -cp build/provenance-sdk.jar -d build/test-classes @build/test-sources.txt
  # The tests run against the jar (what users get), not against build/classes.
  exec "$JAVA" -Dprovenance.sdk.dir="$here" -cp "build/provenance-sdk.jar:build/test-classes" \
    dev.provenance.TestRunner "${@:2}"
fi
