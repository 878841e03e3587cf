package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/semaphore"

	"policysearch/internal/query"
	"policysearch/internal/segment"
)

// Searching: a request is planned (plan.go), its conditions evaluated over
// bleve's posting lists in one pass (match.go), the total and facets counted
// from the clauses in memory (facets.go), and the page taken in tier order
// (tiers.go), with highlights from the clauses in memory. Results are cached
// per open index (cache.go).

// Sort orders.
const (
	SortRelevance = "relevance"
	SortOrder     = "order"
)

// Match tiers as hits report them.
const (
	MatchExact  = "exact"  // the whole query occurs in the title or text
	MatchWords  = "words"  // every word occurs in the title or text
	MatchPath   = "path"   // some word only through the headings
	MatchFilter = "filter" // no query: the filters chose the clause
)

// Request is a search. Values of one filter are alternatives (any document of
// Docs), except departments and leads: every one of those must be listed.
// Different filters all apply.
type Request struct {
	Query query.Query
	// Departments must every one be responsible for the clause (leads
	// included): names as ResolveDepartment gives them, 市科协 for every
	// region's, 市科协（南昌） for one region's.
	Departments []string
	// Leads must every one lead the clause (牵头), named as Departments are.
	Leads   []string
	Section string   // a section number (一, 一/三) or heading
	Docs    []string // document ids: any of them
	// Issuers are issuing bodies as written or in simplified characters: any of them.
	Issuers    []string
	Years      []int // the documents' years: any of them
	From, Size int
	Sort       string
	Explain    bool
	// NoHighlights leaves Highlights empty, for callers that show no text (and
	// benchmarks that measure search without highlighting).
	NoHighlights bool
	// NoFacets leaves Facets empty, for callers that show none (a related
	// query's hits and total).
	NoFacets bool
	// Engine chooses the matching: "" is policysearch's tiers; EngineJieba and
	// EngineBigram are single-field baselines for comparison.
	Engine string
}

// Baseline engines: what a search over one analyzer's field alone finds.
const (
	EngineJieba  = "jieba"  // every jieba word of the query in the text, ranked by tf-idf
	EngineBigram = "bigram" // every character pair of the query in the text, ranked by tf-idf
)

// Hit is one clause found, with why.
type Hit struct {
	Clause
	Match      string       `json:"match"`
	Highlights []string     `json:"highlights"`
	Score      float64      `json:"score"`
	Explain    *Explanation `json:"explain,omitempty"`
	tier       int          // index into the plan's tiers
}

