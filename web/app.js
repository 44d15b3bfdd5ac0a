// biogate's demo page: assesses files and webcam frames with the
// WebAssembly build (biogate.wasm, built by scripts/build-web.sh). Nothing
// leaves the page: files are read with the File API and frames from a
// canvas, and handed to the assessor in memory.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};

// Every report shown, in order: {name, report, ms, workerMs}. The browser
// test reads it.
window.biogateReports = [];

// api is the assessor running in web/worker.js, once it has started:
// {version, profiles, assess(bytes, options), assessFrame(imageData,
// options)}; both calls resolve to {report, ms} (ms: the time in the
// worker) or reject with an Error carrying code and, when the CLI would
// have written one, report. The buffers are transferred, not copied: the
// caller's bytes and frame are unusable afterwards.
let api = null;

function startWorker() {
  // ?faceModels=lazy|ready|start on the page's URL chooses when the worker
  // fetches the full-mode face models (see worker.js).
  const q = new URLSearchParams(location.search);
  const wq = new URLSearchParams();
  for (const k of ['faceModels', 'warmup']) if (q.has(k)) wq.set(k, q.get(k));
  const worker = new Worker('worker.js' + (wq.size ? '?' + wq : ''));
  const pending = new Map();
  let next = 1;
  const call = (msg, transfer) => new Promise((resolve, reject) => {
    msg.id = next++;
    pending.set(msg.id, { resolve, reject });
    worker.postMessage(msg, transfer);
  });
  return new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(e.message || 'the worker failed'));
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'ready') {
        resolve({
          version: m.version,
          profiles: () => m.profiles,
          assess: (bytes, options) => call({ op: 'assess', bytes: bytes.buffer, options }, [bytes.buffer]),
          assessFrame: (frame, options) => call({ op: 'frame', data: frame.data.buffer, width: frame.width, height: frame.height, options }, [frame.data.buffer]),
          loadFaceModels: () => call({ op: 'loadFaceModels' }),
        });
        return;
      }
      if (m.type === 'faceModels') {
        // The worker fetches the face mesh weights for the first portrait.
        const s = $('#status');
        if (m.state === 'fetching') s.dataset.was = s.dataset.was || s.textContent;
        s.textContent = m.state === 'fetching' ? `Fetching the face models (${m.name}, ${(m.size / 1e6).toFixed(1)} MB)…` : (s.dataset.was || '');
        if (m.state !== 'fetching') delete s.dataset.was;
        return;
      }
      if (m.type === 'failed') {
        reject(new Error(m.message));
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error, { ms: m.ms }));
      else p.resolve({ report: m.report, ms: m.ms });
    };
  });
}

async function boot() {
  const status = $('#status');
  try {
    api = await startWorker();
  } catch (e) {
    status.textContent = 'The assessor could not start: ' + e.message;
    status.classList.add('error');
    return;
  }
  window.biogateWorker = api;
  $('#version').textContent = api.version;
  const sel = $('#options [name=profile]');
  for (const p of api.profiles()) {
    sel.append(el('option', { value: p.name, textContent: p.name + ' ' + p.version, title: p.description, selected: !!p.default }));
  }
  status.textContent = 'Ready. Images are assessed on this device, in a background worker; nothing is uploaded.';
  document.body.dataset.ready = '1';
}

function options() {
  const f = $('#options');
  const o = { modality: f.modality.value, profile: f.profile.value };
  const set = f.set.value.split(/[,\s]+/).filter(Boolean);
  if (set.length) o.set = set;
  const ppi = parseFloat(f.ppi.value);
  if (ppi > 0) o.ppi = ppi;
  return o;
}

// ---- files ----

async function assessFiles(files) {
  if (!api) return;
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const t0 = performance.now();
    let report, workerMs;
    let failure = null;
    try {
      ({ report, ms: workerMs } = await api.assess(bytes, { ...options(), name: file.name }));
    } catch (e) {
      failure = e;
      report = e.report; // an unreadable file still has the CLI's report
      workerMs = e.ms;
    }
    const ms = performance.now() - t0;
    if (!report) {
      $('#results').prepend(el('article', { className: 'card' }, el('h2', { textContent: file.name }),
        el('p', { className: 'status error', textContent: (failure.code || 'error') + ': ' + failure.message })));
      window.biogateReports.push({ name: file.name, error: failure.code || 'error', ms, workerMs });
      continue;
    }
    window.biogateReports.push({ name: file.name, report, ms, workerMs });
    const bitmap = await createImageBitmap(file, { imageOrientation: 'none' }).catch(() => null);
    const cards = report.samples.map((s) => card(file.name, s, report, bitmap, ms));
    $('#results').prepend(...cards);
  }
}

