package gongwen

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const cnNum = `[一二三四五六七八九十百零〇]+`

var (
	sectionRe    = regexp.MustCompile(`^(` + cnNum + `)、`)
	subsectionRe = regexp.MustCompile(`^[（(](` + cnNum + `)[）)]`)
	// An item number is followed by its text, not by more digits (计划 2.0 is no item).
	itemRe    = regexp.MustCompile(`^(\d{1,3})[.．、]\s*([^\d.．\s]|$)`)
	chapterRe = regexp.MustCompile(`^第(` + cnNum + `)章`)
	partRe    = regexp.MustCompile(`^第(` + cnNum + `)节`)
	volumeRe  = regexp.MustCompile(`^第(` + cnNum + `)部分`)
	articleRe = regexp.MustCompile(`^第(` + cnNum + `)条\s*`)
)

type markKind int

const (
	markNone markKind = iota
	markSection
	markSubsection
	markItem
	markChapter
	markPart
	markArticle
	markVolume // 第一部分: above the sections
)

// mark is a numbered heading or item found at the start of a line.
type mark struct {
	kind   markKind
	number int
	at     int // bytes of the key the marker takes
}

func readMark(k string) mark {
	for _, c := range []struct {
		re   *regexp.Regexp
		kind markKind
	}{{chapterRe, markChapter}, {partRe, markPart}, {articleRe, markArticle}, {volumeRe, markVolume}, {sectionRe, markSection}, {subsectionRe, markSubsection}} {
		if m := c.re.FindStringSubmatchIndex(k); m != nil {
			if n, ok := chineseNumber(k[m[2]:m[3]]); ok && n > 0 {
				return mark{c.kind, n, m[1]}
			}
		}
	}
	if m := itemRe.FindStringSubmatchIndex(k); m != nil {
		n, _ := strconv.Atoi(k[m[2]:m[3]])
		return mark{markItem, n, m[4]}
	}
	return mark{}
}

// heading is an open section, subsection, chapter or part: its lines, and its
// own text until something numbered comes under it.
type heading struct {
	mark     mark
	sec, sub int // its numbers: sub is 0 for a section
	lines    []line
	own      []line // text under it before anything numbered
	ownHead  string // text after the heading's 。 on its own lines
	text     string // the heading as shown: （三）营造良好社会氛围。
	children bool
	open     bool // still taking continuation lines
	number   string
}

