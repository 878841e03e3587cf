package index

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/registry"

	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Suggestion is a completion of what a user is typing.
type Suggestion struct {
	Text string `json:"text"`
	Kind string `json:"kind"` // campaign, department, title, term
}

// TermCount is a jieba word with the number of clauses holding it.
type TermCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// entry is one word of the suggestion vocabulary, folded for matching.
type entry struct {
	Suggestion
	folded string
	weight int
}

// kindWeight ranks kinds of suggestion: names before common words.
var kindWeight = map[string]int{"campaign": 4, "department": 3, "title": 2, "term": 1}

func newVocabulary(m *Manifest) []entry {
	var out []entry
	seen := map[string]bool{}
	add := func(text, kind string, freq int) {
		if text == "" || seen[text] {
			return
		}
		seen[text] = true
		out = append(out, entry{Suggestion{text, kind}, segment.Compact(text), kindWeight[kind]*1_000_000 + freq})
	}
	for _, c := range m.Campaigns {
		add(c.Name, "campaign", len(c.Items))
	}
	for _, d := range m.Departments {
		add(d.Name, "department", len(d.Items))
		add(d.Official, "department", len(d.Items))
	}
	var walk func(ss []gongwen.Section)
	walk = func(ss []gongwen.Section) {
		for _, s := range ss {
			for _, it := range s.Items {
				add(it.Title, "title", 0)
			}
			walk(s.Subsections)
		}
	}
	for _, d := range m.Documents {
		walk(d.Outline)
	}
	for _, t := range m.Terms {
		add(t.Term, "term", t.Count)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].weight > out[j].weight })
	return out
}

// Suggest completes a prefix from the domain vocabulary (campaigns, departments,
// item titles, frequent words): words that start with it first, then words that
// contain it; names before common words, then by frequency.
func (ix *Index) Suggest(prefix string, n int) []Suggestion {
	p := segment.Compact(prefix)
	out := []Suggestion{}
	if !strings.ContainsFunc(p, segment.Searchable) || n <= 0 {
		return out
	}
	var infix []Suggestion
	for _, e := range ix.vocab {
		if e.folded == p {
			continue
		}
		switch {
		case strings.HasPrefix(e.folded, p):
			out = append(out, e.Suggestion)
			if len(out) == n {
				return out
			}
		case len(infix) < n && strings.Contains(e.folded, p):
			infix = append(infix, e.Suggestion)
		}
	}
	for _, s := range infix {
		if len(out) == n {
			break
		}
		out = append(out, s)
	}
	// Letters typed before an input method converts them: the initials of a
	// name (kpdpc → 科普大篷车).
	if len(out) < n {
		out = append(out, ix.pinyinSuggestions(prefix, n-len(out), out)...)
	}
	return out
}

// AnalyzedToken is one token an analyzer makes of a text.
type AnalyzedToken struct {
	Term      string `json:"term"`
	Start     int    `json:"start"`      // byte offset
	End       int    `json:"end"`        // byte offset
	CharStart int    `json:"char_start"` // character offset
	CharEnd   int    `json:"char_end"`
	Position  int    `json:"position"`
}

// Analyzers names the analyzers Analyze reports, with the field each serves.
var Analyzers = map[string]string{
	"jieba": analyzerJieba,
	"gram":  analyzerGram,
	"char":  analyzerChar,
}

// Analyze shows how each analyzer segments a text.
func (ix *Index) Analyze(text string) (map[string][]AnalyzedToken, error) {
	out := map[string][]AnalyzedToken{}
	cache := registry.NewCache()
	for name, analyzer := range Analyzers {
		a, err := cache.AnalyzerNamed(analyzer)
		if err != nil {
			return nil, err
		}
		toks := []AnalyzedToken{}
		for _, t := range a.Analyze([]byte(text)) {
			toks = append(toks, AnalyzedToken{
				Term: string(t.Term), Start: t.Start, End: t.End,
				CharStart: utf8.RuneCountInString(text[:t.Start]), CharEnd: utf8.RuneCountInString(text[:t.End]),
				Position: t.Position,
			})
		}
		out[name] = toks
	}
	return out, nil
}
