//go:build js && wasm

// Command biogate-wasm is biogate for the browser (GOOS=js GOARCH=wasm).
// It defines the JavaScript global biogate:
//
//	biogate.assess(bytes: Uint8Array, options?) → Promise<report>
//	biogate.assessFrame({data, width, height}, options?) → Promise<report>
//	biogate.profiles() → [{name, version, description, default}]
//	biogate.version → "0.1.0"
//	biogate.faceModels → [{name, sha256, size}]
//	biogate.setFaceModelLoader(async ({name, sha256, size}) → Uint8Array)
//	biogate.loadFaceModels() → Promise<undefined>
//
// This build does not embed the face mesh and iris weights (4.1 MB, a
// third of the .wasm's gzip size; see face.ModelsEmbedded): a full-mode
// assessment that may see a face waits for them, calling the loader once
// per file of faceModels (again after a failure), and uses them only when
// their SHA-256 is the listed one; with no loader, or a loader that fails,
// it rejects with code models.unavailable and no report. loadFaceModels
// loads them ahead of need. Preview frames (assessFrame) and fingerprint
// records never need them.
//
// options: {modality: "auto"|"face"|"finger", profile: NAME or YAML text,
// set: ["KEY=VALUE", …], ppi: NUMBER, name: "file name for the report"}.
// A report is the object `biogate check -format json` prints; a rejected
// promise's reason is an Error with code (input.unreadable,
// input.too_small, options.invalid) and, when the input had one, report.
// The work is done by package wasm; this file only converts values.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/wasm"
)

func main() {
	eng := wasm.NewEngine()
	if err := eng.Init(); err != nil {
		js.Global().Get("console").Call("error", "biogate: "+err.Error())
	}
	api := js.Global().Get("Object").New()
	api.Set("version", wasm.Version)
	api.Set("assess", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return promise(func() ([]byte, error) {
			data, name, opts, err := fileArgs(args)
			if err != nil {
				return nil, err
			}
			return eng.Assess(context.Background(), name, data, opts)
		})
	}))
	api.Set("assessFrame", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return promise(func() ([]byte, error) {
			if len(args) == 0 || args[0].Type() != js.TypeObject {
				return nil, &wasm.Error{Code: wasm.CodeInvalidOptions, Message: "assessFrame: want an ImageData-like {data, width, height}"}
			}
			f := args[0]
			pix, err := bytesOf(f.Get("data"))
			if err != nil {
				return nil, err
			}
			opts, err := optionsOf(args, 1)
			if err != nil {
				return nil, err
			}
			return eng.AssessFrame(context.Background(), pix, f.Get("width").Int(), f.Get("height").Int(), opts)
		})
	}))
	api.Set("profiles", js.FuncOf(func(js.Value, []js.Value) any {
		b, _ := json.Marshal(wasm.Profiles())
		return jsonParse(b)
	}))
	files, _ := json.Marshal(face.ModelFiles())
	api.Set("faceModels", jsonParse(files))
	api.Set("setFaceModelLoader", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) == 0 || args[0].Type() != js.TypeFunction {
			loader.set(js.Undefined())
		} else {
			loader.set(args[0])
		}
		return nil
	}))
	api.Set("loadFaceModels", js.FuncOf(func(js.Value, []js.Value) any {
		return promise(func() ([]byte, error) {
			if err := face.LoadModels(); err != nil {
				return nil, &wasm.Error{Code: wasm.CodeModelsUnavailable, Message: err.Error()}
			}
			return []byte("null"), nil
		})
	}))
	face.SetModelSource(loader.load)
	js.Global().Set("biogate", api)
	if cb := js.Global().Get("biogateReady"); cb.Type() == js.TypeFunction {
		cb.Invoke(api)
	}
	select {} // keep the functions alive
}

// loader holds the JavaScript function that fetches a weights file.
var loader jsLoader

type jsLoader struct {
	mu sync.Mutex
	fn js.Value
}

func (l *jsLoader) set(fn js.Value) {
	l.mu.Lock()
	l.fn = fn
	l.mu.Unlock()
}

// load calls the JavaScript loader for the named weights file and waits
// for its promise (it runs on an assessment's goroutine, never on the
// event loop's). face checks the bytes' SHA-256.
func (l *jsLoader) load(name string) (data []byte, err error) {
	l.mu.Lock()
	fn := l.fn
	l.mu.Unlock()
	if fn.Type() != js.TypeFunction {
		return nil, errors.New("no loader: call biogate.setFaceModelLoader")
	}
	var file js.Value
	for _, f := range face.ModelFiles() {
		if f.Name == name {
			b, _ := json.Marshal(f)
			file = jsonParse(b)
		}
	}
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	defer ok.Release()
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the loader failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	defer fail.Release()
	func() {
		defer func() {
			if r := recover(); r != nil { // the loader threw
				done <- result{err: fmt.Errorf("%v", r)}
			}
		}()
		js.Global().Get("Promise").Call("resolve", fn.Invoke(file)).Call("then", ok, fail)
	}()
	r := <-done
	if r.err != nil {
		return nil, r.err
	}
	return bytesOf(r.v)
}

// fileArgs reads assess's arguments: the bytes, then the options, whose
// name (not an option of the CLI) is the report's path.
func fileArgs(args []js.Value) ([]byte, string, wasm.Options, error) {
	if len(args) == 0 {
		return nil, "", wasm.Options{}, &wasm.Error{Code: wasm.CodeInvalidOptions, Message: "assess: want a Uint8Array"}
	}
	data, err := bytesOf(args[0])
	if err != nil {
		return nil, "", wasm.Options{}, err
	}
	name := "sample"
	if len(args) > 1 && args[1].Type() == js.TypeObject {
		if n := args[1].Get("name"); n.Type() == js.TypeString {
			name = n.String()
			args[1] = js.Global().Get("Object").Call("assign", js.Global().Get("Object").New(), args[1])
			args[1].Delete("name")
		}
	}
	opts, err := optionsOf(args, 1)
	return data, name, opts, err
}

// bytesOf copies a Uint8Array or Uint8ClampedArray (or an ArrayBuffer)
// into Go memory.
func bytesOf(v js.Value) ([]byte, error) {
	if v.InstanceOf(js.Global().Get("ArrayBuffer")) {
		v = js.Global().Get("Uint8Array").New(v)
	}
	if v.InstanceOf(js.Global().Get("Uint8ClampedArray")) {
		v = js.Global().Get("Uint8Array").New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
	}
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, &wasm.Error{Code: wasm.CodeInvalidOptions, Message: "want a Uint8Array of the file's bytes"}
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// optionsOf parses args[i] (absent, undefined or null: the defaults).
func optionsOf(args []js.Value, i int) (wasm.Options, error) {
	if len(args) <= i || args[i].IsUndefined() || args[i].IsNull() {
		return wasm.Options{}, nil
	}
	return wasm.ParseOptions([]byte(js.Global().Get("JSON").Call("stringify", args[i]).String()))
}

// promise runs work in a goroutine and settles a Promise with its JSON
// result, parsed, or with an Error carrying code (and report).
func promise(work func() ([]byte, error)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			b, err := work()
			if err == nil {
				resolve.Invoke(jsonParse(b))
				return
			}
			e := js.Global().Get("Error").New(err.Error())
			e.Set("code", wasm.ErrorCode(err))
			var we *wasm.Error
			if errors.As(err, &we) && we.Report != nil {
				e.Set("report", jsonParse(we.Report))
			}
			reject.Invoke(e)
		}()
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

func jsonParse(b []byte) js.Value {
	return js.Global().Get("JSON").Call("parse", string(b))
}
