package segment

import (
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"policysearch/internal/script"
)

// Fold is the one normalisation of text for matching: full-width forms become
// half-width (ＡＢＣ２０２２ = ABC2022, （ = ( ), letters lower case (STEAM =
// steam) and traditional characters simplified (審批 = 审批). Each rune stays one
// rune, so offsets found in folded text point into the original, which is what
// is stored and shown.
func Fold(r rune) rune {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	if r < 0x10000 {
		// Every text is folded rune by rune, at indexing and at every
		// highlight: a table of the runes seen keeps that cheap.
		if v := folded[r].Load(); v != 0 {
			return rune(v)
		}
		out := fold(r)
		folded[r].Store(int32(out))
		return out
	}
	return fold(r)
}

// folded holds Fold of every BMP rune folded so far (0: not yet).
var folded [0x10000]atomic.Int32

func fold(r rune) rune {
	if r >= 0x80 {
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
			if n := p.Narrow(); n != 0 {
				r = n
			}
		}
		if r >= 0x2E80 {
			return script.Rune(r)
		}
	}
	return unicode.ToLower(r)
}

// FoldString folds every rune of s.
func FoldString(s string) string {
	return strings.Map(Fold, strings.ToValidUTF8(s, "\uFFFD"))
}

// Searchable reports whether r can be searched for: a letter, a digit or a
// Chinese character. Punctuation alone is nothing to search for.
func Searchable(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF { // CJK Unified Ideographs: most of any text
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Han, r)
}

// Folded is text folded rune by rune, with the byte offset in the original of
// every folded rune, so that matches found in folded text map back to the
// verbatim text (folding shrinks （ from 3 bytes to 1). The offsets are
// 32-bit: a text folded is one clause's, far below 2 GB.
type Folded struct {
	Text   []byte  // the folded runes, in UTF-8: what a folded needle is looked for in
	Starts []int32 // Starts[i] is where the i-th rune of Text starts in the original
	Ends   []int32 // Ends[i] is where it ends
}

// FoldWithOffsets folds s, dropping whitespace and invalid bytes: a search runs
// across the spaces and line breaks the PDF extraction left.
func FoldWithOffsets(s string) Folded {
	n := len(s)/3 + 1
	f := Folded{Text: make([]byte, 0, len(s)), Starts: make([]int32, 0, n), Ends: make([]int32, 0, n)}
	for i, r := range s {
		if dropped(r) {
			continue
		}
		f.Text = utf8.AppendRune(f.Text, Fold(r))
		f.Starts = append(f.Starts, int32(i))
		f.Ends = append(f.Ends, int32(i+utf8.RuneLen(r)))
	}
	return f
}

// dropped reports whether folding drops r: whitespace, an invalid byte or
// NUL. No whitespace lies above U+3000, and Chinese does: most characters are
// answered without unicode.IsSpace's table search.
func dropped(r rune) bool {
	return r == unicode.ReplacementChar || r == 0 || r <= '\u3000' && unicode.IsSpace(r)
}

// Compact folds a query word the way FoldWithOffsets folds text. A word
// folding leaves as it is (most Chinese) is returned itself: a search
// compacts its words dozens of times.
func Compact(s string) string {
	for i, r := range s {
		if dropped(r) || Fold(r) != r {
			return compactFrom(s, i)
		}
	}
	return s
}

// compactFrom is Compact of s, whose first i bytes folding leaves as they are.
func compactFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if dropped(r) {
			continue
		}
		b.WriteRune(Fold(r))
	}
	return b.String()
}
