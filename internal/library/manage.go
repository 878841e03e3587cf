package library

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"policysearch/index"
	"policysearch/internal/durable"
	"policysearch/internal/fault"
	"policysearch/internal/gongwen"
)

// Manager changes the corpus: it ingests and deletes documents and rebuilds the
// index. The files are the truth: a document is written durably before it is
// indexed and before it is acknowledged, so a crash at any point leaves either
// the old corpus or the new one, and the index is rebuilt from it on restart.
type Manager struct {
	mu        sync.Mutex // one change at a time
	corpusDir string     // built-in documents; "" is the embedded corpus
	dataDir   string
	opt       index.Options
	live      func() *index.Index        // the index being served
	swap      func(*index.Index)         // serves a new index and retires the old
	observe   func(time.Duration, error) // reports each rebuild
	files     files                      // reads the files of documents (files.go)
}

// NewManager makes a manager; live returns the served index, swap replaces it
// and observe (optional) hears of every rebuild.
func NewManager(corpusDir, dataDir string, opt index.Options, live func() *index.Index, swap func(*index.Index), observe func(time.Duration, error)) *Manager {
	if observe == nil {
		observe = func(time.Duration, error) {}
	}
	return &Manager{corpusDir: corpusDir, dataDir: dataDir, opt: opt, live: live, swap: swap, observe: observe}
}

var idRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Ingest parses and validates a document, writes it durably into the data
// folder's corpus and rebuilds the index with it. id may be empty: it is then
// derived from the 文号, or from the title. A document the library already
// holds (Duplicates) is a conflict naming it; with replace, it takes the place
// of that added document instead, under its id, and replaced is true.
func (m *Manager) Ingest(id string, text []byte, replace bool) (added index.Added, replaced bool, err error) {
	// A text is a file like any other (files.go): UTF-8 or GBK, stored as sent.
	return m.ingestFile(id, Original{Data: text, ContentType: "text/plain"}, replace)
}

// Delete removes an ingested document and rebuilds the index without it. The
// built-in corpus is read-only.
func (m *Manager) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !idRe.MatchString(id) {
		return fault.New(fault.NotFound, "no document %q", id)
	}
	// Every file stored for the id: its original, of whichever format.
	names := originalsOf(filepath.Join(m.dataDir, IngestedDir), id)
	if len(names) == 0 {
		if ix := m.live(); ix != nil {
			if _, ok := ix.Document(id); ok {
				return fault.New(fault.Conflict, "document %q is part of the built-in corpus, which is read-only", id)
			}
		}
		return fault.New(fault.NotFound, "no document %q", id)
	}
	for _, name := range names {
		if err := durable.Remove(name); err != nil {
			return err
		}
	}
	return m.rebuild()
}

// Reindex rebuilds the index from the built-in corpus and the ingested documents.
func (m *Manager) Reindex() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rebuild()
}

// rebuild builds a new index beside the live one and swaps it in; searches in
// flight finish on the old one.
func (m *Manager) rebuild() error {
	start := time.Now()
	c, err := Load(m.corpusDir, m.dataDir)
	if err != nil {
		m.observe(time.Since(start), err)
		return err
	}
	ix, err := index.Build(m.dataDir, c, m.opt)
	m.observe(time.Since(start), err)
	if err != nil {
		return err
	}
	m.swap(ix)
	return nil
}

var numberIDRe = regexp.MustCompile(`^(.*?)[〔［\[（(【](\d{4})[〕］\]）)】]第?(\d+)号$`)

// DeriveID names a document for URLs from its 文号 (year, serial and a hash of
// the issuer's code), else from a hash of its 文号 or title, else from a hash of
// its text: two documents without either never share an id.
func DeriveID(d *gongwen.Document, text []byte) string {
	if m := numberIDRe.FindStringSubmatch(d.Number); m != nil {
		return fmt.Sprintf("%s-%s-%s", m[2], m[3], shortHash(m[1]))
	}
	if d.Number != "" {
		return "doc-" + shortHash(d.Number)
	}
	if d.Title != "" {
		return "doc-" + shortHash(d.Title)
	}
	return gongwen.ContentID(text)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}
