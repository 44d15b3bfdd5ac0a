package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

// maxPPI is the largest resolution a request may give.
const maxPPI = 20000

// Params are the parameters of POST /v1/assess, from the query string or,
// for multipart/form-data, from form fields.
type Params struct {
	// Modality is "auto" (the default), "face" or "finger".
	Modality quality.Modality
	// Profile names an embedded profile, "" for the server's default.
	Profile string
	// Sets are KEY=VALUE profile overrides, applied in order.
	Sets []string
	// PPI replaces the resolution the inputs declare when above 0; -1
	// when not given (the server's -ppi applies).
	PPI float64
	// Name stands for the raw body's path in the report ("-" when not
	// given); multipart files are named by their filename.
	Name string
}

// paramKeys are the parameters a request may give.
var paramKeys = []string{"modality", "profile", "set", "ppi", "name"}

// ParseParams reads and checks assess parameters. It never reads files:
// a profile is an embedded name, whatever it looks like.
func ParseParams(v url.Values) (Params, error) {
	p := Params{PPI: -1, Name: "-"}
	for k, vs := range v {
		if !slices.Contains(paramKeys, k) {
			return p, fmt.Errorf("unknown parameter %q (want %s)", clip(k), strings.Join(paramKeys, ", "))
		}
		if k != "set" && len(vs) > 1 {
			return p, fmt.Errorf("parameter %q given %d times", k, len(vs))
		}
		for _, s := range vs {
			if len(s) > maxFieldBytes {
				return p, fmt.Errorf("parameter %q longer than %d bytes", k, maxFieldBytes)
			}
		}
	}
	switch m := v.Get("modality"); m {
	case "", "auto":
	default:
		mod, err := quality.ParseModality(m)
		if err != nil || mod == quality.UnknownModality {
			return p, fmt.Errorf("modality %q: want auto, face or finger", clip(m))
		}
		p.Modality = mod
	}
	p.Profile = v.Get("profile")
	if sets := v["set"]; len(sets) > 0 {
		if len(sets) > maxSets {
			return p, fmt.Errorf("%d set values, at most %d", len(sets), maxSets)
		}
		for _, s := range sets {
			if _, _, ok := strings.Cut(s, "="); !ok {
				return p, fmt.Errorf("set %q: want KEY=VALUE", clip(s))
			}
		}
		p.Sets = slices.Clone(sets)
	}
	if s := v.Get("ppi"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > maxPPI {
			return p, fmt.Errorf("ppi %q: want a number from 0 to %d", clip(s), maxPPI)
		}
		p.PPI = f
	}
	if _, ok := v["name"]; ok {
		n := v.Get("name")
		if err := checkName(n); err != nil {
			return p, err
		}
		p.Name = n
	}
	return p, nil
}

// checkName accepts a sample name: valid UTF-8, 1-1024 bytes, no control
// characters.
func checkName(n string) error {
	if n == "" || len(n) > maxNameBytes || !utf8.ValidString(n) || strings.IndexFunc(n, unicode.IsControl) >= 0 {
		return fmt.Errorf("name: want 1-%d bytes of UTF-8 text without control characters", maxNameBytes)
	}
	return nil
}

