package index

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"policysearch/internal/segment"
)

// Analyzer names, as stored in an index's mapping. An index opened by a program
// that has not registered them fails, so they never change meaning silently: a
// change to what they produce bumps analysisVersion, which forces a rebuild.
const (
	analyzerJieba = "policysearch_jieba" // jieba words, for term statistics
	analyzerGram  = "policysearch_gram"  // overlapping character pairs, for substrings
	analyzerChar  = "policysearch_char"  // single characters, for one-character queries

	analysisVersion = "analysis/4"
)

func init() {
	// bleve calls constructors more than once per index: each returns a view of
	// the one shared jieba instance.
	registry.RegisterTokenizer(analyzerJieba, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		// Open and Build load it first, with the data folder as fallback.
		seg, err := segment.Shared("")
		if err != nil {
			return nil, err
		}
		return jiebaTokenizer{seg}, nil
	})
	registry.RegisterTokenizer(analyzerGram, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return gramTokenizer{n: 2}, nil
	})
	registry.RegisterTokenizer(analyzerChar, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return gramTokenizer{n: 1}, nil
	})
	for _, name := range []string{analyzerJieba, analyzerGram, analyzerChar} {
		name := name
		registry.RegisterAnalyzer(name, func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
			tok, err := cache.TokenizerNamed(name)
			if err != nil {
				return nil, err
			}
			return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
		})
	}
}

type jiebaTokenizer struct{ seg *segment.Segmenter }

// Tokenize allocates the tokens and their terms in two blocks rather than two
// allocations per token: indexing makes millions of tokens, and the garbage
// collector's work grows with their count.
func (t jiebaTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := t.seg.Tokens(string(input))
	n := 0
	for _, tok := range toks {
		n += len(tok.Term)
	}
	terms := make([]byte, 0, n)
	slab := make([]analysis.Token, len(toks))
	out := make(analysis.TokenStream, len(toks))
	for i, tok := range toks {
		at := len(terms)
		terms = append(terms, tok.Term...)
		slab[i] = analysis.Token{Term: terms[at:len(terms):len(terms)], Start: tok.Start, End: tok.End, Position: i + 1, Type: analysis.Ideographic}
		out[i] = &slab[i]
	}
	return out
}

// gramTokenizer emits every run of n folded (segment.Fold: width, case,
// traditional characters), non-space characters, punctuation included, at consecutive positions: a phrase of them matches exactly the texts
// that contain the query as a substring, across the PDF's line breaks and across
// jieba's word boundaries (灾减 in 防灾减灾). A newline separates values (the
// headings of a path) and no gram crosses it.
type gramTokenizer struct{ n int }

func (t gramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	// At most one gram starts at each character: size the blocks once.
	max := utf8.RuneCount(input)
	slab := make([]analysis.Token, 0, max)
	terms := make([]byte, 0, len(input)*t.n)
	var window [2]struct { // the last n characters; n is 1 or 2
		r          rune
		start, end int
	}
	held := 0 // characters of the current value in the window
	pos := 0
	gramChars(string(input), func(r rune, start, end int) {
		if r == '\n' {
			held = 0
			pos++ // a gap, so that no phrase spans two values
			return
		}
		if held == t.n {
			copy(window[:], window[1:t.n])
			held--
		}
		window[held].r, window[held].start, window[held].end = r, start, end
		held++
		if held < t.n {
			return
		}
		pos++
		from := len(terms)
		for k := 0; k < t.n; k++ {
			terms = utf8.AppendRune(terms, window[k].r)
		}
		slab = append(slab, analysis.Token{
			Term:     terms[from:len(terms):len(terms)],
			Start:    window[0].start,
			End:      window[t.n-1].end,
			Position: pos,
			Type:     analysis.Ideographic,
		})
	})
	out := make(analysis.TokenStream, len(slab))
	for i := range slab {
		out[i] = &slab[i]
	}
	return out
}

// gramChars calls each with the characters of text the gram analyzers cut,
// folded, and their byte offsets; a newline, which separates values, is
// passed on as is.
func gramChars(text string, each func(r rune, start, end int)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		at := i
		i += size
		// What FoldWithOffsets drops: spaces, invalid bytes, NUL.
		if r != '\n' && (unicode.IsSpace(r) || r == utf8.RuneError || r == 0) {
			continue
		}
		if r != '\n' {
			r = segment.Fold(r)
		}
		each(r, at, i)
	}
}

func checkAnalyzers() error {
	cache := registry.NewCache()
	for _, name := range []string{analyzerJieba, analyzerGram, analyzerChar} {
		if _, err := cache.AnalyzerNamed(name); err != nil {
			return fmt.Errorf("index: analyzer %s: %w", name, err)
		}
	}
	return nil
}

// probeText exercises what the analyzers do to Chinese, traditional characters,
// ASCII, digits, full-width forms, punctuation and line breaks.
const probeText = "我们在北京学习ＡＢＣ２０２２年的STEAM課程，（測試）\n第二行"

// analyzerProbe is what every analyzer makes of probeText.
func analyzerProbe() []byte {
	var b strings.Builder
	for _, name := range []string{analyzerJieba, analyzerGram, analyzerChar} {
		a, err := registry.NewCache().AnalyzerNamed(name)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", name, err)
			continue
		}
		for _, t := range a.Analyze([]byte(probeText)) {
			fmt.Fprintf(&b, "%s %d %d %d|", t.Term, t.Start, t.End, t.Position)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
