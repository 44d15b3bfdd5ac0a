package cascade

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// TestFullModeFiles ties FullMode's sums to the committed files, and Full
// to them where they are embedded.
func TestFullModeFiles(t *testing.T) {
	for _, f := range FullMode {
		b, err := os.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 || len(b) != f.Size {
			t.Errorf("%s: %d bytes, SHA-256 %s; FullMode says %d, %s", f.Name, len(b), got, f.Size, f.SHA256)
		}
		if e, ok := Full(f.Name); ok != Embedded || ok && !bytes.Equal(e, b) {
			t.Errorf("%s: Full gives %d bytes, %v; want the file exactly when Embedded (%v)", f.Name, len(e), ok, Embedded)
		}
	}
	if _, ok := Full("facefinder"); ok {
		t.Error("Full gave a cascade that is not FullMode's")
	}
}
