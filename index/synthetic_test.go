package index_test

import (
	"testing"

	"policysearch/index"
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
