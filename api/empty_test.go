package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/library"
)

// serveCorpus serves the documents of corpusDir ("" is the embedded notice)
// from a real server on loopback, with a results cache of cacheBytes, and
// returns its base URL.
func serveCorpus(t *testing.T, corpusDir string, cacheBytes int) string {
	t.Helper()
	ix, _, _, err := library.Open(corpusDir, t.TempDir(), index.Options{SearchCacheBytes: cacheBytes})
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	srv.SetIndex(ix)
	return api.ServeForTest(t, srv)
}

var tookRe = regexp.MustCompile(`"took_ms":[0-9.e+-]+`)

// Every endpoint's empty answer — a search with no hits, a page past the last
// hit, no suggestions, a library without departments or campaigns — fits
// api/openapi.yaml, where lists are lists and never null; searches are asked
// twice, the second answered from the cache of encoded responses, which must
// be the first answer but for took_ms.
func TestEmptyAnswersMatchOpenAPI(t *testing.T) {
	esc := url.QueryEscape
	searches := []string{
		"/api/v1/search?q=" + esc("没有这个词"),
		"/api/v1/search?q=" + esc("没有这个词") + "&explain=true",
		"/api/v1/search?q=" + esc("没有这个词") + "&sort=order",
		"/api/v1/search?q=" + esc("科普 -科普"),
		"/api/v1/search?q=" + esc(`"没有这个词"`),
		"/api/v1/search?q=" + esc("科普") + "&from=9990",
		"/api/v1/search?q=" + esc("科普") + "&from=9990&sort=order",
	}
	notice := append([]string{
		"/api/v1/search?q=" + esc("没有这个词") + "&dept=" + esc("市科协"),
		"/api/v1/search?q=" + esc("农村") + "&dept=" + esc("市科协") + "&dept=" + esc("市教委") + "&section=" + esc("四"),
		"/api/v1/suggest?q=" + esc("没有这个词"),
		"/api/v1/suggest?q=" + esc("，"),
	}, searches...)
	// A library of one document that names no department and no campaign.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flood-notes.txt"), []byte("关于做好防汛工作的通知\n各单位：\n请做好汛期值班。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bare := append([]string{
		"/api/v1/departments",
		"/api/v1/campaigns",
		"/api/v1/documents",
		"/api/v1/documents/flood-notes",
		"/api/v1/suggest?q=" + esc("科普"),
		"/api/v1/search?q=" + esc("汛期"),
	}, searches...)
	for _, server := range []struct {
		name  string
		url   string
		paths []string
	}{
		{"notice, no cache", base, notice},
		{"notice, cached", serveCorpus(t, "", index.DefaultSearchCacheBytes), notice},
		{"one document without departments", serveCorpus(t, dir, index.DefaultSearchCacheBytes), bare},
	} {
		t.Run(server.name, func(t *testing.T) {
			for _, p := range server.paths {
				status, first := checkOpenAPI(t, http.MethodGet, server.url+p, nil, nil)
				if status != http.StatusOK {
					t.Errorf("%s: %d %s", p, status, first)
					continue
				}
				var body map[string]json.RawMessage
				if err := json.Unmarshal(first, &body); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				for name, v := range body {
					if string(v) == "null" {
						t.Errorf("%s: %s is null:\n%s", p, name, first)
					}
				}
				if hits, ok := body["hits"]; ok && !bytes.HasPrefix(hits, []byte("[")) {
					t.Errorf("%s: hits %s, want a list", p, hits)
				}
				_, again := checkOpenAPI(t, http.MethodGet, server.url+p, nil, nil)
				if a, b := tookRe.ReplaceAll(first, nil), tookRe.ReplaceAll(again, nil); !bytes.Equal(a, b) {
					t.Errorf("%s asked again:\n%s\nfirst:\n%s", p, again, first)
				}
			}
		})
	}
}
