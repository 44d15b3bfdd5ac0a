// Package thresholds holds threshold profiles: the versioned, configurable
// rules that turn a sample's quality measures into a decision.
//
// A [Profile] is a typed Go struct with a YAML and JSON form:
//
//	schema: 1
//	name: ees-usk
//	version: 1.0.0
//	extends: ""            # optional: start from another profile, override below
//	max_attempts: 3
//	finger:
//	  recapture_below: 15  # NFIQ 2 score
//	  warn_at_zero: true
//	  warn_when_unscorable: true
//	face:
//	  min_inter_eye_px: 120
//	  require_single_face: true
//	  max_roll_deg: 8
//	  min_components:      # floors on 0-100 components
//	    UnderExposurePrevention: 30
//	    OverExposurePrevention: 30
//	    CompressionArtifacts: 30
//	    Sharpness: 30
//	    EyesOpen: 94.1
//	    MouthClosed: 84
//	    ExpressionNeutrality: 50
//	    EyesVisible: 38.5
//	    MouthOcclusionPrevention: 59.9
//	    FaceOcclusionPrevention: 61.3
//	    NoHeadCoverings: 50.4
//
// Files are validated on load: an unknown key, a value of the wrong type or a
// value out of range gives an error naming the key and its line. Embedded
// defaults are available by name ([Embedded]): "ees-usk", the policy of
// eu-LISA's capture toolkit pilot (NFIQ 2 recapture below 15, warn the
// operator at 0 or when NFIQ 2 cannot score the image; inter-eye distance at
// least 120 px), and "icao", a stricter ICAO 9303-3 portrait profile.
//
// [Profile.Decide] applies a profile to measures; every reason carries a
// stable code ("face.InterEyeDistance", "finger.QualityScore"), the value, the
// threshold and an instruction for the operator. Profiles are plain values:
// once loaded they are safe for concurrent use.
package thresholds
