package index_test

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"policysearch/index"
	"policysearch/internal/segment"
)

// The manifest's frequent words, which suggestions rank, count the clauses
// whose text holds each word: checked against cutting every clause again, on
// a corpus whose builder merged several segments (a merged segment's
// dictionary counts are what went wrong before).
func TestFrequentTermsCountEveryClause(t *testing.T) {
	ix, c := syntheticIndex(t, 3000, 11)
	seg, err := segment.Shared("")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	clauses := 0
	for _, d := range c.Docs {
		for _, cl := range d.Clauses {
			clauses++
			seen := map[string]bool{}
			for _, tok := range seg.Tokens(cl.Text) {
				if !seen[tok.Term] {
					seen[tok.Term] = true
					counts[tok.Term]++
				}
			}
		}
	}
	if clauses <= 2000 {
		t.Fatalf("%d clauses: the builder writes one segment and merges none", clauses)
	}
	var want []index.TermCount
	for term, n := range counts {
		if n >= 2 && utf8.RuneCountInString(term) >= 2 && strings.ContainsFunc(term, segment.Searchable) {
			want = append(want, index.TermCount{Term: term, Count: n})
		}
	}
	sort.Slice(want, func(i, j int) bool {
		if want[i].Count != want[j].Count {
			return want[i].Count > want[j].Count
		}
		return want[i].Term < want[j].Term
	})
	if len(want) > 2000 {
		want = want[:2000]
	}
	got := ix.Manifest().Terms
	if len(got) != len(want) {
		t.Fatalf("%d frequent words, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frequent word %d is %v, want %v", i, got[i], want[i])
		}
	}
	if want[0].Count < clauses/10 {
		t.Fatalf("the most frequent word, %v, is in under a tenth of %d clauses", want[0], clauses)
	}
}
