package facemesh

import (
	"image"
	"testing"

	"github.com/biogate/biogate/internal/cputime"
)

// BenchmarkFaceMesh times one Face Mesh inference (192×192 input, 35.0 M
// multiply-adds in its convolutions).
// Target on one core of the project machine: ≤ 30 ms. cpu-ms/op is the
// process CPU time per run, which a loaded machine inflates less than
// ns/op.
func BenchmarkFaceMesh(b *testing.B) {
	m, err := LoadMesh()
	if err != nil {
		b.Fatal(err)
	}
	in := make([]float32, MeshInputSize*MeshInputSize*3)
	next := xorshift32(1)
	for i := range in {
		in[i] = float32(next())
	}
	b.SetBytes(int64(len(in) * 4))
	c0 := cputime.Process()
	for b.Loop() {
		if _, err := m.Run(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-c0)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkIris times one Iris inference (64×64 eye crop, 53.7 M
// multiply-adds). Target on one
// core: ≤ 25 ms per eye.
func BenchmarkIris(b *testing.B) {
	ir, err := LoadIris()
	if err != nil {
		b.Fatal(err)
	}
	in := make([]float32, IrisInputSize*IrisInputSize*3)
	next := xorshift32(3)
	for i := range in {
		in[i] = float32(next())
	}
	b.SetBytes(int64(len(in) * 4))
	c0 := cputime.Process()
	for b.Loop() {
		if _, err := ir.Run(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-c0)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkCropInput times filling the mesh input from a 640×480 JPEG-like
// (YCbCr 4:2:0) image with a rotated crop.
func BenchmarkCropInput(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i * 7)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*3), uint8(i*5)
	}
	dst := make([]float32, MeshInputSize*MeshInputSize*3)
	b.SetBytes(int64(len(dst) * 4))
	c0 := cputime.Process()
	for b.Loop() {
		CropInput(img, 320, 250, 300, 0.2, MeshInputSize, dst)
	}
	b.ReportMetric(float64(cputime.Process()-c0)/1e6/float64(b.N), "cpu-ms/op")
}
