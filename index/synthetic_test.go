package index_test

import (
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/synth"
)

// syntheticSources is a synthetic corpus of items in documents of the
// notice's format, as built-in sources; the same seed gives the same corpus.
func syntheticSources(t testing.TB, items int, seed uint64) []index.Source {
	t.Helper()
	docs, err := synth.Generate(synth.Options{Items: items, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]index.Source, len(docs))
	for i, d := range docs {
		out[i] = index.Source{ID: d.ID, Text: d.Text, BuiltIn: true}
	}
	return out
}

// syntheticCorpus is syntheticSources parsed.
func syntheticCorpus(t testing.TB, items int, seed uint64) *index.Corpus {
	t.Helper()
	c, err := library.Parse(syntheticSources(t, items, seed))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// syntheticIndex builds the synthetic corpus into a temporary folder; the
// index is closed when the test ends.
func syntheticIndex(t testing.TB, items int, seed uint64) (*index.Index, *index.Corpus) {
	t.Helper()
	c := syntheticCorpus(t, items, seed)
	ix, err := index.Build(t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, c
}
