package index

import (
	"runtime"
	"strings"
	"sync"

	segapi "github.com/blevesearch/scorch_segment_api/v2"
	"unicode/utf8"

	"policysearch/internal/segment"
)

// Matching: a plan's conditions evaluated over the index in one pass. Every
// term's posting list is read once per search, as a bitset (numbering.term),
// and conditions combine bitsets. A substring of three or more characters is
// the intersection of its character pairs' posting lists, which may hold
// clauses where the pairs are not adjacent: those candidates are checked
// against the clause's folded field in memory, lazily, only where the answer
// matters (the total, the tiers a page reaches), and each clause at most once.

// cond is a condition on clauses.
type cond interface{}

// termCond holds where a field's posting list has a term.
type termCond struct {
	field, term string
	lists       postings     // read on first use
	set         bitset       // … and made a set on first use
	looked      bool         // whether the open index keeps it was asked (weights.go)
	kept        *termWeights // … and what it keeps, or nil
	keptKey     termKey      // … under this key, set when looked
}

// key names the term across searches (weights.go).
func (t *termCond) key() condKey { return condKey{t.field, t.term} }

// subCond holds where a field contains a substring of three or more
// characters (shorter ones are one term: see matcher.substring).
type subCond struct {
	field   string // text, title or path
	needle  string // folded
	anchor  int    // the place of the needle's rarest byte (in)
	grams   []*termCond
	cands   bitset // clauses holding every pair
	checked bitset // candidates checked against the text
	holds   bitset // … and found to hold the substring
}

type (
	andCond  []cond
	orCond   []cond
	notCond  struct{ c cond }
	allCond  struct{}
	noneCond struct{}
)

// matcher evaluates the conditions of one search. Conditions remember what
// they read, so a term shared by the match and a tier is read once.
type matcher struct {
	ix    *Index
	n     *numbering
	terms map[condKey]*termCond
	subs  map[condKey]*subCond
	dicts map[string][]segapi.TermDictionary // by field, opened on first use
	err   error                              // the first error reading the index
	// counts are terms' document frequencies, where the sets read hold
	// only the candidates (remote.go).
	counts map[*termCond]uint64
	// sets are the sets of the index's size it has made, lent is how many
	// this search has: a released matcher lends them again (spareSet).
	sets []bitset
	lent int
	// slabs hold the terms' conditions, eight to a slab, and used is how
	// many this search has: a search names a score of terms, and allocating
	// them one by one was a tenth of its allocations. A released matcher
	// hands the same conditions out again, cleared.
	slabs [][]termCond
	used  int
	// alone holds the lists of one term (a scoring clause's) this search
	// has made: a released matcher makes them again in the same room.
	alone room[*termCond]
	// words and folded are the plan's (plan.wordsOf, plan.compact), kept
	// with their room as the maps above.
	words  map[string][]string
	folded map[string]string
	// The score tables' arrays and the candidates they score: at 10,000
	// clauses a tier has thousands of candidates, and their arrays were a
	// third of a search's garbage. A released matcher hands the same room
	// out again.
	floats  room[float64]
	matches room[int32]
	docs    room[int]
}

// A search makes a dozen or more sets of the index's size as it evaluates
// its conditions and tiers, and at 10,000 clauses and more they were the
// most of its garbage. A matcher keeps the sets it made (newSet, clone) for
// the next search it runs, and goes back to its numbering when its search is
// done (release): no set outlives the search, whose result holds none.

// newSet is an empty set of the index's size.
func (m *matcher) newSet() bitset {
	b := m.spareSet()
	clear(b)
	return b
}

// clone is a copy of b.
func (m *matcher) clone(b bitset) bitset {
	c := m.spareSet()
	copy(c, b)
	return c
}

// spareSet is a set of the index's size holding anything.
func (m *matcher) spareSet() bitset {
	if m.lent == len(m.sets) {
		m.sets = append(m.sets, newBitset(m.n.size))
	}
	m.lent++
	return m.sets[m.lent-1]
}

