package index_test

// Benchmarks of the index: parsing and building from text, each analyzer alone,
// and searching with and without highlighting, for the embedded notice and for
// synthetic corpora of 1,000, 10,000 and 100,000 items (internal/synth). They
// report figures (MB/s, clauses/s, p50 and p99 latency) and assert none: see
// docs/PERFORMANCE.md for the commands and the figures measured.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/registry"

	"policysearch/corpus"
	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/segment"
	"policysearch/internal/synth"
)

// benchSeed is the synthetic corpora's seed; `policysearch gen --seed 1` writes
// the same documents.
const benchSeed = 1

// benchSizes are the corpora benchmarked: 0 is the embedded notice, others are
// synthetic corpora of that many items. POLICYSEARCH_BENCH_SIZES narrows them
// (e.g. "0,1000").
func benchSizes(b *testing.B) []int {
	spec := os.Getenv("POLICYSEARCH_BENCH_SIZES")
	if spec == "" {
		return []int{0, 1000, 10000, 100000}
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			b.Fatalf("POLICYSEARCH_BENCH_SIZES: %v", err)
		}
		out = append(out, n)
	}
	return out
}

func sizeName(n int) string {
	if n == 0 {
		return "notice"
	}
	return fmt.Sprintf("n=%d", n)
}

// benchSources is the text of a corpus: the embedded notice or a synthetic one.
func benchSources(b *testing.B, n int) []index.Source {
	b.Helper()
	if n == 0 {
		text, err := corpus.Files.ReadFile(docID + ".txt")
		if err != nil {
			b.Fatal(err)
		}
		return []index.Source{{ID: docID, Text: text, BuiltIn: true}}
	}
	return syntheticSources(b, n, benchSeed)
}

func textBytes(srcs []index.Source) int64 {
	var n int64
	for _, s := range srcs {
		n += int64(len(s.Text))
	}
	return n
}

// BenchmarkParse measures reading documents into clauses (gongwen, departments,
// campaigns, user words): MB/s of document text.
func BenchmarkParse(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(sizeName(n), func(b *testing.B) {
			srcs := benchSources(b, n)
			b.SetBytes(textBytes(srcs))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := library.Parse(srcs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild measures building an index on disk from document text, parsing
// included: MB/s of document text and clauses/s.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(sizeName(n), func(b *testing.B) {
			srcs := benchSources(b, n)
			b.SetBytes(textBytes(srcs))
			// jieba's dictionaries are loaded once per process, before
			// anything is built: startup's cost (bench/startup.sh), 1.1-1.4 s
			// in a test binary, not the build's. Timed, a single cold build
			// (-benchtime 1x) would count them at every size.
			if _, err := segment.Shared(""); err != nil {
				b.Fatal(err)
			}
			clauses := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir := b.TempDir()
				c, err := library.Parse(srcs)
				if err != nil {
					b.Fatal(err)
				}
				ix, err := index.Build(dir, c, index.Options{})
				if err != nil {
					b.Fatal(err)
				}
				clauses = ix.Manifest().Clauses
				b.StopTimer()
				ix.Close()
				os.RemoveAll(dir)
				b.StartTimer()
			}
			b.ReportMetric(float64(clauses)*float64(b.N)/b.Elapsed().Seconds(), "clauses/s")
		})
	}
}

// BenchmarkAnalyze measures each analyzer alone on the notice's text: jieba
// words, character pairs and single characters, in MB/s.
func BenchmarkAnalyze(b *testing.B) {
	text, err := corpus.Files.ReadFile(docID + ".txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"policysearch_jieba", "policysearch_gram", "policysearch_char"} {
		b.Run(strings.TrimPrefix(name, "policysearch_"), func(b *testing.B) {
			a, err := registry.NewCache().AnalyzerNamed(name)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				a.Analyze(text)
			}
		})
	}
}

var (
	benchMu      sync.Mutex
	benchIndexes = map[int]*index.Index{}
)

