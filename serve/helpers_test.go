package serve

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/internal/corpus"
)

// testFace is the face assessor every test server shares (loaded once).
var testFace = sync.OnceValues(func() (*face.Assessor, error) { return face.New(nil) })

// newServer returns a server for cfg with the shared face assessor.
func newServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	fa, err := testFace()
	require.NoError(t, err)
	if cfg.Face == nil {
		cfg.Face = fa
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	s, err := New(cfg)
	require.NoError(t, err)
	return s
}

// live serves s on 127.0.0.1 (httptest) and returns its URL and a client
// that validates every response against the OpenAPI document.
func live(t testing.TB, s *Server) (string, *http.Client) {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts.URL, &http.Client{Transport: &validating{t: t, next: http.DefaultTransport}}
}

// spec is the parsed and validated OpenAPI document with a router.
var spec = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil // match any host: tests listen on random ports
	return legacy.NewRouter(doc)
})

// validating is a RoundTripper that checks each response against the
// OpenAPI document: its status is documented for the route and its body
// matches the schema. Paths the document lacks must answer a problem.
type validating struct {
	t    testing.TB
	next http.RoundTripper
	mu   sync.Mutex
	n    int
}

func (v *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := validateResponse(req, resp, body); err != nil {
		v.t.Errorf("%s %s: response %d does not match the OpenAPI document: %v\n%.600s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	v.mu.Lock()
	v.n++
	v.mu.Unlock()
	return resp, nil
}

// validateResponse checks one response against the document.
func validateResponse(req *http.Request, resp *http.Response, body []byte) error {
	router, err := spec()
	if err != nil {
		return err
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		// Not a documented route or method: it must be a problem
		// document.
		doc, _ := openapi3.NewLoader().LoadFromData(openAPI)
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		return doc.Components.Schemas["Problem"].Value.VisitJSON(v)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// fingerPNG returns one of the good synthetic prints of the repository's
// testdata: its central 288×352 px (still scored by NFIQ 2), small enough
// for tests under the race detector.
func fingerPNG(t testing.TB, n int) []byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "testdata", "finger", "synthetic_good_*.png"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	sort.Strings(names)
	img, err := imaging.Open(names[n%len(names)])
	require.NoError(t, err)
	img = imaging.CropCenter(img, 288, 352)
	grey := image.NewGray(img.Bounds())
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			grey.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return encodePNG(t, grey)
}

// facePhoto returns the corpus's smallest portrait at half size (the face
// still found), or nil without the corpus.
func facePhoto(t testing.TB) []byte {
	t.Helper()
	root := corpus.Path()
	if root == "" {
		return nil
	}
	all, _ := filepath.Glob(filepath.Join(root, "face", "portraits", "face_recognition", "*.jpg"))
	if len(all) == 0 {
		return nil
	}
	sort.Slice(all, func(i, j int) bool { return fileSize(all[i]) < fileSize(all[j]) })
	img, err := imaging.Open(all[0])
	require.NoError(t, err)
	img = imaging.Resize(img, img.Bounds().Dx()/2, 0, imaging.Lanczos)
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// tinyPNG is an 8×8 grey image: readable, too small for either modality.
func tinyPNG(t testing.TB) []byte {
	return encodePNG(t, image.NewGray(image.Rect(0, 0, 8, 8)))
}

// pixelBomb returns a small PNG whose header claims w×h pixels (with a
// valid CRC), as a decompression bomb does.
func pixelBomb(t testing.TB, w, h uint32) []byte {
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 16, 16)))
	// Signature (8), IHDR length (4), "IHDR" (4), width, height.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
