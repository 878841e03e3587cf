// Package compare answers "what changed since last year?" for two documents of
// a yearly series: which work items are the same task (even renumbered, moved to
// another section or reworded), which are new and which were dropped, what each
// department gained, lost and kept, and which campaigns appeared or vanished.
package compare

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Run is a stretch of a word-level diff: text both items share (equal), text
// only the later one has (insert) or only the earlier one had (delete). The runs
// of a diff joined in order, without the inserts, are the earlier text; without
// the deletes, the later one.
type Run struct {
	Op   string `json:"op"` // equal, insert or delete
	Text string `json:"text"`
}

// The operations of a Run.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// Pair is an item of the earlier document and the item of the later one that is
// the same task.
type Pair struct {
	From       string  `json:"from"` // clause id in the earlier document
	To         string  `json:"to"`   // clause id in the later one
	FromNumber int     `json:"from_number"`
	ToNumber   int     `json:"to_number"`
	Similarity float64 `json:"similarity"` // cosine of the items' weighted words, 0–1
	Changed    bool    `json:"changed"`    // the text differs
	// Moved is true when the item left the section that most of its section's
	// items went to: a renumbered section is not a move, a task handed to
	// another section is.
	Moved bool  `json:"moved"`
	Diff  []Run `json:"diff"`
}

// DepartmentChange is what one department's share of the tasks did between the
// years, by the department's current name (a renamed unit is one unit).
type DepartmentChange struct {
	Name   string   `json:"name"`
	Gained []string `json:"gained"` // clause ids in the later document
	Lost   []string `json:"lost"`   // clause ids in the earlier document
	Kept   []string `json:"kept"`   // clause ids in the later document
	// Formerly lists the former names the earlier document used for it.
	Formerly []string `json:"formerly,omitempty"`
}

// CampaignChange lists the campaigns named this year and not last, and those no
// longer named.
type CampaignChange struct {
	New     []string `json:"new"`
	Dropped []string `json:"dropped"`
}

// Result is the comparison of two documents' items.
type Result struct {
	From        gongwen.Document   `json:"from"` // metadata and outline, without clauses
	To          gongwen.Document   `json:"to"`
	Pairs       []Pair             `json:"pairs"`   // in the later document's order
	New         []string           `json:"new"`     // items only in the later document
	Dropped     []string           `json:"dropped"` // items only in the earlier one
	Departments []DepartmentChange `json:"departments"`
	Campaigns   CampaignChange     `json:"campaigns"`
}

// Comparer compares documents with the process's jieba instance and the table of
// renamed departments.
type Comparer struct {
	seg     *segment.Segmenter
	renames *department.Renames
}

// New makes a Comparer.
func New(seg *segment.Segmenter, renames *department.Renames) *Comparer {
	return &Comparer{seg: seg, renames: renames}
}

// Similarity thresholds, measured on generated series (see docs/QUALITY.md): a
// pair at or above sure is taken on its words alone; a pair between likely and
// sure only when the items around it are paired the same way, which is how a
// heavily reworded task in its old place is told from a new task that happens to
// share phrases with a dropped one.
const (
	sure   = 0.45
	likely = 0.2
)

// item is an item clause with the words it is compared by.
type item struct {
	c      *gongwen.Clause
	pos    int // index among the document's items
	pieces []segment.Piece
	tf     map[string]float64
	vec    []weight // tf × idf by word number, set once both documents are read
	norm   float64
}

// weight is a word's weight in an item, the word numbered in the comparison.
type weight struct {
	word int
	w    float64
}

// deptTailRe is the list of responsible departments that closes an item. It is
// left out of the words that pair items: a task handed to another department
// is still the same task.
var deptTailRe = regexp.MustCompile(`（[^（）]*(?:（[^（）]*）[^（）]*)*）\s*$`)

