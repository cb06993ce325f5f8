#!/usr/bin/env python3
"""Golden outputs of real TFLite for tinysim's single-op models (tests/data/ops/).

usage: scripts/gen_op_goldens.py TINYSIM NPM_DIR [SHARED_DIR]

For every case below: `tinysim gen SPEC --seed SEED` writes the model, this script writes its
inputs (the rule of tests/unit/engine/engine_test.h fill_input: xorshift32 from state
seed * 0x9E3779B9, one step per element in row-major order; int8 = bits 31..24 as a byte,
float32 = -1 + 2 * (bits 31..8) / 2^24), and the TensorFlow Lite interpreter (WebAssembly build
under Node, SHARED_DIR/tools/golden/tflite_run.js, default ../shared) computes the outputs.
NPM_DIR is where `npm install --save-exact @tensorflow/tfjs-tflite@0.0.1-alpha.10
@tensorflow/tfjs-core@4.9.0` was run (the runner's header). Writes tests/data/ops/CASE.in<k>.bin,
CASE.out0.tflite.bin and manifest.json with each model's SHA-256 (the models themselves go to a
temporary folder: the repository holds no model, tinysim writes them again) (and CASE.out0.armnn.bin from Arm NN's
reference backend, SHARED_DIR/tools/golden/armnn_run.py, when Debian's python3-pyarmnn is
installed: a second witness, recorded with its agreement, never what tinysim is held to); tests/unit/engine/test_op_golden.c
checks the host executor and every emulated core against them without Node. Deterministic:
rerunning it rewrites byte-identical files.
"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

# (spec, seed): shapes, broadcasts and (through the seed) quantization parameters per op.
CASES = [
    ("op:add,int8,1x4x4x3", 1),
    ("op:add,int8,1x4x4x3,3", 2),
    ("op:add,int8,2x1x3,1x5x1", 3),
    ("op:add,float32,1x4x4x3,1x1x1x3", 1),
    ("op:mul,int8,1x8x8x2,1x8x1x2", 1),
    ("op:mul,float32,6,1", 2),
    ("op:sub,int8,1x4x4x3", 1),
    ("op:sub,int8,1x5x5x4,4", 2),
    ("op:sub,int8,3x1x2,1x4x1", 3),
    ("op:sub,float32,1x4x4x3,1x4x1x3", 1),
    ("op:sub,float32,9", 2),
    ("op:maximum,int8,1x4x4x3", 1),
    ("op:maximum,int8,2x3x4,3x1", 2),
    ("op:maximum,float32,1x6x6x2,2", 1),
    ("op:maximum,float32,5x1,1x7", 2),
    ("op:minimum,int8,1x4x4x3", 1),
    ("op:minimum,int8,4x1x3,2x1", 2),
    ("op:minimum,float32,1x6x6x2,1x6x1x1", 1),
    ("op:minimum,float32,11", 3),
    ("op:relu,int8,1x8x8x3", 1),
    ("op:relu,int8,100", 2),
    ("op:relu,float32,1x5x5x4", 1),
    ("op:relu6,int8,1x8x8x3", 1),
    ("op:relu6,int8,2x50", 3),
    ("op:relu6,float32,1x5x5x4", 1),
    ("op:abs,int8,1x6x6x4", 1),
    ("op:abs,int8,77", 2),
    ("op:abs,float32,1x6x6x4", 1),
    ("op:neg,float32,1x6x6x4", 1),
    ("op:neg,float32,13", 2),
    ("op:transpose,int8,2x3x4,perm=2.0.1", 1),
    ("op:transpose,int8,1x4x5x3,perm=0.3.1.2", 2),
    ("op:transpose,float32,6x7,perm=1.0", 1),
    ("op:transpose,float32,2x3x4x5,perm=3.2.1.0", 2),
    ("op:squeeze,int8,1x5x1x3", 1),
    ("op:squeeze,float32,4x1x6", 2),
    ("op:expand_dims,int8,3x4,axis=0", 1),
    ("op:expand_dims,float32,2x3x4,axis=-1", 2),
    ("op:squared_difference,int8,1x4x4x3", 1),
    ("op:squared_difference,int8,1x5x5x4,4", 2),
    ("op:squared_difference,int8,3x1x2,1x4x1", 3),
    ("op:squared_difference,float32,1x4x4x3,1x4x1x3", 1),
    ("op:squared_difference,float32,9", 2),
    ("op:slice,int8,4x5x6,begin=1.0.2,size=2.-1.3", 1),
    ("op:slice,int8,1x8x8x3,begin=0.2.1.0,size=1.4.5.-1", 2),
    ("op:slice,float32,7x3,begin=2.1,size=-1.2", 1),
    ("op:slice,float32,10,begin=3,size=5", 2),
    ("op:gather,int8,5x4,indices=4.0.2.2,axis=0", 1),
    ("op:gather,int8,2x6x3,indices=5.1,axis=1", 2),
    ("op:gather,float32,3x4x5,indices=0.4.3,axis=-1", 1),
    ("op:gather,float32,7,indices=6.5.3.3,axis=0", 2),
    ("op:pack,int8,3x4,axis=0", 1),
    ("op:pack,int8,2x3x4,axis=1", 2),
    ("op:pack,float32,3x4,axis=-1", 1),
    ("op:pack,float32,5,axis=1", 2),
    ("op:leaky_relu,int8,1x8x8x3,alpha=0.2", 1),
    ("op:leaky_relu,int8,97,alpha=0.01", 2),
    ("op:leaky_relu,int8,4x25,alpha=1.5", 3),
    ("op:leaky_relu,float32,1x5x5x4,alpha=0.2", 1),
    ("op:leaky_relu,float32,33,alpha=0.3", 2),
    # ops-math group
    ("op:hard_swish,int8,1x8x8x3", 1),
    ("op:hard_swish,int8,97", 2),
    ("op:hard_swish,int8,4x25", 3),
    ("op:hard_swish,float32,1x5x5x4", 1),
    ("op:hard_swish,float32,33", 2),
    ("op:tanh,int8,1x8x8x3", 1),
    ("op:tanh,int8,97", 2),
    ("op:tanh,int8,4x25", 3),
    ("op:tanh,float32,1x5x5x4", 1),
    ("op:tanh,float32,33", 2),
    ("op:prelu,int8,1x6x6x3,3", 1),
    ("op:prelu,int8,1x5x5x4,1x1x4", 2),
    ("op:prelu,int8,4x9", 3),
    ("op:prelu,float32,1x5x5x4,4", 1),
    ("op:prelu,float32,2x3x7,3x1", 2),
    ("op:arg_max,int8,1x6x6x5,axis=3", 1),
    ("op:arg_max,int8,7x9,axis=0", 2),
    ("op:arg_max,float32,4x5x6,axis=-2", 1),
    ("op:arg_max,float32,3x17,axis=1", 2),
    ("op:arg_min,int8,1x6x6x5,axis=3", 1),
    ("op:arg_min,int8,7x9,axis=-2", 3),
    ("op:arg_min,float32,4x5x6,axis=0", 1),
    ("op:arg_min,float32,3x17,axis=1", 2),
    ("op:sqrt,float32,1x5x5x4", 1),
    ("op:sqrt,float32,33", 2),
    ("op:rsqrt,int8,1x8x8x3", 1),
    ("op:rsqrt,int8,97", 2),
    ("op:rsqrt,int8,4x25", 3),
    ("op:rsqrt,float32,1x5x5x4", 1),
    ("op:rsqrt,float32,33", 2),
    ("op:reduce_max,int8,1x6x6x4,axis=1.2,keep_dims=1", 1),
    ("op:reduce_max,int8,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:reduce_max,float32,2x5x6,axis=0.2,keep_dims=0", 1),
    ("op:reduce_max,float32,4x9,axis=0,keep_dims=1", 2),
    ("op:l2_normalization,int8,1x4x4x8", 1),
    ("op:l2_normalization,int8,5x33", 2),
    ("op:l2_normalization,int8,3x1", 3),
    ("op:l2_normalization,float32,1x3x3x16", 1),
    ("op:l2_normalization,float32,7x5", 2),
    ("op:div,float32,1x4x4x3,1x1x1x3", 1),
    ("op:div,float32,5x7", 2),
    ("op:div,float32,2x1x6,3x1", 3),
    ("op:sum,int8,1x6x6x4,axis=1.2,keep_dims=1", 1),
    ("op:sum,int8,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:sum,int8,4x9,axis=0,keep_dims=1", 3),
    ("op:sum,float32,2x5x6,axis=0.2,keep_dims=0", 1),
    ("op:sum,float32,4x9x3,axis=1,keep_dims=1", 2),
    ("op:batch_matmul,int8,2x3x8,2x8x5,adj=0.0", 1),
    ("op:batch_matmul,int8,2x1x4x6,3x5x6,adj=0.1", 2),
    ("op:batch_matmul,int8,7x3,7x4,adj=1.0", 3),
    ("op:batch_matmul,float32,2x3x8,8x5,adj=0.0", 1),
    ("op:batch_matmul,float32,3x6x4,3x5x6,adj=1.1", 2),
]

# int8 ops where the TFLite runtime above does not compute what tinysim's default does: op ->
# (largest difference allowed, in LSB, why, and what tinysim must then equal bit for bit:
# "armnn" (Arm NN's output), "double_rounding" (TFLite's output, with tinysim's --rounding
# double), or None).
TOLERANCE_LSB = {
    "mul": (1, "XNNPACK's qs8 multiply requantizes the product in fp32 (product * scale, "
               "rounded to nearest even); TFLite's reference MUL, which tinysim follows, uses "
               "the fixed-point MultiplyByQuantizedMultiplier (round half away from zero). "
               "They differ by 1 LSB where the real result lies near a half step; Arm NN's "
               "reference backend (dequantize, multiply, quantize in float) is a third answer",
            None),
    "leaky_relu": (1, "XNNPACK's qs8 leaky ReLU approximates the slope in its own fixed point "
                      "and is off by 1 LSB from the correctly rounded result in a few elements "
                      "(e.g. real -22.54 -> -22); TFLite's reference QuantizeLeakyRelu, which "
                      "tinysim follows, rounds correctly there, and so does Arm NN's reference "
                      "backend, which tinysim must equal exactly",
                   "armnn"),
    "squared_difference": (1, "this TFLite build runs its builtin SQUARED_DIFFERENCE kernel, "
                              "compiled with double rounding (gemmlowp SaturatingRoundingDoubling"
                              "HighMul then RoundingDivideByPOT); tinysim's default is the "
                              "single-rounding build's MultiplyByQuantizedMultiplier, 1 LSB off "
                              "where a result lies near a half step (real -108.499 -> -109); "
                              "with --rounding double tinysim equals TFLite bit for bit",
                           "double_rounding"),
    "prelu": (1, "this TFLite build runs its builtin PRELU kernel (alpha is not constant: no "
                 "XNNPACK), compiled with double rounding (MultiplyByQuantizedMultiplier as "
                 "SaturatingRoundingDoublingHighMul then RoundingDivideByPOT); tinysim's default "
                 "single rounding is 1 LSB off where a result lies near a half step (3 of 244 "
                 "elements); with --rounding double tinysim equals TFLite bit for bit",
              "double_rounding"),
}

# float32 ops where the TFLite runtime above does not compute TFLite's reference float kernel
# (the XNNPACK delegate reorders the arithmetic, or a transcendental comes from another libm):
# op -> (largest difference allowed, in units in the last place, why, and "armnn" when Arm NN's
# reference backend must then equal tinysim bit for bit, or None).
TOLERANCE_ULP = {
    "hard_swish": (2, "XNNPACK's f32 hard swish computes (x * 0x1.555556p-3) * min(max(x + 3, "
                      "0), 6) (it matches this TFLite build bit for bit); TFLite's reference "
                      "HardSwish, which tinysim follows, computes x * min(max(x + 3, 0), 6) / 6, "
                      "up to 2 ULP apart; Arm NN's reference backend computes the latter and "
                      "equals tinysim exactly",
                   "armnn"),
    "tanh": (5, "a transcendental: TFLite's reference TANH calls std::tanh, this build runs "
                "XNNPACK's rational approximation (up to 3 ULP from the correctly rounded tanh "
                "in these cases) and Arm NN its libm's; tinysim's libm-free tanh (kernels/"
                "tanh.c) is within 2 ULP of the correctly rounded value over the whole float "
                "range (tests/unit/kernels/test_ops_math.c sweeps it), so 5 ULP bounds the "
                "distance to TFLite; no runtime is an exact witness",
             None),
}

RUNTIME = ("TensorFlow Lite interpreter, WebAssembly build with the XNNPACK delegate "
           "(npm @tensorflow/tfjs-tflite 0.0.1-alpha.10, @tensorflow/tfjs-core 4.9.0), "
           "run by ../shared/tools/golden/tflite_run.js")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "data", "ops")


def case_name(spec, seed):
    return spec.replace(":", "_").replace(",", "_").replace("=", "") + "_s%d" % seed


def input_shapes(spec):
    """dtype and the input shapes of op:NAME,DTYPE,SHAPE[,SHAPE] (binary ops: see gen_ops.c)."""
    fields = spec.split(":", 1)[1].split(",")
    shapes = [[int(d) for d in f.split("x")] if "=" not in f else None for f in fields[2:]]
    shapes = [s for s, f in zip(shapes, fields[2:]) if "=" not in f]
    binary = fields[0] in BINARY
    if binary and len(shapes) == 1:
        shapes.append(shapes[0])
    return fields[1], shapes


BINARY = {"add", "mul", "sub", "maximum", "minimum", "squared_difference", "pack", "prelu",
          "div", "batch_matmul"}


def xorshift(s):
    s ^= (s << 13) & 0xFFFFFFFF
    s ^= s >> 17
    s ^= (s << 5) & 0xFFFFFFFF
    return s


def inputs_of(dtype, shapes, seed):
    state = (seed * 0x9E3779B9) & 0xFFFFFFFF
    out = []
    for shape in shapes:
        n = 1
        for d in shape:
            n *= d
        buf = bytearray()
        for _ in range(n):
            state = xorshift(state)
            if dtype == "float32":
                buf += struct.pack("<f", -1.0 + 2.0 * (state >> 8) / 16777216.0)
            else:
                buf.append(state >> 24)
        out.append(bytes(buf))
    return out


def run_runner(cmd, jobs, required=True):
    """Runs a golden runner on jobs; returns its per-job results (a required runtime's failure
    ends the script)."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs_path, result_path = os.path.join(tmp, "jobs.json"), os.path.join(tmp, "result.json")
        with open(jobs_path, "w") as f:
            json.dump(jobs, f)
        subprocess.run(cmd + [jobs_path, result_path], check=True, stderr=subprocess.DEVNULL)
        with open(result_path) as f:
            results = json.load(f)
    for job, res in zip(jobs, results):
        if required and not res.get("ok"):
            sys.exit("gen_op_goldens.py: %s: the runtime failed: %s" % (job["model"],
                                                                        res.get("error")))
    return results


