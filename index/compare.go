package index

import (
	"policysearch/corpus"
	"policysearch/internal/compare"
	"policysearch/internal/department"
	"policysearch/internal/fault"
	"policysearch/internal/gongwen"
)

// Comparison is two documents' items aligned: see package compare.
type Comparison = compare.Result

// SeriesPlace is where a document stands in its yearly series.
type SeriesPlace = compare.Place

// Series places each document of a yearly series; documents of none are absent.
func (ix *Index) Series() map[string]SeriesPlace {
	docs := make([]*gongwen.Document, len(ix.manifest.Documents))
	for i := range ix.manifest.Documents {
		docs[i] = &ix.manifest.Documents[i]
	}
	return compare.Series(docs)
}

// Compare aligns the items of document from (the earlier) with those of to.
// Unknown ids are fault.NotFound, with the closest ids; one document twice is
// fault.Invalid.
func (ix *Index) Compare(from, to string) (*Comparison, error) {
	if from == "" || to == "" {
		return nil, fault.New(fault.Invalid, "from and to are both needed: the ids of the two documents to compare")
	}
	if from == to {
		return nil, fault.New(fault.Invalid, "from and to are the same document %q: compare two documents", from)
	}
	var a, b *gongwen.Document
	for _, d := range ix.store.docs {
		switch d.ID {
		case from:
			a = d
		case to:
			b = d
		}
	}
	for _, id := range []struct {
		id  string
		doc *gongwen.Document
	}{{from, a}, {to, b}} {
		if id.doc == nil {
			return nil, fault.Wrap(fault.NotFound, ix.FindDocument(id.id))
		}
	}
	// The table is a few lines; reading it per comparison keeps the index free
	// of one more thing to store and fingerprint.
	renames, err := department.ParseRenames(corpus.RenamesTSV())
	if err != nil {
		return nil, err
	}
	return compare.New(ix.seg, renames).Compare(a, b)
}
