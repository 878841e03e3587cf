package index

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"policysearch/internal/segment"
)

// Fragments sizes highlight fragments. Chinese packs a phrase into a few
// characters, so fragments are counted in characters and kept short.
type Fragments struct {
	Before int // characters of context before the first match
	Length int // characters in a fragment
	Max    int // fragments per clause
}

// DefaultFragments suits a result list: up to three fragments of 80 characters.
var DefaultFragments = Fragments{Before: 16, Length: 80, Max: 3}

type span struct{ start, end int } // byte offsets in the text

// Highlight returns HTML fragments of text: the text escaped, every occurrence
// of a term (ignoring spaces, width and case) wrapped in <mark>. Overlapping
// matches are merged here, so the output is the same on every call. Text with
// no match gives its opening as the one fragment.
func Highlight(text string, terms []string, opt Fragments) []string {
	return newShownText(text).highlight(terms, opt)
}

// shownText is a text made ready to highlight: valid UTF-8, folded, and the
// offset in it of every folded rune.
type shownText struct {
	src   string // as given
	text  string // src made valid UTF-8
	fold  segment.Folded
	plain bool // no character of text is escaped in HTML: it is written as it is
}

func newShownText(src string) *shownText {
	text := src
	if !utf8.ValidString(text) { // checking is a fraction of replacing's scan
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return &shownText{src: src, text: text, fold: segment.FoldWithOffsets(text), plain: !strings.ContainsAny(text, htmlSpecial)}
}

// shownTexts keeps the folded texts of the clauses shown last, one per slot of
// a table indexed by clause ordinal. Folding a hit's text was half of
// highlighting it, and a result page shows the clauses that match most often
// again and again. A slot holds the text it was made from, so a clause whose
// text is not the one in its slot (another ordinal, another index) is folded
// anew; a slot is replaced whole, without a lock.
type shownTexts [shownSlots]atomic.Pointer[shownText]

// shownSlots bounds what the table holds: a few MB of clause text.
const shownSlots = 4096

func (c *shownTexts) get(ord int32, src string) *shownText {
	slot := &c[uint32(ord)%shownSlots]
	if t := slot.Load(); t != nil && t.src == src {
		return t
	}
	t := newShownText(src)
	slot.Store(t)
	return t
}

func (t *shownText) highlight(terms []string, opt Fragments) []string {
	text := t.text
	spans := t.matchSpans(terms)
	if len(spans) == 0 {
		return []string{t.fragment(0, cut(text, 0, opt.Length), nil)}
	}
	var out []string
	for i := 0; i < len(spans) && len(out) < opt.Max; {
		from := back(text, spans[i].start, opt.Before)
		// Start after a full stop or comma in the lead-in: a fragment then
		// begins where a phrase does.
		if k := strings.IndexAny(text[from:spans[i].start], "。；，、！？"); k >= 0 {
			_, size := utf8.DecodeRuneInString(text[from+k:])
			from += k + size
		}
		to := cut(text, from, opt.Length)
		if to < spans[i].end {
			to = spans[i].end
		}
		j := i
		for j < len(spans) && spans[j].end <= to {
			j++
		}
		if j == i {
			j = i + 1
		}
		out = append(out, t.fragment(from, to, spans[i:j]))
		i = j
	}
	return out
}

// matchSpans finds every occurrence of every term and merges overlapping and
// touching ones.
func (t *shownText) matchSpans(terms []string) []span {
	f := &t.fold
	hay := f.Text
	var spans []span
	for _, t := range terms {
		needle := segment.Compact(t)
		if needle == "" {
			continue
		}
		n := utf8.RuneCountInString(needle)
		// The rune index of each match, counted on from the last one.
		at, ri := 0, 0
		for off := 0; ; {
			k := bytes.Index(hay[off:], []byte(needle))
			if k < 0 {
				break
			}
			ri += runeCount(hay[at : off+k])
			at = off + k
			spans = append(spans, span{int(f.Starts[ri]), int(f.Ends[ri+n-1])})
			_, size := utf8.DecodeRune(hay[off+k:])
			off += k + size
		}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(b.end, a.end)
	})
	var merged []span
	for _, s := range spans {
		if m := len(merged); m > 0 && s.start <= merged[m-1].end {
			if s.end > merged[m-1].end {
				merged[m-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// runeCount is how many characters valid UTF-8 holds: its bytes that do not
// continue a character. Decoding each was a tenth of highlighting.
func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// back moves n characters back from byte offset i of valid UTF-8.
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		for i--; i > 0 && s[i]&0xC0 == 0x80; i-- {
		}
	}
	return i
}

// cut moves n characters forward from byte offset i of valid UTF-8.
func cut(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		for i++; i < len(s) && s[i]&0xC0 == 0x80; i++ {
		}
	}
	return i
}

// fragment is text[from:to] escaped, with spans marked.
func (t *shownText) fragment(from, to int, spans []span) string {
	text := t.text
	var b strings.Builder
	// The text, its marks and a little escaping: one allocation.
	b.Grow(to - from + len(spans)*len("<mark></mark>") + 2*len("…") + 16)
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, s := range spans {
		t.writeEscaped(&b, text[pos:s.start])
		b.WriteString("<mark>")
		t.writeEscaped(&b, text[s.start:s.end])
		b.WriteString("</mark>")
		pos = s.end
	}
	t.writeEscaped(&b, text[pos:to])
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// writeEscaped writes s, a part of the text, escaped as html.EscapeString
// escapes it, without making the escaped copy first.
func (t *shownText) writeEscaped(b *strings.Builder, s string) {
	if t.plain {
		b.WriteString(s)
		return
	}
	for {
		i := strings.IndexAny(s, htmlSpecial)
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(htmlEscapes[s[i]])
		s = s[i+1:]
	}
}

// htmlSpecial are the characters html.EscapeString escapes.
const htmlSpecial = `<>&'"`

var htmlEscapes = [256]string{'<': "&lt;", '>': "&gt;", '&': "&amp;", '\'': "&#39;", '"': "&#34;"}
