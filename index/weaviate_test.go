package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/weaviatetest"
)

// The Weaviate backend against the oracle and against bleve: the cluster of
// bench/weaviate.sh, with POLICYSEARCH_WEAVIATE_TEST=1.

// weaviateIndex builds c into a new class of the cluster, dropped when the test ends.
func weaviateIndex(t *testing.T, w *index.Weaviate, dataDir string, c *index.Corpus) *index.Index {
	t.Helper()
	start := time.Now()
	ix, err := index.Build(dataDir, c, index.Options{Weaviate: w})
	if err != nil {
		t.Fatal(err)
	}
	weaviatetest.Drop(t, w, ix.Manifest().WeaviateClass)
	t.Cleanup(func() { ix.Close() })
	d := time.Since(start)
	t.Logf("built %d clauses into %s in %s (%.0f clauses/s)", ix.Manifest().Clauses, ix.Manifest().WeaviateClass,
		d.Round(time.Millisecond), float64(ix.Manifest().Clauses)/d.Seconds())
	return ix
}

func TestWeaviateOracleNotice(t *testing.T) {
	w := weaviatetest.Cluster(t)
	// Pages of 16 clauses: most sets of the notice's 47 are read in several,
	// in key order.
	w.Page = 16
	ix := weaviateIndex(t, w, t.TempDir(), testCorpus)
	checkOracle(t, ix, testCorpus.Docs, 300, 1)
	compareBackends(t, testIndex, ix, testCorpus.Docs, 300, 11)
}

