package synth

import (
	"bytes"
	"math"
	"testing"

	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// A series parses back year by year, with the edit log accounting for every
// item of both years and the edits in the shares the issue asks for.
func TestSeriesEdits(t *testing.T) {
	seg, err := segment.Shared("")
	if err != nil {
		t.Fatal(err)
	}
	docs, edits, err := Series(SeriesOptions{Years: 10, Items: 45, Seed: 1}, seg)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 10 || len(edits) != 9 {
		t.Fatalf("%d documents and %d edit logs, want 10 and 9", len(docs), len(edits))
	}
	items := make([]int, len(docs))
	for k, d := range docs {
		doc, err := gongwen.Parse(d.ID, d.Text)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Year != 2016+k {
			t.Errorf("%s: year %d, want %d", d.ID, doc.Year, 2016+k)
		}
		for _, c := range doc.Clauses {
			switch c.Kind {
			case gongwen.KindItem:
				items[k]++
				if c.Number != items[k] {
					t.Fatalf("%s: item %d where %d was expected", d.ID, c.Number, items[k])
				}
			case gongwen.KindParagraph:
				t.Errorf("%s: unexpected paragraph clause: %s", d.ID, c.Text)
			}
		}
	}
	if !bytes.Contains(docs[0].Text, []byte("市科委")) || bytes.Contains(docs[9].Text, []byte("市科委")) {
		t.Error("want 市科委 named in 2016 and 市科技局 in 2025 (renamed in 2018)")
	}
	for k, e := range edits {
		from, to := items[k], items[k+1]
		if len(e.Pairs)+len(e.Deleted) != from || len(e.Pairs)+len(e.Inserted) != to {
			t.Errorf("%s→%s: %d pairs, %d deleted, %d inserted do not account for %d and %d items",
				e.From, e.To, len(e.Pairs), len(e.Deleted), len(e.Inserted), from, to)
		}
		share := func(n int) float64 { return float64(n) / float64(from) }
		if s := share(len(e.Inserted) + len(e.Deleted)); s < 0.10 {
			t.Errorf("%s: %.2f of items inserted or deleted, want at least 0.10", e.To, s)
		}
		if s := share(len(e.Moved)); s < 0.08 {
			t.Errorf("%s: %.2f of items moved, want about 0.10", e.To, s)
		}
		if s := share(len(e.Reworded)); s < 0.18 {
			t.Errorf("%s: %.2f of items reworded, want about 0.20", e.To, s)
		}
		if s := share(len(e.Departments)); s < 0.08 {
			t.Errorf("%s: %.2f of items with other departments, want about 0.10", e.To, s)
		}
		if len(e.CampaignsAdded) == 0 || len(e.CampaignsDropped) == 0 {
			t.Errorf("%s: campaigns added %v dropped %v, want both", e.To, e.CampaignsAdded, e.CampaignsDropped)
		}
		for _, r := range e.Reworded {
			if r.Share < 0.33 || r.Share > 0.5 || math.IsNaN(r.Share) {
				t.Errorf("%s: item %d reworded by %.2f, want a third to a half", e.To, r.To, r.Share)
			}
		}
	}
	again, _, _ := Series(SeriesOptions{Years: 10, Items: 45, Seed: 1}, seg)
	for k := range docs {
		if !bytes.Equal(docs[k].Text, again[k].Text) {
			t.Fatalf("%s differs between two runs with the same seed", docs[k].ID)
		}
	}
}
