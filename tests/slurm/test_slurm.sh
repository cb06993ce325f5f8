#!/bin/bash
# tests/slurm/test_slurm.sh TINYSIM: `tinysim sweep --slurm` against a real Slurm, a
# single-node cluster started here (scripts/slurm-cluster.sh) and stopped on every exit path.
#   1. the sweep (24 points: tinysim gen's DS-CNN and autoencoder, 3 clocks x 4 flash wait
#      states) runs locally into local.db;
#   2. the same sweep through Slurm (an 8-task array job and the dependent collect job) gives a
#      store that holds exactly the points and figures of local.db (tinysim regress --exact on
#      every metric and layer, and the exports' metric rows compared line for line);
#   3. again into a new store as a 2-task array; task 0 is cancelled (scancel) after its first
#      point: the collect job still merges what ran, and the same command then submits only the
#      missing points, after which the store equals local.db again, with no point run twice.
# Needs root, slurm-wlm and munge: without them it skips with a note (exit 77, CTest's
# SKIP_RETURN_CODE), except under CI=true, where nothing may skip and it fails.
set -euo pipefail

T=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CLUSTER=$SRC/scripts/slurm-cluster.sh

skip() {
    if [ "${CI:-}" = true ]; then
        echo "test_slurm: FAIL: $1 (under CI=true nothing may skip)" >&2
        exit 1
    fi
    echo "[SKIP] slurm: $1: the Slurm test did not run"
    exit 77
}

fail() {
    echo "test_slurm: FAIL: $*" >&2
    exit 1
}

for c in sbatch squeue scancel sinfo slurmctld slurmd munged setpriv; do
    command -v "$c" >/dev/null || skip "$c not found (scripts/install-deps.sh slurm-wlm munge)"
done
[ "$(id -u)" -eq 0 ] || skip "not root (the test starts slurmd and munged)"
id munge >/dev/null 2>&1 || skip "no munge user (is the munge package installed?)"

W=$(mktemp -d /tmp/tinysim-slurm-test.XXXXXX)
chmod 755 "$W" # munged, as the munge user, must reach its socket under it
cleanup() {
    bash "$CLUSTER" stop "$W/cluster" || true
    rm -rf "$W"
}
trap cleanup EXIT
t0=$(date +%s.%N)
bash "$CLUSTER" start "$W/cluster" 8
export SLURM_CONF=$W/cluster/slurm.conf
unset TINYSIM_DB
echo "cluster up in $(echo "$(date +%s.%N) - $t0" | bc) s"

cat >"$W/t.json" <<'EOF'
{
  "name": "t",
  "generate": [{"arch": "ds_cnn"}, {"arch": "fc_autoencoder"}],
  "targets": ["cortex-m4"],
  "kernels": ["ref"],
  "grid": {"clock_hz": [40000000, 80000000, 120000000], "memory[0].wait_states": [0, 1, 3, 5]}
}
EOF

# wait_jobs IDS: until squeue lists none of the jobs IDS (comma-separated), at most 30 s.
wait_jobs() {
    for _ in $(seq 1 300); do
        [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ] && return
        sleep 0.1
    done
    squeue >&2 || true
    fail "jobs $1 still queued or running after 30 s"
}

# submit DB ARGS...: tinysim sweep --slurm into store DB; sets SUBMITTED (its output), ARRAY
# and COLLECT (the job ids).
submit() {
    local db=$1
    shift
    SUBMITTED=$("$T" sweep "$W/t.json" --db "$db" --slurm "$@") || fail "sweep --slurm: $SUBMITTED"
    echo "$SUBMITTED"
    ARRAY=$(sed -n 's/^submitted array job \([0-9]*\) .*/\1/p' <<<"$SUBMITTED")
    COLLECT=$(sed -n 's/.* and collect job \([0-9]*\) .*/\1/p' <<<"$SUBMITTED")
    [ -n "$ARRAY" ] && [ -n "$COLLECT" ] || fail "no job ids in: $SUBMITTED"
}

