package wsq

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
)

// DefaultBitRate is the bit rate (bits per pixel) Encode uses when
// Options.BitRate is zero: the FBI's figure for 500 ppi fingerprints, about
// 15:1 compression.
const DefaultBitRate = 0.75

// Options are the encoding parameters. A nil *Options means the defaults.
type Options struct {
	// BitRate is the target bit rate in bits per pixel, in (0, 8];
	// 0 means DefaultBitRate. Encoders conformant to the FBI specification
	// use 0.75 (500 ppi) or 0.9-2.25 for higher fidelity.
	BitRate float64
	// PPI is the scanning resolution recorded in the NISTCOM comment;
	// 0 records it as unknown (-1).
	PPI int
}

// Subband groups coded as separate blocks (IAFIS-IC-0110 §3): the first 19
// subbands, the next 33, and the last 8.
const (
	block2Start = 19
	block3Start = 52
)

// Encode writes img to w in WSQ format.
func Encode(w io.Writer, img *image.Gray, o *Options) error {
	rate := DefaultBitRate
	ppi := -1
	if o != nil {
		if o.BitRate != 0 {
			rate = o.BitRate
		}
		if o.PPI > 0 {
			ppi = o.PPI
		}
	}
	if !(rate > 0 && rate <= 8) {
		return errors.New("wsq: bit rate must be in (0, 8] bits per pixel")
	}
	if img == nil {
		return errors.New("wsq: nil image")
	}
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	if width == 0 || height == 0 {
		return errors.New("wsq: empty image")
	}
	if width > 0xFFFF || height > 0xFFFF || width*height > MaxPixels {
		return UnsupportedError("image larger than MaxPixels or 65535 pixels on a side")
	}

	// Shift and scale, as the decoder will read them back.
	lo, hi, sum := 255, 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:width]
		for _, p := range row {
			lo, hi, sum = min(lo, int(p)), max(hi, int(p)), sum+int(p)
		}
	}
	mean := float64(sum) / float64(width*height)
	rscale := math.Max(mean-float64(lo), float64(hi)-mean) / 128
	if rscale == 0 {
		rscale = 1
	}
	mExp, mVal := toScaled16(mean)
	rExp, rVal := toScaled16(rscale)
	ms, rs := scaled(uint32(mVal), mExp), scaled(uint32(rVal), rExp)
	if rs == 0 {
		rExp, rVal, rs = 0, 1, 1
	}

	data := make([]float32, width*height)
	for y := 0; y < height; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:width]
		for x, p := range row {
			data[y*width+x] = (float32(p) - ms) / rs
		}
	}

	// Filters as written in (and read back from) the transform table.
	var dtt []byte
	dtt = append(dtt, byte(2*len(h0Half)-1), byte(2*len(h1Half)-1))
	var h0, h1 []float64
	for _, half := range []struct {
		src []float64
		dst *[]float64
	}{{h0Half[:], &h0}, {h1Half[:], &h1}} {
		for _, v := range half.src {
			sign := byte(0)
			if v < 0 {
				sign, v = 1, -v
			}
			e, u := toScaled32(v)
			dtt = append(dtt, sign, e)
			dtt = binary.BigEndian.AppendUint32(dtt, u)
			f := float64(scaled(u, e))
			if sign != 0 {
				f = -f
			}
			*half.dst = append(*half.dst, f)
		}
	}
	fb := newFilterBank(expand(h0), expand(h1))
	t := newTrees(width, height)
	fb.decompose(data, width, t)

	qbin, zbin := binWidths(data, width, t, rate)
	var dqt []byte
	dqt = append(dqt, 2)
	dqt = binary.BigEndian.AppendUint16(dqt, 44) // bin centre C = 0.44
	var qf, zf [numQNodes]float32
	for s := 0; s < numQNodes; s++ {
		var qe, ze byte
		var qv, zv uint16
		if s < numSubbands && qbin[s] > 0 {
			qe, qv = toScaled16(qbin[s])
			ze, zv = toScaled16(zbin[s])
			qf[s], zf[s] = scaled(uint32(qv), qe), scaled(uint32(zv), ze)
		}
		dqt = append(dqt, qe)
		dqt = binary.BigEndian.AppendUint16(dqt, qv)
		dqt = append(dqt, ze)
		dqt = binary.BigEndian.AppendUint16(dqt, zv)
	}

	// Quantize the three blocks and turn them into Huffman symbols.
	var blocks [3][]symbol
	for s := 0; s < numSubbands; s++ {
		blk := 0
		if s >= block3Start {
			blk = 2
		} else if s >= block2Start {
			blk = 1
		}
		if qf[s] == 0 {
			continue
		}
		blocks[blk] = quantizeSubband(blocks[blk], data, width, t.q[s], qf[s], zf[s])
	}
	for i := range blocks {
		blocks[i] = flushRun(blocks[i])
	}

	bw := bufio.NewWriter(w)
	seg := func(marker uint16, body []byte) {
		var hdr [4]byte
		binary.BigEndian.PutUint16(hdr[:], marker)
		binary.BigEndian.PutUint16(hdr[2:], uint16(len(body)+2))
		bw.Write(hdr[:])
		bw.Write(body)
	}
	bw.Write([]byte{0xFF, 0xA0})
	seg(markerCOM, []byte(fmt.Sprintf("NIST_COM 9\nPIX_WIDTH %d\nPIX_HEIGHT %d\nPIX_DEPTH 8\nPPI %d\nLOSSY 1\nCOLORSPACE GRAY\nCOMPRESSION WSQ\nWSQ_BITRATE %f", width, height, ppi, rate)))
	seg(markerDTT, dtt)
	seg(markerDQT, dqt)

	var freq [2][maxHuffValues]int
	for i, blk := range blocks {
		tab := min(i, 1)
		for _, s := range blk {
			freq[tab][s.sym]++
		}
	}
	var codes [2][maxHuffValues]huffCode
	var dht [2][]byte
	for tab := 0; tab < 2; tab++ {
		counts, values, c := buildTable(&freq[tab])
		codes[tab] = c
		dht[tab] = append(dht[tab], byte(tab))
		for l := 1; l <= maxHuffBits; l++ {
			dht[tab] = append(dht[tab], byte(counts[l]))
		}
		dht[tab] = append(dht[tab], values...)
	}
	seg(markerDHT, dht[0])

	var sof []byte
	sof = append(sof, 0, 255)
	sof = binary.BigEndian.AppendUint16(sof, uint16(height))
	sof = binary.BigEndian.AppendUint16(sof, uint16(width))
	sof = append(sof, mExp)
	sof = binary.BigEndian.AppendUint16(sof, mVal)
	sof = append(sof, rExp)
	sof = binary.BigEndian.AppendUint16(sof, rVal)
	sof = append(sof, 2) // encoder number
	sof = binary.BigEndian.AppendUint16(sof, 0)
	seg(markerSOF, sof)

	for i, blk := range blocks {
		tab := min(i, 1)
		if i == 1 {
			seg(markerDHT, dht[1])
		}
		seg(markerSOB, []byte{byte(tab)})
		writeBlock(bw, blk, &codes[tab])
	}
	bw.Write([]byte{0xFF, 0xA1})
	return bw.Flush()
}

