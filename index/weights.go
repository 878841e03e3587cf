package index

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	segment "github.com/blevesearch/scorch_segment_api/v2"

	"policysearch/internal/lru"
)

// Kept terms: a term's posting lists decoded — the clauses that hold it and
// its √tf × norm in each — kept per open index in a byte-bounded LRU. A search
// reads every term of its plan (the query's characters, pairs and jieba
// words); from bleve that is a lookup in each segment's term dictionary, a
// roaring bitmap decoded into a set, and, for scoring, frequencies and norms
// decoded from compressed chunks on every read. At 10,000 clauses the decoding
// was a third of a search's time, and on the notice the lookups alone a
// seventh. The terms worth keeping are exactly those that recur across
// different searches, and an open index never changes, so nothing kept goes
// stale; a term's weights and clauses are the same either way, so a search
// answers and scores alike whether they were kept or not. This is not a
// results cache: every search still evaluates its whole match, tiers, facets
// and page.

// termWeights is a term's posting lists decoded: ascending document numbers
// and the weight in each, and the documents as a bitset when they are many.
type termWeights struct {
	docs []int32
	w    []float64
	set  bitset // nil when the list is short beside the index: made from docs
	// runs, for a field indexed on runs' leaders (runs.go), makes docs the
	// leaders, each standing for its run; held is then the clauses of the
	// runs.
	runs *runTable
	held int
}

// count is how many clauses hold the term.
func (tw *termWeights) count() int {
	if tw.runs != nil {
		return tw.held
	}
	return len(tw.docs)
}

const (
	// keptWeightsBytes bounds the decoded lists an open index keeps, at
	// least; a large index keeps keptListsPerClause bytes per clause: room
	// for the lists of about fifty words found in every clause, each costing
	// 12 bytes a posting.
	keptWeightsBytes   = 32 << 20
	keptListsPerClause = 640
	// keptWeightsMin is the shortest list that waits to be asked for again
	// (or read mostly whole) before it is decoded to be kept.
	keptWeightsMin = 256
	// rareBytes bounds the short lists kept.
	rareBytes = 8 << 20
	// setsBytes bounds the sets of long lists kept without their weights.
	setsBytes = 8 << 20
	// askedBytes bounds the terms remembered as asked for once.
	askedBytes = 1 << 20
	// keptEntryBytes is what keeping a term costs beside its lists: the key
	// (a hash: termKey), the LRU's element and map entry, the slices' headers.
	keptEntryBytes = 160
)

// A posting list's frequencies and norms come in chunks of about
// chunkPostings postings (zap's chunk mode 1026), and a search for fewer
// documents than sparseReads times its chunks skips through it.
const (
	chunkPostings = 1024
	sparseReads   = 2
)

// weight is a posting's share of a term's score.
func weight(freq uint64, norm float64) float64 { return math.Sqrt(float64(freq)) * norm }

// kept returns t's term decoded, when the open index keeps it. A short list
// is decoded to be kept on its first search, which reads it whole anyway; a
// long one only when a search scores it (readyWeights): a search that needs
// just its clauses copies bleve's bitmap, far cheaper than decoding it. It is
// decided once per search, before the term is read from several goroutines.
func (m *matcher) kept(t *termCond) *termWeights {
	if t.looked {
		return t.kept
	}
	t.looked = true
	t.keptKey = t.key().kept()
	key := t.keptKey
	n := m.n
	if m.ix.remote != nil || n.kept.Max() == 0 {
		return nil
	}
	for _, c := range []*lru.Cache[termKey, *termWeights]{n.rare, n.kept} {
		if tw, ok := c.Get(key); ok {
			t.kept = tw
			return tw
		}
	}
	// A long list read before for its clauses only: its set is kept alone.
	if s, ok := n.sets.Get(key); ok {
		t.set = s
		return nil
	}
	p := m.postings(t)
	if p.count() >= keptWeightsMin {
		return nil
	}
	tw, err := n.keep(key, p, m.runs(t))
	if err != nil {
		m.fail(err)
		return nil
	}
	t.kept = tw
	return tw
}

// runs is the runs t's field is indexed by (runs.go), or nil.
func (m *matcher) runs(t *termCond) *runTable {
	if k := runsOf(t.field); k >= 0 && m.ix.remote == nil {
		return &m.n.runs[k]
	}
	return nil
}

