package index_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/query"
)

// Terms' posting lists are decoded once and kept: the searches that
// read them from the kept copy must score exactly as those that decode them
// again, to the last bit of every score.
func TestKeptWeightsScoreAlike(t *testing.T) {
	ix, _ := syntheticIndex(t, 3000, 11)
	var reqs []index.Request
	for _, s := range []string{"科普", "科", "开展", "按职责分工负责", "科普 活动 服务", "全国科普日", "工作 -农村", `"科技馆"`, "职责分"} {
		q, err := query.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, sort := range []string{index.SortRelevance, index.SortOrder} {
			reqs = append(reqs, index.Request{Query: q, Size: 50, Sort: sort})
		}
	}
	scores := func() string {
		var b strings.Builder
		for _, req := range reqs {
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q %s: %d\n", req.Query.Raw, req.Sort, res.Total)
			for _, h := range res.Hits {
				fmt.Fprintf(&b, "  %s %s %v\n", h.ID, h.Match, h.Score)
			}
		}
		return b.String()
	}
	ix.KeepWeights(0)
	decoded := scores()
	if n := ix.KeptWeights(); n != 0 {
		t.Fatalf("%d lists kept with no budget", n)
	}
	ix.KeepWeights(32 << 20)
	first := scores() // decodes and keeps
	if ix.KeptWeights() == 0 {
		t.Fatal("no posting list kept: the searches read no frequent term")
	}
	kept := scores() // reads the kept lists
	if first != decoded {
		t.Fatalf("scores differ while keeping:\n%s", firstDiff(first, decoded))
	}
	if kept != decoded {
		t.Fatalf("scores differ from kept lists:\n%s", firstDiff(kept, decoded))
	}
}

// Facets counted on every core, each over its share of the matches, add up
// to those counted in one walk.
func TestFacetsCountedOnEveryCoreAlike(t *testing.T) {
	ix, _ := syntheticIndex(t, 3000, 11)
	ix.SetSearchCache(0)
	facets := func() string {
		var b strings.Builder
		for _, s := range []string{"科普", "科", "开展 工作", "职责分", "全国科普日"} {
			q, err := query.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.Search(context.Background(), index.Request{Query: q, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q %d %v\n", s, res.Total, res.Facets)
		}
		return b.String()
	}
	one := facets()
	restore := index.CountFacetsFrom(2)
	defer restore()
	spread := facets()
	if spread != one {
		t.Fatalf("facets counted on every core differ:\n%s", firstDiff(spread, one))
	}
	if !strings.Contains(one, "departments:[{") {
		t.Fatalf("no department counted: %s", one)
	}
}

// Uncached searches wait for a free core, first come first served, and stop
// waiting when their request is given up.
func TestSearchesWaitForACore(t *testing.T) {
	q, err := query.Parse("科普 活动")
	if err != nil {
		t.Fatal(err)
	}
	req := index.Request{Query: q, Size: 10}
	release := index.HoldSearchSlots()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if res, err := testIndex.Search(ctx, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("with every core busy: %v, %v; want the deadline", res, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := testIndex.Search(context.Background(), req)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("a search ran with every core busy (%v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting search did not run once a core was free")
	}
}