// benchIndex opens the index of a corpus. Synthetic indexes are kept between
// runs under the temp dir (POLICYSEARCH_BENCH_DATA to choose another folder) and
// rebuilt only when their fingerprint changes, as the server does.
func benchIndex(b *testing.B, n int) *index.Index {
	b.Helper()
	if n == 0 {
		return testIndex
	}
	benchMu.Lock()
	defer benchMu.Unlock()
	if ix := benchIndexes[n]; ix != nil {
		return ix
	}
	root := os.Getenv("POLICYSEARCH_BENCH_DATA")
	if root == "" {
		root = filepath.Join(os.TempDir(), "policysearch-bench")
	}
	c, err := library.Parse(benchSources(b, n))
	if err != nil {
		b.Fatal(err)
	}
	ix, _, err := index.Ensure(filepath.Join(root, fmt.Sprintf("n%d-s%d", n, benchSeed)), c, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchIndexes[n] = ix
	return ix
}

// benchMix is the fixed query mix of the benchmarks: the relevance checks'
// queries and departments, and random substrings of the corpus's clauses.
func benchMix(b *testing.B, ix *index.Index, n int) []index.Request {
	b.Helper()
	evalDir := filepath.Join("..", "testdata", "eval")
	given, err := synth.Given(filepath.Join(evalDir, "dev-queries.json"), filepath.Join(evalDir, "own-queries.json"))
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	if n == 0 {
		for _, d := range testCorpus.Docs {
			for _, c := range d.Clauses {
				texts = append(texts, c.Text)
			}
		}
	} else {
		// The substrings come from the corpus's documents, parsed again: the
		// index keeps clause text in bleve only.
		for _, src := range benchSources(b, n) {
			d, err := gongwen.Parse(src.ID, src.Text)
			if err != nil {
				b.Fatal(err)
			}
			for _, cl := range d.Clauses {
				texts = append(texts, cl.Text)
			}
		}
	}
	var reqs []index.Request
	for _, m := range synth.Mix(given, texts, 400, benchSeed) {
		q, err := query.Parse(m.Q)
		if err != nil {
			b.Fatal(err)
		}
		req := index.Request{Query: q, Size: 10, Sort: index.SortRelevance}
		if m.Dept != "" {
			name, ok := ix.ResolveDepartment(m.Dept)
			if !ok {
				continue // a department the synthetic documents happen not to name
			}
			req.Departments = []string{name}
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// BenchmarkSearch measures a search as the API runs it (first page of 10, total
// and facets), over the fixed query mix, without and with highlighting, with the
// results cache off and warm (every query of the mix asked once before timing):
// ns/op is the mean; p50 and p99 are reported in milliseconds.
func BenchmarkSearch(b *testing.B) {
	for _, n := range benchSizes(b) {
		for _, hl := range []bool{false, true} {
			for _, cache := range []string{"off", "warm"} {
				b.Run(fmt.Sprintf("%s/highlight=%v/cache=%s", sizeName(n), hl, cache), func(b *testing.B) {
					ix := benchIndex(b, n)
					mix := benchMix(b, ix, n)
					for i := range mix {
						mix[i].NoHighlights = !hl
					}
					ctx := context.Background()
					ix.SetSearchCache(0)
					if cache == "warm" {
						ix.SetSearchCache(index.DefaultSearchCacheBytes)
						for _, req := range mix {
							if _, err := ix.Search(ctx, req); err != nil {
								b.Fatal(err)
							}
						}
					}
					timeSearches(b, ix, mix)
				})
			}
		}
	}
}

// timeSearches runs the requests in turn b.N times, reporting the mean, the
// median and the 99th percentile.
func timeSearches(b *testing.B, ix *index.Index, reqs []index.Request) {
	ctx := context.Background()
	took := make([]time.Duration, 0, b.N)
	// The mix was made by parsing the corpus again (benchMix): its garbage
	// is collected now, not during the searches timed.
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, took)
}

// reportLatency adds the median and 99th percentile to a benchmark's figures.
func reportLatency(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	at := func(p float64) float64 {
		return float64(took[int(p*float64(len(took)-1))].Nanoseconds()) / 1e6
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// readingQueries are the same searches typed three ways: as the text writes
// them, in traditional characters, and in pinyin. Each way finds the same hits.
var readingQueries = [][3]string{
	{"全国科普日", "全國科普日", "quanguokepuri"},
	{"科学辟谣", "科學辟謠", "kexuepiyao"},
	{"农村 科普", "農村 科普", "nongcunkepu"},
	{"重庆", "重慶", "chongqing"},
	{"流动科技馆", "流動科技館", "liudongkejiguan"},
	{"智慧助老", "智慧助老", "zhihuizhulao"},
	{"老年人", "老年人", "laonianren"},
	{"双减", "雙減", "shuangjian"},
}

// BenchmarkQueryReading measures what reading a query costs on the notice:
// the same searches typed as the text writes them (plain), in traditional
// characters, and in pinyin (a search as text that finds nothing, then the
// search of the words read), as the API runs them (page of 10, highlights,
// related searches), the results cache off. The pinyin map is built before
// timing: it is built once, on the first query that needs it.
func BenchmarkQueryReading(b *testing.B) {
	ix := benchIndex(b, 0)
	ix.SetSearchCache(0)
	ctx := context.Background()
	for way, name := range []string{"plain", "traditional", "pinyin"} {
		var reqs []index.Request
		for _, qs := range readingQueries {
			q, err := query.Parse(qs[way])
			if err != nil {
				b.Fatal(err)
			}
			req := index.Request{Query: q, Size: 10, Sort: index.SortRelevance}
			res, err := ix.Search(ctx, req)
			if err != nil || res.Total == 0 {
				b.Fatalf("%s: %v hits, %v", qs[way], res, err)
			}
			reqs = append(reqs, req)
		}
		b.Run(name, func(b *testing.B) { timeSearches(b, ix, reqs) })
	}
}
