package index

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"policysearch/internal/department"
	"policysearch/internal/gongwen"
	"policysearch/internal/script"
)

// A department is a name in a place: 市科协 of a Chongqing document and 市科协 of
// a Nanchang one are two bodies. The place is the region of the document that
// lists the department (its issuer's region). A filter by name (dept=市科协)
// matches every region's; a filter by name and region (市科协（南昌）) one region's.

// DepartmentEntry is a department name with the clauses that list it: in every
// region whose documents use the name, or, for a name with a region (市科协（南昌）),
// in that region only.
type DepartmentEntry struct {
	department.Department // name as written, official name and kind where the table knows them
	// Regions are where the documents that list it govern, known ones only.
	Regions []string `json:"regions"`
	// Clauses is how many clauses list it as responsible, those it leads included.
	Clauses int `json:"clauses"`
	// LeadClauses is how many clauses name it as a lead unit (牵头).
	LeadClauses   int      `json:"lead_clauses"`
	Items         []int    `json:"items"`      // the item numbers of Clauses, in document order
	ClauseIDs     []string `json:"clause_ids"` // the clauses, in document order
	LeadClauseIDs []string `json:"lead_clause_ids"`
}

// DepartmentPlace is one region's share of a department name.
type DepartmentPlace struct {
	Region      string `json:"region"` // empty: the region of the documents is not known
	Official    string `json:"official,omitempty"`
	Clauses     int    `json:"clauses"`
	LeadClauses int    `json:"lead_clauses"`
}

// placeSep joins a name and a region in the index's place fields: a character
// no name or region holds.
const placeSep = "\x1f"

func placeKey(name, region string) string { return name + placeSep + region }

func splitPlace(v string) (name, region string) {
	name, region, _ = strings.Cut(v, placeSep)
	return name, region
}

// placeLabel is how a department in a region is shown and named in a filter:
// 市科协（南昌）.
func placeLabel(name, region string) string {
	if region == "" {
		return name
	}
	return name + "（" + region + "）"
}

// splitLabel takes a trailing region in parentheses (full or half width) off a
// department filter: 市科协（南昌） → 市科协, 南昌.
func splitLabel(s string) (name, region string, ok bool) {
	s = strings.TrimSpace(s)
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if !strings.HasSuffix(s, p[1]) {
			continue
		}
		i := strings.LastIndex(s, p[0])
		if i <= 0 {
			continue
		}
		name, region = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(p[0]):len(s)-len(p[1])])
		if name != "" && region != "" {
			return name, region, true
		}
	}
	return "", "", false
}