func (c *Comparer) items(d *gongwen.Document) []*item {
	var out []*item
	for i := range d.Clauses {
		cl := &d.Clauses[i]
		if cl.Kind != gongwen.KindItem {
			continue
		}
		it := &item{c: cl, pos: len(out), pieces: c.seg.Pieces(cl.Text), tf: map[string]float64{}}
		body := len(cl.Text)
		if len(cl.Departments) > 0 {
			if loc := deptTailRe.FindStringIndex(cl.Text); loc != nil {
				body = loc[0]
			}
		}
		// The tail opens with （, a piece of its own: the body's words are the
		// pieces before it.
		at := 0
		for _, p := range it.pieces {
			if at >= body {
				break
			}
			at += len(p.Text)
			if p.Term != "" {
				it.tf[p.Term]++
			}
		}
		out = append(out, it)
	}
	return out
}

// Compare aligns the items of from (the earlier document) with those of to.
func (c *Comparer) Compare(from, to *gongwen.Document) (*Result, error) {
	if from == nil || to == nil {
		return nil, fmt.Errorf("compare: two documents are needed")
	}
	if from.ID == to.ID {
		return nil, fmt.Errorf("compare: a document compared with itself (%s)", from.ID)
	}
	a, b := c.items(from), c.items(to)
	weigh(a, b)
	match := align(a, b)

	res := &Result{From: withoutClauses(from), To: withoutClauses(to),
		Pairs: []Pair{}, New: []string{}, Dropped: []string{}, Departments: []DepartmentChange{}}
	moved := movedPairs(a, b, match)
	paired := make([]bool, len(a))
	for j, it := range b {
		i, ok := match[j]
		if !ok {
			res.New = append(res.New, it.c.ID)
			continue
		}
		paired[i] = true
		p := Pair{From: a[i].c.ID, To: it.c.ID, FromNumber: a[i].c.Number, ToNumber: it.c.Number,
			Similarity: math.Round(cosine(a[i], it)*1000) / 1000, Changed: a[i].c.Text != it.c.Text,
			Moved: moved[j], Diff: diff(a[i].pieces, it.pieces)}
		res.Pairs = append(res.Pairs, p)
	}
	for i, it := range a {
		if !paired[i] {
			res.Dropped = append(res.Dropped, it.c.ID)
		}
	}
	res.Departments = c.departments(a, b, match)
	res.Campaigns = campaigns(a, b)
	return res, nil
}

func withoutClauses(d *gongwen.Document) gongwen.Document {
	out := *d
	out.Clauses = nil
	return out
}

// weigh sets each item's vector: a word's weight falls with the number of items
// of the two documents that use it, so the stock phrases every item of a 工作要点
// repeats (加强, 推进, 科普) pair items less than the words of the task itself.
func weigh(a, b []*item) {
	df := map[string]int{}
	for _, list := range [][]*item{a, b} {
		for _, it := range list {
			for w := range it.tf {
				df[w]++
			}
		}
	}
	n := float64(len(a) + len(b))
	number := map[string]int{}
	for _, list := range [][]*item{a, b} {
		for _, it := range list {
			it.vec = make([]weight, 0, len(it.tf))
			// Words in a fixed order: sums in map order would differ in their
			// last bits from run to run.
			for _, w := range sortedKeys(it.tf) {
				f := it.tf[w]
				id, ok := number[w]
				if !ok {
					id = len(number)
					number[w] = id
				}
				v := f * math.Log(1+n/float64(df[w]))
				it.vec = append(it.vec, weight{id, v})
				it.norm += v * v
			}
			sort.Slice(it.vec, func(p, q int) bool { return it.vec[p].word < it.vec[q].word })
			it.norm = math.Sqrt(it.norm)
		}
	}
}

func cosine(x, y *item) float64 {
	if x.norm == 0 || y.norm == 0 {
		return 0
	}
	dot := 0.0
	for p, q := 0, 0; p < len(x.vec) && q < len(y.vec); {
		switch {
		case x.vec[p].word < y.vec[q].word:
			p++
		case x.vec[p].word > y.vec[q].word:
			q++
		default:
			dot += x.vec[p].w * y.vec[q].w
			p++
			q++
		}
	}
	return dot / (x.norm * y.norm)
}

