package forest

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of these, so
// callers can test them with errors.Is.
var (
	// ErrFormat reports a model file that is not a well-formed OpenCV
	// RTrees YAML document. Errors carrying a line number are *FormatError
	// values that wrap ErrFormat.
	ErrFormat = errors.New("forest: malformed model")
	// ErrUnsupported reports a well-formed model that uses an OpenCV
	// feature this package does not evaluate (regression forests,
	// categorical predictors).
	ErrUnsupported = errors.New("forest: unsupported model")
	// ErrTooLarge reports a model file larger than MaxModelBytes.
	ErrTooLarge = errors.New("forest: model file too large")
	// ErrFeatureCount reports a feature vector whose length differs from
	// the model's variable count.
	ErrFeatureCount = errors.New("forest: wrong number of features")
	// ErrFeatureValue reports a feature that is NaN or infinite where the
	// model needs a finite value.
	ErrFeatureValue = errors.New("forest: feature is not finite")
	// ErrScoreRange reports a computed score outside 0-100, which happens
	// when a model's class labels are not 0 and 1.
	ErrScoreRange = errors.New("forest: score out of range")
	// ErrChecksum reports a model file whose MD5 differs from the one
	// expected (for example the hash in NIST's model-info file).
	ErrChecksum = errors.New("forest: model checksum mismatch")
	// ErrNotBinary reports a model that does not have exactly two classes
	// where the NFIQ 2 score rule needs two.
	ErrNotBinary = errors.New("forest: model is not a two-class classifier")
)

// FormatError describes where a model file is malformed. It wraps
// ErrFormat.
type FormatError struct {
	Line int // 1-based line number in the YAML text; 0 if unknown
	Msg  string
}

// Error describes the problem and, when known, its line.
func (e *FormatError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("forest: malformed model (line %d): %s", e.Line, e.Msg)
	}
	return "forest: malformed model: " + e.Msg
}

// Unwrap returns ErrFormat.
func (e *FormatError) Unwrap() error { return ErrFormat }
