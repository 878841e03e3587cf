package index

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// clauseStore holds every clause of an index in memory, in document order: the
// page's hits and highlights come from here, not from text stored in bleve,
// and so do facets and document order. A clause's ordinal is its place in
// that order (the first document's clauses first).
type clauseStore struct {
	clauses []*Clause
	byID    map[string]int32
	// The fields as the character analyzers see them, for checking that a
	// candidate holds a substring (see subCond): folded rune by rune, spaces
	// dropped, values of a list (the headings of a path) one per line.
	text, title, path []string
	// rarity is how often each byte occurs in a sample of the folded texts:
	// a substring is looked for by its rarest byte (subCond.in).
	rarity [256]uint32
	doc    []int32 // ordinal → its document's index in docs
	docs   []*gongwen.Document

	// Facet values, each facet's values numbered: a clause's values are
	// vals[off[o]:off[o+1]] of the facet.
	departments, leads facetValues // name and region (placeKey)
	sections           []int32     // ordinal → its top section's number in sectionNames, -1 for none
	sectionNames       facetNames
	docIssuers         [][]int32 // document index → its issuers' numbers in issuerNames
	issuerNames        facetNames
	docYears           []int32 // document index → its year's number in yearNames, -1 for none
	yearNames          facetNames
	docIDs             facetNames // document index → its id
}

type facetValues struct {
	names  facetNames
	off    []int32
	vals   []int32
	places places // how the values, name and region, are shown (labelPlaces)
}

func (f *facetValues) of(o int32) []int32 { return f.vals[f.off[o]:f.off[o+1]] }

// newClauseStore orders the documents' clauses and derives what searches read.
func newClauseStore(docs []*gongwen.Document) (*clauseStore, error) {
	s := &clauseStore{docs: docs, byID: map[string]int32{}}
	type ref struct {
		doc int
		c   *Clause
	}
	var refs []ref
	for di, d := range docs {
		for i := range d.Clauses {
			refs = append(refs, ref{di, &d.Clauses[i]})
		}
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].doc != refs[j].doc {
			return refs[i].doc < refs[j].doc
		}
		return refs[i].c.Order < refs[j].c.Order
	})
	n := len(refs)
	s.clauses = make([]*Clause, n)
	s.doc = make([]int32, n)
	s.text, s.title, s.path = make([]string, n), make([]string, n), make([]string, n)
	s.sections = make([]int32, n)
	depts, leads := newInterner(), newInterner()
	sections, issuers := newInterner(), newInterner()
	s.departments.off = make([]int32, 1, n+1)
	s.leads.off = make([]int32, 1, n+1)
	for o, r := range refs {
		c := r.c
		if _, dup := s.byID[c.ID]; dup {
			return nil, fmt.Errorf("index: two clauses have the id %q", c.ID)
		}
		s.byID[c.ID] = int32(o)
		s.clauses[o] = c
		s.doc[o] = int32(r.doc)
		region := docs[r.doc].Region
		for _, name := range responsible(*c) {
			s.departments.vals = append(s.departments.vals, depts.id(placeKey(name, region)))
		}
		s.departments.off = append(s.departments.off, int32(len(s.departments.vals)))
		seen := map[string]bool{}
		for _, name := range c.LeadDepartments {
			if !seen[name] {
				seen[name] = true
				s.leads.vals = append(s.leads.vals, leads.id(placeKey(name, region)))
			}
		}
		s.leads.off = append(s.leads.off, int32(len(s.leads.vals)))
		s.sections[o] = -1
		if len(c.Path) > 0 {
			s.sections[o] = sections.id(c.Path[0])
		}
	}
	s.departments.names, s.leads.names = newFacetNames(depts.names), newFacetNames(leads.names)
	s.departments.places, s.leads.places = newPlaces(depts.names), newPlaces(leads.names)
	s.sectionNames = newFacetNames(sections.names)
	s.docIssuers = make([][]int32, len(docs))
	s.docYears = make([]int32, len(docs))
	years := newInterner()
	for di, d := range docs {
		seen := map[int32]bool{}
		for _, is := range issuersOf(d) {
			if id := issuers.id(is); !seen[id] {
				seen[id] = true
				s.docIssuers[di] = append(s.docIssuers[di], id)
			}
		}
		s.docYears[di] = -1
		if d.Year != 0 {
			s.docYears[di] = years.id(strconv.Itoa(d.Year))
		}
	}
	s.issuerNames = newFacetNames(issuers.names)
	s.yearNames = newFacetNames(years.names)
	ids := make([]string, len(docs))
	for di, d := range docs {
		ids[di] = d.ID
	}
	s.docIDs = newFacetNames(ids)
	return s, nil
}

