package gongwen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// 文号: issuer code, 〔year〕, serial, 号. Brackets vary between documents.
	numberRe = regexp.MustCompile(`^\S{1,30}[〔［\[（(]\d{4}[〕］\]）)]\d+号$`)
	dateRe   = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	dateCNRe = regexp.MustCompile(`^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$`)
	// A title ends with the kind of document it is.
	titleEndRe = regexp.MustCompile(`(通知|通报|意见|决定|办法|方案|要点|规定|批复|函|报告|请示|公告|通告|规划|细则|纲要|计划)$`)
	quotedRe   = regexp.MustCompile(`《([^《》]+)》`)

	sectionRe    = regexp.MustCompile(`^([一二三四五六七八九十]+)、`)
	subsectionRe = regexp.MustCompile(`^[（(]([一二三四五六七八九十]+)[）)]`)
	// An item number is followed by its text, not by more digits (计划 2.0 is no item).
	itemRe = regexp.MustCompile(`^(\d{1,3})[.．、]([^\d.．]|$)`)
)

type markKind int

const (
	markNone markKind = iota
	markSection
	markSubsection
	markItem
)

// mark is a numbered heading or item found at the start of a line.
type mark struct {
	kind   markKind
	number int
	rest   string // the line after the marker
}

func readMark(t string) mark {
	if m := sectionRe.FindStringSubmatch(t); m != nil {
		if n, ok := chineseNumber(m[1]); ok {
			return mark{markSection, n, t[len(m[0]):]}
		}
	}
	if m := subsectionRe.FindStringSubmatch(t); m != nil {
		if n, ok := chineseNumber(m[1]); ok {
			return mark{markSubsection, n, t[len(m[0]):]}
		}
	}
	if m := itemRe.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		return mark{markItem, n, t[len(m[0])-len(m[2]):]}
	}
	return mark{}
}

// Parse reads one document. id names it in clause ids and must be usable in a URL
// path (letters, digits, '-', '_', '.').
func Parse(id string, src []byte) (*Document, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, &Error{Line: 1 + strings.Count(string(src[:off]), "\n"), Offset: off, Reason: "the text is not valid UTF-8"}
	}
	if i := strings.IndexByte(string(src), 0); i >= 0 {
		return nil, &Error{Line: 1 + strings.Count(string(src[:i]), "\n"), Offset: i, Reason: "the text holds a NUL byte"}
	}
	lines := splitLines(strings.ReplaceAll(string(src), "\r", ""))
	if len(lines) == 0 {
		return nil, &Error{Reason: "the document is empty"}
	}
	p := &parser{doc: &Document{ID: id}, lines: lines, full: fullWidth(lines)}
	first := p.firstHeading()
	if first < 0 {
		l := lines[0]
		return nil, &Error{Line: l.no, Offset: l.offset, Reason: "no numbered section (一、), subsection (（一）) or item (1.) starting at 一 or 1 was found"}
	}
	if err := p.front(lines[:first]); err != nil {
		return nil, err
	}
	if err := p.body(lines[first:]); err != nil {
		return nil, err
	}
	p.finish()
	return p.doc, nil
}

func checkID(id string) error {
	if id == "" || len(id) > 100 {
		return &Error{Reason: fmt.Sprintf("document id %q must have 1 to 100 characters", id)}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return &Error{Reason: fmt.Sprintf("document id %q may hold only letters, digits, '-', '_' and '.'", id)}
		}
	}
	return nil
}

type parser struct {
	doc   *Document
	lines []line
	full  int // width of a full line of the page
	order int
}

// firstHeading is the index of the line where the numbered body starts: the first
// 一、, （一） or 1. that opens a numbering.
func (p *parser) firstHeading() int {
	for i, l := range p.lines {
		if m := readMark(l.text); m.kind != markNone && m.number == 1 {
			return i
		}
	}
	return -1
}

func texts(ls []line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return out
}

