// Package quality is the shared vocabulary of the biometric quality gate.
//
// A quality assessment of one sample (a face image or a fingerprint image)
// yields a list of named [Measure] values, each with its native value (in the
// units of the reference algorithm: pixels, degrees, NIST NFIQ 2 feature
// values) and, where one exists, a 0-100 quality component. A threshold
// profile (package thresholds) turns measures into a [Decision]: [Accept],
// [Recapture], [WarnOperator] or [Reject], each non-accepting decision carrying
// one or more [Reason] values with a stable machine code, the measured value,
// the threshold, and an instruction for the operator in plain words.
//
// A [Session] helps capture workstations handle repeated attempts for one
// subject position (a finger, or the face): it keeps the best attempt, stops
// when one is accepted or after a maximum number of attempts, and then says
// what to do.
//
// The package holds no image data and performs no I/O.
package quality
