package index_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/query"
)

// TestRunsSearchAsEveryClause: an index that writes the title and path fields
// on the leaders of runs only answers every search as one that writes them on
// every clause: the same totals, hits in the same order with the same scores,
// match labels, explanations and facets.
func TestRunsSearchAsEveryClause(t *testing.T) {
	for name, c := range map[string]*index.Corpus{
		"notice":    testCorpus,
		"synthetic": syntheticCorpus(t, 600, 11),
	} {
		t.Run(name, func(t *testing.T) {
			runs, err := index.Build(t.TempDir(), c, index.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer runs.Close()
			restore := index.EveryClauseLeads()
			every, err := index.Build(t.TempDir(), c, index.Options{})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			defer every.Close()
			if a, b := dirSize(t, runs.Dir()), dirSize(t, every.Dir()); a >= b {
				t.Errorf("the runs index takes %d bytes, every clause's %d: nothing was left out", a, b)
			}
			o := newOracle(runs.Segmenter(), c.Docs)
			r := rand.New(rand.NewPCG(11, 5))
			for i := 0; i < 400; i++ {
				raw := randomQuery(r, o)
				if i%4 == 0 {
					raw = titleOrPathQuery(r, c.Docs)
				}
				q, err := query.Parse(raw)
				if err != nil {
					continue
				}
				req := index.Request{Query: q, Size: 20, Explain: true}
				a, err := runs.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				b, err := every.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				a.Took, b.Took = 0, 0
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("%q: runs index\n%s\nevery clause\n%s", raw, describe(a), describe(b))
				}
			}
		})
	}
}

// titleOrPathQuery is a run of a title or a heading, where runs matter.
func titleOrPathQuery(r *rand.Rand, docs []*gongwen.Document) string {
	d := docs[r.IntN(len(docs))]
	c := d.Clauses[r.IntN(len(d.Clauses))]
	s := c.Title
	if len(c.Path) > 0 && r.IntN(2) == 0 {
		s = c.Path[r.IntN(len(c.Path))]
	}
	rs := []rune(s)
	if len(rs) < 2 {
		return "科普"
	}
	n := 1 + r.IntN(min(6, len(rs)))
	at := r.IntN(len(rs) - n + 1)
	return string(rs[at : at+n])
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func describe(r *index.Result) string {
	s := fmt.Sprintf("total %d\n", r.Total)
	for _, h := range r.Hits {
		s += fmt.Sprintf("  %s %s %v\n", h.ID, h.Match, h.Score)
	}
	return s
}