// front reads what comes before the numbered body: 文号, issuer, title, recipients,
// the cover notice, its signature and date, the attached document's title and the
// preamble. Everything but the title is optional.
func (p *parser) front(ls []line) error {
	d := p.doc
	i := 0
	if len(ls) > 0 {
		if t := tidySpaces(ls[0].text); numberRe.MatchString(strings.ReplaceAll(t, " ", "")) {
			d.Number = strings.ReplaceAll(t, " ", "")
			i = 1
		}
	}
	dateAt := -1
	for j := len(ls) - 1; j >= i; j-- {
		if date, ok := readDate(tidySpaces(ls[j].text)); ok {
			d.Date, dateAt = date, j
			break
		}
	}
	if dateAt < 0 {
		// A document without a cover notice: a title, then the preamble.
		if i < len(ls) {
			end := i + 1
			for end < len(ls) && !titleEndRe.MatchString(join(texts(ls[i:end]))) && end-i < 4 && ls[end-1].width >= p.full*85/100 {
				end++
			}
			d.Title = join(texts(ls[i:end]))
			p.addClause(KindPreamble, ls[end:], "")
		}
	} else {
		// The title runs to the line that ends with the document's kind (…的通知).
		end := i
		for end < dateAt && !titleEndRe.MatchString(ls[end].text) {
			end++
		}
		if end == dateAt || end-i > 5 {
			end = i
		}
		title := join(texts(ls[i : end+1]))
		if k := strings.Index(title, "关于"); k > 0 {
			d.Issuer, title = title[:k], title[k:]
		}
		d.Title = title
		i = end + 1
		// Recipients end with a colon. The cover notice runs from them to the
		// date: who it is sent to, what it says, who signed it and when.
		noticeFrom := i
		for j := i; j < dateAt && j < i+8; j++ {
			if strings.HasSuffix(ls[j].text, "：") || strings.HasSuffix(ls[j].text, ":") {
				r := strings.TrimRight(join(texts(ls[i:j+1])), "：:")
				d.Recipients = splitTopLevel(r, "，,；;")
				i = j + 1
				break
			}
		}
		// The signature is the short line right above the date.
		body := ls[i:dateAt]
		if n := len(body); n > 0 && !strings.ContainsAny(body[n-1].text, "。，；：") && body[n-1].width < p.full {
			if d.Issuer == "" {
				d.Issuer = join(texts(body[n-1:]))
			}
			body = body[:n-1]
		}
		p.addNotice(ls[noticeFrom:i], body, ls[len(body)+i:dateAt+1])
		rest := ls[dateAt+1:]
		rest = p.attachmentTitle(rest)
		p.addClause(KindPreamble, rest, "")
	}
	if d.Title == "" {
		return &Error{Line: ls0(ls, p.lines).no, Offset: ls0(ls, p.lines).offset, Reason: "no title was found before the first heading"}
	}
	return nil
}

func ls0(ls, all []line) line {
	if len(ls) > 0 {
		return ls[0]
	}
	return all[0]
}

// attachmentTitle consumes the attached document's title, which the notice's title
// names in 《》, from the lines after the date.
func (p *parser) attachmentTitle(ls []line) []line {
	want := ""
	if m := quotedRe.FindStringSubmatch(p.doc.Title); m != nil {
		want = m[1]
	}
	for n := 1; n <= len(ls) && n <= 4; n++ {
		got := join(texts(ls[:n]))
		if want != "" && got == want {
			p.doc.Attachment = got
			return ls[n:]
		}
		if want == "" || !strings.HasPrefix(want, got) {
			break
		}
	}
	if want == "" && len(ls) > 0 && !strings.ContainsAny(ls[0].text, "。，；") && ls[0].width < p.full {
		p.doc.Attachment = ls[0].text
		return ls[1:]
	}
	return ls
}

func readDate(t string) (string, bool) {
	if m := dateRe.FindStringSubmatch(t); m != nil {
		mo, _ := strconv.Atoi(m[2])
		da, _ := strconv.Atoi(m[3])
		if mo >= 1 && mo <= 12 && da >= 1 && da <= 31 {
			return fmt.Sprintf("%s-%02d-%02d", m[1], mo, da), true
		}
	}
	if m := dateCNRe.FindStringSubmatch(t); m != nil {
		y, _ := chineseNumber(m[1])
		mo, _ := chineseNumber(m[2])
		da, _ := chineseNumber(m[3])
		if y >= 1000 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, da), true
		}
	}
	return "", false
}

