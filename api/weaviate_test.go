package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/weaviatetest"
)

// The library served on the Weaviate backend: a document ingested over HTTP
// is found, deleted over HTTP is gone, and the class of every index replaced
// on the way is dropped from the cluster.
func TestWeaviateIngestDelete(t *testing.T) {
	w := weaviatetest.Cluster(t)
	dataDir := t.TempDir()
	opt := index.Options{Weaviate: w}
	ix, _, _, err := library.Open(libraryCorpus, dataDir, opt)
	if err != nil {
		t.Fatal(err)
	}
	classes := []string{ix.Manifest().WeaviateClass}
	var srv *api.Server
	apiOpt := api.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), AdminToken: "t0ken"}
	apiOpt.Library = api.ManageForTestWith(t, libraryCorpus, dataDir, opt, &srv)
	srv = api.New(apiOpt)
	srv.SetIndex(ix)
	base := api.ServeForTest(t, srv)
	t.Cleanup(func() {
		for _, c := range classes {
			w.Drop(context.Background(), c)
		}
	})
	auth := map[string]string{"Authorization": "Bearer t0ken", "Content-Type": "text/plain; charset=utf-8"}
	search := func(q string) libraryResult {
		t.Helper()
		status, b := getFrom(t, base+"/api/v1/search?"+params("q", q, "size", "100"))
		if status != 200 {
			t.Fatalf("search %q: %d %s", q, status, b)
		}
		var res libraryResult
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	before := search("科普")

	notice, err := os.ReadFile(filepath.Join("..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(notice), "〔2022〕2 号", "〔2022〕903 号", 1)
	text = strings.Replace(text, "科普大篷车", "科普大篷车（集群收录）", 1)
	if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id=cluster-2022", []byte(text), auth); status != 201 {
		t.Fatalf("ingest: %d %s", status, b)
	}
	classes = append(classes, srv.Index().Manifest().WeaviateClass)
	res := search("集群收录")
	if res.Total != 1 || res.Hits[0].DocID != "cluster-2022" {
		t.Fatalf("the ingested document: %+v", res)
	}
	if got := search("科普"); got.Total != before.Total+35 {
		t.Errorf("科普 after the ingestion: %d, want %d", got.Total, before.Total+35)
	}

	if status, b := checkOpenAPI(t, http.MethodDelete, base+"/api/v1/documents/cluster-2022", nil, auth); status != 204 {
		t.Fatalf("delete: %d %s", status, b)
	}
	live := srv.Index().Manifest().WeaviateClass
	classes = append(classes, live)
	if res := search("集群收录"); res.Total != 0 {
		t.Fatalf("the deleted document is still found: %+v", res)
	}
	if got := search("科普"); got.Total != before.Total || len(got.Hits) != len(before.Hits) {
		t.Errorf("科普 after the deletion: %d, want %d", got.Total, before.Total)
	}
	// The indexes replaced are retired in the background: their classes go.
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range classes {
		if c == live {
			continue
		}
		for {
			ok, err := w.HasClass(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("class %s of a retired index is still in the cluster", c)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}
