// Package docscheck checks what the parser and the index make of a folder of
// real documents against what a careful reader gets from them: the folder's
// expected.json (the format of testdata/docs/expected.json, described in
// testdata/docs/README.md) names, per document, its metadata and the clauses
// that must be there, and the searches that must find them.
//
// Every *.txt of the folder is parsed with gongwen.Parse and indexed, with the
// project's real index, in a temporary folder; every key of expected.json
// becomes a row of a Report: document, check, expected, got, ok or WRONG.
package docscheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/query"
)

// ExpectedFile is the name of the expectations inside a checked folder.
const ExpectedFile = "expected.json"

// Options tune a check.
type Options struct {
	// Expected is the expectations file; "" is expected.json in the folder.
	Expected string
	// TempDir is where the temporary index is built (and removed); "" is the
	// system's temporary folder.
	TempDir string
}

// Expectation is what a careful reader gets from one document. A nil pointer or
// nil slice is a key that is absent: nothing is checked for it.
type Expectation struct {
	Number           *string     `json:"number,omitempty"`     // "" means the document has none
	NumberAny        []string    `json:"number_any,omitempty"` // the number is one of these forms
	Issuer           *string     `json:"issuer,omitempty"`
	Issuers          []string    `json:"issuers,omitempty"` // every issuer, in order
	Date             *string     `json:"date,omitempty"`    // YYYY-MM-DD, the signature's date
	Published        *string     `json:"published,omitempty"`
	Year             *int        `json:"year,omitempty"`
	TitleContains    *string     `json:"title_contains,omitempty"` // "" means the title must be empty
	TitleNotContains []string    `json:"title_not_contains,omitempty"`
	RecipientsFirst  *string     `json:"recipients_first,omitempty"`
	Disclosure       *string     `json:"disclosure,omitempty"`
	AttachmentsFirst *string     `json:"attachments_first,omitempty"`
	Attachments      []string    `json:"attachments,omitempty"` // every attachment title, in order
	NotInMetadata    []string    `json:"not_in_metadata,omitempty"`
	WarningsMin      *int        `json:"warnings_min,omitempty"`
	ClausesCountMin  *int        `json:"clauses_count_min,omitempty"`
	SearchCitation   [][2]string `json:"search_citation,omitempty"` // [phrase, text the first hit's citation holds]
	Clauses          []ClauseExp `json:"clauses,omitempty"`
	FirstClause      *Search     `json:"first_clause,omitempty"` // the first clause of the body, found by a phrase of it
}

// ClauseExp is a clause that must exist: titled exactly Title (or starting
// with TitlePrefix) and, where given, with exactly these departments and leads.
type ClauseExp struct {
	Title       string   `json:"title,omitempty"`
	TitlePrefix string   `json:"title_prefix,omitempty"`
	Departments []string `json:"departments,omitempty"`
	Lead        []string `json:"lead,omitempty"`
}

// Search is a phrase whose search within the document must give first a
// clause whose citation holds Citation.
type Search struct {
	Phrase   string `json:"phrase"`
	Citation string `json:"citation"`
}

// LoadExpected reads an expectations file: document file name → expectation.
// Unknown keys are an error, so a misspelt key is not silently unchecked.
func LoadExpected(path string) (map[string]Expectation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]Expectation, len(raw))
	for name, msg := range raw {
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		var e Expectation
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, name, err)
		}
		for i, c := range e.Clauses {
			if (c.Title == "") == (c.TitlePrefix == "") {
				return nil, fmt.Errorf("%s: %s: clauses[%d]: give exactly one of title and title_prefix", path, name, i)
			}
		}
		out[name] = e
	}
	return out, nil
}

