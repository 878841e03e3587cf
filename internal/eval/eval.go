// Package eval runs relevance checks (literal, and, phrase, dept, rank, and the
// queries typed otherwise: script, pinyin) against a search engine and reports,
// per kind, what passed and what failed.
package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Check is one relevance check, in the format of dev-queries.json.
type Check struct {
	Q      string `json:"q,omitempty"`
	Dept   string `json:"dept,omitempty"`
	Kind   string `json:"kind"`
	Expect []int  `json:"expect,omitempty"`
	Allow  []int  `json:"allow,omitempty"`
	Top    int    `json:"top,omitempty"`
	// Means is the query in simplified characters that a script or pinyin
	// check's query stands for; its expect is what substring search finds
	// for Means ("" for pinyin of no corpus word: nothing).
	Means string `json:"means,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Kinds in report order.
var Kinds = []string{"literal", "and", "phrase", "dept", "rank", "script", "pinyin"}

// Load reads a check file.
func Load(name string) ([]Check, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var cs []Check
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, c := range cs {
		if !known(c.Kind) {
			return nil, fmt.Errorf("%s: check %d has unknown kind %q", name, i+1, c.Kind)
		}
	}
	return cs, nil
}

func known(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Engine answers a check's request with the item numbers of the hits, in rank
// order (clauses that are not items left out).
type Engine func(q, dept string, size int) ([]int, error)

// Failure is a check that did not pass.
type Failure struct {
	Check Check
	Got   []int
	Why   string
}

// Tally counts one kind's results.
type Tally struct {
	Passed, Total int
}

// Report is the outcome of a run.
type Report struct {
	Tallies  map[string]*Tally
	Failures []Failure
}

// Rate is the share of checks of a kind that passed, 1 when there were none.
func (r *Report) Rate(kind string) float64 {
	t := r.Tallies[kind]
	if t == nil || t.Total == 0 {
		return 1
	}
	return float64(t.Passed) / float64(t.Total)
}

// Run runs every check against the engine.
func Run(e Engine, checks []Check) (*Report, error) {
	r := &Report{Tallies: map[string]*Tally{}}
	for _, k := range Kinds {
		r.Tallies[k] = &Tally{}
	}
	for _, c := range checks {
		size := 100
		if c.Kind == "rank" {
			size = 10
		}
		got, err := e(c.Q, c.Dept, size)
		why := ""
		if err != nil {
			why = "error: " + err.Error()
		} else {
			why = Judge(c, got)
		}
		t := r.Tallies[c.Kind]
		t.Total++
		if why == "" {
			t.Passed++
		} else {
			r.Failures = append(r.Failures, Failure{Check: c, Got: got, Why: why})
		}
	}
	return r, nil
}

// Judge says why item hits fail a check, or "" when they pass.
func Judge(c Check, got []int) string {
	switch c.Kind {
	case "script", "pinyin":
		// As literal checks of what the query means; one that means nothing
		// must find nothing.
		if len(c.Expect) == 0 && len(got) > 0 {
			return "want nothing"
		}
		return Judge(Check{Kind: "literal", Expect: c.Expect}, got)
	case "literal":
		// Recall, and the items holding the string before any other.
		n := len(c.Expect)
		if len(got) < n {
			return fmt.Sprintf("missing %v", missing(c.Expect, got))
		}
		if m := missing(c.Expect, got[:n]); len(m) > 0 {
			if mm := missing(c.Expect, got); len(mm) > 0 {
				return fmt.Sprintf("missing %v", mm)
			}
			return fmt.Sprintf("%v ranked after items without the string", m)
		}
	case "and":
		n := len(c.Expect)
		if len(got) < n || len(missing(c.Expect, got[:n])) > 0 {
			return fmt.Sprintf("the first %d items are not exactly %v", n, c.Expect)
		}
		allow := set(c.Allow)
		for _, g := range got[n:] {
			if !allow[g] {
				return fmt.Sprintf("item %d lacks a word and is not allowed", g)
			}
		}
	case "phrase", "dept":
		if !sameSet(c.Expect, got) {
			return fmt.Sprintf("want exactly %v", sorted(c.Expect))
		}
	case "rank":
		if len(got) == 0 || got[0] != c.Top {
			return fmt.Sprintf("want item %d first", c.Top)
		}
	}
	return ""
}

func set(xs []int) map[int]bool {
	m := map[int]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func missing(want, got []int) []int {
	g := set(got)
	var out []int
	for _, w := range want {
		if !g[w] {
			out = append(out, w)
		}
	}
	return out
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	return len(missing(a, b)) == 0 && len(missing(b, a)) == 0
}

func sorted(xs []int) []int {
	out := append([]int(nil), xs...)
	sort.Ints(out)
	return out
}

// Print writes the pass counts of each named report side by side, then the
// failures of the first.
func Print(w io.Writer, names []string, reports []*Report) {
	fmt.Fprintf(w, "%-8s", "kind")
	for _, n := range names {
		fmt.Fprintf(w, " %16s", n)
	}
	fmt.Fprintln(w)
	for _, k := range Kinds {
		checked := false
		for _, r := range reports {
			checked = checked || r.Tallies[k].Total > 0
		}
		if !checked {
			continue // a kind none of the files has
		}
		fmt.Fprintf(w, "%-8s", k)
		for _, r := range reports {
			t := r.Tallies[k]
			fmt.Fprintf(w, " %16s", fmt.Sprintf("%d/%d", t.Passed, t.Total))
		}
		fmt.Fprintln(w)
	}
	// Every failure of the first engine; a sample of the others'.
	for i, r := range reports {
		limit := len(r.Failures)
		if i > 0 && limit > 8 {
			limit = 8
		}
		if limit == 0 {
			continue
		}
		fmt.Fprintf(w, "\nfailures of %s (%d):\n", names[i], len(r.Failures))
		for _, f := range r.Failures[:limit] {
			q := f.Check.Q
			if f.Check.Dept != "" {
				q = "dept=" + f.Check.Dept
			}
			fmt.Fprintf(w, "  %-7s %-20s %s; got %s\n", f.Check.Kind, q, f.Why, compact(f.Got))
		}
		if limit < len(r.Failures) {
			fmt.Fprintf(w, "  … and %d more\n", len(r.Failures)-limit)
		}
	}
}

func compact(xs []int) string {
	if len(xs) > 20 {
		return strings.Trim(fmt.Sprint(xs[:20]), "[]") + " …"
	}
	return fmt.Sprint(xs)
}
