// biogate's assessor in a Web Worker: the WebAssembly build
// (biogate.wasm) runs here, off the page's thread, so that the page stays
// responsive while a file or a frame is assessed.
//
// Messages from the page: {id, op: 'assess', bytes: ArrayBuffer, options}
// and {id, op: 'frame', data: ArrayBuffer (RGBA), width, height, options};
// send the buffers as transferables. Replies: {id, report, ms} or
// {id, error: {message, code, report}, ms}, ms being the assessment's time
// in this worker. On start the worker posts {type: 'ready', version,
// profiles}, or {type: 'failed', message}.
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
  return started;
})();

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
