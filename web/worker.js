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
// The face mesh and iris weights (models/facemesh.bin, models/iris.bin:
// 4.1 MB, beside biogate.wasm; scripts/build-web.sh copies them) are not
// in biogate.wasm. The assessor asks for them through the loader set below
// when an assessment that may see a face first needs them (a file in auto
// or face mode; never a preview frame, never a fingerprint record or a
// file in finger mode), waits for them, and checks their SHA-256 before
// use; fetch checks them too (Subresource Integrity). If they cannot be
// had, that assessment fails with code 'models.unavailable' and no
// report, and the next one tries again.
'use strict';

importScripts('wasm_exec.js');

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
    const url = 'models/' + file.name;
    self.postMessage({ type: 'faceModels', state: 'fetching', name: file.name, size: file.size });
    try {
      const resp = await fetch(url, { integrity: 'sha256-' + base64OfHex(file.sha256) });
      if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status + ' (scripts/build-web.sh copies it beside biogate.wasm)');
      return new Uint8Array(await resp.arrayBuffer());
    } finally {
      self.postMessage({ type: 'faceModels', state: 'done', name: file.name });
    }
  });
  return api;
})();

function base64OfHex(hex) {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

ready.then(
  (api) => self.postMessage({ type: 'ready', version: api.version, profiles: api.profiles() }),
  (e) => self.postMessage({ type: 'failed', message: e.message }),
);

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
