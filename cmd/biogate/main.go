// Command biogate scores face and fingerprint images and says, in plain
// words, whether to keep each sample or capture it again.
//
// Usage:
//
//	biogate check [flags] PATH...     assess files, folders (recursive) and globs
//	biogate report RESULTS.json       render an HTML report from check's JSON
//	biogate diff BASE.json CUR.json   compare two runs; exit 1 when a decision flipped
//	biogate synth finger|face         generate synthetic samples with expectations
//	biogate profiles [NAME]           list the embedded profiles, or print one
//	biogate serve [flags]             serve the gate over HTTP/JSON (loopback)
//	biogate digest [PATH...]          print the exact bits of every value and their SHA-256
//	biogate web                       serve the in-browser page
//	biogate version                   print the version
//
// Exit codes of check: 0 every sample accepted; 1 some sample needs a
// recapture or the operator's attention; 2 usage error, or some file could
// not be read or decoded or is too small to assess, or the run was
// interrupted.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Version is the program's version, recorded in every report.
var Version = "0.1.0"

// Exit codes.
const (
	exitAccepted  = 0
	exitAttention = 1
	exitError     = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// needModels makes sure the face models can be loaded before a command
// that assesses: always true where they are embedded (models_js.go sets it
// for the GOOS=js build).
var needModels = func(io.Writer) bool { return true }

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "check", "digest", "serve":
		if !needModels(stderr) {
			return exitError
		}
	}
	switch args[0] {
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "report":
		return runReport(args[1:], stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	case "digest":
		return runDigest(ctx, args[1:], stdout, stderr)
	case "synth":
		return runSynth(args[1:], stdout, stderr)
	case "web":
		return runWeb(ctx, args[1:], stdout, stderr)
	case "profiles", "profile":
		return runProfiles(args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "biogate", Version)
		return exitAccepted
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitAccepted
	}
	fmt.Fprintf(stderr, "biogate: unknown command %q\n\n%s", args[0], usage)
	return exitError
}

const usage = `biogate: a biometric sample quality gate for face and fingerprint images.

Usage:
  biogate check [flags] PATH...   assess image files, folders (recursive) and globs
  biogate report [flags] RESULTS.json
                                  render a self-contained HTML report from check's JSON
  biogate diff [flags] BASELINE.json CURRENT.json
                                  show samples whose decision flipped or score moved (exit 1 on a flip)
  biogate synth finger|face [flags]
                                  generate privacy-safe synthetic samples with sidecar expectations
  biogate profiles [NAME|FILE]    list the embedded threshold profiles, or print one as YAML
  biogate serve [flags]           serve the gate over HTTP/JSON on 127.0.0.1:8080 ('biogate serve -h')
  biogate digest [PATH...]        print the platform digest: the exact bits of every value
                                  computed for the corpus and testdata, and their SHA-256
  biogate web [-addr HOST:PORT]   serve the in-browser page (images are assessed on the device)
  biogate version                 print the version

Run 'biogate check -h' for the flags of check.

Exit codes (check):
  0  every sample accepted
  1  some sample needs a recapture or the operator's attention
  2  usage error, some file could not be read or decoded or is too small
     to assess, or the run was interrupted (Ctrl-C)
`
