package synth

import (
	"math/rand/v2"
	"slices"

	"policysearch/internal/eval"
	"unicode"
)

// Query is one search of a benchmark's mix: words as a person types them, or a
// department filter.
type Query struct {
	Q    string `json:"q,omitempty"`
	Dept string `json:"dept,omitempty"`
}

// Mix is a fixed mix of n searches: the given ones (the relevance checks' queries
// and departments) in turn with random substrings of 2 to 6 characters of the
// texts, half and half, shuffled. The same seed gives the same mix.
func Mix(given []Query, texts []string, n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b9))
	out := make([]Query, 0, n)
	for i := 0; len(out) < n; i++ {
		if i%2 == 0 && len(given) > 0 {
			out = append(out, given[(i/2)%len(given)])
			continue
		}
		if s := substring(r, texts); s != "" {
			out = append(out, Query{Q: s})
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// substring picks a run of searchable characters from a random text, or "" when
// a few tries find none.
func substring(r *rand.Rand, texts []string) string {
	if len(texts) == 0 {
		return ""
	}
	for try := 0; try < 20; try++ {
		rs := []rune(texts[r.IntN(len(texts))])
		if len(rs) < 2 {
			continue
		}
		n := 2 + r.IntN(5)
		at := r.IntN(len(rs))
		if at+n > len(rs) {
			continue
		}
		ok := true
		for _, c := range rs[at : at+n] {
			if !(unicode.Is(unicode.Han, c) || unicode.IsLetter(c) || unicode.IsDigit(c)) {
				ok = false
				break
			}
		}
		if ok {
			return string(rs[at : at+n])
		}
	}
	return ""
}

// LongTail is a mix of n distinct searches, so that no results cache can
// carry it: the given ones (the relevance checks), then random runs of 1 to 8
// letters, digits or Chinese characters of the texts, shuffled. The same seed
// gives the same mix.
func LongTail(given []Query, texts []string, n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, 0x51ed))
	seen := map[Query]bool{}
	var out []Query
	add := func(q Query) {
		if !seen[q] && len(out) < n {
			seen[q] = true
			out = append(out, q)
		}
	}
	for _, q := range given {
		add(q)
	}
	runes := make([][]rune, len(texts))
	for i, t := range texts {
		runes[i] = []rune(t)
	}
	for tries := 0; len(out) < n && tries < 100*n; tries++ {
		rs := runes[r.IntN(len(runes))]
		k := 1 + r.IntN(8)
		if len(rs) < k {
			continue
		}
		at := r.IntN(len(rs) - k + 1)
		run := rs[at : at+k]
		if slices.IndexFunc(run, func(c rune) bool { return !(unicode.Is(unicode.Han, c) || unicode.IsLetter(c) || unicode.IsDigit(c)) }) < 0 {
			add(Query{Q: string(run)})
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Given are the searches of relevance check files (eval.Load), as a mix takes
// them: the words and the department of each check.
func Given(files ...string) ([]Query, error) {
	var out []Query
	for _, f := range files {
		checks, err := eval.Load(f)
		if err != nil {
			return nil, err
		}
		for _, c := range checks {
			out = append(out, Query{Q: c.Q, Dept: c.Dept})
		}
	}
	return out, nil
}
