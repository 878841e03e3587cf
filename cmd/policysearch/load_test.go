package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policysearch/internal/query"
)

// TestLoadDuringReindex drives a real server on loopback with 64 connections
// for 30 s (POLICYSEARCH_LOAD_SECONDS) with a mix of real queries while the
// index is rebuilt and swapped over and over, and requires zero errors.
// Run it with POLICYSEARCH_LOAD_TEST=1 (.ci/run does).
func TestLoadDuringReindex(t *testing.T) {
	if os.Getenv("POLICYSEARCH_LOAD_TEST") != "1" {
		t.Skip("a 30 s load test; run with POLICYSEARCH_LOAD_TEST=1")
	}
	seconds := 30
	if s, err := strconv.Atoi(os.Getenv("POLICYSEARCH_LOAD_SECONDS")); err == nil && s > 0 {
		seconds = s
	}
	const conns = 64
	bin := binary(t)
	srv, addr := startServe(t, bin, t.TempDir(), "--admin-token", "load")
	defer srv.Process.Kill()
	queries := loadQueries(t)
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}

	var (
		requests, errs, server5xx atomic.Int64
		mu                        sync.Mutex
		latencies                 []time.Duration
		firstErr                  atomic.Value
	)
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(w)))
			var mine []time.Duration
			for time.Now().Before(deadline) {
				q := queries[r.Intn(len(queries))]
				start := time.Now()
				res, err := client.Get(addr + "/api/v1/search?" + q)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(start))
				requests.Add(1)
				if res.StatusCode >= 500 {
					server5xx.Add(1)
				}
				if res.StatusCode != 200 {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%s: %d", q, res.StatusCode))
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}(w)
	}
	// Rebuild and swap the index again and again while the searches run.
	reindexes := 0
	for time.Now().Before(deadline.Add(-2 * time.Second)) {
		req, _ := http.NewRequest("POST", addr+"/api/v1/reindex", nil)
		req.Header.Set("Authorization", "Bearer load")
		res, err := client.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Errorf("reindex during load: %v %v", err, res)
			break
		}
		res.Body.Close()
		reindexes++
	}
	wg.Wait()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(p*float64(len(latencies)-1))]
	}
	t.Logf("%d s, %d connections, %d reindexes: %d requests (%.0f/s), %d errors, %d 5xx; latency p50 %s p90 %s p99 %s max %s",
		seconds, conns, reindexes, requests.Load(), float64(requests.Load())/float64(seconds), errs.Load(), server5xx.Load(),
		pct(.5), pct(.9), pct(.99), pct(1))
	if errs.Load() > 0 || server5xx.Load() > 0 {
		t.Fatalf("%d errors, %d 5xx; first: %v", errs.Load(), server5xx.Load(), firstErr.Load())
	}
	if reindexes == 0 {
		t.Fatal("no reindex completed during the load")
	}
}

// loadQueries is the query mix: the evaluation queries, department filters and
// random substrings of the notice.
func loadQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "eval", "dev-queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var checks []struct{ Q, Dept string }
	if err := json.Unmarshal(b, &checks); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range checks {
		if c.Dept != "" {
			out = append(out, "dept="+url.QueryEscape(c.Dept))
		} else {
			out = append(out, "q="+url.QueryEscape(c.Q))
		}
	}
	src, _ := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	rs := []rune(string(src))
	r := rand.New(rand.NewSource(1))
	for len(out) < 200 {
		k := r.Intn(len(rs) - 8)
		sub := string(rs[k : k+2+r.Intn(6)])
		if q, err := query.Parse(sub); err != nil || q.Empty() {
			continue // punctuation only: a 400 by design, not load
		}
		out = append(out, "q="+url.QueryEscape(sub))
	}
	return out
}
