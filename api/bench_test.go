package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/synth"
)

// BenchmarkServeSearch measures one uncached search through the whole handler
// chain — middleware, search, JSON encoding — without the network: the long-tail
// mix of bench/http.sh (every search distinct) over the notice. Run with
// -cpuprofile to see where a request's CPU goes beside the search itself.
func BenchmarkServeSearch(b *testing.B) {
	dir := b.TempDir()
	ix, corp, _, err := library.Open("", dir, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
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
