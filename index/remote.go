package index

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"

	"policysearch/internal/lru"
	"policysearch/internal/segment"
)

// Searching an index on Weaviate: the clauses are numbered by their ordinals
// (no segments); before a plan is evaluated, what it needs is read from the
// cluster (prefetch), and everything else — substrings checked against the
// text, tiers, totals, facets, highlights — is done here over the clauses in
// memory, as for bleve.
//
// Term statistics: a term's document frequency is counted by the cluster, so
// idf is bleve's; its frequency in a clause and the clause's field length are
// counted here, as bleve counts them: character pairs and characters in the
// folded field, jieba words among the clause's words (remotewords.go).
type remote struct {
	w     *Weaviate
	class string
	ids   map[string]int32 // object id → clause ordinal
	// sets and counts read, by filter: what the cluster holds of this
	// index's clauses never changes (an addition is another index).
	sets   *lru.Cache[string, bitset]
	counts *lru.Cache[string, uint64]
	words  *clauseWords
}

// index ties the index's clauses to their objects in the class.
func (r *remote) index(store *clauseStore) {
	r.sets, r.counts = lru.New[string, bitset](r.w.CacheBytes), lru.New[string, uint64](r.w.CacheBytes/64)
	r.words = newClauseWords(store)
	r.ids = make(map[string]int32, len(store.clauses))
	for o, c := range store.clauses {
		r.ids[string(clauseUUID(c.ID))] = int32(o)
	}
}

// ordinalNumbering numbers clauses by their ordinals: the number space of an
// index without bleve parts.
func ordinalNumbering(store *clauseStore) *numbering {
	n := len(store.clauses)
	size := (n + 63) &^ 63
	num := &numbering{size: size, ordinal: make([]int32, size), number: make([]int32, n),
		live: newBitset(size), docTotal: uint64(n)}
	for i := range num.ordinal {
		num.ordinal[i] = -1
	}
	for o := 0; o < n; o++ {
		num.ordinal[o], num.number[o] = int32(o), int32(o)
		num.live.set(o)
	}
	return num
}

// read is where a term occurs: from bleve's posting lists, or from the
// cluster (a term no search read beforehand: see prefetch).
func (m *matcher) read(t *termCond) (bitset, error) {
	r := m.ix.remote
	if r == nil {
		return m.readKept(t)
	}
	where, k := termFilter(t)
	if k == relaxNone {
		return newBitset(m.n.size), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.w.timeout())
	defer cancel()
	return r.set(ctx, where, m.n.size)
}

// set reads the clauses that where lets through. Objects of clauses this
// index does not hold (written since by an addition to the library) are left
// out.
func (r *remote) set(ctx context.Context, where *filters.WhereBuilder, size int) (bitset, error) {
	key := filterKey(where)
	if b, ok := r.sets.Get(key); ok {
		return b, nil
	}
	b := newBitset(size)
	err := r.w.matching(ctx, r.class, where, func(id string) {
		if o, ok := r.ids[id]; ok {
			b.set(int(o))
		}
	})
	if err == nil {
		r.sets.Put(key, b, 8*len(b)+len(key))
	}
	return b, err
}

// count is how many objects of the class a filter lets through.
func (r *remote) count(ctx context.Context, where *filters.WhereBuilder) (uint64, error) {
	key := filterKey(where)
	if n, ok := r.counts.Get(key); ok {
		return n, nil
	}
	n, err := r.w.count(ctx, r.class, where)
	if err == nil {
		r.counts.Put(key, n, 1)
	}
	return n, err
}

func filterKey(where *filters.WhereBuilder) string {
	if where == nil {
		return ""
	}
	return where.String()
}

// relaxed says what a filter of the cluster stands for.
type relaxed int

const (
	relaxSome relaxed = iota // the filter
	relaxAll                 // every clause: no filter
	relaxNone                // no clause
)

