package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/wasm"
	"github.com/biogate/biogate/web"
)

// TestWasmVersion ties the browser build's version to the CLI's: their
// reports must be equal.
func TestWasmVersion(t *testing.T) {
	if wasm.Version != Version {
		t.Fatalf("wasm.Version %q, CLI Version %q", wasm.Version, Version)
	}
}

func TestWebHandler(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewServer(webHandler(dir))
	defer srv.Close()
	get := func(method, path string) (int, string, string) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Set by hand, the transport leaves the body compressed.
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type") + "; " + resp.Header.Get("Content-Encoding"), buf.String()
	}
	cases := []struct {
		method, path string
		before       func()
		code         int
		ctype, body  string
	}{
		{method: "GET", path: "/", code: 200, ctype: "text/html", body: "<title>biogate in the browser</title>"},
		{method: "GET", path: "/app.js", code: 200, ctype: "javascript", body: "assessFrame"},
		{method: "GET", path: "/style.css", code: 200, ctype: "text/css"},
		{method: "GET", path: "/worker.js", code: 200, ctype: "javascript", body: "importScripts('wasm_exec.js')"},
		{method: "GET", path: "/biogate.wasm", code: 404, body: "run scripts/build-web.sh"},
		{method: "GET", path: "/biogate.wasm", before: func() { writeFile(t, filepath.Join(dir, "biogate.wasm"), "\x00asm") }, code: 200, ctype: "application/wasm; gzip", body: "\x00asm"},
		{method: "GET", path: "/biogate.wasm", before: func() { writeFile(t, filepath.Join(dir, "biogate.wasm"), "\x00asm rebuilt") }, code: 200, ctype: "application/wasm; gzip", body: "\x00asm rebuilt"},
		{method: "GET", path: "/wasm_exec.js", before: func() { writeFile(t, filepath.Join(dir, "wasm_exec.js"), "// go") }, code: 200, ctype: "javascript"},
		{method: "GET", path: "/models/iris.bin", code: 404},
		{method: "GET", path: "/models/iris.bin", before: func() {
			if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "models", "iris.bin"), "weights")
		}, code: 200, ctype: "application/octet-stream", body: "weights"},
		{method: "GET", path: "/models/../biogate.wasm", code: 200, ctype: "application/wasm"},
		{method: "GET", path: "/models/other.bin", before: func() { writeFile(t, filepath.Join(dir, "models", "other.bin"), "no") }, code: 404},
		{method: "GET", path: "/secret.txt", before: func() { writeFile(t, filepath.Join(dir, "secret.txt"), "no") }, code: 404},
		{method: "GET", path: "/web.go", code: 404},
		{method: "GET", path: "/sub/biogate.wasm", code: 404},
		{method: "POST", path: "/", code: 405},
	}
	for _, c := range cases {
		t.Run(c.method+c.path, func(t *testing.T) {
			if c.before != nil {
				c.before()
			}
			code, ctype, body := get(c.method, c.path)
			if code != c.code || !strings.Contains(ctype, c.ctype) || !strings.Contains(body, c.body) {
				t.Fatalf("%d %q %.80q, want %d %q containing %q", code, ctype, body, c.code, c.ctype, c.body)
			}
		})
	}
}

// TestWorkerModelList ties worker.js's list of the full-mode model files
// (fetched with faceModels=start, before the assessor can list them) to
// face.ModelFiles.
func TestWorkerModelList(t *testing.T) {
	js, err := web.Static.ReadFile("worker.js")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range face.ModelFiles() {
		names = append(names, "'"+f.Name+"'")
	}
	if want := "const faceModelFiles = [" + strings.Join(names, ", ") + "];"; !strings.Contains(string(js), want) {
		t.Fatalf("worker.js does not hold %s", want)
	}
}

