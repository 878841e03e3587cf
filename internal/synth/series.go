package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"policysearch/corpus"
	"policysearch/internal/department"
	"policysearch/internal/segment"
)

// SeriesOptions size a yearly series: the same office's plan, year after year,
// each year made from the one before by known edits.
type SeriesOptions struct {
	Years     int    // documents in the series
	Items     int    // items of the first year's document
	Seed      uint64 // the same seed gives the same series
	FirstYear int    // the first document's year; 0 means 2016
	// RewordMin and RewordMax bound the share of a reworded item's words that are
	// replaced or reordered; zero means a third to a half.
	RewordMin, RewordMax float64
}

// Per year, of the items of the year before: deleted, and as many inserted;
// moved to another section; reworded; given other departments. One item gains
// a list of campaigns and one loses its own.
const (
	deleteShare = 0.06
	insertShare = 0.06
	moveShare   = 0.10
	rewordShare = 0.20
	deptShare   = 0.10
)

// Edits is what made one year's document from the previous year's: the ground
// truth a comparison of the two is measured against. Items are numbers.
type Edits struct {
	From     string   `json:"from"` // document ids
	To       string   `json:"to"`
	Pairs    [][2]int `json:"pairs"`    // the same task: number in From, number in To
	Inserted []int    `json:"inserted"` // numbers in To
	Deleted  []int    `json:"deleted"`  // numbers in From
	Moved    []int    `json:"moved"`    // numbers in To, now in another section
	// Reworded are numbers in To with the share of words replaced or reordered.
	Reworded    []Reworded       `json:"reworded"`
	Departments []DepartmentEdit `json:"departments"`
	// CampaignsAdded and CampaignsDropped are numbers in To and in From of the
	// items that gained a list of campaigns and lost theirs.
	CampaignsAdded   []int `json:"campaigns_added"`
	CampaignsDropped []int `json:"campaigns_dropped"`
}

// Reworded is an item whose words were replaced or reordered.
type Reworded struct {
	To    int     `json:"to"`
	Share float64 `json:"share"`
}

