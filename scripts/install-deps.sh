#!/bin/sh
# Installs the Debian packages tinysim needs to build and test, when missing.
# Idempotent and quiet when everything is present; needs root and apt-get otherwise.
# Package list: build (cmake, gcc, clang for the fuzzer), libraries (Unicorn, Capstone,
# SQLite, cJSON), tests (Criterion), and the Arm cross toolchain with newlib.
# With arguments, installs those packages instead: scripts/test.sh installs `chromium` this
# way for the HTML report's browser test, and `slurm-wlm munge` for the Slurm test
# (tests/slurm/), which the demo does not need.
set -eu

PKGS="cmake make gcc clang pkg-config libunicorn-dev libcapstone-dev libsqlite3-dev \
libcjson-dev libcriterion-dev gcc-arm-none-eabi libnewlib-arm-none-eabi"
if [ $# -gt 0 ]; then PKGS="$*"; fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: missing:$missing" >&2
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: apt-get not found; install these packages by hand:$missing" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: not root; run as root (or: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: installed:$missing" >&2
