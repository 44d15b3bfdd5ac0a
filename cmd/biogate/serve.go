package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strings"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/serve"
	"github.com/biogate/biogate/thresholds"
)

const serveUsage = `Usage: biogate serve [flags]

Serve the gate over HTTP/JSON (see the README's Service section and
GET /openapi.json): POST /v1/assess answers what 'biogate check -format json'
prints for the same file. Binds to loopback by default; any other address
needs -token-file or -tls-client-ca, or -insecure. Stops gracefully on
SIGINT/SIGTERM: in-flight requests finish, then it exits 0.

Flags:
`

// testHookServeListening, when set by a test, is called with the address
// serve listens on.
var testHookServeListening func(addr net.Addr)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (host:port); loopback unless -token-file, -tls-client-ca or -insecure")
	profileName := fs.String("profile", thresholds.Default, "default threshold profile: an embedded name ("+strings.Join(thresholds.Names(), ", ")+") or a YAML/JSON file")
	var sets setFlags
	fs.Var(&sets, "set", "override a value of the default profile, KEY=VALUE (repeatable)")
	model := fs.String("nfiq2-model", "", "NIST's NFIQ 2 random forest file to score fingerprints with, instead of the embedded model")
	ppi := fs.Float64("ppi", 0, "resolution of every input in pixels per inch unless a request gives ppi (0: what each file declares)")
	workers := fs.Int("j", runtime.NumCPU(), "assessments run at once (the worker pool)")
	queue := fs.Int("queue", 0, "requests that may wait for a worker beyond -j before 503 (0: 4 × -j)")
	maxBody := fs.Int64("max-body", serve.DefaultMaxBodyBytes, "largest request body in bytes (413 beyond)")
	maxPixels := fs.Int("max-pixels", load.DefaultMaxPixels, "refuse images with more pixels than this (413; decompression-bomb guard)")
	maxFiles := fs.Int("max-files", serve.DefaultMaxFiles, "most files in one multipart request")
	timeout := fs.Duration("timeout", serve.DefaultTimeout, "deadline of each assess request (504 beyond)")
	readHeader := fs.Duration("read-header-timeout", serve.DefaultReadHeaderTimeout, "time to receive a request's headers")
	readTimeout := fs.Duration("read-timeout", serve.DefaultReadTimeout, "time to receive a whole request")
	writeTimeout := fs.Duration("write-timeout", 0, "time to answer a request (0: -timeout + 10s)")
	idle := fs.Duration("idle-timeout", serve.DefaultIdleTimeout, "keep-alive connections idle longer are closed")
	tokenFile := fs.String("token-file", "", "file holding the bearer token every request but /healthz and /readyz must send")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM); needs -tls-key")
	tlsKey := fs.String("tls-key", "", "private key (PEM) of -tls-cert")
	clientCA := fs.String("tls-client-ca", "", "with -tls-cert: require client certificates signed by these CAs (PEM)")
	cors := fs.String("cors-origin", "", "comma-separated origins allowed to call the API from a browser (none by default)")
	insecure := fs.Bool("insecure", false, "allow a non-loopback address without a token or client certificates")
	logFormat := fs.String("log", "text", "access log format on standard error: text, json or none")
	fs.Usage = func() {
		fmt.Fprint(stderr, serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate serve: "+format+"\n", a...)
		return exitError
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *workers < 1 {
		return fail("-j must be at least 1")
	}
	var logger *slog.Logger
	switch *logFormat {
	case "text":
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(stderr, nil))
	case "none":
	default:
		return fail("-log %q: want text, json or none", *logFormat)
	}
	prof, err := thresholds.Resolve(*profileName)
	if err != nil {
		return fail("%v", err)
	}
	cfg := serve.Config{
		Version: Version, Profile: prof, Sets: sets, PPI: *ppi,
		Load:    &load.Options{MaxPixels: *maxPixels},
		Workers: *workers, Queue: *queue, MaxBodyBytes: *maxBody, MaxFiles: *maxFiles, Timeout: *timeout,
		ReadHeaderTimeout: *readHeader, ReadTimeout: *readTimeout, WriteTimeout: *writeTimeout, IdleTimeout: *idle,
		Logger: logger,
	}
	if *queue < 0 {
		cfg.Queue = -1
	}
	if *cors != "" {
		for _, o := range strings.Split(*cors, ",") {
			cfg.CORSOrigins = append(cfg.CORSOrigins, strings.TrimSpace(o))
		}
	}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fail("-token-file: %v", err)
		}
		if cfg.Token = strings.TrimSpace(string(b)); len(cfg.Token) < 16 {
			return fail("-token-file: the token must be at least 16 characters")
		}
	}
	if (*tlsCert == "") != (*tlsKey == "") || (*clientCA != "" && *tlsCert == "") {
		return fail("-tls-cert and -tls-key go together; -tls-client-ca needs them")
	}
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fail("TLS: %v", err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if *clientCA != "" {
			pem, err := os.ReadFile(*clientCA)
			if err != nil {
				return fail("-tls-client-ca: %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fail("-tls-client-ca: no certificate in %s", *clientCA)
			}
			cfg.TLS.ClientCAs, cfg.TLS.ClientAuth = pool, tls.RequireAndVerifyClientCert
		}
	}
	if *model != "" {
		m, err := finger.LoadNFIQ2Model(*model)
		if err != nil {
			return fail("%v", err)
		}
		cfg.Finger = finger.New(&finger.Options{Model: m})
	}
	guarded := cfg.Token != "" || (cfg.TLS != nil && cfg.TLS.ClientAuth == tls.RequireAndVerifyClientCert)
	refuse := func(a string) int {
		return fail("%s is not a loopback address: give -token-file or -tls-client-ca, or -insecure to serve it unguarded", a)
	}
	if host, _, err := net.SplitHostPort(*addr); err == nil && !guarded && !*insecure {
		// Refuse before binding where the address says it all.
		if ip := net.ParseIP(host); host == "" || (ip != nil && !ip.IsLoopback()) {
			return refuse(*addr)
		}
	}
	srv, err := serve.New(cfg)
	if err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	if !serve.IsLoopback(ln.Addr()) {
		if !guarded && !*insecure {
			ln.Close()
			return refuse(ln.Addr().String())
		}
		fmt.Fprintf(stderr, "biogate serve: warning: listening on %s, reachable from other machines\n", ln.Addr())
	}
	scheme := "http"
	if cfg.TLS != nil {
		scheme = "https"
	}
	fmt.Fprintf(stderr, "biogate serve: listening on %s://%s (%d workers)\n", scheme, ln.Addr(), cfg.Workers)
	if testHookServeListening != nil {
		testHookServeListening(ln.Addr())
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintln(stderr, "biogate serve: stopped")
	return exitAccepted
}
