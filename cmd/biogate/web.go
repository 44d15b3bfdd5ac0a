package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/web"
)

const webUsage = `Usage: biogate web [flags]

Serve the in-browser demo page: files and webcam frames are assessed in the
browser by biogate's WebAssembly build, and never sent to this server.
Build the assessor first with scripts/build-web.sh (it writes
web/biogate.wasm, web/wasm_exec.js and web/models/, the face models the
page fetches when a file first needs them).

Flags:
`

func runWeb(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	dir := fs.String("dir", "web", "folder holding biogate.wasm, wasm_exec.js and models/ (written by scripts/build-web.sh)")
	fs.Usage = func() { fmt.Fprint(stderr, webUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "biogate web: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	for _, name := range web.Built {
		if _, err := os.Stat(filepath.Join(*dir, name)); err != nil {
			fmt.Fprintf(stderr, "biogate web: %s not found in %s: run scripts/build-web.sh (or give -dir)\n", name, *dir)
			return exitError
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "biogate web:", err)
		return exitError
	}
	srv := &http.Server{Handler: webHandler(*dir), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "biogate web: serving http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintln(stderr, "biogate web:", err)
		return exitError
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		return exitAccepted
	}
}

// webHandler serves the embedded page and, from dir, the files
// scripts/build-web.sh builds. Nothing else is served: no upload route
// exists, and no other file of dir is reachable.
func webHandler(dir string) http.Handler {
	static := http.FileServerFS(web.Static)
	var gz gzipCache
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// The page needs WebAssembly compilation and nothing from elsewhere.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self'")
		name := path.Clean(r.URL.Path)[1:]
		if slices.Contains(web.Built, name) {
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				http.Error(w, name+" not built: run scripts/build-web.sh", http.StatusNotFound)
				return
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if isModelFile(name) {
				// The models change only with their SHA-256 (checked by
				// the assessor); they are fetched once a session.
				w.Header().Set("Cache-Control", "max-age=86400")
				w.Header().Set("Content-Type", "application/octet-stream")
			}
			if name == "biogate.wasm" && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				// Compressed once per build (about 14 MB raw, 7 MB gzip).
				data, err := gz.get(f, st)
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Vary", "Accept-Encoding")
				w.Header().Set("Content-Type", "application/wasm")
				http.ServeContent(w, r, name, st.ModTime(), bytes.NewReader(data))
				return
			}
			http.ServeContent(w, r, name, st.ModTime(), f)
			return
		}
		if _, err := fs.Stat(web.Static, path.Clean(r.URL.Path)[1:]); err != nil && r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		static.ServeHTTP(w, r)
	})
}

// isModelFile reports whether name is one of the model files the assessor
// fetches (models/ and a name of face.ModelFiles).
func isModelFile(name string) bool {
	for _, f := range face.ModelFiles() {
		if name == "models/"+f.Name {
			return true
		}
	}
	return false
}

// gzipCache holds the gzip-compressed assessor, compressed again when the
// file's size or time changes (a new build).
type gzipCache struct {
	mu   sync.Mutex
	key  string
	data []byte
}

func (c *gzipCache) get(f io.Reader, st os.FileInfo) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fmt.Sprint(st.Size(), st.ModTime().UnixNano())
	if key == c.key {
		return c.data, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.Copy(zw, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	c.key, c.data = key, buf.Bytes()
	return c.data, nil
}
