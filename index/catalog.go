package index

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Campaign is a named campaign with the items that mention it.
type Campaign = campaign.Campaign

// catalog answers lookups that are lists, not rankings: departments by any of
// their names and regions, campaigns, sections, documents, issuers, years.
type catalog struct {
	depts     *departmentCatalog
	campaigns map[string]*Campaign
	sections  map[string]bool // section numbers and headings
	issuers   []string        // as the documents write them, in document order
	years     []int           // ascending
	docIDs    []string
}

func newCatalog(m *Manifest) *catalog {
	c := &catalog{depts: newDepartmentCatalog(m), campaigns: map[string]*Campaign{}, sections: map[string]bool{}}
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
	years := map[int]bool{}
	for i := range m.Documents {
		d := &m.Documents[i]
		walk(d.Outline)
		c.docIDs = append(c.docIDs, d.ID)
		for _, is := range issuersOf(d) {
			if !contains(c.issuers, is) {
				c.issuers = append(c.issuers, is)
			}
		}
		if d.Year != 0 && !years[d.Year] {
			years[d.Year] = true
			c.years = append(c.years, d.Year)
		}
	}
	sort.Ints(c.years)
	return c
}

// issuersOf lists a document's issuers as written: every body of a joint
// document, or the one issuer.
func issuersOf(d *gongwen.Document) []string {
	if len(d.Issuers) > 0 {
		return d.Issuers
	}
	if d.Issuer != "" {
		return []string{d.Issuer}
	}
	return nil
}

// ResolveDepartment returns the form a search request names a department by,
// for any form a user may type: the name as the documents write it (市科协), an
// official name from the department table (重庆市科学技术协会), traditional
// characters, or a name with a region (市科协（南昌）, 市科协(南昌)).
func (ix *Index) ResolveDepartment(name string) (string, bool) {
	v, err := ix.cat.depts.find(name)
	return v, err == nil
}

// FindDepartment is ResolveDepartment with a message for a name it cannot
// resolve: the closest names, or the regions that do use it.
func (ix *Index) FindDepartment(name string) (string, error) {
	return ix.cat.depts.find(name)
}

// FindLead resolves a department filter for lead units (牵头): a department some
// clause of the library names as lead.
func (ix *Index) FindLead(name string) (string, error) {
	v, err := ix.cat.depts.find(name)
	if err != nil {
		return "", err
	}
	canon, _ := ix.cat.depts.stripRegion(v)
	if e, ok := ix.cat.depts.entry(v); ok && e.Region != "" && e.LeadClauses == 0 && ix.cat.depts.leads[canon] {
		var where []string
		for _, p := range ix.cat.depts.placesOf(canon) {
			if p.LeadClauses > 0 && p.Region != "" {
				where = append(where, p.Region)
			}
		}
		return "", fmt.Errorf("no clause of %s names %s as a lead unit (牵头); it leads in %s", e.Region, canon, strings.Join(where, ", "))
	}
	if !ix.cat.depts.leads[canon] {
		var leads []string
		for l := range ix.cat.depts.leads {
			leads = append(leads, l)
		}
		if len(leads) == 0 {
			return "", fmt.Errorf("no document in the library names lead units (牵头), so none leads %s", canon)
		}
		return "", fmt.Errorf("no clause names %s as a lead unit (牵头); lead units closest to it: %s", canon, strings.Join(department.Closest(canon, leads, 5), ", "))
	}
	return v, nil
}

// SuggestDepartments lists the departments the library uses closest to a name.
func (ix *Index) SuggestDepartments(name string, n int) []string {
	return ix.cat.depts.suggest(name, n)
}

// FindIssuer returns the issuers as the documents write them that a typed
// issuer names: the same name, ignoring width and traditional characters.
func (ix *Index) FindIssuer(name string) ([]string, error) {
	if out := ix.cat.issuersNamed(name); len(out) > 0 {
		return out, nil
	}
	if len(ix.cat.issuers) == 0 {
		return nil, fmt.Errorf("unknown issuer %q: no document in the library names its issuer", name)
	}
	return nil, fmt.Errorf("unknown issuer %q; issuers closest to it: %s", name, strings.Join(department.Closest(name, ix.cat.issuers, 5), ", "))
}

