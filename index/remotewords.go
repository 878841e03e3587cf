package index

import (
	"math"
	"sync"
	"sync/atomic"
)

// The jieba words of an index on Weaviate's clauses, for term statistics: a
// jieba word's frequency in a clause and the field's length in words, which
// bleve reads from its posting lists, are worked out here by cutting the
// clause as the analyzer did, on first use, and kept (as numbers into one
// dictionary: at 100,000 clauses every clause's words are tens of megabytes).
type clauseWords struct {
	mu    sync.Mutex
	ids   map[string]uint32
	cut   []atomic.Pointer[cutClause] // by ordinal
	store *clauseStore
}

type cutClause struct{ text, title []uint32 }

func newClauseWords(store *clauseStore) *clauseWords {
	return &clauseWords{ids: map[string]uint32{}, cut: make([]atomic.Pointer[cutClause], len(store.clauses)), store: store}
}

// id numbers a word; ok is false for a word no clause cut so far holds.
func (w *clauseWords) id(word string, add bool) (uint32, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, ok := w.ids[word]
	if !ok && add {
		n, ok = uint32(len(w.ids)), true
		w.ids[word] = n
	}
	return n, ok
}

// of is clause o's words in a jieba field (text or title), cut on first use.
func (w *clauseWords) of(ix *Index, o int32, field string) []uint32 {
	c := w.cut[o].Load()
	if c == nil {
		cl := w.store.clauses[o]
		c = &cutClause{text: w.cutField(ix, cl.Text), title: w.cutField(ix, cl.Title)}
		w.cut[o].Store(c)
	}
	if field == "title" {
		return c.title
	}
	return c.text
}

func (w *clauseWords) cutField(ix *Index, s string) []uint32 {
	toks := ix.seg.Tokens(s)
	out := make([]uint32, len(toks))
	for i, t := range toks {
		out[i], _ = w.id(t.Term, true)
	}
	return out
}

// jiebaFrequencies is frequencies for a jieba field: the term's count among
// the clause's words and the field's words, as bleve's posting lists give
// them.
func (m *matcher) jiebaFrequencies(t *termCond, docs []int, f func(k int, freq uint64, norm float64)) {
	words := m.ix.remote.words
	for k, d := range docs {
		if !t.set.has(d) {
			continue
		}
		cut := words.of(m.ix, m.n.ordinal[d], t.field)
		// Cut first: the term is numbered once some clause holds it.
		var freq uint64
		if id, ok := words.id(t.term, false); ok {
			for _, w := range cut {
				if w == id {
					freq++
				}
			}
		}
		f(k, max(freq, 1), float64(float32(1/math.Sqrt(float64(max(len(cut), 1))))))
	}
}
