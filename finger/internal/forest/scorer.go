package forest

// Scorer computes an NFIQ 2 style unified quality score (0-100) from the
// 69 native quality measures in NIST's order (FeatureNames), and says
// which model computed it.
type Scorer interface {
	// Score returns the 0-100 score for the features.
	Score(features []float64) (int, error)
	// ModelName names the model: "nfiq2" for NIST's model file,
	// "nfiq2-compatible" for the embedded model.
	ModelName() string
	// ModelVersion is the model's version.
	ModelVersion() string
}

var (
	_ Scorer = (*Forest)(nil)
	_ Scorer = (*Model)(nil)
)
