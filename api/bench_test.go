package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/synth"
)

// BenchmarkServeSearch measures one uncached search through the whole handler
// chain — middleware, search, JSON encoding — without the network: the long-tail
// mix of bench/http.sh (every search distinct) over the notice and, with
// POLICYSEARCH_BENCH_SIZES (e.g. "0,10000"), over synthetic corpora of that
// many items (`policysearch gen --seed 1`), kept between runs under the temp
// dir as the index benchmarks keep theirs. Run with -cpuprofile to see where a
// request's CPU goes beside the search itself.
func BenchmarkServeSearch(b *testing.B) {
	sizes := []int{0}
	if spec := os.Getenv("POLICYSEARCH_BENCH_SIZES"); spec != "" {
		sizes = nil
		for _, f := range strings.Split(spec, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatalf("POLICYSEARCH_BENCH_SIZES: %v", err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		name := "notice"
		if n > 0 {
			name = fmt.Sprintf("n=%d", n)
		}
		b.Run(name, func(b *testing.B) { benchServeSearch(b, n) })
	}
}

func benchServeSearch(b *testing.B, n int) {
	ix, corp := benchLibrary(b, n)
	srv := New(Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	srv.SetIndex(ix)
	defer srv.Close()

	evalDir := filepath.Join("..", "testdata", "eval")
	given, err := synth.Given(filepath.Join(evalDir, "dev-queries.json"), filepath.Join(evalDir, "own-queries.json"))
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, d := range corp.Docs {
		for _, c := range d.Clauses {
			texts = append(texts, c.Text)
		}
	}
	var paths []string
	for _, m := range synth.LongTail(given, texts, 20000, 1) {
		v := url.Values{"size": {"10"}}
		if m.Q != "" {
			v.Set("q", m.Q)
		}
		if m.Dept != "" {
			v.Set("dept", m.Dept)
		}
		paths = append(paths, "/api/v1/search?"+v.Encode())
	}
	runtime.GC() // the setup's garbage, so that the collector runs for the searches only
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil)
		req.RemoteAddr = "127.0.0.1:40000"
		srv.echo.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			b.Fatal(fmt.Sprintf("%s: %d %s", paths[i%len(paths)], rec.Code, rec.Body.String()))
		}
	}
}

// benchLibrary opens the notice's library in a new folder, or a synthetic
// corpus of n items from the folder it was built in before.
func benchLibrary(b testing.TB, n int) (*index.Index, *index.Corpus) {
	b.Helper()
	if n == 0 {
		ix, corp, _, err := library.Open("", b.TempDir(), index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ix.Close() })
		return ix, corp
	}
	docs, err := synth.Generate(synth.Options{Items: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	srcs := make([]index.Source, len(docs))
	for i, d := range docs {
		srcs[i] = index.Source{ID: d.ID, Text: d.Text}
	}
	corp, err := library.Parse(srcs)
	if err != nil {
		b.Fatal(err)
	}
	root := os.Getenv("POLICYSEARCH_BENCH_DATA")
	if root == "" {
		root = filepath.Join(os.TempDir(), "policysearch-bench")
	}
	ix, _, err := index.Ensure(filepath.Join(root, fmt.Sprintf("api-n%d-s1", n)), corp, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix, corp
}
