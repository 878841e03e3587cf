package index

import (
	"math"
	"runtime"
	"sync"
)

// Scoring: bleve's tf-idf of the plan's scoring clauses, computed from the
// posting lists' frequencies and norms, as bleve computes it for a disjunction
// of the clauses: the sum of the clauses a clause matches, times the share of
// the clauses it matches (coord), each term scored boost × idf × queryNorm ×
// √tf × norm × idf. A substring's clause counts only where the substring
// holds, which for three or more characters is known once the clause's text
// has been checked: until then, the table gives an upper bound.

// scoreTable holds the scores of a set of clauses.
type scoreTable struct {
	docs    []int     // bleve document numbers, ascending
	base    []float64 // the clauses other than substrings', per doc
	matched []int32   // how many of those match, per doc
	// The substrings' clauses: their sum per doc where their character pairs
	// occur, and the condition that decides whether they count.
	phrase     [][]float64
	phraseCond []*subCond
	clauses    int
}

// scoreTable scores docs (ascending document numbers) for the scoring clauses.
func (m *matcher) scoreTable(scoring []scoreClause, docs []int) (*scoreTable, error) {
	t := &scoreTable{docs: docs, clauses: len(scoring), base: m.floats.take(len(docs)), matched: m.matches.take(len(docs))}
	if len(scoring) == 0 || len(docs) == 0 {
		return t, nil
	}
	n := m.n
	type weighted struct {
		t   *termCond
		idf float64
	}
	idfs := make([][]weighted, len(scoring))
	terms := 0
	for _, sc := range scoring {
		terms += len(sc.terms)
	}
	all := make([]weighted, 0, terms) // idfs' lists, one after another
	if err := m.readyWeights(scoring, len(docs)); err != nil {
		return nil, err
	}
	sumSquares := 0.0
	for i, sc := range scoring {
		for _, tc := range sc.terms {
			df := m.docFreq(tc)
			idf := 1 + math.Log(float64(n.docTotal)/float64(df+1))
			all = append(all, weighted{tc, idf})
			idfs[i] = all[len(all)-len(idfs[i])-1:]
			w := sc.boost * idf
			sumSquares += w * w
		}
	}
	queryNorm := 1.0
	if sumSquares > 0 {
		queryNorm = 1 / math.Sqrt(sumSquares)
	}
	// Each clause's sum per doc, the docs spread over the cores in ranges
	// when there are many: each range reads its own part of the posting
	// lists. Every doc's sum adds its terms in the same order either way,
	// and its base adds the clauses in their order. A substring's clause
	// keeps its sums (whether it counts is decided later); the others' are
	// added to the base as soon as they are known, in one buffer reused.
	sums := make([][]float64, len(scoring)) // a substring's sums, nil for the other clauses
	for i, sc := range scoring {
		if sc.phrase != nil {
			sums[i] = m.floats.take(len(docs))
		}
	}
	scratch := m.floats.take(len(docs))
	workers := 1
	if len(docs) >= parallelScores {
		workers = min(runtime.GOMAXPROCS(0), len(docs)/(parallelScores/2))
	}
	errs := make([]error, workers)
	score := func(w int) {
		lo, hi := w*len(docs)/workers, (w+1)*len(docs)/workers
		base, matched := t.base[lo:hi], t.matched[lo:hi]
		for i, sc := range scoring {
			sum := scratch[lo:hi]
			if sc.phrase != nil {
				sum = sums[i][lo:hi]
			} else {
				clear(sum)
			}
			for _, tw := range idfs[i] {
				queryWeight := sc.boost * tw.idf * queryNorm
				if err := m.addWeights(tw.t, sum, docs[lo:hi], tw.idf, queryWeight); err != nil {
					errs[w] = err
					return
				}
			}
			if sc.phrase != nil {
				continue
			}
			// A term's score is never 0 where it occurs (idf > 0, norm > 0).
			for k, v := range sum {
				if v > 0 {
					base[k] += v
					matched[k]++
				}
			}
		}
	}
	if workers == 1 {
		score(0)
	} else {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				score(w)
			}()
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i, sc := range scoring {
		if sc.phrase != nil {
			// Where no pair occurs the clause is 0, and counted as not matching.
			t.phrase = append(t.phrase, sums[i])
			t.phraseCond = append(t.phraseCond, sc.phrase)
		}
	}
	return t, m.err
}

// parallelScores is how many docs make scoring worth spreading over the cores.
const parallelScores = 4096

// upper is doc k's score counting every substring whose pairs occur: at least
// its score.
func (t *scoreTable) upper(k int) float64 {
	sum, matched := t.base[k], t.matched[k]
	for _, p := range t.phrase {
		if p[k] > 0 {
			sum += p[k]
			matched++
		}
	}
	return t.coord(sum, matched)
}

// exact is doc k's score, checking the substrings whose pairs occur.
func (t *scoreTable) exact(m *matcher, k int) float64 {
	sum, matched := t.base[k], t.matched[k]
	for i, p := range t.phrase {
		if p[k] > 0 && m.holds(t.phraseCond[i], t.docs[k]) {
			sum += p[k]
			matched++
		}
	}
	return t.coord(sum, matched)
}

func (t *scoreTable) coord(sum float64, matched int32) float64 {
	if t.clauses == 0 {
		return 0
	}
	return sum * float64(matched) / float64(t.clauses)
}
