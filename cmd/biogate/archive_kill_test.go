//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// archiveFolder copies the testdata prints to n files in a new folder and
// writes a manifest of them; it returns the manifest and the paths.
func archiveFolder(t *testing.T, n int) (string, []string) {
	t.Helper()
	prints, err := filepath.Glob("../../testdata/finger/*.png")
	require.NoError(t, err)
	require.NotEmpty(t, prints)
	dir := t.TempDir()
	var paths []string
	for k := range n {
		b, err := os.ReadFile(prints[k%len(prints)])
		require.NoError(t, err)
		p := filepath.Join(dir, fmt.Sprintf("p%03d.png", k))
		require.NoError(t, os.WriteFile(p, b, 0o644))
		paths = append(paths, p)
	}
	list := filepath.Join(dir, "list.txt")
	require.NoError(t, os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644))
	return list, paths
}

// TestCheckResumeAfterKill kills a -resume run with SIGKILL at random
// points (a random time, then once the report has grown past random sizes),
// resuming each time, and checks that the last resume leaves exactly the
// reports of an uninterrupted run: each input once, in order, no line torn.
// After every kill the file's whole lines must be a prefix of those
// reports. The seed is logged; BIOGATE_RESUME_SEED replays one.
func TestCheckResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 7 processes")
	}
	inputs, kills := 30, 5
	if readmeRace {
		// Each run assesses every print again under the race detector
		// (about tenfold slower); .ci/run's pass without it runs all 30
		// inputs and 5 kills.
		inputs, kills = 12, 3
	}
	list, paths := archiveFolder(t, inputs)
	dir := t.TempDir()
	args := func(out string) []string {
		return []string{"check", "-q", "-j", "2", "-format", "jsonl", "-from", list, "-resume", out}
	}

	ref := filepath.Join(dir, "ref.jsonl")
	start := time.Now()
	cmd, _, errb := biogateProcess(t, nil, args(ref)...)
	refCode := waitExit(t, cmd, 5*time.Minute)
	full := time.Since(start)
	want, err := os.ReadFile(ref)
	require.NoError(t, err)
	require.Equal(t, inputs, bytes.Count(want, []byte("\n")), errb.String())
	assert.Equal(t, paths, jsonlPaths(t, string(want)))
	t.Logf("uninterrupted run: %v, %d bytes, exit %d", full.Round(time.Millisecond), len(want), refCode)

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BIOGATE_RESUME_SEED"); s != "" {
		_, err := fmt.Sscan(s, &seed)
		require.NoError(t, err)
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 31))
	// Kill points: a random time early in the first run (often before
	// anything is written), then random sizes of the report, increasing so
	// that each kill stops a run with work left, each followed by a random
	// delay of up to 20 ms.
	targets := make([]int64, kills)
	for k := range targets {
		targets[k] = rng.Int64N(int64(len(want)))
	}
	slices.Sort(targets)
	out := filepath.Join(dir, "out.jsonl")
	midRun := 0
	for k := range kills {
		cmd, _, _ := biogateProcess(t, nil, args(out)...)
		var how string
		if k == 0 {
			d := time.Duration(rng.Int64N(int64(full / 4)))
			how = fmt.Sprintf("after %v", d.Round(time.Millisecond))
			time.Sleep(d)
		} else {
			how = fmt.Sprintf("past %d bytes", targets[k])
			for deadline := time.Now().Add(3 * full); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if st, err := os.Stat(out); err == nil && st.Size() > targets[k] {
					break
				}
			}
			time.Sleep(time.Duration(rng.Int64N(int64(20 * time.Millisecond))))
		}
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		werr := cmd.Wait()
		got, err := os.ReadFile(out)
		if err != nil {
			require.ErrorIs(t, err, os.ErrNotExist)
		}
		whole := got[:bytes.LastIndexByte(got, '\n')+1]
		n := bytes.Count(whole, []byte("\n"))
		t.Logf("kill %d %s: %v; %d whole reports, %d bytes torn", k+1, how, werr, n, len(got)-len(whole))
		require.True(t, bytes.HasPrefix(want, whole), "after kill %d the file's whole lines are not the start of the run's reports", k+1)
		if werr != nil && n < inputs {
			midRun++
		}
	}
	assert.Positive(t, midRun, "no kill landed before the run's end: the test checked nothing")

	cmd, _, errb = biogateProcess(t, nil, args(out)...)
	code := waitExit(t, cmd, 5*time.Minute)
	assert.Equal(t, refCode, code, errb.String())
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "after the kills and a last resume the report differs from an uninterrupted run's")
	assert.Equal(t, paths, jsonlPaths(t, string(got)), "each input once, in order")

	// A finished report resumes to itself.
	cmd, _, errb = biogateProcess(t, nil, args(out)...)
	assert.Equal(t, refCode, waitExit(t, cmd, 5*time.Minute), errb.String())
	again, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(again))
}