// 10,000 clauses of the synthetic corpus, on bleve and on the cluster.
func TestWeaviateOracleSynthetic(t *testing.T) {
	w := weaviatetest.Cluster(t)
	c := syntheticCorpus(t, 10000, 3)
	start := time.Now()
	bl, err := index.Build(t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	t.Logf("built %d clauses into bleve in %s", bl.Manifest().Clauses, time.Since(start).Round(time.Millisecond))
	ix := weaviateIndex(t, w, t.TempDir(), c)
	checkOracle(t, ix, c.Docs, 60, 3)
	compareBackends(t, bl, ix, c.Docs, 60, 13)
}

// compareBackends runs n random requests on bleve (bl) and on Weaviate (wv):
// the same total and facets, and the same clause with the same match label at
// every place, in document order and in relevance order (the term statistics
// are bleve's on both).
func compareBackends(t *testing.T, bl, wv *index.Index, docs []*gongwen.Document, n int, seed uint64) {
	t.Helper()
	o := newOracle(bl.Segmenter(), docs)
	r := rand.New(rand.NewPCG(seed, 7))
	var samePlace, places, sameTop, tops int
	var blTook, wvTook time.Duration
	for i := 0; i < n; i++ {
		raw := randomQuery(r, o)
		q, err := query.Parse(raw)
		if err != nil {
			continue
		}
		req := index.Request{Query: q, Size: 100, NoHighlights: true}
		if r.IntN(5) == 0 {
			d := docs[r.IntN(len(docs))]
			req.Docs = []string{d.ID}
		}
		for _, sort := range []string{index.SortOrder, index.SortRelevance} {
			req.Sort = sort
			for from := 0; from < 200; from += req.Size {
				req.From = from
				start := time.Now()
				a, err := bl.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				mid := time.Now()
				b, err := wv.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("%q on weaviate: %v", raw, err)
				}
				blTook, wvTook = blTook+mid.Sub(start), wvTook+time.Since(mid)
				name := fmt.Sprintf("%q sort=%s from=%d", raw, sort, from)
				if a.Total != b.Total || fmt.Sprint(a.Facets) != fmt.Sprint(b.Facets) {
					t.Fatalf("%s: total %d, facets %v on bleve; %d, %v on weaviate", name, a.Total, a.Facets, b.Total, b.Facets)
				}
				if len(a.Hits) != len(b.Hits) {
					t.Fatalf("%s: %d hits on bleve, %d on weaviate", name, len(a.Hits), len(b.Hits))
				}
				for k := range a.Hits {
					ha, hb := a.Hits[k], b.Hits[k]
					switch {
					case ha.Match != hb.Match:
						t.Errorf("%s: hit %d is %s (%s) on bleve, %s (%s) on weaviate", name, from+k, ha.ID, ha.Match, hb.ID, hb.Match)
					case ha.ID != hb.ID:
						t.Errorf("%s: hit %d is %s on bleve, %s on weaviate", name, from+k, ha.ID, hb.ID)
					}
					if sort == index.SortRelevance {
						places++
						if ha.ID == hb.ID {
							samePlace++
						}
					}
				}
				if sort == index.SortRelevance && from == 0 && len(a.Hits) > 0 {
					tops++
					if sameIDs(a.Hits[:min(10, len(a.Hits))], b.Hits[:min(10, len(b.Hits))]) {
						sameTop++
					}
				}
				if from+req.Size >= a.Total {
					break
				}
			}
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	t.Logf("relevance order: %d of %d places hold the same clause as on bleve (%.1f%%); the first 10 hits the same, in order, for %d of %d queries (%.1f%%)",
		samePlace, places, 100*float64(samePlace)/float64(max(places, 1)), sameTop, tops, 100*float64(sameTop)/float64(max(tops, 1)))
	t.Logf("time searching: bleve %s, weaviate %s", blTook.Round(time.Millisecond), wvTook.Round(time.Millisecond))
}

func sameIDs(a, b []index.Hit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// A node killed with kill -9: every search answers as before, a document is
// ingested while it is down, and once it is back a search through it alone
// finds that document.
func TestWeaviateNodeLoss(t *testing.T) {
	w := weaviatetest.Cluster(t)
	w.CacheBytes = 0                      // every search asks the cluster
	corpusDir, dataDir := "", t.TempDir() // the embedded notice
	opt := index.Options{Weaviate: w}
	ix, _, _, err := library.Open(corpusDir, dataDir, opt)
	if err != nil {
		t.Fatal(err)
	}
	live := ix
	classes := []string{ix.Manifest().WeaviateClass}
	lib := library.NewManager(corpusDir, dataDir, opt, func() *index.Index { return live },
		func(nx *index.Index) {
			old := live
			live = nx
			classes = append(classes, nx.Manifest().WeaviateClass)
			old.Retire()
		}, func(time.Duration, error) {})
	lib.SetMerging(0, 32)
	t.Cleanup(func() {
		lib.Close()
		live.Close()
		for _, c := range classes {
			w.Drop(context.Background(), c)
		}
	})
	settle(t, ix)
	queries := []string{"科普", "全国科普日", "农村 电商", `"科技馆"`, "科普 -农村", "重庆市科学技术协会"}
	before := map[string]string{}
	for _, q := range queries {
		before[q] = answer(t, live, q)
	}

	const down = 2
	weaviatetest.Script(t, "kill", fmt.Sprint(down))
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			weaviatetest.Script(t, "start-node", fmt.Sprint(down))
		}
	})
	for _, q := range queries {
		if got := answer(t, live, q); got != before[q] {
			t.Errorf("%q with node %d down:\n got %s\nwant %s", q, down, got, before[q])
		}
	}
	notice, err := os.ReadFile(filepath.Join("..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(notice), "〔2022〕2 号", "〔2022〕902 号", 1)
	text = strings.Replace(text, "科普大篷车", "科普大篷车（节点停机时收录）", 1)
	added, _, err := lib.Ingest("while-down", []byte(text), false)
	if err != nil {
		t.Fatalf("ingesting with node %d down: %v", down, err)
	}
	if got := answer(t, live, "节点停机时收录"); !strings.Contains(got, "while-down") {
		t.Fatalf("the document ingested with node %d down is not found: %s", down, got)
	}
	withAdded := map[string]string{}
	for _, q := range queries {
		withAdded[q] = answer(t, live, q)
	}

	weaviatetest.Script(t, "start-node", fmt.Sprint(down))
	restarted = true
	// Through the restarted node alone, reading one replica: it has the
	// document once asynchronous replication has brought it.
	through := weaviatetest.Through(down)
	through.Consistency = "ONE"
	deadline := time.Now().Add(90 * time.Second)
	for {
		nx, err := index.OpenCurrent(dataDir, index.Options{Weaviate: through, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		got := answer(t, nx, "节点停机时收录")
		nx.Close()
		if strings.Contains(got, added.ID) && holdsAll(t, down, live) {
			t.Logf("node %d caught up", down)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("90 s after its restart, node %d does not find the document ingested while it was down: %s", down, got)
		}
		time.Sleep(2 * time.Second)
	}
	for _, q := range queries {
		if got := answer(t, live, q); got != withAdded[q] {
			t.Errorf("%q after node %d is back:\n got %s\nwant %s", q, down, got, withAdded[q])
		}
	}
}

// holdsAll reports whether node n has its own copy of every clause of ix.
func holdsAll(t *testing.T, n int, ix *index.Index) bool {
	t.Helper()
	class := ix.Manifest().WeaviateClass
	for _, d := range ix.Documents() {
		for _, id := range clauseIDs(ix, d.ID) {
			u := fmt.Sprintf("http://127.0.0.1:%d/v1/objects/%s/%s?node_name=node%d", 28080+n, class, index.ObjectID(id), n)
			res, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return false
			}
		}
	}
	return true
}

// clauseIDs lists a document's clauses.
func clauseIDs(ix *index.Index, doc string) []string {
	res, err := ix.Search(context.Background(), index.Request{Docs: []string{doc}, Size: 100, NoHighlights: true})
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// settle waits until every node holds its own copy of every clause of ix. An
// object written at QUORUM reaches the last replica a moment after the write
// is acknowledged, and a search in that moment may be answered by that
// replica without it: a test comparing answers takes its first ones once the
// cluster is whole. The clauses listed by searching are all the index's
// only once the replica answering has them all too.
func settle(t *testing.T, ix *index.Index) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for n := 0; n < weaviatetest.Nodes; {
		listed := 0
		for _, d := range ix.Documents() {
			listed += len(clauseIDs(ix, d.ID))
		}
		if listed == ix.Manifest().Clauses && holdsAll(t, n, ix) {
			n++
			continue
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the build, searches list %d of %d clauses, and node %d does not hold every one", listed, ix.Manifest().Clauses, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// answer is a search's total and first hits with their match labels.
func answer(t *testing.T, ix *index.Index, raw string) string {
	t.Helper()
	q, err := query.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), index.Request{Query: q, Size: 20, NoHighlights: true})
	if err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", res.Total)
	for _, h := range res.Hits {
		fmt.Fprintf(&b, " %s(%s)", h.ID, h.Match)
	}
	return b.String()
}