// readKept is where t's term occurs, from what the open index keeps of it
// or else from bleve's posting lists; a long list's set is then kept alone.
func (m *matcher) readKept(t *termCond) (bitset, error) {
	if tw := m.kept(t); tw != nil {
		if tw.set != nil {
			return tw.set, nil
		}
		s := m.newSet() // given back when the search ends, as sets made from lists are many
		tw.fill(s)
		return s, nil
	}
	if t.set != nil {
		return t.set, nil // its set kept alone
	}
	p := m.postings(t)
	s, err := m.n.set(p)
	if err != nil {
		return nil, err
	}
	if runs := m.runs(t); runs != nil {
		s = runs.spread(s)
	}
	if p.count() >= keptWeightsMin && m.n.sets.Max() > 0 {
		m.n.sets.Put(t.keptKey, s, 8*len(s)+keptEntryBytes)
	}
	return s, nil
}

// keptFreq is how many clauses hold t's term, from what the open index keeps
// of it or else from bleve's posting lists.
func (m *matcher) keptFreq(t *termCond) uint64 {
	if tw := m.kept(t); tw != nil {
		return uint64(tw.count())
	}
	if m.runs(t) != nil {
		return uint64(m.set(t).count()) // the leaders' postings count runs
	}
	if t.set != nil && t.lists == nil {
		return uint64(t.set.count()) // its set kept alone
	}
	return m.postings(t).count()
}

