package index

import (
	"cmp"
	"container/heap"
	"slices"
)

// Tiering: the clauses a search found, put in tier order and paged. The tiers
// are conditions of the plan (the first tier a clause meets is its own);
// within a tier, the scoring orders clauses, then document order. Only the
// tiers the page reaches are evaluated, and a tier's candidates are taken
// best first: a substring's candidates are checked against their text only
// until the page is full, unless the tier must be counted whole because the
// page goes on past it.

// ranked is a clause of a page: its bleve document number, tier and score.
type ranked struct {
	doc   int
	tier  int
	score float64
}

// tieredPage returns the clauses from-th to from+size-th in tier order.
func (ix *Index) tieredPage(m *matcher, p *plan, matches bitset, from, size int) ([]ranked, error) {
	rest := m.clone(matches)
	var out []ranked
	seen, end := 0, from+size
	for ti, t := range p.tiers {
		if seen >= end {
			break
		}
		sure, maybe := rest, bitset(nil)
		if t.cond != nil {
			s, mb := m.eval(t.cond)
			sure = m.clone(s)
			sure.and(rest)
			if mb != nil {
				if mb.and(rest); !mb.empty() {
					maybe = mb
				}
			}
		}
		best, members, err := ix.best(m, p, t.cond, sure, maybe, end-seen)
		if err != nil {
			return nil, err
		}
		for _, r := range best[min(max(from-seen, 0), len(best)):] {
			r.tier = ti
			out = append(out, r)
		}
		if members == nil {
			break // the page ends in this tier: its size is not needed
		}
		seen += members.count()
		rest.andNot(members)
	}
	return out, m.err
}

// wholePage is tieredPage when the page reaches past the last match, as it
// does for most searches of a small library: every match is on the page or
// before it. Each match's tier is the first whose condition it meets, checked
// clause by clause, and all are scored at once, instead of every tier being
// evaluated over the index and scored apart. The order is tieredPage's.
func (ix *Index) wholePage(m *matcher, p *plan, matches bitset, from int) ([]ranked, error) {
	docs := m.members(matches)
	t, err := m.scoreTable(p.scoring, docs)
	if err != nil {
		return nil, err
	}
	page := make([]ranked, len(docs))
	for i, d := range docs {
		page[i] = ranked{doc: d, score: t.exact(m, i)}
	}
	ix.label(m, p, page)
	by := rankHeap{ord: m.n.ordinal}
	slices.SortFunc(page, func(a, b ranked) int {
		switch {
		case a.tier != b.tier:
			return cmp.Compare(a.tier, b.tier)
		case by.better(a, b):
			return -1
		case by.better(b, a):
			return 1
		}
		return 0
	})
	return page[min(from, len(page)):], m.err
}

// best returns a tier's best k clauses in order. The tier is sure and those
// of maybe where cond holds. When the tier may have fewer than k clauses, they
// are all found and returned as members too; members is nil when the tier
// holds k clauses or more.
func (ix *Index) best(m *matcher, p *plan, cond cond, sure, maybe bitset, k int) ([]ranked, bitset, error) {
	cands := sure
	if maybe != nil {
		cands = m.clone(sure)
		cands.or(maybe)
	}
	docs := m.members(cands)
	t, err := m.scoreTable(p.scoring, docs)
	if err != nil {
		return nil, nil, err
	}
	ord := m.n.ordinal
	top := &rankHeap{ord: ord}
	var members bitset
	if maybe != nil || len(docs) <= k {
		members = m.clone(sure)
	}
	// Candidates are visited best first by their upper bound: a clause's
	// score is known (its substrings checked) and its place in the tier
	// checked only when it could still make the page. visit reports false
	// when no candidate from i on can come first.
	visit := func(i int32, bound float64) bool {
		if top.Len() == k && k > 0 && bound < top.rs[0].score {
			return false
		}
		d := docs[i]
		if maybe != nil && !sure.has(d) {
			if !m.holds(cond, d) {
				return true
			}
			members.set(d)
		}
		r := ranked{doc: d, score: t.exact(m, int(i))}
		if top.Len() < k {
			heap.Push(top, r)
		} else if k > 0 && top.better(r, top.rs[0]) {
			top.rs[0] = r
			heap.Fix(top, 0)
		}
		return true
	}
	// A tier of many candidates visits its k leaders first, found in one
	// pass: ordering every candidate by its bound was most of a search
	// whose tier holds tens of thousands of clauses, and the page is
	// usually settled by the leaders.
	var after *lead // the last leader: the rest come after it
	if k > 0 && len(docs) > leadersMin+4*k {
		leads := t.leaders(ord, k)
		for _, l := range leads {
			if !visit(l.i, l.bound) {
				return top.sorted(), nil, m.err
			}
		}
		after = &leads[len(leads)-1]
		if top.Len() == k {
			// No candidate after the leaders scores above the last
			// leader's bound, nor equals it from an earlier place.
			w := top.rs[0]
			if w.score > after.bound || (w.score == after.bound && ord[w.doc] <= after.ord) {
				return top.sorted(), nil, m.err
			}
		}
	}
	queue := &boundHeap{ord: ord, docs: docs, bound: make([]float64, len(docs))}
	queue.idx = make([]int32, 0, len(docs))
	for i := range docs {
		b := t.upper(i)
		queue.bound[i] = b
		if after == nil || after.before(lead{bound: b, ord: ord[docs[i]]}) {
			queue.idx = append(queue.idx, int32(i))
		}
	}
	queue.init()
	for queue.len() > 0 {
		i := queue.pop()
		if !visit(i, queue.bound[i]) {
			return top.sorted(), nil, m.err // k clauses, and no other can come first
		}
	}
	if members != nil && members.count() >= k {
		members = nil
	}
	return top.sorted(), members, m.err
}

