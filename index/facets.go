package index

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Facets: counted over every match from the clauses in memory, in one walk
// over the matches, with no doc values read from bleve.

// parallelFacets is how many matches make counting them worth spreading over
// the cores: a two-character query matches half of 100,000 clauses. (A
// variable for the tests, which count small sets both ways.)
var parallelFacets = 16384

// facetCounts are the matches per department, lead department, section and
// document, by their numbers in the clause store.
type facetCounts struct{ depts, leads, sections, docs []int }

// countFacets counts the matches' values. When most clauses match, it counts
// the clauses that do not, fewer, and takes their counts from every clause's
// (a one-character query matches most of a library).
func (ix *Index) countFacets(matches bitset, total int) facetCounts {
	every := ix.everyFacet()
	if total <= every.clauses/2 {
		return ix.countSet(matches, total)
	}
	rest := newBitset(len(matches) * 64)
	copy(rest, ix.num.live)
	rest.andNot(matches)
	c := ix.countSet(rest, every.clauses-total)
	for _, pair := range [][2][]int{{c.depts, every.depts}, {c.leads, every.leads}, {c.sections, every.sections}, {c.docs, every.docs}} {
		for i, n := range pair[1] {
			pair[0][i] = n - pair[0][i]
		}
	}
	return c
}

// everyFacet is the facets' counts over every clause of the index, counted
// once.
func (ix *Index) everyFacet() *everyFacet {
	ix.every.once.Do(func() {
		n := ix.num.live.count()
		ix.every.facetCounts, ix.every.clauses = ix.countSet(ix.num.live, n), n
	})
	return &ix.every
}

// everyFacet is what Index.everyFacet counts.
type everyFacet struct {
	once sync.Once
	facetCounts
	clauses int
}

// countSet counts the values of the clauses in set, of that many, in one walk
// over the set, or in one walk per core over its share of it when they are
// many.
func (ix *Index) countSet(matches bitset, total int) facetCounts {
	s := ix.store
	workers := 1
	if total >= parallelFacets {
		workers = min(runtime.GOMAXPROCS(0), total/(parallelFacets/2))
	}
	parts := make([]facetCounts, workers)
	count := func(w int) {
		depts, leads := make([]int, len(s.departments.names.names)), make([]int, len(s.leads.names.names))
		sections, docs := make([]int, len(s.sectionNames.names)), make([]int, len(s.docs))
		lo, hi := w*len(matches)/workers, (w+1)*len(matches)/workers
		ord := ix.num.ordinal[lo*64:]
		matches[lo:hi].each(func(d int) bool {
			o := ord[d]
			docs[s.doc[o]]++
			for _, v := range s.departments.of(o) {
				depts[v]++
			}
			for _, v := range s.leads.of(o) {
				leads[v]++
			}
			if sec := s.sections[o]; sec >= 0 {
				sections[sec]++
			}
			return true
		})
		parts[w] = facetCounts{depts: depts, leads: leads, sections: sections, docs: docs}
	}
	if workers == 1 {
		count(0)
		return parts[0]
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count(w)
		}()
	}
	wg.Wait()
	sum := parts[0]
	for _, c := range parts[1:] {
		for _, pair := range [][2][]int{{sum.depts, c.depts}, {sum.leads, c.leads}, {sum.sections, c.sections}, {sum.docs, c.docs}} {
			for i, n := range pair[1] {
				pair[0][i] += n
			}
		}
	}
	return sum
}

// facetSize bounds the values of a facet.
const facetSize = 100

// facets counts the matches' departments (by name and region, then shown by
// name with the region only where two regions share the name), lead
// departments, documents, issuers, years and, when the matches come from one
// document, top sections.
func (ix *Index) facets(matches bitset, total int) map[string][]Facet {
	s := ix.store
	c := ix.countFacets(matches, total)
	depts, leads, sections, docs := c.depts, c.leads, c.sections, c.docs
	issuers := make([]int, len(s.issuerNames.names))
	years := make([]int, len(s.yearNames.names))
	for di, n := range docs {
		if n == 0 {
			continue
		}
		for _, v := range s.docIssuers[di] {
			issuers[v] += n
		}
		if y := s.docYears[di]; y >= 0 {
			years[y] += n
		}
	}
	out := map[string][]Facet{
		"departments":      limit(labelPlaces(&s.departments.places, topValues(s.departments.names, depts, 3*facetSize), depts), facetSize),
		"lead_departments": limit(labelPlaces(&s.leads.places, topValues(s.leads.names, leads, 3*facetSize), leads), facetSize),
		"documents":        topFacets(s.docIDs, docs, facetSize),
		"issuers":          topFacets(s.issuerNames, issuers, facetSize),
		"years":            topFacets(s.yearNames, years, facetSize),
		"sections":         {},
	}
	// Section numbers and headings are a document's own: counted over several
	// documents they would add up unrelated sections.
	if len(out["documents"]) == 1 {
		out["sections"] = topFacets(s.sectionNames, sections, 50)
	}
	return out
}