// body reads the numbered part. A marker counts only when it continues its
// numbering (the next section, subsection, item or article), so a line that
// happens to start with "2." or "（三）" inside a paragraph stays text. Lower
// levels — （1）, ①, —— — and anything numbered inside an article stay in
// their clause's text.
func (p *parser) body(ls []line) {
	var (
		top, sub     *heading // 一、 or 第一章; （一） or 第一节
		sec, subn    int
		lastItem     int
		lastArticle  int
		lastSub      int  // the last subsection number of any section
		articles     bool // the document is made of articles (第一条)
		headingSince bool // a heading was read since the last item
		block        []line
		blockMark    mark
	)
	flush := func() {
		if len(block) == 0 {
			return
		}
		switch blockMark.kind {
		case markItem:
			p.addItem(blockMark, block, p.path(top, sub), sectionKey(sec, subn))
		case markArticle:
			p.addArticle(blockMark, block, p.path(top, sub), sectionKey(sec, subn))
		}
		block = nil
		blockMark = mark{}
	}
	// A heading whose own text gets numbered children gives that text as a
	// paragraph; one that never does is a clause of its own.
	ownAsParagraph := func(h *heading) {
		if h == nil || h.children {
			return
		}
		h.children = true
		txt := h.ownHead
		if rest := p.joinLines(h.own); rest != "" {
			txt = joinText(txt, rest)
		}
		if txt != "" {
			first := h.lines[0]
			if len(h.own) > 0 && h.ownHead == "" {
				first = h.own[0]
			}
			p.addTextClause(KindParagraph, txt, first, p.path(top, sub), sectionKey(sec, subn), "", 0)
		}
	}
	closeHeading := func(h *heading, s, t int) {
		if h == nil || h.children {
			return
		}
		if h.ownHead == "" && len(h.own) == 0 {
			return
		}
		path := p.path(top, nil)
		if h == top {
			path = nil
		}
		title := strings.TrimSuffix(headingTitle(h), "。")
		text := headingTitle(h) + h.ownHead
		if rest := p.joinLines(h.own); rest != "" {
			text = joinText(text, rest)
		}
		p.addTextClause(KindItem, text, h.lines[0], path, sectionKey(s, t), title, 0)
		p.extra[len(p.doc.Clauses)-1] = clauseExtra{heading: headingID(s, t)}
	}
	closeSub := func() {
		closeHeading(sub, sec, subn)
		sub = nil
	}
	closeTop := func() {
		closeSub()
		closeHeading(top, sec, 0)
		top = nil
	}
	var (
		volume      *heading // 第一部分
		volumeNo    int
		volumeSince bool // sections may start again at 一 after a 部分
	)
	for _, l := range ls {
		m := readMark(l.key)
		accepted := false
		switch m.kind {
		case markVolume:
			accepted = m.number == volumeNo+1 && !articles
		case markSection, markChapter:
			accepted = (m.number == sec+1 || volumeSince && m.number == 1) && (m.kind == markChapter) == articles || m.number == sec+1 && m.kind == markChapter
			if m.kind == markSection && articles {
				accepted = false
			}
		case markSubsection, markPart:
			// Subsections restart in each section, or run on through the whole
			// document (（三） under 二、 after （一）（二） under 一、).
			next := m.number == subn+1 || subn == 0 && lastSub > 0 && m.number == lastSub+1
			accepted = next && (!articles || m.kind == markPart)
		case markItem:
			accepted = !articles && (m.number == lastItem+1 || (m.number == 1 && headingSince))
		case markArticle:
			accepted = m.number == lastArticle+1
		}
		if !accepted && m.kind != markNone && m.kind != markItem && !articles && m.kind != markSubsection {
			p.warn(l.no, "%q does not continue the numbering: kept as text", firstRunes(l.text, 12))
		}
		if accepted {
			flush()
			if top != nil && top.open {
				p.closeHeadingLines(top)
			}
			if sub != nil && sub.open {
				p.closeHeadingLines(sub)
			}
			switch m.kind {
			case markVolume:
				closeTop()
				if volume != nil && !volume.children {
					ownAsParagraph(volume)
				}
				volumeNo, volumeSince = m.number, true
				volume = &heading{mark: m, lines: []line{l}, number: "-", open: true}
				p.closeHeadingLines(volume)
				p.volume = volume.text
			case markSection, markChapter:
				closeTop()
				if volume != nil {
					ownAsParagraph(volume)
				}
				volumeSince = false
				sec, subn = m.number, 0
				top = &heading{mark: m, sec: sec, lines: []line{l}, open: true}
				headingSince = true
				if m.kind == markChapter {
					articles = true
				}
			case markSubsection, markPart:
				closeSub()
				if top == nil && len(p.doc.Outline) == 0 {
					// Subsections without sections hang from an unnamed section.
					p.doc.Outline = append(p.doc.Outline, Section{Number: "", Heading: ""})
				}
				ownAsParagraph(top)
				subn, lastSub = m.number, m.number
				sub = &heading{mark: m, sec: sec, sub: subn, lines: []line{l}, open: true}
				headingSince = true
			case markItem:
				if sub != nil {
					ownAsParagraph(sub)
				} else {
					ownAsParagraph(top)
				}
				lastItem = m.number
				headingSince = false
				block, blockMark = []line{l}, m
			case markArticle:
				articles = true
				if sub != nil {
					ownAsParagraph(sub)
				} else {
					ownAsParagraph(top)
				}
				lastArticle = m.number
				block, blockMark = []line{l}, m
			}
			if m.kind == markSection || m.kind == markChapter {
				p.headingLine(top, l)
			} else if m.kind == markSubsection || m.kind == markPart {
				p.headingLine(sub, l)
			}
			continue
		}
		h := sub
		if h == nil {
			h = top
		}
		if h == nil && volume != nil {
			h = volume
		}
		switch {
		case len(block) > 0:
			block = append(block, l)
		case h != nil && h.open:
			h.lines = append(h.lines, l)
			p.headingLine(h, l)
		case h != nil:
			h.own = append(h.own, l)
		default:
			// Text before any heading cannot happen: the body starts at one.
			block = append(block, l)
		}
	}
	flush()
	if top != nil && top.open {
		p.closeHeadingLines(top)
	}
	if sub != nil && sub.open {
		p.closeHeadingLines(sub)
	}
	closeTop()
	if volume != nil && !volume.children {
		ownAsParagraph(volume)
	}
}