// align pairs items: most similar first, then, among the less similar, those
// whose neighbours are paired in the same order. It returns, for each paired
// item of b, its item of a.
func align(a, b []*item) map[int]int {
	type cand struct {
		i, j int
		sim  float64
		off  float64 // distance between the items' relative positions
	}
	var cands []cand
	for i, x := range a {
		for j, y := range b {
			if s := cosine(x, y); s >= likely {
				off := math.Abs(float64(i)/float64(len(a)) - float64(j)/float64(len(b)))
				cands = append(cands, cand{i, j, s, off})
			}
		}
	}
	sort.Slice(cands, func(p, q int) bool {
		if cands[p].sim != cands[q].sim {
			return cands[p].sim > cands[q].sim
		}
		if cands[p].off != cands[q].off {
			return cands[p].off < cands[q].off
		}
		if cands[p].j != cands[q].j {
			return cands[p].j < cands[q].j
		}
		return cands[p].i < cands[q].i
	})
	ofB := map[int]int{}
	ofA := map[int]int{}
	take := func(c cand) {
		ofB[c.j] = c.i
		ofA[c.i] = c.j
	}
	for _, c := range cands {
		if c.sim < sure {
			break
		}
		if _, ok := ofB[c.j]; ok {
			continue
		}
		if _, ok := ofA[c.i]; ok {
			continue
		}
		take(c)
	}
	// Each pair taken may give its neighbours the support they lacked.
	for changed := true; changed; {
		changed = false
		for _, c := range cands {
			if c.sim >= sure {
				continue
			}
			if _, ok := ofB[c.j]; ok {
				continue
			}
			if _, ok := ofA[c.i]; ok {
				continue
			}
			before, okb := ofB[c.j-1]
			after, oka := ofB[c.j+1]
			if (okb && before == c.i-1) || (oka && after == c.i+1) {
				take(c)
				changed = true
			}
		}
	}
	return ofB
}

// movedPairs marks the pairs whose item went to another section than the one
// most items of its section went to.
func movedPairs(a, b []*item, match map[int]int) map[int]bool {
	votes := map[string]map[string]int{}
	for j, i := range match {
		from, to := a[i].c.Section, b[j].c.Section
		if votes[from] == nil {
			votes[from] = map[string]int{}
		}
		votes[from][to]++
	}
	counterpart := map[string]string{}
	for from, tos := range votes {
		best, n := "", -1
		for to, v := range tos {
			if v > n || (v == n && to < best) {
				best, n = to, v
			}
		}
		counterpart[from] = best
	}
	moved := map[int]bool{}
	for j, i := range match {
		moved[j] = b[j].c.Section != counterpart[a[i].c.Section]
	}
	return moved
}

// diff compares two texts word by word: each distinct word stands for one
// character of a private-use alphabet, so that the diff library's character
// diff and semantic cleanup work on jieba's words and never split one.
func diff(x, y []segment.Piece) []Run {
	code := map[string]rune{}
	var words []string
	encode := func(ps []segment.Piece) []rune {
		out := make([]rune, len(ps))
		for k, p := range ps {
			r, ok := code[p.Text]
			if !ok {
				r = privateUse(len(words))
				code[p.Text] = r
				words = append(words, p.Text)
			}
			out[k] = r
		}
		return out
	}
	ex, ey := encode(x), encode(y)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ds := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ex, ey, false))
	runs := []Run{}
	for _, d := range ds {
		var b strings.Builder
		for _, r := range d.Text {
			b.WriteString(words[decode(r)])
		}
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		if n := len(runs); n > 0 && runs[n-1].Op == op {
			runs[n-1].Text += b.String()
			continue
		}
		runs = append(runs, Run{Op: op, Text: b.String()})
	}
	return runs
}

