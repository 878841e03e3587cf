package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/segment"
)

// The oracle: a brute-force search written from the contract, string scans
// over every clause after folding (width, case, script; spaces dropped), the
// query cut with the same jieba, and the contract's tiers. The service must
// agree with it on random queries: the same total and facets, the same tier
// (and so match label) for every hit, tiers in order, and the same clauses in
// document order with sort=order.

// oracle holds a corpus as plain strings.
type oracle struct {
	seg     *segment.Segmenter
	clauses []oracleClause // in document order
	names   map[string]bool
	words   map[string][]string // the query words' jieba words, cut once
	folded  map[string]string   // query words folded, once
}

type oracleClause struct {
	c                 *gongwen.Clause
	doc               *gongwen.Document
	text, title, path []string        // folded values (a path's headings, one each)
	words             map[string]bool // the text's jieba words, as the analyzer cuts them
}

func newOracle(seg *segment.Segmenter, docs []*gongwen.Document) *oracle {
	o := &oracle{seg: seg, names: map[string]bool{}, words: map[string][]string{}, folded: map[string]string{}}
	for _, d := range docs {
		for i := range d.Clauses {
			c := &d.Clauses[i]
			for _, n := range append(append([]string(nil), c.Departments...), c.LeadDepartments...) {
				o.names[n] = true
			}
			oc := oracleClause{c: c, doc: d, text: foldLines(c.Text), title: foldLines(c.Title), words: map[string]bool{}}
			for _, h := range c.Path {
				oc.path = append(oc.path, foldLines(h)...)
			}
			for _, t := range seg.Tokens(c.Text) {
				oc.words[t.Term] = true
			}
			o.clauses = append(o.clauses, oc)
		}
	}
	return o
}

// foldLines folds each line of s as a query word is folded: a substring
// never runs from one line (one heading of a path) into the next.
func foldLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, segment.Compact(line))
	}
	return out
}

func (o *oracle) holds(values []string, s string) bool {
	needle, ok := o.folded[s]
	if !ok {
		needle = segment.Compact(s)
		o.folded[s] = needle
	}
	if needle == "" {
		return false
	}
	for _, v := range values {
		if strings.Contains(v, needle) {
			return true
		}
	}
	return false
}

// parts: every jieba word of s is a word of the text, a character standing
// alone found as a character.
func (o *oracle) parts(c *oracleClause, s string) bool {
	words, ok := o.words[s]
	if !ok {
		words = o.seg.Words(s)
		o.words[s] = words
	}
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if len([]rune(w)) == 1 {
			if !o.holds(c.text, w) {
				return false
			}
		} else if !c.words[w] {
			return false
		}
	}
	return true
}

// oracleFilter is a request's filters, as the contract reads them.
type oracleFilter struct {
	depts, leads []string // as FindDepartment resolves them: a name, or a name（region）
	docs         []string
	issuers      []string
	years        []int
}

// placeOf reads a resolved department filter: a name as the documents write
// it (市委党校（重庆行政学院） included), or a name（region）.
func (o *oracle) placeOf(v string) (name, region string) {
	if o.names[v] {
		return v, ""
	}
	if i := strings.LastIndex(v, "（"); i > 0 && strings.HasSuffix(v, "）") {
		return v[:i], strings.TrimSuffix(v[i+len("（"):], "）")
	}
	return v, ""
}

