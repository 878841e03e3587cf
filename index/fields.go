package index

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"policysearch/internal/segment"
)

// A clause's bleve document is made here, its fields analysed as the mapping
// (newMapping) says, rather than by bleve's mapping and analyzers: building
// makes a map and a term per distinct term of each of a clause's fields, and
// bleve's way — tokens, then a map of them, then a TokenFreq each — was a
// third of a build. A clause's character pairs and single characters are
// counted in one pass over its text, every distinct term is allocated once per
// part, and the counts in blocks. The index holds what bleve's analysis would
// have written (TestClauseDocumentsAsMapped).

// clauseField is one field of a clause's document, analysed when made: indexed
// only, without term vectors, doc values or a stored value, as every field of
// newMapping is.
type clauseField struct {
	name   string
	length int // tokens, the field's norm
	freqs  bleveindex.TokenFrequencies
	bytes  int // text it was analysed from
}

func (f *clauseField) Name() string                                          { return f.name }
func (f *clauseField) ArrayPositions() []uint64                              { return nil }
func (f *clauseField) Options() bleveindex.FieldIndexingOptions              { return bleveindex.IndexField }
func (f *clauseField) Analyze()                                              {}
func (f *clauseField) Value() []byte                                         { return nil }
func (f *clauseField) NumPlainTextBytes() uint64                             { return uint64(f.bytes) }
func (f *clauseField) EncodedFieldType() byte                                { return 't' }
func (f *clauseField) AnalyzedLength() int                                   { return f.length }
func (f *clauseField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// Size is what bleve's batches account the field for in memory.
func (f *clauseField) Size() int { return 64 + len(f.freqs)*80 }

// fieldAnalyzer makes the documents of one part's clauses, one at a time: it
// numbers every distinct term it meets, so that each is allocated once.
type fieldAnalyzer struct {
	seg *segment.Segmenter

	words map[string]int32 // jieba words and keywords
	pairs map[uint64]int32 // two folded characters
	chars []int32          // one folded character of the Basic Multilingual Plane, id+1
	wide  map[rune]int32   // one folded character beyond it
	terms []string         // by id
	bytes [][]byte         // by id: the term as TokenFreq holds it
	count []int32          // by id: occurrences in the field being analysed
	held  []int32          // by id: clauses whose text holds the term (a jieba word)

	seen  []int32 // ids counted in the field being analysed
	seen2 []int32 // and in its twin (pairs beside single characters)

	// The maps and counts of the fields made since the builder last wrote
	// a batch, and those it wrote, to be made again (recycle): reused, they
	// spare the collector and the fresh pages a batch's worth of them.
	given, free [][]bleveindex.TokenFrequencies // by size class (frequencies)
	slabs       [][]bleveindex.TokenFreq        // blocks of counts
	slab, used  int                             // the block being handed out and its part given

	// Documents of a series share their title, and sections their path
	// across documents: the fields of the last ones are kept and shared, as
	// nothing writes to a document's fields once made (bleve merges the
	// frequencies of a field only into an earlier one of the same name in
	// the document).
	lastTitle, lastPath string
	title, path         []clauseField
}

func newFieldAnalyzer(seg *segment.Segmenter) *fieldAnalyzer {
	return &fieldAnalyzer{
		seg:   seg,
		words: map[string]int32{},
		pairs: map[uint64]int32{},
		chars: make([]int32, 0x10000),
		wide:  map[rune]int32{},
	}
}

// document is the bleve document of a clause's record: its title's and path's
// fields only where it leads their run (runs.go).
func (a *fieldAnalyzer) document(id string, r *record, lead runLead) *document.Document {
	fields := make([]clauseField, 0, 16)
	fields = append(fields, a.jieba("text", r.Text))
	fields = append(fields, a.grams("text", r.Text)...)
	if lead.title {
		if a.title == nil || r.Title != a.lastTitle {
			a.lastTitle = r.Title
			a.title = []clauseField{a.jieba("title", r.Title)}
			a.title = append(a.title, a.grams("title", r.Title)...)
		}
		fields = append(fields, a.title...)
	}
	if lead.path {
		if a.path == nil || r.PathGram != a.lastPath {
			a.lastPath, a.path = r.PathGram, a.grams("path", r.PathGram)
		}
		fields = append(fields, a.path...)
	}
	for _, k := range []struct {
		name   string
		values []string
	}{
		{"departments", r.Departments}, {"department_places", r.DepartmentPlaces},
		{"leads", r.Leads}, {"lead_places", r.LeadPlaces}, {"sections", r.Sections},
		{"doc_id", []string{r.DocID}}, {"issuers", r.Issuers}, {"year", r.Year},
	} {
		// A keyword is one token, however empty; a field with no values is
		// no field at all.
		if len(k.values) > 0 {
			fields = append(fields, a.keywords(k.name, k.values))
		}
	}
	doc := document.NewDocument(id)
	doc.Fields = make([]document.Field, len(fields), len(fields)+1) // and _id, added by the builder
	for i := range fields {
		doc.Fields[i] = &fields[i]
	}
	doc.SetIndexed()
	return doc
}

// jieba is a field of the jieba words of text.
func (a *fieldAnalyzer) jieba(name, text string) clauseField {
	terms := a.seg.Terms(text)
	for _, t := range terms {
		id, ok := a.words[t]
		if !ok {
			t = strings.Clone(t) // not the clause's folded text it is cut from
			id = a.define(t)
			a.words[t] = id
		}
		a.add(id, &a.seen)
	}
	if name == "text" {
		for _, id := range a.seen {
			a.held[id]++
		}
	}
	return clauseField{name: name, length: len(terms), freqs: a.frequencies(&a.seen), bytes: len(text)}
}

// textWords are how many of the clauses analysed so far hold each word of
// their text. A merged segment's dictionary cannot say it: zapx's dictionary
// iterator reports a count of 1 for every term after the first term that
// only one document holds (blevesearch/zapx#445).
func (a *fieldAnalyzer) textWords() map[string]int {
	out := map[string]int{}
	for id, n := range a.held {
		if n > 0 {
			out[a.terms[id]] = int(n)
		}
	}
	return out
}

// grams are the fields of the character pairs and the single characters of
// text, as analyzerGram and analyzerChar cut them (gramChars), named after
// the field they are of.
func (a *fieldAnalyzer) grams(name, text string) []clauseField {
	pairs, chars := 0, 0
	prev := rune(-1) // none: the start of a value
	gramChars(text, func(r rune, _, _ int) {
		if r == '\n' {
			prev = -1
			return
		}
		chars++
		a.add(a.char(r), &a.seen2)
		if prev >= 0 {
			pairs++
			a.add(a.pair(prev, r), &a.seen)
		}
		prev = r
	})
	return []clauseField{
		{name: gramField(name), length: pairs, freqs: a.frequencies(&a.seen), bytes: len(text)},
		{name: charField(name), length: chars, freqs: a.frequencies(&a.seen2), bytes: len(text)},
	}
}

// keywords is a keyword field of values, each one token.
func (a *fieldAnalyzer) keywords(name string, values []string) clauseField {
	n := 0
	for _, v := range values {
		id, ok := a.words[v]
		if !ok {
			id = a.define(v)
			a.words[v] = id
		}
		a.add(id, &a.seen)
		n += len(v)
	}
	return clauseField{name: name, length: len(values), freqs: a.frequencies(&a.seen), bytes: n}
}

func (a *fieldAnalyzer) char(r rune) int32 {
	if r < 0x10000 {
		if id := a.chars[r]; id > 0 {
			return id - 1
		}
		id := a.define(string(r))
		a.chars[r] = id + 1
		return id
	}
	id, ok := a.wide[r]
	if !ok {
		id = a.define(string(r))
		a.wide[r] = id
	}
	return id
}

func (a *fieldAnalyzer) pair(r0, r1 rune) int32 {
	key := uint64(r0)<<32 | uint64(r1)
	id, ok := a.pairs[key]
	if !ok {
		var b [2 * utf8.UTFMax]byte
		id = a.define(string(utf8.AppendRune(utf8.AppendRune(b[:0], r0), r1)))
		a.pairs[key] = id
	}
	return id
}

// define numbers a new term.
func (a *fieldAnalyzer) define(term string) int32 {
	id := int32(len(a.terms))
	a.terms = append(a.terms, term)
	a.bytes = append(a.bytes, []byte(term))
	a.count = append(a.count, 0)
	a.held = append(a.held, 0)
	return id
}

// add counts an occurrence of term id, seen listing the distinct ones.
func (a *fieldAnalyzer) add(id int32, seen *[]int32) {
	if a.count[id] == 0 {
		*seen = append(*seen, id)
	}
	a.count[id]++
}

// frequencies are the counts of the terms in seen, which it clears.
func (a *fieldAnalyzer) frequencies(seen *[]int32) bleveindex.TokenFrequencies {
	ids := *seen
	out := a.freqMap(len(ids))
	tfs := a.counts(len(ids))
	for i, id := range ids {
		tfs[i].Term = a.bytes[id]
		tfs[i].SetFrequency(int(a.count[id]))
		a.count[id] = 0
		out[a.terms[id]] = &tfs[i]
	}
	*seen = ids[:0]
	return out
}

// freqMap is an empty map for n terms. Maps are reused by size class, and the
// builder walks every map's room, not its terms, twice, as clear does once: a
// Go map made for a hint has the least power of two slots holding it at 7/8
// full, so each class is one such power of slots, made for the most terms it
// holds (classes of powers of two terms made rooms of two to four times their
// terms). Beyond 1,024 slots a map is several tables, each filled by the
// terms' hashes unevenly, and is given room to spare: a full table would grow.
func (a *fieldAnalyzer) freqMap(n int) bleveindex.TokenFrequencies {
	class := mapClass(n)
	for len(a.free) <= class {
		a.free = append(a.free, nil)
		a.given = append(a.given, nil)
	}
	var m bleveindex.TokenFrequencies
	if free := a.free[class]; len(free) > 0 {
		m = free[len(free)-1]
		a.free[class] = free[:len(free)-1]
	} else {
		m = make(bleveindex.TokenFrequencies, max(1<<class*7/8, 8))
	}
	a.given[class] = append(a.given[class], m)
	return m
}

// mapClass is the size class of a map for n terms: a map of 2^class slots.
func mapClass(n int) int {
	switch {
	case n > 896:
		return bits.Len(uint((4*n+2)/3 - 1)) // 2^class slots hold n at 3/4
	case n > 8:
		return bits.Len(uint((8*n+6)/7 - 1)) // at 7/8
	}
	return 3 // up to 8 terms: one group of 8 slots, filled whole
}

// counts are n counts to fill.
func (a *fieldAnalyzer) counts(n int) []bleveindex.TokenFreq {
	for a.slab < len(a.slabs) && a.used+n > len(a.slabs[a.slab]) {
		a.slab++
		a.used = 0
	}
	if a.slab == len(a.slabs) {
		a.slabs = append(a.slabs, make([]bleveindex.TokenFreq, max(n, 4096)))
	}
	tfs := a.slabs[a.slab][a.used : a.used+n : a.used+n]
	a.used += n
	return tfs
}

// recycle makes the fields of every document made so far again: call it only
// once the builder has written them all.
func (a *fieldAnalyzer) recycle() {
	for class, given := range a.given {
		for _, m := range given {
			clear(m)
		}
		a.free[class] = append(a.free[class], given...)
		a.given[class] = given[:0]
	}
	a.slab, a.used = 0, 0
	a.title, a.path = nil, nil
}
