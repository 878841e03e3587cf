package compare_test

import (
	"fmt"
	"testing"

	"policysearch/internal/compare"
	"policysearch/internal/gongwen"
	"policysearch/internal/synth"
)

// scores counts an alignment against a generated series' edit log.
type scores struct {
	truePairs, found, correct       int
	moves, movesFound, movesCorrect int
	deptErrors                      int
}

func (s scores) precision() float64 { return ratio(s.correct, s.found) }
func (s scores) recall() float64    { return ratio(s.correct, s.truePairs) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measureSeries compares each year of a generated series with the year before
// and scores the pairs against the edit log.
func measureSeries(t testing.TB, opt synth.SeriesOptions) scores {
	t.Helper()
	c, seg := compare.ForTest(t)
	docs, edits, err := synth.Series(opt, seg)
	if err != nil {
		t.Fatal(err)
	}
	parsed := make([]*gongwen.Document, len(docs))
	for k, d := range docs {
		if parsed[k], err = gongwen.Parse(d.ID, d.Text); err != nil {
			t.Fatal(err)
		}
	}
	var s scores
	for k, e := range edits {
		res, err := c.Compare(parsed[k], parsed[k+1])
		if err != nil {
			t.Fatal(err)
		}
		id := func(doc string, n int) string { return fmt.Sprintf("%s:%d", doc, n) }
		truth := map[string]string{}
		for _, p := range e.Pairs {
			truth[id(e.From, p[0])] = id(e.To, p[1])
		}
		movedTruth := map[string]bool{}
		for _, n := range e.Moved {
			movedTruth[id(e.To, n)] = true
		}
		deptEdit := map[string]synth.DepartmentEdit{}
		for _, d := range e.Departments {
			deptEdit[id(e.To, d.To)] = d
		}
		gained, lost := map[string]map[string]bool{}, map[string]map[string]bool{}
		for _, d := range res.Departments {
			for _, x := range d.Gained {
				if gained[x] == nil {
					gained[x] = map[string]bool{}
				}
				gained[x][d.Name] = true
			}
			for _, x := range d.Lost {
				if lost[x] == nil {
					lost[x] = map[string]bool{}
				}
				lost[x][d.Name] = true
			}
		}
		s.truePairs += len(e.Pairs)
		s.moves += len(e.Moved)
		for _, p := range res.Pairs {
			s.found++
			if p.Moved {
				s.movesFound++
				if movedTruth[p.To] {
					s.movesCorrect++
				}
			}
			if truth[p.From] != p.To {
				continue
			}
			s.correct++
			// A pair found right gains and loses exactly the departments the
			// log says, by current name: a department renamed between the
			// years (市科委 → 市科技局 in 2018) is neither.
			want := deptEdit[p.To]
			if !sameSet(gained[p.To], want.Added) || !sameSet(lost[p.From], want.Removed) {
				s.deptErrors++
				if s.deptErrors <= 3 {
					t.Logf("%s → %s: gained %v lost %v, the log says added %v removed %v",
						p.From, p.To, gained[p.To], lost[p.From], want.Added, want.Removed)
				}
			}
		}
	}
	return s
}

func sameSet(got map[string]bool, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}

// The alignment of a 10-year series of 45-item documents, each year made from
// the one before by the edits of synth.Series, finds at least 95% of the true
// pairs and at least 95% of what it pairs is true. The heavier rewording (half
// of the words of each reworded item) is measured and logged for
// docs/QUALITY.md.
func TestSeriesAlignmentQuality(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max float64
		bar      float64
	}{
		{"a third to a half of the words", 0, 0, 0.95},
		{"half of the words", 0.5, 0.5, 0},
		{"two thirds of the words", 2.0 / 3, 2.0 / 3, 0},
	} {
		for _, seed := range []uint64{1, 2, 3} {
			s := measureSeries(t, synth.SeriesOptions{Years: 10, Items: 45, Seed: seed, RewordMin: tc.min, RewordMax: tc.max})
			t.Logf("rewording %s, seed %d: precision %.3f (%d/%d), recall %.3f (%d/%d); moved precision %.3f recall %.3f; department errors %d",
				tc.name, seed, s.precision(), s.correct, s.found, s.recall(), s.correct, s.truePairs,
				ratio(s.movesCorrect, s.movesFound), ratio(s.movesCorrect, s.moves), s.deptErrors)
			if s.precision() < tc.bar || s.recall() < tc.bar {
				t.Errorf("rewording %s, seed %d: precision %.3f, recall %.3f, want both ≥ %.2f", tc.name, seed, s.precision(), s.recall(), tc.bar)
			}
			if s.deptErrors > 0 {
				t.Errorf("rewording %s, seed %d: %d pairs whose department changes differ from the log", tc.name, seed, s.deptErrors)
			}
		}
	}
}

// BenchmarkCompare45 compares two consecutive years of a generated series of
// 45-item documents: cutting, weighing, aligning and diffing every pair.
func BenchmarkCompare45(b *testing.B) {
	c, seg := compare.ForTest(b)
	docs, _, err := synth.Series(synth.SeriesOptions{Years: 2, Items: 45, Seed: 1}, seg)
	if err != nil {
		b.Fatal(err)
	}
	from, err := gongwen.Parse(docs[0].ID, docs[0].Text)
	if err != nil {
		b.Fatal(err)
	}
	to, err := gongwen.Parse(docs[1].ID, docs[1].Text)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Compare(from, to); err != nil {
			b.Fatal(err)
		}
	}
}
