package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/report"
)

func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want shard
		err  string
	}{
		{"0/1", shard{0, 1}, ""},
		{"0/4", shard{0, 4}, ""},
		{"3/4", shard{3, 4}, ""},
		{"999/1000", shard{999, 1000}, ""},
		{"4/4", shard{}, "I must be below N"},
		{"1/0", shard{}, "N must be at least 1"},
		{"0/0", shard{}, "N must be at least 1"},
		{"-1/4", shard{}, "I is not a whole number"},
		{"1/-4", shard{}, "N is not a whole number"},
		{"a/4", shard{}, "I is not a whole number"},
		{"1/b", shard{}, "N is not a whole number"},
		{" 1/4", shard{}, "I is not a whole number"},
		{"1/4/2", shard{}, "N is not a whole number"},
		{"1.0/4", shard{}, "I is not a whole number"},
		{"1", shard{}, "no /"},
		{"", shard{}, "no /"},
		{"/", shard{}, "I is not a whole number"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseShard(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				assert.Contains(t, err.Error(), "want I/N")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestShardSplit checks that the split is FNV-64a of the path mod N (the
// published test vector for "a"), and that the parts of N cover every
// path once, evenly.
func TestShardSplit(t *testing.T) {
	const fnvA = 0xaf63dc4c8601ec8c // FNV-1a 64 of "a", from the FNV reference test suite
	for _, n := range []uint64{2, 3, 7, 1000} {
		for i := range n {
			assert.Equal(t, fnvA%n == i, shard{i, n}.has("a"), "part %d/%d", i, n)
		}
	}
	assert.True(t, shard{}.has("a"), "no -shard: every path")
	assert.True(t, shard{0, 1}.has("a"))

	const paths, n = 3000, 4
	counts := make([]int, n)
	for k := range paths {
		p := fmt.Sprintf("/archive/%04d/finger_%d.wsq", k/10, k%10)
		in := 0
		for i := range uint64(n) {
			if (shard{i, n}).has(p) {
				in++
				counts[i]++
			}
		}
		require.Equal(t, 1, in, "%s is in %d parts", p, in)
	}
	for i, c := range counts {
		assert.InDelta(t, paths/n, c, paths/n/5, "part %d/%d holds %d of %d paths", i, n, c, paths)
	}
}

func TestManifestInputs(t *testing.T) {
	for _, tt := range []struct {
		name string
		text string
		want []string // "!" + path: an input with Err
	}{
		{"empty", "", nil},
		{"one line without newline", "a.png", []string{"a.png"}},
		{"lines", "a.png\nb/c.wsq\n", []string{"a.png", "b/c.wsq"}},
		{"CRLF", "a.png\r\nb.png\r\n", []string{"a.png", "b.png"}},
		{"blank and comment lines", "\n# header\n  \na.png\n\t# indented comment\n\nb.png\n", []string{"a.png", "b.png"}},
		{"taken as written", " spaced name.png \nglob*.png\nsub/\n", []string{" spaced name.png ", "glob*.png", "sub/"}},
		{"a # inside a name", "a#1.png\n", []string{"a#1.png"}},
		{"standard input refused", "a.png\n-\nb.png\n", []string{"a.png", "!-", "b.png"}},
		{"duplicates kept", "a.png\na.png\n", []string{"a.png", "a.png"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			var got []string
			for in := range manifestInputs(strings.NewReader(tt.text), &err) {
				p := in.Path
				if in.Err != nil {
					assert.ErrorIs(t, in.Err, errManifestStdin)
					p = "!" + p
				}
				got = append(got, p)
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("read error", func(t *testing.T) {
		var err error
		var got []string
		r := readerThenError{iotest.HalfReader(strings.NewReader("a.png\nb.png\n")), errors.New("disk gone")}
		for in := range manifestInputs(r, &err) {
			got = append(got, in.Path)
		}
		assert.Equal(t, []string{"a.png", "b.png"}, got)
		assert.EqualError(t, err, "disk gone")
	})
	t.Run("stops when the consumer stops", func(t *testing.T) {
		var err error
		n := 0
		for range manifestInputs(strings.NewReader("a\nb\nc\n"), &err) {
			n++
			break
		}
		assert.Equal(t, 1, n)
	})
}

// readerThenError reads r, then fails with err instead of io.EOF.
type readerThenError struct {
	r interface{ Read([]byte) (int, error) }
	e error
}

func (r readerThenError) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil {
		err = r.e
	}
	return n, err
}

// line is one JSON Lines report for the resume tests: a plain file, or
// image k of a record of count images.
func line(path string, k, count int) string {
	m := map[string]any{"path": path, "decision": map[string]any{"outcome": "warn_operator", "reasons": []any{}}}
	if count > 0 {
		m["record"] = map[string]any{"kind": "finger", "version": "030", "index": k, "count": count}
	}
	b, _ := json.Marshal(m)
	return string(b) + "\n"
}

// TestResumeSkip checks what resuming keeps of a report file and which
// inputs it assesses again.
func TestResumeSkip(t *testing.T) {
	inputs := []string{"a.png", "rec.fir", "c.png"}
	rec := line("rec.fir", 0, 3) + line("rec.fir", 1, 3) + line("rec.fir", 2, 3)
	for _, tt := range []struct {
		name     string
		file     string
		keep     string   // the file after resuming
		rest     []string // inputs left to assess
		prior    int      // decisions counted from the file
		err      string
		noInputs bool
	}{
		{name: "new file", file: "", keep: "", rest: inputs},
		{name: "one input", file: line("a.png", 0, 0), keep: line("a.png", 0, 0), rest: inputs[1:], prior: 1},
		{name: "torn first line", file: `{"path":"a.p`, keep: "", rest: inputs},
		{name: "torn line after one", file: line("a.png", 0, 0) + `{"path":"rec.fir","rec`, keep: line("a.png", 0, 0), rest: inputs[1:], prior: 1},
		{name: "record written in part", file: line("a.png", 0, 0) + line("rec.fir", 0, 3) + line("rec.fir", 1, 3), keep: line("a.png", 0, 0), rest: inputs[1:], prior: 1},
		{name: "record written in part, torn", file: line("a.png", 0, 0) + line("rec.fir", 0, 3) + `{"pa`, keep: line("a.png", 0, 0), rest: inputs[1:], prior: 1},
		{name: "record whole", file: line("a.png", 0, 0) + rec, keep: line("a.png", 0, 0) + rec, rest: inputs[2:], prior: 4},
		{name: "all done", file: line("a.png", 0, 0) + rec + line("c.png", 0, 0), keep: line("a.png", 0, 0) + rec + line("c.png", 0, 0), rest: nil, prior: 5},
		{name: "all done, torn junk after", file: line("a.png", 0, 0) + rec + line("c.png", 0, 0) + "\x00\x00", keep: line("a.png", 0, 0) + rec + line("c.png", 0, 0), rest: nil, prior: 5},
		{name: "other inputs", file: line("b.png", 0, 0), err: "line 1 reports b.png where input 1 is a.png"},
		{name: "more reports than inputs", file: line("a.png", 0, 0) + rec + line("c.png", 0, 0) + line("d.png", 0, 0), err: "reports more inputs than given (line 6, d.png)"},
		{name: "not a report", file: line("a.png", 0, 0) + "hello\n", err: "line 2 is not a biogate report"},
		{name: "a JSON line without path", file: "{}\n", err: "line 1 is not a biogate report"},
		{name: "record from its middle", file: line("a.png", 0, 0) + line("rec.fir", 1, 3), err: "line 2 starts record rec.fir at image 1"},
		{name: "record broken", file: line("a.png", 0, 0) + line("rec.fir", 0, 3) + line("c.png", 0, 0), err: "line 3 breaks the reports of record rec.fir"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "r.jsonl")
			require.NoError(t, os.WriteFile(name, []byte(tt.file), 0o644))
			rf, err := openResume(name)
			require.NoError(t, err)
			defer rf.f.Close()
			seq := func(yield func(gate.Input) bool) {
				for _, p := range inputs {
					if !yield(gate.Input{Path: p}) {
						return
					}
				}
			}
			rest, err := rf.skip(seq)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				got, rerr := os.ReadFile(name)
				require.NoError(t, rerr)
				assert.Equal(t, tt.file, string(got), "a refused resume leaves the file as it was")
				return
			}
			require.NoError(t, err)
			var left []string
			for in := range rest {
				left = append(left, in.Path)
			}
			assert.Equal(t, tt.rest, left)
			assert.Equal(t, len(inputs)-len(tt.rest), rf.skipped)
			assert.Equal(t, tt.prior, rf.prior.Total)
			assert.Equal(t, tt.prior, rf.prior.WarnOperator)
			got, err := os.ReadFile(name)
			require.NoError(t, err)
			assert.Equal(t, tt.keep, string(got))

			// What is written next goes after what was kept.
			_, err = rf.Write([]byte(line("z.png", 0, 0)))
			require.NoError(t, err)
			require.NoError(t, rf.added(gate.Report{Path: "z.png"}))
			require.NoError(t, rf.close())
			got, err = os.ReadFile(name)
			require.NoError(t, err)
			assert.Equal(t, tt.keep+line("z.png", 0, 0), string(got))
		})
	}
}

func TestCheckArchiveUsageErrors(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "list.txt")
	require.NoError(t, os.WriteFile(list, []byte("a.png\n"), 0o644))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-shard", "2/2", "x.png"}, `-shard "2/2": I must be below N`},
		{[]string{"-shard", "x", "x.png"}, `-shard "x": no /`},
		{[]string{"-resume", filepath.Join(dir, "r.jsonl"), "x.png"}, "-resume continues a JSON Lines report: add -format jsonl"},
		{[]string{"-format", "jsonl", "-resume", filepath.Join(dir, "r.jsonl"), "-o", filepath.Join(dir, "o.jsonl"), "x.png"}, "is the report file: drop -o"},
		{[]string{"-format", "jsonl", "-resume", filepath.Join(dir, "r.jsonl"), "-html", filepath.Join(dir, "r.html"), "x.png"}, "-html cannot be combined with -resume"},
		{[]string{"-format", "jsonl", "-resume", dir, "x.png"}, "not a regular file"},
		{[]string{"-from", "-", "-"}, "cannot be a sample (-) too"},
		{[]string{}, "no PATH given, nor -from"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"check", "-q"}, tt.args...)...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
		})
	}
	t.Run("manifest missing", func(t *testing.T) {
		code, out, errOut := runCLI(t, "check", "-q", "-from", filepath.Join(dir, "none.txt"))
		assert.Equal(t, exitError, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "cannot read the manifest: open "+filepath.Join(dir, "none.txt")+": no such file or directory")
	})
	t.Run("manifest is a folder", func(t *testing.T) {
		code, _, errOut := runCLI(t, "check", "-q", "-from", dir)
		assert.Equal(t, exitError, code)
		assert.Contains(t, errOut, "it is a folder")
	})
	_, err := os.Stat(filepath.Join(dir, "r.jsonl"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a usage error creates no -resume file")
}

// jsonlPaths returns the path of each report of a JSON Lines output.
func jsonlPaths(t *testing.T, out string) []string {
	t.Helper()
	b, err := report.ReadBatch(strings.NewReader(out))
	require.NoError(t, err, out)
	var ps []string
	for _, s := range b.Samples {
		ps = append(ps, s.Path)
	}
	return ps
}

// TestCheckFromManifest checks -from with arguments, and that the parts of
// -shard together give the whole run's reports, each once.
func TestCheckFromManifest(t *testing.T) {
	folder := smallFolder(t, 6)
	files, err := filepath.Glob(filepath.Join(folder, "*.png"))
	require.NoError(t, err)
	require.Len(t, files, 6)
	missing := filepath.Join(folder, "missing.png")
	list := filepath.Join(t.TempDir(), "list.txt")
	text := "# archive\n" + strings.Join(files[1:3], "\n") + "\n\n" + missing + "\r\n" + strings.Join(files[3:], "\n")
	require.NoError(t, os.WriteFile(list, []byte(text), 0o644))
	want := append(append(append([]string{files[0]}, files[1:3]...), missing), files[3:]...)

	code, out, errOut := runCLI(t, "check", "-q", "-j", "2", "-format", "jsonl", "-from", list, files[0])
	assert.Equal(t, exitError, code, "a missing file is a reject: exit 2")
	assert.Equal(t, want, jsonlPaths(t, out), "arguments first, then the manifest in its order")
	whole := strings.SplitAfter(out, "\n")
	for _, l := range whole {
		if strings.Contains(l, missing) {
			assert.Contains(t, l, `"code":"input.unreadable"`)
		}
	}
	assert.Empty(t, errOut)

	const n = 3
	var union []string
	for i := range n {
		code, out, _ := runCLI(t, "check", "-q", "-format", "jsonl", "-shard", fmt.Sprintf("%d/%d", i, n), "-from", list, files[0])
		assert.Contains(t, []int{exitAccepted, exitAttention, exitError}, code)
		for _, l := range strings.SplitAfter(out, "\n") {
			if l != "" {
				assert.Contains(t, whole, l, "a shard's report differs from the whole run's")
				union = append(union, l)
			}
		}
	}
	slices.Sort(union)
	sorted := slices.DeleteFunc(slices.Clone(whole), func(s string) bool { return s == "" })
	slices.Sort(sorted)
	assert.Equal(t, sorted, union, "the parts hold every report of the whole run once")
}

// fingerRecord wraps PNG prints in one ISO/IEC 19794-4:2005 record, one
// view each, at 500 ppi.
func fingerRecord(t *testing.T, prints []string) []byte {
	t.Helper()
	var views []byte
	for k, p := range prints {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		require.NoError(t, err)
		views = binary.BigEndian.AppendUint32(views, uint32(14+len(b)))
		views = append(views, byte(k+1), 1, 1, 80, 0)
		views = binary.BigEndian.AppendUint16(views, uint16(cfg.Width))
		views = binary.BigEndian.AppendUint16(views, uint16(cfg.Height))
		views = append(views, 0)
		views = append(views, b...)
	}
	total := 32 + len(views)
	rec := []byte("FIR\x00010\x00")
	rec = append(rec, 0, 0, byte(total>>24), byte(total>>16), byte(total>>8), byte(total))
	rec = append(rec, 0, 0, 0, 31, byte(len(prints)), 1)
	for range 4 {
		rec = binary.BigEndian.AppendUint16(rec, 500)
	}
	rec = append(rec, 8, 5, 0, 0) // 8 bits, PNG
	return append(rec, views...)
}

// TestCheckResumeRecordInPart checks, with a real record of three prints,
// that a -resume file holding part of the record's reports, then a torn
// line, resumes to the reports of an uninterrupted run.
func TestCheckResumeRecordInPart(t *testing.T) {
	prints, err := filepath.Glob("../../testdata/finger/synthetic_good_*.png")
	require.NoError(t, err)
	require.Len(t, prints, 3)
	dir := t.TempDir()
	rec := filepath.Join(dir, "tenprint.fir")
	require.NoError(t, os.WriteFile(rec, fingerRecord(t, prints), 0o644))
	list := filepath.Join(dir, "list.txt")
	require.NoError(t, os.WriteFile(list, []byte(prints[0]+"\n"+rec+"\n"+prints[1]+"\n"), 0o644))
	args := func(out string) []string {
		return []string{"check", "-q", "-j", "2", "-format", "jsonl", "-from", list, "-resume", out}
	}

	ref := filepath.Join(dir, "ref.jsonl")
	code, _, errOut := runCLI(t, args(ref)...)
	want, err := os.ReadFile(ref)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(want), "\n")
	require.Len(t, lines, 6, errOut) // 5 reports and ""
	assert.Equal(t, []string{prints[0], rec, rec, rec, prints[1]}, jsonlPaths(t, string(want)))
	for k, l := range lines[1:4] {
		assert.Contains(t, l, fmt.Sprintf(`"index":%d,"count":3`, k), "the record's reports")
	}

	for _, cut := range []string{
		lines[0] + lines[1],                       // the record's first image only
		lines[0] + lines[1] + lines[2][:20],       // and a torn line
		lines[0] + lines[1] + lines[2] + lines[3], // the whole record
	} {
		out := filepath.Join(t.TempDir(), "r.jsonl")
		require.NoError(t, os.WriteFile(out, []byte(cut), 0o644))
		got, _, errOut := runCLI(t, args(out)...)
		assert.Equal(t, code, got, errOut)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(b))
	}
}

// TestCheckExitZero checks -exit-zero: a completed run exits 0 whatever
// its decisions (which the report still holds), a usage error still 2.
func TestCheckExitZero(t *testing.T) {
	folder := smallFolder(t, 2)
	missing := filepath.Join(folder, "missing.png")
	for _, tc := range []struct {
		name     string
		args     []string
		want     int
		inReport string
	}{
		{"reject", []string{"-format", "jsonl", folder, missing}, exitError, `"code":"input.unreadable"`},
		{"reject, -exit-zero", []string{"-exit-zero", "-format", "jsonl", folder, missing}, exitAccepted, `"code":"input.unreadable"`},
		{"usage error, -exit-zero", []string{"-exit-zero", "-format", "nope", folder}, exitError, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := runCLI(t, append([]string{"check", "-q"}, tc.args...)...)
			assert.Equal(t, tc.want, code)
			if tc.inReport != "" {
				assert.Contains(t, out, tc.inReport)
			}
		})
	}
}
