#!/bin/bash
# The README's first command: installs what is missing, builds tinysim (release), writes
# its bundled default model -- a synthetic MLPerf Tiny keyword spotter (DS-CNN, seed 1) --
# and runs the main job on it. Extra arguments go to the main job (e.g. --json).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTS_TESTS=OFF >/dev/null
cmake --build build-release -j"${JOBS:-2}" --target tinysim >/dev/null

ts=build-release/bench/tinysim
model=build-release/ds_cnn.tflite
"$ts" gen ds_cnn --seed 1 -o "$model"
echo "\$ tinysim inspect $model $*"
"$ts" inspect "$model" "$@"