# same_as_local DB: DB holds exactly local.db's points and figures, each point once.
same_as_local() {
    local db=$1
    "$T" regress --baseline "$W/local.db" --candidate "$db" --exact --metric all --per-layer \
        >"$W/regress.out" || { cat "$W/regress.out"; fail "$db differs from the local run"; }
    grep -q '^\*\*PASS\*\*' "$W/regress.out" || fail "regress did not pass: $(cat "$W/regress.out")"
    for f in local "$(basename "$db" .db)"; do
        # run id and time differ between the stores; every other column must be equal
        "$T" results export --format csv --db "$W/$f.db" | tail -n +2 | cut -d, -f3- | sort \
            >"$W/$f.csv"
        "$T" results export --format json --stable --db "$W/$f.db" |
            grep '"sweep_point"' | sort >"$W/$f.points"
    done
    cmp -s "$W/local.csv" "$W/$(basename "$db" .db).csv" || fail "$db: metric rows differ"
    cmp -s "$W/local.points" "$W/$(basename "$db" .db).points" || fail "$db: points differ"
    [ "$(wc -l <"$W/local.points")" -eq 24 ] || fail "expected 24 points, got $(wc -l <"$W/local.points")"
    [ "$(sort -u "$W/local.points" | wc -l)" -eq 24 ] || fail "a point ran twice"
}

echo "== 1. the sweep locally"
"$T" sweep "$W/t.json" --db "$W/local.db" -j 2 >"$W/local.out" || fail "local sweep: $(tail -3 "$W/local.out")"
grep -q '^24 ok, 0 do not fit, 0 failed' "$W/local.out" || fail "local: $(tail -3 "$W/local.out")"

echo "== 2. the same sweep through Slurm"
t0=$(date +%s.%N)
submit "$W/slurm.db" --array-max 8
grep -q '(8 tasks, 24 points, at most 3 each' <<<"$SUBMITTED" || fail "not an 8-task array"
wait_jobs "$ARRAY,$COLLECT"
echo "array and collect jobs done in $(echo "$(date +%s.%N) - $t0" | bc) s"
cat "$W/slurm.db.shards/t/slurm-$COLLECT-collect.out"
grep -q '^sweep t: 24 of 24 points in the store' "$W/slurm.db.shards/t/slurm-$COLLECT-collect.out" ||
    fail "collect: $(cat "$W/slurm.db.shards/t/slurm-$COLLECT-collect.out")"
[ "$(ls "$W/slurm.db.shards/t/"shard-"$ARRAY"_*.db | wc -l)" -eq 8 ] || fail "expected 8 shard databases"
same_as_local "$W/slurm.db"
echo "the merged store equals the local run"

echo "== 3. a task cancelled midway, then the rest"
submit "$W/resumed.db" --array-max 2
log0=$W/resumed.db.shards/t/slurm-${ARRAY}_0.out
for _ in $(seq 1 300); do
    grep -q '^\[ 1/12\]' "$log0" 2>/dev/null && break
    sleep 0.05
done
grep -q '^\[ 1/12\]' "$log0" || fail "task 0 did not finish a point in 15 s"
scancel "${ARRAY}_0"
wait_jobs "$ARRAY,$COLLECT"
cat "$log0"
grep -q 'interrupted' "$log0" || fail "task 0 was not interrupted: $(cat "$log0")"
collected=$W/resumed.db.shards/t/slurm-$COLLECT-collect.out
n=$(sed -n 's/^sweep t: \([0-9]*\) of 24 points in the store.*/\1/p' "$collected")
[ -n "$n" ] && [ "$n" -ge 13 ] && [ "$n" -lt 24 ] ||
    fail "after the cancel: expected 13 to 23 points merged, got '$n': $(cat "$collected")"
echo "after the cancel: $n of 24 points merged"
submit "$W/resumed.db" --array-max 2
grep -q "^sweep t: 24 points .*, $n already in the store, $((24 - n)) to run" <<<"$SUBMITTED" ||
    fail "the resubmission does not run exactly the $((24 - n)) missing points"
wait_jobs "$ARRAY,$COLLECT"
grep -q '^sweep t: 24 of 24 points in the store' "$W/resumed.db.shards/t/slurm-$COLLECT-collect.out" ||
    fail "resume: $(cat "$W/resumed.db.shards/t/slurm-$COLLECT-collect.out")"
same_as_local "$W/resumed.db"
echo "resumed: the missing $((24 - n)) points ran, the store equals the local run"
echo "test_slurm: PASS"
