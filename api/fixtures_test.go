package api

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/internal/docscheck"
)

// TestFixtureDocuments ingests every fixture document of testdata/docs through
// the admin API, then searches a phrase of its first body clause within it:
// that clause must come first, with the citation expected.json gives.
func TestFixtureDocuments(t *testing.T) {
	dir := filepath.Join("..", "testdata", "docs")
	exp, err := docscheck.LoadExpected(filepath.Join(dir, docscheck.ExpectedFile))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(exp))
	for name := range exp {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) < 16 {
		t.Fatalf("only %d fixtures", len(names))
	}
	base, _, _ := startServer(t, Options{AdminToken: "fixtures"}, nil)
	auth := map[string]string{"Authorization": "Bearer fixtures", "Content-Type": "text/plain; charset=utf-8"}

	for _, name := range names {
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		id := docscheck.DocID(name)
		res, body := send(t, "POST", base+"/api/v1/documents?id="+id, strings.NewReader(string(text)), auth)
		if res.StatusCode != 201 {
			t.Errorf("%s refused: %d %s", name, res.StatusCode, body)
			continue
		}
		var added map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &added); err != nil {
			t.Fatalf("%s: %v: %s", name, err, body)
		}
		if _, ok := added["warnings"]; !ok {
			t.Errorf("%s: the ingest answer has no warnings field: %s", name, body)
		}
		var got struct {
			ID       string
			Warnings []struct {
				Line    int
				Message string
			}
		}
		json.Unmarshal([]byte(body), &got)
		if got.ID != id {
			t.Errorf("%s: ingested as %q, asked for %q", name, got.ID, id)
		}
		if w := exp[name].WarningsMin; w != nil {
			if len(got.Warnings) < *w {
				t.Errorf("%s: %d warnings in the ingest answer, want at least %d: %s", name, len(got.Warnings), *w, body)
			}
			for _, x := range got.Warnings {
				if x.Line < 1 || x.Message == "" {
					t.Errorf("%s: a warning without line or message: %+v", name, x)
				}
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	for _, name := range names {
		fc := exp[name].FirstClause
		if fc == nil {
			t.Errorf("%s: no first_clause in expected.json", name)
			continue
		}
		id := docscheck.DocID(name)
		q := url.Values{"q": {fc.Phrase}, "doc": {id}}
		res, body := send(t, "GET", base+"/api/v1/search?"+q.Encode(), nil, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: search %q: %d %s", name, fc.Phrase, res.StatusCode, body)
			continue
		}
		var s struct {
			Hits []struct {
				ID       string `json:"id"`
				DocID    string `json:"doc_id"`
				Title    string `json:"title"`
				Citation string `json:"citation"`
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.Hits) == 0 {
			t.Errorf("%s: %q found nothing in the document", name, fc.Phrase)
			continue
		}
		h := s.Hits[0]
		if h.DocID != id || !strings.Contains(docscheck.Fold(h.Citation), docscheck.Fold(fc.Citation)) {
			t.Errorf("%s: %q gives first %s %q (%s), want the clause cited %q", name, fc.Phrase, h.ID, h.Citation, h.Title, fc.Citation)
		}
	}
}
