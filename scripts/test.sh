#!/bin/bash
# The test command of the README: installs what is missing (Debian packages, needs root
# when anything is), builds with strict warnings as errors, runs every Criterion suite,
# then rebuilds the suites with AddressSanitizer + UBSan and runs them again while it fuzzes
# the model reader for a bounded time. Installs chromium too, for the HTML report's test in a
# real browser. Build and fuzz logs go to build*/ and are printed
# only on failure. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

# quietly LOG CMD...: runs CMD with its output in LOG; shows the end of LOG if it fails.
quietly() {
    local log=$1
    shift
    mkdir -p "$(dirname "$log")"
    if ! "$@" >"$log" 2>&1; then
        tail -n 80 "$log"
        echo "test.sh: failed: $* (full log: $log)" >&2
        exit 1
    fi
}

# Under CI (CI=true, set by .ci/run) nothing may skip: the tests that read ../shared (real
# models, goldens, SCALE-Sim reports) must run. A user's clone without it skips them with a note.
if [ "${CI:-}" = true ] && [ ! -d ../shared/models ]; then
    echo "test.sh: ../shared/models not found: CI runs every test, including those on the" \
        "third-party models (put the shared data folder beside the checkout)" >&2
    exit 1
fi

bash scripts/install-deps.sh
# Headless Chromium for the HTML report's browser test (tests/unit/cli/test_browser.c).
# Without it that test skips with a note, except under CI (CI=true), where it fails.
if ! bash scripts/install-deps.sh chromium; then
    [ "${CI:-}" = true ] && exit 1
    echo "test.sh: chromium missing: the report's browser test will skip" >&2
fi
# Slurm and munge for the test of `sweep --slurm` on a single-node cluster (tests/slurm/):
# without them that test skips with a note, except under CI, where it fails.
if ! bash scripts/install-deps.sh slurm-wlm munge; then
    [ "${CI:-}" = true ] && exit 1
    echo "test.sh: slurm-wlm/munge missing: the Slurm test will skip" >&2
fi

echo "== build (warnings are errors)"
quietly build/configure.log cmake -S . -B build -DTS_WERROR=ON
quietly build/build.log cmake --build build -j"$JOBS"

# The sanitizer build (below) compiles while the plain suites run, at a lower priority: those
# suites leave a core idle for much of their run (the engine suite's long tests at the end,
# the Slurm test's waits), and the compiler fills it.
# The Thumb firmware does not depend on the host's sanitizers: the sanitizer build takes the plain
# build's (TS_FIRMWARE_FROM) instead of cross-compiling it again.
# -O1: AddressSanitizer's documentation asks for -O1 or higher for reasonable performance
# (clang.llvm.org/docs/AddressSanitizer.html, "Usage"); measured here it cuts the sanitizer
# suites' CPU time by a third (376 s at -O0, 245 s at -O1, ctest -j1) and the engine suite's
# wall time from 363 s to 119 s.
# In a session of its own (setsid), so that an early exit stops the whole build.
mkdir -p build-asan
setsid bash -c 'cmake -S . -B build-asan -DTS_WERROR=ON -DTS_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DTS_FIRMWARE_FROM="$PWD/build" \
    >build-asan/configure.log 2>&1 &&
    nice -n 10 cmake --build build-asan -j"$1" >build-asan/build.log 2>&1' sh "$JOBS" &
asan_build_pid=$!
trap '[ -n "$asan_build_pid" ] && kill -- -"$asan_build_pid" 2>/dev/null' EXIT

echo "== tests"
# The full log stays in build/ctest.log; the filter shows suites, failures and skips as they come.
{ ctest --test-dir build --output-on-failure -V -j2 2>&1; echo $? >build/ctest.rc; } |
    tee build/ctest.log |
    grep -E 'Synthesis|\[----\]|\[(FAIL|WARN|SKIP|ERR )|tests passed|tests failed|Test +#|\*\*\*|\*\*(PASS|FAIL)\*\*|^[0-9]+: \| ' ||
    true
ctest_rc=$(cat build/ctest.rc)
[ "$ctest_rc" -eq 0 ] || { echo "test.sh: tests failed (full log: build/ctest.log)" >&2; exit 1; }
if [ "${CI:-}" = true ] && grep -q '\[SKIP\]' build/ctest.log; then
    echo "test.sh: $(grep -c '\[SKIP\]' build/ctest.log) test(s) skipped: CI must run them all" >&2
    exit 1
fi

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
# The same suites, except the pure figure checks (the pinned bench figures, the baseline
# self-gate, the published bands): the figures are the plain build's, and the code they run
# (bench, suites, regress on every core) runs under the sanitizers in the engine and cli
# suites; and except the real-Slurm test, whose tinysim code runs in cli_slurm. Two suites run
# at once: the engine suite's long tests would leave a core idle.
# The sanitizer build started before the plain suites (above); wait for it here.
if ! wait "$asan_build_pid"; then
    asan_build_pid=
    tail -n 80 build-asan/configure.log build-asan/build.log
    echo "test.sh: failed: the sanitizer build (logs: build-asan/configure.log, build-asan/build.log)" >&2
    exit 1
fi
asan_build_pid=
# The fuzzer (one process, one core) runs beside the sanitizer tests, whose long tests leave a
# core idle most of the time; its log is shown after them.
fuzz_pid=
if [ -x scripts/fuzz.sh ] && [ "$FUZZ_SECONDS" -gt 0 ]; then
    mkdir -p build-fuzz
    sh scripts/fuzz.sh "$FUZZ_SECONDS" >build-fuzz/fuzz.log 2>&1 &
    fuzz_pid=$!
    trap '[ -n "$fuzz_pid" ] && kill "$fuzz_pid" 2>/dev/null' EXIT
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j2 | grep -E 'tests passed|tests failed|\*\*\*'

if [ -n "$fuzz_pid" ]; then
    echo "== fuzz the model reader for ${FUZZ_SECONDS}s (run beside the sanitizer tests)"
    if ! wait "$fuzz_pid"; then
        fuzz_pid=
        tail -n 80 build-fuzz/fuzz.log
        echo "test.sh: failed: scripts/fuzz.sh $FUZZ_SECONDS (full log: build-fuzz/fuzz.log)" >&2
        exit 1
    fi
    fuzz_pid=
    grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec))' build-fuzz/fuzz.log
fi
echo "== all tests passed"
