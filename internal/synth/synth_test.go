package synth

import (
	"bytes"
	"testing"

	"policysearch/internal/gongwen"
)

// TestCorpusParses checks that the parser reads back exactly the items written,
// each with its departments, in every document.
func TestCorpusParses(t *testing.T) {
	for _, n := range []int{1, 29, 61, 1000} {
		docs, err := Generate(Options{Items: n, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		items := 0
		for _, d := range docs {
			doc, err := gongwen.Parse(d.ID, d.Text)
			if err != nil {
				t.Fatalf("n=%d %s: %v", n, d.ID, err)
			}
			if doc.Number == "" || doc.Date == "" || doc.Title == "" {
				t.Errorf("%s: metadata not read back: %+v", d.ID, doc)
			}
			want := 1
			for _, c := range doc.Clauses {
				switch c.Kind {
				case gongwen.KindItem:
					if c.Number != want {
						t.Fatalf("%s: item %d where %d was expected", d.ID, c.Number, want)
					}
					want++
					items++
					if len(c.Departments) == 0 {
						t.Errorf("%s: item %d has no departments: %s", d.ID, c.Number, c.Text)
					}
					if len(c.Path) == 0 {
						t.Errorf("%s: item %d has no section", d.ID, c.Number)
					}
				case gongwen.KindParagraph:
					t.Errorf("%s: unexpected paragraph clause: %s", d.ID, c.Text)
				}
			}
		}
		if items != n {
			t.Errorf("n=%d: %d items parsed", n, items)
		}
	}
}

func TestSameSeedSameCorpus(t *testing.T) {
	a, _ := Generate(Options{Items: 200, Seed: 3})
	b, _ := Generate(Options{Items: 200, Seed: 3})
	c, _ := Generate(Options{Items: 200, Seed: 4})
	if len(a) != len(b) {
		t.Fatalf("%d and %d documents", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || !bytes.Equal(a[i].Text, b[i].Text) {
			t.Fatalf("document %d differs between two runs with one seed", i)
		}
	}
	if bytes.Equal(a[0].Text, c[0].Text) {
		t.Error("two seeds gave the same first document")
	}
}
