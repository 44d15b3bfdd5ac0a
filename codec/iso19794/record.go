package iso19794

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"

	"github.com/biogate/biogate/codec/jpeg2000"
	"github.com/biogate/biogate/codec/wsq"
)

// FormatError reports a malformed record.
type FormatError string

// Error implements the error interface.
func (e FormatError) Error() string { return "iso19794: invalid format: " + string(e) }

// UnsupportedError reports a record type, version or image encoding that this
// package does not handle.
type UnsupportedError string

// Error implements the error interface.
func (e UnsupportedError) Error() string { return "iso19794: unsupported feature: " + string(e) }

// Modality is the kind of record.
type Modality int

// Record kinds.
const (
	Finger Modality = iota + 1 // ISO/IEC 19794-4 finger image record ("FIR")
	Face                       // ISO/IEC 19794-5 face image record ("FAC")
)

// String returns the name of the value.
func (m Modality) String() string {
	switch m {
	case Finger:
		return "finger"
	case Face:
		return "face"
	}
	return "Modality(" + strconv.Itoa(int(m)) + ")"
}

// Format is the encoding of an image inside a record.
type Format int

// Image encodings.
const (
	FormatUnknown   Format = iota
	FormatRaw              // uncompressed, one sample per byte or two
	FormatRawPacked        // uncompressed, bit-packed samples
	FormatWSQ
	FormatJPEG
	FormatJPEG2000
	FormatPNG
)

var formatNames = [...]string{"unknown", "raw", "raw-packed", "wsq", "jpeg", "jpeg2000", "png"}

// String returns the name of the value.
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Position is a finger or palm position code (ISO/IEC 19794-4 Table 4,
// ANSI/NIST-ITL Table 8): 0 unknown, 1 right thumb ... 10 left little
// finger, 11-15 plain (slap) captures, larger codes palms and multiple
// fingers.
type Position uint8

var positionNames = [...]string{"unknown", "right thumb", "right index", "right middle", "right ring", "right little",
	"left thumb", "left index", "left middle", "left ring", "left little",
	"plain right thumb", "plain left thumb", "plain right four fingers", "plain left four fingers", "plain thumbs"}

// String returns the name of the value.
func (p Position) String() string {
	if int(p) < len(positionNames) {
		return positionNames[p]
	}
	return "position " + strconv.Itoa(int(p))
}

// Quality is one quality block: a score 0-100 (255 when it failed) from a
// quality algorithm identified by vendor and algorithm IDs (CBEFF).
type Quality struct {
	Score     int
	Vendor    uint16
	Algorithm uint16
}

// Landmark is a face feature point (ISO/IEC 19794-5 §5.6).
type Landmark struct {
	Type, Code uint8
	X, Y, Z    int
}

// Image is one image of a record with its metadata.
type Image struct {
	// Data is the encoded image exactly as stored in the record.
	Data []byte
	// Format is the encoding of Data: from the record's compression code,
	// corrected by the signature of Data where the two disagree.
	Format Format
	// Code is the record's raw compression (finger) or image data type
	// (face) code.
	Code int
	// Width and Height are the size in pixels the record declares.
	Width, Height int
	// BitDepth is the declared bits per pixel (finger records; 0 if unknown).
	BitDepth int
	// PPI is the image's horizontal and vertical resolution in pixels per
	// inch as the record states it; zero when the record has none (face
	// records).
	PPI [2]float64
	// ScanPPI is the capture device's scan resolution (finger records).
	ScanPPI [2]float64
	// Position is the finger position (finger records).
	Position Position
	// View is the view or representation number.
	View int
	// Impression is the impression type code (0 live-scan plain,
	// 1 live-scan rolled, 2 non-live plain, 3 non-live rolled, ...).
	Impression int
	// Quality holds the quality blocks (2011 editions) or the single
	// quality value of a 2005 finger view (Vendor and Algorithm 0).
	Quality []Quality
	// FaceImageType is the face image type (0 basic, 1 full frontal,
	// 2 token frontal, ...) of face records.
	FaceImageType int
	// Landmarks are the face feature points of face records.
	Landmarks []Landmark
}

// Record is a parsed ISO/IEC 19794-4 or 19794-5 record.
type Record struct {
	Modality Modality
	// Version is the record's version string: "010" (2005), "020"
	// (19794-4:2011), "030" (19794-5:2011), or "39794" for an ISO/IEC
	// 39794-4 or -5 (2019) record.
	Version string
	// ANSI is true for an ANSI/INCITS 381-2004 finger record, which
	// differs from ISO/IEC 19794-4:2005 by a 4-byte CBEFF product ID.
	ANSI bool
	// Images are the images of the record in order.
	Images []Image
}

// Decode reads a whole record from r and parses it.
func Decode(r io.Reader) (*Record, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRecord+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRecord {
		return nil, UnsupportedError("record larger than 1 GiB")
	}
	return Parse(data)
}

const maxRecord = 1 << 30

// Parse parses a record held in memory. The images' Data slices alias data.
func Parse(data []byte) (*Record, error) {
	if !bytes.HasPrefix(data, []byte("FIR\x00")) && !bytes.HasPrefix(data, []byte("FAC\x00")) && is39794(data) {
		return parse39794(data)
	}
	if len(data) < 8 {
		return nil, FormatError("too short for a record header")
	}
	magic, version := string(data[:4]), string(data[4:8])
	if version[3] != 0 {
		return nil, FormatError("bad version field")
	}
	version = version[:3]
	switch {
	case magic == "FIR\x00" && version == "010":
		return parseFinger2005(data)
	case magic == "FIR\x00" && version == "020":
		return parseFinger2011(data)
	case magic == "FAC\x00" && version == "010":
		return parseFace2005(data)
	case magic == "FAC\x00" && version == "030":
		return parseFace2011(data)
	case magic == "FIR\x00" || magic == "FAC\x00":
		return nil, UnsupportedError("record version " + strconv.Quote(version))
	}
	return nil, FormatError("not an ISO/IEC 19794-4 or -5 record")
}

// reader is a bounds-checked big-endian reader.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || r.off+n > len(r.b) {
		r.err = FormatError("truncated record")
		return false
	}
	return true
}

