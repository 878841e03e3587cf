// Package script folds traditional Chinese (mainland, Taiwan and Hong Kong forms)
// to simplified, for matching only: documents are shown as written.
package script

import (
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

var (
	once       sync.Once
	converters []*opencc.OpenCC // Taiwan forms, then Hong Kong forms, each to simplified
	initErr    error
	runes      sync.Map // rune → rune, every character asked about so far
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
	if r < 0x2E80 || !unicode.Is(unicode.Han, r) {
		return r
	}
	if v, ok := runes.Load(r); ok {
		return v.(rune)
	}
	out := r
	if rs := []rune(Simplified(string(r))); len(rs) == 1 {
		out = rs[0]
	}
	runes.Store(r, out)
	return out
}

// Fold simplifies every character of s one for one.
func Fold(s string) string {
	if !hasHan(s) {
		return s
	}
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = Rune(r)
	}
	return string(rs)
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 {
			return true
		}
	}
	return false
}