// leadersMin is how many candidates, beyond four times the page, make
// finding the leaders first worth its pass.
const leadersMin = 256

// lead is a candidate by its upper bound and place: i indexes the table's docs.
type lead struct {
	bound float64
	ord   int32
	i     int32
}

// before is the order candidates are visited in: bound, highest first, then
// document order.
func (a lead) before(b lead) bool {
	if a.bound != b.bound {
		return a.bound > b.bound
	}
	return a.ord < b.ord
}

// leaders returns the table's k first candidates in visiting order, in one
// pass holding the best k seen with the last of them on top.
func (t *scoreTable) leaders(ord []int32, k int) []lead {
	h := make(leadHeap, 0, k)
	for i, d := range t.docs {
		b := t.upper(i)
		if len(h) == k && b < h[0].bound {
			continue // the common case, decided without the clause's place
		}
		l := lead{bound: b, ord: ord[d], i: int32(i)}
		switch {
		case len(h) < k:
			heap.Push(&h, l)
		case l.before(h[0]):
			h[0] = l
			heap.Fix(&h, 0)
		}
	}
	slices.SortFunc(h, func(a, b lead) int {
		switch {
		case a.before(b):
			return -1
		case b.before(a):
			return 1
		}
		return 0
	})
	return h
}

// leadHeap holds leaders, the last in visiting order on top.
type leadHeap []lead

func (h leadHeap) Len() int           { return len(h) }
func (h leadHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h leadHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *leadHeap) Push(x any)        { *h = append(*h, x.(lead)) }
func (h *leadHeap) Pop() any {
	l := (*h)[len(*h)-1]
	*h = (*h)[:len(*h)-1]
	return l
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

// sorted empties the heap into a list, best first.
func (h *rankHeap) sorted() []ranked {
	out := make([]ranked, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(ranked)
	}
	return out
}

// boundHeap orders candidates by an upper bound of their score, highest
// first, then in document order.
type boundHeap struct {
	ord   []int32
	docs  []int
	bound []float64
	idx   []int32 // the heap, of indexes into docs
}

func (h *boundHeap) len() int { return len(h.idx) }

func (h *boundHeap) before(a, b int32) bool {
	if h.bound[a] != h.bound[b] {
		return h.bound[a] > h.bound[b]
	}
	return h.ord[h.docs[a]] < h.ord[h.docs[b]]
}

func (h *boundHeap) init() {
	for i := len(h.idx)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *boundHeap) pop() int32 {
	top := h.idx[0]
	last := len(h.idx) - 1
	h.idx[0] = h.idx[last]
	h.idx = h.idx[:last]
	h.down(0)
	return top
}

func (h *boundHeap) down(i int) {
	n := len(h.idx)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && h.before(h.idx[c+1], h.idx[c]) {
			c++
		}
		if !h.before(h.idx[c], h.idx[i]) {
			return
		}
		h.idx[i], h.idx[c] = h.idx[c], h.idx[i]
		i = c
	}
}

// orderedPage returns the from-th to from+size-th matches in document order.
func (ix *Index) orderedPage(matches bitset, from, size int) []ranked {
	var out []ranked
	seen := 0
	for _, d := range ix.num.number {
		if !matches.has(int(d)) {
			continue
		}
		if seen >= from {
			out = append(out, ranked{doc: int(d)})
			if len(out) == size {
				break
			}
		}
		seen++
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
