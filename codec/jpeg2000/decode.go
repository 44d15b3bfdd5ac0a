package jpeg2000

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

func init() {
	image.RegisterFormat("jpeg2000", jp2Magic, Decode, DecodeConfig)
	image.RegisterFormat("j2k", j2kMagic, Decode, DecodeConfig)
}

// readAll reads r fully, refusing inputs beyond a sanity bound.
func readAll(r io.Reader) ([]byte, error) {
	const limit = 1 << 30
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, UnsupportedError("input larger than 1 GiB")
	}
	return b, nil
}

// split returns the codestream of data (a JP2 file or a raw codestream),
// filling the JP2 fields of md.
func split(data []byte, md *Metadata) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte(jp2Magic)):
		return parseJP2(data, md)
	case bytes.HasPrefix(data, []byte("\xff\x4f")):
		return data, nil
	}
	return nil, FormatError("neither a JP2 file nor a J2K codestream")
}

// DecodeMetadata reads the header of a JPEG 2000 file or codestream without
// decoding pixels.
func DecodeMetadata(r io.Reader) (*Metadata, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	md := &Metadata{}
	cs, err := split(data, md)
	if err != nil {
		return nil, err
	}
	c, err := parseCodestream(cs, true)
	if err != nil {
		return nil, err
	}
	c.metadata(md)
	return md, nil
}

// DecodeConfig returns the colour model and dimensions of a JPEG 2000 image
// without decoding its pixels.
func DecodeConfig(r io.Reader) (image.Config, error) {
	md, err := DecodeMetadata(r)
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: colorModel(md.Components, md.BitDepth), Width: md.Width, Height: md.Height}, nil
}

func colorModel(nc, prec int) color.Model {
	switch {
	case nc < 3 && prec <= 8:
		return color.GrayModel
	case nc < 3:
		return color.Gray16Model
	case nc >= 4 && prec <= 8:
		return color.NRGBAModel
	case nc >= 4:
		return color.NRGBA64Model
	case prec <= 8:
		return color.RGBAModel
	}
	return color.RGBA64Model
}

// Decode reads a JPEG 2000 image (JP2 file or raw codestream) from r.
func Decode(r io.Reader) (image.Image, error) {
	img, _, err := DecodeWithMetadata(r)
	return img, err
}

// DecodeWithMetadata decodes a JPEG 2000 image and also returns its header
// fields, including the resolution of the JP2 'res ' box.
func DecodeWithMetadata(r io.Reader) (image.Image, *Metadata, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, nil, err
	}
	md := &Metadata{}
	csData, err := split(data, md)
	if err != nil {
		return nil, nil, err
	}
	cs, err := parseCodestream(csData, false)
	if err != nil {
		return nil, nil, err
	}
	cs.metadata(md)
	planes, err := cs.decodePlanes()
	if err != nil {
		return nil, nil, err
	}
	colorSpace := md.ColorSpace
	if colorSpace == 18 && cs.main.mct == 0 && syccToRGB(cs, planes) {
		colorSpace = 16
	}
	return cs.toImage(planes, colorSpace), md, nil
}

// syccToRGB converts the first three planes from sYCC (JP2 enumerated colour
// space 18 without a codestream component transform) to RGB in place, when
// they share one grid and precision; it reports whether it did.
func syccToRGB(cs *codestream, planes []plane) bool {
	s := &cs.siz
	if len(planes) < 3 {
		return false
	}
	c0 := s.comps[0]
	for c := 1; c < 3; c++ {
		if s.comps[c] != c0 {
			return false
		}
	}
	if c0.signed {
		return false
	}
	off := float64(int64(1) << (c0.prec - 1))
	hi := float64(int64(1)<<c0.prec - 1)
	clamp := func(v float64) int32 { return int32(min(hi, max(0, math.Round(v)))) }
	y, cb, cr := planes[0].pix, planes[1].pix, planes[2].pix
	for i := range y {
		fy, fcb, fcr := float64(y[i]), float64(cb[i])-off, float64(cr[i])-off
		y[i] = clamp(fy + float64(1.402*fcr))
		cb[i] = clamp(fy - float64(0.344136*fcb) - float64(0.714136*fcr))
		cr[i] = clamp(fy + float64(1.772*fcb))
	}
	return true
}

// plane is one decoded component on its own (possibly subsampled) grid.
type plane struct {
	x0, y0, w, h int
	pix          []int32
}

