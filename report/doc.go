// Package report writes the gate's results for people and machines: a
// human-readable table, JSON (one document), JSON Lines (one report per
// line), CSV and JUnit XML, all from a [Batch], and reads JSON and JSON
// Lines back with [ReadBatch].
//
// Every format lists samples in input order and names files by the path the
// caller gave, so reports of the same inputs can be diffed.
//
// For people, [WriteHTML] renders a batch as one self-contained HTML page
// (no external assets, works offline): the profile used, counts per decision
// and per reason code, histograms of NFIQ 2 scores and inter-eye distances
// with the profile's thresholds drawn (inline SVG made with
// gonum.org/v1/plot), and a sortable table of the samples with each failing
// check's instruction and, optionally, small previews.
//
// For CI, the JUnit format has one test case per sample (Recapture and
// WarnOperator are failures, Reject an error, each carrying the reasons) and
// the profile as suite properties, which Jenkins and GitLab show natively;
// [Diff] compares a batch with a baseline and says which decisions flipped
// and which scores moved by more than a tolerance. For runs too large to
// hold (an archive), a [Tally] counts the reports as they go; tallies of
// parts merge, and a Batch holding a tally and no samples gives the HTML
// report's counts and histograms.
//
// The package only formats: it never prints or logs, and apart from
// WriteHTML's previews (read from the samples' paths unless turned off) it
// reads no files. Its functions are safe for concurrent use; a [Writer] is
// not.
package report
