package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"strings"
	"sync"

	_ "github.com/biogate/biogate/codec" // register every decoder
	"github.com/biogate/biogate/codec/iso19794"
	"github.com/biogate/biogate/codec/jpeg2000"
	"github.com/biogate/biogate/codec/pnm"
	"github.com/biogate/biogate/codec/ppi"
	"github.com/biogate/biogate/codec/wsq"
)

// Sentinel kinds of load failure, for errors.Is.
var (
	ErrUnsupportedFormat = errors.New("unsupported or unrecognised image format")
	ErrTooLarge          = errors.New("image too large")
	ErrTooSmall          = errors.New("image too small")
	ErrCorrupt           = errors.New("corrupt or truncated image")
	ErrEmpty             = errors.New("empty file")
	ErrNotRegular        = errors.New("not a regular file")
)

// Error is a failure to load one file, or one image of a record.
type Error struct {
	// Path is the file as given by the caller.
	Path string
	// Kind is one of the sentinel errors of this package.
	Kind error
	// Detail says more, without image content.
	Detail string
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := e.Path + ": " + e.Kind.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Options bounds what is loaded. A nil *Options means the defaults.
type Options struct {
	// MaxPixels is the largest width×height decoded; 0 means
	// DefaultMaxPixels. Larger images fail with ErrTooLarge before any
	// pixel memory is allocated.
	MaxPixels int
	// MaxFileBytes is the largest file read; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// MinSide is the smallest width or height accepted; 0 means 1.
	MinSide int
	// AllowSpecial lets File read named pipes, devices and sockets, which
	// it otherwise refuses with ErrNotRegular (standard input is always
	// read).
	AllowSpecial bool
	// LimitHint, when set, ends the detail of an ErrTooLarge error for
	// MaxPixels: how the caller's user raises the limit, for example
	// "raise it with -max-pixels".
	LimitHint string
}

// Defaults for Options.
const (
	DefaultMaxPixels    = 64 << 20  // 67 megapixels
	DefaultMaxFileBytes = 256 << 20 // 256 MiB
)

func (o *Options) maxPixels() int {
	if o == nil || o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

func (o *Options) maxFileBytes() int64 {
	if o == nil || o.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return o.MaxFileBytes
}

func (o *Options) allowSpecial() bool { return o != nil && o.AllowSpecial }

func (o *Options) minSide() int {
	if o == nil || o.MinSide <= 0 {
		return 1
	}
	return o.MinSide
}

// Image is one decoded image with what is known about it.
type Image struct {
	// Image is the decoded image; nil when Err is set.
	Image image.Image
	// Err says why this image of a record could not be decoded; the other
	// images of the record are still usable. Always nil for plain files,
	// whose failures are returned by File and Bytes.
	Err error
	// Format is the format name, as its decoder registers it or the
	// record declares it: "png", "jpeg", "gif", "bmp", "tiff", "webp",
	// "wsq", "jpeg2000" (a JP2 file, or a JPEG 2000 image in a record),
	// "j2k" (a raw JPEG 2000 codestream), "pbm", "pgm", "ppm", or "raw"
	// (a record's uncompressed image).
	Format string
	// PPI is the resolution in pixels per inch that the file (or record)
	// declares, 0 when it declares none or only a software default
	// (72 or 96 ppi, which says nothing about the capture).
	PPI float64
	// Data is the encoded image, kept for measures that read the encoding
	// itself (for example JPEG quantisation tables).
	Data []byte
	// Record describes the record the image came from, nil for a plain
	// image file.
	Record *Record
	// Warnings lists what is doubtful about the image without stopping
	// its assessment, in words for the operator: for example a record
	// whose encoded image declares another resolution than the record
	// (PPI is then the record's). Nil when there is nothing to say.
	Warnings []string
}

// Record locates an image inside an ISO/IEC 19794 or 39794 record.
type Record struct {
	// Kind is "finger" or "face"; Version is the record's version
	// ("010", "020", "030" or "39794").
	Kind    string `json:"kind"`
	Version string `json:"version"`
	// Index is the image's position in the record, from 0; Count is the
	// number of images in the record.
	Index int `json:"index"`
	Count int `json:"count"`
	// Position is the finger position (finger records), e.g.
	// "right index".
	Position string `json:"position,omitempty"`
	// Impression is the impression type code (finger records).
	Impression int `json:"impression"`
}

// Stdin is the path that File and FileContext read as standard input.
const Stdin = "-"

// File reads and decodes the image file or biometric record at path
// (standard input for Stdin). A record gives one Image per contained
// image. Named pipes, devices and sockets are refused with ErrNotRegular
// unless Options.AllowSpecial is set, standard input excepted.
func File(path string, opts *Options) ([]*Image, error) {
	return FileContext(context.Background(), path, opts)
}

// FileContext is File, returning ctx's error as soon as ctx is done even
// while a read is blocked (a pipe whose writer sends nothing). The blocked
// read is abandoned: the file is closed, except standard input and a named
// pipe still waiting for its writer to open it, whose read ends when data
// or the end of the input arrives.
func FileContext(ctx context.Context, path string, opts *Options) ([]*Image, error) {
	data, err := readFile(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	return Bytes(path, data, opts)
}

// readFile reads the file at path within the limits of opts.
func readFile(ctx context.Context, path string, opts *Options) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if path != Stdin {
		// Stat, not Open: opening a named pipe blocks until a writer
		// opens it.
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		switch {
		case st.IsDir():
			return nil, &Error{Path: path, Kind: ErrUnsupportedFormat, Detail: "is a directory"}
		case st.Size() > opts.maxFileBytes():
			return nil, &Error{Path: path, Kind: ErrTooLarge, Detail: fmt.Sprintf("file is %d bytes, limit %d", st.Size(), opts.maxFileBytes())}
		case !st.Mode().IsRegular() && !opts.allowSpecial() && !isStdin(st):
			return nil, &Error{Path: path, Kind: ErrNotRegular, Detail: fmt.Sprintf("a %s, whose reading may never end", specialKind(st.Mode()))}
		}
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	var (
		mu        sync.Mutex
		open      *os.File
		abandoned bool
	)
	stdin := path == Stdin
	go func() {
		var f *os.File
		if stdin {
			f = os.Stdin
		} else {
			var err error
			if f, err = os.Open(path); err != nil {
				done <- result{err: err}
				return
			}
			defer f.Close()
		}
		mu.Lock()
		if abandoned {
			mu.Unlock()
			return
		}
		open = f
		mu.Unlock()
		data, err := io.ReadAll(io.LimitReader(f, opts.maxFileBytes()+1))
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		if int64(len(r.data)) > opts.maxFileBytes() {
			return nil, &Error{Path: path, Kind: ErrTooLarge, Detail: fmt.Sprintf("more than %d bytes", opts.maxFileBytes())}
		}
		return r.data, nil
	case <-ctx.Done():
		mu.Lock()
		abandoned = true
		if open != nil && !stdin {
			open.Close() // ends a read blocked on a pipe
		}
		mu.Unlock()
		return nil, ctx.Err()
	}
}

// isStdin reports whether st is the process's standard input (/dev/stdin).
func isStdin(st os.FileInfo) bool {
	in, err := os.Stdin.Stat()
	return err == nil && os.SameFile(st, in)
}

// specialKind names a non-regular file's type.
func specialKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// Bytes decodes an image file or biometric record held in memory; name is
// used in errors.
func Bytes(name string, data []byte, opts *Options) ([]*Image, error) {
	if len(data) == 0 {
		return nil, &Error{Path: name, Kind: ErrEmpty}
	}
	if rec, ok, err := asRecord(data); ok {
		return record(name, rec, err, opts)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, headerError(name, err)
	}
	if err := CheckSize(name, cfg.Width, cfg.Height, opts); err != nil {
		return nil, err
	}
	m, err := safeDecode(name, format, func() (image.Image, error) {
		m, _, err := image.Decode(bytes.NewReader(data))
		return m, err
	})
	if err != nil {
		return nil, err
	}
	b := m.Bounds()
	if err := CheckSize(name, b.Dx(), b.Dy(), opts); err != nil {
		return nil, err
	}
	return []*Image{{Image: m, Format: format, PPI: declaredPPI(data, ""), Data: data}}, nil
}

// safeDecode runs decode, turning a decoder's error or panic into an
// *Error: a panic in a decoder must never escape to a capture station.
func safeDecode(name, format string, decode func() (image.Image, error)) (m image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, &Error{Path: name, Kind: ErrCorrupt, Detail: fmt.Sprintf("%s decoder failed: %v", format, r)}
		}
	}()
	m, err = decode()
	if err != nil {
		kind := ErrCorrupt
		switch {
		case tooLarge(err):
			kind = ErrTooLarge
		case unsupported(err):
			kind = ErrUnsupportedFormat
		}
		detail := err.Error()
		if !strings.HasPrefix(detail, format+": ") {
			// Most decoders already name themselves ("png: invalid format").
			detail = format + ": " + detail
		}
		return nil, &Error{Path: name, Kind: kind, Detail: detail}
	}
	if m == nil || m.Bounds().Empty() {
		return nil, &Error{Path: name, Kind: ErrEmpty, Detail: format + ": no pixels"}
	}
	return m, nil
}

// headerError classifies a failure to read an image header.
func headerError(name string, err error) error {
	switch {
	case errors.Is(err, image.ErrFormat):
		return &Error{Path: name, Kind: ErrUnsupportedFormat}
	case tooLarge(err):
		return &Error{Path: name, Kind: ErrTooLarge, Detail: err.Error()}
	case unsupported(err):
		return &Error{Path: name, Kind: ErrUnsupportedFormat, Detail: err.Error()}
	}
	return &Error{Path: name, Kind: ErrCorrupt, Detail: "header: " + err.Error()}
}

// tooLarge reports whether err is a decoder refusing an image over its own
// size limit ("image of 9000x9000 … is larger than this decoder's limit").
func tooLarge(err error) bool {
	return unsupported(err) && strings.Contains(err.Error(), "larger than")
}

// unsupported reports whether err is a decoder's "valid but not
// implemented" error rather than a sign of corruption.
func unsupported(err error) bool {
	var (
		e1 wsq.UnsupportedError
		e2 jpeg2000.UnsupportedError
		e3 pnm.UnsupportedError
		e4 iso19794.UnsupportedError
		e5 jpeg.UnsupportedError
		e6 png.UnsupportedError
	)
	return errors.As(err, &e1) || errors.As(err, &e2) || errors.As(err, &e3) ||
		errors.As(err, &e4) || errors.As(err, &e5) || errors.As(err, &e6)
}

// asRecord parses data as a biometric record when it is one: an ISO/IEC
// 19794 record (recognised by its signature, parsed even when malformed so
// that the error can be reported) or an ISO/IEC 39794 record (which has no
// signature, so only a successful parse counts). ok is false for anything
// else.
func asRecord(data []byte) (rec *iso19794.Record, ok bool, err error) {
	if ppi.Sniff(data) == "iso19794" {
		rec, err = iso19794.Parse(data)
		return rec, true, err
	}
	if data[0] != 0x64 && data[0] != 0x65 && data[0]&0xE0 != 0x60 {
		return nil, false, nil
	}
	rec, err = iso19794.Parse(data)
	return rec, err == nil, nil
}

func record(name string, rec *iso19794.Record, err error, opts *Options) ([]*Image, error) {
	if err != nil {
		if unsupported(err) {
			return nil, &Error{Path: name, Kind: ErrUnsupportedFormat, Detail: err.Error()}
		}
		return nil, &Error{Path: name, Kind: ErrCorrupt, Detail: err.Error()}
	}
	if len(rec.Images) == 0 {
		return nil, &Error{Path: name, Kind: ErrEmpty, Detail: "record holds no image"}
	}
	out := make([]*Image, len(rec.Images))
	for i := range rec.Images {
		im := &rec.Images[i]
		img := &Image{Format: formatName(im), Data: im.Data, Record: &Record{
			Kind: rec.Modality.String(), Version: rec.Version, Index: i, Count: len(rec.Images), Impression: im.Impression,
		}}
		if rec.Modality == iso19794.Finger {
			img.Record.Position = im.Position.String()
		}
		if im.PPI[0] > 0 && im.PPI[1] > 0 {
			img.PPI = ppiOf(ppi.Resolution{X: im.PPI[0], Y: im.PPI[1]})
			if own := declaredPPI(im.Data, ""); own > 0 && img.PPI > 0 && math.Abs(own-img.PPI) > ppiAgreement*img.PPI {
				img.Warnings = append(img.Warnings, fmt.Sprintf(
					"the record declares %g ppi but its %s image declares %g ppi; the record's %g ppi is used (if the record is wrong, give the real resolution)",
					img.PPI, img.Format, own, img.PPI))
			}
		} else {
			img.PPI = declaredPPI(im.Data, "")
		}
		ref := fmt.Sprintf("%s[%d]", name, i)
		if cfg, err := im.DecodeConfig(); err != nil {
			img.Err = headerError(ref, err)
		} else if err := CheckSize(ref, cfg.Width, cfg.Height, opts); err != nil {
			img.Err = err
		} else {
			img.Image, img.Err = safeDecode(ref, img.Format, im.Decode)
		}
		out[i] = img
	}
	return out, nil
}

func formatName(im *iso19794.Image) string {
	switch im.Format {
	case iso19794.FormatJPEG2000:
		return "jpeg2000"
	case iso19794.FormatRaw, iso19794.FormatRawPacked:
		return "raw"
	}
	return im.Format.String()
}

// declaredPPI reads the resolution the encoded image declares.
func declaredPPI(data []byte, format string) float64 {
	r, ok, err := ppi.Read(data, format)
	if err != nil || !ok {
		return 0
	}
	return ppiOf(r)
}

// ppiAgreement is the relative difference under which two declared
// resolutions are taken to agree: 2 %, as NFIQ 2's 490-510 ppi window.
const ppiAgreement = 0.02

// ppiOf returns r as one number rounded to 0.01 ppi (resolutions stored in
// pixels per metre or per centimetre come back as 999.998 for 1000 ppi), 0
// for a software default.
func ppiOf(r ppi.Resolution) float64 {
	if r.SoftwareDefault() {
		return 0
	}
	return math.Round(r.PPI()*100) / 100
}

// CheckSize returns an *Error when w×h is outside the limits of opts.
func CheckSize(name string, w, h int, opts *Options) error {
	if w <= 0 || h <= 0 {
		return &Error{Path: name, Kind: ErrEmpty, Detail: fmt.Sprintf("%d×%d pixels", w, h)}
	}
	if w < opts.minSide() || h < opts.minSide() {
		return &Error{Path: name, Kind: ErrTooSmall, Detail: fmt.Sprintf("%d×%d pixels, at least %d on each side needed", w, h, opts.minSide())}
	}
	if limit := opts.maxPixels(); w > limit || h > limit || int64(w)*int64(h) > int64(limit) {
		detail := fmt.Sprintf("%d×%d pixels, limit %d pixels", w, h, limit)
		if opts != nil && opts.LimitHint != "" {
			detail += " (" + opts.LimitHint + ")"
		}
		return &Error{Path: name, Kind: ErrTooLarge, Detail: detail}
	}
	return nil
}

// FileImage reads a file that holds one image (an image file, or a record
// with a single image) and returns that image; a record's per-image error
// is returned as the error.
func FileImage(path string, opts *Options) (*Image, error) {
	imgs, err := File(path, opts)
	if err != nil {
		return nil, err
	}
	if len(imgs) != 1 {
		return nil, &Error{Path: path, Kind: ErrUnsupportedFormat, Detail: fmt.Sprintf("record holds %d images, want one", len(imgs))}
	}
	if imgs[0].Err != nil {
		return nil, imgs[0].Err
	}
	return imgs[0], nil
}