func (cs *codestream) decodePlanes() ([]plane, error) {
	s := &cs.siz
	planes := make([]plane, len(s.comps))
	for c, comp := range s.comps {
		p := &planes[c]
		p.x0, p.y0 = ceilDiv(s.x0, comp.dx), ceilDiv(s.y0, comp.dy)
		p.w, p.h = ceilDiv(s.x1, comp.dx)-p.x0, ceilDiv(s.y1, comp.dy)-p.y0
		p.pix = make([]int32, p.w*p.h)
	}
	decoded := false
	dec := &t1{}
	for _, td := range cs.tiles {
		if td == nil {
			continue
		}
		t, err := buildTile(cs, td)
		if err != nil {
			return nil, err
		}
		if err := t.decode(cs, td.data, planes, dec); err != nil {
			return nil, err
		}
		decoded = true
	}
	if !decoded {
		return nil, FormatError("no tile data")
	}
	return planes, nil
}

// decode runs tier-2 and tier-1 decoding, the inverse wavelet and
// component transforms of tile t and writes the result into planes.
func (t *tile) decode(cs *codestream, data []byte, planes []plane, dec *t1) error {
	order, err := t.packetOrder(cs)
	if err != nil {
		return err
	}
	pos := 0
	hdr, hpos := data, &pos
	var pptPos int
	if t.params.pptSet {
		hdr, hpos = t.params.ppt, &pptPos
	}
	var contribs []contribution
	for i := range order {
		if *hpos >= len(hdr) {
			break
		}
		contribs, err = t.decodePacket(hdr, hpos, data, &pos, &order[i], contribs)
		if err != nil {
			if errors.Is(err, errTruncated) {
				break // decode what was received
			}
			return err
		}
	}
	nc := len(t.comps)
	ibufs := make([][]int32, nc)
	fbufs := make([][]float32, nc)
	var jobs []blockJob
	for c := range t.comps {
		tc := &t.comps[c]
		w, h := tc.x1-tc.x0, tc.y1-tc.y0
		if w <= 0 || h <= 0 {
			continue
		}
		if tc.cp.reversible {
			ibufs[c] = make([]int32, w*h)
		} else {
			fbufs[c] = make([]float32, w*h)
		}
		for r := range tc.res {
			res := &tc.res[r]
			for pi := range res.precincts {
				for bi := range res.precincts[pi] {
					b := &res.bands[bi]
					xoff, yoff := 0, 0
					if r > 0 {
						lo := &tc.res[r-1]
						if b.orient&1 != 0 {
							xoff = lo.x1 - lo.x0
						}
						if b.orient&2 != 0 {
							yoff = lo.y1 - lo.y0
						}
					}
					pb := &res.precincts[pi][bi]
					for ci := range pb.cbs {
						cb := &pb.cbs[ci]
						if len(cb.segs) == 0 {
							continue
						}
						jobs = append(jobs, blockJob{
							cb: cb, b: b, style: tc.cp.cbStyle, w: w, roi: tc.cp.roiShift,
							base: (cb.y0-b.y0+yoff)*w + cb.x0 - b.x0 + xoff,
							ibuf: ibufs[c], fbuf: fbufs[c],
						})
					}
				}
			}
		}
	}
	runBlocks(jobs, dec)
	// Inverse wavelet transform, one goroutine per component when the
	// machine has more than one processor.
	idwt := func(c int) {
		tc := &t.comps[c]
		w := tc.x1 - tc.x0
		if ibufs[c] != nil && w > 0 {
			idwt2D(ibufs[c], w, tc, lift53, liftRows53)
		} else if fbufs[c] != nil && w > 0 {
			idwt2D(fbufs[c], w, tc, lift97, liftRows97)
		}
	}
	if workers := min(nc, runtime.GOMAXPROCS(0)); workers > 1 {
		var wg sync.WaitGroup
		var next atomic.Int64
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c := int(next.Add(1) - 1); c < nc; c = int(next.Add(1) - 1) {
					idwt(c)
				}
			}()
		}
		wg.Wait()
	} else {
		for c := range t.comps {
			idwt(c)
		}
	}
	// Inverse multiple component transform.
	if t.params.mct == 1 && nc >= 3 {
		same := true
		for c := 1; c < 3; c++ {
			if t.comps[c].x0 != t.comps[0].x0 || t.comps[c].x1 != t.comps[0].x1 ||
				t.comps[c].y0 != t.comps[0].y0 || t.comps[c].y1 != t.comps[0].y1 ||
				t.comps[c].cp.reversible != t.comps[0].cp.reversible {
				same = false
			}
		}
		if !same {
			return UnsupportedError("component transform on components of different sizes or wavelets")
		}
		if ibufs[0] != nil {
			y0, y1, y2 := ibufs[0], ibufs[1], ibufs[2]
			for i := range y0 {
				g := y0[i] - (y1[i]+y2[i])>>2
				r := y2[i] + g
				b := y1[i] + g
				y0[i], y1[i], y2[i] = r, g, b
			}
		} else if fbufs[0] != nil {
			y0, y1, y2 := fbufs[0], fbufs[1], fbufs[2]
			for i := range y0 {
				yy, cb, cr := y0[i], y1[i], y2[i]
				y0[i] = yy + float32(1.402*cr)
				y1[i] = yy - float32(0.344136*cb) - float32(0.714136*cr)
				y2[i] = yy + float32(1.772*cb)
			}
		}
	}
	// DC level shift, clamping and placement.
	for c := range t.comps {
		tc := &t.comps[c]
		comp := &cs.siz.comps[c]
		w, h := tc.x1-tc.x0, tc.y1-tc.y0
		if w <= 0 || h <= 0 {
			continue
		}
		var shift, lo, hi int64
		if comp.signed {
			lo, hi = -(1 << (comp.prec - 1)), 1<<(comp.prec-1)-1
		} else {
			shift, lo, hi = 1<<(comp.prec-1), 0, 1<<comp.prec-1
		}
		p := &planes[c]
		for y := 0; y < h; y++ {
			dst := p.pix[(tc.y0-p.y0+y)*p.w+tc.x0-p.x0:][:w]
			if ibufs[c] != nil {
				for x, v := range ibufs[c][y*w : (y+1)*w] {
					dst[x] = int32(min(hi, max(lo, int64(v)+shift)))
				}
			} else {
				for x, v := range fbufs[c][y*w : (y+1)*w] {
					f := math.RoundToEven(float64(v))
					f = min(float64(hi), max(float64(lo), f+float64(shift)))
					dst[x] = int32(f)
				}
			}
		}
	}
	return nil
}

