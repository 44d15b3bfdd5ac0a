// Package web holds biogate's in-browser demo page (index.html, app.js,
// style.css, and worker.js, the Web Worker that runs the assessor off the
// page's thread), embedded for `biogate web`. The WebAssembly assessor
// (biogate.wasm), Go's wasm_exec.js and the face mesh weights (models/)
// are not embedded: scripts/build-web.sh writes them into this folder, and
// `biogate web` serves them from there.
package web
