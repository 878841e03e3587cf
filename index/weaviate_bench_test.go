package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/weaviatetest"
)

// The Weaviate backend's figures beside bleve's BenchmarkBuild and
// BenchmarkSearch (docs/SCALE.md), on the cluster of bench/weaviate.sh, with
// POLICYSEARCH_WEAVIATE_TEST=1:
//
//	POLICYSEARCH_WEAVIATE_TEST=1 POLICYSEARCH_BENCH_SIZES=10000 go test -timeout 0 -run '^$' -bench Weaviate -benchtime 1x ./index

// BenchmarkWeaviateBuild measures building an index into a new class of the
// cluster from document text, parsing included, in clauses/s.
func BenchmarkWeaviateBuild(b *testing.B) {
	w := weaviatetest.Cluster(b)
	for _, n := range benchSizes(b) {
		b.Run(sizeName(n), func(b *testing.B) {
			srcs := benchSources(b, n)
			clauses := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, err := library.Parse(srcs)
				if err != nil {
					b.Fatal(err)
				}
				ix, err := index.Build(b.TempDir(), c, index.Options{Weaviate: w})
				if err != nil {
					b.Fatal(err)
				}
				clauses = ix.Manifest().Clauses
				b.StopTimer()
				ix.Close()
				w.Drop(context.Background(), ix.Manifest().WeaviateClass)
				b.StartTimer()
			}
			b.ReportMetric(float64(clauses)*float64(b.N)/b.Elapsed().Seconds(), "clauses/s")
		})
	}
}

// BenchmarkWeaviateSearch is BenchmarkSearch's mix (first page of 10, total
// and facets, no highlights, no cache) on the cluster. The index of each size
// is kept between runs, as benchIndex keeps bleve's, while the cluster keeps
// its class.
func BenchmarkWeaviateSearch(b *testing.B) {
	w := weaviatetest.Cluster(b)
	w.CacheBytes = 0
	w.Prefix = "PolicysearchBench"
	if cl := os.Getenv("POLICYSEARCH_WEAVIATE_CONSISTENCY"); cl != "" {
		w.Consistency = cl
	}
	for _, n := range benchSizes(b) {
		b.Run(sizeName(n), func(b *testing.B) {
			c, err := library.Parse(benchSources(b, n))
			if err != nil {
				b.Fatal(err)
			}
			dir := filepath.Join(os.TempDir(), "policysearch-bench-weaviate", fmt.Sprintf("n%d-s%d", n, benchSeed))
			start := time.Now()
			ix, built, err := index.Ensure(dir, c, index.Options{Weaviate: w})
			if err != nil {
				b.Fatal(err)
			}
			if built {
				d := time.Since(start)
				b.Logf("built %d clauses into %s in %s: %.0f clauses/s", ix.Manifest().Clauses, ix.Manifest().WeaviateClass,
					d.Round(time.Second), float64(ix.Manifest().Clauses)/d.Seconds())
			}
			defer ix.Close()
			mix := benchMix(b, ix, n)
			for i := range mix {
				mix[i].NoHighlights = true
			}
			timeSearches(b, ix, mix)
		})
	}
}
