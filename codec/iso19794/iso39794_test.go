package iso19794

import (
	"testing"
)

// der encodes one TLV element.
func der(class int, constructed bool, tag int, content ...[]byte) []byte {
	var v []byte
	for _, c := range content {
		v = append(v, c...)
	}
	b := byte(class<<6) | byte(tag)
	if constructed {
		b |= 0x20
	}
	out := []byte{b}
	switch n := len(v); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, v...)
}

func ctx(tag int, content ...[]byte) []byte  { return der(classContext, true, tag, content...) }
func prim(tag int, content ...[]byte) []byte { return der(classContext, false, tag, content...) }
func seq(content ...[]byte) []byte           { return der(classUniversal, true, 16, content...) }
func code(tag, v int) []byte                 { return ctx(tag, prim(0, []byte{byte(v)})) }

func version() []byte { return ctx(0, prim(0, []byte{3}), prim(1, []byte{0x07, 0xE3})) }

func finger39794Record(imgs ...[]byte) []byte {
	var reps [][]byte
	for i, im := range imgs {
		reps = append(reps, seq(
			code(0, i+1), // position
			code(1, 0),   // impression
			code(2, 3),   // image data format
			prim(3, im),  // image data
			ctx(7, prim(0, []byte{0x01, 0xF4}), prim(1, []byte{0})), // 500 per inch
		))
	}
	return der(classApplication, true, 4, version(), ctx(1, reps...))
}

func face39794Record(img []byte, w, h int) []byte {
	info := ctx(1, code(0, 1), ctx(7, prim(0, []byte{byte(w >> 8), byte(w)}), prim(1, []byte{byte(h >> 8), byte(h)})))
	rep2d := ctx(0, prim(0, img), info)
	rep := seq(prim(0, []byte{1}), ctx(1, ctx(0, rep2d)))
	return der(classApplication, true, 5, version(), ctx(1, rep))
}

func TestParse39794(t *testing.T) {
	g := gradient(64, 48)
	w := encWSQ(t, g)
	p := encPNG(t, g)
	j := encJPEG(t, g)

	rec, err := Parse(finger39794Record(w, p))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Modality != Finger || rec.Version != "39794" || len(rec.Images) != 2 {
		t.Fatalf("got %v %q with %d images", rec.Modality, rec.Version, len(rec.Images))
	}
	for i, want := range []Format{FormatWSQ, FormatPNG} {
		im := rec.Images[i]
		if im.Format != want || im.Position != Position(i+1) || im.PPI != [2]float64{500, 500} || im.Width != 64 || im.Height != 48 {
			t.Errorf("image %d: %v %v %v %dx%d", i, im.Format, im.Position, im.PPI, im.Width, im.Height)
		}
		if _, err := im.Decode(); err != nil {
			t.Errorf("image %d: %v", i, err)
		}
	}

	// A face record inside an outer wrapping tag, as in an ICAO data group.
	face := der(classApplication, true, 0x02, face39794Record(j, 64, 48))
	rec, err = Parse(face)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Modality != Face || len(rec.Images) != 1 {
		t.Fatalf("face: %v with %d images", rec.Modality, len(rec.Images))
	}
	if im := rec.Images[0]; im.Format != FormatJPEG || im.Width != 64 || im.Height != 48 {
		t.Errorf("face image %v %dx%d", im.Format, im.Width, im.Height)
	}

	// Truncations fail cleanly.
	good := finger39794Record(p)
	for n := 0; n < len(good); n++ {
		if _, err := Parse(good[:n]); err == nil {
			t.Fatalf("prefix of %d bytes parsed", n)
		}
	}
}