// termFilter is the filter of one term: a token of a whitespace-tokenized
// field, or a keyword's value. A term with a space is in no clause (and
// asking for it would ask for each of its parts).
func termFilter(t *termCond) (*filters.WhereBuilder, relaxed) {
	if t.term == "" || strings.ContainsFunc(t.term, unicode.IsSpace) {
		return nil, relaxNone
	}
	return equal(t.field, t.term), relaxSome
}

// relax is a filter of the cluster that lets through every clause where c
// holds, and as few others as it can: a substring becomes its character
// pairs, and an exclusion lets everything through (what its pairs exclude
// may still lack the substring).
func relax(c cond) (*filters.WhereBuilder, relaxed) {
	switch c := c.(type) {
	case *termCond:
		return termFilter(c)
	case *subCond:
		var ws []*filters.WhereBuilder
		for _, g := range c.grams {
			w, k := termFilter(g)
			if k == relaxNone {
				return nil, relaxNone
			}
			ws = append(ws, w)
		}
		return combine(filters.And, ws), relaxSome
	case andCond:
		var ws []*filters.WhereBuilder
		for _, sub := range c {
			w, k := relax(sub)
			switch k {
			case relaxNone:
				return nil, relaxNone
			case relaxSome:
				ws = append(ws, w)
			}
		}
		if len(ws) == 0 {
			return nil, relaxAll
		}
		return combine(filters.And, ws), relaxSome
	case orCond:
		var ws []*filters.WhereBuilder
		for _, sub := range c {
			w, k := relax(sub)
			switch k {
			case relaxAll:
				return nil, relaxAll
			case relaxSome:
				ws = append(ws, w)
			}
		}
		if len(ws) == 0 {
			return nil, relaxNone
		}
		return combine(filters.Or, ws), relaxSome
	case noneCond:
		return nil, relaxNone
	}
	return nil, relaxAll // allCond, notCond
}

// prefetch reads, before a plan is evaluated, what it needs from the cluster,
// a few queries at a time: the candidates (the clauses that the plan's
// condition, relaxed, lets through), the candidates holding each jieba word
// of the plan, and the document frequency of each scoring term. The search
// then runs over the candidates alone, and the other terms' sets are worked
// out from the candidates' text and fields in memory: a character pair or a
// character is in a field when its folded text holds it, as the analyzer cuts
// it.
func (m *matcher) prefetch(ctx context.Context, p *plan) error {
	r := m.ix.remote
	if r == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.w.timeout())
	defer cancel()
	where, k := relax(p.all)
	var jobs []func() error
	cands := newBitset(m.n.size)
	if k != relaxNone {
		jobs = append(jobs, func() (err error) {
			cands, err = r.set(ctx, where, m.n.size)
			return err
		})
	}
	for _, t := range m.terms {
		if t.set != nil || !jiebaField(t.field) {
			continue
		}
		tw, tk := termFilter(t)
		if tk == relaxNone || k == relaxNone {
			t.set = newBitset(m.n.size)
			continue
		}
		if k == relaxSome {
			tw = combine(filters.And, []*filters.WhereBuilder{where, tw})
		}
		jobs = append(jobs, func() (err error) {
			t.set, err = r.set(ctx, tw, m.n.size)
			return err
		})
	}
	m.counts = map[*termCond]uint64{}
	counts := map[*termCond]*uint64{}
	for _, sc := range p.scoring {
		for _, t := range sc.terms {
			if _, ok := counts[t]; ok {
				continue
			}
			n := new(uint64)
			counts[t] = n
			tw, tk := termFilter(t)
			if tk == relaxNone {
				continue
			}
			jobs = append(jobs, func() (err error) {
				*n, err = r.count(ctx, tw)
				return err
			})
		}
	}
	if err := runAll(jobs); err != nil {
		return err
	}
	for t, n := range counts {
		m.counts[t] = *n
	}
	// The search's clauses are the candidates.
	n := *m.n
	n.live = cands
	m.n = &n
	recs := map[int]record{}
	for _, t := range m.terms {
		if t.set == nil {
			t.set = m.local(t, cands, recs)
		}
	}
	return nil
}

