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