// release gives the matcher back, with its sets: the search is done with
// them.
func (m *matcher) release() {
	if m.n.matchers == nil {
		return // an index on Weaviate keeps no matchers
	}
	// The matcher goes back whole, its maps emptied but their room kept: a
	// search filled them again from nothing, growing each a few times. The
	// maps of a search of hundreds of terms are let go instead: emptying
	// takes as long as their room.
	m.lent = 0
	// The conditions let go of what they read (bleve's posting lists among
	// it) now, not when a later search takes them.
	for k := 0; k*termSlab < m.used; k++ {
		clear(m.slabs[k])
	}
	m.alone.reset()
	m.used = 0
	m.floats.reset()
	m.matches.reset()
	m.docs.reset()
	if len(m.terms) > maxKeptTerms {
		m.terms, m.subs = map[condKey]*termCond{}, map[condKey]*subCond{}
		m.slabs, m.alone = nil, room[*termCond]{}
	}
	clear(m.terms)
	clear(m.subs)
	clear(m.dicts)
	clear(m.words)
	clear(m.folded)
	m.err, m.counts = nil, nil
	m.n.matchers.Put(m)
}

// room is memory handed out in turn to one search and taken back whole:
// what is not handed out is zero.
type room[T any] struct {
	buf  []T
	used int
}

// take is n zeroed elements, valid until the room is reset.
func (r *room[T]) take(n int) []T {
	if r.used+n > len(r.buf) {
		// What was handed out keeps the old memory; the new has room for
		// as much again, within maxRoom. Beyond it, n elements are made
		// for this search alone.
		size := max(2*len(r.buf), n, 64)
		if size > maxRoom {
			return make([]T, n)
		}
		r.buf = make([]T, size)
		r.used = 0
	}
	s := r.buf[r.used : r.used+n : r.used+n]
	r.used += n
	return s
}

// reset takes back what was handed out, cleared: it holds nothing of the
// search before, no posting list among it.
func (r *room[T]) reset() {
	clear(r.buf[:r.used])
	r.used = 0
}

// maxRoom bounds the memory of each room, which a released matcher keeps:
// the tables of a few thousand candidates each, and not those of a tier of
// 100,000.
const maxRoom = 1 << 16

// members are the members of b, ascending, in the matcher's room.
func (m *matcher) members(b bitset) []int {
	out := m.docs.take(b.count())[:0]
	b.each(func(i int) bool {
		out = append(out, i)
		return true
	})
	return out
}

// maxKeptTerms bounds the terms a released matcher's maps keep room for.
const maxKeptTerms = 256

// termSlab is how many terms' conditions a matcher allocates at once
// (sixteen left a related query's few terms in slabs mostly unused).
const termSlab = 8

// newMatcher is a matcher for one search of ix, one released before if any.
func newMatcher(ix *Index) *matcher {
	if ix.num.matchers != nil {
		if m, ok := ix.num.matchers.Get().(*matcher); ok && m.ix == ix {
			return m
		}
	}
	return &matcher{ix: ix, n: ix.num, terms: map[condKey]*termCond{}, subs: map[condKey]*subCond{},
		dicts: map[string][]segapi.TermDictionary{}, words: map[string][]string{}, folded: map[string]string{}}
}

// only is the list of t alone.
func (m *matcher) only(t *termCond) []*termCond {
	l := m.alone.take(1)
	l[0] = t
	return l
}

// condKey names a term or substring condition: a map key made without
// allocating, which a string joined from the two was, a dozen times a search.
type condKey struct{ field, s string }

// term is the condition that field holds term.
func (m *matcher) term(field, term string) *termCond {
	key := condKey{field, term}
	if t, ok := m.terms[key]; ok {
		return t
	}
	if m.used == termSlab*len(m.slabs) {
		m.slabs = append(m.slabs, make([]termCond, termSlab))
	}
	t := &m.slabs[m.used/termSlab][m.used%termSlab]
	m.used++
	t.field, t.term = field, term
	m.terms[key] = t
	return t
}

// gramField and charField name the fields where a text field's character
// pairs and characters are indexed (fields.go); a search names them a dozen
// times, and joining the strings each time was as many allocations.
func gramField(field string) string {
	switch field {
	case "text":
		return "text_gram"
	case "title":
		return "title_gram"
	case "path":
		return "path_gram"
	}
	return field + "_gram"
}

