package gongwen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"policysearch/internal/script"
)

var (
	yearRe      = regexp.MustCompile(`(\d{4})\s*年`)
	rangeRe     = regexp.MustCompile(`(\d{4})\s*年?\s*[—–\-－~～至到]\s*(\d{4})\s*年`)
	issuedRe    = regexp.MustCompile(`^(?:.{0,40}?)关于印发(.+)的通知$`)
	placeRe     = regexp.MustCompile(`^(?:中共)?((?:[^省市区县州旗]{1,8}?(?:省|自治区))?)((?:[^省市区县州旗]{1,8}?(?:市|自治州|州|盟))?)((?:[^省市区县州旗]{1,8}?(?:区|县|旗))?)`)
	nationalRe  = regexp.MustCompile(`^(国务院|中共中央|全国|中国|中华人民共和国|国家|全民科学素质纲要|中央)`)
	trimPlaceRe = regexp.MustCompile(`(省|市|自治区|自治州)$`)
)

// finish names what only the whole document tells: year, region, clause ids
// and citations.
func (p *parser) finish() {
	d := p.doc
	d.Year = documentYear(d)
	d.Region = Region(d.Issuer)
	cite := citationBase(d)
	seen := map[int]bool{}
	unique := true
	for i, c := range d.Clauses {
		if c.Kind == KindItem && c.Number > 0 && !p.extra[i].article {
			if seen[c.Number] {
				unique = false
			}
			seen[c.Number] = true
		}
	}
	para := 0
	ids := map[string]string{} // item key → id, for the outline
	taken := map[string]bool{}
	for i := range d.Clauses {
		c := &d.Clauses[i]
		ex := p.extra[i]
		switch {
		case c.Kind == KindNotice:
			c.ID, c.Citation = d.ID+":notice", cite+" 通知"
		case c.Kind == KindPreamble:
			c.ID, c.Citation = d.ID+":preamble", cite+" 前言"
		case c.Kind == KindParagraph:
			para++
			c.ID, c.Citation = fmt.Sprintf("%s:p%d", d.ID, para), cite
			if c.Section != "" {
				c.Citation = cite + " " + sectionCite(c.Section)
			}
		case ex.heading != "":
			c.ID, c.Citation = d.ID+":"+ex.heading, cite+" "+sectionCite(c.Section)
		case ex.article:
			c.ID, c.Citation = fmt.Sprintf("%s:a%d", d.ID, c.Number), cite+" 第"+Numeral(c.Number)+"条"
		default:
			// Items numbered afresh in each section are told apart by their section.
			key := strconv.Itoa(c.Number)
			c.Citation = fmt.Sprintf("%s 第%d项", cite, c.Number)
			if !unique {
				key = asciiSection(c.Section) + "-" + key
				c.Citation = fmt.Sprintf("%s %s 第%d项", cite, sectionCite(c.Section), c.Number)
			}
			c.ID = d.ID + ":" + key
			ids[c.Section+"#"+strconv.Itoa(c.Number)] = c.ID
		}
		// Two clauses never share an id, whatever the numbering did.
		for base, n := c.ID, 2; taken[c.ID]; n++ {
			c.ID = fmt.Sprintf("%s.%d", base, n)
		}
		taken[c.ID] = true
	}
	var fill func(s []Section)
	fill = func(s []Section) {
		for i := range s {
			for j := range s[i].Items {
				s[i].Items[j].ID = ids[s[i].Number+"#"+strconv.Itoa(s[i].Items[j].Number)]
			}
			fill(s[i].Subsections)
		}
	}
	fill(d.Outline)
}

// asciiSection writes a section key with digits, for ids: 二/一 → 2-1.
func asciiSection(key string) string {
	var parts []string
	for _, s := range strings.Split(key, "/") {
		n, _ := chineseNumber(s)
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, "-")
}

// citationBase names the document in citations: its 文号; else the plan's own
// name in one pair of 《》; else its id.
func citationBase(d *Document) string {
	if d.Number != "" {
		return d.Number
	}
	if name := PlanName(d); name != "" {
		return "《" + name + "》"
	}
	return d.ID
}

// PlanName is the name of what the document sets out: the attached plan's
// title, else its own title without 关于印发…的通知 and without the 《》 inside it.
func PlanName(d *Document) string {
	name := d.Attachment
	if name == "" {
		name = d.Title
		if m := issuedRe.FindStringSubmatch(name); m != nil {
			name = m[1]
		}
	}
	name = strings.TrimSpace(name)
	if strings.HasPrefix(name, "《") && strings.HasSuffix(name, "》") && strings.Count(name, "《") == 1 {
		name = strings.TrimSuffix(strings.TrimPrefix(name, "《"), "》")
	}
	return strings.NewReplacer("《", "〈", "》", "〉").Replace(name)
}

// documentYear is the year in the plan's title (2022年…工作要点), else the year of
// the signature's date. A plan for a period (2021—2025年) is dated by its date
// when that falls in the period, else by the period's start.
func documentYear(d *Document) int {
	dateYear := 0
	if len(d.Date) >= 4 {
		dateYear, _ = strconv.Atoi(d.Date[:4])
	}
	for _, t := range []string{d.Attachment, d.Title} {
		if t == "" {
			continue
		}
		if m := rangeRe.FindStringSubmatch(t); m != nil {
			from, _ := strconv.Atoi(m[1])
			to, _ := strconv.Atoi(m[2])
			if dateYear >= from-1 && dateYear <= to {
				return dateYear
			}
			return from
		}
		if m := yearRe.FindStringSubmatch(t); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return dateYear
}

// Region is where an issuer governs, from the place its name starts with:
// 重庆市… → 重庆, 南昌市… → 南昌, 鞍山市立山区… → 立山区, 国务院 → 全国. "" when its
// name says no place.
func Region(issuer string) string {
	issuer = script.Fold(strings.TrimSpace(issuer))
	if issuer == "" {
		return ""
	}
	if nationalRe.MatchString(issuer) {
		return "全国"
	}
	m := placeRe.FindStringSubmatch(issuer)
	if m == nil {
		return ""
	}
	for _, place := range []string{m[3], m[2], m[1]} {
		if place == "" || strings.HasPrefix(place, "市") || strings.HasPrefix(place, "区") {
			continue
		}
		// A name of its own: 市政府办公厅 has none.
		if t := trimPlaceRe.ReplaceAllString(place, ""); len([]rune(t)) >= 2 {
			if strings.HasSuffix(place, "区") || strings.HasSuffix(place, "县") || strings.HasSuffix(place, "旗") {
				return place
			}
			return t
		}
	}
	return ""
}

// ContentID names a document that has neither 文号 nor title by its content, so
// that two such documents never share an id.
func ContentID(src []byte) string {
	sum := sha256.Sum256(src)
	return "doc-" + hex.EncodeToString(sum[:])[:12]
}
