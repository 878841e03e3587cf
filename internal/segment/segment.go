// Package segment wraps gojieba: dictionaries shipped inside the binary, one shared
// instance, user words added safely, and tokens folded the one way matching needs.
package segment

import (
	"cmp"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yanyiwu/gojieba"
)

// The dictionaries travel inside the binary: gojieba's default paths point into
// the build machine's module cache and panic anywhere else.
var (
	//go:embed dict/jieba.dict.utf8
	mainDict []byte
	//go:embed dict/hmm_model.utf8
	hmmModel []byte
)

// dictsSum is the SHA-256 of the two dictionaries (main, then HMM model), which
// names the directory they are unpacked to. It is written here rather than
// computed at each start: hashing would read all 5.6 MB of the binary's copy
// into memory, a twentieth of a server's footprint, for nothing.
// TestDictsSum keeps it true.
const dictsSum = "0392d6d66903eb665e93e157f11c1624dd72a9a437a9ae4511a1b13e4bbe312a"

// Token is one word of a text: its folded term and byte offsets in the text.
type Token struct {
	Term       string
	Start, End int
}

// Segmenter cuts Chinese text into words. One instance serves the process: each
// costs about a second and 130 MB. Cutting holds a read lock because gojieba's
// AddWord crashes the process when it runs during a cut.
type Segmenter struct {
	mu    sync.RWMutex
	jieba *gojieba.Jieba
	words map[string]bool // the user words as given
	cut   map[string]bool // their folded forms, as jieba knows them
}

var (
	sharedOnce sync.Once
	shared     *Segmenter
	sharedErr  error
)

// Shared returns the process's segmenter, loading it on first use. dir is where
// the dictionaries are unpacked when the system temp dir is not writable (a
// container may have no /tmp); empty means the temp dir only.
func Shared(dir string) (*Segmenter, error) {
	sharedOnce.Do(func() { shared, sharedErr = open(dir) })
	return shared, sharedErr
}

func open(fallback string) (*Segmenter, error) {
	dir, err := unpack(os.TempDir())
	if err != nil && fallback != "" {
		dir, err = unpack(fallback)
	}
	if err != nil {
		return nil, fmt.Errorf("segment: unpacking the jieba dictionaries: %w", err)
	}
	// idf and stop words serve only keyword extraction; one-line files keep the
	// load fast and small.
	j := gojieba.NewJieba(
		filepath.Join(dir, "jieba.dict.utf8"),
		filepath.Join(dir, "hmm_model.utf8"),
		filepath.Join(dir, "user.dict.utf8"),
		filepath.Join(dir, "idf.utf8"),
		filepath.Join(dir, "stop_words.utf8"),
	)
	return &Segmenter{jieba: j, words: map[string]bool{}, cut: map[string]bool{}}, nil
}

// unpack writes the dictionaries under parent in a directory named by their
// content, so processes share it and a half-written copy is never used.
func unpack(parent string) (string, error) {
	dir := filepath.Join(parent, "policysearch-jieba-"+dictsSum[:16])
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(parent, "policysearch-jieba-tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	files := map[string][]byte{
		"jieba.dict.utf8": mainDict,
		"hmm_model.utf8":  hmmModel,
		"user.dict.utf8":  []byte("policysearch\n"),
		"idf.utf8":        []byte("policysearch 1.0\n"),
		"stop_words.utf8": []byte("policysearch\n"),
		"complete":        nil,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process won the race; its copy is as good.
		if _, statErr := os.Stat(filepath.Join(dir, "complete")); statErr == nil {
			return dir, nil
		}
		return "", err
	}
	return dir, nil
}

// ValidWord reports why w cannot be a user word, or nil. gojieba aborts the
// process on a malformed dictionary line, so words are checked here first.
func ValidWord(w string) error {
	switch {
	case w == "":
		return fmt.Errorf("empty word")
	case !utf8.ValidString(w):
		return fmt.Errorf("word %q is not valid UTF-8", w)
	case utf8.RuneCountInString(w) > 64:
		return fmt.Errorf("word %q is longer than 64 characters", w)
	}
	for _, r := range w {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("word %q holds a space or control character", w)
		}
	}
	return nil
}

// AddWords makes each word come out whole. Words already known are skipped; an
// invalid word is an error and nothing is added.
func (s *Segmenter) AddWords(words []string) error {
	for _, w := range words {
		if err := ValidWord(w); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range words {
		if s.words[w] {
			continue
		}
		s.words[w] = true
		// jieba cuts folded text (Tokens): it must know the folded word, or a
		// word written in traditional characters or with capitals never comes
		// out whole.
		if f := FoldString(w); !s.cut[f] {
			s.jieba.AddWord(f)
			s.cut[f] = true
		}
	}
	return nil
}

// UserWords lists the words added, sorted.
func (s *Segmenter) UserWords() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.words))
	for w := range s.words {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// Tokens cuts text in search mode (long words and the words inside them) and
// returns its words folded, without spaces and punctuation. The text is folded
// before cutting (Fold: width, case, traditional characters), so ＡＢＣ２０２２ is
// one token and 全國科普日 is cut as 全国科普日 is, with offsets into the original.
func (s *Segmenter) Tokens(text string) []Token {
	folded, starts, ends := foldForCut(text, true)
	words := s.searchWords(folded)
	out := make([]Token, len(words))
	for i, w := range words {
		out[i] = Token{Term: lower(w.Str), Start: starts[w.Start], End: ends[w.End-1]}
	}
	return out
}

// Terms are the terms of Tokens(text), without their offsets: indexing needs
// none, and mapping them back was a fifth of cutting a clause.
func (s *Segmenter) Terms(text string) []string {
	folded, _, _ := foldForCut(text, false)
	words := s.searchWords(folded)
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = lower(w.Str)
	}
	return out
}

