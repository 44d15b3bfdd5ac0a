//go:build js && wasm

// Command biogate-wasm is biogate for the browser (GOOS=js GOARCH=wasm).
// It defines the JavaScript global biogate:
//
//	biogate.assess(bytes: Uint8Array, options?) → Promise<report>
//	biogate.assessFrame({data, width, height}, options?) → Promise<report>
//	biogate.profiles() → [{name, version, description, default}]
//	biogate.version → "0.1.0"
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
	"syscall/js"

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
	js.Global().Set("biogate", api)
	if cb := js.Global().Get("biogateReady"); cb.Type() == js.TypeFunction {
		cb.Invoke(api)
	}
	select {} // keep the functions alive
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
