package extract

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"policysearch/internal/fault"
)

// xnode is an element of a small XML part (styles.xml, numbering.xml), held
// whole; the number of elements is bounded.
type xnode struct {
	name  string
	attrs []xml.Attr
	kids  []*xnode
	chars string // the character data directly inside
}

const maxPartElements = 500_000

func parseDOM(r io.Reader, part string) (*xnode, error) {
	d := xml.NewDecoder(r)
	root := &xnode{}
	stack := []*xnode{root}
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			var fe *fault.Error
			if errors.As(err, &fe) {
				return nil, err
			}
			return nil, fault.New(fault.Unprocessable, "the Word document is damaged: %s: %v", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > maxPartElements {
				return nil, fault.New(fault.Unprocessable, "the Word document's %s has more than %d elements", part, maxPartElements)
			}
			n := &xnode{name: t.Name.Local, attrs: t.Attr}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if top := stack[len(stack)-1]; top != root {
				top.chars += string(t)
			}
		}
	}
}

func (n *xnode) attr(local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *xnode) val() string {
	v, _ := n.attr("val")
	return v
}

func (n *xnode) intVal() (int, bool) {
	v, ok := n.attr("val")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(v)
	return i, err == nil
}

// child is the first child named local; it looks into mc:AlternateContent's
// Fallback, which holds what a reader without the newer feature uses.
func (n *xnode) child(local string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == local {
			return k
		}
	}
	for _, k := range n.kids {
		if k.name == "AlternateContent" {
			for _, alt := range k.kids {
				if alt.name == "Fallback" {
					if c := alt.child(local); c != nil {
						return c
					}
				}
			}
		}
	}
	return nil
}

func (n *xnode) children(local string) []*xnode {
	var out []*xnode
	if n == nil {
		return out
	}
	for _, k := range n.kids {
		if k.name == local {
			out = append(out, k)
		}
	}
	return out
}

func (n *xnode) path(locals ...string) *xnode {
	for _, l := range locals {
		n = n.child(l)
	}
	return n
}

// style is a paragraph style: the numbering it carries and the style it is based on.
type style struct {
	basedOn string
	numID   int
	hasNum  bool
	ilvl    int
	hasLvl  bool
}

type styles struct {
	byID         map[string]*style
	defaultStyle string
}

