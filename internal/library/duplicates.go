package library

import (
	"fmt"
	"strings"

	"policysearch/index"
	"policysearch/internal/fault"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// SameClauses is the share of its text a document must have in clauses
// identical to another's, after removing spaces and punctuation, to be that
// document again: the same notice from its web page and from its PDF differs in
// spacing, punctuation widths and the odd line of page chrome, not in clauses.
const SameClauses = 0.95

// Duplicate is a document of the library that a new one repeats.
type Duplicate struct {
	ID      string
	BuiltIn bool
	// Why says how it was recognised: the same 文号, or the share of identical clauses.
	Why string
}

// Duplicates finds the documents of c that d repeats. Two documents with a 文号
// each are the same exactly when their 文号 are (in either script and any
// bracket or width). Where either has none, they are the same when at least
// SameClauses of the longer one's text is in clauses both hold, unless each
// says its year and the years differ: this year's plan of a series often
// repeats last year's items, and is still another document.
func Duplicates(d *gongwen.Document, c *index.Corpus) []Duplicate {
	var out []Duplicate
	number := numberKey(d.Number)
	var clauses map[string]int
	for i, other := range c.Docs {
		builtIn := i < len(c.Sources) && c.Sources[i].BuiltIn
		otherNumber := numberKey(other.Number)
		if number != "" && otherNumber != "" {
			if number == otherNumber {
				out = append(out, Duplicate{ID: other.ID, BuiltIn: builtIn, Why: "the same 文号 " + other.Number})
			}
			continue
		}
		if d.Year != 0 && other.Year != 0 && d.Year != other.Year {
			continue
		}
		if clauses == nil {
			clauses = clauseKeys(d)
		}
		if share := sameClauses(clauses, clauseKeys(other)); share >= SameClauses {
			out = append(out, Duplicate{ID: other.ID, BuiltIn: builtIn, Why: fmt.Sprintf("%d%% of the text in identical clauses", int(share*100))})
		}
	}
	return out
}

// numberKey is a 文号 as compared: folded, without spaces, brackets or other
// punctuation, so 陵府辦〔2022〕8號 = 陵府办[2022]8号.
func numberKey(n string) string {
	return bareText(strings.ReplaceAll(n, "第", ""))
}

// bareText is text folded as search folds it (widths, case, traditional
// characters), with only letters, digits and Chinese characters kept.
func bareText(s string) string {
	var b strings.Builder
	for _, r := range segment.FoldString(s) {
		if segment.Searchable(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clauseKeys counts a document's clauses by their bare text.
func clauseKeys(d *gongwen.Document) map[string]int {
	keys := map[string]int{}
	for _, c := range d.Clauses {
		if k := bareText(c.Text); k != "" {
			keys[k]++
		}
	}
	return keys
}

// sameClauses is the share of the longer document's bare text that lies in
// clauses both documents hold, each clause counted as often as both hold it.
func sameClauses(a, b map[string]int) float64 {
	total := func(m map[string]int) int {
		n := 0
		for k, c := range m {
			n += len([]rune(k)) * c
		}
		return n
	}
	longer := max(total(a), total(b))
	if longer == 0 {
		return 0
	}
	same := 0
	for k, n := range a {
		same += len([]rune(k)) * min(n, b[k])
	}
	return float64(same) / float64(longer)
}

// place decides where an ingested document goes: under the requested id, or
// the derived one when none was requested; with replace, over the added
// document it repeats (keeping that one's id, so links to it stay good) or over
// the added document of the requested id. A document that repeats one of the
// library, or takes a requested id, is a conflict otherwise; the built-in
// documents are never replaced.
func place(d *gongwen.Document, requested, derived string, c *index.Corpus, replace bool) (id string, replacing bool, err error) {
	taken := func(id string) (index.Source, bool) {
		for _, s := range c.Sources {
			if s.ID == id {
				return s, true
			}
		}
		return index.Source{}, false
	}
	dups := Duplicates(d, c)
	if requested != "" {
		if s, ok := taken(requested); ok {
			switch {
			case !replace:
				return "", false, fault.New(fault.Conflict, "a document with id %q exists; delete it first, choose another id, or send replace=true to replace it", requested)
			case s.BuiltIn:
				return "", false, fault.New(fault.Conflict, "document %q is part of the built-in corpus, which is read-only", requested)
			}
			for _, dup := range dups {
				if dup.ID != requested {
					return "", false, fault.New(fault.Conflict, "the document repeats %q (%s), not %q: it cannot replace %q", dup.ID, dup.Why, requested, requested)
				}
			}
			return requested, true, nil
		}
	}
	for _, dup := range dups {
		if dup.BuiltIn {
			return "", false, fault.New(fault.Conflict, "the library already holds this document as %q (%s), part of the built-in corpus, which is read-only", dup.ID, dup.Why)
		}
	}
	switch {
	case len(dups) == 0:
	case !replace:
		return "", false, fault.New(fault.Conflict, "the library already holds this document as %q (%s); send replace=true to replace it", dups[0].ID, dups[0].Why)
	case len(dups) > 1:
		ids := make([]string, len(dups))
		for i, dup := range dups {
			ids[i] = fmt.Sprintf("%q", dup.ID)
		}
		return "", false, fault.New(fault.Conflict, "the document repeats %s; it can replace only one: delete the others first", strings.Join(ids, ", "))
	case requested != "" && requested != dups[0].ID:
		return "", false, fault.New(fault.Conflict, "the document repeats %q (%s): replace=true replaces it under its own id; leave id out or send id=%s", dups[0].ID, dups[0].Why, dups[0].ID)
	default:
		return dups[0].ID, true, nil
	}
	if requested != "" {
		return requested, false, nil
	}
	// A derived id taken by another document (two notices without 文号 of the
	// same title) gets a number.
	id = derived
	for n := 2; ; n++ {
		if _, ok := taken(id); !ok {
			return id, false, nil
		}
		id = fmt.Sprintf("%s-%d", derived, n)
	}
}
