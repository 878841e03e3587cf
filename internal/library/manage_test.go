package library

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/synth"
)

// served is a library served as the server serves it: a Manager whose swaps
// replace the live index and retire the old one.
type served struct {
	mu     sync.Mutex
	live   *index.Index
	m      *Manager
	builds int // full builds swapped in: rebuilds and merges
}

func serve(t *testing.T, corpusDir, data string) *served {
	t.Helper()
	ix, _, _, err := Open(corpusDir, data, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &served{live: ix}
	s.m = NewManager(corpusDir, data, index.Options{},
		func() *index.Index { s.mu.Lock(); defer s.mu.Unlock(); return s.live },
		func(nx *index.Index) {
			s.mu.Lock()
			old := s.live
			s.live = nx
			s.mu.Unlock()
			old.Retire()
		},
		func(_ time.Duration, err error) {
			if err == nil {
				s.mu.Lock()
				s.builds++
				s.mu.Unlock()
			}
		})
	t.Cleanup(func() {
		s.m.Close()
		s.m.WaitMerged()
		s.live.Close()
	})
	return s
}

func synthCorpus(t *testing.T, items int) string {
	t.Helper()
	docs, err := synth.Generate(synth.Options{Items: items, Seed: 21})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range docs {
		if err := os.WriteFile(filepath.Join(dir, d.ID+".txt"), d.Text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A merge outdated by a change made while it builds is not swapped in over
// that change: a document ingested (which starts a merge) and deleted at once
// is not in the live index once the merge has ended, and the merge's folder
// is gone.
func TestOutdatedMergeIsDropped(t *testing.T) {
	corpusDir, data := synthCorpus(t, 1000), t.TempDir()
	s := serve(t, corpusDir, data)
	s.m.SetMerging(1, 10)
	if _, _, err := s.m.Ingest("added", readDoc(t, "documents", "xinghuo-2023-7").Text, false); err != nil {
		t.Fatal(err)
	}
	if d := s.m.live().Deltas(); d != 1 {
		t.Fatalf("the ingestion rebuilt (%d added parts)", d)
	}
	if err := s.m.Delete("added"); err != nil {
		t.Fatal(err)
	}
	s.m.WaitMerged()
	live := s.m.live()
	if _, ok := live.Document("added"); ok {
		t.Fatal("the outdated merge was swapped in over the deletion")
	}
	s.mu.Lock()
	builds := s.builds
	s.mu.Unlock()
	if builds != 1 {
		t.Errorf("%d full builds swapped in, want the deletion's alone", builds)
	}
	c, err := Load(corpusDir, data)
	if err != nil {
		t.Fatal(err)
	}
	if live.Manifest().Fingerprint != index.Fingerprint(c) {
		t.Error("the live index is not the corpus's")
	}
	entries, _ := os.ReadDir(filepath.Join(data, "indexes"))
	if len(entries) != 1 {
		t.Errorf("%d index folders left, want the live one", len(entries))
	}
}

// Ingestions while a merge builds outdate it: it starts again, and ends with
// every document in one full build.
func TestMergeOutdatedByIngestionStartsAgain(t *testing.T) {
	corpusDir, data := synthCorpus(t, 1000), t.TempDir()
	s := serve(t, corpusDir, data)
	s.m.SetMerging(1, 10)
	text := string(readDoc(t, "documents", "xinghuo-2023-7").Text)
	for i, id := range []string{"added-1", "added-2", "added-3"} {
		doc := []byte(strings.Replace(text, "〔2023〕7号", []string{"〔2023〕71号", "〔2023〕72号", "〔2023〕73号"}[i], 1))
		if _, _, err := s.m.Ingest(id, doc, false); err != nil {
			t.Fatal(err)
		}
	}
	s.m.WaitMerged()
	live := s.m.live()
	for _, id := range []string{"added-1", "added-2", "added-3"} {
		if _, ok := live.Document(id); !ok {
			t.Fatalf("%s is not in the live index after the merges", id)
		}
	}
	if d := live.Deltas(); d != 0 {
		t.Fatalf("%d added parts left after the merges", d)
	}
	c, err := Load(corpusDir, data)
	if err != nil {
		t.Fatal(err)
	}
	if live.Manifest().Fingerprint != index.Fingerprint(c) {
		t.Error("the live index is not the corpus's")
	}
}