func (c *catalog) issuersNamed(name string) []string {
	key := segment.Compact(name)
	var out []string
	for _, is := range c.issuers {
		if segment.Compact(is) == key {
			out = append(out, is)
		}
	}
	return out
}

// Issuers lists the issuers of the library's documents, as written.
func (ix *Index) Issuers() []string { return append([]string(nil), ix.cat.issuers...) }

// Years lists the years of the library's documents, ascending.
func (ix *Index) Years() []int { return append([]int(nil), ix.cat.years...) }

// FindDocument checks a document id, with the closest ids when it is unknown.
func (ix *Index) FindDocument(id string) error {
	if _, ok := ix.docs[id]; ok {
		return nil
	}
	return fmt.Errorf("unknown document %q; documents closest to it: %s", id, strings.Join(department.Closest(id, ix.cat.docIDs, 5), ", "))
}

// FindYear checks that some document of the library is of a year.
func (ix *Index) FindYear(year int) error {
	for _, y := range ix.cat.years {
		if y == year {
			return nil
		}
	}
	if len(ix.cat.years) == 0 {
		return fmt.Errorf("no document of %d: no document in the library has a year", year)
	}
	ys := make([]string, len(ix.cat.years))
	for i, y := range ix.cat.years {
		ys[i] = strconv.Itoa(y)
	}
	return fmt.Errorf("no document of %d; the documents are of %s", year, strings.Join(ys, ", "))
}

// Departments lists the department names the documents use, most clauses first.
func (ix *Index) Departments() []DepartmentEntry {
	return append(make([]DepartmentEntry, 0, len(ix.manifest.Departments)), ix.manifest.Departments...)
}

// Department returns one department by any of its names, over every region or,
// named with a region, in that region.
func (ix *Index) Department(name string) (DepartmentEntry, bool) {
	v, err := ix.cat.depts.find(name)
	if err != nil {
		return DepartmentEntry{}, false
	}
	return ix.cat.depts.entry(v)
}

// Campaigns lists the campaigns the items mention, by name.
func (ix *Index) Campaigns() []Campaign {
	return append(make([]Campaign, 0, len(ix.manifest.Campaigns)), ix.manifest.Campaigns...)
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

// DepartmentDetail is a department's clauses, its share in each region, and
// separately the items assigned to every responsible unit, which apply to it too.
type DepartmentDetail struct {
	DepartmentEntry
	Places   []DepartmentPlace `json:"places"`
	AllUnits *Assignment       `json:"all_units,omitempty"`
}

// Assignment is a set of items given to a group of departments.
type Assignment struct {
	Name      string   `json:"name"` // 各责任单位
	Note      string   `json:"note"`
	Items     []int    `json:"items"`
	ClauseIDs []string `json:"clause_ids"`
}

// DepartmentDetail returns a department by any of its names (with a region or
// not) with the items that apply to it; FindDepartment says why one is not there.
func (ix *Index) DepartmentDetail(name string) (DepartmentDetail, bool) {
	v, err := ix.cat.depts.find(name)
	if err != nil {
		return DepartmentDetail{}, false
	}
	e, ok := ix.cat.depts.entry(v)
	if !ok {
		return DepartmentDetail{}, false
	}
	d := DepartmentDetail{DepartmentEntry: e, Places: ix.cat.depts.placesOf(e.Name)}
	regions := ix.cat.depts.regions[e.Name]
	if _, region, ok := splitLabel(v); ok && e.Region != "" {
		regions = []string{region}
		var one []DepartmentPlace
		for _, p := range d.Places {
			if p.Region == region {
				one = append(one, p)
			}
		}
		d.Places = one
	}
	d.AllUnits = ix.cat.depts.allUnits(e.Name, regions)
	return d, true
}
