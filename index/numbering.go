package index

import (
	"fmt"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"policysearch/internal/lru"
)

// numbering ties bleve's document numbers to clauses. bleve numbers documents
// per segment, and a background merge renumbers them (the merged segment goes
// to the end of the snapshot); so the search path takes one snapshot when the
// index opens and keeps it (an open index never changes: a new corpus is a new
// index), and reads once per segment which clause each number holds. Within
// the snapshot a document's number is its segment's base plus its number in
// the segment, as bleve's own internal ids are; bases are multiples of 64 so
// that a segment's posting bitmaps copy into a bitset word by word.
type numbering struct {
	readers  []bleveindex.IndexReader // a snapshot of each part, held open while the index is
	segs     []segmentView
	size     int                               // numbers in use
	ordinal  []int32                           // number → clause ordinal, -1 for none (deleted, padding)
	number   []int32                           // clause ordinal → number: document order
	live     bitset                            // numbers of live documents
	docTotal uint64                            // live documents, for idf
	kept     *lru.Cache[termKey, *termWeights] // terms' long posting lists, decoded (weights.go)
	rare     *lru.Cache[termKey, *termWeights] // … and their short ones
	sets     *lru.Cache[termKey, bitset]       // … and long lists' sets, without weights
	asked    *lru.Cache[termKey, struct{}]     // … and the terms asked for once
	runs     [2]runTable                       // title and path runs (runs.go)
	matchers *sync.Pool                        // of *matcher done with, for the next searches (newMatcher)
}

type segmentView struct {
	part    int // which part of the index it is of
	seg     segment.Segment
	base    int
	n       int
	deleted *roaring.Bitmap
}

// newNumbering takes the current snapshot of each part and maps their
// numbers to clauses: the parts' segments numbered one after the other.
func newNumbering(parts []bleve.Index, store *clauseStore) (*numbering, error) {
	n := &numbering{matchers: &sync.Pool{}}
	base := 0
	for k, bi := range parts {
		adv, err := bi.Advanced()
		if err != nil {
			n.close()
			return nil, err
		}
		r, err := adv.Reader()
		if err != nil {
			n.close()
			return nil, err
		}
		n.readers = append(n.readers, r)
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			n.close()
			return nil, fmt.Errorf("index: bleve index of type %T, want scorch", r)
		}
		for _, ss := range snap.Segments() {
			count := int(ss.Segment().Count())
			n.segs = append(n.segs, segmentView{part: k, seg: ss.Segment(), base: base, n: count, deleted: ss.Deleted()})
			base += (count + 63) &^ 63
		}
	}
	n.size = base
	n.ordinal = make([]int32, base)
	n.live = newBitset(base)
	for i := range n.ordinal {
		n.ordinal[i] = -1
	}
	// A clause in several parts is the newest part's (Add indexes again the
	// clauses a new user word cuts differently): the parts are read newest
	// first, and an older copy is left out as bleve leaves out a deleted one.
	seenIn := make([]int16, len(store.clauses)) // part index + 1
	n.number = make([]int32, len(store.clauses))
	for i := len(n.segs) - 1; i >= 0; i-- {
		s := &n.segs[i]
		masked := false
		for local := 0; local < s.n; local++ {
			if s.deleted != nil && s.deleted.Contains(uint32(local)) {
				continue
			}
			id, err := s.seg.DocID(uint64(local))
			if err != nil {
				n.close()
				return nil, fmt.Errorf("index: reading document %d: %w", local, err)
			}
			o, ok := store.byID[string(id)]
			if ok && seenIn[o] > int16(s.part)+1 {
				if !masked {
					// The snapshot's own bitmap is bleve's: this view's is a copy.
					if s.deleted == nil {
						s.deleted = roaring.New()
					} else {
						s.deleted = s.deleted.Clone()
					}
					masked = true
				}
				s.deleted.Add(uint32(local))
				continue
			}
			if !ok || seenIn[o] != 0 {
				n.close()
				return nil, fmt.Errorf("index: the index holds clause %q, which the corpus does not (or twice)", id)
			}
			seenIn[o] = int16(s.part) + 1
			n.ordinal[s.base+local] = o
			n.number[o] = int32(s.base + local)
			n.live.set(s.base + local)
			n.docTotal++
		}
	}
	if int(n.docTotal) != len(store.clauses) {
		n.close()
		return nil, fmt.Errorf("index: the index holds %d clauses, the corpus %d", n.docTotal, len(store.clauses))
	}
	n.kept, n.rare, n.sets, n.asked = newKeptWeights(n.docTotal)
	n.runs = newRunTables(n, store)
	return n, nil
}