func TestWebCommandNeedsBuild(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"web", "-dir", t.TempDir()}, nil, &out, &errb); code != exitError || !strings.Contains(errb.String(), "scripts/build-web.sh") {
		t.Fatalf("exit %d, stderr %q: want exit %d naming scripts/build-web.sh", code, errb.String(), exitError)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWebPage loads the page in headless Chromium from `biogate web`'s
// handler, gives its file input a portrait, fingerprints (PNG and WSQ)
// and an ISO/IEC 19794-4 record, and checks that the page's reports equal
// `biogate check -format json` for each file (same JSON document after
// decoding both), that the assessor runs in the page's Web Worker and the
// page's thread stays free meanwhile, and that a 640×480 frame sent to the
// worker is transferred and gets the native engine's report for the same
// pixels. It writes a screenshot (BIOGATE_WEB_SCREENSHOT, or the test's
// temporary folder) and logs the browser's times beside native ones: each
// file's, the median of 20 frames and of 10 repeated fingerprints. It
// skips without chromium unless BIOGATE_REQUIRE_TOOLS=1.
func TestWebPage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly assessor")
	}
	if readmeRace {
		// The browser's side does not run under the detector, and the
		// native reports it is compared with are the same code the
		// package's other tests race; .ci/run runs it without -race.
		t.Skip("runs without -race: go test -run WebPage ./cmd/biogate")
	}
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		if os.Getenv("BIOGATE_REQUIRE_TOOLS") == "1" {
			t.Fatal("chromium not installed and BIOGATE_REQUIRE_TOOLS=1 (apt-get install chromium)")
		}
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	// The portrait last: cards are shown newest first, so it tops the screenshot.
	files := []string{
		filepath.Join(corpus.Dir(t, "finger", "records"), "info_wsq.iso"),
		filepath.Join(corpus.Dir(t, "finger", "wsq"), "jnbis_sample.wsq"),
		must(filepath.Abs(filepath.Join("..", "..", "testdata", "finger", "synthetic_good_1.png"))),
		filepath.Join(corpus.Dir(t, "face", "portraits", "face_recognition"), "biden2.jpg"),
	}

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "biogate.wasm"), string(mustRead(t, buildWasm(t))))
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "wasm_exec.js"), string(execJS))
	// The face mesh weights, which the .wasm leaves out, as
	// scripts/build-web.sh copies them.
	build := exec.Command("bash", "-c", `mkdir -p "$1/models" && m=face/internal/facemesh/models c=face/internal/cascade &&
		cp $m/*.bin $m/NOTICE $m/LICENSE-* $m/SOURCES.md $c/lp93 $c/lp84 $c/lp82 $c/lp81 "$1/models/" && cp $c/LICENSE "$1/models/LICENSE-pigo"`, "-", dir)
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("copying the models: %v\n%s", err, out)
	}
	for _, name := range web.Built {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("web.Built lists %s, not written: %v", name, err)
		}
	}
	// Which files the page fetched, in order: the weights must wait for
	// the first assessment that may see a face, and come once.
	var fetchedMu sync.Mutex
	var fetched []string
	h := webHandler(dir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetchedMu.Lock()
		fetched = append(fetched, r.URL.Path)
		fetchedMu.Unlock()
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	weightsFetched := func() (n int) {
		fetchedMu.Lock()
		defer fetchedMu.Unlock()
		for _, p := range fetched {
			if strings.HasPrefix(p, "/models/") && !strings.Contains(p, "LICENSE") && !strings.Contains(p, "NOTICE") && !strings.HasSuffix(p, ".md") {
				n++
			}
		}
		return n
	}

	b := startBrowser(t, chromium, 1280, 1500)
	b.call("Page.navigate", map[string]any{"url": srv.URL + "/"}, nil)
	var ready string
	b.eval(`new Promise((ok, fail) => { const t0 = Date.now(); const f = () => {
		if (document.body && document.body.dataset.ready === '1') return ok(document.querySelector('#version').textContent);
		const s = document.querySelector('#status');
		if (s && s.classList.contains('error')) return fail(new Error(s.textContent));
		if (Date.now() - t0 > 120000) return fail(new Error('page not ready in 2 min'));
		setTimeout(f, 100); }; f(); })`, &ready)
	if ready != Version {
		t.Fatalf("page shows version %q, want %q", ready, Version)
	}
	if n := weightsFetched(); n != 0 {
		t.Errorf("the page fetched %d face model files before any assessment needed them", n)
	}

	// The assessor runs in the page's Web Worker, not on its thread: no
	// biogate global there. A timer on the page's thread records its
	// longest gap while the files are assessed: a blocked page would show
	// a gap as long as an assessment.
	var onPage string
	b.eval(`(() => { window.biogateGap = 0; let last = performance.now();
		window.biogateTick = setInterval(() => { const n = performance.now(); window.biogateGap = Math.max(window.biogateGap, n - last); last = n; }, 10);
		return typeof biogate + ' ' + typeof window.biogateWorker; })()`, &onPage)
	if onPage != "undefined object" {
		t.Fatalf("typeof biogate, biogateWorker on the page: %q, want the assessor in the worker only (\"undefined object\")", onPage)
	}

	var input struct {
		Result struct {
			ObjectID string `json:"objectId"`
		} `json:"result"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": "document.querySelector('#file')"}, &input)
	b.call("DOM.setFileInputFiles", map[string]any{"files": files, "objectId": input.Result.ObjectID}, nil)
	var shown []struct {
		Name   string          `json:"name"`
		Report json.RawMessage `json:"report"`
		Error  string          `json:"error"`
		MS     float64         `json:"ms"`
		Worker float64         `json:"workerMs"`
	}
	b.eval(`new Promise((ok, fail) => { const t0 = Date.now(); const f = () => {
		if (window.biogateReports.length >= `+itoa(len(files))+`) return ok(window.biogateReports);
		if (Date.now() - t0 > 300000) return fail(new Error('reports not shown in 5 min'));
		setTimeout(f, 200); }; f(); })`, &shown)

	if n, want := weightsFetched(), len(face.ModelFiles()); n != want {
		t.Errorf("the face model files were fetched %d times, want %d (once each): %v", n, want, fetched)
	}
	var gap float64
	b.eval(`(() => { clearInterval(window.biogateTick); return window.biogateGap; })()`, &gap)
	longest := 0.0
	for _, s := range shown {
		longest = max(longest, s.Worker)
	}
	if longest <= 0 || gap >= longest/2 {
		t.Errorf("the page's thread was blocked for %.0f ms while the worker's longest assessment took %.0f ms: want gaps under half of it", gap, longest)
	}
	t.Logf("page thread: longest gap %.0f ms while the worker assessed (longest assessment %.0f ms)", gap, longest)

	for i, path := range files {
		s := shown[i]
		name := filepath.Base(path)
		if s.Name != name || s.Error != "" {
			t.Fatalf("page report %d: %q (error %q), want %q", i, s.Name, s.Error, name)
		}
		t0 := time.Now()
		want := cliCheckJSON(t, path)
		native := time.Since(t0)
		if got, want := canonicalJSON(t, s.Report), canonicalJSON(t, want); !bytes.Equal(got, want) {
			// The reports must be byte-identical; on a difference, say
			// where and by how many ulp.
			var g, w any
			_ = json.Unmarshal(got, &g)
			_ = json.Unmarshal(want, &w)
			diffs, worst := jsonDiffs("", g, w, nil)
			if worst > maxULP || len(diffs) == 0 {
				t.Errorf("%s: the page's report differs from the CLI's: %s", name, strings.Join(diffs, "; "))
			} else {
				t.Logf("%s: NOT byte-identical: %d numbers differ by at most %d ulp (math.Exp/Log: amd64 assembly vs pure Go): %s", name, len(diffs), worst, strings.Join(diffs, "; "))
			}
		}
		t.Logf("%-22s browser %6.0f ms in the worker (%6.0f ms on the page, with the transfers), native CLI %6.0f ms (this machine, load as is)", name, s.Worker, s.MS, float64(native.Microseconds())/1000)
	}

	// What the screenshot must show: the portrait's card with its
	// decision and the eye overlay drawn.
	var top struct {
		File, Outcome string
		Canvas        bool
		Green         int
		Font          string
	}
	b.eval(`(() => { const c = document.querySelector('.card'); const cv = c.querySelector('canvas.preview');
		let green = 0; if (!cv.hidden) { const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
		for (let i = 0; i < d.length; i += 4) if (d[i] === 0x19 && d[i+1] === 0xd3 && d[i+2] === 0x5a) green++; }
		return {File: c.dataset.file, Outcome: c.dataset.outcome, Canvas: !cv.hidden, Green: green, Font: cv.getContext('2d').font}; })()`, &top)
	if top.File != "biden2.jpg" || top.Outcome == "" || !top.Canvas || top.Green < 50 || !strings.HasPrefix(top.Font, "bold") {
		t.Fatalf("top card %+v: want the portrait with a decision and its eye overlay drawn (≥ 50 overlay pixels, the IED label's bold font)", top)
	}

	var shot struct {
		Data string `json:"data"`
	}
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) < 10000 {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}
	out := os.Getenv("BIOGATE_WEB_SCREENSHOT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "web.png")
	}
	writeFile(t, out, string(png))
	t.Logf("screenshot: %s", out)

	// The preview path: the portrait cropped and scaled to 640×480, as a
	// webcam frame, sent to the worker (its pixels transferred); the first
	// one warms up, and its report must equal the native engine's for the
	// same pixels, which the page returns. Then 20 frames, each followed by
	// the native engine on the same pixels in this process, so that each
	// ratio compares two runs made one after the other (this machine is
	// shared: the load moves within seconds).
	var prev struct {
		Pix      string          `json:"pix"`
		Report   json.RawMessage `json:"report"`
		Detached bool            `json:"detached"`
	}
	b.eval(`(async () => {
		const blob = new Blob([Uint8Array.from(atob('`+base64.StdEncoding.EncodeToString(mustRead(t, files[len(files)-1]))+`'), (c) => c.charCodeAt(0))]);
		const bm = await createImageBitmap(blob, {imageOrientation: 'none'});
		const cv = new OffscreenCanvas(640, 480); const g = cv.getContext('2d');
		const sh = bm.width * 480 / 640; g.drawImage(bm, 0, Math.max(0, (bm.height - sh) / 3), bm.width, sh, 0, 0, 640, 480);
		const pix = g.getImageData(0, 0, 640, 480).data;
		window.biogateFramePix = pix;
		let bin = ''; for (let i = 0; i < pix.length; i += 0x8000) bin += String.fromCharCode.apply(null, pix.subarray(i, i + 0x8000));
		const frame = new ImageData(new Uint8ClampedArray(pix), 640, 480);
		const r = await biogateWorker.assessFrame(frame, {});
		return {pix: btoa(bin), report: r.report, detached: frame.data.length === 0}; })()`, &prev)
	if !prev.Detached {
		t.Error("assessFrame copied the frame: its buffer should be transferred to the worker")
	}
	pix, err := base64.StdEncoding.DecodeString(prev.Pix)
	if err != nil {
		t.Fatal(err)
	}
	eng := wasm.NewEngine()
	want, err := eng.AssessFrame(context.Background(), pix, 640, 480, wasm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := canonicalJSON(t, prev.Report), canonicalJSON(t, want); !bytes.Equal(got, want) {
		var g, w any
		_ = json.Unmarshal(got, &g)
		_ = json.Unmarshal(want, &w)
		diffs, _ := jsonDiffs("", g, w, nil)
		t.Errorf("frame: the worker's report differs from the native engine's for the same pixels: %s", strings.Join(diffs, "; "))
	}
	frames := pairedTimes(t, 20, func() (float64, float64) {
		var r struct{ Worker, Page float64 }
		b.eval(`(async () => { const frame = new ImageData(new Uint8ClampedArray(window.biogateFramePix), 640, 480);
			const t0 = performance.now(); const r = await biogateWorker.assessFrame(frame, {});
			return {Worker: r.ms, Page: performance.now() - t0}; })()`, &r)
		return r.Worker, r.Page
	}, func() error {
		_, err := eng.AssessFrame(context.Background(), pix, 640, 480, wasm.Options{})
		return err
	})
	t.Logf("assessFrame 640×480 portrait frame in headless Chromium's worker: median %.1f ms, min %.1f, max %.1f (20 frames; on the page, with the transfers: median %.1f ms); native engine, same pixels, each right after: median %.1f ms; ratio of each pair: median %.2f× (%.2f-%.2f); %s",
		median(frames.browser), slices.Min(frames.browser), slices.Max(frames.browser), median(frames.page), median(frames.native), median(frames.ratio), slices.Min(frames.ratio), slices.Max(frames.ratio), loadAvg())

	// A fingerprint again and again, as a desk assesses print after print
	// (the first assessment above ran code V8 had not yet optimised): one
	// more to warm up, then 10 in the worker, each followed by the native
	// engine in this process.
	printPNG := mustRead(t, files[2])
	var warm float64
	b.eval(`(async () => { window.biogatePrint = Uint8Array.from(atob('`+base64.StdEncoding.EncodeToString(printPNG)+`'), (c) => c.charCodeAt(0));
		const r = await biogateWorker.assess(window.biogatePrint.slice(), {name: 'print.png'}); return r.ms; })()`, &warm)
	prints := pairedTimes(t, 10, func() (float64, float64) {
		var ms float64
		b.eval(`(async () => { const r = await biogateWorker.assess(window.biogatePrint.slice(), {name: 'print.png'}); return r.ms; })()`, &ms)
		return ms, ms
	}, func() error {
		_, err := eng.Assess(context.Background(), "print.png", printPNG, wasm.Options{})
		return err
	})
	t.Logf("fingerprint %s assessed 10 more times in the worker: median %.0f ms, min %.0f, max %.0f; native engine, each right after: median %.0f ms; ratio of each pair: median %.2f× (%.2f-%.2f); %s",
		filepath.Base(files[2]), median(prints.browser), slices.Min(prints.browser), slices.Max(prints.browser), median(prints.native), median(prints.ratio), slices.Min(prints.ratio), slices.Max(prints.ratio), loadAvg())

	// The webcam tab on Chromium's fake camera (a test pattern without a
	// face): live frames are assessed, the advice and the rate are shown.
	var cam struct{ FPS, Advice, Outcome string }
	b.eval(`new Promise((ok, fail) => { document.querySelector('#tab-camera').click(); document.querySelector('#cam-start').click();
		const t0 = Date.now(); const f = () => { const fps = document.querySelector('#fps').textContent, a = document.querySelector('#advice');
		if (/\(median of [3-9]/.test(fps)) { document.querySelector('#cam-stop').click(); return ok({FPS: fps, Advice: a.textContent, Outcome: a.className}); }
		if (Date.now() - t0 > 60000) return fail(new Error('no frames assessed in 60 s: ' + fps + ' / ' + a.textContent));
		setTimeout(f, 100); }; f(); })`, &cam)
	if !strings.Contains(cam.FPS, "frames/s") || cam.Advice == "" || !strings.Contains(cam.Outcome, "recapture") {
		t.Fatalf("webcam tab: rate %q, advice %q (%s): want a rate and the advice for a frame without a face", cam.FPS, cam.Advice, cam.Outcome)
	}
	t.Logf("webcam (fake camera, no face): %s; advice %q", cam.FPS, cam.Advice)
}

var wasmBuild struct {
	sync.Once
	dir, path string
	err       error
	out       []byte
}

// buildWasm builds the browser assessor as scripts/build-web.sh does, once
// per test process (TestWasmSize and TestWebPage share it), and returns
// its path.
func buildWasm(t *testing.T) string {
	t.Helper()
	wasmBuild.Do(func() {
		wasmBuild.dir, wasmBuild.err = os.MkdirTemp("", "biogate-wasm")
		if wasmBuild.err != nil {
			return
		}
		wasmBuild.path = filepath.Join(wasmBuild.dir, "biogate.wasm")
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", wasmBuild.path, "../biogate-wasm")
		build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		wasmBuild.out, wasmBuild.err = build.CombinedOutput()
	})
	if wasmBuild.err != nil {
		t.Fatalf("building the wasm assessor: %v\n%s", wasmBuild.err, wasmBuild.out)
	}
	return wasmBuild.path
}

// TestMain removes the assessor buildWasm built.
func TestMain(m *testing.M) {
	code := m.Run()
	if wasmBuild.dir != "" {
		_ = os.RemoveAll(wasmBuild.dir)
	}
	os.Exit(code)
}

// maxWasmGzip is issue 26's budget for the browser assessor: 8 MB
// gzip-compressed.
const maxWasmGzip = 8_000_000

// TestWasmSize builds the browser assessor as scripts/build-web.sh does
// and fails when, gzip-compressed (level 9), it exceeds maxWasmGzip; it
// logs its raw and gzip sizes (go test -run TestWasmSize -v ./cmd/biogate).
func TestWasmSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly assessor")
	}
	b := mustRead(t, buildWasm(t))
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var models int
	for _, f := range face.ModelFiles() {
		models += f.Size
	}
	t.Logf("biogate.wasm: %d bytes (%.1f MB), gzip -9 %d bytes (%.2f MB; budget %.0f MB); the full-mode models it fetches: %d files, %d bytes (%.1f MB)",
		len(b), float64(len(b))/1e6, gz.Len(), float64(gz.Len())/1e6, maxWasmGzip/1e6, len(face.ModelFiles()), models, float64(models)/1e6)
	if gz.Len() > maxWasmGzip {
		t.Errorf("biogate.wasm is %d bytes gzip-compressed, over the %d-byte budget", gz.Len(), maxWasmGzip)
	}
}

// median returns the median of ms (sorting it).
func median(ms []float64) float64 {
	sort.Float64s(ms)
	return ms[len(ms)/2]
}

// paired holds n browser timings (in the worker, and on the page with
// the transfers), the native timing made right after each, and each
// pair's ratio, in milliseconds.
type paired struct{ browser, page, native, ratio []float64 }

// pairedTimes alternates n browser runs (browser returns the worker's and
// the page's milliseconds) with native runs of the same work, after one
// unmeasured native run.
func pairedTimes(t *testing.T, n int, browser func() (float64, float64), native func() error) paired {
	t.Helper()
	if err := native(); err != nil {
		t.Fatal(err)
	}
	var p paired
	for range n {
		w, pg := browser()
		t0 := time.Now()
		if err := native(); err != nil {
			t.Fatal(err)
		}
		nat := float64(time.Since(t0).Microseconds()) / 1000
		p.browser, p.page, p.native = append(p.browser, w), append(p.page, pg), append(p.native, nat)
		p.ratio = append(p.ratio, w/nat)
	}
	return p
}

// loadAvg is the machine's load average as /proc/loadavg gives it, for the
// timing logs ("load unknown" elsewhere).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load unknown"
	}
	return "load " + strings.Join(f[:3], " ")
}

// cliCheckJSON is `biogate check -format json -q NAME` run in the file's
// folder (so that the report's path is the bare name, as the page's is).
func cliCheckJSON(t *testing.T, path string) []byte {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(filepath.Dir(path)); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"check", "-format", "json", "-q", "-j", "1", filepath.Base(path)}, nil, &out, &errb); code == exitError {
		t.Fatalf("biogate check %s: exit %d: %s", path, code, errb.String())
	}
	return out.Bytes()
}

// canonicalJSON decodes and re-encodes a JSON document, so that the
// page's report (JSON.parse of the assessor's, stringified again) and the
// CLI's compare byte for byte whatever their number spelling.
func canonicalJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

// maxULP is the largest difference, in units in the last place, TestWebPage
// accepts between a number of the browser's report and the CLI's: none,
// now that every elementary function the library uses is internal/fpmath's
// (math.Exp and math.Log were assembly on amd64 and pure Go in wasm, 2 ulp
// apart on one portrait).
const maxULP = 0

// jsonDiffs lists where two decoded JSON values differ, with the largest
// ulp distance between differing numbers (a huge value for any other
// difference).
func jsonDiffs(at string, a, b any, out []string) ([]string, uint64) {
	var worst uint64
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return append(out, at+": different objects"), math.MaxUint64
		}
		for k, v := range x {
			var w uint64
			out, w = jsonDiffs(at+"."+k, v, y[k], out)
			worst = max(worst, w)
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return append(out, at+": different arrays"), math.MaxUint64
		}
		for i := range x {
			var w uint64
			out, w = jsonDiffs(at+"["+itoa(i)+"]", x[i], y[i], out)
			worst = max(worst, w)
		}
	case float64:
		y, ok := b.(float64)
		if !ok {
			return append(out, at+": number vs other"), math.MaxUint64
		}
		if x != y {
			d := ulps(x, y)
			out = append(out, fmt.Sprintf("%s: %v vs %v (%d ulp)", at, x, y, d))
			worst = d
		}
	default:
		if a != b {
			return append(out, fmt.Sprintf("%s: %v vs %v", at, a, b)), math.MaxUint64
		}
	}
	return out, worst
}

// ulps is the distance between two finite floats of the same sign in
// units in the last place.
func ulps(a, b float64) uint64 {
	if math.Signbit(a) != math.Signbit(b) {
		return math.MaxUint64
	}
	x, y := math.Float64bits(math.Abs(a)), math.Float64bits(math.Abs(b))
	if x > y {
		return x - y
	}
	return y - x
}