// DocID is the id a file is parsed and indexed under: its name without the
// extension, with every character a URL path or the ingest endpoint would not
// take as it is replaced by '-'.
func DocID(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	var b strings.Builder
	for _, r := range base {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	id := strings.TrimLeft(b.String(), ".-_")
	if id == "" {
		id = "doc"
	}
	if len(id) > 100 {
		id = id[:100]
	}
	return id
}

// Fold is how values are compared: NFKC (full-width and half-width forms,
// Kangxi radicals) with every space removed.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Check parses every *.txt of dir, indexes them in a temporary folder and checks
// them against the expectations. An error is returned only when the check cannot
// run at all (no folder, no expectations, no index); what the parser or the
// index get wrong is in the report.
func Check(dir string, opt Options) (Report, error) {
	expPath := opt.Expected
	if expPath == "" {
		expPath = filepath.Join(dir, ExpectedFile)
	}
	exp, err := LoadExpected(expPath)
	if err != nil {
		return Report{}, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return Report{}, err
	}
	if len(files) == 0 {
		return Report{}, fmt.Errorf("%s holds no *.txt document", dir)
	}
	sort.Strings(files)

	var rep Report
	type parsed struct {
		name, id string
		doc      *gongwen.Document
	}
	var docs []parsed
	var sources []index.Source
	ids := map[string]bool{}
	for _, f := range files {
		name := filepath.Base(f)
		id := DocID(name)
		for n := 2; ids[id]; n++ {
			id = fmt.Sprintf("%s-%d", DocID(name), n)
		}
		ids[id] = true
		text, err := os.ReadFile(f)
		if err != nil {
			return Report{}, err
		}
		if _, ok := exp[name]; !ok {
			rep.add(name, "expectations", "an entry in "+filepath.Base(expPath), "none", false)
		}
		doc, err := gongwen.Parse(id, text)
		if err != nil {
			rep.add(name, "parse", "a document", "error: "+err.Error(), false)
			continue
		}
		docs = append(docs, parsed{name: name, id: id, doc: doc})
		sources = append(sources, index.Source{ID: id, Text: text, BuiltIn: true})
	}
	for name := range exp {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			rep.add(name, "file", "exists", "missing", false)
		}
	}

	var ix *index.Index
	if len(sources) > 0 {
		corpus, err := library.Parse(sources)
		if err != nil {
			return Report{}, fmt.Errorf("building the corpus: %w", err)
		}
		tmp, err := os.MkdirTemp(opt.TempDir, "policysearch-docscheck-")
		if err != nil {
			return Report{}, err
		}
		defer os.RemoveAll(tmp)
		ix, err = index.Build(tmp, corpus, index.Options{})
		if err != nil {
			return Report{}, fmt.Errorf("building the index: %w", err)
		}
		defer ix.Close()
		// The corpus parsed the same texts; check what the index was built from.
		byID := map[string]*gongwen.Document{}
		for _, d := range corpus.Docs {
			byID[d.ID] = d
		}
		for i := range docs {
			if d, ok := byID[docs[i].id]; ok {
				docs[i].doc = d
			}
		}
	}

	for _, p := range docs {
		e, ok := exp[p.name]
		if !ok {
			continue
		}
		c := checker{rep: &rep, name: p.name, id: p.id, doc: p.doc, ix: ix}
		c.run(e)
	}
	rep.sort()
	return rep, nil
}

type checker struct {
	rep  *Report
	name string
	id   string
	doc  *gongwen.Document
	ix   *index.Index
}

func (c *checker) add(check, expected, got string, ok bool) {
	c.rep.add(c.name, check, expected, got, ok)
}