// toImage converts the decoded planes to an image.
func (cs *codestream) toImage(planes []plane, colorSpace int) image.Image {
	s := &cs.siz
	w, h := s.x1-s.x0, s.y1-s.y0
	rect := image.Rect(0, 0, w, h)
	nc := len(planes)
	prec := s.comps[0].prec
	// sample returns component c at image pixel (x, y), scaled to bits.
	sample := func(c, x, y int, bits uint) uint32 {
		comp := &s.comps[c]
		p := &planes[c]
		if p.w <= 0 || p.h <= 0 {
			return 0
		}
		px := (s.x0+x)/comp.dx - p.x0
		py := (s.y0+y)/comp.dy - p.y0
		px = min(max(px, 0), p.w-1)
		py = min(max(py, 0), p.h-1)
		v := int64(p.pix[py*p.w+px])
		if comp.signed {
			v += 1 << (comp.prec - 1)
		}
		return scale(uint64(v), uint(comp.prec), bits)
	}
	// Fast path: 8-bit unsigned samples on the full grid.
	simple := true
	for c := 0; c < min(nc, 3); c++ {
		comp := &s.comps[c]
		if comp.prec != 8 || comp.signed || comp.dx != 1 || comp.dy != 1 {
			simple = false
		}
	}
	if simple && nc < 3 {
		img := image.NewGray(rect)
		for i, v := range planes[0].pix {
			img.Pix[i] = uint8(v)
		}
		return img
	}
	if simple && nc == 3 && !(colorSpace == 18 && cs.main.mct == 0) {
		img := image.NewRGBA(rect)
		r, g, b := planes[0].pix, planes[1].pix, planes[2].pix
		for i := range r {
			img.Pix[4*i] = uint8(r[i])
			img.Pix[4*i+1] = uint8(g[i])
			img.Pix[4*i+2] = uint8(b[i])
			img.Pix[4*i+3] = 0xff
		}
		return img
	}
	if nc < 3 {
		if prec <= 8 {
			img := image.NewGray(rect)
			for y := 0; y < h; y++ {
				row := img.Pix[y*img.Stride:]
				for x := 0; x < w; x++ {
					row[x] = uint8(sample(0, x, y, 8))
				}
			}
			return img
		}
		img := image.NewGray16(rect)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				img.SetGray16(x, y, color.Gray16{Y: uint16(sample(0, x, y, 16))})
			}
		}
		return img
	}
	ycc := colorSpace == 18 && cs.main.mct == 0
	if nc >= 4 {
		// The fourth component is taken as opacity (straight alpha), as
		// OpenJPEG does for RGBA output.
		if prec <= 8 {
			img := image.NewNRGBA(rect)
			for y := 0; y < h; y++ {
				row := img.Pix[y*img.Stride:]
				for x := 0; x < w; x++ {
					r, g, b := sample(0, x, y, 16), sample(1, x, y, 16), sample(2, x, y, 16)
					if ycc {
						r, g, b = yccToRGB16(r, g, b)
					}
					row[4*x] = uint8((r + 128) / 257)
					row[4*x+1] = uint8((g + 128) / 257)
					row[4*x+2] = uint8((b + 128) / 257)
					row[4*x+3] = uint8(sample(3, x, y, 8))
				}
			}
			return img
		}
		img := image.NewNRGBA64(rect)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, b := sample(0, x, y, 16), sample(1, x, y, 16), sample(2, x, y, 16)
				if ycc {
					r, g, b = yccToRGB16(r, g, b)
				}
				img.SetNRGBA64(x, y, color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(sample(3, x, y, 16))})
			}
		}
		return img
	}
	if prec <= 8 && !ycc {
		img := image.NewRGBA(rect)
		for y := 0; y < h; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < w; x++ {
				row[4*x] = uint8(sample(0, x, y, 8))
				row[4*x+1] = uint8(sample(1, x, y, 8))
				row[4*x+2] = uint8(sample(2, x, y, 8))
				row[4*x+3] = 0xff
			}
		}
		return img
	}
	img := image.NewRGBA64(rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b := sample(0, x, y, 16), sample(1, x, y, 16), sample(2, x, y, 16)
			if ycc {
				r, g, b = yccToRGB16(r, g, b)
			}
			img.SetRGBA64(x, y, color.RGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: 0xffff})
		}
	}
	if ycc && prec <= 8 {
		out := image.NewRGBA(rect)
		for i := 0; i < len(out.Pix); i += 4 {
			out.Pix[i] = img.Pix[2*i]
			out.Pix[i+1] = img.Pix[2*i+2]
			out.Pix[i+2] = img.Pix[2*i+4]
			out.Pix[i+3] = 0xff
		}
		return out
	}
	return img
}

