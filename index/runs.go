package index

import (
	"slices"
	"sort"

	"policysearch/internal/gongwen"
)

// Runs: a document's clauses mostly share its title, and consecutive ones
// their path of headings, so the fields made of them (title, title_gram,
// title_char; path_gram, path_char) are indexed only on the first clause of
// each run of equal values, its leader. Written on every clause, they were a
// quarter of a build's postings and of its time. A search reads such a
// field's posting list of leaders and spreads every posting over the leader's
// run (numbering.runs), so that it finds, counts and scores each clause
// exactly as if the clause held the field itself: the same clauses, the same
// frequencies and norms (a run's values are equal), the same document
// frequency.

// runLead says which runs a clause leads.
type runLead struct{ title, path bool }

// leads is which runs clause i of d leads: a run is the clauses of one
// document, consecutive in its list, with the same title (or the same path).
// Building and opening an index both decide it here, from the document alone.
func leads(d *gongwen.Document, i int) runLead {
	if i == 0 {
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
// among them; a number that leads nothing has none.
type runTable struct {
	off     []int32
	members []int32
}

// newRunTables makes the tables of title and path runs of the numbering's
// clauses.
func newRunTables(n *numbering, store *clauseStore) [2]runTable {
	var byLeader [2][][]int32 // by run kind, the members of each leader's run, by number
	for k := range byLeader {
		byLeader[k] = make([][]int32, n.size)
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
				byLeader[k][leader[k]] = append(byLeader[k][leader[k]], num)
			}
		}
	}
	var out [2]runTable
	for k := range out {
		t := runTable{off: make([]int32, n.size+1), members: make([]int32, 0, len(store.clauses))}
		for num, members := range byLeader[k] {
			slices.Sort(members)
			t.members = append(t.members, members...)
			t.off[num+1] = int32(len(t.members))
		}
		out[k] = t
	}
	return out
}

// spread is tw with every leader's posting given to each member of its run.
func (t *runTable) spread(tw *termWeights) *termWeights {
	out := &termWeights{}
	for i, l := range tw.docs {
		for _, m := range t.members[t.off[l]:t.off[l+1]] {
			out.docs = append(out.docs, m)
			out.w = append(out.w, tw.w[i])
		}
	}
	// Runs of different parts interleave where a clause was indexed again
	// in a newer part (numbering.go).
	if !sort.SliceIsSorted(out.docs, func(i, j int) bool { return out.docs[i] < out.docs[j] }) {
		sort.Sort(byDoc{out})
	}
	return out
}

// byDoc sorts a term's postings by document number.
type byDoc struct{ tw *termWeights }

func (b byDoc) Len() int           { return len(b.tw.docs) }
func (b byDoc) Less(i, j int) bool { return b.tw.docs[i] < b.tw.docs[j] }
func (b byDoc) Swap(i, j int) {
	b.tw.docs[i], b.tw.docs[j] = b.tw.docs[j], b.tw.docs[i]
	b.tw.w[i], b.tw.w[j] = b.tw.w[j], b.tw.w[i]
}
