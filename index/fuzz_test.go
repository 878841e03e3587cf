package index_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"policysearch/index"
	"policysearch/internal/query"
)

// FuzzSearch: any query string is either refused by the query parser or
// searched without error, and every highlight is valid UTF-8 with nothing but
// <mark> unescaped.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"全国科普日", `"科普 -农村`, "-", "+", "“”", "ＳＴＥＡＭ 2022", "科普+产业 -\"x\"", "\xff\x00", "*?:~^\\/", "a -a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := query.Parse(s)
		if err != nil {
			return
		}
		for _, sort := range []string{index.SortRelevance, index.SortOrder} {
			res, err := testIndex.Search(context.Background(), index.Request{Query: q, Size: 20, Sort: sort, Explain: true})
			if err != nil {
				if q.Empty() {
					continue
				}
				t.Fatalf("%q: %v", s, err)
			}
			for _, h := range res.Hits {
				for _, frag := range h.Highlights {
					rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag)
					if !utf8.ValidString(frag) || strings.ContainsAny(rest, "<>") {
						t.Fatalf("%q: bad highlight %q", s, frag)
					}
				}
			}
		}
	})
}
