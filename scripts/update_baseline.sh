#!/bin/sh
# tinysim's self-gate and its baseline, tests/data/baseline/generated.json: the generated-model
# suite (bench/suites/generated.json: tinysim's own models on every target and kernel variant)
# run into a temporary database, exported with `results export --stable` (the newest run of
# each configuration, sorted, without times, hosts, paths or commits), so that the file
# changes only where a simulated figure changes.
#
# Usage: scripts/update_baseline.sh [BUILD_DIR]           rewrites the baseline
#        scripts/update_baseline.sh --check [BUILD_DIR]   compares a fresh run with it (the
#            CTest `baseline`): `regress --threshold 0 --exact --metric all --per-layer`, so
#            any changed figure, improvement or not, fails and the Markdown table says which
# BUILD_DIR defaults to build. Rerun it without --check, and commit the baseline, in a commit
# that means to change simulated figures; the baseline's diff is that change's review.
set -eu
check=false
if [ "${1:-}" = --check ]; then
    check=true
    shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
tinysim=${1:-$root/build}/bench/tinysim
baseline=$root/tests/data/baseline/generated.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$tinysim" bench --suite "$root/bench/suites/generated.json" -j"${JOBS:-2}" \
    --db "$tmp/runs.db" >"$tmp/suite.log" 2>&1; then
    cat "$tmp/suite.log"
    echo "update_baseline.sh: the suite failed" >&2
    exit 1
fi
if $check; then
    "$tinysim" regress --baseline "$baseline" --candidate "$tmp/runs.db" --threshold 0 --exact \
        --metric all --per-layer || {
        rc=$?
        echo "update_baseline.sh: simulated figures differ from $baseline; if that is meant," \
            "run scripts/update_baseline.sh and commit the baseline with the change" >&2
        exit $rc
    }
    exit 0
fi
"$tinysim" results export --format json --stable --db "$tmp/runs.db" -o "$tmp/export.json"
mkdir -p "$(dirname "$baseline")"
# The export with a "generated_by" member first (regress ignores members it does not know).
{
    printf '{\n\t"generated_by":\t"scripts/update_baseline.sh (do not edit)",\n'
    tail -n +2 "$tmp/export.json"
} >"$tmp/baseline.json"
mv "$tmp/baseline.json" "$baseline"
echo "wrote $baseline: $(grep -c '"model_name"' "$baseline") runs, $(wc -c <"$baseline") bytes"
