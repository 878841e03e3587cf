package gongwen

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"policysearch/internal/script"
)

var (
	// footerRe matches a page marker on its own line: "— 9—", "- 12 -".
	footerRe = regexp.MustCompile(`^[—–\-－]+\s*\d{1,4}\s*[—–\-－]+$`)
	// inlineFooterRe matches a page marker a PDF extraction ran into the text
	// ("…工作— 2 —要点"). The spaces tell it from a range such as 2021—2025.
	inlineFooterRe = regexp.MustCompile(`[—–－]\s+\d{1,4}\s*[—–－]|[—–－]\s*\d{1,4}\s+[—–－]`)
)

// line is one non-empty source line, normalised.
type line struct {
	no     int    // 1-based
	offset int    // byte offset of the line in the input
	text   string // as shown: trimmed, PDF artefacts repaired
	spaced string // text before the spaces between Chinese characters went: 市科协 市教委
	key    string // text with traditional characters simplified, for recognising it
	width  int    // display width: wide characters count 2
	gap    bool   // a blank line comes before it
}

// splitLines normalises every line and drops blank lines and page markers,
// remembering which lines follow a blank one.
func splitLines(src string) []line {
	var out []line
	offset := 0
	gap := false
	for i, raw := range strings.Split(src, "\n") {
		start := offset
		offset += len(raw) + 1
		spaced := repairLine(raw)
		t := tidySpaces(spaced)
		if t == "" || footerRe.MatchString(t) {
			gap = gap || t == ""
			continue
		}
		for k, piece := range splitRunOn(t) {
			l := line{no: i + 1, offset: start, text: piece, spaced: piece, key: script.Fold(piece), width: displayWidth(piece), gap: gap && k == 0}
			if k == 0 && piece == t {
				l.spaced = strings.Join(strings.Fields(spaced), " ")
			}
			out = append(out, l)
		}
		gap = false
	}
	return out
}

// runOnRe finds where a numbered heading or item starts inside a line: after the
// end of a sentence, a marker of the document's numbering.
var runOnRe = regexp.MustCompile(`[。；;]\s*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百]{1,4}[条章])|[\p{Han}。；;）)]\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．][^\d])`)

// splitRunOn cuts a line that holds a whole page (a PDF extraction that lost its
// line breaks) before each numbered heading or item in it. A cut that does not
// continue the numbering costs nothing: the body joins it back as text.
func splitRunOn(t string) []string {
	if utf8.RuneCountInString(t) < 200 {
		return []string{t}
	}
	var out []string
	from := 0
	for _, m := range runOnRe.FindAllStringIndex(t, -1) {
		_, size := utf8.DecodeRuneInString(t[m[0]:])
		cut := m[0] + size
		for cut < len(t) && t[cut] == ' ' {
			cut++
		}
		if cut > from {
			out = append(out, t[from:cut])
			from = cut
		}
	}
	return append(out, t[from:])
}

// normalizeLine repairs what PDF fonts and extraction do to a line: Kangxi
// radicals and compatibility ideographs for ordinary characters (⼀ for 一),
// «» for 《》, page markers run into the text, spaces between Chinese
// characters and around their punctuation.
func normalizeLine(raw string) string { return tidySpaces(repairLine(raw)) }