// Facet is one value of a facet with the number of matching clauses that hold it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits with the total and facets of the whole result.
type Result struct {
	Total  int                `json:"total"`
	Took   time.Duration      `json:"-"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// Interpreted says what was searched when it is not the query as typed:
	// simplified characters, pinyin read as words (understand.go).
	Interpreted *Interpretation `json:"interpreted,omitempty"`
	// Related are the searches of equivalent names (科普 → 科学普及) that have hits.
	Related []Related `json:"related,omitempty"`
	// Suggestions are the nearest queries that have hits, when this one has none.
	Suggestions []string `json:"suggestions,omitempty"`
}

// ErrNotFound is an unknown clause or document.
var ErrNotFound = errors.New("not found")

// Search runs a request: the total and facets over every match, and the page
// of hits in tier order, each tier ordered by term statistics.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	cache := ix.cache
	var key string
	if cache.Max() > 0 {
		key = req.cacheKey()
		if res, ok := cache.Get(key); ok {
			// A result kept is shared: each caller gets its own copy.
			res = res.copy()
			res.Took = time.Since(start)
			return res, nil
		}
	}
	// A search on the cluster mostly waits for it: only bleve's use a core
	// throughout.
	if ix.remote == nil {
		if err := searching.Acquire(ctx, 1); err != nil {
			return nil, err
		}
	}
	res, err := ix.searchUncached(ctx, req, start)
	if err == nil {
		res, err = ix.understand(ctx, req, res, start)
		if err != nil {
			err = fmt.Errorf("index: search: %w", err)
		}
	}
	if ix.remote == nil {
		searching.Release(1)
		// The runtime runs the search just let in next, on this core, and
		// a core that goes from one waiting search to the next seldom looks
		// at the network, where other requests wait to be read: under load
		// on the notice, the slowest hundredth of the answers took 30 ms
		// against 3 ms for the median. This goroutine, its answer still to
		// write, goes to the back of the run queue instead (13 ms).
		runtime.Gosched()
	}
	if err != nil {
		return nil, err
	}
	if key != "" && cache.Put(key, res, res.cost()) {
		return res.copy(), nil
	}
	return res, nil
}

func (ix *Index) searchUncached(ctx context.Context, req Request, start time.Time) (*Result, error) {
	m := newMatcher(ix)
	defer m.release()
	p := ix.plan(req, m)
	if err := m.prefetch(ctx, p); err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	matches := m.resolve(p.all, ix.num.live)
	if m.err != nil {
		return nil, fmt.Errorf("index: search: %w", m.err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := matches.count()
	res := &Result{Total: total, Hits: []Hit{}}
	if !req.NoFacets {
		res.Facets = ix.facets(matches, total)
	}
	if req.Size <= 0 || req.From >= res.Total {
		res.Took = time.Since(start)
		return res, nil
	}
	page, err := ix.page(m, p, req, matches)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	res.Hits = make([]Hit, len(page))
	for i, r := range page {
		h := &res.Hits[i]
		o := ix.num.ordinal[r.doc]
		h.Clause = *ix.store.clauses[o]
		h.Score, h.tier = r.score, r.tier
		switch {
		case req.Engine != "":
		case len(p.tiers) == 0:
			h.Match = MatchFilter
		default:
			h.Match = p.tiers[r.tier].match
		}
		if !req.NoHighlights {
			h.Highlights = ix.shown.get(o, h.Text).highlight(ix.highlightTerms(p, req.Query, o), DefaultFragments)
		}
		if req.Explain {
			h.Explain = ix.explain(p, req.Query, h)
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// page takes the requested page of the matches: in tier order, in document
// order, or by score alone (the baseline engines).
func (ix *Index) page(m *matcher, p *plan, req Request, matches bitset) ([]ranked, error) {
	switch {
	case req.Engine != "":
		best, _, err := ix.best(m, p, nil, matches, nil, req.From+req.Size)
		return best[min(req.From, len(best)):], err
	case len(p.tiers) > 0 && req.Sort != SortOrder:
		if total := matches.count(); wholePages && total <= req.From+req.Size {
			return ix.wholePage(m, p, matches, req.From)
		}
		return ix.tieredPage(m, p, matches, req.From, req.Size)
	}
	page := ix.orderedPage(matches, req.From, req.Size)
	if len(p.tiers) > 0 {
		ix.label(m, p, page)
		// The page's scores: its clauses scored in ascending document
		// numbers, as the posting lists are read.
		docs := make([]int, len(page))
		for i, r := range page {
			docs[i] = r.doc
		}
		sort.Ints(docs)
		t, err := m.scoreTable(p.scoring, docs)
		if err != nil {
			return nil, err
		}
		at := make(map[int]float64, len(docs))
		for i, d := range docs {
			at[d] = t.exact(m, i)
		}
		for i := range page {
			page[i].score = at[page[i].doc]
		}
	}
	return page, m.err
}

// wholePages lets a page that reaches past the last match skip the tiers
// (tiers.go, wholePage); tests turn it off to compare.
var wholePages = true

// searching admits one uncached search per core at a time, first come first
// served. Searches are CPU work: run all at once, the scheduler shares the
// cores among them and a search that needs 10 ms alone takes 10 ms times the
// number running, while the cheap ones queued behind nothing finish
// first. In turn, each search takes about its own time after the ones ahead
// of it, which bounds the slowest answers under load at the same throughput.
var searching = semaphore.NewWeighted(int64(runtime.GOMAXPROCS(0)))

// Clause returns one clause by id.
func (ix *Index) Clause(ctx context.Context, id string) (Clause, error) {
	o, ok := ix.store.byID[id]
	if !ok {
		return Clause{}, fmt.Errorf("clause %q: %w", id, ErrNotFound)
	}
	return *ix.store.clauses[o], nil
}

// Count is the number of clauses in the index.
func (ix *Index) Count() (uint64, error) { return ix.num.docTotal, nil }

// highlightTerms are what to mark in clause o's text: each word where it
// occurs whole, else the jieba words that matched it.
func (ix *Index) highlightTerms(p *plan, q query.Query, o int32) []string {
	// The folded text in memory, unless it has lines: a word marked may run
	// across them.
	compact := ix.store.text[o]
	if strings.Contains(compact, "\n") {
		compact = segment.Compact(ix.store.clauses[o].Text)
	}
	var out []string
	if len(q.Terms) > 1 {
		for _, w := range q.Wholes(maxWholes) {
			if strings.Contains(compact, p.compact(w)) {
				out = append(out, w)
			}
		}
	}
	for _, t := range q.Terms {
		whole := false
		for _, f := range t.Forms() {
			if strings.Contains(compact, p.compact(f)) || t.Phrase {
				out = append(out, f)
				whole = true
			}
		}
		if !whole {
			for _, f := range t.Forms() {
				out = append(out, p.wordsOf(ix, f)...)
			}
		}
	}
	return out
}
