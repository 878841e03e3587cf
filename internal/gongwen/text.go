package gongwen

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// footerRe matches a page footer such as "— 9—" or "- 12 -".
var footerRe = regexp.MustCompile(`^[—–\-－]+\s*\d+\s*[—–\-－]+$`)

// line is one non-empty source line, trimmed.
type line struct {
	no     int // 1-based
	offset int // byte offset of the line in the input
	text   string
	width  int // display width: wide characters count 2
}

// splitLines drops blank lines and page footers and trims every line. A leading
// space marks a new page in the PDF extraction; pages are joined like lines, so the
// mark carries no information once footers are gone.
func splitLines(src string) []line {
	var out []line
	offset := 0
	for i, raw := range strings.Split(src, "\n") {
		start := offset
		offset += len(raw) + 1
		t := strings.TrimFunc(raw, unicode.IsSpace)
		if t == "" || footerRe.MatchString(t) {
			continue
		}
		out = append(out, line{no: i + 1, offset: start, text: t, width: displayWidth(t)})
	}
	return out
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

// tidySpaces removes runs of spaces between a digit and a Chinese character
// (2022 年 → 2022年, 2 号 → 2号) and keeps every other space.
func tidySpaces(s string) string {
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
			if (isDigit(prev) && unicode.Is(unicode.Han, next)) || (unicode.Is(unicode.Han, prev) && isDigit(next)) {
				i = j - 1
				continue
			}
		}
		out = append(out, rs[i:j]...)
		i = j - 1
	}
	return string(out)
}

var chineseDigits = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 一 … 九十九 (and 〇-style digit strings such as 二〇二二).
func chineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, cur := 0, -1
	sawTen := false
	for _, r := range s {
		switch {
		case r == '十':
			if sawTen {
				return 0, false
			}
			sawTen = true
			if cur < 0 {
				cur = 1
			}
			n += cur * 10
			cur = -1
		default:
			d, ok := chineseDigits[r]
			if !ok {
				return 0, false
			}
			if cur >= 0 {
				if sawTen {
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