// scale rescales v from prec bits to bits, rounding.
func scale(v uint64, prec, bits uint) uint32 {
	if prec == bits {
		return uint32(v)
	}
	maxIn := uint64(1)<<prec - 1
	maxOut := uint64(1)<<bits - 1
	return uint32((v*maxOut + maxIn/2) / maxIn)
}

// yccToRGB16 converts 16-bit sYCC (colr enumerated colour space 18, no
// codestream component transform) to RGB.
func yccToRGB16(y, cb, cr uint32) (r, g, b uint32) {
	fy := float64(y)
	fcb := float64(cb) - 32768
	fcr := float64(cr) - 32768
	c := func(v float64) uint32 { return uint32(min(65535, max(0, math.Round(v)))) }
	return c(fy + float64(1.402*fcr)), c(fy - float64(0.344136*fcb) - float64(0.714136*fcr)), c(fy + float64(1.772*fcb))
}

// blockJob is one code-block to decode and dequantise into its tile
// component buffer.
type blockJob struct {
	cb    *codeblock
	b     *band
	style byte
	roi   int // region of interest max-shift
	w     int // row stride of the buffer
	base  int // buffer index of the code-block's top-left sample
	ibuf  []int32
	fbuf  []float32
}

// runBlocks decodes the code-blocks of jobs, spread over GOMAXPROCS
// goroutines when there are enough of them; the blocks write disjoint
// parts of their buffers.
func runBlocks(jobs []blockJob, dec *t1) {
	workers := min(runtime.GOMAXPROCS(0), len(jobs)/4)
	if workers <= 1 {
		for i := range jobs {
			jobs[i].run(dec)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		d := dec
		if k > 0 {
			d = &t1{}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				jobs[i].run(d)
			}
		}()
	}
	wg.Wait()
}

func (j *blockJob) run(dec *t1) {
	cb, b, w := j.cb, j.b, j.w
	dec.decodeBlock(cb, b.orient, j.style, j.roi)
	cw := cb.x1 - cb.x0
	if j.roi > 0 {
		// Max-shift ROI (T.800 Annex H): coefficients with a bit at or
		// above bit-plane s belong to the region and are scaled back; in
		// the doubled representation that is a value >= 2^(s+1).
		thr := int32(2) << j.roi
		for i, m := range dec.data {
			if m >= thr {
				dec.data[i] = m >> j.roi
			}
		}
	}
	for y := 0; y < cb.y1-cb.y0; y++ {
		row := j.base + y*w
		src := dec.data[y*cw : (y+1)*cw]
		fl := dec.flags[(y+1)*dec.stride+1:]
		if j.ibuf != nil {
			dst := j.ibuf[row : row+cw]
			for x, m := range src {
				v := m >> 1
				if fl[x]&fNeg != 0 {
					v = -v
				}
				dst[x] = v
			}
		} else {
			dst := j.fbuf[row : row+cw]
			st := b.step * 0.5
			for x, m := range src {
				v := float32(m) * st
				if fl[x]&fNeg != 0 {
					v = -v
				}
				dst[x] = v
			}
		}
	}
}
