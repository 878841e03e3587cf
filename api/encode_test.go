package api

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/lru"
	"policysearch/internal/query"
	"policysearch/internal/synth"
)

// A search response is encoded once and kept in pieces (encodeSearch); its
// bytes must be those encoding/json writes for the same response — the
// contract's field order, <, > and & escaped, empty lists as [] — for the
// relevance checks' searches, thousands of random ones, with and without
// explanations, and searches read otherwise (traditional, pinyin, no hits,
// related searches).
func TestEncodedSearchIsEncodingJSON(t *testing.T) {
	ix, corp, _, err := library.Open("", t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	evalDir := filepath.Join("..", "testdata", "eval")
	given, err := synth.Given(filepath.Join(evalDir, "dev-queries.json"), filepath.Join(evalDir, "own-queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range corp.Docs {
		for _, c := range d.Clauses {
			texts = append(texts, c.Text)
		}
	}
	qs := []string{"全國科普日", "quanguokepuri", "kpdpc", "科普大棚车", "科普", "科协", "<b>科普</b> & \"老年人\"", "没有这个词", "STEAM -农村"}
	for _, m := range synth.LongTail(given, texts, 3000, 7) {
		if m.Q != "" {
			qs = append(qs, m.Q)
		}
	}
	// Clauses are encoded once and kept: most searches show some clause an
	// earlier one showed.
	clauses := lru.New[[]byte](clauseBytes)
	for i, raw := range qs {
		q, err := query.Parse(raw)
		if err != nil {
			continue // the handler answers 400 before encoding
		}
		res, err := ix.Search(context.Background(), index.Request{Query: q, Size: 10, Sort: index.SortRelevance, Explain: i%5 == 0})
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		e, err := encodeSearch(raw, res, clauses)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		got := string(e.head) + "0" + string(e.tail)
		hits := res.Hits
		if hits == nil {
			hits = []index.Hit{}
		}
		want, err := json.Marshal(searchResponse{Query: raw, Total: res.Total, Hits: hits, Facets: res.Facets,
			Interpreted: res.Interpreted, Related: res.Related, Suggestions: res.Suggestions})
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want)+"\n" {
			t.Fatalf("%q:\n got %s\nwant %s", raw, got, want)
		}
	}
}
