package index

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"policysearch/internal/query"
	"policysearch/internal/segment"
)

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
}

// ErrNotFound is an unknown clause or document.
var ErrNotFound = errors.New("not found")

// tier is one rank band: clauses meeting cond and no earlier tier's.
type tier struct {
	match string
	why   string
	cond  bq.Query // nil: whatever the query matches and no earlier tier took
}

// plan is a query turned into bleve queries, built in this one place.
type plan struct {
	match   bq.Query   // the clauses the query finds
	exclude []bq.Query // none may match
	filter  bq.Query   // departments, section, document: no effect on score
	score   bq.Query   // term statistics that order hits within a tier
	tiers   []tier
}

func (ix *Index) plan(req Request) plan {
	var p plan
	var filters []bq.Query
	for _, d := range req.Departments {
		field, value := ix.cat.depts.term(d, false)
		filters = append(filters, termQ(value, field))
	}
	for _, d := range req.Leads {
		field, value := ix.cat.depts.term(d, true)
		filters = append(filters, termQ(value, field))
	}
	if req.Section != "" {
		filters = append(filters, termQ(req.Section, "sections"))
	}
	if len(req.Docs) > 0 {
		filters = append(filters, anyTerm(req.Docs, "doc_id"))
	}
	if len(req.Issuers) > 0 {
		var names []string
		for _, typed := range req.Issuers {
			if named := ix.cat.issuersNamed(typed); len(named) > 0 {
				names = append(names, named...)
			} else {
				names = append(names, typed)
			}
		}
		filters = append(filters, anyTerm(names, "issuers"))
	}
	if len(req.Years) > 0 {
		years := make([]string, len(req.Years))
		for i, y := range req.Years {
			years[i] = strconv.Itoa(y)
		}
		filters = append(filters, anyTerm(years, "year"))
	}
	if len(filters) > 0 {
		p.filter = bleve.NewConjunctionQuery(filters...)
	}
	for _, t := range req.Query.Exclude {
		p.exclude = append(p.exclude, ix.substring("text", t.Text))
	}
	terms := req.Query.Terms
	if len(terms) == 0 {
		p.match = bleve.NewMatchAllQuery()
		return p
	}
	var must, inText, inTitle, inTextOrParts, scoring []bq.Query
	for _, t := range terms {
		text := ix.substring("text", t.Text)
		inText = append(inText, text)
		inTitle = append(inTitle, ix.substring("title", t.Text))
		scoring = append(scoring, text)
		if t.Phrase {
			must = append(must, text)
			inTextOrParts = append(inTextOrParts, text)
			continue
		}
		parts := ix.parts("text", t.Text)
		anyText := or(text, parts)
		inTextOrParts = append(inTextOrParts, anyText)
		must = append(must, or(anyText, ix.substring("path", t.Text)))
		for _, w := range ix.seg.Words(t.Text) {
			scoring = append(scoring, boosted(termQ(w, "text"), 1), boosted(termQ(w, "title"), 2))
		}
	}
	p.match = and(must...)
	p.score = bleve.NewDisjunctionQuery(scoring...)
	if req.Engine != "" {
		p.match = ix.baseline(req.Engine, terms)
		p.score = nil
		return p
	}
	// The query exactly as typed comes first: a string copied from a clause,
	// quotes and punctuation included, finds that clause on top.
	raw := strings.TrimSpace(req.Query.Raw)
	if len(req.Query.Exclude) == 0 && segment.Compact(raw) != segment.Compact(req.Query.Whole()) && grams(raw, 1) != nil {
		p.tiers = append(p.tiers,
			tier{MatchExact, "the query as typed in the title", ix.substring("title", raw)},
			tier{MatchExact, "the query as typed in the text", ix.substring("text", raw)},
		)
	}
	if len(terms) > 1 {
		whole := req.Query.Whole()
		p.tiers = append(p.tiers,
			tier{MatchExact, "the whole query in the title", ix.substring("title", whole)},
			tier{MatchExact, "the whole query in the text", ix.substring("text", whole)},
			tier{MatchWords, "every word in the title", and(inTitle...)},
			tier{MatchWords, "every word in the text", and(inText...)},
		)
	} else {
		p.tiers = append(p.tiers,
			tier{MatchExact, "the query in the title", inTitle[0]},
			tier{MatchExact, "the query in the text", inText[0]},
		)
	}
	p.tiers = append(p.tiers,
		tier{MatchWords, "every word's jieba words in the text", and(inTextOrParts...)},
		tier{MatchPath, "some word only in the headings", nil},
	)
	return p
}