// body reads the numbered part. A marker counts only when it continues its
// numbering (the next section, subsection or item), so a line that happens to
// start with "2." or "（三）" inside a paragraph stays text.
func (p *parser) body(ls []line) error {
	var (
		sec, sub     int // current section and subsection numbers
		lastItem     int
		headingSince bool // a heading was read since the last item
		block        []line
		blockMark    mark
		headingOpen  bool // the block is a heading still being continued
		secHeading   string
		subHeading   string
	)
	flush := func() {
		if len(block) == 0 {
			return
		}
		switch blockMark.kind {
		case markItem:
			p.addItem(blockMark.number, block, p.path(secHeading, subHeading), sectionKey(sec, sub))
		default:
			p.addClause(KindParagraph, block, "")
		}
		block = nil
		blockMark = mark{}
	}
	// A heading may run over several lines; text after its 。 is a paragraph.
	var headLines []line
	closeHeading := func() {
		if !headingOpen {
			return
		}
		headingOpen = false
		full := join(texts(headLines))
		h, rest := full, ""
		if k := strings.Index(full, "。"); k >= 0 && k+len("。") < len(full) {
			h, rest = full[:k+len("。")], full[k+len("。"):]
		}
		if blockMark.kind == markSection {
			secHeading = h
			p.doc.Outline = append(p.doc.Outline, Section{Number: Numeral(sec), Heading: h})
		} else {
			subHeading = h
			s := &p.doc.Outline[len(p.doc.Outline)-1]
			s.Subsections = append(s.Subsections, Section{Number: Numeral(sec) + "/" + Numeral(sub), Heading: h})
		}
		blockMark = mark{}
		if rest != "" {
			p.addTextClause(KindParagraph, rest, headLines[0], p.path(secHeading, subHeading), sectionKey(sec, sub))
		}
		headLines = nil
	}
	for _, l := range ls {
		m := readMark(l.text)
		accepted := false
		switch m.kind {
		case markSection:
			accepted = m.number == sec+1
		case markSubsection:
			accepted = m.number == sub+1
		case markItem:
			accepted = m.number == lastItem+1 || (m.number == 1 && headingSince)
		}
		if accepted {
			closeHeading()
			flush()
			switch m.kind {
			case markSection:
				sec, sub = m.number, 0
				subHeading = ""
				headingSince = true
			case markSubsection:
				if sec == 0 && len(p.doc.Outline) == 0 {
					// Subsections without sections hang from an unnamed section.
					p.doc.Outline = append(p.doc.Outline, Section{Number: "", Heading: ""})
				}
				sub = m.number
				headingSince = true
			case markItem:
				lastItem = m.number
				headingSince = false
			}
			blockMark = m
			if m.kind == markItem {
				block = []line{l}
				continue
			}
			headingOpen = true
			headLines = []line{l}
			// A heading ends with its line unless the line is full and unfinished.
			if strings.HasSuffix(l.text, "。") || l.width < p.full*85/100 {
				closeHeading()
			}
			continue
		}
		if headingOpen {
			headLines = append(headLines, l)
			if strings.HasSuffix(l.text, "。") || l.width < p.full*85/100 {
				closeHeading()
			}
			continue
		}
		block = append(block, l)
	}
	closeHeading()
	flush()
	if lastItem == 0 && len(p.doc.Outline) == 0 {
		l := ls[0]
		return &Error{Line: l.no, Offset: l.offset, Reason: "no numbered items were found"}
	}
	return nil
}

// Numeral writes 1–99 as official documents number their sections: 一 … 九十九.
func Numeral(n int) string {
	if n <= 0 {
		return ""
	}
	ds := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return ds[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + ds[n-10]
	case n%10 == 0:
		return ds[n/10] + "十"
	default:
		return ds[n/10] + "十" + ds[n%10]
	}
}

func sectionKey(sec, sub int) string {
	switch {
	case sec == 0 && sub == 0:
		return ""
	case sub == 0:
		return Numeral(sec)
	default:
		return Numeral(sec) + "/" + Numeral(sub)
	}
}

func (p *parser) path(sec, sub string) []string {
	var out []string
	for _, h := range []string{sec, sub} {
		if h != "" {
			out = append(out, h)
		}
	}
	return out
}

// addNotice adds the cover notice: recipients, body and signature with date,
// one line each, as the notice sets them apart.
func (p *parser) addNotice(recipients, body, signature []line) {
	var blocks []string
	var first []line
	for _, b := range [][]line{recipients, body} {
		if len(b) > 0 {
			blocks = append(blocks, join(texts(b)))
			first = append(first, b[0])
		}
	}
	for _, l := range signature {
		blocks = append(blocks, tidySpaces(l.text))
		first = append(first, l)
	}
	if len(first) > 0 {
		p.addTextClause(KindNotice, strings.Join(blocks, "\n"), first[0], nil, "")
	}
}

// addClause adds a notice, preamble or paragraph clause from its lines.
func (p *parser) addClause(kind Kind, ls []line, section string) {
	if len(ls) == 0 {
		return
	}
	p.addTextClause(kind, join(texts(ls)), ls[0], nil, section)
}

func (p *parser) addTextClause(kind Kind, text string, first line, path []string, section string) {
	c := Clause{
		DocID:   p.doc.ID,
		Kind:    kind,
		Path:    path,
		Section: section,
		Text:    text,
		Order:   p.order,
		Line:    first.no,
	}
	p.order++
	p.doc.Clauses = append(p.doc.Clauses, c)
}

