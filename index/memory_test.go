package index

import (
	"math"
	"runtime/debug"
	"testing"
)

// Builds that overlap lift the soft memory limit and collect at Go's default
// percentage until the last one ends, which restores the collector set for
// serving.
func TestBuildsSetTheCollector(t *testing.T) {
	t.Setenv("GOGC", "")
	const serving, servingPercent = 640 << 20, 400
	before := debug.SetMemoryLimit(serving)
	defer debug.SetMemoryLimit(before)
	beforePercent := debug.SetGCPercent(servingPercent)
	defer debug.SetGCPercent(beforePercent)

	check := func(when string, limit int64, percent int) {
		t.Helper()
		if got := debug.SetMemoryLimit(-1); got != limit {
			t.Fatalf("limit %s = %d, want %d", when, got, limit)
		}
		// SetGCPercent reports the percentage it replaces: put it back.
		got := debug.SetGCPercent(percent)
		if got != percent {
			t.Fatalf("collector's percentage %s = %d, want %d", when, got, percent)
		}
	}
	first := collectForBuild()
	second := collectForBuild()
	check("during two builds", math.MaxInt64, buildGCPercent)
	first()
	check("while one build still runs", math.MaxInt64, buildGCPercent)
	second()
	check("after the builds", serving, servingPercent)
}

// An operator's GOGC wins while a build runs, as it does for serving.
func TestBuildsKeepTheOperatorsPercentage(t *testing.T) {
	t.Setenv("GOGC", "250")
	before := debug.SetGCPercent(250)
	defer debug.SetGCPercent(before)
	restore := collectForBuild()
	got := debug.SetGCPercent(250)
	restore()
	if got != 250 {
		t.Fatalf("collector's percentage during a build with GOGC=250 = %d", got)
	}
	if after := debug.SetGCPercent(250); after != 250 {
		t.Fatalf("collector's percentage after it = %d, want 250", after)
	}
}