func (c *checker) run(e Expectation) {
	d := c.doc
	equal := func(key string, want *string, got string) {
		if want != nil {
			c.add(key, show(*want), show(got), Fold(*want) == Fold(got))
		}
	}
	equal("number", e.Number, d.Number)
	if e.NumberAny != nil {
		ok := false
		for _, n := range e.NumberAny {
			ok = ok || Fold(n) == Fold(d.Number)
		}
		c.add("number_any", "one of "+strings.Join(e.NumberAny, " | "), show(d.Number), ok)
	}
	equal("issuer", e.Issuer, d.Issuer)
	if e.Issuers != nil {
		c.add("issuers", list(e.Issuers), list(d.Issuers), equalLists(e.Issuers, d.Issuers))
	}
	equal("date", e.Date, d.Date)
	equal("published", e.Published, d.Published)
	if e.Year != nil {
		c.add("year", fmt.Sprint(*e.Year), fmt.Sprint(d.Year), *e.Year == d.Year)
	}
	if e.TitleContains != nil {
		if *e.TitleContains == "" {
			c.add("title_contains", "no title", show(d.Title), d.Title == "")
		} else {
			c.add("title_contains", *e.TitleContains, show(d.Title), strings.Contains(Fold(d.Title), Fold(*e.TitleContains)))
		}
	}
	if e.TitleNotContains != nil {
		var bad []string
		for _, s := range e.TitleNotContains {
			if Fold(s) != "" && strings.Contains(Fold(d.Title), Fold(s)) {
				bad = append(bad, s)
			}
		}
		got := show(d.Title)
		if len(bad) > 0 {
			got = "holds " + strings.Join(bad, "、") + ": " + got
		}
		c.add("title_not_contains", "none of "+strings.Join(e.TitleNotContains, "、"), got, len(bad) == 0)
	}
	if e.RecipientsFirst != nil {
		first := ""
		if len(d.Recipients) > 0 {
			first = d.Recipients[0]
		}
		c.add("recipients_first", *e.RecipientsFirst, show(first), Fold(first) == Fold(*e.RecipientsFirst))
	}
	if e.Disclosure != nil {
		c.add("disclosure", show(*e.Disclosure), show(d.Disclosure), unbracket(Fold(d.Disclosure)) == unbracket(Fold(*e.Disclosure)))
	}
	if e.AttachmentsFirst != nil {
		first := d.Attachment
		if len(d.Attachments) > 0 {
			first = d.Attachments[0]
		}
		c.add("attachments_first", show(*e.AttachmentsFirst), show(first), Fold(first) == Fold(*e.AttachmentsFirst))
	}
	if e.Attachments != nil {
		c.add("attachments", list(e.Attachments), list(d.Attachments), equalLists(e.Attachments, d.Attachments))
	}
	if e.NotInMetadata != nil {
		c.notInMetadata(e.NotInMetadata)
	}
	if e.WarningsMin != nil {
		got := fmt.Sprintf("%d", len(d.Warnings))
		if len(d.Warnings) > 0 {
			w := d.Warnings[0]
			got += fmt.Sprintf(" (line %d: %s)", w.Line, w.Message)
		}
		c.add("warnings_min", fmt.Sprintf("at least %d", *e.WarningsMin), got, len(d.Warnings) >= *e.WarningsMin)
	}
	if e.ClausesCountMin != nil {
		c.add("clauses_count_min", fmt.Sprintf("at least %d", *e.ClausesCountMin), fmt.Sprint(len(d.Clauses)), len(d.Clauses) >= *e.ClausesCountMin)
	}
	if e.FirstClause != nil {
		c.search("first_clause", e.FirstClause.Phrase, e.FirstClause.Citation)
	}
	for _, sc := range e.SearchCitation {
		c.search("search_citation", sc[0], sc[1])
	}
	for _, ce := range e.Clauses {
		c.clause(ce)
	}
}

// notInMetadata: none of the strings in the number, issuers, title, recipients
// or attachments.
func (c *checker) notInMetadata(strs []string) {
	d := c.doc
	fields := []struct {
		name   string
		values []string
	}{
		{"number", []string{d.Number}},
		{"issuer", []string{d.Issuer}},
		{"issuers", d.Issuers},
		{"title", []string{d.Title}},
		{"recipients", d.Recipients},
		{"attachments", append([]string{d.Attachment}, d.Attachments...)},
	}
	var bad []string
	for _, s := range strs {
		fs := Fold(s)
		if fs == "" {
			continue
		}
	fields:
		for _, f := range fields {
			for _, v := range f.values {
				if strings.Contains(Fold(v), fs) {
					bad = append(bad, fmt.Sprintf("%s in %s %s", s, f.name, show(v)))
					break fields
				}
			}
		}
	}
	got := "none"
	if len(bad) > 0 {
		got = strings.Join(bad, "; ")
	}
	want := "none of " + strings.Join(strs, "、")
	if len(strs) == 0 {
		want = "nothing listed"
	}
	c.add("not_in_metadata", want, got, len(bad) == 0)
}

