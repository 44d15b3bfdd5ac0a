// Package archive is the biogate quality gate as an Apache Beam pipeline,
// for archives too large for one machine: it reads manifests (one sample
// path per line, as 'biogate check -from' reads them) with textio, assesses
// each file with the gate package the CLI uses, and writes
//
//   - the JSON Lines reports in N shard files, PREFIX-SSSSS-of-NNNNN.jsonl:
//     shard I holds the paths whose FNV-64a hash mod N is I, in byte order
//     of their paths, so that it is byte for byte what
//     'biogate check -from MANIFEST -shard I/N -format jsonl' writes for the
//     manifest sorted (sort with LC_ALL=C); a shard with no path has no
//     file;
//   - PREFIX-summary.json, a report.Batch holding a report.Tally (counts per
//     decision and reason code, histogram counts) and no samples, which
//     'biogate report PREFIX-summary.json -o report.html' turns into the
//     HTML report.
//
// Each shard is one group: its paths are held in memory (about 0.3 KB
// each), its reports are streamed to its file by Workers goroutines in
// path order, and a retried shard rewrites its file whole (local files are
// written under a hidden temporary name and renamed when complete; object
// stores publish an object when it is closed). Paths with a scheme
// (gs://, s3://) are read through Beam's file systems; the program using
// the package imports the ones it needs.
//
// The reports are those of the CLI with the same flags, bit for bit, on
// every runner: nothing in them depends on the worker, the bundle or the
// order in which shards run.
package archive
