// Package script folds traditional Chinese (mainland, Taiwan and Hong Kong forms)
// to simplified, for matching only: documents are shown as written.
package script

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

var (
	once       sync.Once
	converters []*opencc.OpenCC // Taiwan forms, then Hong Kong forms, each to simplified
	initErr    error
	// bmp holds, for every character of the Basic Multilingual Plane from
	// U+2E80 asked about so far, its simplified form (0: not asked yet). Rune
	// runs for every character the analyzers index and every character a
	// highlight scans: a lock-free load keeps that cheap.
	bmp   [0x10000 - 0x2E80]atomic.Int32
	runes sync.Map // rune → rune beyond the BMP, every character asked about so far
)

// load builds the converters once: each build reads its dictionaries anew.
func load() error {
	once.Do(func() {
		for _, name := range []string{"tw2s", "hk2s"} {
			cc, err := opencc.New(name)
			if err != nil {
				initErr = err
				return
			}
			converters = append(converters, cc)
		}
	})
	return initErr
}

// Simplified converts text to simplified characters. Phrase rules may change
// its length; use Rune where offsets into the original must hold.
func Simplified(s string) string {
	if !hasHan(s) || load() != nil {
		return s
	}
	for _, cc := range converters {
		if out, err := cc.Convert(s); err == nil {
			s = out
		}
	}
	return s
}

// Rune is the simplified form of one character, or the character itself when it
// has none or converts to more than one character. It keeps text the same length,
// so offsets into folded text still point into the original.
func Rune(r rune) rune {
	if r < 0x2E80 {
		return r
	}
	if r < 0x10000 {
		if v := bmp[r-0x2E80].Load(); v != 0 {
			return rune(v)
		}
		out := simplifyRune(r)
		bmp[r-0x2E80].Store(int32(out))
		return out
	}
	if v, ok := runes.Load(r); ok {
		return v.(rune)
	}
	out := simplifyRune(r)
	runes.Store(r, out)
	return out
}

func simplifyRune(r rune) rune {
	if !unicode.Is(unicode.Han, r) {
		return r
	}
	if rs := []rune(Simplified(string(r))); len(rs) == 1 {
		return rs[0]
	}
	return r
}

// Fold simplifies every character of s one for one. Most text is simplified
// already: strings.Map then returns s itself, allocating nothing.
func Fold(s string) string {
	if !hasHan(s) {
		return s
	}
	return strings.Map(Rune, s)
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 {
			return true
		}
	}
	return false
}