// facetNames are a facet's values, numbered, and their order by value:
// facets of equal count are ordered by value, and comparing places instead of
// strings (document ids alike for their first dozen bytes) was most of
// choosing a large library's best facets.
type facetNames struct {
	names []string
	order []int32 // the numbers in byte order of their names
	rank  []int32 // rank[i] is names[i]'s place in order
}

func newFacetNames(names []string) facetNames {
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	for place, i := range order {
		rank[i] = int32(place)
	}
	return facetNames{names: names, order: order, rank: rank}
}

// topFacets lists the values with a count, most first and then by value, at
// most n: bleve's order for a terms facet. A few more values than n are
// taken in their order and sorted by count alone, stably; among many, the
// best n are kept in a heap as the counts are read: a facet of thousands of
// documents is not sorted whole for a page of a hundred.
func topFacets(f facetNames, counts []int, n int) []Facet {
	top := topValues(f, counts, n)
	out := make([]Facet, len(top))
	for k, i := range top {
		out[k] = Facet{Value: f.names[i], Count: counts[i]}
	}
	return out
}

// topValues are topFacets' values, by number.
func topValues(f facetNames, counts []int, n int) []int32 {
	var top []int32
	if len(counts) <= 4*n {
		top = make([]int32, 0, len(counts))
		for _, i := range f.order {
			if counts[i] > 0 {
				top = append(top, i)
			}
		}
		byCount(top, counts)
		top = top[:min(n, len(top))]
	} else {
		h := facetHeap{rank: f.rank, counts: counts, top: make([]int32, 0, n)}
		for i, c := range counts {
			if c == 0 {
				continue
			}
			switch {
			case len(h.top) < n:
				// Filled first, made a heap once.
				if h.top = append(h.top, int32(i)); len(h.top) == n {
					heap.Init(&h)
				}
			case n > 0 && h.before(int32(i), h.top[0]):
				h.top[0] = int32(i)
				heap.Fix(&h, 0)
			}
		}
		slices.SortFunc(h.top, h.compare)
		top = h.top
	}
	return top
}

// byCount orders values given in the order of their names by count, most
// first, keeping that order among equal counts: counted into one bucket per
// count when the counts are few beside the values (a library's documents by
// their matches), as sorting them was most of counting a large library's
// facets.
func byCount(values []int32, counts []int) {
	most := 0
	for _, v := range values {
		most = max(most, counts[v])
	}
	if most > 4*len(values)+64 {
		slices.SortStableFunc(values, func(a, b int32) int { return cmp.Compare(counts[b], counts[a]) })
		return
	}
	// at[most-c] is where the values counted c go next.
	at := make([]int, most+2)
	for _, v := range values {
		at[most-counts[v]+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	sorted := make([]int32, len(values))
	for _, v := range values {
		b := most - counts[v]
		sorted[at[b]] = v
		at[b]++
	}
	copy(values, sorted)
}

// facetHeap holds the best values seen, by number, the last of them on top.
type facetHeap struct {
	rank   []int32
	counts []int
	top    []int32
}

// compare orders values: most first, then by value.
func (h *facetHeap) compare(a, b int32) int {
	if h.counts[a] != h.counts[b] {
		return cmp.Compare(h.counts[b], h.counts[a])
	}
	return cmp.Compare(h.rank[a], h.rank[b])
}

func (h *facetHeap) before(a, b int32) bool { return h.compare(a, b) < 0 }

func (h *facetHeap) Len() int           { return len(h.top) }
func (h *facetHeap) Less(i, j int) bool { return h.before(h.top[j], h.top[i]) }
func (h *facetHeap) Swap(i, j int)      { h.top[i], h.top[j] = h.top[j], h.top[i] }
func (h *facetHeap) Push(x any)         { h.top = append(h.top, x.(int32)) }
func (h *facetHeap) Pop() any {
	v := h.top[len(h.top)-1]
	h.top = h.top[:len(h.top)-1]
	return v
}

func limit(fs []Facet, n int) []Facet {
	if len(fs) > n {
		return fs[:n]
	}
	return fs
}