// DepartmentEdit is an item given other departments, by their current names.
type DepartmentEdit struct {
	To      int      `json:"to"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Series writes a yearly series with the edits between consecutive years. The
// documents name a renamed department by the name it bore that year (市科委
// before 2018), as real series do. seg cuts the items into the words a
// rewording replaces.
func Series(opt SeriesOptions, seg *segment.Segmenter) ([]Document, []Edits, error) {
	if opt.Years < 1 || opt.Items < 3 {
		return nil, nil, fmt.Errorf("synth: a series needs a year and three items, not %d years of %d", opt.Years, opt.Items)
	}
	if opt.FirstYear == 0 {
		opt.FirstYear = 2016
	}
	if opt.RewordMin == 0 && opt.RewordMax == 0 {
		opt.RewordMin, opt.RewordMax = 1.0/3, 0.5
	}
	if opt.RewordMin <= 0 || opt.RewordMax > 1 || opt.RewordMin > opt.RewordMax {
		return nil, nil, fmt.Errorf("synth: reword shares %.2f–%.2f are not a range within (0, 1]", opt.RewordMin, opt.RewordMax)
	}
	v, err := loadVocabulary()
	if err != nil {
		return nil, nil, err
	}
	renames, err := department.ParseRenames(corpus.RenamesTSV())
	if err != nil {
		return nil, nil, err
	}
	e := &editor{v: v, seg: seg, opt: opt, words: vocabularyWords(v, seg)}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5e41e5))
	pl := v.compose(r, 1, opt.Items)
	for _, sec := range pl.sections {
		for _, sub := range sec.subs {
			e.lineages += len(sub.items)
		}
	}
	var docs []Document
	var edits []Edits
	id := func(year int) string { return fmt.Sprintf("series-%d-%d", opt.Seed, year) }
	for k := 0; k < opt.Years; k++ {
		if k > 0 {
			r = rand.New(rand.NewPCG(opt.Seed, uint64(k)))
			next, log := e.nextYear(r, pl)
			log.From, log.To = id(pl.year), id(next.year)
			edits = append(edits, log)
			pl = next
		}
		pl.year = opt.FirstYear + k
		pl.number = 2
		docs = append(docs, Document{ID: id(pl.year), Text: v.render(pl, renames.NameIn)})
	}
	return docs, edits, nil
}

// vocabularyWords are the words of the notice's items a rewording draws from.
func vocabularyWords(v *vocabulary, seg *segment.Segmenter) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{v.openings, v.sentences} {
		for _, s := range list {
			for _, p := range seg.Pieces(s) {
				// Digits are left out: a word such as 2022 at the start of a
				// row could be read as an item's number.
				if p.Term != "" && len([]rune(p.Text)) >= 2 && !strings.ContainsAny(p.Text, "0123456789") && !seen[p.Text] {
					seen[p.Text] = true
					out = append(out, p.Text)
				}
			}
		}
	}
	return out
}

type editor struct {
	v        *vocabulary
	seg      *segment.Segmenter
	opt      SeriesOptions
	words    []string
	lineages int // the last lineage given
}

// slot is where an item sits in a plan.
type slot struct {
	sec, sub int
}

// nextYear makes next year's plan from pl, and says how.
func (e *editor) nextYear(r *rand.Rand, pl *plan) (*plan, Edits) {
	next := &plan{year: pl.year + 1, month: 1 + r.IntN(12), day: 1 + r.IntN(28)}
	for _, sec := range pl.sections {
		ns := &section{heading: sec.heading}
		for _, sub := range sec.subs {
			nsub := &subsection{heading: sub.heading}
			for _, t := range sub.items {
				c := *t
				c.departments = append([]string(nil), t.departments...)
				c.campaigns = append([]string(nil), t.campaigns...)
				nsub.items = append(nsub.items, &c)
			}
			ns.subs = append(ns.subs, nsub)
		}
		next.sections = append(next.sections, ns)
	}
	before := numbers(pl)
	n := len(before)
	count := func(share float64) int { return max(1, int(math.Round(share*float64(n)))) }

	deleted := map[int]bool{}
	for _, l := range pickLineages(r, next, count(deleteShare), nil) {
		if t, _ := remove(next, l); t != nil {
			deleted[l] = true
		}
	}
	moved := map[int]bool{}
	if len(next.sections) > 1 {
		for _, l := range pickLineages(r, next, count(moveShare), nil) {
			t, at := remove(next, l)
			if t == nil {
				continue
			}
			moved[l] = true
			secs := r.Perm(len(next.sections))
			to := secs[0]
			if to == at.sec {
				to = secs[1]
			}
			subs := next.sections[to].subs
			sub := subs[r.IntN(len(subs))]
			pos := r.IntN(len(sub.items) + 1)
			sub.items = append(sub.items[:pos], append([]*task{t}, sub.items[pos:]...)...)
		}
	}
	reworded := map[int]float64{}
	for _, l := range pickLineages(r, next, count(rewordShare), nil) {
		t := find(next, l)
		share := e.opt.RewordMin + r.Float64()*(e.opt.RewordMax-e.opt.RewordMin)
		t.body = e.reword(r, t.body, share)
		reworded[l] = share
	}
	depts := map[int]DepartmentEdit{}
	hasDepts := func(t *task) bool { return len(t.departments) > 0 }
	for _, l := range pickLineages(r, next, count(deptShare), hasDepts) {
		depts[l] = e.changeDepartments(r, find(next, l))
	}
	campaignsDropped := map[int]bool{}
	hasCampaigns := func(t *task) bool { return len(t.campaigns) > 0 }
	for _, l := range pickLineages(r, next, 1, hasCampaigns) {
		find(next, l).campaigns = nil
		campaignsDropped[l] = true
	}
	campaignsAdded := map[int]bool{}
	noCampaigns := func(t *task) bool { return len(t.campaigns) == 0 && !campaignsDropped[t.lineage] }
	for _, l := range pickLineages(r, next, 1, noCampaigns) {
		t := find(next, l)
		for _, i := range r.Perm(len(e.v.campaigns))[:3] {
			t.campaigns = append(t.campaigns, e.v.campaigns[i])
		}
		campaignsAdded[l] = true
	}
	inserted := map[int]bool{}
	for i := count(insertShare); i > 0; i-- {
		t := e.v.task(r)
		e.lineages++
		t.lineage = e.lineages
		inserted[t.lineage] = true
		sec := next.sections[r.IntN(len(next.sections))]
		sub := sec.subs[r.IntN(len(sec.subs))]
		pos := r.IntN(len(sub.items) + 1)
		sub.items = append(sub.items[:pos], append([]*task{t}, sub.items[pos:]...)...)
	}

	after := numbers(next)
	log := Edits{Pairs: [][2]int{}, Inserted: []int{}, Deleted: []int{}, Moved: []int{}, Reworded: []Reworded{},
		Departments: []DepartmentEdit{}, CampaignsAdded: []int{}, CampaignsDropped: []int{}}
	for _, l := range sortedLineages(after) {
		to := after[l]
		switch from, ok := before[l]; {
		case ok:
			log.Pairs = append(log.Pairs, [2]int{from, to})
		default:
			log.Inserted = append(log.Inserted, to)
		}
		if moved[l] {
			log.Moved = append(log.Moved, to)
		}
		if s, ok := reworded[l]; ok {
			log.Reworded = append(log.Reworded, Reworded{To: to, Share: math.Round(s*100) / 100})
		}
		if d, ok := depts[l]; ok {
			d.To = to
			log.Departments = append(log.Departments, d)
		}
		if campaignsAdded[l] {
			log.CampaignsAdded = append(log.CampaignsAdded, to)
		}
	}
	for _, l := range sortedLineages(before) {
		if deleted[l] {
			log.Deleted = append(log.Deleted, before[l])
		}
		if campaignsDropped[l] {
			log.CampaignsDropped = append(log.CampaignsDropped, before[l])
		}
	}
	sort.Ints(log.Inserted)
	sort.Ints(log.Deleted)
	sort.Ints(log.Moved)
	sort.Ints(log.CampaignsAdded)
	sort.Ints(log.CampaignsDropped)
	sort.Slice(log.Pairs, func(i, j int) bool { return log.Pairs[i][1] < log.Pairs[j][1] })
	sort.Slice(log.Reworded, func(i, j int) bool { return log.Reworded[i].To < log.Reworded[j].To })
	sort.Slice(log.Departments, func(i, j int) bool { return log.Departments[i].To < log.Departments[j].To })
	return next, log
}

// reword replaces or reorders a share of the text's words: each chosen word is
// either replaced by a word of the notice's items or swapped with another
// chosen word, half of them each way.
func (e *editor) reword(r *rand.Rand, text string, share float64) string {
	pieces := e.seg.Pieces(text)
	var words []int
	for i, p := range pieces {
		// Words with digits stay where they are: one moved to the start of the
		// item would run into its number (8.2021年…) and hide the item.
		if p.Term != "" && !strings.ContainsAny(p.Text, "0123456789") {
			words = append(words, i)
		}
	}
	k := int(math.Round(share * float64(len(words))))
	chosen := r.Perm(len(words))[:k]
	// Half of the chosen words, an even number, trade places in pairs; the
	// others are replaced.
	swaps := k / 2
	swaps -= swaps % 2
	for i := 0; i < swaps; i += 2 {
		a, b := words[chosen[i]], words[chosen[i+1]]
		pieces[a].Text, pieces[b].Text = pieces[b].Text, pieces[a].Text
	}
	for _, c := range chosen[swaps:] {
		w := pieces[words[c]].Text
		for tries := 0; tries < 10 && w == pieces[words[c]].Text; tries++ {
			w = pick(r, e.words)
		}
		pieces[words[c]].Text = w
	}
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(p.Text)
	}
	return b.String()
}

// changeDepartments adds a department, removes one or puts one in another's place.
func (e *editor) changeDepartments(r *rand.Rand, t *task) DepartmentEdit {
	var d DepartmentEdit
	var others []string
	listed := map[string]bool{}
	for _, n := range t.departments {
		listed[n] = true
	}
	for _, n := range e.v.departments {
		if !listed[n] {
			others = append(others, n)
		}
	}
	op := r.IntN(3)
	if op == 1 && len(t.departments) < 2 {
		op = 0
	}
	if len(others) == 0 {
		op = 1
	}
	switch op {
	case 0: // add
		n := pick(r, others)
		t.departments = append(t.departments, n)
		d.Added = []string{n}
	case 1: // remove
		i := r.IntN(len(t.departments))
		d.Removed = []string{t.departments[i]}
		t.departments = append(t.departments[:i], t.departments[i+1:]...)
	default: // replace
		i := r.IntN(len(t.departments))
		n := pick(r, others)
		d.Removed, d.Added = []string{t.departments[i]}, []string{n}
		t.departments[i] = n
	}
	return d
}

// numbers maps each task's lineage to its item number.
func numbers(pl *plan) map[int]int {
	out := map[int]int{}
	n := 0
	for _, sec := range pl.sections {
		for _, sub := range sec.subs {
			for _, t := range sub.items {
				n++
				out[t.lineage] = n
			}
		}
	}
	return out
}

func sortedLineages(m map[int]int) []int {
	out := make([]int, 0, len(m))
	for l := range m {
		out = append(out, l)
	}
	sort.Ints(out)
	return out
}

// pickLineages chooses up to n tasks at random among those that qualify
// (every task when ok is nil), never emptying a subsection.
func pickLineages(r *rand.Rand, pl *plan, n int, ok func(*task) bool) []int {
	var all []int
	for _, sec := range pl.sections {
		for _, sub := range sec.subs {
			if len(sub.items) < 2 {
				continue
			}
			for _, t := range sub.items {
				if ok == nil || ok(t) {
					all = append(all, t.lineage)
				}
			}
		}
	}
	out := []int{}
	for _, i := range r.Perm(len(all)) {
		if len(out) == n {
			break
		}
		out = append(out, all[i])
	}
	return out
}

func find(pl *plan, lineage int) *task {
	for _, sec := range pl.sections {
		for _, sub := range sec.subs {
			for _, t := range sub.items {
				if t.lineage == lineage {
					return t
				}
			}
		}
	}
	return nil
}

// remove takes a task out of its subsection, unless that would empty it (nil):
// a subsection heading with no items would become a clause of its own.
func remove(pl *plan, lineage int) (*task, slot) {
	for s, sec := range pl.sections {
		for u, sub := range sec.subs {
			for i, t := range sub.items {
				if t.lineage == lineage {
					if len(sub.items) < 2 {
						return nil, slot{}
					}
					sub.items = append(sub.items[:i], sub.items[i+1:]...)
					return t, slot{s, u}
				}
			}
		}
	}
	return nil, slot{}
}
