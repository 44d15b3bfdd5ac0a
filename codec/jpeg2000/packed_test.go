package jpeg2000

import (
	"bytes"
	"encoding/binary"
	"image"
	"reflect"
	"testing"
)

// splitHeaders separates the packet headers of a one-tile, one-tile-part
// codestream (without SOP/EPH markers) from the packet bodies, and returns
// the main header, the concatenated headers and the concatenated bodies.
func splitHeaders(t *testing.T, cs []byte) (mainHdr, headers, bodies []byte) {
	t.Helper()
	c, err := parseCodestream(cs, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.tiles) != 1 || c.tiles[0].nparts != 1 {
		t.Fatal("fixture must have one tile-part")
	}
	r := &reader{b: cs, pos: 2}
	for {
		at := r.pos
		m, _, err := nextSegment(r)
		if err != nil {
			t.Fatal(err)
		}
		if m == mSOT {
			mainHdr = cs[:at]
			break
		}
	}
	td := c.tiles[0]
	tl, err := buildTile(c, td)
	if err != nil {
		t.Fatal(err)
	}
	order, err := tl.packetOrder(c)
	if err != nil {
		t.Fatal(err)
	}
	data := td.data
	pos := 0
	for i := range order {
		hstart := pos
		dummy := 0
		contribs, err := tl.decodePacket(data, &pos, data, &dummy, &order[i], nil)
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		n := 0
		for _, ct := range contribs {
			n += ct.n
		}
		headers = append(headers, data[hstart:pos]...)
		bodies = append(bodies, data[pos:pos+n]...)
		pos += n
	}
	if pos != len(data) {
		t.Fatalf("packets end at %d of %d bytes", pos, len(data))
	}
	return mainHdr, headers, bodies
}

func marker(m uint16, body []byte) []byte {
	out := binary.BigEndian.AppendUint16(nil, m)
	out = binary.BigEndian.AppendUint16(out, uint16(len(body)+2))
	return append(out, body...)
}

// chunks splits b into pieces of at most n bytes.
func chunks(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}

func tilePart(hdrSegs, bodies []byte) []byte {
	psot := 12 + len(hdrSegs) + 2 + len(bodies)
	sot := binary.BigEndian.AppendUint16(nil, 0)           // Isot
	sot = binary.BigEndian.AppendUint32(sot, uint32(psot)) // Psot
	sot = append(sot, 0, 1)                                // TPsot, TNsot
	out := marker(mSOT, sot)
	out = append(out, hdrSegs...)
	out = append(out, 0xff, 0x93)
	return append(out, bodies...)
}

// TestPackedPacketHeaders rewrites fixtures with their packet headers moved
// into PPT (tile-part header) and PPM (main header) marker segments, split
// over several segments, and checks that they decode identically.
func TestPackedPacketHeaders(t *testing.T) {
	for _, name := range []string{"ridge_53_modes.j2k", "gradient_97.j2k", "portrait_53_nomct_layers.j2k"} {
		t.Run(name, func(t *testing.T) {
			cs := readFixture(t, name)
			want, err := Decode(bytes.NewReader(cs))
			if err != nil {
				t.Fatal(err)
			}
			mainHdr, headers, bodies := splitHeaders(t, cs)

			var ppt []byte
			for i, ch := range chunks(headers, 700) {
				ppt = append(ppt, marker(mPPT, append([]byte{byte(i)}, ch...))...)
			}
			pptStream := append(append([]byte(nil), mainHdr...), tilePart(ppt, bodies)...)
			pptStream = append(pptStream, 0xff, 0xd9)

			ppmData := binary.BigEndian.AppendUint32(nil, uint32(len(headers)))
			ppmData = append(ppmData, headers...)
			var ppm []byte
			for i, ch := range chunks(ppmData, 500) {
				ppm = append(ppm, marker(mPPM, append([]byte{byte(i)}, ch...))...)
			}
			ppmStream := append(append([]byte(nil), mainHdr...), ppm...)
			ppmStream = append(ppmStream, tilePart(nil, bodies)...)
			ppmStream = append(ppmStream, 0xff, 0xd9)

			for kind, s := range map[string][]byte{"PPT": pptStream, "PPM": ppmStream} {
				got, err := Decode(bytes.NewReader(s))
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				if !reflect.DeepEqual(pixels(got), pixels(want)) {
					t.Errorf("%s: decode differs from the original codestream", kind)
				}
			}
		})
	}
}

func pixels(img image.Image) []uint8 {
	switch im := img.(type) {
	case *image.Gray:
		return im.Pix
	case *image.RGBA:
		return im.Pix
	}
	return nil
}
