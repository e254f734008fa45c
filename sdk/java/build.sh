#!/usr/bin/env bash
# Builds the Java SDK with the JDK alone (no Maven downloads): compiles src/main/java with
# javac (release 17, every lint warning an error) into build/provenance-sdk.jar.
#   bash sdk/java/build.sh        build the jar
#   bash sdk/java/build.sh test   build, then compile and run the tests (TestRunner); live
#                                 tests need PROVENANCE_URL, PROVENANCE_TOKEN,
#                                 PROVENANCE_TEST_REVIEWER_TOKEN and PROVENANCE_TEST_ORG.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf build/classes build/test-classes
mkdir -p build/classes build/test-classes
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -d build/classes $(find src/main/java -name '*.java' | sort)
jar --create --file build/provenance-sdk.jar -C build/classes .
echo "built $(pwd)/build/provenance-sdk.jar"
if [ "${1:-}" = "test" ]; then
  javac --release 17 -Xlint:all,-processing -Werror -encoding UTF-8 -cp build/provenance-sdk.jar -d build/test-classes $(find src/test/java -name '*.java' | sort)
  java -cp build/provenance-sdk.jar:build/test-classes dev.provenance.TestRunner
fi