// fold folds every clause's fields, the clauses in the order given (bleve's
// document numbers). A field that folding leaves as it is (most Chinese text)
// is the clause's own string; the others are laid one after the other in one
// block per field, in that order, which is the order substrings are checked in.
// The clauses prev holds (the same *Clause) keep prev's folded fields: a
// document added to a live index folds only its own clauses.
func (s *clauseStore) fold(order []int32, prev *clauseStore) {
	if prev != nil {
		var rest []int32
		for _, o := range order {
			c := s.clauses[o]
			if p, ok := prev.byID[c.ID]; ok && prev.clauses[p] == c {
				s.text[o], s.title[o], s.path[o] = prev.text[p], prev.title[p], prev.path[p]
				continue
			}
			rest = append(rest, o)
		}
		order = rest
	}
	// The blocks get room for the fields as they are, which folding seldom
	// lengthens: grown by doubling, and copied once more into strings, the
	// blocks of 100,000 clauses were most of opening a new index.
	paths := make([]string, len(s.clauses))
	var textLen, titleLen, pathLen int
	for _, o := range order {
		c := s.clauses[o]
		paths[o] = strings.Join(c.Path, "\n")
		textLen, titleLen, pathLen = textLen+len(c.Text), titleLen+len(c.Title), pathLen+len(paths[o])
	}
	text, title, path := make([]byte, 0, textLen), make([]byte, 0, titleLen), make([]byte, 0, pathLen)
	type span struct {
		text, title, path [2]int
		same              [3]bool
	}
	spans := make([]span, len(s.clauses))
	add := func(b []byte, v string) ([]byte, [2]int, bool) {
		at := len(b)
		b = appendFolded(b, v)
		if string(b[at:]) == v {
			return b[:at], [2]int{}, true
		}
		return b, [2]int{at, len(b)}, false
	}
	for _, o := range order {
		c := s.clauses[o]
		var sp span
		text, sp.text, sp.same[0] = add(text, c.Text)
		title, sp.title, sp.same[1] = add(title, c.Title)
		path, sp.path, sp.same[2] = add(path, paths[o])
		spans[o] = sp
	}
	// The blocks are written no more: their strings share their bytes, unless
	// most fields folded to themselves and the room would be held for little.
	block := func(b []byte) string {
		if len(b) < cap(b)/2 {
			return string(b)
		}
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	textBlock, titleBlock, pathBlock := block(text), block(title), block(path)
	pick := func(same bool, own, block string, at [2]int) string {
		if same {
			return own
		}
		return block[at[0]:at[1]]
	}
	for _, o := range order {
		sp := spans[o]
		c := s.clauses[o]
		s.text[o] = pick(sp.same[0], c.Text, textBlock, sp.text)
		s.title[o] = pick(sp.same[1], c.Title, titleBlock, sp.title)
		s.path[o] = pick(sp.same[2], paths[o], pathBlock, sp.path)
	}
	s.rarity = [256]uint32{}
	step := max(1, len(s.text)/rarestSample)
	for o := 0; o < len(s.text); o += step {
		for _, b := range []byte(s.text[o]) {
			s.rarity[b]++
		}
	}
}

// rarestSample is how many clauses' texts the bytes' rarity is counted over.
const rarestSample = 2000

// interner numbers strings in the order they are first seen.
type interner struct {
	ids   map[string]int32
	names []string
}

func newInterner() *interner { return &interner{ids: map[string]int32{}} }

func (in *interner) id(s string) int32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}

// field is a clause's field as the character analyzers see it.
func (s *clauseStore) field(name string, o int32) string {
	switch name {
	case "title":
		return s.title[o]
	case "path":
		return s.path[o]
	}
	return s.text[o]
}

// appendFolded folds a field's text as gramTokenizer reads it: each rune folded
// (segment.Fold), spaces, invalid bytes and NUL dropped, and a newline kept as
// the boundary between values that no gram crosses. A substring typed in a
// query (folded by segment.Compact, so without newlines) is in the field
// exactly when the field's grams hold it as a phrase.
func appendFolded(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '\n':
			b = append(b, '\n')
		case unicode.IsSpace(r) || r == utf8.RuneError || r == 0:
		default:
			b = utf8.AppendRune(b, segment.Fold(r))
		}
	}
	return b
}