func (s *styles) read(z *unpacked) error {
	rc, err := z.open("word/styles.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	root, err := parseDOM(rc, "word/styles.xml")
	if err != nil {
		return err
	}
	for _, e := range root.path("styles").children("style") {
		if t, _ := e.attr("type"); t != "paragraph" {
			continue
		}
		id, _ := e.attr("styleId")
		st := &style{basedOn: e.child("basedOn").val()}
		if np := e.path("pPr", "numPr"); np != nil {
			if n, ok := np.child("numId").intVal(); ok {
				st.numID, st.hasNum = n, true
			}
			if l, ok := np.child("ilvl").intVal(); ok {
				st.ilvl, st.hasLvl = l, true
			}
		}
		s.byID[id] = st
		if d, _ := e.attr("default"); d == "1" || d == "true" {
			s.defaultStyle = id
		}
	}
	return nil
}

// numberingOf follows a style and the styles it is based on to the first that
// carries numbering.
func (s *styles) numberingOf(id string) (numID int, hasNum bool, ilvl int, hasLvl bool) {
	for depth := 0; id != "" && depth < 20; depth++ {
		st := s.byID[id]
		if st == nil {
			break
		}
		if st.hasLvl && !hasLvl {
			ilvl, hasLvl = st.ilvl, true
		}
		if st.hasNum {
			return st.numID, true, ilvl, hasLvl
		}
		id = st.basedOn
	}
	return 0, false, ilvl, hasLvl
}

// level is one level of a list: how its number is counted and written.
type level struct {
	start   int
	format  string // numFmt: decimal, chineseCounting, …
	custom  string // numFmt w:format of a "custom" format: 一, 二, 三, ...
	text    string // lvlText: %1、 （%1） %1.%2
	restart int    // lvlRestart: restart after this level (1-based); -1 is the default
	legal   bool   // isLgl: every number decimal
	pStyle  string // the paragraph style this level is linked to
	suff    string // tab, space or nothing after the number
}

func readLevel(e *xnode) *level {
	l := &level{restart: -1, suff: "tab"}
	l.start, _ = e.child("start").intVal()
	if f := e.child("numFmt"); f != nil {
		l.format = f.val()
		l.custom, _ = f.attr("format")
	}
	// Word 2010 writes a custom format as mc:Choice with the standard format
	// in mc:Fallback, which child() finds when the element itself is absent.
	if t := e.child("lvlText"); t != nil {
		l.text = t.val()
	}
	if r, ok := e.child("lvlRestart").intVal(); ok {
		l.restart = r
	}
	if g := e.child("isLgl"); g != nil {
		v := g.val()
		l.legal = v == "" || v == "1" || v == "true"
	}
	l.pStyle = e.child("pStyle").val()
	if s := e.child("suff"); s != nil {
		l.suff = s.val()
	}
	return l
}

type abstractNum struct {
	levels    map[int]*level
	styleLink string // numStyleLink: the list is the one this style's numbering names
}

type numInstance struct {
	abstract  int
	overrides map[int]int    // level → startOverride
	levels    map[int]*level // level → a whole level redefined
}

// numbering restores Word's automatic numbers: one counter per list and level,
// lower levels restarting when a higher one counts.
type numbering struct {
	abstracts map[int]*abstractNum
	nums      map[int]*numInstance
	counters  map[string]*[9]int
	used      map[string]*[9]bool
	styles    *styles
}

func newNumbering(st *styles) *numbering {
	return &numbering{abstracts: map[int]*abstractNum{}, nums: map[int]*numInstance{},
		counters: map[string]*[9]int{}, used: map[string]*[9]bool{}, styles: st}
}

func (n *numbering) read(z *unpacked) error {
	rc, err := z.open("word/numbering.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	root, err := parseDOM(rc, "word/numbering.xml")
	if err != nil {
		return err
	}
	top := root.child("numbering")
	for _, a := range top.children("abstractNum") {
		id, err := strconv.Atoi(firstAttr(a, "abstractNumId"))
		if err != nil {
			continue
		}
		abs := &abstractNum{levels: map[int]*level{}, styleLink: a.child("numStyleLink").val()}
		for _, e := range a.children("lvl") {
			if il, err := strconv.Atoi(firstAttr(e, "ilvl")); err == nil && il >= 0 && il < 9 {
				abs.levels[il] = readLevel(e)
			}
		}
		n.abstracts[id] = abs
	}
	for _, e := range top.children("num") {
		id, err := strconv.Atoi(firstAttr(e, "numId"))
		if err != nil {
			continue
		}
		a, _ := e.child("abstractNumId").intVal()
		ni := &numInstance{abstract: a, overrides: map[int]int{}, levels: map[int]*level{}}
		for _, o := range e.children("lvlOverride") {
			il, err := strconv.Atoi(firstAttr(o, "ilvl"))
			if err != nil || il < 0 || il >= 9 {
				continue
			}
			if s, ok := o.child("startOverride").intVal(); ok {
				ni.overrides[il] = s
			}
			if l := o.child("lvl"); l != nil {
				ni.levels[il] = readLevel(l)
			}
		}
		n.nums[id] = ni
	}
	return nil
}

func firstAttr(n *xnode, local string) string {
	v, _ := n.attr(local)
	return v
}

// next counts a paragraph in its list, if it is in one, and returns the
// number as Word shows it (一、, （二）, 3.), with what follows the number.
func (n *numbering) next(p *para, st *styles) string {
	styleID := p.style
	if styleID == "" {
		styleID = st.defaultStyle
	}
	numID, hasNum, ilvl, hasLvl := p.numID, p.hasNum, p.ilvl, p.hasLvl
	if !hasNum {
		var sl int
		var shl bool
		numID, hasNum, sl, shl = st.numberingOf(styleID)
		if !hasLvl && shl {
			ilvl, hasLvl = sl, true
		}
	}
	if !hasNum || numID == 0 {
		return ""
	}
	ni := n.nums[numID]
	if ni == nil {
		return ""
	}
	absID := ni.abstract
	abs := n.abstracts[absID]
	if abs != nil && abs.styleLink != "" {
		// A list style: its numbering is the num the style names.
		if linked, ok, _, _ := st.numberingOf(abs.styleLink); ok {
			if li := n.nums[linked]; li != nil && n.abstracts[li.abstract] != nil {
				absID, abs = li.abstract, n.abstracts[li.abstract]
			}
		}
	}
	if abs == nil {
		return ""
	}
	if !hasLvl {
		// A heading style linked to a level of a multilevel list.
		for il, l := range abs.levels {
			if l.pStyle != "" && l.pStyle == styleID {
				ilvl = il
			}
		}
	}
	if ilvl < 0 || ilvl >= 9 {
		ilvl = 0
	}
	levelOf := func(il int) *level {
		if l := ni.levels[il]; l != nil {
			return l
		}
		if l := abs.levels[il]; l != nil {
			return l
		}
		return &level{format: "decimal", text: "%" + strconv.Itoa(il+1) + ".", restart: -1, suff: "tab"}
	}
	startOf := func(il int) int {
		if s, ok := ni.overrides[il]; ok {
			return s
		}
		return levelOf(il).start
	}
	// Lists of one abstract definition continue each other in Word, unless a
	// num restarts its levels.
	key := "a" + strconv.Itoa(absID)
	if len(ni.overrides) > 0 || len(ni.levels) > 0 {
		key = "n" + strconv.Itoa(numID)
	}
	cnt, used := n.counters[key], n.used[key]
	if cnt == nil {
		cnt, used = &[9]int{}, &[9]bool{}
		n.counters[key], n.used[key] = cnt, used
	}
	if used[ilvl] {
		cnt[ilvl]++
	} else {
		cnt[ilvl], used[ilvl] = startOf(ilvl), true
	}
	for deeper := ilvl + 1; deeper < 9; deeper++ {
		if r := levelOf(deeper).restart; r == 0 || (r > 0 && r-1 < ilvl) {
			continue
		}
		used[deeper] = false
	}
	lv := levelOf(ilvl)
	if lv.format == "bullet" || lv.format == "none" && !strings.Contains(lv.text, "%") {
		// A bullet is not a number the parser reads; a level without a number
		// may still hold fixed text.
		if lv.format == "bullet" {
			return ""
		}
		return lv.text
	}
	var b strings.Builder
	text := lv.text
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			il := int(text[i+1] - '1')
			v := cnt[il]
			if !used[il] {
				v = startOf(il)
			}
			l := levelOf(il)
			format := l.format
			if lv.legal {
				format = "decimal"
			}
			b.WriteString(formatNumber(v, format, l.custom))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	label := b.String()
	if label != "" && lv.suff != "nothing" && !strings.HasSuffix(label, " ") {
		if r := []rune(label); !strings.ContainsRune("、.．)）:：", r[len(r)-1]) {
			label += " "
		}
	}
	return label
}

var (
	zhDigits    = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	zhUnits     = []string{"", "十", "百", "千"}
	legalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	legalUnits  = []string{"", "拾", "佰", "仟"}
	tradLegal   = []string{"零", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖"}
	heavenly    = []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"}
	earthly     = []string{"子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥"}
)

// formatNumber writes n in a Word number format.
func formatNumber(n int, format, custom string) string {
	if format == "custom" {
		format = customFormat(custom)
	}
	switch format {
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
		"japaneseCounting", "koreanCounting":
		return counting(n, zhDigits, zhUnits, "零", true)
	case "taiwaneseDigital", "ideographDigital", "chineseDigital":
		if n < 0 {
			break
		}
		var b strings.Builder
		for _, r := range strconv.Itoa(n) {
			b.WriteString(zhDigits[r-'0'])
		}
		return b.String()
	case "chineseLegalSimplified":
		return counting(n, legalDigits, legalUnits, "零", false)
	case "ideographLegalTraditional":
		return counting(n, tradLegal, []string{"", "拾", "佰", "仟"}, "零", false)
	case "ideographTraditional":
		if n >= 1 && n <= len(heavenly) {
			return heavenly[n-1]
		}
	case "ideographZodiac":
		if n >= 1 && n <= len(earthly) {
			return earthly[n-1]
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		switch {
		case n >= 1 && n <= 20:
			return string(rune(0x2460 + n - 1))
		case n >= 21 && n <= 35:
			return string(rune(0x3251 + n - 21))
		case n >= 36 && n <= 50:
			return string(rune(0x32B1 + n - 36))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune(0x2474 + n - 1))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune(0x2488 + n - 1))
		}
	case "ideographEnclosedCircle":
		if n >= 1 && n <= 10 {
			return string(rune(0x3280 + n - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		return strings.Map(func(r rune) rune { return r - '0' + '０' }, strconv.Itoa(n))
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
			if format == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "lowerRoman", "upperRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "none":
		return ""
	}
	return strconv.Itoa(n)
}

// customFormat maps a Word 2010 custom format ("一, 二, 三, ...", "001, 002,
// 003, ...") to the standard format that counts the same way.
func customFormat(f string) string {
	first := strings.TrimSpace(strings.SplitN(f, ",", 2)[0])
	switch {
	case first == "一":
		return "chineseCounting"
	case first == "壹":
		return "chineseLegalSimplified"
	case first == "甲":
		return "ideographTraditional"
	case first == "①":
		return "decimalEnclosedCircle"
	case first == "01":
		return "decimalZero"
	case first == "１":
		return "decimalFullWidth"
	}
	return "decimal"
}

// counting writes n (up to 9999) in Chinese counting: 十一, 二十, 一百零五.
// With dropOne, 10–19 are 十… rather than 一十….
func counting(n int, digits, units []string, zero string, dropOne bool) string {
	if n < 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	if n == 0 {
		return digits[0]
	}
	var parts [4]int
	for i, v := 0, n; i < 4; i++ {
		parts[i] = v % 10
		v /= 10
	}
	var b strings.Builder
	pendingZero := false
	started := false
	for i := 3; i >= 0; i-- {
		d := parts[i]
		if d == 0 {
			if started {
				pendingZero = true
			}
			continue
		}
		if pendingZero {
			b.WriteString(zero)
			pendingZero = false
		}
		if !(dropOne && i == 1 && d == 1 && !started) {
			b.WriteString(digits[d])
		}
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