// baseline is the match of a single-field engine: every query term's tokens in
// the text, unordered, as a search engine with that one analyzer does it.
func (ix *Index) baseline(engine string, terms []query.Term) bq.Query {
	var qs []bq.Query
	for _, t := range terms {
		var toks []string
		field := "text"
		if engine == EngineJieba {
			for _, tok := range ix.seg.Tokens(t.Text) {
				toks = append(toks, tok.Term)
			}
		} else {
			field = "text_gram"
			if toks = grams(t.Text, 2); len(toks) == 0 {
				toks, field = grams(t.Text, 1), "text_char"
			}
		}
		for _, tok := range toks {
			qs = append(qs, termQ(tok, field))
		}
	}
	if len(qs) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return and(qs...)
}

// substring finds the clauses whose field contains s, ignoring spaces, width and
// ASCII case: a phrase of character pairs, or one character.
func (ix *Index) substring(field, s string) bq.Query {
	if one := grams(s, 1); len(one) == 1 {
		return termQ(one[0], field+"_char")
	}
	gs := grams(s, 2)
	switch len(gs) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return termQ(gs[0], field+"_gram")
	}
	return bleve.NewPhraseQuery(gs, field+"_gram")
}

// parts finds the clauses whose field holds every jieba word of s (科普基地 →
// 科普 + 基地): what a word-based engine would find.
func (ix *Index) parts(field, s string) bq.Query {
	words := ix.seg.Words(s)
	if len(words) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	qs := make([]bq.Query, len(words))
	for i, w := range words {
		// A character standing alone (日 of 全国科普日) is seldom a jieba word in
		// the text, where it sits inside longer words: look it up as a character.
		if utf8.RuneCountInString(w) == 1 {
			qs[i] = termQ(w, field+"_char")
			continue
		}
		qs[i] = termQ(w, field)
	}
	return and(qs...)
}

func termQ(term, field string) bq.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}

// anyTerm matches a keyword field holding any of the values.
func anyTerm(values []string, field string) bq.Query {
	qs := make([]bq.Query, len(values))
	for i, v := range values {
		qs[i] = termQ(v, field)
	}
	return or(qs...)
}

func boosted(q bq.Query, b float64) bq.Query {
	if bb, ok := q.(bq.BoostableQuery); ok {
		bb.SetBoost(b)
	}
	return q
}

func and(qs ...bq.Query) bq.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

func or(qs ...bq.Query) bq.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// boolean assembles must, must-not, filter and optional scoring clauses.
func boolean(must []bq.Query, mustNot []bq.Query, filter bq.Query, should bq.Query) bq.Query {
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	if filter != nil {
		b.AddFilter(filter)
	}
	if should != nil {
		b.AddShould(should)
	}
	return b
}

// Search runs a request: the total and facets over every match, then the page
// of hits in tier order, each tier ordered by term statistics.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	cache := ix.cache
	key := req.cacheKey()
	if res, ok := cache.get(key); ok {
		res.Took = time.Since(start)
		return res, nil
	}
	res, err := ix.searchUncached(ctx, req, start)
	if err != nil {
		return nil, err
	}
	cache.put(key, res)
	return res.copy(), nil
}