// searchWords cuts folded text in search mode and keeps the words that can be
// searched for and lie within it.
func (s *Segmenter) searchWords(folded string) []gojieba.Word {
	// One character is one word, and people search for one character
	// often enough: cutting it through cgo cost as much as the rest of
	// planning its search.
	if r, size := utf8.DecodeRuneInString(folded); size == len(folded) {
		if size == 0 || !Searchable(r) {
			return nil
		}
		return []gojieba.Word{{Str: folded, Start: 0, End: size}}
	}
	return s.jiebaWords(folded)
}

// jiebaWords is searchWords cutting whatever folded holds.
func (s *Segmenter) jiebaWords(folded string) []gojieba.Word {
	s.mu.RLock()
	words := s.jieba.Tokenize(folded, gojieba.SearchMode, true)
	s.mu.RUnlock()
	kept := words[:0]
	for _, w := range words {
		if hasSearchable(w.Str) && w.Start < w.End && w.End <= len(folded) {
			kept = append(kept, w)
		}
	}
	return kept
}

// Words cuts a query word into the words a clause holding it is indexed under:
// a word whose pieces search mode also emits gives way to them (工作者 → 工作 作者),
// and characters no piece covers stand alone (全国科普日 → 全国 科普 日), however
// the user dictionary treats the whole.
func (s *Segmenter) Words(text string) []string {
	toks := s.Tokens(text)
	type piece struct {
		start int
		term  string
	}
	// A query word cuts into a few pieces: they are checked for repeats one
	// by one, and one buffer marks what a token's inner words cover.
	pieces := make([]piece, 0, len(toks)+2)
	add := func(start int, term string) {
		for _, p := range pieces {
			if p.term == term {
				return
			}
		}
		pieces = append(pieces, piece{start, term})
	}
	var covered []bool
	for i, t := range toks {
		covered = append(covered[:0], make([]bool, t.End-t.Start)...)
		inner := false
		for j, u := range toks {
			if i != j && u.Start >= t.Start && u.End <= t.End && u.End-u.Start < t.End-t.Start {
				inner = true
				for k := u.Start; k < u.End; k++ {
					covered[k-t.Start] = true
				}
			}
		}
		if !inner {
			add(t.Start, t.Term)
			continue
		}
		for k, r := range text[t.Start:t.End] {
			if !covered[k] && Searchable(r) {
				add(t.Start+k, string(Fold(r)))
			}
		}
	}
	slices.SortStableFunc(pieces, func(a, b piece) int { return cmp.Compare(a.start, b.start) })
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.term
	}
	return out
}

// foldForCut folds width and case, keeping, with offsets, for every byte of
// the folded text the offsets of the original rune it came from.
func foldForCut(text string, offsets bool) (string, []int, []int) {
	text = strings.ToValidUTF8(strings.ReplaceAll(text, "\x00", " "), " ")
	var b strings.Builder
	b.Grow(len(text))
	var starts, ends []int
	if offsets {
		starts = make([]int, 0, len(text))
		ends = make([]int, 0, len(text))
	}
	for i, r := range text {
		f := Fold(r)
		b.WriteRune(f)
		if !offsets {
			continue
		}
		n := utf8.RuneLen(f)
		for k := 0; k < n; k++ {
			starts = append(starts, i)
			ends = append(ends, i+utf8.RuneLen(r))
		}
	}
	return b.String(), starts, ends
}

// lower is strings.ToLower of a word cut from folded text. Most words are
// Chinese characters, which have no case, and strings.ToLower looked each of
// them up in Unicode's case tables: a fifth of cutting a clause's terms.
func lower(w string) string {
	for i := 0; i < len(w); {
		switch b := w[i]; {
		case b < 0x80 && (b < 'A' || b > 'Z'):
			i++
		case b >= 0xE3 && b <= 0xE9: // U+3000–U+9FFF, none with a case
			i += 3
		default:
			return strings.ToLower(w)
		}
	}
	return w
}

func hasSearchable(s string) bool {
	for _, r := range s {
		if Searchable(r) {
			return true
		}
	}
	return false
}

// Piece is one word of a text as written, punctuation and spaces included, with
// Term its folded form ("" for punctuation and spaces): the pieces of a text
// joined are the text, which a word-level diff needs.
type Piece struct {
	Text string
	Term string
}

// Pieces cuts text in jieba's default mode, without overlapping sub-words. The
// text is folded before cutting as in Tokens, so the cut does not depend on width.
func (s *Segmenter) Pieces(text string) []Piece {
	text = strings.ToValidUTF8(strings.ReplaceAll(text, "\x00", " "), " ")
	folded, starts, ends := foldForCut(text, true)
	s.mu.RLock()
	words := s.jieba.Tokenize(folded, gojieba.DefaultMode, true)
	s.mu.RUnlock()
	out := make([]Piece, 0, len(words))
	at := 0
	add := func(t string) {
		term := ""
		if hasSearchable(t) {
			term = strings.ToLower(FoldString(t))
		}
		out = append(out, Piece{Text: t, Term: term})
	}
	for _, w := range words {
		if w.Start >= w.End || w.End > len(starts) {
			continue
		}
		start, end := starts[w.Start], ends[w.End-1]
		if start < at {
			continue
		}
		if start > at {
			// jieba drops nothing in default mode, but a piece must never be lost.
			add(text[at:start])
		}
		add(text[start:end])
		at = end
	}
	if at < len(text) {
		add(text[at:])
	}
	return out
}
