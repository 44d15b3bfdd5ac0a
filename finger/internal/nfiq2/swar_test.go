package nfiq2

import "testing"

// TestMinBytes8 checks the bytewise minimum on every pair of byte values,
// in every lane, next to lanes holding other values.
func TestMinBytes8(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			lane := (a*7 + b) % 8
			x := uint64(0x00ff7f80017e81fe)&^(0xff<<(8*lane)) | uint64(a)<<(8*lane)
			y := uint64(0xff00807f7e01fe81)&^(0xff<<(8*lane)) | uint64(b)<<(8*lane)
			got := minBytes8(x, y)
			for i := 0; i < 8; i++ {
				xi, yi := uint8(x>>(8*i)), uint8(y>>(8*i))
				if g := uint8(got >> (8 * i)); g != min(xi, yi) {
					t.Fatalf("minBytes8(%#x, %#x) byte %d = %d, want %d", x, y, i, g, min(xi, yi))
				}
			}
		}
	}
}
