// Regenerates the reference fixtures for internal/nn and
// face/internal/facemesh with TensorFlow.js (CPU backend, pure JS) under
// Node (v18 or later). Run from the repository root:
//
//   scripts/gen-facemesh-fixtures.sh
//
// which installs the exact versions pinned in package.json into a temporary
// directory (never into the repository) and runs this script there. It
// writes internal/nn/testdata/ops.json and face/internal/facemesh/testdata/
// {reference.json,face192.rgb,eye64.rgb}. Nothing here runs at Go test time.
//
// Inputs are deterministic: a xorshift32 generator (the Go tests use the
// same one) and a synthetic face drawn below with plain arithmetic, stored
// as 8-bit RGB so the Go side reads exactly the same pixels.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The script may run from a temporary copy beside its node_modules; FACEMESH_DIR
// then names face/internal/facemesh in the repository.
const meshDir = process.env.FACEMESH_DIR || join(here, '..', '..');
const modelsDir = join(meshDir, 'models');
const meshTestdata = join(meshDir, 'testdata');
const nnTestdata = join(meshDir, '..', '..', '..', 'internal', 'nn', 'testdata');

// xorshift32; values are (state >>> 8) / 2^24, exact in float32, in [0, 1).
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s >>> 8) / 16777216;
  };
}
// Values in [lo, hi): lo + (hi-lo)*u, computed in float64 then rounded to float32.
function fill(n, seed, lo, hi) {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}
const arr = (t) => Array.from(t.dataSync());

async function loadModel(name) {
  const json = JSON.parse(readFileSync(join(modelsDir, name + '.json'), 'utf8'));
  const specs = [];
  const bufs = [];
  for (const g of json.weightsManifest) {
    specs.push(...g.weights);
    for (const p of g.paths) bufs.push(readFileSync(join(modelsDir, p)));
  }
  const all = Buffer.concat(bufs);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology, weightSpecs: specs, weightData,
      format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
      signature: json.signature, userDefinedMetadata: json.userDefinedMetadata,
    }),
  });
}

// ---- synthetic inputs -------------------------------------------------------

// A frontal cartoon face on a grey background, 4×4 supersampled, 8-bit RGB.
function drawFace(size) {
  const out = new Uint8Array(size * size * 3);
  const ell = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let acc = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (px + (sx + 0.5) / 4) / size; // [0,1)
          const y = (py + (sy + 0.5) / 4) / size;
          let c = [0.55, 0.57, 0.6]; // background
          if (ell(x, y, 0.5, 0.5, 0.33, 0.43)) c = [0.86, 0.68, 0.56]; // skin
          for (const ex of [0.36, 0.64]) {
            if (ell(x, y, ex, 0.42, 0.075, 0.018)) c = [0.25, 0.17, 0.12]; // brow
            if (ell(x, y, ex, 0.47, 0.07, 0.035)) c = [0.95, 0.95, 0.93]; // sclera
            if (ell(x, y, ex, 0.47, 0.03, 0.03) && ell(x, y, ex, 0.47, 0.07, 0.035)) c = [0.35, 0.22, 0.12]; // iris
            if (ell(x, y, ex, 0.47, 0.012, 0.012)) c = [0.05, 0.05, 0.05]; // pupil
          }
          if (ell(x, y, 0.5, 0.6, 0.035, 0.02)) c = [0.7, 0.5, 0.42]; // nose
          if (ell(x, y, 0.5, 0.73, 0.1, 0.028)) c = [0.72, 0.3, 0.3]; // lips
          if (ell(x, y, 0.5, 0.73, 0.08, 0.005)) c = [0.35, 0.1, 0.1]; // mouth line
          acc = acc.map((v, i) => v + c[i]);
        }
      }
      for (let i = 0; i < 3; i++) out[(py * size + px) * 3 + i] = Math.round((acc[i] / 16) * 255);
    }
  }
  return out;
}

