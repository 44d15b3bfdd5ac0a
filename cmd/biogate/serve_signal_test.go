//go:build unix

package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeSIGTERM sends this process a real SIGTERM while a request is in
// flight (its body half sent): `biogate serve` stops accepting, the request
// completes with its report, and the command exits 0. main maps SIGTERM to
// the context run gets, as this test does.
func TestServeSIGTERM(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	base, exit, stderr := startServe(t, ctx, "-j", "1")
	img, err := os.ReadFile(filepath.Join("..", "..", "testdata", "finger", "synthetic_good_1.png"))
	require.NoError(t, err)

	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", base+"/v1/assess?modality=finger", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "image/png")
	req.ContentLength = int64(len(img))
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{resp.StatusCode, string(b), err}
	}()
	_, err = pw.Write(img[:len(img)/2])
	require.NoError(t, err)
	// The server has the request once the admission gauge says so.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(metricsText(t, base), "biogate_queue_admitted 1") {
		require.True(t, time.Now().Before(deadline), "the request was not admitted")
		time.Sleep(20 * time.Millisecond)
	}

	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	<-ctx.Done()
	select {
	case c := <-exit:
		t.Fatalf("serve exited %d with a request in flight: %s", c, stderr.String())
	case <-time.After(300 * time.Millisecond):
	}
	_, err = http.Get(base + "/healthz")
	assert.Error(t, err, "no new connection is accepted once SIGTERM arrived")

	_, err = pw.Write(img[len(img)/2:])
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	a := <-answered
	require.NoError(t, a.err)
	assert.Equal(t, 200, a.status, a.body)
	assert.Contains(t, a.body, `"modality": "finger"`)
	select {
	case c := <-exit:
		assert.Equal(t, 0, c, stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("serve did not exit after its last request")
	}
	assert.Contains(t, stderr.String(), "biogate serve: stopped")
}

// metricsText returns /metrics.
func metricsText(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
