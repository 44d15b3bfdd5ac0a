package gate

import (
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Report is the gate's result for one sample file.
type Report struct {
	// Path is the file as given by the caller.
	Path string `json:"path"`
	// Modality is what was assessed: "face", "finger", or "unknown" when
	// the file could not be read.
	Modality quality.Modality `json:"modality"`
	// Format is the image format read ("png", "jpeg", "wsq", …).
	Format string `json:"format,omitempty"`
	// Width and Height are the image size in pixels.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// PPI is the resolution the file declares, 0 when it declares none.
	PPI float64 `json:"ppi,omitempty"`
	// Record locates the image inside a biometric record (ISO/IEC 19794 or
	// 39794), nil for a plain image file.
	Record *load.Record `json:"record,omitempty"`
	// Profile identifies the threshold profile applied.
	Profile thresholds.Ref `json:"profile"`
	// Score is the unified quality score with the model that made it
	// (NFIQ 2 for fingerprints), nil when there is none.
	Score *quality.Score `json:"score,omitempty"`
	// Measures holds every native measure under its reference name.
	Measures quality.Measures `json:"measures"`
	// Detail holds modality-specific findings (faces with eye centres,
	// fingerprint minutiae and feedback), nil when there are none.
	Detail any `json:"detail,omitempty"`
	// Checks lists every rule of the profile applied to the sample, passed
	// or failed, with its value and threshold.
	Checks []quality.Check `json:"checks,omitempty"`
	// Decision is the verdict with its reasons.
	Decision quality.Decision `json:"decision"`
	// Error says why the sample could not be assessed, "" otherwise.
	Error string `json:"error,omitempty"`
	// Warnings lists what is doubtful about the sample without changing
	// the decision, in words for the operator: a record whose image
	// declares another resolution than the record, a fingerprint scored
	// after resampling from its declared resolution. Nil when none.
	Warnings []string `json:"warnings,omitempty"`
}
