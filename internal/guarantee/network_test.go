package guarantee

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// forbidden lists standard packages that open connections or run programs.
// Pure parsing packages such as net/url and net/netip are allowed.
var forbidden = map[string]bool{
	"net": true, "net/http": true, "net/http/httputil": true, "net/rpc": true,
	"net/smtp": true, "net/mail": false, "crypto/tls": true, "os/exec": true,
	"net/http/httptrace": true, "log/syslog": true, "plugin": true,
}

// networked lists the module's packages that may use the network or run
// programs, each for a reason: everything else is library code, which
// handles personal data and must stay offline.
var networked = map[string]string{
	"github.com/biogate/biogate/cmd/biogate":       "the command serves HTTP (biogate serve, biogate web)",
	"github.com/biogate/biogate/serve":             "the HTTP service itself",
	"github.com/biogate/biogate/internal/fpcheck":  "a source checker for tests and scripts (go/build runs the go command); no library package imports it",
	"github.com/biogate/biogate/internal/racetest": "test support: re-runs the test binary as a child to show the race detector reports; only test files import it",
}

// TestNoNetworkOrProcessImports checks that no library package of the
// module (everything but the packages in networked; tests excluded)
// depends, directly or through a dependency, on a package that can open a
// network connection or run a program, and that no library package
// imports one of the networked packages.
func TestNoNetworkOrProcessImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	all, err := exec.Command("go", "list", "github.com/biogate/biogate/...").CombinedOutput()
	require.NoError(t, err, "%s", all)
	var library []string
	for _, p := range strings.Fields(string(all)) {
		if _, ok := networked[p]; !ok {
			library = append(library, p)
		}
	}
	require.Greater(t, len(library), 20, "go list returned too few packages to be the module")
	out, err := exec.Command("go", append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, library...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	for _, path := range deps {
		_, isNetworked := networked[path]
		if !forbidden[path] && !isNetworked {
			continue
		}
		who, _ := exec.Command("go", append([]string{"list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "-deps"}, library...)...).Output()
		var importers []string
		for _, l := range strings.Split(string(who), "\n") {
			if strings.Contains(" "+l+" ", " "+path+" ") {
				importers = append(importers, strings.SplitN(l, ":", 2)[0])
			}
		}
		t.Errorf("library code depends on %s (imported by %v)", path, importers)
	}
	require.Greater(t, len(deps), 20, "go list returned too few packages to be the module's dependencies")
}