// repairLine is normalizeLine without removing spaces.
func repairLine(raw string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r == '«':
			return '《'
		case r == '»':
			return '》'
		case r == '\u00a0' || r == '\r' || r == '\ufeff':
			return ' '
		}
		return r
	}, raw)
	if hasCompatibilityForms(s) {
		var b strings.Builder
		for _, r := range s {
			if isCompatibilityForm(r) {
				b.WriteString(norm.NFKC.String(string(r)))
			} else {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	// A footer is between dashes: most lines have none, and trying the
	// expression at every character of every line cost more than the rest.
	// (strings.ContainsAny decodes every character of the line; Contains
	// skips ahead by bytes.)
	if strings.Contains(s, "—") || strings.Contains(s, "–") || strings.Contains(s, "－") {
		s = inlineFooterRe.ReplaceAllString(s, "")
	}
	return strings.TrimFunc(s, unicode.IsSpace)
}

func isCompatibilityForm(r rune) bool {
	return r >= 0x2E80 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F
}

func hasCompatibilityForms(s string) bool {
	for _, r := range s {
		if isCompatibilityForm(r) {
			return true
		}
	}
	return false
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

// isCJK reports whether r is Chinese text or Chinese punctuation: a space next to
// it is an artefact of extraction, not a word break.
func isCJK(r rune) bool {
	return isWide(r) || r == '《' || r == '》' || r == '〈' || r == '〉' || r == '〔' || r == '〕'
}

// fullWidth estimates the width of a full line of the page: the PDF breaks every
// line there, so a line clearly shorter than it ends a paragraph.
func fullWidth(lines []line) int {
	if len(lines) == 0 {
		return 0
	}
	ws := make([]int, len(lines))
	for i, l := range lines {
		ws[i] = l.width
	}
	sort.Ints(ws)
	return ws[len(ws)*3/4]
}

// wrapped reports whether the text's lines were broken at a page width (a PDF
// extraction) rather than at paragraph ends (a web page, a word processor): most
// long lines of a wrapped text end inside a sentence.
func wrapped(lines []line) bool {
	long, open := 0, 0
	for _, l := range lines {
		if utf8.RuneCountInString(l.text) < 20 {
			continue
		}
		long++
		last, _ := utf8.DecodeLastRuneInString(l.text)
		if !strings.ContainsRune("。；：！？:;!?）)”", last) {
			open++
		}
	}
	return long > 0 && open*2 > long
}

// join reflows lines broken by the PDF extraction: Chinese needs no separator,
// English words keep one; then the spaces the extraction put between digits and
// Chinese go.
func join(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if b.Len() > 0 && p != "" {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(p)
			if isASCIILetter(last) && isASCIILetter(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return tidySpaces(b.String())
}

func isASCIILetter(r rune) bool { return r < 128 && unicode.IsLetter(r) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// tidySpaces removes the spaces an extraction put between Chinese characters,
// around Chinese punctuation and between digits and Chinese (国发 〔 2021〕9 号,
// 全 民 科 学, 2022 年) and keeps every other space (STEAM 科创大赛, a  b).
func tidySpaces(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if !unicode.IsSpace(rs[i]) {
			out = append(out, rs[i])
			continue
		}
		j := i
		for j < len(rs) && unicode.IsSpace(rs[j]) {
			j++
		}
		if len(out) > 0 && j < len(rs) {
			prev, next := out[len(out)-1], rs[j]
			if (isCJK(prev) && (isCJK(next) || isDigit(next) || isASCIIPunct(next))) ||
				((isDigit(prev) || isASCIIPunct(prev)) && isCJK(next)) {
				i = j - 1
				continue
			}
		}
		out = append(out, rs[i:j]...)
		i = j - 1
	}
	return string(out)
}

func isASCIIPunct(r rune) bool { return r < 128 && unicode.IsPunct(r) }

var chineseDigits = map[rune]int{'〇': 0, '○': 0, '零': 0, 'O': 0, '０': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 一 … 九百九十九 and digit strings such as 二〇二二 (or 二○一○,
// as some sites write the zero).
func chineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, cur := 0, -1
	lastUnit := 0 // 十 or 百, whichever came last: units only descend
	for _, r := range s {
		switch r {
		case '十', '百':
			unit := 10
			if r == '百' {
				unit = 100
			}
			if lastUnit != 0 && unit >= lastUnit || cur == 0 {
				return 0, false
			}
			lastUnit = unit
			if cur < 0 {
				cur = 1 // 十五: the unit alone is one of it
			}
			n += cur * unit
			cur = -1
		default:
			d, ok := chineseDigits[r]
			if !ok {
				return 0, false
			}
			if cur >= 0 {
				if lastUnit != 0 {
					if cur == 0 { // 一百零五
						cur = d
						continue
					}
					return 0, false
				}
				cur = cur*10 + d // digit strings: 二〇二二
			} else {
				cur = d
			}
		}
	}
	if cur >= 0 {
		n += cur
	}
	return n, true
}

// matching returns the index (in runes) of the bracket that opens the one closing
// at rs[end], counting both full- and half-width forms: the PDF text mixes them
// (（2021—2025 年)).
func matching(rs []rune, end int) int {
	depth := 0
	for i := end; i >= 0; i-- {
		switch rs[i] {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTopLevel splits s at any of seps outside brackets.
func splitTopLevel(s string, seps string) []string {
	var parts []string
	depth := 0
	var cur strings.Builder
	for _, r := range s {
		switch {
		case r == '（' || r == '(':
			depth++
		case (r == '）' || r == ')') && depth > 0:
			depth--
		case depth == 0 && strings.ContainsRune(seps, r):
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	parts = append(parts, cur.String())
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// bare is s without spaces, with widths folded, traditional characters
// simplified and every dash one dash: two spellings of one name compare equal.
func bare(s string) string {
	s = norm.NFKC.String(script.Fold(s))
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '—' || r == '–' || r == '－' || r == '~' || r == '～' || r == '至':
			return '-'
		case r == '〈' || r == '<':
			return '《'
		case r == '〉' || r == '>':
			return '》'
		}
		return r
	}, s)
}

// runeCut returns the part of text that spans key[from:to]: text and key hold the
// same characters one for one, in different scripts.
func runeCut(text, key string, from, to int) string {
	a := utf8.RuneCountInString(key[:from])
	b := a + utf8.RuneCountInString(key[from:to])
	rs := []rune(text)
	if b > len(rs) {
		return key[from:to]
	}
	return string(rs[a:b])
}