func (o *oracle) keeps(f oracleFilter, c *oracleClause) bool {
	listed := func(names []string, v string) bool {
		name, region := o.placeOf(v)
		for _, n := range names {
			if n == name && (region == "" || c.doc.Region == region) {
				return true
			}
		}
		return false
	}
	responsible := append(append([]string(nil), c.c.LeadDepartments...), c.c.Departments...)
	for _, d := range f.depts {
		if !listed(responsible, d) {
			return false
		}
	}
	for _, d := range f.leads {
		if !listed(c.c.LeadDepartments, d) {
			return false
		}
	}
	if len(f.docs) > 0 && !contains(f.docs, c.doc.ID) {
		return false
	}
	if len(f.issuers) > 0 {
		ok := false
		for _, is := range issuersOf(c.doc) {
			for _, want := range f.issuers {
				if segment.Compact(is) == segment.Compact(want) {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.years) > 0 {
		ok := false
		for _, y := range f.years {
			ok = ok || c.doc.Year == y
		}
		if !ok {
			return false
		}
	}
	return true
}

func issuersOf(d *gongwen.Document) []string {
	if len(d.Issuers) > 0 {
		return d.Issuers
	}
	if d.Issuer != "" {
		return []string{d.Issuer}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tierTest is one tier of the contract: a label and the test a clause meets.
type tierTest struct {
	match string
	test  func(c *oracleClause) bool // nil: the rest
}

// search returns the clauses a query finds, in document order, with each
// one's tier (an index into tiers).
func (o *oracle) search(q query.Query, f oracleFilter) (found []*oracleClause, tierOf []int, tiers []tierTest) {
	inText := func(s string) func(*oracleClause) bool {
		return func(c *oracleClause) bool { return o.holds(c.text, s) }
	}
	inTitle := func(s string) func(*oracleClause) bool {
		return func(c *oracleClause) bool { return o.holds(c.title, s) }
	}
	every := func(tests ...func(*oracleClause) bool) func(*oracleClause) bool {
		return func(c *oracleClause) bool {
			for _, t := range tests {
				if !t(c) {
					return false
				}
			}
			return true
		}
	}
	var must, titles, texts, wordTests []func(*oracleClause) bool
	for _, t := range q.Terms {
		t := t
		texts = append(texts, inText(t.Text))
		titles = append(titles, inTitle(t.Text))
		if t.Phrase {
			must = append(must, inText(t.Text))
			wordTests = append(wordTests, inText(t.Text))
			continue
		}
		anyText := func(c *oracleClause) bool { return o.holds(c.text, t.Text) || o.parts(c, t.Text) }
		wordTests = append(wordTests, anyText)
		must = append(must, func(c *oracleClause) bool { return anyText(c) || o.holds(c.path, t.Text) })
	}
	if len(q.Terms) > 0 {
		raw := strings.TrimSpace(q.Raw)
		if len(q.Exclude) == 0 && segment.Compact(raw) != segment.Compact(q.Whole()) && segment.Compact(raw) != "" {
			tiers = append(tiers, tierTest{index.MatchExact, inTitle(raw)}, tierTest{index.MatchExact, inText(raw)})
		}
		if len(q.Terms) > 1 {
			tiers = append(tiers,
				tierTest{index.MatchExact, inTitle(q.Whole())}, tierTest{index.MatchExact, inText(q.Whole())},
				tierTest{index.MatchWords, every(titles...)}, tierTest{index.MatchWords, every(texts...)})
		} else {
			tiers = append(tiers, tierTest{index.MatchExact, titles[0]}, tierTest{index.MatchExact, texts[0]})
		}
		tiers = append(tiers, tierTest{index.MatchWords, every(wordTests...)}, tierTest{index.MatchPath, nil})
	}
	for i := range o.clauses {
		c := &o.clauses[i]
		if !every(must...)(c) || !o.keeps(f, c) {
			continue
		}
		excluded := false
		for _, e := range q.Exclude {
			excluded = excluded || o.holds(c.text, e.Text)
		}
		if excluded {
			continue
		}
		tier := -1
		for ti, t := range tiers {
			if t.test == nil || t.test(c) {
				tier = ti
				break
			}
		}
		found = append(found, c)
		tierOf = append(tierOf, tier)
	}
	return found, tierOf, tiers
}

// facets counts what the contract shows of the clauses found.
func (o *oracle) facets(found []*oracleClause) map[string][]index.Facet {
	type place struct{ name, region string }
	count := func(values func(c *oracleClause) []string) map[string]int {
		m := map[string]int{}
		for _, c := range found {
			seen := map[string]bool{}
			for _, v := range values(c) {
				if !seen[v] {
					seen[v] = true
					m[v]++
				}
			}
		}
		return m
	}
	ranked := func(m map[string]int) []index.Facet {
		out := []index.Facet{}
		for v, n := range m {
			out = append(out, index.Facet{Value: v, Count: n})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Count != out[j].Count {
				return out[i].Count > out[j].Count
			}
			return out[i].Value < out[j].Value
		})
		if len(out) > 100 {
			out = out[:100]
		}
		return out
	}
	// A department is a name in a place: shown by name, with its region where
	// two regions among the results share the name.
	departments := func(names func(c *oracleClause) []string) []index.Facet {
		m := map[place]int{}
		for _, c := range found {
			seen := map[string]bool{}
			for _, n := range names(c) {
				if !seen[n] {
					seen[n] = true
					m[place{n, c.doc.Region}]++
				}
			}
		}
		type counted struct {
			p place
			n int
		}
		var ps []counted
		regions := map[string]int{}
		for p, n := range m {
			ps = append(ps, counted{p, n})
			if p.region != "" {
				regions[p.name]++
			}
		}
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].n != ps[j].n {
				return ps[i].n > ps[j].n
			}
			return ps[i].p.name+"\x1f"+ps[i].p.region < ps[j].p.name+"\x1f"+ps[j].p.region
		})
		out := []index.Facet{}
		at := map[string]int{}
		for _, p := range ps {
			label := p.p.name
			if regions[p.p.name] > 1 && p.p.region != "" {
				label += "（" + p.p.region + "）"
			}
			if i, ok := at[label]; ok {
				out[i].Count += p.n
				continue
			}
			at[label] = len(out)
			out = append(out, index.Facet{Value: label, Count: p.n})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
		return out
	}
	f := map[string][]index.Facet{
		"departments": departments(func(c *oracleClause) []string {
			return append(append([]string(nil), c.c.LeadDepartments...), c.c.Departments...)
		}),
		"lead_departments": departments(func(c *oracleClause) []string { return c.c.LeadDepartments }),
		"documents":        ranked(count(func(c *oracleClause) []string { return []string{c.doc.ID} })),
		"issuers":          ranked(count(func(c *oracleClause) []string { return issuersOf(c.doc) })),
		"years": ranked(count(func(c *oracleClause) []string {
			if c.doc.Year == 0 {
				return nil
			}
			return []string{strconv.Itoa(c.doc.Year)}
		})),
		"sections": {},
	}
	if len(f["documents"]) == 1 {
		f["sections"] = ranked(count(func(c *oracleClause) []string {
			if len(c.c.Path) == 0 {
				return nil
			}
			return []string{c.c.Path[0]}
		}))
	}
	return f
}

// randomQuery is what a person might type: substrings of clauses (1 to 8
// characters, or with their punctuation), headlines and headings, several
// words, exclusions, quoted phrases, words no clause holds, in full width.
func randomQuery(r *rand.Rand, o *oracle) string {
	pick := func(values func(c *oracleClause) string, min, max int, punct bool) string {
		for try := 0; try < 50; try++ {
			c := &o.clauses[r.IntN(len(o.clauses))]
			rs := []rune(values(c))
			n := min + r.IntN(max-min+1)
			if len(rs) < n {
				continue
			}
			at := r.IntN(len(rs) - n + 1)
			s := string(rs[at : at+n])
			ok := !strings.ContainsFunc(s, unicode.IsSpace)
			if !punct {
				ok = ok && !strings.ContainsFunc(s, func(r rune) bool { return !segment.Searchable(r) })
			}
			if ok && strings.ContainsFunc(s, segment.Searchable) {
				return s
			}
		}
		return "科普"
	}
	text := func(c *oracleClause) string { return c.c.Text }
	title := func(c *oracleClause) string { return c.c.Title }
	heading := func(c *oracleClause) string { return strings.Join(c.c.Path, "") }
	switch k := r.IntN(20); {
	case k < 7:
		return pick(text, 1, 8, false)
	case k < 9:
		return pick(title, 2, 6, false)
	case k < 10:
		return pick(heading, 2, 5, false)
	case k < 13:
		return pick(text, 1, 4, false) + " " + pick(text, 1, 4, false)
	case k < 14:
		return pick(text, 1, 2, false) + " " + pick(title, 1, 3, false) + " " + pick(heading, 1, 2, false)
	case k < 15:
		return pick(text, 2, 4, false) + " -" + pick(text, 1, 3, false)
	case k < 16:
		return `"` + pick(text, 2, 6, false) + `"`
	case k < 18:
		return pick(text, 3, 10, true)
	case k < 19:
		// Full-width letters and digits are their ASCII forms.
		return strings.Map(func(r rune) rune {
			if r >= '!' && r <= '~' {
				return r + 0xFEE0
			}
			return r
		}, pick(text, 2, 6, true))
	default:
		return pick(text, 2, 3, false) + "爨"
	}
}

// checkOracle runs n random requests against ix and the oracle.
func checkOracle(t *testing.T, ix *index.Index, docs []*gongwen.Document, n int, seed uint64) {
	t.Helper()
	o := newOracle(ix.Segmenter(), docs)
	r := rand.New(rand.NewPCG(seed, 7))
	var depts []string
	for _, d := range ix.Departments() {
		depts = append(depts, d.Name)
	}
	checked := 0
	for i := 0; i < n; i++ {
		raw := randomQuery(r, o)
		q, err := query.Parse(raw)
		if err != nil {
			continue
		}
		req := index.Request{Query: q, Size: 100, Explain: true, NoHighlights: true}
		var f oracleFilter
		switch k := r.IntN(10); {
		case k == 0 && len(depts) > 0:
			name, err := ix.FindDepartment(depts[r.IntN(len(depts))])
			if err != nil {
				t.Fatal(err)
			}
			req.Departments, f.depts = []string{name}, []string{name}
		case k == 1:
			d := docs[r.IntN(len(docs))]
			req.Docs, f.docs = []string{d.ID}, []string{d.ID}
		case k == 2 && docs[0].Year != 0:
			y := []int{docs[r.IntN(len(docs))].Year}
			req.Years, f.years = y, y
		}
		found, tierOf, tiers := o.search(q, f)
		name := fmt.Sprintf("%q %+v", raw, f)
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Total != len(found) {
			t.Errorf("%s: total %d, oracle %d", name, res.Total, len(found))
			continue
		}
		if got, want := fmt.Sprint(res.Facets), fmt.Sprint(o.facets(found)); got != want {
			t.Errorf("%s: facets\n got %s\nwant %s", name, got, want)
		}
		want := map[string]int{}
		var sorted []int
		for k, c := range found {
			want[c.c.ID] = tierOf[k]
			sorted = append(sorted, tierOf[k])
		}
		sort.Ints(sorted)
		// Every hit in its tier, tiers in order, over the first pages.
		for from := 0; from < len(found) && from < 300; from += req.Size {
			req.From = from
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for k, h := range res.Hits {
				tier, ok := want[h.ID]
				switch {
				case !ok:
					t.Errorf("%s: hit %s is not a match", name, h.ID)
				case len(tiers) > 0 && (h.Explain == nil || h.Explain.Tier-1 != tier || h.Match != tiers[tier].match):
					t.Errorf("%s: hit %s in %+v (%s), oracle tier %d (%s)", name, h.ID, h.Explain, h.Match, tier, tiers[tier].match)
				case len(tiers) > 0 && tier != sorted[from+k]:
					t.Errorf("%s: hit %d (%s) of tier %d where tier %d comes", name, from+k, h.ID, tier, sorted[from+k])
				}
			}
		}
		// Document order: the oracle's order.
		req.From, req.Sort = 0, index.SortOrder
		res, err = ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for k, h := range res.Hits {
			if h.ID != found[k].c.ID || (len(tiers) > 0 && h.Match != tiers[tierOf[k]].match) {
				t.Errorf("%s: in document order hit %d is %s (%s), oracle %s (%s)", name, k, h.ID, h.Match, found[k].c.ID, tiers[tierOf[k]].match)
				break
			}
		}
		checked++
		if t.Failed() && checked > 20 {
			t.FailNow()
		}
	}
	if checked < n/2 {
		t.Fatalf("only %d of %d random queries were searchable", checked, n)
	}
	t.Logf("%d random queries agree with the oracle", checked)
}

func TestOracleNotice(t *testing.T) {
	checkOracle(t, testIndex, testCorpus.Docs, 2000, 1)
}

func TestOracleLibrary(t *testing.T) {
	ix := libraryIdx(t)
	c, err := library.Load(filepath.Join("..", "testdata", "library"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	checkOracle(t, ix, c.Docs, 500, 2)
}

// A synthetic corpus of 1,000 items in 21 documents.
func TestOracleSynthetic(t *testing.T) {
	ix, c := syntheticIndex(t, 1000, 3)
	checkOracle(t, ix, c.Docs, 1000, 3)
}
