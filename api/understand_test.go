package api_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// understood is what a search response says of how the query was read.
type understood struct {
	Total       int `json:"total"`
	Hits        []hit
	Interpreted *struct {
		Query      string `json:"query"`
		Simplified string `json:"simplified"`
		Pinyin     []struct {
			Pinyin string   `json:"pinyin"`
			Words  []string `json:"words"`
		} `json:"pinyin"`
	} `json:"interpreted"`
	Related []struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Hits  []hit  `json:"hits"`
	} `json:"related"`
	Suggestions []string `json:"suggestions"`
}

// Over HTTP with the real index: traditional characters, pinyin, related
// searches and did-you-mean, each as the response says them.
func TestSearchReadsQueries(t *testing.T) {
	for _, tc := range []struct {
		q           string
		total       int
		first       int // item number of the first hit; 0: none asked
		interpreted string
		related     string // query:total, comma-separated
		suggestions string
	}{
		{q: "全國科普日", total: 3, first: 5, interpreted: "全国科普日"},
		{q: "科學辟謠", total: 2, interpreted: "科学辟谣"},
		{q: "科普大篷車", total: 2, interpreted: "科普大篷车"},
		{q: "te", total: 1, first: 9},
		{q: "STEAM", total: 1, first: 9},
		{q: "quanguokepuri", total: 3, first: 5, interpreted: "全国科普日"},
		{q: "quan guo ke pu ri", total: 3, first: 5, interpreted: "全国科普日"},
		{q: "kēpǔ", total: 35, interpreted: "科普", related: "科学普及:1"},
		{q: "nongcunkepu", total: 8, first: 5, interpreted: "农村 科普"},
		{q: "chongqing", total: 20, interpreted: "重庆"},
		{q: "kepux", total: 0},
		{q: "App", total: 0},
		{q: "科普大棚车", total: 0, suggestions: "科普大篷车"},
		{q: "科普", total: 35, related: "科学普及:1"},
		{q: `"科普"`, total: 33},
	} {
		var got understood
		getJSON(t, "/api/v1/search?q="+url.QueryEscape(tc.q), 200, &got)
		interpreted := ""
		if got.Interpreted != nil {
			interpreted = got.Interpreted.Query
		}
		var related []string
		for _, r := range got.Related {
			related = append(related, r.Query+":"+itoa(r.Total))
		}
		if got.Total != tc.total || interpreted != tc.interpreted || strings.Join(related, ",") != tc.related ||
			strings.Join(got.Suggestions, ",") != tc.suggestions {
			t.Errorf("%s: total %d, interpreted %q, related %q, suggestions %q; want %d, %q, %q, %q",
				tc.q, got.Total, interpreted, related, got.Suggestions, tc.total, tc.interpreted, tc.related, tc.suggestions)
		}
		if tc.first != 0 && (len(got.Hits) == 0 || got.Hits[0].Number != tc.first) {
			t.Errorf("%s: first hit %+v, want item %d", tc.q, got.Hits, tc.first)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// The encoded response the cache keeps says what the freshly encoded one
// (pretty) says, and a search asked again answers the same.
func TestReadQueriesCached(t *testing.T) {
	for _, q := range []string{"quanguokepuri", "科普", "科普大棚车", "全國科普日"} {
		path := "/api/v1/search?explain=true&q=" + url.QueryEscape(q)
		var first, again, pretty map[string]any
		getJSON(t, path, 200, &first)
		getJSON(t, path, 200, &again)
		getJSON(t, path+"&pretty", 200, &pretty)
		for _, m := range []map[string]any{first, again, pretty} {
			delete(m, "took_ms")
		}
		if !reflect.DeepEqual(first, again) || !reflect.DeepEqual(first, pretty) {
			t.Errorf("%s: the cached or pretty response differs", q)
		}
	}
}

// Long and odd Latin queries are read or refused quickly, never a 5xx.
func TestReadQueriesBadInput(t *testing.T) {
	for _, q := range []string{
		strings.Repeat("kepu", 64),
		strings.Repeat("zzzz", 64),
		strings.Repeat("科普大棚车 ", 42),
		"ǜǜǜ", "'''", "ke1pu9", "-kepu", `"quanguokepuri"`,
	} {
		start := time.Now()
		res, b := get(t, "/api/v1/search?q="+url.QueryEscape(q))
		if res.StatusCode != 200 && res.StatusCode != 400 {
			t.Errorf("%.20s…: %d %s", q, res.StatusCode, b)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.20s…: %s", q, d)
		}
	}
}
