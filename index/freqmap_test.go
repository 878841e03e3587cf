package index

import (
	"strconv"
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A term map of a class holds every count of terms the class is for without
// growing, made fresh or reused after a clear: a map that grew would be
// allocated again for every clause, and one of a class too large would make the
// builder walk empty room (freqMap). Go's maps decide both, so a release that
// lays them out otherwise fails here.
func TestTermMapsHoldTheirTermsWithoutGrowing(t *testing.T) {
	a := newFieldAnalyzer(nil)
	tf := &bleveindex.TokenFreq{}
	terms := make([]string, 3000)
	for i := range terms {
		terms[i] = strconv.Itoa(i)
	}
	for n := 1; n <= len(terms); n++ {
		m := a.freqMap(n)
		// AllocsPerRun fills the map once before it counts: a map of up
		// to 8 terms allocates its one group then.
		grew := testing.AllocsPerRun(3, func() {
			clear(m)
			for _, term := range terms[:n] {
				m[term] = tf
			}
		})
		if grew > 0 {
			t.Fatalf("a map for %d terms grew as it was filled (%v allocations)", n, grew)
		}
		a.recycle() // the next count of the same class gets this map, cleared
	}
	// The classes give each term at least 8/7 of a slot and, below the point
	// where a map is split into tables, less than 16/7 of one.
	for n := 9; n <= 896; n++ {
		slots := 1 << mapClass(n)
		if 7*slots < 8*n || 7*slots >= 16*n {
			t.Fatalf("%d terms get a class of %d slots", n, slots)
		}
	}
}