// clip shortens a caller's text quoted in an error.
func clip(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// upload is one sample file received.
type upload struct {
	name string
	data []byte
}

// result is what a worker hands back.
type result struct {
	reports []gate.Report
	loadErr error // the first file's load error
	err     error // a panic in the assessors
}

func (s *Server) handleAssess(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	bad := func(status int, code, detail string) {
		s.writeProblem(w, r, newProblem(status, code, detail))
	}
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		bad(http.StatusBadRequest, CodeInvalid, "query string: "+err.Error())
		return
	}
	mediaType, mparams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	multi := mediaType == "multipart/form-data"
	switch {
	case err != nil:
		bad(http.StatusUnsupportedMediaType, CodeMediaType, "send the image with Content-Type image/*, application/octet-stream or multipart/form-data")
		return
	case multi:
		if mparams["boundary"] == "" {
			bad(http.StatusBadRequest, CodeInvalid, "multipart/form-data without a boundary")
			return
		}
		if _, ok := vals["name"]; ok {
			bad(http.StatusBadRequest, CodeInvalid, "name applies to a raw body; multipart files are named by their filename")
			return
		}
	case strings.HasPrefix(mediaType, "image/") || mediaType == "application/octet-stream":
	default:
		bad(http.StatusUnsupportedMediaType, CodeMediaType, fmt.Sprintf("Content-Type %q: send image/*, application/octet-stream or multipart/form-data", clip(mediaType)))
		return
	}
	if !multi {
		if _, perr := ParseParams(vals); perr != nil {
			bad(http.StatusBadRequest, CodeInvalid, perr.Error())
			return
		}
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		bad(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("body of %d bytes, limit %d", r.ContentLength, s.cfg.MaxBodyBytes))
		return
	}

	// Admission: a bounded number of requests may read a body, wait for
	// a worker or be assessed; beyond it, 503 at once.
	select {
	case s.admit <- struct{}{}:
	default:
		bad(http.StatusServiceUnavailable, CodeBusy, "the work queue is full")
		return
	}
	s.metrics.admitted.Inc()
	handedOver := false
	defer func() {
		if !handedOver {
			<-s.admit
			s.metrics.admitted.Dec()
		}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()

	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	var files []upload
	if multi {
		var prob *Problem
		files, prob = s.readMultipart(body, mparams["boundary"], vals)
		if prob != nil {
			s.writeProblem(w, r, prob)
			return
		}
	} else {
		data, err := io.ReadAll(body)
		if err != nil {
			s.writeProblem(w, r, readProblem(err, s.cfg.MaxBodyBytes))
			return
		}
		files = []upload{{data: data}}
	}
	p, err := ParseParams(vals)
	if err != nil {
		bad(http.StatusBadRequest, CodeInvalid, err.Error())
		return
	}
	if !multi {
		files[0].name = p.Name
	}
	g, prob := s.gateFor(p)
	if prob != nil {
		s.writeProblem(w, r, prob)
		return
	}

	waited := time.Now()
	select {
	case s.work <- struct{}{}:
	case <-ctx.Done():
		s.ended(w, r)
		return
	}
	s.metrics.wait.Observe(time.Since(waited).Seconds())
	handedOver = true
	done := make(chan result, 1)
	go func() {
		s.metrics.busy.Inc()
		defer func() {
			s.metrics.busy.Dec()
			<-s.work
			<-s.admit
			s.metrics.admitted.Dec()
		}()
		done <- s.assess(ctx, g, files)
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		s.ended(w, r)
		return
	}
	if res.err != nil {
		s.log.Error("assessment failed", "request_id", requestID(r), "error_type", fmt.Sprintf("%T", res.err))
		bad(http.StatusInternalServerError, CodeInternal, "")
		return
	}
	for _, rep := range res.reports {
		s.metrics.decisions.WithLabelValues(rep.Modality.String(), rep.Decision.Outcome.String()).Inc()
	}
	header := report.Batch{Tool: "biogate", Version: s.cfg.Version, Profile: g.Ref(), Thresholds: g.Profile()}
	if !multi {
		if status, ok := unusableStatus(res.loadErr, res.reports); ok {
			b := header
			b.Samples, b.Summary = res.reports, report.Summarize(res.reports)
			prob := newProblem(status, res.reports[0].Decision.Reasons[0].Code, res.reports[0].Error)
			prob.Report = &b
			s.writeProblem(w, r, prob)
			return
		}
	}
	// The same writer as check -format json: the same bytes.
	var buf bytes.Buffer
	wr := report.NewWriter(&buf, report.JSON, header)
	for _, rep := range res.reports {
		if err := wr.Add(rep); err != nil {
			bad(http.StatusInternalServerError, CodeInternal, "")
			return
		}
	}
	if err := wr.Close(); err != nil {
		bad(http.StatusInternalServerError, CodeInternal, "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// ended answers a request whose context ended before its answer: 504 when
// its deadline passed, nothing (499 in the log) when the client left.
func (s *Server) ended(w http.ResponseWriter, r *http.Request) {
	if r.Context().Err() != nil {
		w.WriteHeader(499) // client closed the request: nobody reads this
		return
	}
	s.writeProblem(w, r, newProblem(http.StatusGatewayTimeout, CodeTimeout,
		fmt.Sprintf("no answer within %v", s.cfg.Timeout)))
}

// assess loads and assesses files, in order, in the calling worker.
func (s *Server) assess(ctx context.Context, g *gate.Gate, files []upload) (res result) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			res = result{err: fmt.Errorf("panic: %T", v)}
		}
		s.metrics.assess.Observe(time.Since(start).Seconds())
	}()
	if hook := s.hookAssess.Load(); hook != nil {
		(*hook)(ctx)
	}
	for i, f := range files {
		imgs, err := load.Bytes(f.name, f.data, g.LoadOptions())
		if i == 0 {
			res.loadErr = err
		}
		res.reports = append(res.reports, g.AssessLoaded(ctx, f.name, imgs, err)...)
	}
	return res
}

// unusableStatus returns the status for a raw body none of whose samples
// could be assessed: 413 for an image over the pixel limit, 422 for one
// too small, 400 otherwise; ok is false when some sample was assessed.
func unusableStatus(loadErr error, reps []gate.Report) (status int, ok bool) {
	if len(reps) == 0 {
		return 0, false
	}
	for _, r := range reps {
		if r.Error == "" || r.Decision.Outcome != quality.Reject ||
			!(r.Decision.Has(thresholds.CodeUnreadable) || r.Decision.Has(thresholds.CodeTooSmall)) {
			return 0, false
		}
	}
	switch {
	case errors.Is(loadErr, load.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, true
	case reps[0].Decision.Has(thresholds.CodeTooSmall):
		return http.StatusUnprocessableEntity, true
	}
	return http.StatusBadRequest, true
}

// gateFor returns the gate a request's parameters ask for.
func (s *Server) gateFor(p Params) (*gate.Gate, *Problem) {
	prof, sets := s.def.Clone(), slices.Clone(s.cfg.Sets)
	if p.Profile != "" {
		var err error
		if prof, err = s.profileNamed(p.Profile); err != nil {
			return nil, newProblem(http.StatusBadRequest, CodeUnknownProfile, fmt.Sprintf("profile %q: %v", clip(p.Profile), err))
		}
		sets = nil
	}
	for _, kv := range p.Sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := prof.Set(k, v); err != nil {
			return nil, newProblem(http.StatusBadRequest, CodeInvalid, err.Error())
		}
	}
	sets = append(sets, p.Sets...)
	ppi := s.cfg.PPI
	if p.PPI >= 0 {
		ppi = p.PPI
	}
	opts := &gate.Options{Modality: p.Modality, Load: s.cfg.Load, Overrides: sets}
	g, err := gate.New(prof, opts, &gate.Face{Assessor: s.face}, &gate.Finger{Assessor: s.finger, PPI: ppi})
	if err != nil {
		return nil, newProblem(http.StatusInternalServerError, CodeInternal, "")
	}
	return g, nil
}

// readMultipart reads the files and form fields of a multipart body,
// adding the fields to vals. A part with a filename, or named "file", is a
// sample; any other part is a parameter.
func (s *Server) readMultipart(body io.Reader, boundary string, vals url.Values) ([]upload, *Problem) {
	mr := multipart.NewReader(body, boundary)
	var files []upload
	fields := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, partProblem(err, s.cfg.MaxBodyBytes)
		}
		if part.FileName() != "" || part.FormName() == "file" {
			if len(files) == s.cfg.MaxFiles {
				return nil, newProblem(http.StatusRequestEntityTooLarge, CodeTooManyParts, fmt.Sprintf("more than %d files", s.cfg.MaxFiles))
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, partProblem(err, s.cfg.MaxBodyBytes)
			}
			name := part.FileName()
			if name == "" {
				name = "-"
			}
			if err := checkName(name); err != nil {
				return nil, newProblem(http.StatusBadRequest, CodeInvalid, "file"+strings.TrimPrefix(err.Error(), "name"))
			}
			files = append(files, upload{name: name, data: data})
			continue
		}
		if fields++; fields > maxFields {
			return nil, newProblem(http.StatusRequestEntityTooLarge, CodeTooManyParts, fmt.Sprintf("more than %d form fields", maxFields))
		}
		key := part.FormName()
		if key == "name" || !slices.Contains(paramKeys, key) {
			return nil, newProblem(http.StatusBadRequest, CodeInvalid, fmt.Sprintf("unknown form field %q (want file parts and modality, profile, set, ppi)", clip(key)))
		}
		v, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return nil, partProblem(err, s.cfg.MaxBodyBytes)
		}
		if len(v) > maxFieldBytes {
			return nil, newProblem(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("form field %q longer than %d bytes", key, maxFieldBytes))
		}
		vals.Add(key, string(v))
	}
	if len(files) == 0 {
		return nil, newProblem(http.StatusBadRequest, CodeInvalid, "no file part (send each image as a part with a filename)")
	}
	return files, nil
}

// partProblem is readProblem for a multipart body: an error of the
// multipart reader itself is a malformed body.
func partProblem(err error, limit int64) *Problem {
	if p := readProblem(err, limit); p.Code != CodeTruncated || errors.Is(err, io.ErrUnexpectedEOF) {
		return p
	}
	return newProblem(http.StatusBadRequest, CodeInvalid, "malformed multipart body")
}

// readProblem classifies an error reading the body.
func readProblem(err error, limit int64) *Problem {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return newProblem(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("body over %d bytes", limit))
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return newProblem(http.StatusRequestTimeout, CodeSlowClient, "the body was not received in time")
	}
	return newProblem(http.StatusBadRequest, CodeTruncated, "the body ended before its declared length")
}