// The private-use areas: the BMP's first, then plane 15's, enough for any two
// items' distinct words.
const (
	bmpPrivate    = 0xE000
	bmpPrivateLen = 0xF900 - 0xE000
	planePrivate  = 0xF0000
)

func privateUse(n int) rune {
	if n < bmpPrivateLen {
		return rune(bmpPrivate + n)
	}
	return rune(planePrivate + n - bmpPrivateLen)
}

func decode(r rune) int {
	if r >= planePrivate {
		return int(r-planePrivate) + bmpPrivateLen
	}
	return int(r - bmpPrivate)
}

// departments tells, for each department by its current name, the items it
// gained, lost and kept.
func (c *Comparer) departments(a, b []*item, match map[int]int) []DepartmentChange {
	byName := map[string]*DepartmentChange{}
	formerly := map[string]map[string]bool{}
	get := func(name string) *DepartmentChange {
		d := byName[name]
		if d == nil {
			d = &DepartmentChange{Name: name, Gained: []string{}, Lost: []string{}, Kept: []string{}}
			byName[name] = d
		}
		return d
	}
	set := func(it *item, noteFormer bool) map[string]bool {
		out := map[string]bool{}
		for _, n := range it.c.Departments {
			cur := c.renames.Current(n)
			out[cur] = true
			if noteFormer && cur != n {
				if formerly[cur] == nil {
					formerly[cur] = map[string]bool{}
				}
				formerly[cur][n] = true
			}
		}
		return out
	}
	fromSets := make([]map[string]bool, len(a))
	for i, it := range a {
		fromSets[i] = set(it, true)
	}
	paired := make([]bool, len(a))
	for j, it := range b {
		now := set(it, false)
		i, ok := match[j]
		var before map[string]bool
		if ok {
			paired[i] = true
			before = fromSets[i]
		}
		for _, n := range it.c.Departments {
			cur := c.renames.Current(n)
			if !now[cur] {
				continue // listed twice
			}
			now[cur] = false
			if before[cur] {
				get(cur).Kept = append(get(cur).Kept, it.c.ID)
			} else {
				get(cur).Gained = append(get(cur).Gained, it.c.ID)
			}
		}
		if ok {
			for _, n := range sortedKeys(before) {
				if _, listed := now[n]; !listed {
					get(n).Lost = append(get(n).Lost, a[i].c.ID)
				}
			}
		}
	}
	for i, it := range a {
		if paired[i] {
			continue
		}
		for _, n := range sortedKeys(fromSets[i]) {
			get(n).Lost = append(get(n).Lost, it.c.ID)
		}
	}
	out := make([]DepartmentChange, 0, len(byName))
	for _, name := range sortedKeys(byName) {
		d := byName[name]
		d.Formerly = sortedKeys(formerly[name])
		out = append(out, *d)
	}
	// Lost ids were added pair by pair in the later document's order; give them
	// the earlier document's.
	pos := map[string]int{}
	for _, it := range a {
		pos[it.c.ID] = it.pos
	}
	for k := range out {
		sort.SliceStable(out[k].Lost, func(p, q int) bool { return pos[out[k].Lost[p]] < pos[out[k].Lost[q]] })
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// campaigns lists the campaigns the later document's items name and the earlier
// one's do not, and the reverse, each in order of first mention.
func campaigns(a, b []*item) CampaignChange {
	names := func(list []*item) ([]string, map[string]bool) {
		var order []string
		seen := map[string]bool{}
		for _, it := range list {
			for _, n := range campaign.Names(it.c.Text) {
				if !seen[n] {
					seen[n] = true
					order = append(order, n)
				}
			}
		}
		return order, seen
	}
	before, had := names(a)
	after, has := names(b)
	out := CampaignChange{New: []string{}, Dropped: []string{}}
	for _, n := range after {
		if !had[n] {
			out.New = append(out.New, n)
		}
	}
	for _, n := range before {
		if !has[n] {
			out.Dropped = append(out.Dropped, n)
		}
	}
	return out
}
