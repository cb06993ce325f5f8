#!/usr/bin/env node
// Runs .tflite models several times in a row in ONE TensorFlow Lite interpreter (the npm
// WebAssembly build, as ../shared/tools/golden/tflite_run.js uses), so that variable tensors
// (the state of SVDF and LSTM layers) carry from one invocation to the next: the golden
// outputs of recurrent single-op models for scripts/gen_op_goldens.py. The shared runner
// makes a fresh interpreter per job (state reset every time), hence this one.
//
// usage: node scripts/tflite_run_invocations.js NPM_DIR JOBS.json RESULT.json
//   JOBS.json [{"model": path, "invocations": N, "inputs": [path, ...],
//               "outputs": [path, ...]}, ...]
//     input file k holds N times input tensor k's bytes: invocation i reads the i-th slice;
//     output file k gets N times output tensor k's bytes, invocation i's in the i-th slice.
//   RESULT.json  per job: ok / error.
'use strict';
const fs = require('fs'), vm = require('vm'), path = require('path');

const [npmDir, jobsPath, resultPath] = process.argv.slice(2);
if (!resultPath) {
  console.error('usage: node tflite_run_invocations.js NPM_DIR JOBS.json RESULT.json');
  process.exit(2);
}
const pkg = path.join(path.resolve(npmDir), 'node_modules', '@tensorflow', 'tfjs-tflite');
const wasm = path.join(pkg, 'wasm') + '/';

// The package's emscripten loader looks for a web-worker scope: give it the globals it reads
// (no SharedArrayBuffer: the single-threaded build), scripts and files from the local disk.
globalThis.self = globalThis;
self.location = { origin: 'file://', href: 'file://' + wasm + 'loader.js' };
globalThis.location = self.location;
globalThis.SharedArrayBuffer = undefined;
const localPath = (url) => String(url).replace(/^file:\/\//, '');
globalThis.importScripts = (...urls) => urls.forEach((u) => {
  vm.runInThisContext(fs.readFileSync(localPath(u), 'utf8'), { filename: localPath(u) });
});
const netFetch = globalThis.fetch;
globalThis.fetch = async (url, opts) => {
  const p = localPath(url);
  if (!fs.existsSync(p)) return netFetch(url, opts);
  const type = p.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
  return new Response(fs.readFileSync(p), { headers: { 'Content-Type': type } });
};
const tflite = require(pkg);

const bytesOf = (t) => { const d = t.data(); return new Uint8Array(d.buffer, d.byteOffset, d.byteLength); };

async function runJob(job) {
  const file = fs.readFileSync(job.model);
  const model = await tflite.loadTFLiteModel(
    file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength), { numThreads: 1 });
  const runner = model.modelRunner;
  try {
    const ins = runner.getInputs(), outs = runner.getOutputs(), n = job.invocations;
    if (ins.length !== job.inputs.length) throw new Error(`model has ${ins.length} inputs`);
    const src = job.inputs.map((p) => fs.readFileSync(p));
    const dst = outs.map((t) => Buffer.alloc(bytesOf(t).length * n));
    ins.forEach((t, k) => {
      if (src[k].length !== bytesOf(t).length * n) throw new Error(`input ${k}: ${src[k].length} bytes, expected ${n} x ${bytesOf(t).length}`);
    });
    for (let i = 0; i < n; i++) {
      ins.forEach((t, k) => { const b = bytesOf(t); b.set(src[k].subarray(i * b.length, (i + 1) * b.length)); });
      if (!runner.infer()) throw new Error(`infer() failed at invocation ${i}`);
      outs.forEach((t, k) => { const b = bytesOf(t); dst[k].set(b, i * b.length); });
    }
    dst.forEach((b, k) => fs.writeFileSync(job.outputs[k], b));
  } finally {
    runner.cleanUp();
  }
}

(async () => {
  tflite.setWasmPath(wasm);
  const jobs = JSON.parse(fs.readFileSync(jobsPath, 'utf8')), results = [];
  for (const job of jobs) {
    try {
      await runJob(job);
      results.push({ model: job.model, ok: true });
    } catch (e) {
      results.push({ model: job.model, ok: false, error: String(e && e.message ? e.message : e).split('\n')[0] });
    }
  }
  fs.writeFileSync(resultPath, JSON.stringify(results, null, 1));
})();
