// Package synth writes synthetic policy documents for benchmarks: notices in the
// format of the embedded one, as extracted from its PDF (lines broken at the page
// width, blank lines between them, page footers), composed from that notice's own
// vocabulary and structure — its front matter, section and subsection headings,
// item openings, sentences and phrases, campaign names and department lists.
// The same seed and size always give the same documents.
package synth

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"policysearch/corpus"
	"policysearch/internal/campaign"
	"policysearch/internal/gongwen"
)

// Document is one generated document.
type Document struct {
	ID   string // usable as a file name without .txt and as a clause id prefix
	Text []byte // the document as PDF-extracted text
}

// Options size a corpus.
type Options struct {
	Items int    // numbered work items in the whole corpus
	Seed  uint64 // the same seed gives the same corpus
}

// lineWidth is the display width of a full line of the notice's page (30 Chinese
// characters): the parser tells paragraph ends by lines shorter than it.
const lineWidth = 60

// linesPerPage is how many text lines a page of the notice holds before its footer.
const linesPerPage = 22

// Items per document: the notice has 45.
const (
	minItems = 30
	maxItems = 60
)

// vocabulary is what the embedded notice offers to compose from.
type vocabulary struct {
	front       []string // the notice's lines before its first section, as extracted
	year        string   // the notice's year, replaced in the front matter
	number      string   // its 文号 line, replaced per document
	dateLine    string   // its date line, replaced per document
	sections    []string // section headings without 一、
	subsections []string // subsection headings without （一）
	openings    []string // items' first sentences, ending in 。
	sentences   []string // items' other sentences, ending in 。
	phrases     []string // parts of sentences between ， and 。
	extra       []int    // sentences after the opening, per item of the notice
	departments []string // every department an item names
	deptCounts  []int    // departments per item of the notice, 0 for 各责任单位
	campaigns   []string // campaign names
}

var (
	vocabOnce sync.Once
	vocab     *vocabulary
	vocabErr  error
)

// noticeFile is the embedded notice the vocabulary comes from.
const noticeFile = "yugangyaobanfa-2022-2.txt"

func loadVocabulary() (*vocabulary, error) {
	vocabOnce.Do(func() { vocab, vocabErr = readVocabulary() })
	return vocab, vocabErr
}

