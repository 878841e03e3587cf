package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// topFacets against sorting every value with a count: most first, then by
// value in byte order, at most n — for a few values (sorted by count: counted
// into buckets, or compared when the counts spread wide) and for many (kept
// in a heap), counts with many ties, names alike in their prefix.
func TestTopFacetsAsSortedWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 7, 150, 400, 401, 2500} {
		names := make([]string, size)
		for i := range names {
			names[i] = fmt.Sprintf("synth-%05d-%s", r.IntN(100000), strings.Repeat("科", r.IntN(3)))
			names[i] += fmt.Sprint(i) // distinct, as a facet's values are
		}
		f := newFacetNames(names)
		for _, c := range []struct{ top, spread int }{{1, 6}, {50, 6}, {100, 6}, {100, 1 << 20}, {1, 1 << 20}} {
			top := c.top
			counts := make([]int, size)
			for i := range counts {
				if r.IntN(3) > 0 {
					counts[i] = r.IntN(c.spread)
				}
			}
			if c.spread > 6 && size > 0 {
				counts[0] = c.spread // wide beside the values: compared, not counted out
			}
			var want []Facet
			for i, c := range counts {
				if c > 0 {
					want = append(want, Facet{Value: names[i], Count: c})
				}
			}
			slices.SortFunc(want, func(a, b Facet) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Value, b.Value)
			})
			want = want[:min(top, len(want))]
			got := topFacets(f, counts, top)
			if !slices.Equal(got, want) {
				t.Fatalf("%d values, top %d:\n got %v\nwant %v", size, top, got, want)
			}
		}
	}
}
