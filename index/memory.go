package index

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
)

// builds counts the builds and additions in progress, which set the
// collector for building (debug.SetMemoryLimit, debug.SetGCPercent) while
// they run.
var builds struct {
	sync.Mutex
	n       int
	limit   int64 // the limit to restore when the last build ends
	percent int   // and the percentage, when set is true
	set     bool  // the builds set the percentage (GOGC unset)
}

// buildGCPercent is the collector's percentage while a build runs: Go's
// default. A server collects at a higher one, as its searches' garbage is
// small beside its live heap; a build's garbage is most of its heap, and at
// 400 a 100,000-item build peaked at 3.1 GB of RSS against 1.5 GB, its
// system time doubled by the fresh pages, and it ran no faster.
const buildGCPercent = 100

// collectForBuild sets the collector for building until restore is called:
// it lifts the soft memory limit and collects at buildGCPercent, unless the
// operator chose a percentage with GOGC, which wins here as in serving. A build's
// working set — batches of analysed clauses, segments being written and
// merged — is several times an open index's: under a limit set for serving,
// the collector would run without pause and the build would crawl. Searches
// served meanwhile only see the heap grow as it would without a limit.
func collectForBuild() (restore func()) {
	builds.Lock()
	defer builds.Unlock()
	if builds.n == 0 {
		builds.limit = debug.SetMemoryLimit(math.MaxInt64)
		builds.set = os.Getenv("GOGC") == ""
		if builds.set {
			builds.percent = debug.SetGCPercent(buildGCPercent)
		}
	}
	builds.n++
	return func() {
		builds.Lock()
		defer builds.Unlock()
		if builds.n--; builds.n == 0 {
			debug.SetMemoryLimit(builds.limit)
			if builds.set {
				debug.SetGCPercent(builds.percent)
			}
		}
	}
}
