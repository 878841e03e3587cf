package index

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/blevesearch/bleve/v2"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"policysearch/internal/gongwen"
)

// BuildForTest makes Build cut the clauses into parts parts and, with a
// liveBatch, write each part as a live index a batch at a time (several
// segments per part); it returns the function that restores the defaults.
func BuildForTest(parts, batch int) (restore func()) {
	oldParts, oldBatch := forcedParts, liveBatch
	forcedParts, liveBatch = parts, batch
	return func() { forcedParts, liveBatch = oldParts, oldBatch }
}

// Segments is how many segments the search path reads.
func (ix *Index) Segments() int { return len(ix.num.segs) }

// MergeParts merges each part's segments into one, as bleve's background
// merger does, while the index is open.
func (ix *Index) MergeParts() error {
	for _, p := range ix.parts {
		adv, err := p.bi.Advanced()
		if err != nil {
			return err
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			return fmt.Errorf("part of type %T", adv)
		}
		if err := s.ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return err
		}
	}
	return nil
}

// KeepWeights bounds the decoded posting lists the index keeps (weights.go);
// 0 keeps none.
func (ix *Index) KeepWeights(maxBytes int) {
	ix.num.kept.Resize(maxBytes)
	ix.num.rare.Resize(min(maxBytes, rareBytes))
	ix.num.sets.Resize(min(maxBytes, setsBytes))
	ix.num.asked.Resize(0)
	ix.num.asked.Resize(askedBytes)
}

// KeptWeights is how many terms' decoded lists the index keeps.
func (ix *Index) KeptWeights() int { return ix.num.kept.Len() + ix.num.rare.Len() }

// HoldSearchSlots takes every slot uncached searches are admitted by, until
// release is called.
func HoldSearchSlots() (release func()) {
	n := int64(runtime.GOMAXPROCS(0))
	if err := searching.Acquire(context.Background(), n); err != nil {
		panic(err)
	}
	return func() { searching.Release(n) }
}

// CountFacetsFrom sets how many matches are counted on every core, until
// restore is called.
func CountFacetsFrom(n int) (restore func()) {
	old := parallelFacets
	parallelFacets = n
	return func() { parallelFacets = old }
}

// EveryClauseLeads makes every clause lead its own title and path run, as
// if runs were not indexed apart, until restore is called.
func EveryClauseLeads() (restore func()) {
	everyClauseLeads = true
	return func() { everyClauseLeads = false }
}

// WritePart writes the documents' clauses into one part at path, as a build
// does, or, mapped, as bleve's builder maps and analyses them by newMapping.
func WritePart(path string, docs []*gongwen.Document, mapped bool) error {
	refs := allClauses(docs)
	if !mapped {
		_, err := writePart(path, filepath.Dir(path), refs, func(int) {})
		return err
	}
	b, err := bleve.NewBuilder(path, newMapping(), map[string]interface{}{
		"batchSize":       builderBatch,
		"buildPathPrefix": filepath.Dir(path),
	})
	if err != nil {
		return err
	}
	for _, r := range refs {
		rec := newRecord(r.doc, *r.c)
		// bleve's mapping writes the title and path fields of a run's
		// leader only, as the build does (runs.go).
		if lead := r.lead(); !lead.title {
			rec.Title, rec.TitleGram, rec.TitleChar = "", "", ""
		}
		if lead := r.lead(); !lead.path {
			rec.PathGram, rec.PathChar = "", ""
		}
		if err := b.Index(r.c.ID, rec); err != nil {
			b.Close()
			return err
		}
	}
	return b.Close()
}

// TierEveryPage makes every page go through the tiers one by one, even when
// the page reaches past the last match, until restore is called.
func TierEveryPage() (restore func()) {
	wholePages = false
	return func() { wholePages = true }
}
