package jpeg2000

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrossCheckRandom encodes small synthetic images with opj_compress
// under randomly drawn coding parameters (levels, code-block sizes and
// styles, precincts, progression orders, tiles, offsets, layers, SOP/EPH,
// 5/3 or 9/7) and compares this package's decode with opj_decompress's:
// exactly for lossless, within 1 for lossy. It skips when the OpenJPEG
// tools are not installed.
func TestCrossCheckRandom(t *testing.T) {
	enc, err1 := exec.LookPath("opj_compress")
	_, err2 := exec.LookPath("opj_decompress")
	if err1 != nil || err2 != nil {
		t.Skip("opj_compress/opj_decompress not installed (apt-get install libopenjp2-tools): skipping the randomised cross-decoder test")
	}
	n := 24
	if testing.Short() {
		n = 6
	}
	seed := uint64(11)
	if v := os.Getenv("JPEG2000_CROSSCHECK_N"); v != "" {
		// Longer runs for development: JPEG2000_CROSSCHECK_N=500.
		fmt.Sscan(v, &n)
		seed = uint64(n)
	}
	rng := rand.New(rand.NewPCG(seed, 12))
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		w, h := 17+rng.IntN(70), 17+rng.IntN(70)
		nc := 1 + 2*rng.IntN(2)
		src := filepath.Join(dir, fmt.Sprintf("src%d.pgm", i))
		if nc == 3 {
			src = strings.TrimSuffix(src, ".pgm") + ".ppm"
		}
		prec := 8
		if nc == 1 && rng.IntN(3) == 0 {
			prec = []int{12, 16}[rng.IntN(2)]
		}
		maxv := 1<<prec - 1
		var pnm bytes.Buffer
		fmt.Fprintf(&pnm, "P%d\n%d %d\n%d\n", map[int]int{1: 5, 3: 6}[nc], w, h, maxv)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				for c := 0; c < nc; c++ {
					v := (x*(3+c)<<(prec-8) + y*2<<(prec-8) + rng.IntN(40<<(prec-8))) % (maxv + 1)
					if prec > 8 {
						pnm.WriteByte(byte(v >> 8))
					}
					pnm.WriteByte(byte(v))
				}
			}
		}
		if err := os.WriteFile(src, pnm.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		minDim := min(w, h)
		levels := rng.IntN(6)
		for levels > 0 && minDim>>levels < 1 {
			levels--
		}
		args := []string{"-n", fmt.Sprint(levels + 1)}
		cb := []int{4, 8, 16, 32, 64}
		args = append(args, "-b", fmt.Sprintf("%d,%d", cb[rng.IntN(5)], cb[rng.IntN(3)]))
		args = append(args, "-p", []string{"LRCP", "RLCP", "RPCL", "PCRL", "CPRL"}[rng.IntN(5)])
		if m := rng.IntN(64); rng.IntN(2) == 0 {
			args = append(args, "-M", fmt.Sprint(m))
		}
		if rng.IntN(2) == 0 {
			p := 1 << (5 + rng.IntN(3))
			args = append(args, "-c", fmt.Sprintf("[%d,%d],[%d,%d]", p, p, p/2, p/2))
		}
		if rng.IntN(3) == 0 {
			args = append(args, "-t", fmt.Sprintf("%d,%d", 16+rng.IntN(w), 16+rng.IntN(h)))
		}
		if rng.IntN(3) == 0 {
			args = append(args, "-d", fmt.Sprintf("%d,%d", rng.IntN(9), rng.IntN(9)))
		}
		if rng.IntN(3) == 0 {
			args = append(args, "-SOP", "-EPH")
		}
		lossy := rng.IntN(2) == 0
		if lossy {
			args = append(args, "-I", "-r", fmt.Sprintf("%d,%d", 20+rng.IntN(20), 2+rng.IntN(8)))
		} else if rng.IntN(2) == 0 {
			args = append(args, "-r", "30,10,1")
		}
		out := filepath.Join(dir, fmt.Sprintf("f%d.j2k", i))
		cmd := exec.Command(enc, append([]string{"-i", src, "-o", out}, args...)...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Logf("opj_compress %v refused (%v): %s", args, err, lastLine(msg))
			continue
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%dx%dx%d %v: %v", w, h, nc, args, err)
			continue
		}
		ref := opjDecode(t, out)
		limit := 0
		if lossy {
			// Within 1 unit at 8 and 12 bits. Both decoders run the
			// 9/7 path in float32, whose rounding shows at 16 bits
			// (measured up to 3 of 65535).
			limit = 1
			if prec == 16 {
				limit = 4
			}
		}
		if d, k := compare(t, img, ref, prec); d > limit {
			t.Errorf("%dx%dx%d %d-bit %v: max abs difference %d (%d samples), want <= %d", w, h, nc, prec, args, d, k, limit)
		}
	}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// TestCrossCheckAlpha encodes a four-component (RGBA) PNG with opj_compress
// and compares the decode, alpha included, with opj_decompress's.
func TestCrossCheckAlpha(t *testing.T) {
	enc, err1 := exec.LookPath("opj_compress")
	_, err2 := exec.LookPath("opj_decompress")
	if err1 != nil || err2 != nil {
		t.Skip("opj_compress/opj_decompress not installed (apt-get install libopenjp2-tools): skipping the RGBA cross-decoder test")
	}
	dir := t.TempDir()
	src := image.NewNRGBA(image.Rect(0, 0, 37, 29))
	for i := range src.Pix {
		src.Pix[i] = uint8(i*7 + i/5)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "rgba.png")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-n", "3"}, {"-n", "2", "-I", "-r", "5"}} {
		out := filepath.Join(dir, "rgba.j2k")
		if msg, err := exec.Command(enc, append([]string{"-i", in, "-o", out}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("opj_compress: %v: %s", err, lastLine(msg))
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := img.(*image.NRGBA)
		if !ok {
			t.Fatalf("got %T, want *image.NRGBA", img)
		}
		ref := opjDecode(t, out)
		want, ok := ref.(*image.NRGBA)
		if !ok {
			t.Fatalf("opj_decompress gave %T", ref)
		}
		limit := 0
		if len(args) > 2 {
			limit = 1
		} else if !bytes.Equal(got.Pix, src.Pix) {
			t.Errorf("%v: lossless decode differs from the source", args)
		}
		for i := range got.Pix {
			if d := int(got.Pix[i]) - int(want.Pix[i]); d > limit || d < -limit {
				t.Fatalf("%v: sample %d = %d, opj_decompress %d", args, i, got.Pix[i], want.Pix[i])
			}
		}
	}
}
