package serve_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/serve"
)

// Example serves the gate on a loopback test server and posts an 8×8 image:
// too small to assess, it is answered 422 with a problem document carrying
// the report `biogate check -format json` prints for it.
func Example() {
	srv, err := serve.New(serve.Config{Version: "example"})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
	resp, err := http.Post(ts.URL+"/v1/assess?name=tiny.png", "image/png", &img)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var p serve.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(p.Type, p.Code)
	var r *report.Batch = p.Report
	fmt.Println(r.Samples[0].Path, r.Samples[0].Decision.Outcome, r.Summary.Reject)
	// Output:
	// 422 application/problem+json
	// urn:biogate:problem:too-small input.too_small
	// tiny.png reject 1
}

// ExampleParseParams reads an assess request's query string; a profile is
// only ever an embedded name, and anything unknown is refused.
func ExampleParseParams() {
	q, _ := url.ParseQuery("modality=finger&set=finger.recapture_below=20&ppi=1000&name=left-index.wsq")
	p, err := serve.ParseParams(q)
	fmt.Println(p.Modality, p.Sets, p.PPI, p.Name, err)
	_, err = serve.ParseParams(url.Values{"colour": {"1"}})
	fmt.Println(err)
	// Output:
	// finger [finger.recapture_below=20] 1000 left-index.wsq <nil>
	// unknown parameter "colour" (want modality, profile, set, ppi, name)
}
