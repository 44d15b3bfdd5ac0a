// Package wasm is the browser build's engine: what the JavaScript global
// biogate (cmd/biogate-wasm, built for GOOS=js GOARCH=wasm) does, in plain
// Go so that it is tested on every platform.
//
// [Engine.Assess] returns, for one file held in memory, exactly the JSON
// document that `biogate check -format json FILE` prints (the same batch:
// tool, version, profile, thresholds, summary and one sample per image),
// and fails with an [*Error] whose Code is the reason code of the CLI's
// rejection (input.unreadable, input.too_small) exactly when the CLI would
// exit with code 2 for that file. [Engine.AssessFrame] assesses a raw RGBA
// frame (a canvas's ImageData) in face preview mode, with no encoding or
// decoding. Options are decoded from the JSON of the JavaScript options
// object by [ParseOptions].
//
// Nothing here reads files, opens connections or logs: the bytes given are
// assessed in memory and only the report is returned.
package wasm