// responsible is everyone a clause makes responsible, lead first: its
// departments with its lead units, once each.
func responsible(c gongwen.Clause) []string {
	out := make([]string, 0, len(c.Departments)+len(c.LeadDepartments))
	seen := map[string]bool{}
	for _, list := range [][]string{c.LeadDepartments, c.Departments} {
		for _, d := range list {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// tableEntry is what the department table says of a name in a region: its
// official name and kind. The table's rows belong to a region (the shipped one
// is Chongqing's); a document whose region is not known takes them as they are.
func tableEntry(t *department.Table, name, region string) (department.Department, bool) {
	d, ok := t.Get(name)
	if !ok || (d.Region != "" && region != "" && d.Region != region) {
		return department.Department{Name: name}, false
	}
	return d, true
}

// departmentEntries lists every department name the documents use with the
// clauses that list it, most clauses first, and the same per name and region.
func departmentEntries(c *Corpus) (names, places []DepartmentEntry) {
	byName := map[string]*DepartmentEntry{}
	byPlace := map[string]*DepartmentEntry{}
	var nameOrder, placeOrder []string
	get := func(m map[string]*DepartmentEntry, order *[]string, key, name, region string) *DepartmentEntry {
		e := m[key]
		if e == nil {
			e = &DepartmentEntry{Department: department.Department{Name: name}, Regions: []string{},
				Items: []int{}, ClauseIDs: []string{}, LeadClauseIDs: []string{}}
			m[key] = e
			*order = append(*order, key)
		}
		if region != "" && !contains(e.Regions, region) {
			e.Regions = append(e.Regions, region)
		}
		return e
	}
	for _, d := range c.Docs {
		for _, cl := range d.Clauses {
			leads := map[string]bool{}
			for _, l := range cl.LeadDepartments {
				leads[l] = true
			}
			for _, name := range responsible(cl) {
				for _, e := range []*DepartmentEntry{
					get(byName, &nameOrder, name, name, d.Region),
					get(byPlace, &placeOrder, placeKey(name, d.Region), name, d.Region),
				} {
					e.Clauses++
					e.Items = append(e.Items, cl.Number)
					e.ClauseIDs = append(e.ClauseIDs, cl.ID)
					if leads[name] {
						e.LeadClauses++
						e.LeadClauseIDs = append(e.LeadClauseIDs, cl.ID)
					}
				}
			}
		}
	}
	for _, key := range placeOrder {
		e := byPlace[key]
		name, region := splitPlace(key)
		if t, ok := tableEntry(c.Departments, name, region); ok {
			e.Official, e.Kind = t.Official, t.Kind
		}
		e.Region = region
	}
	// A name's official name is its places' when they all have the same one:
	// 市科协 of Chongqing and of Nanchang have none in common.
	for _, key := range nameOrder {
		e := byName[key]
		first := true
		for _, pk := range placeOrder {
			if name, _ := splitPlace(pk); name != e.Name {
				continue
			}
			p := byPlace[pk]
			if first {
				e.Official, e.Kind, first = p.Official, p.Kind, false
			} else if p.Official != e.Official {
				e.Official, e.Kind = "", ""
			}
		}
	}
	collect := func(m map[string]*DepartmentEntry, order []string) []DepartmentEntry {
		out := make([]DepartmentEntry, 0, len(order))
		for _, k := range order {
			out = append(out, *m[k])
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Clauses > out[j].Clauses })
		return out
	}
	return collect(byName, nameOrder), collect(byPlace, placeOrder)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// departmentCatalog knows the departments of the library by name and by place.
type departmentCatalog struct {
	table   *department.Table
	names   map[string]*DepartmentEntry // by name
	places  map[string]*DepartmentEntry // by placeKey
	regions map[string][]string         // name → regions of its places, "" included, in order
	leads   map[string]bool             // names some clause gives as a lead unit
	docs    map[string]int              // document id → its position, for ordering clause ids
}

func newDepartmentCatalog(m *Manifest) *departmentCatalog {
	c := &departmentCatalog{table: department.NewTable(m.Aliases), names: map[string]*DepartmentEntry{},
		places: map[string]*DepartmentEntry{}, regions: map[string][]string{}, leads: map[string]bool{}, docs: map[string]int{}}
	for i := range m.Departments {
		e := &m.Departments[i]
		c.names[e.Name] = e
		c.table.Add(department.Department{Name: e.Name})
		if e.LeadClauses > 0 {
			c.leads[e.Name] = true
		}
	}
	for i := range m.DepartmentPlaces {
		e := &m.DepartmentPlaces[i]
		c.places[placeKey(e.Name, e.Region)] = e
	}
	// A name's regions in the order its documents come, the unknown one last.
	for name, e := range c.names {
		c.regions[name] = append([]string(nil), e.Regions...)
		if _, ok := c.places[placeKey(name, "")]; ok {
			c.regions[name] = append(c.regions[name], "")
		}
	}
	for i, d := range m.Documents {
		c.docs[d.ID] = i
	}
	return c
}

// find resolves what a user typed as a department to the form a search request
// carries: the name (every region's) or the name with its region (one region's).
func (c *departmentCatalog) find(typed string) (string, error) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return "", fmt.Errorf("an empty department name")
	}
	for _, form := range []string{s, script.Fold(s)} {
		if v, ok := c.resolveName(form); ok {
			return v, nil
		}
		name, region, ok := splitLabel(form)
		if !ok {
			continue
		}
		canon, ok := c.resolveName(name)
		if !ok {
			continue
		}
		canon, _ = c.stripRegion(canon)
		if r, ok := c.region(canon, region); ok {
			return placeLabel(canon, r), nil
		}
		var known []string
		for _, r := range c.regions[canon] {
			if r != "" {
				known = append(known, r)
			}
		}
		if len(known) == 0 {
			return "", fmt.Errorf("no document of a known region lists %s; filter by %s alone", canon, canon)
		}
		return "", fmt.Errorf("no document of %s lists %s; it is listed by documents of %s", region, canon, strings.Join(known, ", "))
	}
	return "", fmt.Errorf("no department %q in the library; did you mean %s?", s, strings.Join(c.suggest(s, 3), ", "))
}

// resolveName resolves a name or an official name without a region. An
// official name belongs to its table row's region: where the library has the
// short name in more than one region, it means that region's.
func (c *departmentCatalog) resolveName(s string) (string, bool) {
	if _, ok := c.names[s]; ok {
		return s, true
	}
	canon, ok := c.table.Resolve(s)
	if !ok {
		return "", false
	}
	if _, used := c.names[canon]; !used {
		return "", false
	}
	if t, ok := c.table.Get(canon); ok && t.Region != "" && len(c.regions[canon]) > 1 {
		if _, ok := c.places[placeKey(canon, t.Region)]; ok {
			return placeLabel(canon, t.Region), true
		}
	}
	return canon, true
}

// stripRegion undoes placeLabel for a value resolveName gave.
func (c *departmentCatalog) stripRegion(v string) (string, string) {
	if _, ok := c.names[v]; ok {
		return v, ""
	}
	if name, region, ok := splitLabel(v); ok {
		return name, region
	}
	return v, ""
}

// region finds the region a user named among a department's: 南昌, or 南昌市.
func (c *departmentCatalog) region(name, typed string) (string, bool) {
	for _, r := range c.regions[name] {
		if r != "" && (r == typed || r+"市" == typed || r+"省" == typed || script.Fold(typed) == r) {
			return r, true
		}
	}
	return "", false
}

// suggest lists department names the library uses closest to an unknown one.
func (c *departmentCatalog) suggest(name string, n int) []string {
	var out []string
	for _, s := range c.table.Suggest(name, len(c.table.Names())) {
		if _, ok := c.names[s]; ok {
			out = append(out, s)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// term is the index field and value a resolved department filter looks up:
// the name in every region, or the name in one.
func (c *departmentCatalog) term(v string, lead bool) (field, value string) {
	field, places := "departments", "department_places"
	if lead {
		field, places = "leads", "lead_places"
	}
	if _, ok := c.names[v]; ok {
		return field, v
	}
	if name, region, ok := splitLabel(v); ok {
		if _, ok := c.places[placeKey(name, region)]; ok {
			return places, placeKey(name, region)
		}
	}
	return field, v
}

// entry returns the department a resolved filter names, over its regions or in one.
func (c *departmentCatalog) entry(v string) (DepartmentEntry, bool) {
	if e, ok := c.names[v]; ok {
		out := *e
		out.Region = ""
		return out, true
	}
	if name, region, ok := splitLabel(v); ok {
		if e, ok := c.places[placeKey(name, region)]; ok {
			return *e, true
		}
	}
	return DepartmentEntry{}, false
}

// placesOf lists a department name's share in each region.
func (c *departmentCatalog) placesOf(name string) []DepartmentPlace {
	out := []DepartmentPlace{}
	for _, r := range c.regions[name] {
		p := c.places[placeKey(name, r)]
		out = append(out, DepartmentPlace{Region: r, Official: p.Official, Clauses: p.Clauses, LeadClauses: p.LeadClauses})
	}
	return out
}

// allUnits gathers the items given to every responsible unit (各责任单位) by the
// documents of the regions a department is in: they apply to it too.
func (c *departmentCatalog) allUnits(name string, regions []string) *Assignment {
	type ref struct {
		id   string
		item int
	}
	var refs []ref
	for _, r := range regions {
		p, ok := c.places[placeKey(gongwen.AllUnits, r)]
		if !ok {
			continue
		}
		for i, id := range p.ClauseIDs {
			refs = append(refs, ref{id, p.Items[i]})
		}
	}
	if len(refs) == 0 || name == gongwen.AllUnits {
		return nil
	}
	// Each region's documents are distinct: ordering by document keeps each
	// document's clauses in their order.
	sort.SliceStable(refs, func(i, j int) bool { return c.docOf(refs[i].id) < c.docOf(refs[j].id) })
	a := &Assignment{Name: gongwen.AllUnits, Note: "assigned to all responsible units, this department included",
		Items: []int{}, ClauseIDs: []string{}}
	for _, r := range refs {
		a.Items = append(a.Items, r.item)
		a.ClauseIDs = append(a.ClauseIDs, r.id)
	}
	return a
}

func (c *departmentCatalog) docOf(clauseID string) int {
	doc, _, _ := strings.Cut(clauseID, ":")
	return c.docs[doc]
}

// places are a facet's values, name and region (placeKey), with what showing
// them takes worked out once: a search labels hundreds of them, and strings
// compared in maps were a large library's facets' greatest cost.
type places struct {
	name     []int32  // value → its name's number
	regional []bool   // value → whether its region is known
	names    []string // name number → the name
	full     []string // value → name and region as shown: 市科协（南昌）
	// fullName is, for each value, the number of a name that reads as its
	// full label (a name with its own parentheses), else -1.
	fullName []int32
}

func newPlaces(values []string) places {
	p := places{name: make([]int32, len(values)), regional: make([]bool, len(values)),
		full: make([]string, len(values)), fullName: make([]int32, len(values))}
	names := newInterner()
	for v, value := range values {
		name, region := splitPlace(value)
		p.name[v], p.regional[v], p.full[v] = names.id(name), region != "", placeLabel(name, region)
	}
	for v := range values {
		p.fullName[v] = -1
		if id, ok := names.ids[p.full[v]]; ok && p.regional[v] {
			p.fullName[v] = id
		}
	}
	p.names = names.names
	return p
}

// labelPlaces turns a facet's best values (by number, best first) into the
// names shown: the name alone, with its region in parentheses only where two
// regions among them share the name. Values shown alike are counted as one:
// a name in an unknown region and the same name in one known region.
func labelPlaces(p *places, top []int32, counts []int) []Facet {
	regions := make([]int32, len(p.names))
	for _, v := range top {
		if p.regional[v] {
			regions[p.name[v]]++
		}
	}
	out := make([]Facet, 0, len(top))
	at := make([]int32, len(p.names)) // name number → its place in out, plus one
	for _, v := range top {
		name := p.name[v]
		label, key := p.names[name], name
		if regions[name] > 1 && p.regional[v] {
			label, key = p.full[v], p.fullName[v] // no other value shows that label, unless a name does
		}
		if key >= 0 {
			if i := at[key]; i > 0 {
				out[i-1].Count += counts[v]
				continue
			}
			at[key] = int32(len(out) + 1)
		}
		out = append(out, Facet{Value: label, Count: counts[v]})
	}
	slices.SortStableFunc(out, func(a, b Facet) int { return cmp.Compare(b.Count, a.Count) })
	return out
}