func (p *parser) addItem(n int, ls []line, path []string, section string) {
	m := readMark(ls[0].text)
	parts := texts(ls)
	parts[0] = m.rest
	text := join(parts)
	c := Clause{
		DocID:       p.doc.ID,
		Kind:        KindItem,
		Number:      n,
		Path:        path,
		Section:     section,
		Title:       itemTitle(text),
		Text:        text,
		Departments: departments(text),
		Order:       p.order,
		Line:        ls[0].no,
	}
	p.order++
	p.doc.Clauses = append(p.doc.Clauses, c)
	if len(p.doc.Outline) > 0 {
		s := &p.doc.Outline[len(p.doc.Outline)-1]
		if len(s.Subsections) > 0 && strings.Contains(section, "/") {
			s = &s.Subsections[len(s.Subsections)-1]
		}
		s.Items = append(s.Items, ItemRef{Number: n, Title: c.Title})
	}
}

// itemTitle is an item's headline: the text before the first 。, or before the
// first ， where that is longer than 40 characters.
func itemTitle(text string) string {
	t := text
	if k := strings.Index(t, "。"); k >= 0 {
		t = t[:k]
	}
	if utf8.RuneCountInString(t) > 40 {
		if k := strings.Index(t, "，"); k >= 0 {
			t = t[:k]
		}
	}
	return t
}

// roleSuffixes are what follows the department names inside the parentheses.
var roleSuffixes = []string{"按职责分工负责", "按职责负责", "分工负责", "负责"}

// departments reads the responsible departments from the parentheses that close
// an item: （市委宣传部、市科技局、市科协按职责分工负责）. Names keep their own
// parentheses (市委党校（重庆行政学院）).
func departments(text string) []string {
	rs := []rune(strings.TrimSpace(text))
	n := len(rs)
	if n == 0 || (rs[n-1] != '）' && rs[n-1] != ')') {
		return nil
	}
	open := matching(rs, n-1)
	if open < 0 {
		return nil
	}
	inner := strings.TrimSpace(string(rs[open+1 : n-1]))
	before := ' '
	if open > 0 {
		before = rs[open-1]
	}
	assigned := false
	for _, s := range roleSuffixes {
		if strings.HasSuffix(inner, s) {
			inner, assigned = strings.TrimSuffix(inner, s), true
			break
		}
	}
	// Parentheses after a full stop, or naming who is responsible, hold departments;
	// others (示范区（县）) are part of the text.
	if !assigned && inner != AllUnits && !strings.ContainsRune("。；！？ ", before) {
		return nil
	}
	names := splitTopLevel(inner, "、，,；;")
	for i, s := range names {
		for _, suf := range []string{"牵头", "配合", "参与"} {
			s = strings.TrimSuffix(s, suf)
		}
		names[i] = s
	}
	return names
}

// finish assigns ids and citations once every clause is known.
func (p *parser) finish() {
	d := p.doc
	seen := map[int]bool{}
	unique := true
	for _, c := range d.Clauses {
		if c.Kind == KindItem {
			if seen[c.Number] {
				unique = false
			}
			seen[c.Number] = true
		}
	}
	cite := d.Number
	if cite == "" {
		cite = "《" + d.Title + "》"
	}
	para := 0
	ids := map[string]string{} // item key → id, for the outline
	for i := range d.Clauses {
		c := &d.Clauses[i]
		switch c.Kind {
		case KindNotice:
			c.ID, c.Citation = d.ID+":notice", cite+" 通知"
		case KindPreamble:
			c.ID, c.Citation = d.ID+":preamble", cite+" 前言"
		case KindParagraph:
			para++
			c.ID, c.Citation = fmt.Sprintf("%s:p%d", d.ID, para), cite
			if c.Section != "" {
				c.Citation = cite + " " + c.Section
			}
		case KindItem:
			// Items numbered afresh in each section are told apart by their section.
			key := strconv.Itoa(c.Number)
			if !unique {
				key = strings.ReplaceAll(c.Section, "/", "-") + "-" + key
			}
			c.ID = d.ID + ":" + key
			c.Citation = fmt.Sprintf("%s 第%d项", cite, c.Number)
			if !unique {
				c.Citation = fmt.Sprintf("%s %s 第%d项", cite, c.Section, c.Number)
			}
			ids[c.Section+"#"+strconv.Itoa(c.Number)] = c.ID
		}
	}
	var fill func(s []Section)
	fill = func(s []Section) {
		for i := range s {
			for j := range s[i].Items {
				sec := s[i].Number
				s[i].Items[j].ID = ids[sec+"#"+strconv.Itoa(s[i].Items[j].Number)]
			}
			fill(s[i].Subsections)
		}
	}
	fill(d.Outline)
}
