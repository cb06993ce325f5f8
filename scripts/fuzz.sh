#!/bin/sh
# fuzz.sh SECONDS: configures build-fuzz/ with clang (TS_FUZZ=ON), builds fuzz_tflite and runs
# it for SECONDS. Seeds: tests/data/good, tests/data/bad and, when present, the shared models
# ($TS_SHARED_DIR/models, default ../shared/models). New inputs go to build-fuzz/fuzz-corpus,
# crash reproducers to build-fuzz/fuzz-artifacts/. Exits non-zero when libFuzzer finds a
# crash, leak, timeout or OOM: minimise it (fuzz_tflite -minimize_crash=1 FILE) into
# tests/data/bad/ with an .expect file and fix the reader.
# Environment: TS_FUZZ_BUILD_DIR (default build-fuzz), TS_SHARED_DIR, CC (default clang).
set -eu

secs=${1:?usage: scripts/fuzz.sh SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TS_FUZZ_BUILD_DIR:-$root/build-fuzz}
shared=${TS_SHARED_DIR:-$root/../shared}

mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="${CC:-clang}" -DTS_FUZZ=ON -DTS_TESTS=ON \
      -DTS_FIRMWARE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" --target fuzz_tflite

mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts"
set -- "$build/fuzz-corpus" "$root/tests/data/good" "$root/tests/data/bad"
if [ -d "$shared/models" ]; then
    set -- "$@" "$shared/models"
else
    echo "fuzz.sh: $shared/models not found: seeding from tests/data only" >&2
fi
exec "$build/tests/fuzz/fuzz_tflite" -max_total_time="$secs" -max_len=131072 -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/" "$@"
