package index

import "math/bits"

// bitset is a set of bleve document numbers of one snapshot (see numbering),
// one bit each. Every set of one search has the same length, so the set
// operations are loops over words: at 100,000 clauses a set is 1,600 words and
// an intersection takes about a microsecond.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

func (b bitset) clone() bitset { return append(bitset(nil), b...) }

// and keeps what o holds too, and reports whether anything is left.
func (b bitset) and(o bitset) bool {
	var left uint64
	for i := range b {
		b[i] &= o[i]
		left |= b[i]
	}
	return left != 0
}

// or adds what o holds.
func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// andNot removes what o holds.
func (b bitset) andNot(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

// each calls f for every member in ascending order until f returns false.
func (b bitset) each(f func(i int) bool) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			if !f(wi<<6 | t) {
				return
			}
			w &= w - 1
		}
	}
}
