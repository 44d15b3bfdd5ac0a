package serve

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseParams checks that any query string is either refused with an
// error or gives parameters within their limits, never a panic.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		"", "modality=face", "modality=finger&profile=ees-usk&set=face.min_inter_eye_px=100&set=finger.recapture_below=20&ppi=500&name=a.png",
		"ppi=NaN", "ppi=1e999", "name=%00", "set=x", "modality=unknown", "a=1&a=2", "name=" + strings.Repeat("n", 2000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := ParseParams(v)
		if err != nil {
			return
		}
		if p.PPI != -1 && (p.PPI < 0 || p.PPI > maxPPI) {
			t.Fatalf("ppi %g accepted", p.PPI)
		}
		if checkName(p.Name) != nil {
			t.Fatalf("name %q accepted", p.Name)
		}
		if len(p.Sets) > maxSets {
			t.Fatalf("%d sets accepted", len(p.Sets))
		}
		for _, s := range p.Sets {
			if !strings.Contains(s, "=") {
				t.Fatalf("set %q accepted", s)
			}
		}
	})
}

// FuzzReadMultipart checks that any multipart body is either refused with
// a 4xx problem or gives 1 to MaxFiles named files, never a panic, and
// never more bytes than the body holds.
func FuzzReadMultipart(f *testing.F) {
	ct, body := multipartBody(f, part{"file", "a.png", "png bytes"}, part{"modality", "", "finger"}, part{"set", "", "face.min_inter_eye_px=90"})
	boundary := strings.TrimPrefix(ct, "multipart/form-data; boundary=")
	f.Add(boundary, body)
	f.Add("zz", []byte("--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--zz--\r\n"))
	f.Add("zz", []byte("--zz\r\n\r\n--zz--"))
	f.Add("", []byte{})
	s := &Server{cfg: Config{MaxBodyBytes: 1 << 16, MaxFiles: 3}}
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		if boundary == "" {
			return // refused before reading (no boundary)
		}
		vals := url.Values{}
		files, prob := s.readMultipart(http.MaxBytesReader(nil, noCloser{bytes.NewReader(body)}, s.cfg.MaxBodyBytes), boundary, vals)
		if prob != nil {
			if prob.Status < 400 || prob.Status > 499 || prob.Code == "" {
				t.Fatalf("problem %+v", prob)
			}
			return
		}
		if len(files) == 0 || len(files) > s.cfg.MaxFiles {
			t.Fatalf("%d files", len(files))
		}
		total := 0
		for _, f := range files {
			if checkName(f.name) != nil {
				t.Fatalf("file name %q accepted", f.name)
			}
			total += len(f.data)
		}
		if total > len(body) {
			t.Fatalf("%d bytes of files from a %d-byte body", total, len(body))
		}
	})
}

// noCloser gives a reader a no-op Close.
type noCloser struct{ *bytes.Reader }

func (noCloser) Close() error { return nil }