// clauses lists the clause ordinals in the order of their numbers.
func (n *numbering) clauses() []int32 {
	out := make([]int32, 0, len(n.number))
	for _, o := range n.ordinal {
		if o >= 0 {
			out = append(out, o)
		}
	}
	return out
}

func (n *numbering) close() error {
	var first error
	for _, r := range n.readers {
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	n.readers = nil
	return first
}

// postings is one term's posting lists in a field, one per segment (nil
// where the segment has none), deleted documents left out. They are read once
// per search and term; iterating them is safe from several goroutines.
type postings []segment.PostingsList

// dictionaries opens a field's term dictionary in every segment. A dictionary
// is for one goroutine.
func (n *numbering) dictionaries(field string) ([]segment.TermDictionary, error) {
	out := make([]segment.TermDictionary, len(n.segs))
	for i := range n.segs {
		d, err := n.segs[i].seg.Dictionary(field)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// lookup reads a term's posting lists from the field's dictionaries.
func (n *numbering) lookup(dicts []segment.TermDictionary, term string) (postings, error) {
	out := make(postings, len(n.segs))
	key := []byte(term)
	for i := range n.segs {
		pl, err := dicts[i].PostingsList(key, n.segs[i].deleted, nil)
		if err != nil {
			return nil, err
		}
		if pl.Count() > 0 {
			out[i] = pl
		}
	}
	return out, nil
}

// set is the documents the posting lists hold, as a bitset.
func (n *numbering) set(p postings) (bitset, error) {
	b := newBitset(n.size)
	var it segment.PostingsIterator
	// Segments in ascending order: copying a posting bitmap's container may
	// zero words past its segment's end, which the next segment then fills.
	for i := range n.segs {
		s := &n.segs[i]
		if p[i] == nil {
			continue
		}
		it = p[i].Iterator(false, false, false, it)
		if o, ok := it.(segment.OptimizablePostingsIterator); ok {
			if d, ok := o.DocNum1Hit(); ok {
				b.set(s.base + int(d))
				continue
			}
			if bm := o.ActualBitmap(); bm != nil {
				if !bm.IsEmpty() {
					bm.WriteDenseTo(b[s.base/64:])
				}
				continue
			}
		}
		for {
			p, err := it.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			b.set(s.base + int(p.Number()))
		}
	}
	return b, nil
}

// count is how many live documents the posting lists hold, for idf.
func (p postings) count() uint64 {
	var total uint64
	for _, pl := range p {
		if pl != nil {
			total += pl.Count()
		}
	}
	return total
}

// frequencies calls f with the frequency and norm of term in field for every
// document of docs (ascending numbers) that holds it.
func (n *numbering) frequencies(p postings, docs []int, f func(k int, freq uint64, norm float64)) error {
	k := 0
	var it segment.PostingsIterator
	for i := range n.segs {
		s := &n.segs[i]
		end := s.base + s.n
		for k < len(docs) && docs[k] < s.base {
			k++
		}
		if k == len(docs) {
			return nil
		}
		if docs[k] >= end {
			continue
		}
		pl := p[i]
		within := k
		for within < len(docs) && docs[within] < end {
			within++
		}
		if pl == nil {
			k = within
			continue
		}
		it = pl.Iterator(true, true, false, it)
		// Few documents of a long list are reached by skipping; many are
		// read in one pass over the list beside them.
		// The first is reached by skipping either way: docs may start far
		// into the list (a range of a search's docs, scored on its own core).
		sparse := uint64(within-k)*2 < pl.Count()
		for first := true; k < within; first = false {
			var post segment.Posting
			var err error
			if sparse || first {
				post, err = it.Advance(uint64(docs[k] - s.base))
			} else {
				post, err = it.Next()
			}
			if err != nil {
				return err
			}
			if post == nil {
				break
			}
			at := s.base + int(post.Number())
			for k < within && docs[k] < at {
				k++
			}
			if k < within && docs[k] == at {
				f(k, post.Frequency(), post.Norm())
				k++
			}
		}
		k = within
	}
	return nil
}
