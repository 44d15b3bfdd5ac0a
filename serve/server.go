package serve

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/thresholds"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes      = 32 << 20 // 32 MiB
	DefaultMaxFiles          = 16
	DefaultTimeout           = 30 * time.Second
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	// DefaultMaxHeaderBytes bounds the request line and headers.
	DefaultMaxHeaderBytes = 64 << 10
)

// Limits of request parameters, whatever the Config.
const (
	maxFieldBytes = 4 << 10 // one query value or multipart form field
	maxSets       = 64      // set values in one request
	maxFields     = 64      // non-file multipart parts
	maxNameBytes  = 1024    // a sample's name (its path in the report)
)

// Config configures a Server. The zero value serves the default profile
// with every limit at its default.
type Config struct {
	// Version is the tool version recorded in every report.
	Version string
	// Profile is the profile applied when a request names none; nil means
	// the embedded thresholds.Default. It may come from a file the
	// operator chose; requests can only name embedded profiles.
	Profile *thresholds.Profile
	// Sets are KEY=VALUE overrides applied to Profile (as check's -set)
	// when a request names no profile; they are recorded in the reports.
	Sets []string
	// Face and Finger are the assessors; nil means face.New(nil) and
	// finger.New(nil).
	Face   *face.Assessor
	Finger *finger.Assessor
	// PPI, when above 0, replaces the resolution every input declares
	// (as check's -ppi) unless a request gives its own.
	PPI float64
	// Load bounds each decoded image (MaxPixels, the decompression-bomb
	// guard); nil means the loader's defaults, as for check.
	Load *load.Options
	// Workers is the number of assessments run at once; 0 means one per
	// CPU (GOMAXPROCS).
	Workers int
	// Queue is the number of admitted requests that may wait for a worker
	// (reading their body or queued); beyond Workers+Queue a request is
	// answered 503 at once. Negative means 0; 0 means 4×Workers.
	Queue int
	// MaxBodyBytes caps a request body (413 beyond); 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxFiles caps the files of one multipart request; 0 means
	// DefaultMaxFiles.
	MaxFiles int
	// Timeout is each assess request's deadline, from admission to the
	// answer (504 beyond); 0 means DefaultTimeout.
	Timeout time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are
	// the http.Server's (slow clients); 0 means DefaultReadHeaderTimeout,
	// DefaultReadTimeout, Timeout plus 10 s, and DefaultIdleTimeout.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds how long Serve waits for in-flight requests
	// once its context is done; 0 means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Token, when not empty, is the bearer token every request but
	// /healthz and /readyz must carry (compared in constant time).
	Token string
	// TLS, when not nil, makes Serve speak HTTPS with this configuration
	// (certificates, and client certificates when it asks for them).
	TLS *tls.Config
	// CORSOrigins lists the origins allowed to call the API from a
	// browser; none by default (no CORS headers at all).
	CORSOrigins []string
	// Logger receives the access log and server events; nil means none.
	Logger *slog.Logger
}

// Server serves the gate over HTTP. Build it with New.
type Server struct {
	cfg      Config
	base     *thresholds.Profile // Config.Profile before Sets
	def      *thresholds.Profile // Config.Profile with Sets
	face     *face.Assessor
	finger   *finger.Assessor
	admit    chan struct{} // admitted requests (Workers+Queue)
	work     chan struct{} // running assessments (Workers)
	log      *slog.Logger
	metrics  *metrics
	handler  http.Handler
	draining atomic.Bool
	token    [sha256.Size]byte

	// hookAssess, when set by a test, runs in the worker before each
	// assessment.
	hookAssess atomic.Pointer[func(ctx context.Context)]
}

// New returns a server for cfg, loading the assessors it lacks.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg}
	if cfg.Profile == nil {
		p, err := thresholds.Embedded(thresholds.Default)
		if err != nil {
			return nil, err
		}
		cfg.Profile = p
	}
	s.base = cfg.Profile.Clone()
	s.def = cfg.Profile.Clone()
	for _, kv := range cfg.Sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("serve: set %q: want KEY=VALUE", kv)
		}
		if err := s.def.Set(k, v); err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
	}
	s.cfg.Sets = slices.Clone(cfg.Sets)
	if cfg.PPI < 0 || cfg.PPI > maxPPI {
		return nil, fmt.Errorf("serve: PPI %g out of range", cfg.PPI)
	}
	s.face, s.finger = cfg.Face, cfg.Finger
	if s.face == nil {
		fa, err := face.New(nil)
		if err != nil {
			return nil, err
		}
		s.face = fa
	}
	if s.finger == nil {
		s.finger = finger.New(nil)
	}
	if s.cfg.Workers <= 0 {
		s.cfg.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case s.cfg.Queue < 0:
		s.cfg.Queue = 0
	case s.cfg.Queue == 0:
		s.cfg.Queue = 4 * s.cfg.Workers
	}
	if s.cfg.MaxBodyBytes <= 0 {
		s.cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.cfg.MaxFiles <= 0 {
		s.cfg.MaxFiles = DefaultMaxFiles
	}
	if s.cfg.Timeout <= 0 {
		s.cfg.Timeout = DefaultTimeout
	}
	if s.cfg.ReadHeaderTimeout <= 0 {
		s.cfg.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if s.cfg.ReadTimeout <= 0 {
		s.cfg.ReadTimeout = DefaultReadTimeout
	}
	if s.cfg.WriteTimeout <= 0 {
		s.cfg.WriteTimeout = s.cfg.Timeout + 10*time.Second
	}
	if s.cfg.IdleTimeout <= 0 {
		s.cfg.IdleTimeout = DefaultIdleTimeout
	}
	if s.cfg.ShutdownTimeout <= 0 {
		s.cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if s.cfg.Token != "" {
		s.token = sha256.Sum256([]byte(s.cfg.Token))
	}
	s.log = cfg.Logger
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.admit = make(chan struct{}, s.cfg.Workers+s.cfg.Queue)
	s.work = make(chan struct{}, s.cfg.Workers)
	s.metrics = newMetrics(s)
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler, with every route, limit,
// log and metric, for use in a caller's own http.Server or in tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Registry returns the Prometheus registry that /metrics exposes.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.reg }

// HTTPServer returns an http.Server for the handler with the Config's
// timeouts and header limit.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		TLSConfig:         s.cfg.TLS,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting connections, answers /readyz with 503, lets in-flight
// requests finish (at most ShutdownTimeout) and returns nil. It returns
// the listener's error if serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.HTTPServer()
	errc := make(chan error, 1)
	go func() {
		var err error
		if s.cfg.TLS != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// authorized reports whether r carries the configured bearer token.
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(h[len(prefix):])))
	return subtle.ConstantTimeCompare(got[:], s.token[:]) == 1
}

// IsLoopback reports whether addr (a listener's address) is a loopback
// address, the only kind `biogate serve` binds to without a token, client
// certificates or -insecure.
func IsLoopback(addr net.Addr) bool {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			return false
		}
		ip = net.ParseIP(host)
	}
	return ip != nil && ip.IsLoopback()
}