function card(name, s, report, bitmap, ms) {
  // importNode, not cloneNode: a clone stays in the template's inert
  // document, where a canvas cannot resolve fonts (no IED label).
  const c = document.importNode($('#card').content, true).firstElementChild;
  const rec = s.record ? ` — record image ${s.record.index + 1} of ${s.record.count}${s.record.position ? ', ' + s.record.position : ''}` : '';
  $('.name', c).textContent = name + rec;
  c.dataset.file = name;
  c.dataset.outcome = s.decision.outcome;
  const badge = $('.badge', c);
  badge.textContent = s.decision.outcome.replace('_', ' ');
  badge.classList.add(s.decision.outcome);
  $('.headline', c).textContent = headline(s) + ` · ${s.modality}` + (s.format ? ` · ${s.format}` : '') +
    (s.width ? ` · ${s.width}×${s.height} px` : '') + ` · assessed in ${ms.toFixed(0)} ms`;

  const reasons = $('.reasons', c);
  if (s.decision.reasons.length === 0) {
    reasons.append(el('li', { textContent: 'Keep this sample: it passes every check of ' + report.profile.name + '.' }));
  }
  for (const r of s.decision.reasons) reasons.append(el('li', { textContent: r.instruction || r.code }));
  for (const k of s.decision.skipped || []) reasons.append(el('li', { className: 'skipped', textContent: `Not checked (${k.measure}): ${k.why}` }));
  if (s.error && s.decision.reasons.length === 0) reasons.append(el('li', { textContent: s.error }));
  for (const w of s.warnings || []) $('.warnings', c).append(el('li', { textContent: w }));

  const mt = $('.measures tbody', c);
  for (const [k, m] of Object.entries(s.measures)) {
    mt.append(el('tr', {}, el('td', { textContent: k }), el('td', { className: 'num', textContent: fmt(m.value) }),
      el('td', { textContent: m.unit || '' }), el('td', { className: 'num', textContent: m.component === undefined ? '' : fmt(m.component) })));
  }
  const ct = $('.checks tbody', c);
  for (const ch of s.checks || []) {
    ct.append(el('tr', {}, el('td', { textContent: ch.code }), el('td', { className: 'num', textContent: fmt(ch.value) }),
      el('td', { textContent: `${ch.comparison || ''} ${fmt(ch.threshold)} ${ch.unit || ''}` }),
      el('td', { className: ch.passed ? '' : 'fail', textContent: ch.passed ? 'pass' : ch.outcome })));
  }
  $('.json', c).textContent = JSON.stringify(s, null, 2);

  const canvas = $('.preview', c);
  if (bitmap && !s.record && (!s.width || (bitmap.width === s.width && bitmap.height === s.height))) {
    drawPreview(canvas, bitmap, s);
  } else {
    canvas.hidden = true;
    const p = $('.nopreview', c);
    p.hidden = false;
    p.textContent = s.record || !bitmap
      ? `No preview: the browser cannot show ${s.record ? 'an image inside a record' : (s.format || 'this format')}; biogate decoded it itself.`
      : 'No preview: the browser shows this image at another size.';
  }
  return c;
}

function headline(s) {
  if (s.score) return `${s.score.name} ${s.score.value} (${s.score.model} ${s.score.model_version})`;
  const ied = s.measures.InterEyeDistance;
  if (ied) return `IED ${ied.value.toFixed(1)} px`;
  const n = s.measures.FaceCount;
  if (n) return n.value === 1 ? '1 face' : `${n.value} faces`;
  return s.error ? 'not assessed' : '';
}

function fmt(v) {
  if (typeof v !== 'number') return v === undefined ? '' : String(v);
  return Number.isInteger(v) ? String(v) : (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3));
}

const maxSide = 840;

function drawPreview(canvas, bitmap, s) {
  const k = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  canvas.width = Math.round(bitmap.width * k);
  canvas.height = Math.round(bitmap.height * k);
  const g = canvas.getContext('2d');
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  drawFaces(g, s, k, s.measures.InterEyeDistance);
}

// drawFaces draws each face's box and eye centres, the primary face's eye
// line labelled with the inter-eye distance.
function drawFaces(g, s, k, ied) {
  const faces = (s.detail && s.detail.faces) || [];
  const w = Math.max(2, g.canvas.width / 250);
  faces.forEach((f, i) => {
    const colour = i === 0 ? '#19d35a' : '#ffb000';
    g.lineWidth = w;
    g.strokeStyle = colour;
    if (f.box) g.strokeRect(f.box.x * k, f.box.y * k, f.box.width * k, f.box.height * k);
    const a = f.right_eye, b = f.left_eye;
    g.beginPath();
    g.moveTo(a.x * k, a.y * k);
    g.lineTo(b.x * k, b.y * k);
    g.stroke();
    for (const [p, c] of [[a, '#ff3b30'], [b, '#2f80ff']]) {
      g.beginPath();
      g.arc(p.x * k, p.y * k, w * 2.5, 0, 2 * Math.PI);
      g.fillStyle = c;
      g.fill();
      g.strokeStyle = '#fff';
      g.lineWidth = w / 2;
      g.stroke();
    }
    if (i === 0 && ied && g.canvas.dataset.labels !== 'off') {
      const label = `IED ${ied.value.toFixed(1)} px`;
      g.font = `bold ${Math.max(12, Math.round(g.canvas.width / 32))}px system-ui, sans-serif`;
      const x = (a.x + b.x) / 2 * k, y = Math.min(a.y, b.y) * k - w * 5;
      g.textAlign = 'center';
      g.lineWidth = w * 1.5;
      g.strokeStyle = 'rgba(0,0,0,.75)';
      g.strokeText(label, x, y);
      g.fillStyle = '#fff';
      g.fillText(label, x, y);
    }
  });
}