func (ix *Index) searchUncached(ctx context.Context, req Request, start time.Time) (*Result, error) {
	p := ix.plan(req)
	all := boolean([]bq.Query{p.match}, p.exclude, p.filter, nil)
	countReq := bleve.NewSearchRequestOptions(all, 0, 0, false)
	// Departments are counted per name and region, then shown by name with the
	// region only where two regions share the name.
	countReq.AddFacet("departments", bleve.NewFacetRequest("department_places", 3*facetSize))
	countReq.AddFacet("lead_departments", bleve.NewFacetRequest("lead_places", 3*facetSize))
	countReq.AddFacet("sections", bleve.NewFacetRequest("section_top", 50))
	countReq.AddFacet("documents", bleve.NewFacetRequest("doc_id", facetSize))
	countReq.AddFacet("issuers", bleve.NewFacetRequest("issuers", facetSize))
	countReq.AddFacet("years", bleve.NewFacetRequest("year", facetSize))
	// The total with the facets and the first page are independent searches of
	// about the same cost: on a machine with cores to spare they run at once. A
	// later page waits for the total, which may show there is nothing to fetch.
	type page struct {
		hits []Hit
		err  error
	}
	var first chan page
	if req.Size > 0 && req.From == 0 {
		first = make(chan page, 1)
		go func() {
			hits, err := ix.page(ctx, req, p, all)
			first <- page{hits, err}
		}()
	}
	countRes, err := ix.bleve.SearchInContext(ctx, countReq)
	var pg page
	if first != nil {
		pg = <-first
	}
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	res := &Result{Total: int(countRes.Total), Facets: map[string][]Facet{
		"departments":      limit(labelPlaces(facet(countRes.Facets["departments"])), facetSize),
		"lead_departments": limit(labelPlaces(facet(countRes.Facets["lead_departments"])), facetSize),
		"documents":        facet(countRes.Facets["documents"]),
		"issuers":          facet(countRes.Facets["issuers"]),
		"years":            facet(countRes.Facets["years"]),
		"sections":         {},
	}, Hits: []Hit{}}
	// Section numbers and headings are a document's own: counted over several
	// documents they would add up unrelated sections.
	if len(res.Facets["documents"]) == 1 {
		res.Facets["sections"] = facet(countRes.Facets["sections"])
	}
	if req.Size <= 0 || req.From >= res.Total {
		res.Took = time.Since(start)
		return res, nil
	}
	if first == nil {
		pg.hits, pg.err = ix.page(ctx, req, p, all)
	}
	if pg.err != nil {
		return nil, pg.err
	}
	res.Hits = pg.hits
	for i := range res.Hits {
		h := &res.Hits[i]
		if !req.NoHighlights {
			h.Highlights = Highlight(h.Text, ix.highlightTerms(req.Query, h.Text), DefaultFragments)
		}
		if req.Explain {
			h.Explain = ix.explain(req.Query, p, h)
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// page finds the hits of the requested page: in tier order, in document order,
// or as a baseline engine ranks them.
func (ix *Index) page(ctx context.Context, req Request, p plan, all bq.Query) ([]Hit, error) {
	if req.Engine != "" {
		hits, _, err := ix.search(ctx, all, req.From, req.Size, false)
		return hits, err
	}
	if len(p.tiers) == 0 || req.Sort == SortOrder {
		hits, err := ix.fetch(ctx, all, req.From, req.Size, true)
		if err != nil {
			return nil, err
		}
		if len(p.tiers) > 0 {
			if err := ix.label(ctx, p, hits); err != nil {
				return nil, err
			}
		} else {
			for i := range hits {
				hits[i].Match = MatchFilter
			}
		}
		return hits, nil
	}
	return ix.tiered(ctx, p, req.From, req.Size)
}

// tiered pages through the tiers in order, asking each only for what the page needs.
func (ix *Index) tiered(ctx context.Context, p plan, from, size int) ([]Hit, error) {
	var hits []Hit
	var earlier []bq.Query
	seen := 0
	end := from + size
	for ti, t := range p.tiers {
		if seen >= end {
			break
		}
		must := []bq.Query{p.match}
		if t.cond != nil {
			must = append(must, t.cond)
		}
		notes := append(append([]bq.Query(nil), p.exclude...), earlier...)
		q := boolean(must, notes, p.filter, p.score)
		skip := from - seen
		if skip < 0 {
			skip = 0
		}
		want := end - seen - skip
		page, n, err := ix.search(ctx, q, skip, want, false)
		if err != nil {
			return nil, err
		}
		for i := range page {
			page[i].Match, page[i].tier = t.match, ti
		}
		hits = append(hits, page...)
		seen += n
		if t.cond != nil {
			earlier = append(earlier, t.cond)
		}
	}
	return hits, nil
}

// label tells each hit of a page in document order which tier it is in.
func (ix *Index) label(ctx context.Context, p plan, hits []Hit) error {
	ids := make([]string, len(hits))
	pending := map[string]int{}
	for i, h := range hits {
		ids[i] = h.ID
		pending[h.ID] = i
	}
	for ti, t := range p.tiers {
		if len(pending) == 0 {
			break
		}
		if t.cond == nil {
			for _, i := range pending {
				hits[i].Match, hits[i].tier = t.match, ti
			}
			break
		}
		q := boolean([]bq.Query{bleve.NewDocIDQuery(ids), t.cond}, nil, nil, nil)
		req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
		r, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("index: search: %w", err)
		}
		for _, d := range r.Hits {
			if i, ok := pending[d.ID]; ok {
				hits[i].Match, hits[i].tier = t.match, ti
				delete(pending, d.ID)
			}
		}
	}
	return nil
}

func (ix *Index) fetch(ctx context.Context, q bq.Query, from, size int, inOrder bool) ([]Hit, error) {
	hits, _, err := ix.search(ctx, q, from, size, inOrder)
	return hits, err
}

// search runs q and loads the stored clauses of the page. Size 0 only counts.
func (ix *Index) search(ctx context.Context, q bq.Query, from, size int, inOrder bool) ([]Hit, int, error) {
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	if size > 0 {
		req.Fields = []string{"clause"}
	}
	if inOrder {
		req.SortBy([]string{"order"})
	} else {
		req.SortBy([]string{"-_score", "order"})
	}
	r, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("index: search: %w", err)
	}
	hits := make([]Hit, 0, len(r.Hits))
	for _, d := range r.Hits {
		c, err := storedClause(d)
		if err != nil {
			return nil, 0, err
		}
		hits = append(hits, Hit{Clause: c, Score: d.Score})
	}
	return hits, int(r.Total), nil
}

func storedClause(d *search.DocumentMatch) (Clause, error) {
	var c Clause
	s, ok := d.Fields["clause"].(string)
	if !ok {
		return c, fmt.Errorf("index: clause %s has no stored text", d.ID)
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, fmt.Errorf("index: clause %s: %w", d.ID, err)
	}
	return c, nil
}

// facetSize bounds the values of a facet.
const facetSize = 100

func limit(fs []Facet, n int) []Facet {
	if len(fs) > n {
		return fs[:n]
	}
	return fs
}

func facet(f *search.FacetResult) []Facet {
	out := []Facet{}
	if f == nil {
		return out
	}
	for _, t := range f.Terms.Terms() {
		out = append(out, Facet{Value: t.Term, Count: t.Count})
	}
	return out
}

// Clause returns one clause by id.
func (ix *Index) Clause(ctx context.Context, id string) (Clause, error) {
	hits, _, err := ix.search(ctx, bleve.NewDocIDQuery([]string{id}), 0, 1, true)
	if err != nil {
		return Clause{}, err
	}
	if len(hits) == 0 {
		return Clause{}, fmt.Errorf("clause %q: %w", id, ErrNotFound)
	}
	return hits[0].Clause, nil
}

// Count is the number of clauses in the index.
func (ix *Index) Count() (uint64, error) { return ix.bleve.DocCount() }

// highlightTerms are what to mark in a hit's text: each word where it occurs
// whole, else the jieba words that matched it.
func (ix *Index) highlightTerms(q query.Query, text string) []string {
	compact := segment.Compact(text)
	var out []string
	if len(q.Terms) > 1 && strings.Contains(compact, segment.Compact(q.Whole())) {
		out = append(out, q.Whole())
	}
	for _, t := range q.Terms {
		if strings.Contains(compact, segment.Compact(t.Text)) || t.Phrase {
			out = append(out, t.Text)
			continue
		}
		out = append(out, ix.seg.Words(t.Text)...)
	}
	return out
}

// The results cache. An open index never changes: a new corpus is indexed into a
// new index that is swapped in whole (Build, Ensure), so a cache that belongs to
// one open index is invalidated by every index change. The portal's traffic is
// a few popular queries (departments, campaigns) asked over and over; the
// cache answers them without running bleve's searches again.

// DefaultSearchCacheBytes is a sensible bound for Options.SearchCacheBytes.
const DefaultSearchCacheBytes = 16 << 20

// SetSearchCache bounds the index's results cache to about maxBytes of clause
// text and highlights; 0 turns it off and empties it.
func (ix *Index) SetSearchCache(maxBytes int) { ix.cache.resize(maxBytes) }

// cacheKey names everything that decides a search's result. It is built on
// every request, cached or not, so it avoids fmt.
func (req Request) cacheKey() string {
	b := make([]byte, 0, 64+2*len(req.Query.Raw))
	quote := func(sep byte, s string) {
		b = append(b, sep)
		b = strconv.AppendQuote(b, s)
	}
	quote('q', req.Query.Raw)
	for _, t := range req.Query.Terms {
		quote('+', t.Text)
		b = strconv.AppendBool(b, t.Phrase)
	}
	for _, t := range req.Query.Exclude {
		quote('-', t.Text)
		b = strconv.AppendBool(b, t.Phrase)
	}
	for _, d := range req.Departments {
		quote('d', d)
	}
	for _, d := range req.Leads {
		quote('l', d)
	}
	quote('s', req.Section)
	for _, d := range req.Docs {
		quote('i', d)
	}
	for _, is := range req.Issuers {
		quote('u', is)
	}
	for _, y := range req.Years {
		b = append(b, 'y')
		b = strconv.AppendInt(b, int64(y), 10)
	}
	quote('o', req.Sort)
	quote('g', req.Engine)
	b = append(b, 'f')
	b = strconv.AppendInt(b, int64(req.From), 10)
	b = append(b, 'n')
	b = strconv.AppendInt(b, int64(req.Size), 10)
	b = append(b, 'e')
	b = strconv.AppendBool(b, req.Explain)
	b = append(b, 'h')
	b = strconv.AppendBool(b, req.NoHighlights)
	return string(b)
}

// copy gives a caller its own result: the cached one is shared.
func (r *Result) copy() *Result {
	c := *r
	c.Hits = append([]Hit(nil), r.Hits...)
	c.Facets = make(map[string][]Facet, len(r.Facets))
	for k, v := range r.Facets {
		c.Facets[k] = v
	}
	return &c
}

// cost estimates the memory a cached result holds.
func (r *Result) cost() int {
	n := 512
	for _, h := range r.Hits {
		n += 256 + len(h.Text) + len(h.Title) + len(h.Citation)
		for _, s := range h.Highlights {
			n += len(s)
		}
	}
	for _, fs := range r.Facets {
		for _, f := range fs {
			n += 32 + len(f.Value)
		}
	}
	return n
}

// resultCache keeps the most recently used results within a byte budget.
type resultCache struct {
	mu      sync.Mutex
	max     int
	used    int
	entries map[string]*list.Element
	recent  *list.List // of *cachedResult, most recent first
}

type cachedResult struct {
	key  string
	res  *Result
	cost int
}

func newResultCache(maxBytes int) *resultCache {
	return &resultCache{max: maxBytes, entries: map[string]*list.Element{}, recent: list.New()}
}

func (c *resultCache) get(key string) (*Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.recent.MoveToFront(e)
	return e.Value.(*cachedResult).res.copy(), true
}

func (c *resultCache) put(key string, res *Result) {
	cost := res.cost()
	c.mu.Lock()
	defer c.mu.Unlock()
	if cost > c.max/8 {
		return // one huge page would push out many common ones
	}
	if e, ok := c.entries[key]; ok {
		c.recent.MoveToFront(e)
		return
	}
	c.entries[key] = c.recent.PushFront(&cachedResult{key, res, cost})
	c.used += cost
	c.evict()
}

func (c *resultCache) resize(maxBytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = maxBytes
	c.evict()
}

func (c *resultCache) evict() {
	for c.used > c.max && c.recent.Len() > 0 {
		e := c.recent.Back()
		cr := e.Value.(*cachedResult)
		c.recent.Remove(e)
		delete(c.entries, cr.key)
		c.used -= cr.cost
	}
}
