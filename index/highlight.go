package index

import (
	"bytes"
	"cmp"
	"html"
	"slices"
	"strings"
	"sync"
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
	if !utf8.ValidString(text) { // checking is a fraction of replacing's scan
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	spans := matchSpans(text, terms)
	if len(spans) == 0 {
		return []string{fragment(text, 0, cut(text, 0, opt.Length), nil)}
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
		out = append(out, fragment(text, from, to, spans[i:j]))
		i = j
	}
	return out
}

// foldBufs are reused between highlights: folding a clause makes three
// slices as long as its text.
var foldBufs = sync.Pool{New: func() any { return new(segment.Folded) }}

// matchSpans finds every occurrence of every term and merges overlapping and
// touching ones.
func matchSpans(text string, terms []string) []span {
	buf := foldBufs.Get().(*segment.Folded)
	defer foldBufs.Put(buf)
	f := segment.AppendFoldWithOffsets(segment.Folded{Text: buf.Text[:0], Starts: buf.Starts[:0], Ends: buf.Ends[:0]}, text)
	*buf = f
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
			spans = append(spans, span{f.Starts[ri], f.Ends[ri+n-1]})
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

func fragment(text string, from, to int, spans []span) string {
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, s := range spans {
		b.WriteString(html.EscapeString(text[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		pos = s.end
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}
