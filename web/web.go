package web

import "embed"

// Static holds the page's own files: index.html, app.js, style.css and
// worker.js (the Web Worker that runs the assessor).
//
//go:embed index.html app.js style.css worker.js
var Static embed.FS

// Built lists the files scripts/build-web.sh writes beside the page: the
// assessor and the Go runtime's JavaScript support, which must come from
// the Go release that built the assessor, and in models/ the models only
// full mode uses, which the assessor does not embed (face.ModelFiles: the
// face mesh and iris weights, pigo's nose and mouth cascades; worker.js
// fetches them when the first assessment that may see a face needs them),
// with their notices.
var Built = []string{"biogate.wasm", "wasm_exec.js",
	"models/facemesh.bin", "models/iris.bin", "models/lp93", "models/lp84", "models/lp82", "models/lp81",
	"models/NOTICE", "models/LICENSE-Apache-2.0", "models/LICENSE-human-models-MIT", "models/SOURCES.md", "models/LICENSE-pigo"}