func (r *reader) u8() int {
	if !r.need(1) {
		return 0
	}
	r.off++
	return int(r.b[r.off-1])
}

func (r *reader) u16() int {
	if !r.need(2) {
		return 0
	}
	r.off += 2
	return int(binary.BigEndian.Uint16(r.b[r.off-2:]))
}

func (r *reader) u32() int64 {
	if !r.need(4) {
		return 0
	}
	r.off += 4
	return int64(binary.BigEndian.Uint32(r.b[r.off-4:]))
}

func (r *reader) u48() int64 {
	if !r.need(6) {
		return 0
	}
	r.off += 6
	return int64(binary.BigEndian.Uint16(r.b[r.off-6:]))<<32 | int64(binary.BigEndian.Uint32(r.b[r.off-4:]))
}

// qualities reads a 2011-edition quality block: a count, then for each a
// score, a vendor ID and an algorithm ID.
func (r *reader) qualities() []Quality {
	n := r.u8()
	var qs []Quality
	for j := 0; j < n; j++ {
		qs = append(qs, Quality{Score: r.u8(), Vendor: uint16(r.u16()), Algorithm: uint16(r.u16())})
	}
	return qs
}

func (r *reader) skip(n int) {
	if r.need(n) {
		r.off += n
	}
}

func (r *reader) bytes(n int64) []byte {
	if n > int64(len(r.b)) || !r.need(int(n)) {
		r.err = FormatError("image data extends past the record")
		return nil
	}
	r.off += int(n)
	return r.b[r.off-int(n) : r.off]
}

// ppi converts a resolution in the record's scale units (1 ppi, 2 ppcm).
func ppi(v, units int) float64 {
	if units == 2 {
		return float64(v) * 2.54
	}
	return float64(v)
}