// toScaled16 represents v ≥ 0 as val / 10^exp with val a 16-bit integer and
// exp as large as possible.
func toScaled16(v float64) (exp byte, val uint16) {
	if !(v > 0) {
		return 0, 0
	}
	for e := 0; e < 20; e++ {
		if math.Round(v*math.Pow10(e+1)) > 0xFFFF {
			return byte(e), uint16(min(math.Round(v*math.Pow10(e)), 0xFFFF))
		}
	}
	return 20, uint16(math.Round(v * 1e20))
}

// toScaled32 is toScaled16 for 32-bit integers.
func toScaled32(v float64) (exp byte, val uint32) {
	if !(v > 0) {
		return 0, 0
	}
	for e := 0; e < 30; e++ {
		if math.Round(v*math.Pow10(e+1)) > 0xFFFFFFFF {
			return byte(e), uint32(min(math.Round(v*math.Pow10(e)), 0xFFFFFFFF))
		}
	}
	return 30, uint32(math.Round(v * 1e30))
}

// variance returns the sample variance of r in the coefficient image, over
// the central window the specification prescribes when crop is set.
func variance(data []float32, width int, r rect, crop bool) float64 {
	x0, y0, w, h := r.x, r.y, r.w, r.h
	if crop {
		x0 += r.w / 8
		y0 += 9 * r.h / 32
		w = 3 * r.w / 4
		h = 7 * r.h / 16
	}
	n := w * h
	if n < 2 {
		return 0
	}
	var sum, ssq float64
	for y := y0; y < y0+h; y++ {
		for _, v := range data[y*width+x0 : y*width+x0+w] {
			sum += float64(v)
			ssq += float64(float64(v) * float64(v))
		}
	}
	return (ssq - sum*sum/float64(n)) / float64(n-1)
}

