package index

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"policysearch/internal/department"
	"policysearch/internal/pinyin"
	"policysearch/internal/query"
	"policysearch/internal/script"
	"policysearch/internal/segment"
	"policysearch/internal/synonym"
)

// Reading queries as people type them. Traditional characters need nothing
// here: every analyzer, query and highlight folds them. A query of Latin
// letters that finds nothing as text is read as pinyin (quanguokepuri →
// 全国科普日); a query with no hits is answered with the nearest queries that
// have some (科普大棚车 → 科普大篷车); a query holding a name of the synonym table
// is offered the searches of its equivalents (科普 → 科学普及). The hits of the
// query as typed never change: what it finds as text stays exactly that.

// Interpretation says what a query was searched as, where that is not what
// was typed.
type Interpretation struct {
	// Query is what was searched, in the query language, alternatives of a
	// term joined by /: 全国科普日, 实验/试验 科普.
	Query string `json:"query"`
	// Simplified is the query in simplified characters, when it was typed in
	// traditional ones.
	Simplified string `json:"simplified,omitempty"`
	// Pinyin gives each run of letters read as pinyin with the corpus words
	// it was read as.
	Pinyin []pinyin.Segment `json:"pinyin,omitempty"`
}

// Related is a search of an equivalent query (科普 → 科学普及), offered beside
// the hits of the query as typed.
type Related struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	Hits  []Hit  `json:"hits"` // its first few hits, without highlights
}

const (
	maxAlternatives = 8 // corpus words one run of pinyin may be searched as
	maxWholes       = 16
	maxRelated      = 4
	relatedHits     = 3
	maxSuggestions  = 3
	maxSpellings    = 8 // candidates of one query term
	// maxTries bounds the searches one query's related searches, and its
	// suggestions, may run: a long query of many terms costs no more.
	maxTries = 12
)

// reader holds what reading queries needs beyond the index: the synonym
// table, and the pinyin of the corpus's words and names, built by the first
// query that needs them (pinyin, a query with no hits, letters typed for a
// suggestion), never at startup.
type reader struct {
	synonyms *synonym.Table
	once     sync.Once
	err      error
	words    *pinyin.Index // the jieba words of the clauses' text
	wordList []string
	names    *pinyin.Index  // the suggestion vocabulary, Chinese characters only
	named    map[string]int // those characters → the best vocabulary entry holding them
}

// readings builds the pinyin maps once.
func (ix *Index) readings() (*reader, error) {
	r := &ix.reader
	r.once.Do(func() {
		seen := map[string]bool{}
		for _, bi := range ix.bleveParts() {
			dict, err := bi.FieldDict("text")
			if err != nil {
				r.err = err
				return
			}
			for {
				e, err := dict.Next()
				if err != nil {
					dict.Close()
					r.err = err
					return
				}
				if e == nil {
					break
				}
				// Words of letters too: they are near spellings
				// (pinyin.Build reads only Chinese ones).
				if !seen[e.Term] && utf8.RuneCountInString(e.Term) >= 2 {
					seen[e.Term] = true
					r.wordList = append(r.wordList, e.Term)
				}
			}
			dict.Close()
		}
		r.wordList = append(r.wordList, ix.textWords(seen)...)
		sort.Strings(r.wordList)
		r.words = pinyin.Build(r.wordList)
		r.named = map[string]int{}
		var names []string
		for i, e := range ix.vocab {
			h := hanOnly(e.folded)
			if _, ok := r.named[h]; !ok && utf8.RuneCountInString(h) >= 2 {
				r.named[h] = i
				names = append(names, h)
			}
		}
		r.names = pinyin.Build(names)
	})
	return r, r.err
}

