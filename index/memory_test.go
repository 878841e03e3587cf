package index

import (
	"math"
	"runtime/debug"
	"testing"
)

// Builds that overlap lift the soft memory limit until the last one ends,
// which restores the limit set for serving.
func TestBuildsLiftTheMemoryLimit(t *testing.T) {
	const serving = 640 << 20
	before := debug.SetMemoryLimit(serving)
	defer debug.SetMemoryLimit(before)

	first := liftMemoryLimit()
	second := liftMemoryLimit()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit during two builds = %d, want none", got)
	}
	first()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit while one build still runs = %d, want none", got)
	}
	second()
	if got := debug.SetMemoryLimit(-1); got != serving {
		t.Fatalf("limit after the builds = %d, want %d", got, serving)
	}
}
