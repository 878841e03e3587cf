// Package pinyin reads Latin letters typed before an input method converts them
// (quanguokepuri, kpdpc) as the corpus words whose pinyin they are. Only words
// of the corpus are candidates, so a pinyin query never expands to characters
// the index does not hold.
package pinyin

import (
	"sort"
	"strings"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// maxReadings bounds the readings kept for one word: every reading of a
// polyphonic character counts (重 is zhong and chong), but a long word of
// polyphonic characters would multiply them.
const maxReadings = 16

// Index maps pinyin, full and initials, to the corpus words that read so.
type Index struct {
	full     map[string][]string // chongqing → 重庆
	initials map[string][]string // cq → 重庆
	longest  int                 // the longest full reading, in bytes
}

// Build reads every word (two or more Chinese characters; others are skipped).
func Build(words []string) *Index {
	ix := &Index{full: map[string][]string{}, initials: map[string][]string{}}
	seen := map[string]bool{}
	args := gopinyin.NewArgs()
	args.Heteronym = true
	for _, w := range words {
		w = strings.TrimSpace(w)
		if seen[w] || !allHan(w) || len([]rune(w)) < 2 {
			continue
		}
		seen[w] = true
		full, initials := readings(gopinyin.Pinyin(w, args))
		for _, r := range full {
			ix.full[r] = appendNew(ix.full[r], w)
			if len(r) > ix.longest {
				ix.longest = len(r)
			}
		}
		for _, r := range initials {
			ix.initials[r] = appendNew(ix.initials[r], w)
		}
	}
	for _, m := range []map[string][]string{ix.full, ix.initials} {
		for k := range m {
			sort.Strings(m[k])
		}
	}
	return ix
}

// readings combines the readings of each character, bounded, as full pinyin
// and as initials. ü is written v by go-pinyin and u by people who type it
// with a tone mark (lǜ): both are kept.
func readings(chars [][]string) (full, initials []string) {
	full, initials = []string{""}, []string{""}
	for _, rs := range chars {
		if len(rs) == 0 {
			return nil, nil
		}
		var nf, ni []string
		for _, prefix := range full {
			for _, r := range rs {
				if len(nf) < maxReadings {
					nf = append(nf, prefix+r)
				}
			}
		}
		for _, prefix := range initials {
			for _, r := range rs {
				if len(ni) < maxReadings {
					ni = appendNew(ni, prefix+r[:1])
				}
			}
		}
		full, initials = nf, ni
	}
	var out []string
	for _, f := range full {
		out = appendNew(out, f)
		if strings.Contains(f, "v") {
			out = appendNew(out, strings.ReplaceAll(f, "v", "u"))
		}
	}
	return out, initials
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// Normalize reduces typed pinyin to the letters the index holds: lower case,
// tone marks and tone numbers gone, spaces and apostrophes gone (kē pǔ, ke'pu,
// ke1pu3 → kepu). ok is false when the text is not pinyin at all.
func Normalize(q string) (string, bool) {
	var b strings.Builder
	for _, r := range norm.NFD.String(q) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// tone marks, and ü's dots: lǜ → lu
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
		case r >= '1' && r <= '5', r == ' ', r == '\'', r == '’', r == '-':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// Segment is one part of a pinyin query and the corpus words it may mean.
type Segment struct {
	Pinyin string   `json:"pinyin"`
	Words  []string `json:"words"`
}

// Lookup reads full pinyin as a run of corpus words: nongcunkepu → 农村 科普,
// shiyan → 实验 / 试验. It takes the reading with the fewest words; nil when
// the letters are no run of corpus words.
func (ix *Index) Lookup(query string) []Segment {
	q, ok := Normalize(query)
	if !ok || ix == nil {
		return nil
	}
	n := len(q)
	// best[i]: fewest words covering q[:i]; from[i]: where its last word starts.
	best := make([]int, n+1)
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := i - 1; j >= 0 && i-j <= ix.longest; j-- {
			if best[j] < 0 || len(ix.full[q[j:i]]) == 0 {
				continue
			}
			if best[i] < 0 || best[j]+1 < best[i] {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	if best[n] < 0 {
		return nil
	}
	var segs []Segment
	for i := n; i > 0; i = from[i] {
		p := q[from[i]:i]
		segs = append([]Segment{{Pinyin: p, Words: ix.full[p]}}, segs...)
	}
	return segs
}

// Initials lists the words whose initials start with prefix (kpd → 科普大篷车),
// shortest first, at most n.
func (ix *Index) Initials(prefix string, n int) []string {
	p, ok := Normalize(prefix)
	if !ok || ix == nil {
		return nil
	}
	var out []string
	for k, ws := range ix.initials {
		if strings.HasPrefix(k, p) {
			for _, w := range ws {
				out = appendNew(out, w)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if li, lj := len([]rune(out[i])), len([]rune(out[j])); li != lj {
			return li < lj
		}
		return out[i] < out[j]
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Of gives the toneless pinyin of Chinese text, one reading per character
// (the first), for comparing two spellings by sound: 科普大棚车 and 科普大篷车
// both read kepudapengche.
func Of(s string) string {
	var b strings.Builder
	args := gopinyin.NewArgs()
	args.Fallback = func(r rune, _ gopinyin.Args) []string { return []string{string(unicode.ToLower(r))} }
	for _, r := range gopinyin.LazyPinyin(s, args) {
		b.WriteString(r)
	}
	return b.String()
}

// SoundsLike gives the runs of corpus words that read as Chinese text does:
// what a person meant who typed a homophone (科普大棚车 → 科普大篷车). At most n,
// never the text itself.
func (ix *Index) SoundsLike(s string, n int) []string {
	if ix == nil || !allHan(s) {
		return nil
	}
	out := []string{""}
	for _, seg := range ix.Lookup(Of(s)) {
		var next []string
		for _, prefix := range out {
			for _, w := range seg.Words {
				if len(next) < n*4 {
					next = append(next, prefix+w)
				}
			}
		}
		out = next
	}
	var res []string
	for _, c := range out {
		if c != "" && c != s && len(res) < n {
			res = append(res, c)
		}
	}
	return res
}
