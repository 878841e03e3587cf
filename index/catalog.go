package index

import (
	"sort"
	"strings"

	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/gongwen"
)

// Campaign is a named campaign with the items that mention it.
type Campaign = campaign.Campaign

// catalog answers lookups that are lists, not rankings: departments by any of
// their names, campaigns, sections.
type catalog struct {
	table     *department.Table
	depts     map[string]*DepartmentEntry
	campaigns map[string]*Campaign
	sections  map[string]bool // section numbers and headings
}

func newCatalog(m *Manifest) *catalog {
	c := &catalog{table: department.NewTable(m.Aliases), depts: map[string]*DepartmentEntry{},
		campaigns: map[string]*Campaign{}, sections: map[string]bool{}}
	for i := range m.Departments {
		c.depts[m.Departments[i].Name] = &m.Departments[i]
		c.table.Add(m.Departments[i].Department)
	}
	for i := range m.Campaigns {
		c.campaigns[m.Campaigns[i].Name] = &m.Campaigns[i]
	}
	var walk func(ss []gongwen.Section)
	walk = func(ss []gongwen.Section) {
		for _, s := range ss {
			if s.Number != "" {
				c.sections[s.Number] = true
			}
			if s.Heading != "" {
				c.sections[s.Heading] = true
			}
			walk(s.Subsections)
		}
	}
	for _, d := range m.Documents {
		walk(d.Outline)
	}
	return c
}

// ResolveDepartment returns the name clauses list a department under, for any
// known form of its name (市科协 or 重庆市科学技术协会).
func (ix *Index) ResolveDepartment(name string) (string, bool) {
	return ix.cat.table.Resolve(name)
}

// SuggestDepartments lists the known departments closest to a name.
func (ix *Index) SuggestDepartments(name string, n int) []string {
	return ix.cat.table.Suggest(name, n)
}

// Departments lists the departments the documents name, most items first.
func (ix *Index) Departments() []DepartmentEntry {
	return append([]DepartmentEntry(nil), ix.manifest.Departments...)
}

// Department returns one department by any of its names.
func (ix *Index) Department(name string) (DepartmentEntry, bool) {
	canon, ok := ix.ResolveDepartment(name)
	if !ok {
		return DepartmentEntry{}, false
	}
	e, ok := ix.cat.depts[canon]
	if !ok {
		return DepartmentEntry{}, false
	}
	return *e, true
}

// Campaigns lists the campaigns the items mention, by name.
func (ix *Index) Campaigns() []Campaign {
	return append([]Campaign(nil), ix.manifest.Campaigns...)
}

// Campaign returns one campaign by name, ignoring quotes and spaces.
func (ix *Index) Campaign(name string) (Campaign, bool) {
	if c, ok := ix.cat.campaigns[name]; ok {
		return *c, true
	}
	bare := func(s string) string { return strings.NewReplacer("“", "", "”", "", "\"", "", " ", "").Replace(s) }
	for n, c := range ix.cat.campaigns {
		if bare(n) == bare(name) {
			return *c, true
		}
	}
	return Campaign{}, false
}

// KnownSection reports whether s names a section by number (一, 一/三) or heading.
func (ix *Index) KnownSection(s string) bool { return ix.cat.sections[s] }

// Sections lists the section numbers, for messages.
func (ix *Index) Sections() []string {
	var out []string
	for s := range ix.cat.sections {
		if !strings.ContainsAny(s, "、）") {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// DepartmentDetail is a department's items, and separately the items assigned to
// every responsible unit, which apply to it too.
type DepartmentDetail struct {
	DepartmentEntry
	AllUnits *Assignment `json:"all_units,omitempty"`
}

// Assignment is a set of items given to a group of departments.
type Assignment struct {
	Name      string   `json:"name"` // 各责任单位
	Note      string   `json:"note"`
	Items     []int    `json:"items"`
	ClauseIDs []string `json:"clause_ids"`
}

// DepartmentDetail returns a department by any of its names with the items that
// apply to it.
func (ix *Index) DepartmentDetail(name string) (DepartmentDetail, bool) {
	e, ok := ix.Department(name)
	if !ok {
		return DepartmentDetail{}, false
	}
	d := DepartmentDetail{DepartmentEntry: e}
	if all, ok := ix.cat.depts[gongwen.AllUnits]; ok && e.Name != gongwen.AllUnits {
		d.AllUnits = &Assignment{Name: gongwen.AllUnits, Note: "assigned to all responsible units, this department included",
			Items: all.Items, ClauseIDs: all.ClauseIDs}
	}
	return d, true
}
