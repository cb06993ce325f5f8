#!/usr/bin/env python3
"""Pins today's `tinysim bench --json` figures of tinysim's own generated models on every
target and kernel variant, so that a refactor can prove it changed no figure.

Writes tests/data/pinned/bench.json: one entry per (model spec, target, kernels) with the
bench report minus the machine-specific paths ("model", "firmware"), or the exit status and
error line of a run that is refused (a model that does not fit). tests/unit/engine/
test_pinned.c reruns every entry and checks that each pinned field is unchanged (fields added
later to the report are allowed). This file holds figures tinysim itself produced: the test
proves only that nothing changed, not that the figures are right.

Usage: scripts/pin_bench.py [BUILD_DIR]   (default build; run after a full build)
Rerun it, and commit its output, only in a commit that means to change simulated figures;
the diff of bench.json is then the review of that change."""
import json
import os
import subprocess
import sys
import tempfile

SPECS = ["hello_world", "fc_autoencoder", "ds_cnn", "mobilenet_v1_025", "resnet8",
         "conv:8,8,8,8,3,3", "dwconv:10,10,16,3,3,2", "fc:64,32"]
TARGETS = ["cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33",
           "rp2040", "cortex-m4-dsp", "cortex-m4-systolic"]
KERNELS = ["ref", "simd"]
DSP_CORES = {"cortex-m4", "cortex-m7", "cortex-m33", "cortex-m4-dsp", "cortex-m4-systolic"}


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit(__doc__)
    build = sys.argv[1] if len(sys.argv) == 2 else "build"
    tinysim = os.path.join(build, "bench", "tinysim")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in SPECS:
            model = os.path.join(tmp, "m.tflite")
            subprocess.run([tinysim, "gen", spec, "-o", model], check=True,
                           stdout=subprocess.DEVNULL)
            for target in TARGETS:
                for kernels in KERNELS:
                    if kernels == "simd" and target not in DSP_CORES:
                        continue  # the same run as ref, with a note
                    p = subprocess.run([tinysim, "bench", "--target", target, "--kernels",
                                        kernels, model, "--json", "--no-db"],
                                       capture_output=True,
                                       text=True)
                    case = {"spec": spec, "target": target, "kernels": kernels,
                            "status": p.returncode}
                    if p.returncode == 0:
                        report = json.loads(p.stdout)
                        report.pop("model", None)
                        report.pop("firmware", None)
                        report.pop("provenance", None)  # time, host, commit: not a figure
                        case["report"] = report
                    else:
                        case["error"] = p.stderr.strip().split("\n")[-1].replace(model,
                                                                                  "MODEL")
                    cases.append(case)
    out = os.path.join(root, "tests", "data", "pinned", "bench.json")
    with open(out + ".tmp", "w") as f:
        f.write('{"generated_by": "scripts/pin_bench.py (do not edit)",\n"cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    os.replace(out + ".tmp", out)
    print(f"wrote {out}: {len(cases)} cases")


if __name__ == "__main__":
    main()
