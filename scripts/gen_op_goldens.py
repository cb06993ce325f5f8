#!/usr/bin/env python3
"""Golden outputs of real TFLite for tinysim's single-op models (tests/data/ops/).

usage: scripts/gen_op_goldens.py TINYSIM NPM_DIR [SHARED_DIR]

For every case below: `tinysim gen SPEC --seed SEED` writes the model, this script writes its
inputs (the rule of tests/unit/engine/engine_test.h fill_input: xorshift32 from state
seed * 0x9E3779B9, one step per element in row-major order; int8 = bits 31..24 as a byte,
int16 = bits 31..16 (little-endian), float32 = -1 + 2 * (bits 31..8) / 2^24), and the TensorFlow Lite interpreter (WebAssembly build
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
    # 16x8 quantization: int16 activations, int8 weights, int64 bias
    ("op:fully_connected,int16,2x20,units=7", 1),
    ("op:fully_connected,int16,1x300,units=5", 2),
    ("op:fully_connected,int16,3x2x9,units=4", 3),
    ("op:conv_2d,int16,1x6x6x3,filter=3.3.4,stride=1.1", 1),
    ("op:conv_2d,int16,1x7x5x8,filter=3.2.3,stride=2.1.1", 2),
    ("op:conv_2d,int16,2x5x5x2,filter=1.1.5,stride=2.2", 3),
    ("op:depthwise_conv_2d,int16,1x6x6x4,filter=3.3.1,stride=1.1", 1),
    ("op:depthwise_conv_2d,int16,1x7x6x3,filter=3.3.2,stride=2.2.1", 2),
    ("op:depthwise_conv_2d,int16,1x5x5x5,filter=5.5.1,stride=1.1", 3),
    ("op:quantize,float32,2x20,to=16", 1),
    ("op:quantize,float32,33,to=8", 2),
    ("op:quantize,float32,1x4x4x3,to=16", 3),
    ("op:quantize,int8,40,to=8", 2),
    ("op:quantize,int8,3x7,to=8", 3),
    ("op:quantize,int16,40,to=8", 1),
    ("op:quantize,int16,5x6,to=16", 2),
    ("op:quantize,int16,4x6,to=32", 3),
    ("op:quantize,int16,77,to=16", 4),
    ("op:dequantize,int16,2x9", 1),
    ("op:dequantize,int8,17", 2),
    ("op:add,int16,1x4x4x3", 1),
    ("op:add,int16,1x5x5x4,4", 2),
    ("op:add,int16,2x1x3,1x5x1", 3),
    ("op:sub,int16,1x4x4x3", 1),
    ("op:sub,int16,3x1x2,1x4x1", 2),
    ("op:mul,int16,1x8x8x2,1x8x1x2", 1),
    ("op:mul,int16,6,1", 2),
    ("op:mul,int16,2x3x4", 3),
    ("op:average_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2", 1),
    ("op:average_pool_2d,int16,1x7x5x4,filter=3.3,stride=1.1", 2),
    ("op:average_pool_2d,int16,2x5x6x2,filter=3.2,stride=2.1.1", 3),
    ("op:max_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2", 1),
    ("op:max_pool_2d,int16,1x7x5x4,filter=3.3,stride=1.1", 2),
    ("op:max_pool_2d,int16,2x5x6x2,filter=3.2,stride=2.1.1", 3),
    ("op:pad,int16,1x3x4x2,paddings=0.0.1.2.2.0.0.1", 1),
    ("op:pad,int16,5x3,paddings=2.1.0.3", 2),
    ("op:concatenation,int16,2x3x4,2x5x4,axis=1", 1),
    ("op:concatenation,int16,3x4,axis=-1", 2),
    ("op:pack,int16,3x4,axis=0", 1),
    ("op:squeeze,int16,1x5x1x3", 1),
    ("op:expand_dims,int16,3x4,axis=0", 2),
]

# int8 ops where the TFLite runtime above does not compute what tinysim's default does: op, or
# (op, input dtype) for any dtype, -> (largest difference allowed, in LSB of the output, why,
# and what tinysim must then equal bit for bit: "armnn" (Arm NN's output), "double_rounding"
# (TFLite's output, with tinysim's --rounding double), or None).
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
    ("quantize", "int8"): (1, "XNNPACK converts int8 to int8 in fp32 ((x - zp) * scale ratio, "
                              "rounded to nearest even); TFLite's reference Requantize, which "
                              "tinysim follows, uses the fixed-point MultiplyByQuantizedMultiplier "
                              "and is 1 LSB off where a result lies near a half step; Arm NN's "
                              "reference backend computes what tinysim does, bit for bit",
                           "armnn"),
    ("quantize", "int16"): (1, "this TFLite build runs its builtin Requantize for int16 inputs, "
                               "compiled with double rounding; tinysim's default is the "
                               "single-rounding MultiplyByQuantizedMultiplier, 1 LSB off near a "
                               "half step; with --rounding double tinysim equals TFLite bit for "
                               "bit",
                            "double_rounding"),
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


BINARY = {"add", "mul", "sub", "maximum", "minimum", "squared_difference", "pack",
          "concatenation"}


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
            elif dtype == "int16":
                buf += struct.pack("<H", state >> 16)
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


def output_dtype(spec):
    """The output dtype: the input's, but QUANTIZE's to=BITS and DEQUANTIZE's float32."""
    fields = spec.split(":", 1)[1].split(",")
    to = [f[3:] for f in fields if f.startswith("to=")]
    if fields[0] == "dequantize":
        return "float32"
    return {"8": "int8", "16": "int16", "32": "int32"}[to[0]] if to else fields[1]


def agreement(case):
    """How the Arm NN output compares with TFLite's (integers: LSB; float32: absolute)."""
    a = open(os.path.join(OUT_DIR, case["outputs"][0]), "rb").read()
    b = open(os.path.join(OUT_DIR, case["armnn_outputs"][0]), "rb").read()
    dtype = output_dtype(case["spec"])
    if dtype == "float32":
        fa = struct.unpack("<%df" % (len(a) // 4), a)
        fb = struct.unpack("<%df" % (len(b) // 4), b)
        diff = [abs(x - y) for x, y in zip(fa, fb)]
        return {"agree_exact": a == b, "n_differ": sum(d != 0 for d in diff),
                "max_abs_diff": max(diff)}
    fmt = {"int16": "<%dh" % (len(a) // 2), "int32": "<%di" % (len(a) // 4)}.get(
        dtype, "%db" % len(a))
    diff = [abs(x - y) for x, y in zip(struct.unpack(fmt, a), struct.unpack(fmt, b))]
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
        tol = TOLERANCE_LSB.get((op, dtype)) or (TOLERANCE_LSB.get(op) if dtype == "int8"
                                                 else None)
        if tol:
            lsb, why, exact = tol
            cases[-1]["tolerance_lsb"], cases[-1]["tolerance_reason"] = lsb, why
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
                              "int16 = bits 31..16, float32 = -1 + 2 * (bits 31..8) / 2^24",
                "armnn_runtime": "Arm NN 20.08, TfLite parser, CpuRef backend (Debian "
                                 "python3-pyarmnn), run by ../shared/tools/golden/armnn_run.py",
                "cases": cases}
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    shutil.rmtree(model_dir)


if __name__ == "__main__":
    main()