def agreement(case):
    """How the Arm NN output compares with TFLite's (int8: LSB; float32: absolute)."""
    a = open(os.path.join(OUT_DIR, case["outputs"][0]), "rb").read()
    b = open(os.path.join(OUT_DIR, case["armnn_outputs"][0]), "rb").read()
    if case["dtype"] == "float32":
        fa = struct.unpack("<%df" % (len(a) // 4), a)
        fb = struct.unpack("<%df" % (len(b) // 4), b)
        diff = [abs(x - y) for x, y in zip(fa, fb)]
        return {"agree_exact": a == b, "n_differ": sum(d != 0 for d in diff),
                "max_abs_diff": max(diff)}
    diff = [abs(x - y) for x, y in zip(struct.unpack("%db" % len(a), a),
                                       struct.unpack("%db" % len(b), b))]
    return {"agree_exact": a == b, "n_differ": sum(d != 0 for d in diff),
            "max_abs_diff_lsb": max(diff)}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    tinysim, npm_dir = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) == 4 else os.path.join(ROOT, "..", "shared")
    runner = os.path.join(shared, "tools", "golden", "tflite_run.js")
    os.makedirs(OUT_DIR, exist_ok=True)
    model_dir = tempfile.mkdtemp(prefix="tinysim-op-models-")
    jobs, cases = [], []
    for spec, seed in CASES:
        name = case_name(spec, seed)
        model = os.path.join(model_dir, name + ".tflite")  # not committed: tinysim writes it
        subprocess.run([tinysim, "gen", spec, "--seed", str(seed), "-o", model], check=True,
                       stdout=subprocess.DEVNULL)
        dtype, shapes = input_shapes(spec)
        ins = []
        for k, data in enumerate(inputs_of(dtype, shapes, seed)):
            ins.append(name + ".in%d.bin" % k)
            with open(os.path.join(OUT_DIR, ins[-1]), "wb") as f:
                f.write(data)
        outs = [name + ".out0.tflite.bin"]
        jobs.append({"model": model, "inputs": [os.path.join(OUT_DIR, p) for p in ins],
                     "outputs": [os.path.join(OUT_DIR, p) for p in outs]})
        with open(model, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        cases.append({"name": name, "spec": spec, "seed": seed, "dtype": dtype,
                      "model_sha256": sha, "inputs": ins,
                      "outputs": outs, "runtime": "tflite"})
        op = spec.split(":", 1)[1].split(",")[0]
        if dtype == "int8" and op in TOLERANCE_LSB:
            lsb, why, exact = TOLERANCE_LSB[op]
            cases[-1]["tolerance_lsb"], cases[-1]["tolerance_reason"] = lsb, why
            if exact:
                cases[-1]["exact_with"] = exact
        if dtype == "float32" and op in TOLERANCE_ULP:
            ulp, why, exact = TOLERANCE_ULP[op]
            cases[-1]["tolerance_ulp"], cases[-1]["tolerance_reason"] = ulp, why
            if exact:
                cases[-1]["exact_with"] = exact
    run_runner(["node", runner, npm_dir], jobs)
    armnn = os.path.join(shared, "tools", "golden", "armnn_run.py")
    if subprocess.run(["/usr/bin/python3", "-c", "import pyarmnn"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 0:
        for job, case in zip(jobs, cases):
            case["armnn_outputs"] = [p.replace(".tflite.bin", ".armnn.bin")
                                     for p in case["outputs"]]
            job["outputs"] = [os.path.join(OUT_DIR, p) for p in case["armnn_outputs"]]
        for case, job in zip(cases, jobs):  # one process per case: Arm NN may crash
            try:
                res = run_runner(["/usr/bin/python3", armnn], [job], False)[0]
            except subprocess.CalledProcessError as e:
                res = {"ok": False, "error": "armnn_run.py exited with status %d" % e.returncode}
            if res.get("ok"):
                case["armnn_agreement"] = agreement(case)
            elif case.get("exact_with") == "armnn":
                sys.exit("gen_op_goldens.py: %s: Arm NN, its exact witness, failed" % case["name"])
            else:  # Arm NN 20.08 lacks some operators (ABS): no second witness
                del case["armnn_outputs"]
                case["armnn_error"] = res.get("error", "failed").split(" at function")[0]
    manifest = {"generated_by": "scripts/gen_op_goldens.py (do not edit)", "runtime": RUNTIME,
                "input_rule": "xorshift32 from seed * 0x9E3779B9; int8 = bits 31..24, "
                              "float32 = -1 + 2 * (bits 31..8) / 2^24",
                "armnn_runtime": "Arm NN 20.08, TfLite parser, CpuRef backend (Debian "
                                 "python3-pyarmnn), run by ../shared/tools/golden/armnn_run.py",
                "cases": cases}
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    shutil.rmtree(model_dir)


if __name__ == "__main__":
    main()