// understand completes a search's result: the pinyin reading of a Latin query
// that found nothing as text, what was searched, the nearest queries with
// hits when there are none, and the related searches.
func (ix *Index) understand(ctx context.Context, req Request, res *Result, start time.Time) (*Result, error) {
	if req.Engine != "" || len(req.Query.Terms) == 0 {
		return res, nil
	}
	searchedReq := req
	if res.Total == 0 {
		read, segs, err := ix.readPinyin(req.Query)
		if err != nil {
			return nil, err
		}
		if segs != nil {
			searchedReq.Query = read
			if res, err = ix.searchUncached(ctx, searchedReq, start); err != nil {
				return nil, err
			}
			res.Interpreted = &Interpretation{Query: searched(read), Pinyin: segs}
		}
	}
	if res.Interpreted == nil {
		if s := searched(req.Query); s != strings.Join(written(req.Query), " ") {
			res.Interpreted = &Interpretation{Query: s, Simplified: s}
		}
	}
	for i := range res.Hits {
		if res.Hits[i].Explain != nil {
			res.Hits[i].Explain.Interpreted = res.Interpreted
		}
	}
	var err error
	if res.Total == 0 {
		if res.Suggestions, err = ix.nearest(ctx, req); err != nil {
			return nil, err
		}
	}
	if res.Related, err = ix.related(ctx, searchedReq); err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

// readPinyin reads a query whose every term is Latin letters as runs of corpus
// words, and each exclusion that reads as one corpus word as that word (kepu
// -nongcun: 科普, not 农村). The segments are nil when the query is not pinyin
// or no run of corpus words reads so.
func (ix *Index) readPinyin(q query.Query) (query.Query, []pinyin.Segment, error) {
	var letters strings.Builder
	for _, t := range q.Terms {
		p, ok := pinyin.Normalize(t.Text)
		if t.Phrase || !ok {
			return q, nil, nil
		}
		letters.WriteString(p)
	}
	r, err := ix.readings()
	if err != nil {
		return q, nil, err
	}
	segs := r.words.Lookup(letters.String())
	if segs == nil {
		return q, nil, nil
	}
	read := query.Query{Raw: q.Raw}
	for i := range segs {
		read.Terms = append(read.Terms, alternatives(&segs[i]))
	}
	for _, t := range q.Exclude {
		if s := r.words.Lookup(t.Text); len(s) == 1 && !t.Phrase {
			segs = append(segs, s[0])
			t = alternatives(&segs[len(segs)-1])
		}
		read.Exclude = append(read.Exclude, t)
	}
	return read, segs, nil
}

// alternatives is the term a segment of pinyin is searched as, its words bounded.
func alternatives(seg *pinyin.Segment) query.Term {
	if len(seg.Words) > maxAlternatives {
		seg.Words = seg.Words[:maxAlternatives]
	}
	return query.Term{Text: seg.Words[0], Alternatives: seg.Words}
}

// searched writes a query as it was searched: simplified, alternatives
// joined by /.
func searched(q query.Query) string {
	parts := written(q)
	for i := range parts {
		parts[i] = script.Fold(parts[i])
	}
	return strings.Join(parts, " ")
}

// written is each term of a query as typed in the query language, with its
// alternatives joined by /.
func written(q query.Query) []string {
	var out []string
	for _, ts := range []struct {
		prefix string
		terms  []query.Term
	}{{"", q.Terms}, {"-", q.Exclude}} {
		for _, t := range ts.terms {
			w := strings.Join(t.Forms(), "/")
			if t.Phrase {
				w = `"` + w + `"`
			}
			out = append(out, ts.prefix+w)
		}
	}
	return out
}

// related searches each query that replaces a term with an equivalent name of
// the synonym table, with the request's filters; those with no hits are left
// out. Quoted phrases are searched as written and have none, and so do terms
// read as several words.
func (ix *Index) related(ctx context.Context, req Request) ([]Related, error) {
	syn := ix.reader.synonyms
	if syn == nil {
		return nil, nil
	}
	var out []Related
	tries := 0
	for i, t := range req.Query.Terms {
		if t.Phrase || len(t.Forms()) > 1 {
			continue
		}
		for _, alt := range syn.Related(script.Fold(t.Forms()[0])) {
			if len(out) == maxRelated || tries == maxTries {
				return out, nil
			}
			tries++
			rel := req
			rel.Query = req.Query.Replace(i, alt)
			rel.From, rel.Size, rel.NoHighlights, rel.NoFacets, rel.Explain = 0, relatedHits, true, true, false
			res, err := ix.searchUncached(ctx, rel, time.Now())
			if err != nil {
				return nil, err
			}
			if res.Total > 0 {
				for i := range res.Hits {
					res.Hits[i].Highlights = []string{} // a list, as every hit's
				}
				out = append(out, Related{Query: rel.Query.Raw, Total: res.Total, Hits: res.Hits})
			}
		}
	}
	return out, nil
}

// nearest gives the queries nearest to one with no hits that have hits, with
// the request's filters: one term replaced by a spelling near it by sound or
// by characters.
func (ix *Index) nearest(ctx context.Context, req Request) ([]string, error) {
	r, err := ix.readings()
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for i, t := range req.Query.Terms {
		for _, s := range ix.spellings(r, t.Text) {
			near := req
			near.Query = req.Query.Replace(i, s)
			if seen[near.Query.Raw] {
				continue
			}
			if len(seen) == maxTries {
				return out, nil
			}
			seen[near.Query.Raw] = true
			near.From, near.Size, near.NoHighlights, near.NoFacets, near.Explain = 0, 0, true, true, false
			res, err := ix.searchUncached(ctx, near, time.Now())
			if err != nil {
				return nil, err
			}
			if res.Total > 0 {
				out = append(out, near.Query.Raw)
				if len(out) == maxSuggestions {
					return out, nil
				}
			}
		}
	}
	return out, nil
}

// spellings are the corpus's words and names near a term, nearest first:
// those that read as it does (科普大棚车 → 科普大篷车), then those one or two
// characters away, names before common words.
func (ix *Index) spellings(r *reader, term string) []string {
	folded := segment.Compact(term)
	var out []string
	add := func(s string) {
		if s != folded && len(out) < maxSpellings && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if folded != "" && hanOnly(folded) == folded {
		if segs := r.names.Lookup(pinyin.Of(folded)); len(segs) == 1 {
			for _, name := range segs[0].Words {
				add(ix.vocab[r.named[name]].Text)
			}
		}
		for _, s := range r.words.SoundsLike(folded, maxSpellings) {
			add(s)
		}
	}
	n := utf8.RuneCountInString(folded)
	limit := 1
	if n >= 5 {
		limit = 2
	}
	type near struct {
		text string
		dist int
	}
	var found []near
	consider := func(text, foldedText string) {
		m := utf8.RuneCountInString(foldedText)
		if m < 2 || m < n-limit || m > n+limit {
			return
		}
		if d := department.Distance(folded, foldedText); d <= limit {
			found = append(found, near{text, d})
		}
	}
	for _, e := range ix.vocab {
		consider(e.Text, e.folded)
	}
	for _, w := range r.wordList {
		consider(w, w)
	}
	// Stable: names (the vocabulary, best first) before words at one distance.
	sort.SliceStable(found, func(i, j int) bool { return found[i].dist < found[j].dist })
	for _, f := range found {
		add(f.text)
	}
	return out
}

// pinyinSuggestions completes initials typed for a name (kpdpc → 科普大篷车)
// from the suggestion vocabulary, best first, leaving out those already had.
func (ix *Index) pinyinSuggestions(prefix string, n int, had []Suggestion) []Suggestion {
	if _, ok := pinyin.Normalize(prefix); !ok {
		return nil
	}
	r, err := ix.readings()
	if err != nil {
		return nil
	}
	var at []int
	for _, name := range r.names.Initials(prefix, 4*n) {
		at = append(at, r.named[name])
	}
	sort.Ints(at)
	var out []Suggestion
	for _, i := range at {
		s := ix.vocab[i].Suggestion
		if len(out) < n && !containsSuggestion(had, s) && !containsSuggestion(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func containsSuggestion(list []Suggestion, s Suggestion) bool {
	for _, x := range list {
		if x.Text == s.Text {
			return true
		}
	}
	return false
}

// hanOnly keeps the Chinese characters of a name (科普大篷车“渝州行” → 科普大篷车渝州行):
// the letters people type for it read those alone.
func hanOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) {
			return r
		}
		return -1
	}, s)
}