// headingLine takes one more line of a heading; the heading ends with its line
// unless the line is full and unfinished (a PDF wrapped it).
func (p *parser) headingLine(h *heading, l line) {
	if !p.wrapped || strings.Contains(l.key, "。") || l.width < p.full*85/100 {
		p.closeHeadingLines(h)
	}
}

// closeHeadingLines ends a heading's lines: text after its first 。 is the
// heading's own text.
func (p *parser) closeHeadingLines(h *heading) {
	if !h.open {
		return
	}
	h.open = false
	full := join(texts(h.lines))
	h.text = full
	if k := strings.Index(full, "。"); k >= 0 && k+len("。") < len(full) {
		h.text, h.ownHead = full[:k+len("。")], full[k+len("。"):]
	}
	p.outline(h)
}

func (p *parser) outline(h *heading) {
	sec, sub := h.sec, h.sub
	if h.number != "" {
		return
	}
	if h.mark.kind == markSection || h.mark.kind == markChapter {
		h.number = Numeral(sec)
		p.doc.Outline = append(p.doc.Outline, Section{Number: h.number, Heading: h.text})
		return
	}
	h.number = Numeral(sec) + "/" + Numeral(sub)
	if len(p.doc.Outline) == 0 {
		p.doc.Outline = append(p.doc.Outline, Section{})
	}
	s := &p.doc.Outline[len(p.doc.Outline)-1]
	s.Subsections = append(s.Subsections, Section{Number: h.number, Heading: h.text})
}

// headingTitle is a heading without its number: （一）指导思想 → 指导思想.
func headingTitle(h *heading) string {
	rs := []rune(h.text)
	n := utf8.RuneCountInString(h.lines[0].key[:h.mark.at])
	if n > len(rs) {
		return h.text
	}
	return strings.TrimSpace(string(rs[n:]))
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

func firstRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) > n {
		return string(rs[:n]) + "…"
	}
	return s
}

// Numeral writes 1–999 as official documents number their sections: 一 … 九十九.
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
	case n < 100 && n%10 == 0:
		return ds[n/10] + "十"
	case n < 100:
		return ds[n/10] + "十" + ds[n%10]
	case n < 1000:
		rest := n % 100
		s := ds[n/100] + "百"
		switch {
		case rest == 0:
		case rest < 10:
			s += "零" + ds[rest]
		case rest < 20:
			s += "一" + Numeral(rest)
		default:
			s += Numeral(rest)
		}
		return s
	}
	return strconv.Itoa(n)
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

// sectionCite writes a section key as a citation does: 一/三 → 一（三）.
func sectionCite(key string) string {
	if k := strings.Index(key, "/"); k >= 0 {
		return key[:k] + "（" + key[k+1:] + "）"
	}
	return key
}

func headingID(sec, sub int) string {
	if sub == 0 {
		return "h" + strconv.Itoa(sec)
	}
	return "h" + strconv.Itoa(sec) + "-" + strconv.Itoa(sub)
}

func (p *parser) path(top, sub *heading) []string {
	var out []string
	if p.volume != "" {
		out = append(out, p.volume)
	}
	for _, h := range []*heading{top, sub} {
		if h != nil && h.text != "" {
			out = append(out, h.text)
		}
	}
	return out
}

// addNotice adds the cover notice: recipients, body and signature with date,
// one line each, as the notice sets them apart.
func (p *parser) addNotice(rec, ls []line) {
	var blocks []string
	if len(rec) > 0 {
		blocks = append(blocks, join(texts(rec)))
	}
	// The signature lines close the notice; text after one means it was text.
	sigFrom := len(ls)
	for sigFrom > 0 && isSignatureLine(ls[sigFrom-1].key) {
		sigFrom--
	}
	if body := p.joinLines(ls[:sigFrom]); body != "" {
		blocks = append(blocks, body)
	}
	for _, l := range ls[sigFrom:] {
		blocks = append(blocks, l.text)
	}
	first := ls
	if len(rec) > 0 {
		first = rec
	}
	if len(first) > 0 && len(blocks) > 0 {
		p.addTextClause(KindNotice, strings.Join(blocks, "\n"), first[0], nil, "", "", 0)
	}
}

