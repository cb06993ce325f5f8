#!/bin/sh
# Rewrites the op x dtype matrix in README.md (between the <!-- ops-matrix --> markers) with
# `tinysim inspect --ops`, which prints it from sim/model/tflite_ops.def and
# kernels/firmware/fw_ops.def. Usage: scripts/gen_ops_matrix.sh path/to/tinysim [README.md]
# tests/unit/cli/test_ops_matrix.c fails when the committed copy is out of date.
set -eu
tinysim=${1:?usage: scripts/gen_ops_matrix.sh TINYSIM [README.md]}
readme=${2:-$(dirname "$0")/../README.md}
table=$(mktemp)
trap 'rm -f "$table" "$table.new"' EXIT
"$tinysim" inspect --ops > "$table"
awk -v table="$table" '
  /^<!-- ops-matrix:/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- \/ops-matrix -->/ { skip = 0 }
  !skip { print }
' "$readme" > "$table.new"
grep -q '^<!-- ops-matrix:' "$table.new" || { echo "gen_ops_matrix.sh: $readme has no ops-matrix markers" >&2; exit 2; }
cat "$table.new" > "$readme"
