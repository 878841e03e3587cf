package index

import (
	"container/heap"
	"math"
	"sort"
)

// Tiering: the clauses a search found, put in tier order and paged. The tiers
// are conditions of the plan evaluated over the matches (the first tier a
// clause meets is its own); within a tier, the scoring orders clauses, then
// document order. Only the tiers the page reaches are evaluated, and only
// their clauses scored.

// ranked is a clause of a page: its bleve document number, tier and score.
type ranked struct {
	doc   int
	tier  int
	score float64
}

// tieredPage returns the clauses from-th to from+size-th in tier order.
func (ix *Index) tieredPage(m *matcher, p *plan, matches bitset, from, size int) ([]ranked, error) {
	rest := matches.clone()
	var out []ranked
	seen, end := 0, from+size
	for ti, t := range p.tiers {
		if seen >= end {
			break
		}
		members := rest
		if t.cond != nil {
			members = m.resolve(t.cond, rest)
			rest.andNot(members)
		}
		n := members.count()
		if seen+n > from {
			lo, hi := from-seen, end-seen
			if lo < 0 {
				lo = 0
			}
			if hi > n {
				hi = n
			}
			top, err := ix.top(m, p, members.members(), hi)
			if err != nil {
				return nil, err
			}
			for _, r := range top[lo:] {
				r.tier = ti
				out = append(out, r)
			}
		}
		seen += n
	}
	return out, m.err
}

// top scores docs and returns the best k: by score, then in document order.
func (ix *Index) top(m *matcher, p *plan, docs []int, k int) ([]ranked, error) {
	scores, err := ix.scores(m, p.scoring, docs)
	if err != nil {
		return nil, err
	}
	h := &rankHeap{ord: m.n.ordinal}
	for i, d := range docs {
		r := ranked{doc: d, score: scores[i]}
		if h.Len() < k {
			heap.Push(h, r)
		} else if k > 0 && h.better(r, h.rs[0]) {
			h.rs[0] = r
			heap.Fix(h, 0)
		}
	}
	out := make([]ranked, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(ranked)
	}
	return out, nil
}

// rankHeap keeps the best k clauses seen, the worst on top.
type rankHeap struct {
	rs  []ranked
	ord []int32
}

func (h *rankHeap) better(a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return h.ord[a.doc] < h.ord[b.doc]
}

func (h *rankHeap) Len() int           { return len(h.rs) }
func (h *rankHeap) Less(i, j int) bool { return h.better(h.rs[j], h.rs[i]) }
func (h *rankHeap) Swap(i, j int)      { h.rs[i], h.rs[j] = h.rs[j], h.rs[i] }
func (h *rankHeap) Push(x any)         { h.rs = append(h.rs, x.(ranked)) }
func (h *rankHeap) Pop() any {
	r := h.rs[len(h.rs)-1]
	h.rs = h.rs[:len(h.rs)-1]
	return r
}

// orderedPage returns the from-th to from+size-th matches in document order.
func (ix *Index) orderedPage(matches bitset, from, size int) []ranked {
	docs := matches.members()
	ord := ix.num.ordinal
	sort.Slice(docs, func(i, j int) bool { return ord[docs[i]] < ord[docs[j]] })
	if from > len(docs) {
		from = len(docs)
	}
	end := from + size
	if end > len(docs) {
		end = len(docs)
	}
	out := make([]ranked, 0, end-from)
	for _, d := range docs[from:end] {
		out = append(out, ranked{doc: d})
	}
	return out
}

// label finds the tier of each clause of a page in document order: the first
// whose condition it meets.
func (ix *Index) label(m *matcher, p *plan, page []ranked) {
	for i := range page {
		page[i].tier = len(p.tiers) - 1
		for ti, t := range p.tiers {
			if t.cond == nil || m.holds(t.cond, page[i].doc) {
				page[i].tier = ti
				break
			}
		}
	}
}

// scores is the tf-idf score of each of docs (ascending document numbers) for
// the scoring clauses, as bleve computes it for a disjunction of them: the sum
// of the clauses a clause matches, times the share of the clauses it matches
// (coord), each term scored boost × idf × queryNorm × √tf × norm × idf.
func (ix *Index) scores(m *matcher, scoring []scoreClause, docs []int) ([]float64, error) {
	out := make([]float64, len(docs))
	if len(scoring) == 0 || len(docs) == 0 {
		return out, nil
	}
	n := m.n
	type weighted struct {
		t   *termCond
		idf float64
	}
	idfs := make([][]weighted, len(scoring))
	sumSquares := 0.0
	for i, sc := range scoring {
		for _, t := range sc.terms {
			df, err := n.docFreq(t.field, t.term)
			if err != nil {
				return nil, err
			}
			idf := 1 + math.Log(float64(n.docTotal)/float64(df+1))
			idfs[i] = append(idfs[i], weighted{t, idf})
			w := sc.boost * idf
			sumSquares += w * w
		}
	}
	queryNorm := 1.0
	if sumSquares > 0 {
		queryNorm = 1 / math.Sqrt(sumSquares)
	}
	matched := make([]int32, len(docs))
	clause := make([]float64, len(docs))
	hit := make([]bool, len(docs))
	for i, sc := range scoring {
		for k := range clause {
			clause[k], hit[k] = 0, false
		}
		for _, w := range idfs[i] {
			queryWeight := sc.boost * w.idf * queryNorm
			err := n.frequencies(w.t.field, w.t.term, docs, func(k int, freq uint64, norm float64) {
				clause[k] += math.Sqrt(float64(freq)) * norm * w.idf * queryWeight
				hit[k] = true
			})
			if err != nil {
				return nil, err
			}
		}
		for k, d := range docs {
			if !hit[k] || (sc.phrase != nil && !m.holds(sc.phrase, d)) {
				continue
			}
			out[k] += clause[k]
			matched[k]++
		}
	}
	for k := range out {
		out[k] *= float64(matched[k]) / float64(len(scoring))
	}
	return out, m.err
}
