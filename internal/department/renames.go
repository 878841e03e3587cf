package department

import (
	"fmt"
	"sort"
	"strconv"

	"policysearch/internal/tsv"
)

// Rename is a department that a reorganisation renamed: the 2018 one in
// Chongqing made 市科委 the 市科技局. Documents before and after name the same
// unit differently, and a comparison of two years must not read the change of
// name as a task lost by one unit and gained by another.
type Rename struct {
	Former  string `json:"former"`
	Current string `json:"current"`
	Region  string `json:"region,omitempty"`
	Year    int    `json:"year,omitempty"` // when the new name took effect
}

// Renames maps former names to the names that replaced them.
type Renames struct {
	current map[string]string
	list    []Rename // in the table's order
}

// ParseRenames reads the TSV of former name, current name, region and year;
// lines starting with # are comments.
func ParseRenames(table []byte) (*Renames, error) {
	rs := &Renames{current: map[string]string{}}
	err := tsv.Read(table, func(n int, f []string) error {
		if len(f) < 2 || f[0] == "" || f[1] == "" || f[0] == f[1] {
			return fmt.Errorf("renames line %d: want a former and a different current name separated by a tab", n)
		}
		r := Rename{Former: f[0], Current: f[1]}
		if len(f) > 2 {
			r.Region = f[2]
		}
		if len(f) > 3 {
			y, err := strconv.Atoi(f[3])
			if err != nil {
				return fmt.Errorf("renames line %d: year %q is not a number", n, f[3])
			}
			r.Year = y
		}
		if old, ok := rs.current[r.Former]; ok && old != r.Current {
			return fmt.Errorf("renames line %d: %s was renamed %s already", n, r.Former, old)
		}
		rs.current[r.Former] = r.Current
		rs.list = append(rs.list, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A unit renamed twice (A → B → C) is C under every name: follow the chain,
	// refusing a cycle, which would make two names each other's successor.
	for former := range rs.current {
		seen := map[string]bool{former: true}
		for name := rs.current[former]; ; name = rs.current[name] {
			if seen[name] {
				return nil, fmt.Errorf("renames: %s is renamed in a cycle", former)
			}
			seen[name] = true
			if _, ok := rs.current[name]; !ok {
				break
			}
		}
	}
	return rs, nil
}

// Current is the name a department bears now: its latest name when it was
// renamed, else the name itself.
func (rs *Renames) Current(name string) string {
	if rs == nil {
		return name
	}
	for {
		next, ok := rs.current[name]
		if !ok {
			return name
		}
		name = next
	}
}

// Formers lists the former names of a department's current name.
func (rs *Renames) Formers(current string) []string {
	var out []string
	if rs == nil {
		return out
	}
	for former := range rs.current {
		if former != current && rs.Current(former) == current {
			out = append(out, former)
		}
	}
	sort.Strings(out)
	return out
}

// NameIn is the name a department bore in a year: the first former name listed
// for it whose rename took effect after that year, else its name.
func (rs *Renames) NameIn(name string, year int) string {
	if rs == nil {
		return name
	}
	for _, r := range rs.list {
		if r.Current == name && r.Year > year {
			return r.Former
		}
	}
	return name
}
