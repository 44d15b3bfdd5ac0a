// Package web holds biogate's in-browser demo page (index.html, app.js,
// style.css), embedded for `biogate web`. The WebAssembly assessor
// (biogate.wasm) and Go's wasm_exec.js are not embedded: scripts/build-web.sh
// writes them into this folder, and `biogate web` serves them from there.
package web