// search: the phrase searched within the document gives first a clause whose
// citation holds want.
func (c *checker) search(check, phrase, want string) {
	expected := fmt.Sprintf("%s → %s", phrase, want)
	if c.ix == nil {
		c.add(check, expected, "no index", false)
		return
	}
	q, err := query.Parse(phrase)
	if err != nil {
		c.add(check, expected, "query error: "+err.Error(), false)
		return
	}
	res, err := c.ix.Search(context.Background(), index.Request{
		Query: q, Docs: []string{c.id}, Size: 1, Sort: index.SortRelevance, NoHighlights: true,
	})
	if err != nil {
		c.add(check, expected, "search error: "+err.Error(), false)
		return
	}
	if len(res.Hits) == 0 {
		c.add(check, expected, "no hit", false)
		return
	}
	h := res.Hits[0]
	got := h.Citation
	if h.Title != "" {
		got += " " + h.Title
	}
	c.add(check, expected, clip(got), strings.Contains(Fold(h.Citation), Fold(want)))
}

// clause: some clause titled so, with exactly these departments and leads where given.
func (c *checker) clause(ce ClauseExp) {
	check, key := "clause", ce.Title
	if ce.TitlePrefix != "" {
		key = ce.TitlePrefix + "…"
	}
	expected := key
	if ce.Departments != nil {
		expected += " [" + list(ce.Departments) + "]"
	}
	if ce.Lead != nil {
		expected += " lead [" + list(ce.Lead) + "]"
	}
	titled := func(t string) bool {
		if ce.TitlePrefix != "" {
			return strings.HasPrefix(Fold(t), Fold(ce.TitlePrefix))
		}
		return Fold(t) == Fold(ce.Title)
	}
	var found []gongwen.Clause
	for _, cl := range c.doc.Clauses {
		if titled(cl.Title) {
			found = append(found, cl)
		}
	}
	if len(found) == 0 {
		c.add(check, expected, "no clause so titled; "+c.nearest(ce), false)
		return
	}
	describe := func(cl gongwen.Clause) string {
		s := cl.Title
		if ce.Departments != nil || len(cl.Departments) > 0 {
			s += " [" + list(cl.Departments) + "]"
		}
		if ce.Lead != nil {
			s += " lead [" + list(cl.LeadDepartments) + "]"
		}
		return s
	}
	for _, cl := range found {
		if (ce.Departments == nil || equalLists(ce.Departments, cl.Departments)) &&
			(ce.Lead == nil || equalLists(ce.Lead, cl.LeadDepartments)) {
			c.add(check, expected, clip(describe(cl)), true)
			return
		}
	}
	c.add(check, expected, clip(describe(found[0])), false)
}

// nearest names the clause title most like the wanted one, to make a WRONG row
// say what the parser made of it.
func (c *checker) nearest(ce ClauseExp) string {
	want := []rune(Fold(ce.Title + ce.TitlePrefix))
	best, bestScore := "", -1
	for _, cl := range c.doc.Clauses {
		got := []rune(Fold(cl.Title + " " + firstRunes(cl.Text, 40)))
		if s := commonBigrams(want, got); s > bestScore {
			best, bestScore = cl.Title, s
			if best == "" {
				best = string(cl.Kind) + " " + firstRunes(cl.Text, 20) + "…"
			}
		}
	}
	if bestScore <= 0 {
		return fmt.Sprintf("%d clauses", len(c.doc.Clauses))
	}
	return "nearest: " + clip(best)
}

func commonBigrams(a, b []rune) int {
	set := map[[2]rune]bool{}
	for i := 0; i+1 < len(b); i++ {
		set[[2]rune{b[i], b[i+1]}] = true
	}
	n := 0
	for i := 0; i+1 < len(a); i++ {
		if set[[2]rune{a[i], a[i+1]}] {
			n++
		}
	}
	return n
}

func equalLists(want, got []string) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if Fold(want[i]) != Fold(got[i]) {
			return false
		}
	}
	return true
}

// unbracket drops the brackets around a disclosure line: (此件主动公开).
func unbracket(s string) string {
	return strings.Trim(s, "()（）〔〕[]【】")
}

// list shows a list so that one name holding 、 (各州、市人民政府) and two names differ.
func list(xs []string) string { return strings.Join(xs, " | ") }

// show makes an empty value visible.
func show(s string) string {
	if s == "" {
		return `""`
	}
	return clip(s)
}

const maxCell = 90 // characters of a got or expected cell

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxCell {
		return string(r[:maxCell-1]) + "…"
	}
	return s
}

func firstRunes(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), ""))
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// ErrWrong is what callers return when a report has failures.
var ErrWrong = errors.New("documents are not read as expected")