// fingerFormat maps a finger compression code of the given edition.
func fingerFormat(code int, v2011 bool) Format {
	switch code {
	case 0:
		return FormatRaw
	case 1:
		return FormatRawPacked
	case 2:
		return FormatWSQ
	case 3:
		return FormatJPEG
	case 4:
		return FormatJPEG2000
	case 5:
		if v2011 {
			return FormatJPEG2000 // JPEG 2000 lossless
		}
		return FormatPNG
	case 6:
		if v2011 {
			return FormatPNG
		}
	}
	return FormatUnknown
}

// sniff returns the format a signature announces, or FormatUnknown.
func sniff(b []byte) Format {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xA0, 0xFF}):
		return FormatWSQ
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8}):
		return FormatJPEG
	case bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")), bytes.HasPrefix(b, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		return FormatJPEG2000
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	}
	return FormatUnknown
}

// settle fixes im.Format from the data's signature for compressed formats.
func (im *Image) settle() {
	if s := sniff(im.Data); s != FormatUnknown && im.Format != FormatRaw && im.Format != FormatRawPacked {
		im.Format = s
	}
}

const maxImages = 1 << 12

func parseFinger2005(data []byte) (*Record, error) {
	rec, err := parseFinger2005Layout(data, false)
	if err == nil {
		return rec, nil
	}
	if rec2, err2 := parseFinger2005Layout(data, true); err2 == nil {
		return rec2, nil
	}
	return nil, err
}

// parseFinger2005Layout parses ISO/IEC 19794-4:2005, or ANSI/INCITS 381-2004
// when ansi is set.
func parseFinger2005Layout(data []byte, ansi bool) (*Record, error) {
	r := &reader{b: data, off: 8}
	total := r.u48()
	if ansi {
		r.skip(4) // CBEFF product identifier
	}
	r.skip(2 + 2) // capture device ID, image acquisition level
	n := r.u8()
	units := r.u8()
	scanH, scanV := r.u16(), r.u16()
	imgH, imgV := r.u16(), r.u16()
	depth := r.u8()
	code := r.u8()
	r.skip(2)
	if r.err != nil {
		return nil, r.err
	}
	if total != int64(len(data)) {
		return nil, FormatError("record length " + strconv.FormatInt(total, 10) + " differs from data length " + strconv.Itoa(len(data)))
	}
	rec := &Record{Modality: Finger, Version: "010", ANSI: ansi}
	for i := 0; i < n; i++ {
		start := r.off
		length := r.u32()
		pos := r.u8()
		r.skip(1) // count of views
		view := r.u8()
		quality := r.u8()
		imp := r.u8()
		w, h := r.u16(), r.u16()
		r.skip(1)
		if r.err != nil {
			return nil, r.err
		}
		if length < 14 || int64(start)+length > int64(len(data)) {
			return nil, FormatError("bad finger view length")
		}
		im := Image{
			Data: r.bytes(length - 14), Format: fingerFormat(code, false), Code: code,
			Width: w, Height: h, BitDepth: depth,
			PPI: [2]float64{ppi(imgH, units), ppi(imgV, units)}, ScanPPI: [2]float64{ppi(scanH, units), ppi(scanV, units)},
			Position: Position(pos), View: view, Impression: imp,
			Quality: []Quality{{Score: quality}},
		}
		im.settle()
		rec.Images = append(rec.Images, im)
	}
	if r.err != nil {
		return nil, r.err
	}
	if n == 0 || r.off != len(data) {
		return nil, FormatError("finger views do not fill the record")
	}
	return rec, nil
}

