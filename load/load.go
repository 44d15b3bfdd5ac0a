package load

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // GIF decoder
	_ "image/jpeg" // JPEG decoder
	_ "image/png"  // PNG decoder
	"io"
	"os"

	_ "golang.org/x/image/bmp"  // BMP decoder
	_ "golang.org/x/image/tiff" // TIFF decoder
	_ "golang.org/x/image/webp" // WebP decoder
)

// Sentinel kinds of load failure, for errors.Is.
var (
	ErrUnsupportedFormat = errors.New("unsupported or unrecognised image format")
	ErrTooLarge          = errors.New("image too large")
	ErrTooSmall          = errors.New("image too small")
	ErrCorrupt           = errors.New("corrupt or truncated image")
	ErrEmpty             = errors.New("empty file")
)

// Error is a failure to load one file.
type Error struct {
	// Path is the file as given by the caller.
	Path string
	// Kind is one of the sentinel errors of this package.
	Kind error
	// Detail says more, without image content.
	Detail string
}

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

func (o *Options) minSide() int {
	if o == nil || o.MinSide <= 0 {
		return 1
	}
	return o.MinSide
}

// Image is one decoded image with what is known about it.
type Image struct {
	// Image is the decoded image.
	Image image.Image
	// Format is the format name as registered ("png", "jpeg", "wsq", …).
	Format string
	// PPI is the resolution in pixels per inch read from the file, 0 when
	// the file does not say.
	PPI float64
	// Data is the file's content, kept for measures that read the
	// encoding itself (for example JPEG quantisation tables).
	Data []byte
}

// File reads and decodes the image file at path.
func File(path string, opts *Options) (*Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &Error{Path: path, Kind: ErrUnsupportedFormat, Detail: "is a directory"}
	}
	if st.Size() > opts.maxFileBytes() {
		return nil, &Error{Path: path, Kind: ErrTooLarge, Detail: fmt.Sprintf("file is %d bytes, limit %d", st.Size(), opts.maxFileBytes())}
	}
	data, err := io.ReadAll(io.LimitReader(f, opts.maxFileBytes()+1))
	if err != nil {
		return nil, err
	}
	return Bytes(path, data, opts)
}

// Bytes decodes an image held in memory; name is used in errors.
func Bytes(name string, data []byte, opts *Options) (img *Image, err error) {
	if len(data) == 0 {
		return nil, &Error{Path: name, Kind: ErrEmpty}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, &Error{Path: name, Kind: ErrUnsupportedFormat}
		}
		return nil, &Error{Path: name, Kind: ErrCorrupt, Detail: "header: " + err.Error()}
	}
	if err := CheckSize(name, cfg.Width, cfg.Height, opts); err != nil {
		return nil, err
	}
	defer func() {
		// Some third-party decoders panic on adversarial input; a panic
		// must never escape to a capture station.
		if r := recover(); r != nil {
			img, err = nil, &Error{Path: name, Kind: ErrCorrupt, Detail: fmt.Sprintf("%s decoder failed: %v", format, r)}
		}
	}()
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Path: name, Kind: ErrCorrupt, Detail: format + ": " + err.Error()}
	}
	b := m.Bounds()
	if err := CheckSize(name, b.Dx(), b.Dy(), opts); err != nil {
		return nil, err
	}
	return &Image{Image: m, Format: format, PPI: ppiOf(format, data), Data: data}, nil
}

// CheckSize returns an *Error when w×h is outside the limits of opts.
func CheckSize(name string, w, h int, opts *Options) error {
	if w <= 0 || h <= 0 {
		return &Error{Path: name, Kind: ErrEmpty, Detail: fmt.Sprintf("%d×%d pixels", w, h)}
	}
	if w < opts.minSide() || h < opts.minSide() {
		return &Error{Path: name, Kind: ErrTooSmall, Detail: fmt.Sprintf("%d×%d pixels, at least %d on each side needed", w, h, opts.minSide())}
	}
	if int64(w)*int64(h) > int64(opts.maxPixels()) {
		return &Error{Path: name, Kind: ErrTooLarge, Detail: fmt.Sprintf("%d×%d pixels, limit %d pixels", w, h, opts.maxPixels())}
	}
	return nil
}
