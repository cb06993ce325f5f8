#!/bin/bash
# The README's first command: installs what is missing, builds tinysim and its Cortex-M
# firmware (release), writes its bundled default model -- a synthetic MLPerf Tiny keyword
# spotter (DS-CNN, seed 1) -- and runs the main job on it: the model on the emulated
# STM32L4R5-class Cortex-M4 target. Extra arguments go to the main job (e.g. --json).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
mkdir -p build-release
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTS_TESTS=OFF >build-release/configure.log 2>&1 || { cat build-release/configure.log; exit 1; }
cmake --build build-release -j"${JOBS:-2}" >build-release/build.log 2>&1 || { tail -n 60 build-release/build.log; exit 1; }

ts=build-release/bench/tinysim
model=build-release/ds_cnn.tflite
"$ts" gen ds_cnn --seed 1 -o "$model"
echo "\$ tinysim bench --target cortex-m4 $model $*"
"$ts" bench --target cortex-m4 "$model" "$@"
