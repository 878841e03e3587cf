package index

import (
	"math"
	"sort"

	segment "github.com/blevesearch/scorch_segment_api/v2"

	"policysearch/internal/lru"
)

// Term weights: a term's √tf × norm in every clause that holds it, which is
// what scoring reads from a posting list. bleve keeps frequencies and norms in
// compressed chunks that are decoded again on every read, so scoring a
// frequent word costs its whole posting list on every search that has it —
// at 10,000 clauses a third of a search's time. The lists of frequent terms
// are therefore decoded once per open index and kept in a byte-bounded LRU:
// the terms worth keeping are exactly those that recur across searches, and
// an open index never changes, so nothing kept goes stale. A term's weights
// are the same numbers either way, so a search scores alike whether they were
// kept or not.

// termWeights is a term's posting lists decoded: ascending document numbers
// and the weight in each.
type termWeights struct {
	docs []int32
	w    []float64
}

const (
	// keptWeightsBytes bounds the decoded lists an open index keeps, at
	// least; a large index keeps keptListsPerClause bytes per clause: room
	// for the lists of about fifty words found in every clause, each costing
	// 12 bytes a posting.
	keptWeightsBytes   = 32 << 20
	keptListsPerClause = 640
	// keptWeightsMin is the shortest list worth keeping: shorter ones cost
	// little to read and would only churn the cache.
	keptWeightsMin = 256
	// askedBytes bounds the terms remembered as asked for once.
	askedBytes = 1 << 20
)

// weight is a posting's share of a term's score.
func weight(freq uint64, norm float64) float64 { return math.Sqrt(float64(freq)) * norm }

// weights calls f with the term's weight in every document of docs
// (ascending numbers) that holds it. p is the term's posting lists in field.
// A list is decoded whole to be kept when reading it costs that much anyway
// (docs are many beside it) or when the term is asked for again; a first
// search for a few documents of a long list skips through it instead.
// Safe from several goroutines.
func (n *numbering) weights(field, term string, p postings, docs []int, f func(k int, w float64)) error {
	skim := func() error {
		return n.frequencies(p, docs, func(k int, freq uint64, norm float64) { f(k, weight(freq, norm)) })
	}
	count := p.count()
	if count < keptWeightsMin || n.kept.Max() == 0 {
		return skim()
	}
	key := field + "\x00" + term
	tw, ok := n.kept.Get(key)
	if !ok {
		if _, again := n.asked.Get(key); !again && uint64(len(docs))*2 < count {
			n.asked.Put(key, struct{}{}, len(key)+64)
			return skim()
		}
		var err error
		if tw, err = n.decode(p); err != nil {
			return err
		}
		n.kept.Put(key, tw, 12*len(tw.docs)+64)
	}
	tw.each(docs, f)
	return nil
}

// decode reads posting lists whole.
func (n *numbering) decode(p postings) (*termWeights, error) {
	tw := &termWeights{docs: make([]int32, 0, p.count()), w: make([]float64, 0, p.count())}
	var it segment.PostingsIterator
	for i := range n.segs {
		if p[i] == nil {
			continue
		}
		base := n.segs[i].base
		it = p[i].Iterator(true, true, false, it)
		for {
			post, err := it.Next()
			if err != nil {
				return nil, err
			}
			if post == nil {
				break
			}
			tw.docs = append(tw.docs, int32(base+int(post.Number())))
			tw.w = append(tw.w, weight(post.Frequency(), post.Norm()))
		}
	}
	return tw, nil
}

// each calls f for every document of docs (ascending) the term holds: by
// binary search when docs are few beside the list, else in one merge.
func (tw *termWeights) each(docs []int, f func(k int, w float64)) {
	if len(docs)*16 < len(tw.docs) {
		rest := tw.docs
		off := 0
		for k, d := range docs {
			i := sort.Search(len(rest), func(i int) bool { return int(rest[i]) >= d })
			if i == len(rest) {
				return
			}
			if int(rest[i]) == d {
				f(k, tw.w[off+i])
			}
			rest, off = rest[i:], off+i
		}
		return
	}
	i := 0
	for k, d := range docs {
		for i < len(tw.docs) && int(tw.docs[i]) < d {
			i++
		}
		if i == len(tw.docs) {
			return
		}
		if int(tw.docs[i]) == d {
			f(k, tw.w[i])
		}
	}
}

// newKeptWeights makes the cache of decoded lists of an open index of that
// many clauses, and of the terms asked for once.
func newKeptWeights(clauses uint64) (*lru.Cache[*termWeights], *lru.Cache[struct{}]) {
	budget := max(keptWeightsBytes, keptListsPerClause*int(clauses))
	return lru.New[*termWeights](budget), lru.New[struct{}](askedBytes)
}
