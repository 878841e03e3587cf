// Package department knows the responsible departments: the short names the
// documents write (市科协), their official names (重庆市科学技术协会), and which
// one a user means.
package department

import (
	"fmt"
	"sort"
	"strings"

	"policysearch/internal/gongwen"
	"policysearch/internal/tsv"
)

// Department is one responsible department.
type Department struct {
	Name     string `json:"name"`     // as the documents write it
	Official string `json:"official"` // full official name, when known
	Kind     string `json:"kind,omitempty"`
	// Region is where the department is: a short name such as 市科协 means a
	// different body in every city. Empty in a table row means any region.
	Region string `json:"region,omitempty"`
}

// Table maps every known form of a department's name to the form the documents use.
type Table struct {
	byAlias map[string]string
	list    map[string]Department
}

// NewTable makes a table of departments.
func NewTable(ds []Department) *Table {
	t := &Table{byAlias: map[string]string{}, list: map[string]Department{}}
	for _, d := range ds {
		t.Add(d)
	}
	return t
}

// ParseTable reads the TSV of short name, official name, kind and region; lines
// starting with # are comments.
func ParseTable(table []byte) (*Table, error) {
	t := NewTable(nil)
	err := tsv.Read(table, func(n int, f []string) error {
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("department table line %d: want short name, official name and kind separated by tabs", n)
		}
		d := Department{Name: f[0], Official: f[1]}
		if len(f) > 2 {
			d.Kind = f[2]
		}
		if len(f) > 3 {
			d.Region = f[3]
		}
		t.Add(d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Add adds a department; one already known keeps its official name.
func (t *Table) Add(d Department) {
	if old, ok := t.list[d.Name]; ok && d.Official == "" {
		d = old
	}
	t.list[d.Name] = d
	t.byAlias[d.Name] = d.Name
	if d.Official != "" {
		t.byAlias[d.Official] = d.Name
	}
}

// AddFromDocuments adds the departments the documents list that the table lacks.
func (t *Table) AddFromDocuments(docs []*gongwen.Document) {
	for _, doc := range docs {
		for _, c := range doc.Clauses {
			for _, name := range c.Departments {
				if _, ok := t.list[name]; !ok {
					t.Add(Department{Name: name})
				}
			}
		}
	}
}

// Resolve returns the name the documents use for any known form of a department.
func (t *Table) Resolve(name string) (string, bool) {
	n, ok := t.byAlias[strings.TrimSpace(name)]
	return n, ok
}

// Get returns a department by the name the documents use.
func (t *Table) Get(name string) (Department, bool) {
	d, ok := t.list[name]
	return d, ok
}

// All lists the departments, sorted by name.
func (t *Table) All() []Department {
	out := make([]Department, 0, len(t.list))
	for _, d := range t.list {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists every form of every name: what a user may type.
func (t *Table) Names() []string {
	out := make([]string, 0, len(t.byAlias))
	for a := range t.byAlias {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Suggest lists up to n known names closest to an unknown one: names that
// contain it or that it contains first, then by edit distance.
func (t *Table) Suggest(name string, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, alias := range Closest(name, t.Names(), len(t.byAlias)) {
		canon := t.byAlias[alias]
		if seen[canon] {
			continue
		}
		seen[canon] = true
		out = append(out, canon)
		if len(out) == n {
			break
		}
	}
	return out
}

// Closest lists up to n of names closest to name: those that contain it or
// that it contains first, then by edit distance, then by name.
func Closest(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	all := make([]scored, 0, len(names))
	for _, c := range names {
		d := Distance(name, c)
		if strings.Contains(c, name) || strings.Contains(name, c) {
			d = 0
		}
		all = append(all, scored{c, d})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].name < all[j].name
	})
	out := []string{}
	for _, s := range all {
		if len(out) == n {
			break
		}
		out = append(out, s.name)
	}
	return out
}

// Distance is the Levenshtein distance in characters, for the names nearest
// to one mistyped.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