func charField(field string) string {
	switch field {
	case "text":
		return "text_char"
	case "title":
		return "title_char"
	case "path":
		return "path_char"
	}
	return field + "_char"
}

// anyTerm holds where a keyword field has any of the values.
func (m *matcher) anyTerm(field string, values []string) cond {
	cs := make([]cond, len(values))
	for i, v := range values {
		cs[i] = m.term(field, v)
	}
	return or(cs...)
}

// substring is the condition that field contains s, ignoring spaces, width,
// ASCII case and the script (simplified or traditional).
func (m *matcher) substring(field, s string) cond {
	needle := segment.Compact(s)
	switch utf8.RuneCountInString(needle) {
	case 0:
		return noneCond{}
	case 1:
		return m.term(charField(field), needle)
	case 2:
		return m.term(gramField(field), needle)
	}
	key := condKey{field, needle}
	if c, ok := m.subs[key]; ok {
		return c
	}
	grams := foldedGrams(needle, 2)
	c := &subCond{field: field, needle: needle, grams: make([]*termCond, len(grams))}
	for i := range len(needle) {
		if m.ix.store.rarity[needle[i]] < m.ix.store.rarity[needle[c.anchor]] {
			c.anchor = i
		}
	}
	for i, g := range grams {
		c.grams[i] = m.term(gramField(field), g)
	}
	m.subs[key] = c
	return c
}

// fail records the first error reading the index.
func (m *matcher) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// postings reads a term's posting lists, once per search.
func (m *matcher) postings(t *termCond) postings {
	if t.lists == nil {
		dicts, ok := m.dicts[t.field]
		var err error
		if !ok {
			if dicts, err = m.n.dictionaries(t.field); err == nil {
				m.dicts[t.field] = dicts
			}
		}
		if err == nil {
			t.lists, err = m.n.lookup(dicts, t.term)
		}
		if err != nil {
			m.fail(err)
			t.lists = make(postings, len(m.n.segs))
		}
	}
	return t.lists
}

// set is where a term occurs.
func (m *matcher) set(t *termCond) bitset {
	if t.set == nil {
		s, err := m.read(t)
		if err != nil {
			m.fail(err)
			s = m.newSet()
		}
		t.set = s
	}
	return t.set
}

func (m *matcher) candidates(c *subCond) bitset {
	if c.cands == nil {
		// Most of a query's substrings are in no title and no heading: once
		// no clause holds every pair so far, the other pairs are not read.
		c.cands = m.clone(m.set(c.grams[0]))
		for _, g := range c.grams[1:] {
			if !c.cands.and(m.set(g)) {
				break
			}
		}
		c.checked, c.holds = m.newSet(), m.newSet()
	}
	return c.cands
}

// eval evaluates c over every clause: sure holds where c certainly holds, and
// maybe where it holds or not depending on candidates not yet checked. The
// sets returned may be shared: callers copy before changing them.
func (m *matcher) eval(c cond) (sure, maybe bitset) {
	switch c := c.(type) {
	case *termCond:
		return m.set(c), nil
	case *subCond:
		cands := m.candidates(c)
		maybe = m.clone(cands)
		maybe.andNot(c.checked)
		if maybe.empty() {
			maybe = nil
		}
		return c.holds, maybe
	case andCond:
		var upper bitset
		for i, sub := range c {
			s, mb := m.eval(sub)
			if i == 0 {
				sure, upper = m.clone(s), m.clone(s)
			} else {
				sure.and(s)
			}
			if i > 0 {
				u := s
				if mb != nil {
					u = m.clone(s)
					u.or(mb)
				}
				if !upper.and(u) {
					// No clause can hold them all: the rest is not read
					// (sure is within upper, so it is empty too).
					return sure, nil
				}
			} else if mb != nil {
				upper.or(mb)
			} else if upper.empty() {
				return sure, nil
			}
		}
		return sure, maybeOf(upper, sure)
	case orCond:
		var upper bitset
		for i, sub := range c {
			s, mb := m.eval(sub)
			if i == 0 {
				sure, upper = m.clone(s), m.clone(s)
			} else {
				sure.or(s)
				upper.or(s)
			}
			if mb != nil {
				upper.or(mb)
			}
		}
		return sure, maybeOf(upper, sure)
	case *notCond:
		s, mb := m.eval(c.c)
		sure = m.clone(m.n.live)
		sure.andNot(s)
		if mb != nil {
			sure.andNot(mb)
			maybe = m.clone(mb)
		}
		return sure, maybe
	case allCond:
		return m.n.live, nil
	}
	return m.newSet(), nil
}

