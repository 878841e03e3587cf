package index

import (
	"math"
	"runtime/debug"
	"sync"
)

// builds counts the builds and additions in progress, which lift the
// process's soft memory limit (debug.SetMemoryLimit) while they run.
var builds struct {
	sync.Mutex
	n     int
	limit int64 // the limit to restore when the last build ends
}

// liftMemoryLimit lifts the soft memory limit until restore is called. A
// build's working set — batches of analysed clauses, segments being written and
// merged — is several times an open index's: under a limit set for serving,
// the collector would run without pause and the build would crawl. Searches
// served meanwhile only see the heap grow as it would without a limit.
func liftMemoryLimit() (restore func()) {
	builds.Lock()
	defer builds.Unlock()
	if builds.n == 0 {
		builds.limit = debug.SetMemoryLimit(math.MaxInt64)
	}
	builds.n++
	return func() {
		builds.Lock()
		defer builds.Unlock()
		if builds.n--; builds.n == 0 {
			debug.SetMemoryLimit(builds.limit)
		}
	}
}