// runAll runs jobs, remoteQueries at a time, and returns the first error.
func runAll(jobs []func() error) error {
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, remoteQueries)
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = job()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// remoteQueries bounds the queries one search has in flight.
const remoteQueries = 8

func jiebaField(field string) bool { return field == "text" || field == "title" }

// local is the candidates holding a term of a character field or a keyword,
// from the clauses in memory; recs keeps the candidates' records.
func (m *matcher) local(t *termCond, cands bitset, recs map[int]record) bitset {
	b := newBitset(m.n.size)
	if t.term == "" || strings.ContainsFunc(t.term, unicode.IsSpace) {
		return b
	}
	field, n := analyzedField(t.field)
	store := m.ix.store
	cands.each(func(d int) bool {
		o := m.n.ordinal[d]
		if n > 0 {
			if strings.Contains(store.field(field, o), t.term) {
				b.set(d)
			}
			return true
		}
		rec, ok := recs[d]
		if !ok {
			rec = newRecord(store.docs[store.doc[o]], *store.clauses[o])
			recs[d] = rec
		}
		if slices.Contains(rec.keyword(t.field), t.term) {
			b.set(d)
		}
		return true
	})
	return b
}

// keyword is a keyword field's values.
func (r *record) keyword(field string) []string {
	switch field {
	case "departments":
		return r.Departments
	case "department_places":
		return r.DepartmentPlaces
	case "leads":
		return r.Leads
	case "lead_places":
		return r.LeadPlaces
	case "sections":
		return r.Sections
	case "doc_id":
		return []string{r.DocID}
	case "issuers":
		return r.Issuers
	case "year":
		return r.Year
	}
	return nil
}

// docFreq is how many clauses hold a term, for idf.
func (m *matcher) docFreq(t *termCond) uint64 {
	if m.ix.remote == nil {
		return m.keptFreq(t)
	}
	if n, ok := m.counts[t]; ok {
		return n
	}
	return uint64(m.set(t).count())
}

// remoteFrequencies calls f with the frequency and norm of t's term in its
// field for every document of docs (ascending numbers) that holds it,
// counted in the clauses in memory: the cluster keeps no frequencies to read.
func (m *matcher) remoteFrequencies(t *termCond, docs []int, f func(k int, freq uint64, norm float64)) {
	field, n := analyzedField(t.field)
	if n == 0 {
		m.jiebaFrequencies(t, docs, f)
		return
	}
	needle := segment.Compact(t.term)
	set := t.set
	for k, d := range docs {
		if !set.has(d) {
			continue
		}
		s := m.ix.store.field(field, m.n.ordinal[d])
		freq := uint64(max(occurrences(s, needle), 1))
		// bleve keeps a norm as a float32.
		f(k, freq, float64(float32(1/math.Sqrt(float64(max(fieldLength(s, n), 1))))))
	}
}

// analyzedField splits a field's name into the clause's field and its
// analyzer's n: 2 for character pairs, 1 for characters, 0 for jieba words.
func analyzedField(name string) (string, int) {
	if f, ok := strings.CutSuffix(name, "_gram"); ok {
		return f, 2
	}
	if f, ok := strings.CutSuffix(name, "_char"); ok {
		return f, 1
	}
	return name, 0
}

// occurrences counts needle in s, overlapping ones too, as a gram field's
// positions do.
func occurrences(s, needle string) int {
	if needle == "" {
		return 0
	}
	n := 0
	for {
		i := strings.Index(s, needle)
		if i < 0 {
			return n
		}
		n++
		_, size := utf8.DecodeRuneInString(s[i:])
		s = s[i+size:]
	}
}

// fieldLength is how many tokens of n characters (1 or 2) a folded field
// has: no token crosses a line.
func fieldLength(s string, n int) int {
	total := 0
	for _, line := range strings.Split(s, "\n") {
		c := utf8.RuneCountInString(line)
		switch {
		case n == 2 && c > 1:
			total += c - 1
		case n != 2:
			total += c
		}
	}
	return total
}