// maybeOf is upper without sure, or nil when that is empty.
func maybeOf(upper, sure bitset) bitset {
	upper.andNot(sure)
	if upper.empty() {
		return nil
	}
	return upper
}

// holds evaluates c for one clause (bleve document number d), checking
// substrings against the clause's text where their character pairs leave it open.
func (m *matcher) holds(c cond, d int) bool {
	switch c := c.(type) {
	case *termCond:
		return m.set(c).has(d)
	case *subCond:
		if !m.candidates(c).has(d) {
			return false
		}
		if !c.checked.has(d) {
			c.checked.set(d)
			if c.in(m.ix.store.field(c.field, m.n.ordinal[d])) {
				c.holds.set(d)
			}
		}
		return c.holds.has(d)
	case andCond:
		// Exact conditions first: a substring is checked only where the
		// rest already holds.
		for _, sub := range c {
			if _, slow := sub.(*subCond); !slow && !m.holds(sub, d) {
				return false
			}
		}
		for _, sub := range c {
			if _, slow := sub.(*subCond); slow && !m.holds(sub, d) {
				return false
			}
		}
		return true
	case orCond:
		for _, sub := range c {
			if _, slow := sub.(*subCond); !slow && m.holds(sub, d) {
				return true
			}
		}
		for _, sub := range c {
			if _, slow := sub.(*subCond); slow && m.holds(sub, d) {
				return true
			}
		}
		return false
	case *notCond:
		return m.n.live.has(d) && !m.holds(c.c, d)
	case allCond:
		return m.n.live.has(d)
	}
	return false
}

// in reports whether s holds the needle. It looks for the needle's rarest
// byte first: strings.Contains looks for the first, and in Chinese text the
// first byte of a character is one of a handful, found every few bytes, so
// checking the candidates of a common substring at 100,000 clauses was most
// of its search.
func (c *subCond) in(s string) bool {
	b, n := c.needle[c.anchor], len(c.needle)
	for i := c.anchor; i < len(s); i++ {
		k := strings.IndexByte(s[i:], b)
		if k < 0 {
			return false
		}
		i += k
		at := i - c.anchor
		if at+n > len(s) {
			return false
		}
		if s[at:at+n] == c.needle {
			return true
		}
	}
	return false
}

// parallelChecks is how many candidates make checking substrings worth
// spreading over the cores.
const parallelChecks = 2048

// check checks, on every core, the substrings of c for the candidates of docs
// not yet checked, when there are many: holds then reads the results. Each
// goroutine writes its own words of the sets.
func (m *matcher) check(c cond, docs bitset) {
	switch c := c.(type) {
	case *subCond:
		todo := m.clone(m.candidates(c))
		todo.and(docs)
		todo.andNot(c.checked)
		n := todo.count()
		workers := min(runtime.GOMAXPROCS(0), n/(parallelChecks/2))
		if n < parallelChecks || workers < 2 {
			return
		}
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			lo, hi := w*len(todo)/workers, (w+1)*len(todo)/workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				todo[lo:hi].each(func(i int) bool {
					d := lo*64 + i
					if c.in(m.ix.store.field(c.field, m.n.ordinal[d])) {
						c.holds.set(d)
					}
					c.checked.set(d)
					return true
				})
			}()
		}
		wg.Wait()
	case andCond:
		for _, sub := range c {
			m.check(sub, docs)
		}
	case orCond:
		for _, sub := range c {
			m.check(sub, docs)
		}
	case *notCond:
		m.check(c.c, docs)
	}
}

// resolve is exactly the clauses of within where c holds.
func (m *matcher) resolve(c cond, within bitset) bitset {
	sure, maybe := m.eval(c)
	out := m.clone(sure)
	out.and(within)
	if maybe != nil {
		maybe.and(within)
		m.check(c, maybe)
		maybe.each(func(d int) bool {
			if m.holds(c, d) {
				out.set(d)
			}
			return true
		})
	}
	return out
}
