package api

import (
	"context"
	"encoding/json"
	"math"
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
	// earlier one showed. Every other response is written in the room the
	// one before it was written in, as a response no cache keeps is.
	clauses := lru.New[string, []byte](clauseBytes)
	room := new([]byte)
	for i, raw := range qs {
		q, err := query.Parse(raw)
		if err != nil {
			continue // the handler answers 400 before encoding
		}
		res, err := ix.Search(context.Background(), index.Request{Query: q, Size: 10, Sort: index.SortRelevance, Explain: i%5 == 0})
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		var in *[]byte
		if i%2 == 1 {
			in = room
		}
		e, err := encodeSearch(raw, res, clauses, in)
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

// The hand-written appends against encoding/json on the strings, numbers
// and shapes searches rarely produce.
func TestAppendedJSONIsEncodingJSON(t *testing.T) {
	strs := []string{"", "科普", `"quoted" \ back`, "<mark>a</mark> & b", "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "line\u2028para\u2029", "bad \xff\xfe utf-8 \xe4\xb8", "emoji 🙂", "全角ＡＢＣ"}
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("string %q: %s, want %s", s, got, want)
		}
	}
	for _, f := range []float64{0, 1, -0.5, 123.456, 1e-6, 9.99e-7, 1e-9, 1.5e-10, 1e20, 1e21, 3.4e38, math.SmallestNonzeroFloat64, 0.1 + 0.2} {
		want, _ := json.Marshal(f)
		got, err := appendJSONFloat(nil, f)
		if err != nil || string(got) != string(want) {
			t.Errorf("float %v: %s %v, want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := appendJSONFloat(nil, f); err == nil {
			t.Errorf("float %v encoded", f)
		}
	}
	for _, facets := range []map[string][]index.Facet{
		nil, {}, {"b": nil, "a": {}, "c": {{Value: "<x> & \"y\"", Count: 3}, {Value: "市科协", Count: -1}}},
	} {
		want, _ := json.Marshal(facets)
		if got := appendFacets(nil, facets); string(got) != string(want) {
			t.Errorf("facets %v: %s, want %s", facets, got, want)
		}
	}
	hit := index.Hit{Match: "exact", Score: 1.5e-7}
	for _, hl := range [][]string{nil, {}, {"a<b", "c"}} {
		hit.Highlights = hl
		want, _ := json.Marshal(hitOwn{Match: hit.Match, Highlights: hit.Highlights, Score: hit.Score})
		got, err := appendHitOwn([]byte{'{'}, &hit)
		if err != nil || "{"+string(got[2:]) != string(want) {
			t.Errorf("hit %v: %s %v, want %s", hl, got, err, want)
		}
	}
}
