package index

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// A substring looked for by its rarest byte is found exactly where
// strings.Contains finds it, whichever byte it is looked for by: at the
// start, the end, repeated, overlapping, and cut off by the end of the text.
func TestSubstringByAnyByte(t *testing.T) {
	alphabet := []string{"科", "普", "日", "全", "国", "a", "b", "、", "（", "一"}
	r := rand.New(rand.NewPCG(5, 9))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	found := 0
	for range 3000 {
		text, needle := word(r.IntN(40)), word(1+r.IntN(5))
		if r.IntN(3) == 0 && len(text) > 0 {
			// A needle cut from the text, so that many are found.
			rs := []rune(text)
			at := r.IntN(len(rs))
			needle = string(rs[at:min(len(rs), at+1+r.IntN(5))])
		}
		want := strings.Contains(text, needle)
		if want {
			found++
		}
		for anchor := range len(needle) {
			c := &subCond{needle: needle, anchor: anchor}
			if got := c.in(text); got != want {
				t.Fatalf("%q in %q by byte %d: %v, want %v", needle, text, anchor, got, want)
			}
		}
	}
	if found < 500 {
		t.Fatalf("only %d needles were in their texts", found)
	}
}
