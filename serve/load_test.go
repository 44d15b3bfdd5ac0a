package serve

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var loadRequests = flag.Int("serve.load", 0, "requests of TestServeLoad (0: 64, or 12 under -race or -short); the issue's figure is 2000")

// loadInputs are the mixed inputs of the load test: three prints and,
// with the corpus, a portrait.
func loadInputs(t testing.TB) (names []string, bodies [][]byte) {
	for i := range 3 {
		names = append(names, fmt.Sprintf("finger-%d", i))
		bodies = append(bodies, fingerPNG(t, i))
	}
	if f := facePhoto(t); f != nil {
		names = append(names, "face")
		bodies = append(bodies, f)
	}
	return names, bodies
}

// post sends one image and returns the status and body.
func post(ctx context.Context, client *http.Client, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestServeLoad sends a bounded number of mixed face and fingerprint
// requests from 16 concurrent clients to a server on 127.0.0.1 with two
// workers and a queue as long as the clients: no error, no lost response,
// and each answer is byte for byte the one for its own input (each request
// carries a distinct name, echoed as the report's path). It logs the p50
// and p99 latency, the throughput and the peak RSS.
func TestServeLoad(t *testing.T) {
	n := *loadRequests
	if n == 0 {
		n = 64
		if raceEnabled || testing.Short() {
			n = 12
		}
	}
	const clients = 16
	// The deadline is not what this test checks: on a loaded machine, or
	// under the race detector, the queue's last requests wait minutes.
	s := newServer(t, Config{Workers: 2, Queue: clients, Timeout: 10 * time.Minute})
	base, client := live(t, s)
	client.Transport.(*validating).next = &http.Transport{MaxIdleConnsPerHost: clients}
	names, bodies := loadInputs(t)

	// The reference answer of each input, named "REF".
	// Bounded time: 10 minutes, or a second a request for longer runs.
	bound := max(10*time.Minute, time.Duration(n)*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	refs := make([][]byte, len(bodies))
	for i, b := range bodies {
		code, body, err := post(ctx, client, base+"/v1/assess?name=REF", b)
		require.NoError(t, err)
		require.Equal(t, 200, code, "%s: %.300s", names[i], body)
		refs[i] = body
	}

	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var failures []string
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				k := i % len(bodies)
				name := fmt.Sprintf("req-%d-%s", i, names[k])
				t0 := time.Now()
				code, body, err := post(ctx, client, base+"/v1/assess?name="+name, bodies[k])
				d := time.Since(t0)
				want := bytes.Replace(refs[k], []byte(`"path": "REF"`), []byte(`"path": "`+name+`"`), 1)
				mu.Lock()
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("%s: %v", name, err))
				case code != 200:
					failures = append(failures, fmt.Sprintf("%s: status %d", name, code))
				case !bytes.Equal(body, want):
					failures = append(failures, fmt.Sprintf("%s: answer differs from its input's reference", name))
				default:
					latencies = append(latencies, d)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	require.NoError(t, ctx.Err(), "the load did not finish within %v (%d of %d answered)", bound, len(latencies), n)
	assert.Empty(t, failures)
	assert.Len(t, latencies, n, "every request answered")
	slices.Sort(latencies)
	q := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	if len(latencies) > 0 {
		t.Logf("%d requests (%s), %d clients, 2 workers: p50 %v, p99 %v, %.1f req/s; peak RSS %s",
			n, strings.Join(names, ", "), clients, q(0.50).Round(time.Millisecond), q(0.99).Round(time.Millisecond),
			float64(n)/elapsed.Seconds(), peakRSS())
	}
}

// peakRSS returns the process's peak resident set size (Linux VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// BenchmarkServeWorkers measures the throughput of a loopback server with
// one and with two workers under 8 concurrent clients sending the mixed
// inputs (req/s; compare the two within one run).
func BenchmarkServeWorkers(b *testing.B) {
	_, bodies := loadInputs(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := newServer(b, Config{Workers: workers, Queue: 8})
			base, _ := live(b, s)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
			var next atomic.Int64
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						code, _, err := post(context.Background(), client, base+"/v1/assess", bodies[i%len(bodies)])
						if err != nil || code != 200 {
							failed.Add(1)
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			if failed.Load() > 0 {
				b.Fatalf("%d requests failed", failed.Load())
			}
		})
	}
}
