package index

import (
	"slices"

	"policysearch/internal/gongwen"
)

// Runs: a document's clauses mostly share its title, and consecutive ones
// their path of headings, so the fields made of them (title, title_gram,
// title_char; path_gram, path_char) are indexed only on the first clause of
// each run of equal values, its leader: written on every clause, they were a
// fifth of a build's postings. A search reads such a field's posting list of
// leaders, and each posting stands for the leader's run (numbering.runs), so
// that the search finds, counts and scores each clause exactly as if the
// clause held the field itself: the same clauses, the same frequencies and
// norms (a run's values are equal), the same document frequency. The lists
// stay lists of leaders, a few for a title word that thousands of clauses
// hold.

// everyClauseLeads makes every clause a run of its own: the layout of every
// field on every clause, which the tests compare with. (A variable for them.)
var everyClauseLeads = false

// runLead says which runs a clause leads.
type runLead struct{ title, path bool }

// leads is which runs clause i of d leads: a run is the clauses of one
// document, consecutive in its list, with the same title (or the same path).
// Building and opening an index both decide it here, from the document alone.
func leads(d *gongwen.Document, i int) runLead {
	if i <= 0 || everyClauseLeads { // (a clause not found in d leads: it holds every field)
		return runLead{true, true}
	}
	c, prev := &d.Clauses[i], &d.Clauses[i-1]
	return runLead{title: c.Title != prev.Title, path: !slices.Equal(c.Path, prev.Path)}
}

// clauseIndex is c's place in d's clauses.
func clauseIndex(d *gongwen.Document, c *gongwen.Clause) int {
	for i := range d.Clauses {
		if &d.Clauses[i] == c || d.Clauses[i].ID == c.ID {
			return i
		}
	}
	return -1
}

const (
	titleRuns = iota
	pathRuns
)

// runsOf is which runs a field is indexed by, or -1 for a field on every
// clause.
func runsOf(field string) int {
	switch field {
	case "title", "title_gram", "title_char":
		return titleRuns
	case "path_gram", "path_char":
		return pathRuns
	}
	return -1
}

// runTable holds every run's members by its leader's number: the members of
// the run led by number l are members[off[l]:off[l+1]], ascending, the leader
// among them; a number that leads nothing has none. leaderOf is the other way.
type runTable struct {
	off      []int32
	members  []int32
	leaderOf []int32 // number → its run's leader's number, -1 for none
}

// newRunTables makes the tables of title and path runs of the numbering's
// clauses.
func newRunTables(n *numbering, store *clauseStore) [2]runTable {
	var out [2]runTable
	for k := range out {
		out[k].leaderOf = make([]int32, n.size)
		for i := range out[k].leaderOf {
			out[k].leaderOf[i] = -1
		}
	}
	for _, d := range store.docs {
		var leader [2]int32
		for i := range d.Clauses {
			o, ok := store.byID[d.Clauses[i].ID]
			if !ok {
				continue
			}
			num := n.number[o]
			lead := leads(d, i)
			for k, starts := range [2]bool{lead.title, lead.path} {
				if starts {
					leader[k] = num
				}
				out[k].leaderOf[num] = leader[k]
			}
		}
	}
	for k := range out {
		t := &out[k]
		t.off = make([]int32, n.size+1)
		for _, l := range t.leaderOf {
			if l >= 0 {
				t.off[l+1]++
			}
		}
		for i := 1; i < len(t.off); i++ {
			t.off[i] += t.off[i-1]
		}
		t.members = make([]int32, t.off[n.size])
		next := slices.Clone(t.off[:n.size])
		for num, l := range t.leaderOf {
			if l >= 0 {
				t.members[next[l]] = int32(num)
				next[l]++
			}
		}
	}
	return out
}

// size is how many clauses the runs of leaders hold.
func (t *runTable) size(leaders []int32) int {
	n := 0
	for _, l := range leaders {
		n += int(t.off[l+1] - t.off[l])
	}
	return n
}

// spread is the clauses of the runs whose leaders are in leaders.
func (t *runTable) spread(leaders bitset) bitset {
	b := newBitset(len(leaders) * 64)
	leaders.each(func(l int) bool {
		t.addRun(l, b)
		return true
	})
	return b
}

// fill adds the clauses of the runs of leaders to b.
func (t *runTable) fill(leaders []int32, b bitset) {
	for _, l := range leaders {
		t.addRun(int(l), b)
	}
}

// addRun adds the clauses of the run led by number l to b.
func (t *runTable) addRun(l int, b bitset) {
	for _, m := range t.members[t.off[l]:t.off[l+1]] {
		b.set(int(m))
	}
}

// eachInRuns is termWeights.each for a term of leaders: every document of
// docs whose run's leader holds the term gets the leader's weight.
func (tw *termWeights) eachInRuns(docs []int, f func(k int, w float64)) {
	leaders, leaderOf := tw.docs, tw.runs.leaderOf
	last, at := int32(-1), -1 // the last leader looked up, and its place or -1
	for k, d := range docs {
		l := leaderOf[d]
		if l < 0 {
			continue
		}
		if l != last {
			last, at = l, -1
			if j, found := slices.BinarySearch(leaders, l); found {
				at = j
			}
		}
		if at >= 0 {
			f(k, tw.w[at])
		}
	}
}
