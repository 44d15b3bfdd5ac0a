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

// TestNoNetworkOrProcessImports checks that no package of the module
// (commands included, tests excluded) depends, directly or through a
// dependency, on a package that can open a network connection or run a
// program: the gate handles personal data and must stay offline.
func TestNoNetworkOrProcessImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "github.com/biogate/biogate/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, _, _ := strings.Cut(line, " ")
		n++
		if forbidden[path] {
			who, _ := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "-deps", "github.com/biogate/biogate/...").Output()
			var importers []string
			for _, l := range strings.Split(string(who), "\n") {
				if strings.Contains(" "+l+" ", " "+path+" ") {
					importers = append(importers, strings.SplitN(l, ":", 2)[0])
				}
			}
			t.Errorf("the module depends on %s (imported by %v)", path, importers)
		}
	}
	require.Greater(t, n, 20, "go list returned too few packages to be the module")
}
