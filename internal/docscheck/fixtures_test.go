package docscheck

import (
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../testdata/docs"

// TestFixtures: the parser and the index read every fixture document as
// testdata/docs/expected.json says a careful reader does.
func TestFixtures(t *testing.T) {
	rep, err := Check(fixtures, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents() < 16 {
		t.Fatalf("only %d fixture documents", rep.Documents())
	}
	if rep.Failures() > 0 {
		var b strings.Builder
		rep.WriteText(&b, true)
		t.Fatalf("fixtures not read as expected (go run ./cmd/policysearch eval-docs testdata/docs):\n%s", b.String())
	}
	t.Log(rep.Summary())
}

// TestFixturesPinTheirBody: every fixture's expectations pin the first clause of
// its body, and say something about the clauses or the searches.
func TestFixturesPinTheirBody(t *testing.T) {
	exp, err := LoadExpected(filepath.Join(fixtures, ExpectedFile))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(fixtures, "*.txt"))
	if len(files) != len(exp) {
		t.Errorf("%d documents, %d entries in expected.json", len(files), len(exp))
	}
	for name, e := range exp {
		if e.FirstClause == nil || e.FirstClause.Phrase == "" || e.FirstClause.Citation == "" {
			t.Errorf("%s: no first_clause {phrase, citation}", name)
		}
		if len(e.Clauses) == 0 && len(e.SearchCitation) == 0 {
			t.Errorf("%s: neither clauses nor search_citation", name)
		}
	}
}
