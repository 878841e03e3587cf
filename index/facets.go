package index

import "sort"

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
// most n: bleve's order for a terms facet.
func topFacets(names []string, counts []int, n int) []Facet {
	out := []Facet{}
	for i, c := range counts {
		if c > 0 {
			out = append(out, Facet{Value: names[i], Count: c})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return limit(out, n)
}

func limit(fs []Facet, n int) []Facet {
	if len(fs) > n {
		return fs[:n]
	}
	return fs
}
