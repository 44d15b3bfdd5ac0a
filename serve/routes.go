package serve

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/biogate/biogate/thresholds"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3 document of the API, as /openapi.json
// serves it.
func OpenAPI() []byte { return slices.Clone(openAPI) }

// route describes one endpoint.
type route struct {
	pattern string
	name    string // metrics label
	methods []string
	open    bool // served without the bearer token
	h       http.HandlerFunc
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	get := []string{http.MethodGet, http.MethodHead}
	for _, rt := range []route{
		{"/v1/assess", "assess", []string{http.MethodPost}, false, s.handleAssess},
		{"/v1/profiles", "profiles", get, false, s.handleProfiles},
		{"/v1/profiles/{name}", "profile", get, false, s.handleProfile},
		{"/healthz", "healthz", get, true, s.handleHealth},
		{"/readyz", "readyz", get, true, s.handleReady},
		{"/metrics", "metrics", get, false, promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP},
		{"/openapi.json", "openapi", get, true, s.handleOpenAPI},
		{"/", "other", nil, true, func(w http.ResponseWriter, r *http.Request) {
			s.writeProblem(w, r, newProblem(http.StatusNotFound, CodeNotFound, "no such endpoint; see /openapi.json"))
		}},
	} {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	return mux
}

type ctxKey struct{}

// requestID returns the id wrap gave r.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(ctxKey{}).(string)
	return id
}

// validRequestID accepts a caller's X-Request-Id of 1-64 characters
// [A-Za-z0-9._-]; anything else is replaced by a random id.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recorder captures the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// countingBody counts the bytes of the request body read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// wrap gives every route its request id, panic recovery, CORS, bearer
// token check, method check, metrics and access log line.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, id))
		body := &countingBody{ReadCloser: r.Body}
		r.Body = body
		rec := &recorder{ResponseWriter: w}
		w = rec
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		s.metrics.inFlight.Inc()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "request_id", id, "route", rt.name, "panic_type", fmt.Sprintf("%T", v))
				if rec.status == 0 {
					s.writeProblem(w, r, newProblem(http.StatusInternalServerError, CodeInternal, ""))
				}
			}
			s.metrics.inFlight.Dec()
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(rt.name, strconv.Itoa(status)).Inc()
			s.metrics.latency.WithLabelValues(rt.name).Observe(d.Seconds())
			// Never the query string (it may carry a file name) nor
			// anything of the body.
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("route", rt.name),
				slog.String("path", logPath(r, rt)), slog.Int("status", status),
				slog.Duration("duration", d), slog.Int64("bytes_in", body.n), slog.Int64("bytes_out", rec.bytes))
		}()
		if !s.cors(w, r) {
			return
		}
		if !rt.open && !s.authorized(r) {
			s.writeProblem(w, r, newProblem(http.StatusUnauthorized, CodeUnauthorized, "send Authorization: Bearer TOKEN"))
			return
		}
		if rt.methods != nil && !slices.Contains(rt.methods, r.Method) {
			w.Header().Set("Allow", strings.Join(rt.methods, ", "))
			s.writeProblem(w, r, newProblem(http.StatusMethodNotAllowed, CodeMethod, r.Method+" is not allowed here"))
			return
		}
		rt.h(w, r)
	})
}

// logPath is the path to log: the route's pattern for routes with a
// parameter, "(other)" for unknown paths, never a caller's free text.
func logPath(r *http.Request, rt route) string {
	switch rt.name {
	case "other":
		return "(other)"
	case "profile":
		return "/v1/profiles/{name}"
	}
	return rt.pattern
}

// cors applies the CORS policy; it reports false when it answered a
// preflight request itself.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if len(s.cfg.CORSOrigins) == 0 || origin == "" || !slices.Contains(s.cfg.CORSOrigins, origin) {
		return true
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	return true
}

// writeJSON sends v as indented JSON with status 200.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// Status is the body of /healthz and /readyz.
type Status struct {
	// Status is "ok" (healthz), "ready" or "shutting_down" (readyz).
	Status string `json:"status"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, Status{Status: "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		s.writeProblem(w, r, newProblem(http.StatusServiceUnavailable, CodeDraining, "the server is shutting down"))
		return
	}
	writeJSON(w, Status{Status: "ready"})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPI)
}

// ProfileInfo describes one profile in GET /v1/profiles.
type ProfileInfo struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

// ProfileList is the body of GET /v1/profiles: the embedded profiles (as
// `biogate profiles` lists them) and the one applied when a request names
// none.
type ProfileList struct {
	// Default identifies the profile applied when a request names none,
	// with the server's overrides.
	Default thresholds.Ref `json:"default"`
	// Profiles lists the embedded profiles a request may name.
	Profiles []ProfileInfo `json:"profiles"`
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	l := ProfileList{Default: s.def.Ref(), Profiles: []ProfileInfo{}}
	l.Default.Overrides = s.cfg.Sets
	for _, n := range thresholds.Names() {
		p := thresholds.MustEmbedded(n)
		l.Profiles = append(l.Profiles, ProfileInfo{Name: p.Name, Version: p.Version, Description: p.Description})
	}
	writeJSON(w, l)
}

// handleProfile sends an embedded profile, as `biogate profiles NAME`
// prints it but in JSON. The name is never taken for a file.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileNamed(r.PathValue("name"))
	if err != nil {
		s.writeProblem(w, r, newProblem(http.StatusNotFound, CodeUnknownProfile, err.Error()))
		return
	}
	writeJSON(w, p)
}

// profileNamed returns a copy of the embedded profile called name, or of
// the server's own profile (before its overrides) when name is its name.
func (s *Server) profileNamed(name string) (*thresholds.Profile, error) {
	if name == s.base.Name {
		return s.base.Clone(), nil
	}
	if !slices.Contains(thresholds.Names(), name) {
		return nil, errors.New("unknown profile (embedded profiles: " + strings.Join(thresholds.Names(), ", ") + ")")
	}
	return thresholds.Embedded(name)
}
