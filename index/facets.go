package index

import "container/heap"

// Facets: counted over every match from the clauses in memory, in one walk
// over the matches, with no doc values read from bleve.

// facetSize bounds the values of a facet.
const facetSize = 100

// facets counts the matches' departments (by name and region, then shown by
// name with the region only where two regions share the name), lead
// departments, documents, issuers, years and, when the matches come from one
// document, top sections.
func (ix *Index) facets(matches bitset) map[string][]Facet {
	s := ix.store
	depts := make([]int, len(s.departments.names))
	leads := make([]int, len(s.leads.names))
	sections := make([]int, len(s.sectionNames))
	docs := make([]int, len(s.docs))
	ord := ix.num.ordinal
	matches.each(func(d int) bool {
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
	issuers := make([]int, len(s.issuerNames))
	years := map[string]int{}
	docIDs := make([]string, len(s.docs))
	for di, n := range docs {
		docIDs[di] = s.docs[di].ID
		if n == 0 {
			continue
		}
		for _, v := range s.docIssuers[di] {
			issuers[v] += n
		}
		if y := s.docYears[di]; y != "" {
			years[y] += n
		}
	}
	yearNames := make([]string, 0, len(years))
	yearCounts := make([]int, 0, len(years))
	for y, n := range years {
		yearNames = append(yearNames, y)
		yearCounts = append(yearCounts, n)
	}
	out := map[string][]Facet{
		"departments":      limit(labelPlaces(topFacets(s.departments.names, depts, 3*facetSize)), facetSize),
		"lead_departments": limit(labelPlaces(topFacets(s.leads.names, leads, 3*facetSize)), facetSize),
		"documents":        topFacets(docIDs, docs, facetSize),
		"issuers":          topFacets(s.issuerNames, issuers, facetSize),
		"years":            topFacets(yearNames, yearCounts, facetSize),
		"sections":         {},
	}
	// Section numbers and headings are a document's own: counted over several
	// documents they would add up unrelated sections.
	if len(out["documents"]) == 1 {
		out["sections"] = topFacets(s.sectionNames, sections, 50)
	}
	return out
}

// topFacets lists the values with a count, most first and then by value, at
// most n: bleve's order for a terms facet. The best n are kept in a heap as
// the counts are read: a facet of thousands of documents is not sorted whole
// for a page of a hundred.
func topFacets(names []string, counts []int, n int) []Facet {
	h := facetHeap{}
	for i, c := range counts {
		if c == 0 {
			continue
		}
		f := Facet{Value: names[i], Count: c}
		switch {
		case len(h) < n:
			heap.Push(&h, f)
		case n > 0 && before(f, h[0]):
			h[0] = f
			heap.Fix(&h, 0)
		}
	}
	out := make([]Facet, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(Facet)
	}
	return out
}

// before orders facets: most first, then by value.
func before(a, b Facet) bool {
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	return a.Value < b.Value
}

// facetHeap holds the best facets seen, the last of them on top.
type facetHeap []Facet

func (h facetHeap) Len() int           { return len(h) }
func (h facetHeap) Less(i, j int) bool { return before(h[j], h[i]) }
func (h facetHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *facetHeap) Push(x any)        { *h = append(*h, x.(Facet)) }
func (h *facetHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}

func limit(fs []Facet, n int) []Facet {
	if len(fs) > n {
		return fs[:n]
	}
	return fs
}
