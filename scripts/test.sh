#!/bin/bash
# The test command of the README: installs what is missing (Debian packages, needs root
# when anything is), builds with strict warnings as errors, runs every Criterion suite,
# then rebuilds the suites with AddressSanitizer + UBSan and runs them again, then fuzzes
# the model reader for a bounded time. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

sh scripts/install-deps.sh

echo "== build (warnings are errors)"
cmake -S . -B build -DTS_WERROR=ON >/dev/null
cmake --build build -j"$JOBS"

echo "== tests"
ctest --test-dir build --output-on-failure -V -j1 2>&1 | grep -v -E '^(UpdateCTestConfiguration|Parse Config|Test project|Constructing|Checking test|test [0-9]+$|      Start)'

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DTS_WERROR=ON -DTS_SANITIZE=ON -DTS_FIRMWARE=OFF \
      -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j1

if [ -x scripts/fuzz.sh ] && [ "$FUZZ_SECONDS" -gt 0 ]; then
    echo "== fuzz the model reader for ${FUZZ_SECONDS}s"
    bash scripts/fuzz.sh "$FUZZ_SECONDS"
fi
echo "== all tests passed"
