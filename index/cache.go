package index

import (
	"strconv"
)

// The results cache. An open index never changes: a new corpus is indexed into a
// new index that is swapped in whole (Build, Ensure), so a cache that belongs to
// one open index is invalidated by every index change. The portal's traffic is
// a few popular queries (departments, campaigns) asked over and over; the
// cache answers them without running bleve's searches again.

// DefaultSearchCacheBytes is a sensible bound for Options.SearchCacheBytes.
const DefaultSearchCacheBytes = 16 << 20

// SetSearchCache bounds the index's results cache to about maxBytes of clause
// text and highlights; 0 turns it off and empties it.
func (ix *Index) SetSearchCache(maxBytes int) { ix.cache.Resize(maxBytes) }

// SearchCacheBytes is the bound of the index's results cache.
func (ix *Index) SearchCacheBytes() int { return ix.cache.Max() }

// CacheKey names everything that decides a request's result: two requests
// with the same key have the same result from one open index.
func (req Request) CacheKey() string { return req.cacheKey() }

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
		for _, a := range t.Alternatives {
			quote('|', a)
		}
	}
	for _, t := range req.Query.Exclude {
		quote('-', t.Text)
		b = strconv.AppendBool(b, t.Phrase)
		for _, a := range t.Alternatives {
			quote('|', a)
		}
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
	b = append(b, 'c')
	b = strconv.AppendBool(b, req.NoFacets)
	return string(b)
}

// copy gives a caller its own result: the cached one is shared. An empty page
// stays an empty list, never nil: the contract's "hits" is always a list.
func (r *Result) copy() *Result {
	c := *r
	c.Hits = append(make([]Hit, 0, len(r.Hits)), r.Hits...)
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
