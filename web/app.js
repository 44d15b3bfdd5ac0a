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

// Every report shown, in order: {name, report, ms}. The browser test reads it.
window.biogateReports = [];

let api = null;
const apiReady = new Promise((resolve) => { window.biogateReady = resolve; });

async function boot() {
  const status = $('#status');
  try {
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
    api = await apiReady;
  } catch (e) {
    status.textContent = 'The assessor could not start: ' + e.message;
    status.classList.add('error');
    return;
  }
  $('#version').textContent = api.version;
  const sel = $('#options [name=profile]');
  for (const p of api.profiles()) {
    sel.append(el('option', { value: p.name, textContent: p.name + ' ' + p.version, title: p.description, selected: !!p.default }));
  }
  status.textContent = 'Ready. Images are assessed on this device; nothing is uploaded.';
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
    let report;
    let failure = null;
    try {
      report = await api.assess(bytes, { ...options(), name: file.name });
    } catch (e) {
      failure = e;
      report = e.report; // an unreadable file still has the CLI's report
    }
    const ms = performance.now() - t0;
    if (!report) {
      $('#results').prepend(el('article', { className: 'card' }, el('h2', { textContent: file.name }),
        el('p', { className: 'status error', textContent: (failure.code || 'error') + ': ' + failure.message })));
      window.biogateReports.push({ name: file.name, error: failure.code, ms });
      continue;
    }
    window.biogateReports.push({ name: file.name, report, ms });
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

// loop assesses one frame at a time (the next frame is taken when the
// previous assessment is done) and shows the advice and the rate achieved.
async function loop() {
  const video = $('#video');
  const canvas = $('#cam-canvas');
  canvas.dataset.labels = 'off'; // the canvas is mirrored by CSS: no text on it
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const times = [];
  const stamps = [];
  while (running) {
    const w = video.videoWidth || 640, h = video.videoHeight || 480;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    g.drawImage(video, 0, 0, w, h);
    const frame = g.getImageData(0, 0, w, h);
    const t0 = performance.now();
    let report;
    try {
      report = await api.assessFrame(frame, options());
    } catch (e) {
      report = e.report;
      if (!report) { $('#advice').textContent = e.message; break; }
    }
    const t1 = performance.now();
    times.push(t1 - t0);
    if (times.length > 30) times.shift();
    stamps.push(t1);
    while (stamps.length && stamps[0] < t1 - 1000) stamps.shift();
    const s = report.samples[0];
    drawFaces(g, s, 1, s.measures.InterEyeDistance);
    showAdvice(s);
    const med = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    $('#fps').textContent = `${stamps.length} frames/s · assessment ${med.toFixed(0)} ms (median of ${times.length})`;
    await new Promise(requestAnimationFrame);
  }
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

function wire() {
  const drop = $('#drop');
  $('#file').addEventListener('change', (e) => assessFiles([...e.target.files]));
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