// TestCheckFromStdin checks -from - with a shard: the manifest comes from
// standard input.
func TestCheckFromStdin(t *testing.T) {
	list, paths := archiveFolder(t, 4)
	stdin, err := os.Open(list)
	require.NoError(t, err)
	defer stdin.Close()
	cmd, out, errb := biogateProcess(t, stdin, "check", "-q", "-modality", "finger", "-format", "jsonl", "-from", "-", "-shard", "0/1")
	code := waitExit(t, cmd, 5*time.Minute)
	assert.Contains(t, []int{exitAccepted, exitAttention}, code, errb.String())
	assert.Equal(t, paths, jsonlPaths(t, out.String()))
}

// TestResumeLocked checks that a second run cannot write a -resume file
// that a run is writing.
func TestResumeLocked(t *testing.T) {
	name := filepath.Join(t.TempDir(), "r.jsonl")
	first, err := openResume(name)
	require.NoError(t, err)
	_, err = openResume(name)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot resume "+name+": another run is writing it")
	require.NoError(t, first.close())
	second, err := openResume(name)
	require.NoError(t, err, "the lock ends with the run")
	require.NoError(t, second.close())
}

// TestCheckOutputAfterKill kills a run writing -o with SIGKILL once its
// hidden .NAME.*.partial exists, and checks that the next run removes it
// (no process holds its lock) and writes the report, while a .partial
// another live process holds locked is kept.
func TestCheckOutputAfterKill(t *testing.T) {
	list, paths := archiveFolder(t, 12)
	dir := t.TempDir()
	out := filepath.Join(dir, "report.jsonl")
	args := []string{"check", "-q", "-j", "1", "-format", "jsonl", "-from", list, "-o", out}

	// A file a live writer holds: this test process locks it.
	live, err := os.CreateTemp(dir, ".report.jsonl.*.partial")
	require.NoError(t, err)
	defer live.Close()
	locked, err := lockPartial(live)
	require.NoError(t, err)
	if !locked {
		t.Skip("no flock on this file system")
	}

	cmd, _, _ := biogateProcess(t, nil, args...)
	var partials []string
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		partials, _ = filepath.Glob(filepath.Join(dir, ".report.jsonl.*.partial"))
		if len(partials) == 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	waitExit(t, cmd, time.Minute)
	require.Len(t, partials, 2, "the killed run's temporary file and the live one")
	require.NoFileExists(t, out)

	cmd, _, errb := biogateProcess(t, nil, args...)
	waitExit(t, cmd, 5*time.Minute)
	b, err := os.ReadFile(out)
	require.NoError(t, err, errb.String())
	assert.Equal(t, paths, jsonlPaths(t, string(b)))
	left, err := filepath.Glob(filepath.Join(dir, ".report.jsonl.*.partial"))
	require.NoError(t, err)
	assert.Equal(t, []string{live.Name()}, left, "the killed run's file is removed, the live one kept")
}
