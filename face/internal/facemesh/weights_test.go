package facemesh

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFilesMatchSources ties Files to models/SOURCES.md's table and to the
// committed files (which native builds embed).
func TestFilesMatchSources(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("models", "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Files {
		row := "| " + f.Name + " | " + strconv.Itoa(f.Size) + " | " + f.SHA256 + " |"
		if !strings.Contains(string(src), row) {
			t.Errorf("SOURCES.md has no row %q", row)
		}
		b, err := os.ReadFile(filepath.Join("models", f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 || len(b) != f.Size {
			t.Errorf("models/%s: %d bytes, SHA-256 %s; Files says %d, %s", f.Name, len(b), got, f.Size, f.SHA256)
		}
		if e, ok := embedded(f.Name); Embedded != ok || ok && !bytes.Equal(e, b) {
			t.Errorf("%s: embedded %v (%d bytes), Embedded %v: want the committed file exactly when Embedded", f.Name, ok, len(e), Embedded)
		}
	}
}

// TestSource reads the weights as a build without them does: through the
// source, checked against Files.
func TestSource(t *testing.T) {
	skipEmbedded = true
	t.Cleanup(func() { skipEmbedded = false; SetSource(nil) })
	f := Files[1]
	if _, err := weightsFile(f.Name); !errors.Is(err, ErrNoWeights) {
		t.Fatalf("no source: %v, want ErrNoWeights", err)
	}
	cause := errors.New("HTTP 503")
	SetSource(func(string) ([]byte, error) { return nil, cause })
	var we *WeightsError
	if _, err := weightsFile(f.Name); !errors.As(err, &we) || !errors.Is(err, cause) || we.Name != f.Name {
		t.Fatalf("failing source: %v, want a *WeightsError for %s wrapping the cause", err, f.Name)
	}
	good, err := os.ReadFile(filepath.Join("models", f.Name))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 1
	SetSource(func(string) ([]byte, error) { return bad, nil })
	if _, err := weightsFile(f.Name); !errors.As(err, &we) || we.Err != nil || we.Got == "" || !strings.Contains(err.Error(), f.SHA256) {
		t.Fatalf("one bit changed: %v, want a *WeightsError naming both sums", err)
	}
	if _, err := loadGraph("iris", nil); !errors.As(err, &we) {
		t.Fatalf("loadGraph with wrong weights: %v, want the *WeightsError itself", err)
	}
	SetSource(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join("models", name)) })
	if b, err := weightsFile(f.Name); err != nil || !bytes.Equal(b, good) {
		t.Fatalf("right bytes: %d bytes, %v", len(b), err)
	}
	if _, err := weightsFile("other.bin"); !errors.As(err, &we) {
		t.Fatalf("a file not listed: %v, want a *WeightsError", err)
	}
	g, err := loadGraph("iris", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutputs(g, IrisInputSize, []int{(71 + 5) * 3}); err != nil {
		t.Fatal(err)
	}
}
