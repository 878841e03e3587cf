package index

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"policysearch/internal/query"
	"policysearch/internal/segment"
)

// Planning: a request becomes conditions on clauses (which clauses match,
// which tier each falls in) and the scoring clauses that order each tier. This
// is the one place where the ranking is decided; match.go evaluates the
// conditions from bleve's posting lists in one pass, tiers.go pages through
// the tiers.

// tier is one rank band: the clauses meeting cond and no earlier tier's.
type tier struct {
	match string
	why   string
	cond  cond // nil: whatever the query matches and no earlier tier took
}

// plan is a request turned into conditions.
type plan struct {
	all     cond // the clauses the request finds: the query, its exclusions, the filters
	tiers   []tier
	scoring []scoreClause
	// words are the jieba words of each query term, cut once; folded, each
	// query term folded once.
	words  map[string][]string
	folded map[string]string
}

// scoreClause is one clause of the scoring: a term, or the character pairs of
// a substring where the substring holds. A clause's score is bleve's tf-idf:
// boost × idf² × √tf × norm, summed over its terms.
type scoreClause struct {
	boost  float64
	terms  []*termCond
	phrase *subCond // when set, the clause counts only where the substring holds
}

func (ix *Index) plan(req Request, m *matcher) *plan {
	// A term and its jieba words make three scoring clauses or more.
	p := &plan{words: m.words, folded: m.folded, scoring: make([]scoreClause, 0, 4*len(req.Query.Terms)+4)}
	var filters []cond
	for _, d := range req.Departments {
		field, value := ix.cat.depts.term(d, false)
		filters = append(filters, m.term(field, value))
	}
	for _, d := range req.Leads {
		field, value := ix.cat.depts.term(d, true)
		filters = append(filters, m.term(field, value))
	}
	if req.Section != "" {
		filters = append(filters, m.term("sections", req.Section))
	}
	if len(req.Docs) > 0 {
		filters = append(filters, m.anyTerm("doc_id", req.Docs))
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
		filters = append(filters, m.anyTerm("issuers", names))
	}
	if len(req.Years) > 0 {
		years := make([]string, len(req.Years))
		for i, y := range req.Years {
			years[i] = strconv.Itoa(y)
		}
		filters = append(filters, m.anyTerm("year", years))
	}
	var excluded []cond
	for _, t := range req.Query.Exclude {
		for _, f := range t.Forms() {
			excluded = append(excluded, m.substring("text", f))
		}
	}
	all := func(match cond) cond {
		c := andCond{match}
		if len(excluded) > 0 {
			c = append(c, &notCond{or(excluded...)})
		}
		c = append(c, filters...)
		return and(c...)
	}
	terms := req.Query.Terms
	if len(terms) == 0 {
		p.all = all(allCond{})
		return p
	}
	if req.Engine != "" {
		p.all, p.scoring = ix.baseline(req.Engine, terms, m)
		p.all = all(p.all)
		return p
	}
	var must, inText, inTitle, inTextOrParts []cond
	read := false // some term was read as other words than typed (pinyin)
	for _, t := range terms {
		// A term of alternatives matches where any of them does.
		var text, title, anyText, path []cond
		for _, f := range t.Forms() {
			tx := m.substring("text", f)
			text = append(text, tx)
			title = append(title, m.substring("title", f))
			p.scoring = append(p.scoring, m.substringScore(f))
			if t.Phrase {
				continue
			}
			anyText = append(anyText, or(tx, ix.jiebaParts(p, m, "text", f)))
			path = append(path, m.substring("path", f))
			for _, w := range p.wordsOf(ix, f) {
				p.scoring = append(p.scoring,
					scoreClause{boost: 1, terms: m.only(m.term("text", w))},
					scoreClause{boost: 2, terms: m.only(m.term("title", w))})
			}
		}
		read = read || len(t.Alternatives) > 0
		inText = append(inText, or(text...))
		inTitle = append(inTitle, or(title...))
		if t.Phrase {
			must = append(must, or(text...))
			inTextOrParts = append(inTextOrParts, or(text...))
			continue
		}
		inTextOrParts = append(inTextOrParts, or(anyText...))
		must = append(must, or(or(anyText...), or(path...)))
	}
	p.all = all(and(must...))
	// The query exactly as typed comes first: a string copied from a clause,
	// quotes and punctuation included, finds that clause on top. Pinyin read
	// as words was found nowhere as typed.
	raw := strings.TrimSpace(req.Query.Raw)
	if !read && len(req.Query.Exclude) == 0 && segment.Compact(raw) != segment.Compact(req.Query.Whole()) && grams(raw, 1) != nil {
		p.tiers = append(p.tiers,
			tier{MatchExact, "the query as typed in the title", m.substring("title", raw)},
			tier{MatchExact, "the query as typed in the text", m.substring("text", raw)},
		)
	}
	if len(terms) > 1 {
		var inTitleWhole, inTextWhole []cond
		for _, w := range req.Query.Wholes(maxWholes) {
			inTitleWhole = append(inTitleWhole, m.substring("title", w))
			inTextWhole = append(inTextWhole, m.substring("text", w))
		}
		p.tiers = append(p.tiers,
			tier{MatchExact, "the whole query in the title", or(inTitleWhole...)},
			tier{MatchExact, "the whole query in the text", or(inTextWhole...)},
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

// compact folds a query term (segment.Compact), once per search.
func (p *plan) compact(s string) string {
	f, ok := p.folded[s]
	if !ok {
		f = segment.Compact(s)
		p.folded[s] = f
	}
	return f
}

// wordsOf cuts a query term into jieba words, once per search.
func (p *plan) wordsOf(ix *Index, s string) []string {
	w, ok := p.words[s]
	if !ok {
		w = ix.seg.Words(s)
		p.words[s] = w
	}
	return w
}

// baseline is the match of a single-field engine, every query term's tokens in
// the text, scored by bleve's tf-idf of those tokens, as a search engine with
// that one analyzer does it.
func (ix *Index) baseline(engine string, terms []query.Term, m *matcher) (cond, []scoreClause) {
	var conds []cond
	var scoring []scoreClause
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
			tc := m.term(field, tok)
			conds = append(conds, tc)
			scoring = append(scoring, scoreClause{boost: 1, terms: []*termCond{tc}})
		}
	}
	if len(conds) == 0 {
		return noneCond{}, nil
	}
	return and(conds...), scoring
}

// jiebaParts finds the clauses whose field holds every jieba word of s (科普基地 →
// 科普 + 基地): what a word-based engine would find.
func (ix *Index) jiebaParts(p *plan, m *matcher, field, s string) cond {
	words := p.wordsOf(ix, s)
	if len(words) == 0 {
		return noneCond{}
	}
	cs := make([]cond, len(words))
	for i, w := range words {
		// A character standing alone (日 of 全国科普日) is seldom a jieba word in
		// the text, where it sits inside longer words: look it up as a character.
		if utf8.RuneCountInString(w) == 1 {
			cs[i] = m.term(charField(field), w)
			continue
		}
		cs[i] = m.term(field, w)
	}
	return and(cs...)
}

// substringScore scores a query term as a substring of the text: its character
// pairs' term statistics, where the text holds it.
func (m *matcher) substringScore(s string) scoreClause {
	switch c := m.substring("text", s).(type) {
	case *termCond:
		return scoreClause{boost: 1, terms: m.only(c)}
	case *subCond:
		return scoreClause{boost: 1, terms: c.grams, phrase: c}
	}
	return scoreClause{boost: 1}
}

func and(cs ...cond) cond {
	if len(cs) == 1 {
		return cs[0]
	}
	return andCond(cs)
}

func or(cs ...cond) cond {
	if len(cs) == 1 {
		return cs[0]
	}
	return orCond(cs)
}

// grams cuts a query word the way gramTokenizer cuts text.
func grams(word string, n int) []string { return foldedGrams(segment.Compact(word), n) }

// foldedGrams cuts a folded word (segment.Compact) into runs of n characters,
// each a slice of the word: a search cuts a dozen and copies none.
func foldedGrams(folded string, n int) []string {
	var at [64]int
	starts := at[:0] // where each character starts, then the end
	for i := range folded {
		starts = append(starts, i)
	}
	starts = append(starts, len(folded))
	chars := len(starts) - 1
	if chars < n {
		return nil
	}
	out := make([]string, 0, chars-n+1)
	for i := 0; i+n <= chars; i++ {
		out = append(out, folded[starts[i]:starts[i+n]])
	}
	return out
}