// A single eye (the image-left eye of a frontal face), 8-bit RGB.
function drawEye(size) {
  const out = new Uint8Array(size * size * 3);
  const ell = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let acc = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (px + (sx + 0.5) / 4) / size;
          const y = (py + (sy + 0.5) / 4) / size;
          let c = [0.86, 0.68, 0.56];
          if (ell(x, y, 0.5, 0.22, 0.32, 0.05)) c = [0.25, 0.17, 0.12];
          if (ell(x, y, 0.5, 0.5, 0.3, 0.14)) c = [0.95, 0.95, 0.93];
          if (ell(x, y, 0.52, 0.5, 0.13, 0.13) && ell(x, y, 0.5, 0.5, 0.3, 0.14)) c = [0.35, 0.22, 0.12];
          if (ell(x, y, 0.52, 0.5, 0.05, 0.05)) c = [0.05, 0.05, 0.05];
          acc = acc.map((v, i) => v + c[i]);
        }
      }
      for (let i = 0; i < 3; i++) out[(py * size + px) * 3 + i] = Math.round((acc[i] / 16) * 255);
    }
  }
  return out;
}

const bytesToInput = (b) => { const a = new Float32Array(b.length); for (let i = 0; i < b.length; i++) a[i] = b[i] / 255; return a; };

// ---- single-operation fixtures ---------------------------------------------

function opFixtures() {
  const cases = [];
  const T = (shape, seed, lo = -1, hi = 1) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { shape, seed, lo, hi, data: fill(n, seed, lo, hi) };
  };
  const out = (t) => ({ shape: t.shape, data: arr(t) });
  const conv = (name, xs, fs, stride, pad, bias, act) => {
    const x = T(xs, 11 + cases.length), f = T(fs, 101 + cases.length, -0.5, 0.5);
    const b = bias ? T([fs[3]], 201 + cases.length) : null;
    const a = act === 'prelu' ? T([fs[3]], 301 + cases.length, -0.5, 0.5) : null;
    const y = tf.fused.conv2d({
      x: tf.tensor(x.data, xs), filter: tf.tensor(f.data, fs), strides: stride, pad,
      bias: b ? tf.tensor(b.data, b.shape) : undefined,
      activation: act || 'linear', preluActivationWeights: a ? tf.tensor(a.data, a.shape) : undefined,
    });
    cases.push({ name, op: 'conv', stride, pad, activation: act || 'linear', inputs: { x, filter: f, bias: b, alpha: a }, output: out(y) });
  };
  conv('conv3x3s2same_bias_prelu', [1, 9, 9, 5], [3, 3, 5, 7], 2, 'same', true, 'prelu');
  conv('conv1x1_bias', [1, 6, 6, 8], [1, 1, 8, 6], 1, 'valid', true, null);
  conv('conv2x2s2valid_bias_prelu', [1, 8, 8, 6], [2, 2, 6, 5], 2, 'valid', true, 'prelu');
  conv('conv3x3s3valid_bias', [1, 6, 6, 4], [3, 3, 4, 9], 3, 'valid', true, null);
  conv('conv3x3s1same_relu', [1, 5, 7, 3], [3, 3, 3, 4], 1, 'same', true, 'relu');
  const dw = (name, xs, k, stride, pad) => {
    const x = T(xs, 401 + cases.length), f = T([k, k, xs[3], 1], 501 + cases.length, -0.5, 0.5);
    const y = tf.depthwiseConv2d(tf.tensor(x.data, xs), tf.tensor(f.data, f.shape), stride, pad);
    cases.push({ name, op: 'depthwise', stride, pad, inputs: { x, filter: f }, output: out(y) });
  };
  dw('depthwise3x3s1same', [1, 7, 7, 6], 3, 1, 'same');
  dw('depthwise3x3s2same', [1, 8, 8, 6], 3, 2, 'same');
  dw('depthwise3x3s2same_odd', [1, 7, 9, 4], 3, 2, 'same');
  {
    const x = T([1, 4, 4, 6], 601), a = T([6], 602, -0.5, 0.5);
    cases.push({ name: 'prelu', op: 'prelu', inputs: { x, alpha: a }, output: out(tf.prelu(tf.tensor(x.data, x.shape), tf.tensor(a.data, a.shape))) });
  }
  {
    const x = T([1, 8, 8, 3], 701);
    cases.push({ name: 'maxpool2x2s2valid', op: 'maxpool', ksize: 2, stride: 2, pad: 'valid', inputs: { x }, output: out(tf.maxPool(tf.tensor(x.data, x.shape), 2, 2, 'valid')) });
    const x2 = T([1, 7, 5, 2], 702);
    cases.push({ name: 'maxpool3x3s2same', op: 'maxpool', ksize: 3, stride: 2, pad: 'same', inputs: { x: x2 }, output: out(tf.maxPool(tf.tensor(x2.data, x2.shape), 3, 2, 'same')) });
  }
  {
    const x = T([1, 3, 3, 2], 801);
    const paddings = [[0, 0], [1, 0], [0, 2], [0, 3]];
    cases.push({ name: 'pad', op: 'pad', paddings, inputs: { x }, output: out(tf.pad(tf.tensor(x.data, x.shape), paddings)) });
  }
  {
    const x = T([1, 2, 2, 5], 901, -12, 12);
    cases.push({ name: 'sigmoid', op: 'sigmoid', inputs: { x }, output: out(tf.sigmoid(tf.tensor(x.data, x.shape))) });
    const y = T([1, 2, 2, 5], 902);
    cases.push({ name: 'add', op: 'add', inputs: { x, y }, output: out(tf.add(tf.tensor(x.data, x.shape), tf.tensor(y.data, y.shape))) });
  }
  // Inputs are regenerated in Go from (seed, lo, hi); drop their data.
  for (const c of cases) for (const k of Object.keys(c.inputs)) if (c.inputs[k]) delete c.inputs[k].data; else delete c.inputs[k];
  return cases;
}