// binWidths computes the quantizer bin widths Q and zero-bin widths Z of the
// 60 subbands for the target bit rate (IAFIS-IC-0110 Annex A).
func binWidths(data []float32, width int, t *trees, rate float64) (q, z [numSubbands]float64) {
	const varThreshold = 1.01
	var v [numSubbands]float64
	sum := 0.0
	for s := 0; s < 4; s++ {
		v[s] = variance(data, width, t.q[s], true)
		sum += v[s]
	}
	full := sum < 20000
	if full {
		for s := 0; s < 4; s++ {
			v[s] = variance(data, width, t.q[s], false)
		}
	}
	for s := 4; s < numSubbands; s++ {
		v[s] = variance(data, width, t.q[s], !full)
	}

	// Subband weights A and the reciprocal of the relative sizes m.
	var a, m, sigma, qp [numSubbands]float64
	for s := range a {
		a[s] = 1
		switch {
		case s < 4:
			m[s] = 1.0 / 1024
		case s < 51:
			m[s] = 1.0 / 256
		default:
			m[s] = 1.0 / 16
		}
	}
	copy(a[52:], []float64{1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08})

	var k0 []int
	for s := 0; s < numSubbands; s++ {
		if v[s] < varThreshold {
			continue
		}
		k0 = append(k0, s)
		sigma[s] = math.Sqrt(v[s])
		if s < 4 {
			qp[s] = 1
		} else {
			qp[s] = 10 / (a[s] * math.Log(v[s]))
		}
	}
	if len(k0) == 0 {
		return q, z
	}
	k := append([]int(nil), k0...)
	var gamma float64
	for len(k) > 0 {
		var sm, logP float64
		for _, s := range k {
			sm += m[s]
			logP += float64(m[s] * math.Log(sigma[s]/qp[s]))
		}
		gamma = math.Pow(2, rate/sm-1) / 2.5 / math.Exp(logP/sm)
		next := k[:0:0]
		for _, s := range k {
			if qp[s]/gamma < 5*sigma[s] {
				next = append(next, s)
			}
		}
		if len(next) == len(k) {
			break
		}
		k = next
	}
	for _, s := range k0 {
		q[s] = qp[s] / gamma
		z[s] = 1.2 * q[s]
	}
	return q, z
}

// symbol is one Huffman symbol with its optional extra bits.
type symbol struct {
	sym   uint8
	nbits uint8
	extra uint16
	run   int32 // pending zero run while quantizing (sym == 0)
}

// quantizeSubband appends the symbols of subband r to out. A trailing
// zero-run is kept open in a final symbol with sym 0 so that runs continue
// across subbands of the same block.
func quantizeSubband(out []symbol, data []float32, width int, r rect, q, z float32) []symbol {
	zb := z / 2
	run := int32(0)
	if n := len(out); n > 0 && out[n-1].sym == 0 {
		run = out[n-1].run
		out = out[:n-1]
	}
	for y := r.y; y < r.y+r.h; y++ {
		for _, c := range data[y*width+r.x : y*width+r.x+r.w] {
			var v int32
			switch {
			case -zb <= c && c <= zb:
				run++
				continue
			case c > 0:
				v = int32(min((c-zb)/q+1, 65535))
			default:
				v = int32(max((c+zb)/q-1, -65535))
			}
			out = appendRun(out, run)
			run = 0
			out = appendValue(out, v)
		}
	}
	if run > 0 {
		out = append(out, symbol{run: run})
	}
	return out
}

// flushRun replaces an open zero run by its symbols.
func flushRun(out []symbol) []symbol {
	if n := len(out); n > 0 && out[n-1].sym == 0 {
		run := out[n-1].run
		return appendRun(out[:n-1], run)
	}
	return out
}

func appendRun(out []symbol, run int32) []symbol {
	for run > 0 {
		switch {
		case run <= 100:
			return append(out, symbol{sym: uint8(run)})
		case run <= 0xFF:
			return append(out, symbol{sym: 105, nbits: 8, extra: uint16(run)})
		default:
			n := min(run, 0xFFFF)
			out = append(out, symbol{sym: 106, nbits: 16, extra: uint16(n)})
			run -= n
		}
	}
	return out
}

func appendValue(out []symbol, v int32) []symbol {
	switch {
	case v >= -73 && v <= 74:
		return append(out, symbol{sym: uint8(v + 180)})
	case v > 0 && v <= 0xFF:
		return append(out, symbol{sym: 101, nbits: 8, extra: uint16(v)})
	case v < 0 && v >= -0xFF:
		return append(out, symbol{sym: 102, nbits: 8, extra: uint16(-v)})
	case v > 0:
		return append(out, symbol{sym: 103, nbits: 16, extra: uint16(v)})
	default:
		return append(out, symbol{sym: 104, nbits: 16, extra: uint16(-v)})
	}
}

// writeBlock writes the entropy-coded symbols with 0xFF byte stuffing,
// padding the last byte with one bits.
func writeBlock(w *bufio.Writer, syms []symbol, codes *[maxHuffValues]huffCode) {
	var acc uint64
	n := 0
	put := func(v uint32, size int) {
		acc = acc<<size | uint64(v)&(1<<size-1)
		n += size
		for n >= 8 {
			b := byte(acc >> (n - 8))
			w.WriteByte(b)
			if b == 0xFF {
				w.WriteByte(0)
			}
			n -= 8
		}
	}
	for _, s := range syms {
		c := codes[s.sym]
		put(c.code, int(c.size))
		if s.nbits > 0 {
			put(uint32(s.extra), int(s.nbits))
		}
	}
	if n > 0 {
		put(1<<(8-n)-1, 8-n)
	}
}