// ---- webcam ----

let stream = null;
let running = false;

async function startCamera() {
  if (!api) return;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  } catch (e) {
    $('#advice').textContent = 'No camera: ' + e.message;
    return;
  }
  const video = $('#video');
  video.srcObject = stream;
  await video.play();
  running = true;
  $('#cam-start').disabled = true;
  $('#cam-stop').disabled = false;
  loop();
}

function stopCamera() {
  running = false;
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $('#cam-start').disabled = false;
  $('#cam-stop').disabled = true;
}

// loop shows the video at the display's rate, the last assessment's faces
// drawn over it, and keeps one frame at a time in the worker: when an
// assessment is done the next frame is taken (its pixels transferred, not
// copied). It shows the advice, the assessed frames per second and the
// worker's median time per frame.
function loop() {
  const video = $('#video');
  const canvas = $('#cam-canvas');
  canvas.dataset.labels = 'off'; // the canvas is mirrored by CSS: no text on it
  const g = canvas.getContext('2d');
  const grab = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const times = [];
  const stamps = [];
  let last = null; // the last assessed sample
  let busy = false;

  const assessNext = async () => {
    const w = video.videoWidth || 640, h = video.videoHeight || 480;
    if (grab.canvas.width !== w || grab.canvas.height !== h) { grab.canvas.width = w; grab.canvas.height = h; }
    grab.drawImage(video, 0, 0, w, h);
    const frame = grab.getImageData(0, 0, w, h);
    busy = true;
    let report, ms;
    try {
      ({ report, ms } = await api.assessFrame(frame, options()));
    } catch (e) {
      ({ report, ms } = e);
      if (!report) {
        $('#advice').textContent = e.message;
        stopCamera();
        return;
      }
    } finally {
      busy = false;
    }
    const t1 = performance.now();
    times.push(ms);
    if (times.length > 30) times.shift();
    stamps.push(t1);
    while (stamps.length && stamps[0] < t1 - 1000) stamps.shift();
    last = report.samples[0];
    showAdvice(last);
    const med = [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)];
    $('#fps').textContent = `${stamps.length} frames/s assessed · assessment ${med.toFixed(0)} ms (median of ${times.length}, in the worker)`;
  };

  const draw = () => {
    if (!running) return;
    const w = video.videoWidth || 640, h = video.videoHeight || 480;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    g.drawImage(video, 0, 0, w, h);
    if (last) drawFaces(g, last, 1, last.measures.InterEyeDistance);
    if (!busy) assessNext();
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
}

function showAdvice(s) {
  const a = $('#advice');
  const d = s.decision;
  a.className = 'advice ' + d.outcome;
  if (d.outcome === 'accept') {
    const ied = s.measures.InterEyeDistance;
    a.textContent = 'Good: hold still.' + (ied ? ` IED ${ied.value.toFixed(0)} px` : '');
  } else {
    a.textContent = d.reasons.map((r) => r.instruction.split(':')[0]).join(' · ') || s.error || d.outcome;
  }
}

// ---- wiring ----

// prefetch asks the worker for the full-mode face models as soon as the
// user shows they are about to give a file (a drag over the drop zone, a
// press on the file chooser): they download while the file is chosen. The
// webcam tab never needs them.
let prefetched = false;
function prefetch() {
  if (prefetched || !api) return;
  prefetched = true;
  api.loadFaceModels().catch(() => { prefetched = false; }); // an assessment tries again
}

function wire() {
  const drop = $('#drop');
  $('#file').addEventListener('change', (e) => assessFiles([...e.target.files]));
  for (const ev of ['pointerdown', 'keydown', 'dragenter']) drop.addEventListener(ev, prefetch);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    assessFiles([...e.dataTransfer.files]);
  });
  const tabs = { files: $('#tab-files'), camera: $('#tab-camera') };
  for (const [name, b] of Object.entries(tabs)) {
    b.addEventListener('click', () => {
      for (const [n, o] of Object.entries(tabs)) {
        o.classList.toggle('active', n === name);
        $('#' + n + '-pane').hidden = n !== name;
      }
      if (name !== 'camera') stopCamera();
    });
  }
  $('#cam-start').addEventListener('click', startCamera);
  $('#cam-stop').addEventListener('click', stopCamera);
}

wire();
boot();