// ---- main -------------------------------------------------------------------

await tf.setBackend('cpu');
await tf.ready();
const pkg = { version: tf.version_core };
const sha = (f) => createHash('sha256').update(readFileSync(join(modelsDir, f))).digest('hex');
const meta = { generator: 'face/internal/facemesh/testdata/gen/gen.mjs', tfjs: pkg.version, backend: tf.getBackend() };

writeFileSync(join(nnTestdata, 'ops.json'), JSON.stringify({ ...meta, cases: opFixtures() }) + '\n');

const face = drawFace(192);
const eye = drawEye(64);
writeFileSync(join(meshTestdata, 'face192.rgb'), face);
writeFileSync(join(meshTestdata, 'eye64.rgb'), eye);

const mesh = await loadModel('facemesh');
const iris = await loadModel('iris');
const run = (model, input, side, outputs) => {
  const x = tf.tensor(input, [1, side, side, 3]);
  const ys = model.execute(x, outputs);
  const list = Array.isArray(ys) ? ys : [ys];
  return list.map(arr);
};
const cases = [];
for (const [name, input] of [['random1', fill(192 * 192 * 3, 1, 0, 1)], ['random2', fill(192 * 192 * 3, 2, 0, 1)], ['face', bytesToInput(face)]]) {
  const [points, score] = run(mesh, input, 192, ['Identity_2', 'Identity_1']);
  cases.push({ model: 'facemesh', name, input: name === 'face' ? 'face192.rgb' : { seed: Number(name.slice(-1)), lo: 0, hi: 1 }, outputs: { points, score } });
}
for (const [name, input] of [['random3', fill(64 * 64 * 3, 3, 0, 1)], ['eye', bytesToInput(eye)]]) {
  const [out] = run(iris, input, 64, ['Identity']);
  cases.push({ model: 'iris', name, input: name === 'eye' ? 'eye64.rgb' : { seed: 3, lo: 0, hi: 1 }, outputs: { out } });
}
writeFileSync(join(meshTestdata, 'reference.json'), JSON.stringify({
  ...meta, models: { 'facemesh.json': sha('facemesh.json'), 'facemesh.bin': sha('facemesh.bin'), 'iris.json': sha('iris.json'), 'iris.bin': sha('iris.bin') }, cases,
}) + '\n');
console.log('wrote fixtures with tfjs', pkg.version);
