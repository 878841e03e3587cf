package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/query"
)

// The search path keeps per-clause arrays keyed by bleve's document numbers,
// which bleve assigns per segment and a merge changes (the merged segment goes
// to the end of the snapshot). It reads the numbers of the snapshot it opened,
// once per segment, and keeps that snapshot. At 10,000+ clauses in several
// parts of several segments each, it agrees with the oracle; while bleve merges
// the segments under it, it answers as before; reopened on the merged
// segments, numbered anew, it answers the same again.
func TestNumberingAcrossSegmentsAndMerges(t *testing.T) {
	c := syntheticCorpus(t, 10000, 5)
	dataDir := t.TempDir()
	restore := index.BuildForTest(3, 1000)
	ix, err := index.Build(dataDir, c, index.Options{})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if n := ix.Manifest().Clauses; n < 10000 {
		t.Fatalf("%d clauses", n)
	}
	if ix.Segments() < 6 {
		t.Fatalf("%d segments; the test needs several per part", ix.Segments())
	}
	t.Logf("%d clauses in %d segments of 3 parts", ix.Manifest().Clauses, ix.Segments())
	checkOracle(t, ix, c.Docs, 300, 5)

	reqs := stabilityRequests(t, ix)
	before := answers(t, ix, reqs)
	if err := ix.MergeParts(); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, ix, reqs); got != before {
		t.Fatalf("answers changed while the segments were merged:\n%s", firstDiff(got, before))
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = index.OpenCurrent(dataDir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Segments() != 3 {
		t.Fatalf("%d segments after merging, want one per part", ix.Segments())
	}
	if got := answers(t, ix, reqs); got != before {
		t.Fatalf("answers changed on the merged segments:\n%s", firstDiff(got, before))
	}
	checkOracle(t, ix, c.Docs, 100, 6)
}

func stabilityRequests(t *testing.T, ix *index.Index) []index.Request {
	r := rand.New(rand.NewPCG(9, 9))
	var reqs []index.Request
	for _, s := range []string{"科普", "科", "全国科普日", "科普 农村", "市科协", "开展 -农村", `"科技馆"`} {
		q, _ := query.Parse(s)
		reqs = append(reqs, index.Request{Query: q, Size: 20, Explain: true})
	}
	depts := ix.Departments()
	for i := 0; i < 40; i++ {
		d := depts[r.IntN(len(depts))].Name
		name, err := ix.FindDepartment(d)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := query.Parse([]string{"科普", "", "活动", "服务"}[i%4])
		for _, sort := range []string{index.SortRelevance, index.SortOrder} {
			reqs = append(reqs, index.Request{Query: q, Departments: []string{name}, Size: 20, From: i % 3 * 5, Sort: sort, Explain: true})
		}
	}
	return reqs
}

// answers is every request's total, facets and page, hit by hit.
func answers(t *testing.T, ix *index.Index, reqs []index.Request) string {
	var b strings.Builder
	for _, req := range reqs {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%q %v: %d %v\n", req.Query.Raw, req.Departments, res.Total, res.Facets)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "  %s %s %.6f %v\n", h.ID, h.Match, h.Score, h.Highlights)
		}
	}
	return b.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i, al[i], bl[min(i, len(bl)-1)])
		}
	}
	return "(equal)"
}
