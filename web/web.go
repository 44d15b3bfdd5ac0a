package web

import "embed"

// Static holds the page's own files: index.html, app.js, style.css and
// worker.js (the Web Worker that runs the assessor).
//
//go:embed index.html app.js style.css worker.js
var Static embed.FS

// Built lists the files scripts/build-web.sh writes beside the page: the
// assessor and the Go runtime's JavaScript support, which must come from
// the Go release that built the assessor.
var Built = []string{"biogate.wasm", "wasm_exec.js"}