// readyWeights readies the terms' weights for scoring n documents, before
// they are read from several goroutines. A long list is decoded to be kept
// when the search reads most of it anyway, or when its term is scored a
// second time (the first is remembered); a first search for a few documents
// of a long list skips through it instead. Most of it is read when the
// documents are as many as a few of the list's chunks: bleve decodes a
// chunk's frequencies and norms from its start up to a document skipped to,
// and skipping to a few hundred documents of a list of 100,000 cost more
// than decoding it whole. A list of runs' leaders is
// decoded at once: it is short beside the clauses it stands for, and
// skipping through it would need their leaders. The lists to decode are
// decoded on every core: at 100,000 clauses a query's first search decoded
// a dozen lists of tens of thousands of postings, most of its time.
func (m *matcher) readyWeights(scoring []scoreClause, n int) error {
	type decoding struct {
		t    *termCond
		p    postings
		runs *runTable
		tw   *termWeights
		err  error
	}
	var todo []decoding
	for _, sc := range scoring {
		for _, t := range sc.terms {
			runs := m.runs(t)
			if m.ix.remote != nil || m.kept(t) != nil || (runs == nil && m.n.kept.Max() == 0) {
				continue
			}
			if slices.ContainsFunc(todo, func(d decoding) bool { return d.t == t }) {
				continue // a term of two scoring clauses
			}
			p := m.postings(t)
			if runs == nil && uint64(n) < sparseReads*(p.count()/chunkPostings+1) {
				if _, again := m.n.asked.Get(t.keptKey); !again {
					m.n.asked.Put(t.keptKey, struct{}{}, keptEntryBytes)
					continue
				}
			}
			todo = append(todo, decoding{t: t, p: p, runs: runs})
		}
	}
	if len(todo) == 0 {
		return nil // every term kept already, as on a small index
	}
	var next atomic.Int32
	work := func() {
		for k := int(next.Add(1)) - 1; k < len(todo); k = int(next.Add(1)) - 1 {
			d := &todo[k]
			d.tw, d.err = m.n.keep(d.t.keptKey, d.p, d.runs)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	for _, d := range todo {
		if d.err != nil {
			return d.err
		}
		d.t.kept = d.tw
	}
	return nil
}

// addWeights adds to sum[k] the weight of t's term in docs[k] times idf
// times queryWeight, for every document of docs (ascending numbers) that
// holds it. Safe from several goroutines once the term is readied
// (readyWeights).
func (m *matcher) addWeights(t *termCond, sum []float64, docs []int, idf, queryWeight float64) error {
	add := func(k int, freq uint64, norm float64) { sum[k] += weight(freq, norm) * idf * queryWeight }
	if m.ix.remote != nil {
		m.remoteFrequencies(t, docs, add)
		return nil
	}
	if tw := m.kept(t); tw != nil {
		tw.addTo(sum, docs, idf, queryWeight)
		return nil
	}
	if m.runs(t) != nil {
		return fmt.Errorf("index: the weights of %s %q read before they were readied", t.field, t.term)
	}
	return m.n.frequencies(m.postings(t), docs, add)
}

// keep decodes a term's posting lists, of runs' leaders when runs is not
// nil, and keeps them under key where the budgets allow.
func (n *numbering) keep(key termKey, p postings, runs *runTable) (*termWeights, error) {
	tw, err := n.decode(p)
	if err != nil {
		return nil, err
	}
	if runs != nil {
		tw.runs, tw.held = runs, runs.size(tw.docs)
	}
	cost := 12*len(tw.docs) + keptEntryBytes
	// A set is kept beside the list when the list has a document in most
	// of the set's words: making one from the list would cost more than
	// the words it fills.
	// The set is shared by every search: callers copy before changing it, as
	// with any set a matcher returns.
	if tw.count()*2 >= n.size/64 {
		tw.set = newBitset(n.size)
		tw.fill(tw.set)
		cost += 8 * len(tw.set)
	}
	// Short lists are kept apart: many of them must not push out the long
	// lists, which cost far more to decode again.
	if len(tw.docs) < keptWeightsMin {
		n.rare.Put(key, tw, cost)
	} else {
		n.kept.Put(key, tw, cost)
	}
	return tw, nil
}

// fill adds the documents that hold the term to b.
func (tw *termWeights) fill(b bitset) {
	if tw.runs != nil {
		tw.runs.fill(tw.docs, b)
		return
	}
	for _, d := range tw.docs {
		b.set(int(d))
	}
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

// addTo adds to sum[k] the term's weight in docs[k] times idf times
// queryWeight, for every document of docs (ascending) it holds, in one pass
// over the list that gallops past the stretches docs skip (seek), with no
// call a document: that call was a tenth of a large library's search.
func (tw *termWeights) addTo(sum []float64, docs []int, idf, queryWeight float64) {
	if tw.runs != nil {
		tw.eachInRuns(docs, func(k int, w float64) { sum[k] += w * idf * queryWeight })
		return
	}
	list := tw.docs
	i := 0
	for k, d := range docs {
		if i == len(list) {
			return
		}
		if int(list[i]) < d {
			if i = seek(list, i, d); i == len(list) {
				return
			}
		}
		if int(list[i]) == d {
			sum[k] += tw.w[i] * idf * queryWeight
		}
	}
}

// seek is the place of the first document of list not below d, from i
// (list[i] < d): the step doubles while the next is below d too, then the
// last step is searched.
func seek(list []int32, i, d int) int {
	lo, step := i, 1
	for lo+step < len(list) && int(list[lo+step]) < d {
		lo += step
		step *= 2
	}
	end := min(lo+step, len(list)-1)
	return lo + 1 + sort.Search(end-lo, func(j int) bool { return int(list[lo+1+j]) >= d })
}

// newKeptWeights makes the caches of decoded lists of an open index of that
// many clauses — long lists, short ones apart, and the sets of long lists
// read for their clauses only — and of the long lists asked for once.
func newKeptWeights(clauses uint64) (kept, rare *lru.Cache[termKey, *termWeights], sets *lru.Cache[termKey, bitset], asked *lru.Cache[termKey, struct{}]) {
	budget := max(keptWeightsBytes, keptListsPerClause*int(clauses))
	return lru.New[termKey, *termWeights](budget), lru.New[termKey, *termWeights](rareBytes), lru.New[termKey, bitset](setsBytes), lru.New[termKey, struct{}](askedBytes)
}

// termKey is the key of a term in what an open index keeps: its condKey
// hashed to 128 bits. A search looks up a score of terms among tens of
// thousands kept, from every core at once; with the field and the term as
// the key, comparing a found key read the kept term's bytes from wherever
// they lay in memory, a cache miss a lookup, and the lookups were a twentieth
// of a search on the notice. Two independent 64-bit hashes name a term with
// a chance of two terms sharing one below 2⁻⁸⁰ for the million terms a
// large index may keep.
type termKey struct{ a, b uint64 }

// keptSeeds are the hashes' seeds, the process's own.
var keptSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// kept is k's key in what an open index keeps. The field's hash is turned
// before it is mixed in, so that a field and a term never stand for each
// other.
func (k condKey) kept() termKey {
	return termKey{
		maphash.String(keptSeeds[0], k.s) ^ bits.RotateLeft64(maphash.String(keptSeeds[0], k.field), 32),
		maphash.String(keptSeeds[1], k.s) ^ bits.RotateLeft64(maphash.String(keptSeeds[1], k.field), 32),
	}
}
