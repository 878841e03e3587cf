package index

import (
	"fmt"
	"strings"

	"policysearch/internal/query"
	"policysearch/internal/segment"
)

// Explanation says why a hit matched and ranked where it did, briefly.
type Explanation struct {
	Tier   int         `json:"tier"`   // 1 is the best rank band
	Reason string      `json:"reason"` // what put the hit in its tier
	Terms  []TermMatch `json:"terms"`
	Score  string      `json:"score"` // how the hit ranks inside its tier
	// Interpreted is what the query was searched as, as the response says.
	Interpreted *Interpretation `json:"interpreted,omitempty"`
}

// TermMatch says where one query term was found in a clause.
type TermMatch struct {
	Term   string   `json:"term"`
	Fields []string `json:"fields"`          // title, text, path: where it occurs whole
	Words  []string `json:"words,omitempty"` // the jieba words that matched, when it does not occur whole in the text
}

func (ix *Index) explain(p *plan, q query.Query, h *Hit) *Explanation {
	e := &Explanation{Score: fmt.Sprintf("%.3f: term statistics (tf-idf) of the query's words and phrases in title and text", h.Score)}
	if h.tier < len(p.tiers) {
		e.Tier, e.Reason = h.tier+1, p.tiers[h.tier].why
	}
	title, text := segment.Compact(h.Title), segment.Compact(h.Text)
	for _, t := range q.Terms {
		// A term of alternatives (pinyin read as 实验 or 试验) is explained by
		// the form the hit holds.
		form := t.Forms()[0]
		for _, f := range t.Forms() {
			if f := segment.Compact(f); strings.Contains(text, f) || strings.Contains(title, f) {
				form = f
				break
			}
		}
		needle := segment.Compact(form)
		tm := TermMatch{Term: form, Fields: []string{}}
		if strings.Contains(title, needle) && h.Title != "" {
			tm.Fields = append(tm.Fields, "title")
		}
		if strings.Contains(text, needle) {
			tm.Fields = append(tm.Fields, "text")
		} else if !t.Phrase {
			tm.Words = p.wordsOf(ix, form)
		}
		for _, heading := range h.Path {
			if strings.Contains(segment.Compact(heading), needle) {
				tm.Fields = append(tm.Fields, "path")
				break
			}
		}
		e.Terms = append(e.Terms, tm)
	}
	return e
}