func endsSentence(k string) bool {
	last, _ := utf8.DecodeLastRuneInString(k)
	return strings.ContainsRune("。；！？：:", last)
}

// isSignatureLine: a body's name, a 代章 line or a date.
func isSignatureLine(k string) bool {
	if _, _, ok := signedDate(k); ok {
		return true
	}
	if daizhangRe.MatchString(k) {
		return true
	}
	return isTitleish(k) && !strings.ContainsAny(k, "，,") && utf8.RuneCountInString(k) <= 40 && len(splitOrgans(k)) > 0
}

// addClause adds a preamble or paragraph clause from its lines.
func (p *parser) addClause(kind Kind, ls []line, section string) {
	if len(ls) == 0 {
		return
	}
	p.addTextClause(kind, p.joinLines(ls), ls[0], nil, section, "", 0)
}

// paragraphs adds text without any numbering as one clause a paragraph: a
// blank line, or a line that ends a sentence and falls short of the page
// width, ends one.
func (p *parser) paragraphs(ls []line) {
	var cur []line
	for i, l := range ls {
		if len(cur) > 0 && (l.gap && endsSentence(ls[i-1].key) || !p.wrapped || endsSentence(ls[i-1].key) && ls[i-1].width < p.full*85/100) {
			p.addTextClause(KindParagraph, join(texts(cur)), cur[0], nil, "", "", 0)
			cur = nil
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		p.addTextClause(KindParagraph, join(texts(cur)), cur[0], nil, "", "", 0)
	}
}

func (p *parser) addTextClause(kind Kind, text string, first line, path []string, section, title string, number int) {
	c := Clause{
		DocID:   p.doc.ID,
		Kind:    kind,
		Number:  number,
		Path:    path,
		Section: section,
		Title:   title,
		Text:    text,
		Order:   p.order,
		Line:    first.no,
	}
	if kind == KindItem {
		c.Departments, c.LeadDepartments, c.Deadline = duties(text)
	}
	p.order++
	p.doc.Clauses = append(p.doc.Clauses, c)
}

// itemText is a numbered clause's text without its marker.
func (p *parser) itemText(m mark, ls []line) string {
	first := ls[0]
	rest := strings.TrimSpace(runeCut(first.text, first.key, m.at, len(first.key)))
	head := first
	head.text = rest
	head.key = first.key[m.at:]
	return p.joinLines(append([]line{head}, ls[1:]...))
}

func (p *parser) addItem(m mark, ls []line, path []string, section string) {
	text := p.itemText(m, ls)
	p.addTextClause(KindItem, text, ls[0], path, section, itemTitle(text), m.number)
	if len(p.doc.Outline) > 0 {
		s := &p.doc.Outline[len(p.doc.Outline)-1]
		if len(s.Subsections) > 0 && strings.Contains(section, "/") {
			s = &s.Subsections[len(s.Subsections)-1]
		}
		s.Items = append(s.Items, ItemRef{Number: m.number, Title: itemTitle(text)})
	}
}

// addArticle adds an article (第十二条): its title is its number as written.
func (p *parser) addArticle(m mark, ls []line, path []string, section string) {
	text := p.itemText(m, ls)
	title := strings.TrimSpace(runeCut(ls[0].text, ls[0].key, 0, m.at))
	p.addTextClause(KindItem, text, ls[0], path, section, title, m.number)
	p.extra[len(p.doc.Clauses)-1] = clauseExtra{article: true}
}

// itemTitle is an item's headline: the text before the first 。, or before the
// first ， where that is longer than 40 characters.
func itemTitle(text string) string {
	t := text
	if k := strings.IndexAny(t, "。\n"); k >= 0 {
		t = t[:k]
	}
	if utf8.RuneCountInString(t) > 40 {
		if k := strings.IndexAny(t, "，,"); k >= 0 {
			t = t[:k]
		}
	}
	return t
}