func parseFinger2011(data []byte) (*Record, error) {
	r := &reader{b: data, off: 8}
	total := r.u32()
	n := r.u16()
	cert := r.u8()
	r.skip(1) // number of distinct finger/palm positions
	if r.err != nil {
		return nil, r.err
	}
	if total > int64(len(data)) {
		return nil, FormatError("record length exceeds the data")
	}
	if n > maxImages {
		return nil, UnsupportedError("too many representations")
	}
	rec := &Record{Modality: Finger, Version: "020"}
	for i := 0; i < n; i++ {
		start := r.off
		length := r.u32()
		r.skip(9)     // capture date and time
		r.skip(1 + 4) // device technology, vendor and type IDs
		qs := r.qualities()
		if cert != 0 {
			nc := r.u8()
			r.skip(3 * nc)
		}
		pos := r.u8()
		view := r.u8()
		units := r.u8()
		scanH, scanV := r.u16(), r.u16()
		imgH, imgV := r.u16(), r.u16()
		depth := r.u8()
		code := r.u8()
		imp := r.u8()
		w, h := r.u16(), r.u16()
		size := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		if length < int64(r.off-start) || int64(start)+length > int64(len(data)) {
			return nil, FormatError("bad representation length")
		}
		im := Image{
			Data: r.bytes(size), Format: fingerFormat(code, true), Code: code,
			Width: w, Height: h, BitDepth: depth,
			PPI: [2]float64{ppi(imgH, units), ppi(imgV, units)}, ScanPPI: [2]float64{ppi(scanH, units), ppi(scanV, units)},
			Position: Position(pos), View: view, Impression: imp, Quality: qs,
		}
		if r.err != nil {
			return nil, r.err
		}
		if int64(r.off-start) > length {
			return nil, FormatError("image data extends past its representation")
		}
		im.settle()
		rec.Images = append(rec.Images, im)
		r.off = start + int(length) // skip extended data blocks
	}
	return rec, nil
}

// faceFormat maps a face image data type code.
func faceFormat(code int, v2011 bool) Format {
	switch code {
	case 0:
		return FormatJPEG
	case 1, 2:
		if code == 2 && !v2011 {
			break
		}
		return FormatJPEG2000
	case 3:
		if v2011 {
			return FormatPNG
		}
	}
	return FormatUnknown
}

func parseFace2005(data []byte) (*Record, error) {
	r := &reader{b: data, off: 8}
	total := r.u32()
	n := r.u16()
	if r.err != nil {
		return nil, r.err
	}
	if total > int64(len(data)) {
		return nil, FormatError("record length exceeds the data")
	}
	rec := &Record{Modality: Face, Version: "010"}
	for i := 0; i < n; i++ {
		start := r.off
		length := r.u32()
		nfp := r.u16()
		r.skip(1 + 1 + 1 + 3 + 2 + 3 + 3) // gender, eyes, hair, mask, expression, pose, uncertainty
		lms := readLandmarks(r, nfp, false)
		ftype := r.u8()
		code := r.u8()
		w, h := r.u16(), r.u16()
		r.skip(1 + 1 + 2) // colour space, source type, device type
		q := r.u16()
		if r.err != nil {
			return nil, r.err
		}
		hdr := int64(r.off - start)
		if length < hdr || int64(start)+length > int64(len(data)) {
			return nil, FormatError("bad facial record length")
		}
		im := Image{
			Data: r.bytes(length - hdr), Format: faceFormat(code, false), Code: code,
			Width: w, Height: h, FaceImageType: ftype, Landmarks: lms,
			Quality: []Quality{{Score: q}},
		}
		im.settle()
		rec.Images = append(rec.Images, im)
	}
	if r.err != nil {
		return nil, r.err
	}
	return rec, nil
}

func readLandmarks(r *reader, n int, v2011 bool) []Landmark {
	var lms []Landmark
	for j := 0; j < n && r.err == nil; j++ {
		lm := Landmark{Type: uint8(r.u8()), Code: uint8(r.u8()), X: r.u16(), Y: r.u16()}
		if v2011 {
			lm.Z = r.u16()
		} else {
			r.skip(2)
		}
		lms = append(lms, lm)
	}
	return lms
}

