// Package query reads the search language: plain words are all required, -word
// excludes, "quoted" and “quoted” phrases must occur as written.
package query

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"policysearch/internal/segment"
)

// Term is one word or phrase of a query.
type Term struct {
	Text   string `json:"text"`
	Phrase bool   `json:"phrase,omitempty"` // quoted: clause text only, exactly
	// Alternatives are the words a term typed otherwise may mean, any of them
	// matching: pinyin shiyan read as 实验 or 试验. Empty: the term is Text.
	Alternatives []string `json:"alternatives,omitempty"`
}

// Forms are the texts a term matches: its alternatives, or its text.
func (t Term) Forms() []string {
	if len(t.Alternatives) > 0 {
		return t.Alternatives
	}
	return []string{t.Text}
}

// Query is a parsed query.
type Query struct {
	Raw     string `json:"raw"`
	Terms   []Term `json:"terms"`   // required
	Exclude []Term `json:"exclude"` // none may occur
}

// ErrNothingToSearch is a query with no letter, digit or Chinese character to look for.
var ErrNothingToSearch = errors.New("the query has no letter, digit or Chinese character to search for")

// ErrOnlyExclusions is a query that excludes words but asks for none.
var ErrOnlyExclusions = errors.New("the query only excludes words; add a word to search for")

// Empty reports whether the query asks for nothing (an empty or blank q).
func (q Query) Empty() bool { return len(q.Terms) == 0 && len(q.Exclude) == 0 }

// Whole is the query's words as one string, for the exact-match tiers.
func (q Query) Whole() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		parts[i] = t.Text
	}
	return strings.Join(parts, " ")
}

// Wholes are the query's words as one string, for the exact-match tiers, in
// each combination of the terms' alternatives: at most limit of them.
func (q Query) Wholes(limit int) []string {
	out := []string{""}
	for _, t := range q.Terms {
		var next []string
		for _, prefix := range out {
			for _, f := range t.Forms() {
				if len(next) < limit {
					next = append(next, strings.TrimPrefix(prefix+" "+f, " "))
				}
			}
		}
		out = next
	}
	return out
}

// Replace gives the query with term i searched as text instead, its Raw the
// new query written in the query language: what a link to it searches.
func (q Query) Replace(i int, text string) Query {
	out := Query{Terms: append([]Term(nil), q.Terms...), Exclude: q.Exclude}
	out.Terms[i] = Term{Text: text, Phrase: q.Terms[i].Phrase}
	var parts []string
	for _, t := range out.Terms {
		parts = append(parts, t.written())
	}
	for _, t := range out.Exclude {
		parts = append(parts, "-"+t.written())
	}
	out.Raw = strings.Join(parts, " ")
	return out
}

// written is the term as it is typed: a phrase in quotes.
func (t Term) written() string {
	if t.Phrase {
		return `"` + t.Text + `"`
	}
	return t.Text
}

// closing pairs each opening quote with the quotes that close it.
var closing = map[rune]string{'"': `"”`, '“': `”"`, '「': "」", '『': "』"}

// Parse reads a query. Syntax it cannot balance is read literally: an unclosed
// quote runs to the end, a lone - or + is an ordinary character.
func Parse(s string) (Query, error) {
	q := Query{Raw: s}
	s = strings.ToValidUTF8(s, " ")
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		exclude := false
		if (r == '-' || r == '－') && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			exclude = true
			i++
		} else if (r == '+' || r == '＋') && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			i++
		}
		var t Term
		if closers, ok := closing[rs[i]]; ok {
			j := i + 1
			for j < len(rs) && !strings.ContainsRune(closers, rs[j]) {
				j++
			}
			t = Term{Text: strings.TrimSpace(string(rs[i+1 : j])), Phrase: true}
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				if _, ok := closing[rs[j]]; ok && j > i {
					break
				}
				j++
			}
			t = Term{Text: strings.TrimFunc(string(rs[i:j]), unicode.IsPunct)}
			i = j
		}
		if !searchable(t.Text) {
			continue
		}
		if exclude {
			q.Exclude = append(q.Exclude, t)
		} else {
			q.Terms = append(q.Terms, t)
		}
	}
	if len(q.Terms) == 0 {
		if len(q.Exclude) > 0 {
			return q, ErrOnlyExclusions
		}
		if strings.TrimSpace(s) != "" {
			return q, ErrNothingToSearch
		}
	}
	return q, nil
}

func searchable(s string) bool {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if segment.Searchable(r) {
			return true
		}
		s = s[n:]
	}
	return false
}
