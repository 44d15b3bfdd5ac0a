// Package report writes the gate's results for people and machines: a
// human-readable table, JSON (one document), JSON Lines (one report per
// line), CSV and JUnit XML, all from a [Batch].
//
// Every format lists samples in input order and names files by the path the
// caller gave, so reports of the same inputs can be diffed.
package report