func parseFace2011(data []byte) (*Record, error) {
	r := &reader{b: data, off: 8}
	total := r.u32()
	n := r.u16()
	r.skip(1 + 2) // certification flag, temporal semantics
	if r.err != nil {
		return nil, r.err
	}
	if total > int64(len(data)) {
		return nil, FormatError("record length exceeds the data")
	}
	if n > maxImages {
		return nil, UnsupportedError("too many representations")
	}
	rec := &Record{Modality: Face, Version: "030"}
	for i := 0; i < n; i++ {
		start := r.off
		length := r.u32()
		r.skip(9 + 1 + 2 + 2) // date, device technology, vendor, type
		qs := r.qualities()
		nlm := r.u16()
		r.skip(15) // gender ... pose uncertainty
		lms := readLandmarks(r, nlm, true)
		ftype := r.u8()
		code := r.u8()
		w, h := r.u16(), r.u16()
		r.skip(1 + 2 + 1 + 1) // sampling rate level, post-processing, cross reference, colour space
		if r.err != nil {
			return nil, r.err
		}
		hdr := int64(r.off - start)
		if length < hdr || int64(start)+length > int64(len(data)) {
			return nil, FormatError("bad representation length")
		}
		im := Image{
			Data: r.bytes(length - hdr), Format: faceFormat(code, true), Code: code,
			Width: w, Height: h, FaceImageType: ftype, Landmarks: lms, Quality: qs,
		}
		im.settle()
		rec.Images = append(rec.Images, im)
	}
	if r.err != nil {
		return nil, r.err
	}
	return rec, nil
}

// Decode decodes the image with codec/wsq, codec/jpeg2000, image/jpeg or
// image/png; raw 8-bit images become *image.Gray and deeper ones
// *image.Gray16.
func (im *Image) Decode() (image.Image, error) {
	switch im.Format {
	case FormatWSQ:
		return wsq.Decode(bytes.NewReader(im.Data))
	case FormatJPEG:
		return jpeg.Decode(bytes.NewReader(im.Data))
	case FormatPNG:
		return png.Decode(bytes.NewReader(im.Data))
	case FormatJPEG2000:
		return jpeg2000.Decode(bytes.NewReader(im.Data))
	case FormatRaw:
		return im.decodeRaw()
	case FormatRawPacked:
		if im.BitDepth == 8 {
			return im.decodeRaw()
		}
		return nil, UnsupportedError("bit-packed raw image of depth " + strconv.Itoa(im.BitDepth))
	}
	return nil, UnsupportedError(fmt.Sprintf("image encoding code %d", im.Code))
}

// DecodeConfig returns the size and colour model of the image from its
// encoded header (for raw images, from the record).
func (im *Image) DecodeConfig() (image.Config, error) {
	switch im.Format {
	case FormatWSQ:
		return wsq.DecodeConfig(bytes.NewReader(im.Data))
	case FormatJPEG:
		return jpeg.DecodeConfig(bytes.NewReader(im.Data))
	case FormatPNG:
		return png.DecodeConfig(bytes.NewReader(im.Data))
	case FormatJPEG2000:
		return jpeg2000.DecodeConfig(bytes.NewReader(im.Data))
	case FormatRaw, FormatRawPacked:
		m := color.Model(color.GrayModel)
		if im.BitDepth > 8 {
			m = color.Gray16Model
		}
		return image.Config{ColorModel: m, Width: im.Width, Height: im.Height}, nil
	}
	return image.Config{}, UnsupportedError(fmt.Sprintf("image encoding code %d", im.Code))
}

func (im *Image) decodeRaw() (image.Image, error) {
	w, h := im.Width, im.Height
	if w <= 0 || h <= 0 || int64(w)*int64(h) > 1<<28 {
		return nil, FormatError("bad raw image size")
	}
	switch {
	case im.BitDepth == 8 || im.BitDepth == 0:
		if len(im.Data) < w*h {
			return nil, FormatError("raw image data shorter than width × height")
		}
		g := image.NewGray(image.Rect(0, 0, w, h))
		copy(g.Pix, im.Data)
		return g, nil
	case im.BitDepth > 8 && im.BitDepth <= 16:
		if len(im.Data) < 2*w*h {
			return nil, FormatError("raw image data shorter than 2 × width × height")
		}
		g := image.NewGray16(image.Rect(0, 0, w, h))
		shift := 16 - im.BitDepth
		for i := 0; i < w*h; i++ {
			v := binary.BigEndian.Uint16(im.Data[2*i:]) << shift
			binary.BigEndian.PutUint16(g.Pix[2*i:], v)
		}
		return g, nil
	}
	return nil, UnsupportedError("raw image of depth " + strconv.Itoa(im.BitDepth))
}