var (
	sectionMark    = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	subsectionMark = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`)
	deptTail       = regexp.MustCompile(`（[^（）]*(（[^（）]*）[^（）]*)*）$`)
	firstLineRe    = regexp.MustCompile(`^(一、|（一）|1\.)`)
)

func readVocabulary() (*vocabulary, error) {
	src, err := corpus.Files.ReadFile(noticeFile)
	if err != nil {
		return nil, fmt.Errorf("synth: the embedded notice: %w", err)
	}
	doc, err := gongwen.Parse("notice", src)
	if err != nil {
		return nil, fmt.Errorf("synth: parsing the embedded notice: %w", err)
	}
	v := &vocabulary{}
	// Front matter: every line up to the first numbered heading, as extracted.
	for _, l := range strings.Split(string(src), "\n") {
		if firstLineRe.MatchString(strings.TrimSpace(l)) {
			break
		}
		v.front = append(v.front, l)
	}
	v.year = doc.Date[:4]
	for _, l := range v.front {
		t := strings.TrimSpace(l)
		if v.number == "" && strings.HasSuffix(t, "号") && strings.Contains(t, "〔") {
			v.number = l
		}
		if strings.HasPrefix(t, v.year) && strings.HasSuffix(t, "日") && strings.Contains(t, "月") {
			v.dateLine = l
		}
	}
	if v.number == "" || v.dateLine == "" {
		return nil, fmt.Errorf("synth: the embedded notice has no 文号 or date line")
	}
	for _, s := range doc.Outline {
		v.sections = append(v.sections, sectionMark.ReplaceAllString(s.Heading, ""))
		for _, sub := range s.Subsections {
			v.subsections = append(v.subsections, subsectionMark.ReplaceAllString(sub.Heading, ""))
		}
	}
	seenDept := map[string]bool{}
	seenPhrase := map[string]bool{}
	for _, c := range doc.Clauses {
		if c.Kind != gongwen.KindItem {
			continue
		}
		body := deptTail.ReplaceAllString(c.Text, "")
		parts := splitSentences(body)
		if len(parts) == 0 {
			continue
		}
		v.openings = append(v.openings, parts[0])
		v.extra = append(v.extra, len(parts)-1)
		for _, s := range parts[1:] {
			v.sentences = append(v.sentences, s)
		}
		for _, s := range parts {
			for _, p := range strings.Split(strings.TrimSuffix(s, "。"), "，") {
				if balanced(p) && len([]rune(p)) >= 4 && !seenPhrase[p] {
					seenPhrase[p] = true
					v.phrases = append(v.phrases, p)
				}
			}
		}
		n := 0
		for _, d := range c.Departments {
			if d == gongwen.AllUnits {
				continue
			}
			n++
			if !seenDept[d] {
				seenDept[d] = true
				v.departments = append(v.departments, d)
			}
		}
		v.deptCounts = append(v.deptCounts, n)
	}
	for _, cp := range campaign.Extract([]*gongwen.Document{doc}) {
		if balanced(cp.Name) {
			v.campaigns = append(v.campaigns, cp.Name)
		}
	}
	if len(v.sections) == 0 || len(v.subsections) == 0 || len(v.openings) == 0 || len(v.sentences) == 0 ||
		len(v.departments) == 0 || len(v.campaigns) < 3 {
		return nil, fmt.Errorf("synth: the embedded notice offers too little to compose from")
	}
	return v, nil
}

// splitSentences cuts text after every 。 outside brackets and quotes, so that a
// sentence never leaves a bracket open.
func splitSentences(text string) []string {
	var out []string
	depth := 0
	start := 0
	for i, r := range text {
		switch r {
		case '（', '(', '《', '“':
			depth++
		case '）', ')', '》', '”':
			depth--
		case '。':
			if depth == 0 {
				out = append(out, text[start:i+len("。")])
				start = i + len("。")
			}
		}
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest+"。")
	}
	return out
}

// balanced reports whether every bracket and quote opened in s is closed in it.
func balanced(s string) bool {
	pairs := map[rune]rune{'）': '（', ')': '(', '》': '《', '”': '“'}
	var stack []rune
	for _, r := range s {
		switch r {
		case '（', '(', '《', '“':
			stack = append(stack, r)
		case '）', ')', '》', '”':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0
}

// Generate writes a corpus of exactly opt.Items numbered items, spread over
// documents of 30 to 60 items each (the last one takes what remains).
func Generate(opt Options) ([]Document, error) {
	var docs []Document
	err := Each(opt, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

// Each writes the corpus of Generate one document at a time, so a large corpus
// need not be held in memory.
func Each(opt Options, fn func(Document) error) error {
	if opt.Items < 1 {
		return fmt.Errorf("synth: a corpus needs at least one item, not %d", opt.Items)
	}
	v, err := loadVocabulary()
	if err != nil {
		return err
	}
	// One stream chooses the sizes, and each document has a stream of its own,
	// so a document's text depends only on the seed and its position.
	sizes := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	left := opt.Items
	for k := 1; left > 0; k++ {
		n := minItems + sizes.IntN(maxItems-minItems+1)
		if n > left || left-n < minItems {
			n = left
			if left > maxItems {
				n = left / 2
			}
		}
		left -= n
		r := rand.New(rand.NewPCG(opt.Seed, uint64(k)))
		id := fmt.Sprintf("synth-%d-%05d", opt.Seed, k)
		if err := fn(Document{ID: id, Text: v.document(r, k, n)}); err != nil {
			return err
		}
	}
	return nil
}

// page lays text out as the PDF extraction does: a line per row, a blank line
// after each, and every linesPerPage rows a page footer and a leading space on
// the first row of the next page.
type page struct {
	b     strings.Builder
	rows  int
	pages int
}

func (p *page) row(s string) {
	if p.rows > 0 && p.rows%linesPerPage == 0 {
		p.pages++
		fmt.Fprintf(&p.b, "— %d —\n\n", p.pages)
		s = " " + s
	}
	p.rows++
	p.b.WriteString(s)
	p.b.WriteString("\n\n")
}

// paragraph breaks text into rows of at most lineWidth, never between two ASCII
// letters or digits: the parser would put a space between joined letters.
func (p *page) paragraph(text string) {
	rs := []rune(text)
	for len(rs) > 0 {
		w, cut := 0, 0
		for cut < len(rs) {
			cw := 1
			if wide(rs[cut]) {
				cw = 2
			}
			if w+cw > lineWidth {
				break
			}
			w += cw
			cut++
		}
		for cut < len(rs) && cut > 1 && asciiWord(rs[cut-1]) && asciiWord(rs[cut]) {
			cut--
		}
		p.row(string(rs[:cut]))
		rs = rs[cut:]
	}
}

func wide(r rune) bool { return r >= 0x80 && r != '·' }

func asciiWord(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// plan is a document before it is laid out: what a yearly series edits.
type plan struct {
	year, number, month, day int
	sections                 []*section
}

// section is a numbered section heading with its subsections; a section without
// subsections holds one with no heading.
type section struct {
	heading string
	subs    []*subsection
}

type subsection struct {
	heading string
	items   []*task
}

// task is a work item: its text without campaigns and departments, the campaigns
// it lists, and its departments (none: 各责任单位). lineage is the same in every
// year's version of the task: the ground truth of an alignment.
type task struct {
	lineage     int
	body        string
	campaigns   []string
	departments []string
}

// document writes document k with n items.
func (v *vocabulary) document(r *rand.Rand, k, n int) []byte {
	return v.render(v.compose(r, k, n), nil)
}

// compose draws document k with n items: a year, a date, and sections of items,
// about half of them in subsections, as in the notice.
func (v *vocabulary) compose(r *rand.Rand, k, n int) *plan {
	pl := &plan{year: 2016 + r.IntN(10), number: k}
	pl.month, pl.day = 1+r.IntN(12), 1+r.IntN(28)
	secs := 3 + r.IntN(3)
	if secs > n {
		secs = n
	}
	perSection := split(r, n, secs)
	lineage := 0
	for _, count := range perSection {
		sec := &section{heading: pick(r, v.sections)}
		pl.sections = append(pl.sections, sec)
		subs := 0
		if r.IntN(4) > 0 && count >= 2 {
			subs = 2 + r.IntN(4)
			if subs > count {
				subs = count
			}
		}
		groups := []int{count}
		if subs > 0 {
			groups = split(r, count, subs)
		}
		for _, c := range groups {
			sub := &subsection{}
			if subs > 0 {
				sub.heading = pick(r, v.subsections)
			}
			sec.subs = append(sec.subs, sub)
			for i := 0; i < c; i++ {
				lineage++
				t := v.task(r)
				t.lineage = lineage
				sub.items = append(sub.items, t)
			}
		}
	}
	return pl
}

// render lays a plan out as the notice's PDF extraction. name gives the name a
// department bore in the plan's year (nil: as the vocabulary has it).
func (v *vocabulary) render(pl *plan, name func(dept string, year int) string) []byte {
	year := fmt.Sprint(pl.year)
	var p page
	// The front matter is the notice's own, with this document's year, 文号 and date.
	for _, l := range v.front {
		switch {
		case l == v.number:
			l = fmt.Sprintf(" 渝纲要办发〔%s〕%d 号", year, pl.number)
		case l == v.dateLine:
			l = fmt.Sprintf("%s 年 %d 月 %d 日", year, pl.month, pl.day)
		default:
			l = strings.ReplaceAll(l, v.year, year)
		}
		p.b.WriteString(l)
		p.b.WriteString("\n")
	}
	item := 0
	for s, sec := range pl.sections {
		p.paragraph(gongwen.Numeral(s+1) + "、" + sec.heading)
		for g, sub := range sec.subs {
			if sub.heading != "" {
				p.paragraph("（" + gongwen.Numeral(g+1) + "）" + sub.heading)
			}
			for _, t := range sub.items {
				item++
				p.paragraph(fmt.Sprintf("%d.%s", item, t.text(pl.year, name)))
			}
		}
	}
	return []byte(p.b.String())
}

// text is the item as written in a year.
func (t *task) text(year int, name func(dept string, year int) string) string {
	var b strings.Builder
	b.WriteString(t.body)
	if len(t.campaigns) > 0 {
		b.WriteString("开展好" + strings.Join(t.campaigns, "、") + "等活动。")
	}
	if len(t.departments) == 0 {
		b.WriteString("（" + gongwen.AllUnits + "）")
		return b.String()
	}
	names := make([]string, len(t.departments))
	for i, d := range t.departments {
		names[i] = d
		if name != nil {
			names[i] = name(d, year)
		}
	}
	b.WriteString("（" + strings.Join(names, "、") + "按职责分工负责）")
	return b.String()
}

// task composes a work item: an opening, sentences taken whole or recombined from
// phrases, now and then a list of campaigns, and the responsible departments.
func (v *vocabulary) task(r *rand.Rand) *task {
	t := &task{}
	var b strings.Builder
	b.WriteString(pick(r, v.openings))
	for i := pickInt(r, v.extra); i > 0; i-- {
		if r.IntN(2) == 0 {
			b.WriteString(pick(r, v.sentences))
			continue
		}
		parts := 2 + r.IntN(2)
		for j := 0; j < parts; j++ {
			if j > 0 {
				b.WriteString("，")
			}
			b.WriteString(pick(r, v.phrases))
		}
		b.WriteString("。")
	}
	t.body = b.String()
	if r.IntN(6) == 0 {
		m := 3 + r.IntN(6)
		t.campaigns = make([]string, m)
		for i := range t.campaigns {
			t.campaigns[i] = pick(r, v.campaigns)
		}
	}
	d := pickInt(r, v.deptCounts)
	if d == 0 {
		return t
	}
	perm := r.Perm(len(v.departments))
	for _, i := range perm[:min(d, len(perm))] {
		t.departments = append(t.departments, v.departments[i])
	}
	return t
}

// split divides n into parts of at least one, at random.
func split(r *rand.Rand, n, parts int) []int {
	out := make([]int, parts)
	for i := range out {
		out[i] = 1
	}
	for i := n - parts; i > 0; i-- {
		out[r.IntN(parts)]++
	}
	return out
}

func pick(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }

func pickInt(r *rand.Rand, from []int) int { return from[r.IntN(len(from))] }
