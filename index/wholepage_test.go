package index_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/query"
)

// A page reaching past the last match is put in order without going through
// the tiers (wholePage): it must be the page the tiers give, hit for hit,
// score for score, bit for bit.
func TestWholePageAsTiered(t *testing.T) {
	syn, c := syntheticIndex(t, 1000, 3)
	for _, tc := range []struct {
		name string
		ix   *index.Index
		docs []*gongwen.Document
		n    int
	}{
		{"notice", testIndex, testCorpus.Docs, 1500},
		{"library", libraryIdx(t), libraryDocs(t), 500},
		{"synthetic", syn, c.Docs, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer tc.ix.SetSearchCache(tc.ix.SearchCacheBytes())
			tc.ix.SetSearchCache(0) // both ways searched, never one remembered
			o := newOracle(tc.ix.Segmenter(), tc.docs)
			r := rand.New(rand.NewPCG(11, 13))
			whole := 0
			for i := 0; i < tc.n; i++ {
				raw := randomQuery(r, o)
				q, err := query.Parse(raw)
				if err != nil {
					continue
				}
				for _, page := range [][2]int{{0, 10}, {0, 100}, {2, 5}} {
					req := index.Request{Query: q, From: page[0], Size: page[1], Explain: true}
					got, err := tc.ix.Search(context.Background(), req)
					if err != nil {
						t.Fatal(err)
					}
					restore := index.TierEveryPage()
					want, err := tc.ix.Search(context.Background(), req)
					restore()
					if err != nil {
						t.Fatal(err)
					}
					if got.Total <= page[0]+page[1] && len(got.Hits) > 0 {
						whole++
					}
					if g, w := pageOf(got), pageOf(want); g != w {
						t.Fatalf("%q from %d size %d:\n got %s\nwant %s", raw, page[0], page[1], g, w)
					}
				}
			}
			if whole < tc.n/4 {
				t.Fatalf("only %d pages reached past their last match", whole)
			}
			t.Logf("%d pages reached past their last match, all as the tiers put them", whole)
		})
	}
}

// A short page of a tier of many candidates visits the tier's leaders first
// (best's leaders): it must be the same stretch of the order that a page
// long enough to order every candidate gives, score for score.
func TestShortPageAsLongPage(t *testing.T) {
	ix, c := syntheticIndex(t, 1000, 3)
	defer ix.SetSearchCache(ix.SearchCacheBytes())
	ix.SetSearchCache(0)
	o := newOracle(ix.Segmenter(), c.Docs)
	r := rand.New(rand.NewPCG(17, 19))
	const long = 2000 // more than the synthetic index's clauses
	many := 0
	for i := 0; i < 400; i++ {
		raw := randomQuery(r, o)
		q, err := query.Parse(raw)
		if err != nil {
			continue
		}
		all, err := ix.Search(context.Background(), index.Request{Query: q, Size: long, Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total > 400 {
			many++
		}
		for _, page := range [][2]int{{0, 10}, {10, 10}, {3, 7}, {0, 1}} {
			got, err := ix.Search(context.Background(), index.Request{Query: q, From: page[0], Size: page[1], Explain: true})
			if err != nil {
				t.Fatal(err)
			}
			want := *all
			want.Hits = all.Hits[min(page[0], len(all.Hits)):min(page[0]+page[1], len(all.Hits))]
			if g, w := pageOf(got), pageOf(&want); g != w {
				t.Fatalf("%q from %d size %d:\n got %s\nwant %s", raw, page[0], page[1], g, w)
			}
		}
	}
	if many < 30 {
		t.Fatalf("only %d queries found more than 400 clauses", many)
	}
	t.Logf("%d queries found more than 400 clauses; their short pages are their long page's", many)
}

// pageOf writes out what a page shows: each hit, its match, its tier, its
// score to the bit, and its highlights.
func pageOf(res *index.Result) string {
	s := fmt.Sprintf("total %d:", res.Total)
	for _, h := range res.Hits {
		tier := 0
		if h.Explain != nil {
			tier = h.Explain.Tier
		}
		s += fmt.Sprintf(" %s/%s/%d/%x/%q", h.ID, h.Match, tier, math.Float64bits(h.Score), h.Highlights)
	}
	return s
}

// Searches at once answer as searches alone: they share the matchers done
// with, their sets and the kept folded texts of the hits.
func TestSearchesTogetherAsAlone(t *testing.T) {
	ix := testIndex
	defer ix.SetSearchCache(ix.SearchCacheBytes())
	ix.SetSearchCache(0)
	o := newOracle(ix.Segmenter(), testCorpus.Docs)
	r := rand.New(rand.NewPCG(5, 8))
	var reqs []index.Request
	var want []string
	for len(reqs) < 300 {
		q, err := query.Parse(randomQuery(r, o))
		if err != nil {
			continue
		}
		req := index.Request{Query: q, Size: 10, From: r.IntN(3), Explain: true}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		reqs, want = append(reqs, req), append(want, pageOf(res))
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for k := range reqs {
				i := (k*7 + g*37) % len(reqs)
				res, err := ix.Search(context.Background(), reqs[i])
				if err == nil && pageOf(res) != want[i] {
					err = fmt.Errorf("%q together: %s, alone: %s", reqs[i].Query.Raw, pageOf(res), want[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
