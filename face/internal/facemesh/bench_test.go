package facemesh

import "testing"

// BenchmarkFaceMesh times one Face Mesh inference (192×192 input).
// Targets on one core of the project machine: ≤ 30 ms.
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
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Run(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIris times one Iris inference (64×64 eye crop). Target on one
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
	b.ResetTimer()
	for b.Loop() {
		if _, err := ir.Run(in); err != nil {
			b.Fatal(err)
		}
	}
}
