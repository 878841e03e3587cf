package index

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"

	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Building: the clauses, in document order, are cut into parts of consecutive
// clauses, one per core for a large corpus, and each part is written by
// bleve's offline builder in a goroutine of its own: it analyses and writes
// segments, then merges them into one, with none of a live index's background
// persisting and merging competing for the cores. The search path reads the
// parts' segments as one (numbering), so the parts are one index to it.

// minPartClauses is the smallest part built beside another: below it, a second
// goroutine costs more than it saves.
const minPartClauses = 4000

// builderBatch is how many clauses a builder analyses into one segment before
// writing it. 1,000 builds as fast as 2,000 (4,000 is slower: more fresh
// memory) with a peak RSS lower by a sixth at 100,000 items.
const builderBatch = 1000

// builderMerge is how many segments a builder merges at once when it closes:
// all of a large part's, even of one builder's 100,000 items (bleve's
// default, 10, merged them into merges of merges, copying most of the data
// several times).
const builderMerge = 128

// partDir is where part k of the index in dir lives.
func partDir(dir string, k int) string {
	if k == 0 {
		return filepath.Join(dir, bleveDir)
	}
	return filepath.Join(dir, bleveDir+"-"+strconv.Itoa(k))
}

// Set only by tests (export_test.go): a number of parts whatever the corpus
// and the cores, and parts written as live indexes batch by batch, which leaves
// several segments in each (as incremental changes to an index would).
var (
	forcedParts int
	liveBatch   int
)

// partCount is how many parts n clauses are built in, by at most builders
// goroutines (0: one per core).
func partCount(n, builders int) int {
	if forcedParts > 0 {
		return forcedParts
	}
	p := runtime.GOMAXPROCS(0)
	if builders > 0 && builders < p {
		p = builders
	}
	if by := n / minPartClauses; by < p {
		p = by
	}
	return max(p, 1)
}

// buildParts writes the documents' clauses into parts under dir and reports
// how many parts and clauses it wrote, and how many clauses hold each word of
// their text.
func buildParts(dir string, docs []*gongwen.Document, builders int, progress func(done, total int)) (int, int, map[string]int, error) {
	all := allClauses(docs)
	parts := partCount(len(all), builders)
	var (
		mu    sync.Mutex
		done  int
		words = map[string]int{}
		first error
		wg    sync.WaitGroup
	)
	report := func(n int) {
		mu.Lock()
		defer mu.Unlock()
		done += n
		if progress != nil {
			progress(done, len(all))
		}
	}
	for k := 0; k < parts; k++ {
		lo, hi := k*len(all)/parts, (k+1)*len(all)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			held, err := writePart(partDir(dir, k), dir, all[lo:hi], report)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			for w, n := range held {
				words[w] += n
			}
		}()
	}
	wg.Wait()
	return parts, len(all), words, first
}

// writePart writes clauses into a new part at path, bleve's builder working
// under prefix, and says how many of them hold each word of their text;
// report hears how many clauses each batch wrote.
func writePart(path, prefix string, refs []clauseRef, report func(int)) (map[string]int, error) {
	seg, err := segment.Shared("")
	if err != nil {
		return nil, err
	}
	fields := newFieldAnalyzer(seg)
	if liveBatch > 0 {
		err = buildLive(path, refs, fields, report)
	} else {
		err = buildOffline(path, prefix, refs, fields, report)
	}
	if err != nil {
		return nil, err
	}
	return fields.textWords(), nil
}

// buildOffline writes a part with bleve's offline builder.
func buildOffline(path, prefix string, refs []clauseRef, fields *fieldAnalyzer, report func(int)) error {
	b, err := newBuilder(path, prefix)
	if err != nil {
		return fmt.Errorf("index: creating: %w", err)
	}
	// The builder keeps a batch's documents by id and writes them, within
	// Index, once it holds builderBatch.
	batch := make(map[string]bool, builderBatch)
	for _, r := range refs {
		rec := newRecord(r.doc, *r.c)
		if err := b.Index(fields.document(r.c.ID, &rec, r.lead())); err != nil {
			// Not closed: scorch's builder panics closing a build whose
			// first batch failed. The caller removes the part's folder.
			return fmt.Errorf("index: writing %s: %w", r.c.ID, err)
		}
		if batch[r.c.ID] = true; len(batch) == builderBatch {
			fields.recycle()
			clear(batch)
			report(builderBatch)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("index: writing: %w", err)
	}
	report(len(batch))
	return nil
}

// newBuilder is scorch's offline builder of an index at path, laid out as
// bleve.NewBuilder lays it out — its meta file, its store folder, the mapping
// kept in the index — so that bleve opens it as it opens any other; bleve's
// own builder would map and analyse the clauses itself (fields.go).
func newBuilder(path, prefix string) (*scorch.Builder, error) {
	m, err := util.MarshalJSON(newMapping())
	if err != nil {
		return nil, err
	}
	meta, err := util.MarshalJSON(struct {
		Storage   string `json:"storage"`
		IndexType string `json:"index_type"`
	}{scorch.Name, scorch.Name})
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), meta, 0o666); err != nil {
		return nil, err
	}
	return scorch.NewBuilder(map[string]interface{}{
		"path":            filepath.Join(path, "store"),
		"batchSize":       builderBatch,
		"mergeMax":        builderMerge,
		"buildPathPrefix": prefix,
		"internal":        map[string][]byte{string(util.MappingInternalKey): m},
	})
}

// clauseRef is clause i of a document.
type clauseRef struct {
	doc *gongwen.Document
	c   *gongwen.Clause
	i   int
}

// lead is which of the runs the clause leads (runs.go).
func (r clauseRef) lead() runLead { return leads(r.doc, r.i) }

// buildLive writes a part as a live index, a batch of liveBatch clauses at a
// time: each batch is a segment, and bleve merges some in the background.
func buildLive(dir string, refs []clauseRef, fields *fieldAnalyzer, report func(int)) error {
	bi, err := bleve.New(dir, newMapping())
	if err != nil {
		return err
	}
	for lo := 0; lo < len(refs); lo += liveBatch {
		batch := bi.NewBatch()
		for _, r := range refs[lo:min(lo+liveBatch, len(refs))] {
			rec := newRecord(r.doc, *r.c)
			if err := batch.IndexAdvanced(fields.document(r.c.ID, &rec, r.lead())); err != nil {
				bi.Close()
				return err
			}
		}
		if err := bi.Batch(batch); err != nil {
			bi.Close()
			return err
		}
		fields.recycle()
		report(batch.Size())
	}
	return bi.Close()
}

// topTerms lists the words of two or more characters that at least two
// clauses hold, most clauses first, at most limit.
func topTerms(counts map[string]int, limit int) []TermCount {
	var out []TermCount
	for term, n := range counts {
		if n >= 2 && utf8.RuneCountInString(term) >= 2 && strings.ContainsFunc(term, segment.Searchable) {
			out = append(out, TermCount{term, n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Term < out[j].Term
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
