// biogate's assessor in a Web Worker: the WebAssembly build
// (biogate.wasm) runs here, off the page's thread, so that the page stays
// responsive while a file or a frame is assessed.
//
// Messages from the page: {id, op: 'assess', bytes: ArrayBuffer, options}
// and {id, op: 'frame', data: ArrayBuffer (RGBA), width, height, options};
// send the buffers as transferables. Replies: {id, report, ms} or
// {id, error: {message, code, report}, ms}, ms being the assessment's time
// in this worker. {id, op: 'loadFaceModels'} fetches the face mesh weights
// now (reply {id, report: null, ms}). On start the worker posts
// {type: 'ready', version, profiles}, or {type: 'failed', message}.
//
// The models only full mode uses (face mesh and iris weights, pigo's nose
// and mouth cascades: 7.0 MB in models/ beside biogate.wasm, copied there
// by scripts/build-web.sh) are not in biogate.wasm. The assessor asks for
// them through the loader set below, checks their SHA-256 before use
// (fetch checks it too, by Subresource Integrity, where it is known), and
// waits for them: an assessment that may see a face (a file in auto or
// face mode; never a preview frame, a fingerprint record or a file in
// finger mode) does not start without them. If they cannot be had, it
// fails with code 'models.unavailable' and no report, and the next one
// tries again. When they are fetched is chosen by the worker's URL:
//   worker.js                  (lazy) when an assessment first needs them:
//                              a webcam-only or fingerprint-only page never
//                              downloads them
//   worker.js?faceModels=ready right after the assessor has started, in
//                              the background
//   worker.js?faceModels=start at worker start, beside biogate.wasm
'use strict';

importScripts('wasm_exec.js');

const faceModelsWhen = new URLSearchParams(self.location.search).get('faceModels') || 'lazy';
// The files of face.ModelFiles, for faceModels=start (before the assessor
// can list them; TestWebHandler checks the list).
const faceModelFiles = ['facemesh.bin', 'iris.bin', 'lp93', 'lp84', 'lp82', 'lp81'];
const fetched = new Map(); // name → Promise<Uint8Array>

function fetchModel(name, sha256) {
  if (!fetched.has(name)) {
    const url = 'models/' + name;
    const p = fetch(url, sha256 ? { integrity: 'sha256-' + base64OfHex(sha256) } : {}).then(async (resp) => {
      if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status + ' (scripts/build-web.sh copies it beside biogate.wasm)');
      return new Uint8Array(await resp.arrayBuffer());
    });
    p.catch(() => fetched.delete(name)); // fetched again next time
    fetched.set(name, p);
  }
  return fetched.get(name);
}

if (faceModelsWhen === 'start') for (const name of faceModelFiles) fetchModel(name);

const ready = (async () => {
  const started = new Promise((resolve) => { self.biogateReady = resolve; });
  const go = new Go();
  let inst;
  try {
    inst = await WebAssembly.instantiateStreaming(fetch('biogate.wasm'), go.importObject);
  } catch (e) {
    // A server without the application/wasm type: instantiate from bytes.
    const resp = await fetch('biogate.wasm');
    if (!resp.ok) throw new Error('biogate.wasm: HTTP ' + resp.status + ' (build it with scripts/build-web.sh)');
    inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(inst.instance);
  const api = await started;
  api.setFaceModelLoader(async (file) => {
    self.postMessage({ type: 'faceModels', state: 'fetching', name: file.name, size: file.size });
    try {
      // All at once: the assessor asks for them one after the other.
      for (const f of api.faceModels) fetchModel(f.name, f.sha256);
      return await fetchModel(file.name, file.sha256);
    } finally {
      self.postMessage({ type: 'faceModels', state: 'done', name: file.name });
    }
  });
  if (faceModelsWhen === 'ready') api.loadFaceModels().catch(() => {}); // an assessment tries again
  return api;
})();

function base64OfHex(hex) {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

ready.then(
  (api) => {
    self.postMessage({ type: 'ready', version: api.version, profiles: api.profiles() });
    if (new URLSearchParams(self.location.search).get('warmup') !== '0') warmUp(api);
  },
  (e) => self.postMessage({ type: 'failed', message: e.message }),
);

// warmUp assesses one synthetic 640×480 frame (a grey ramp, no face) right
// after the worker has said it is ready, so that the first camera frame
// does not pay for compiling and first use of the preview path: under Node
// the first frame took 1.4-1.9 s without it and 0.55-0.8 s after it (the
// warm-up itself 0.7-1.2 s; README, "In the browser"). A message that
// comes meanwhile waits for it. worker.js?warmup=0 leaves it out.
function warmUp(api) {
  const data = new Uint8Array(640 * 480 * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = data[i + 1] = data[i + 2] = ((i >> 2) % 640) >> 2;
    data[i + 3] = 255;
  }
  return api.assessFrame({ data, width: 640, height: 480 }, {}).catch(() => {});
}

self.onmessage = async (e) => {
  const m = e.data;
  let api;
  try {
    api = await ready;
  } catch (err) {
    self.postMessage({ id: m.id, error: { message: 'the assessor could not start: ' + err.message } });
    return;
  }
  const t0 = performance.now();
  try {
    let report;
    if (m.op === 'assess') {
      report = await api.assess(new Uint8Array(m.bytes), m.options);
    } else if (m.op === 'loadFaceModels') {
      report = await api.loadFaceModels();
    } else if (m.op === 'frame') {
      report = await api.assessFrame({ data: new Uint8Array(m.data), width: m.width, height: m.height }, m.options);
    } else {
      throw Object.assign(new Error('unknown operation ' + m.op), { code: 'options.invalid' });
    }
    self.postMessage({ id: m.id, report, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ id: m.id, error: { message: err.message, code: err.code, report: err.report }, ms: performance.now() - t0 });
  }
};
