package library

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"policysearch/index"
	"policysearch/internal/campaign"
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

	// A document is added to the live index as a part of its own (index.Add);
	// after mergeAfter such parts, a full build is made in the background and
	// swapped in when done, unless a later change made it outdated; at
	// maxDeltas parts an ingestion rebuilds in the request.
	mergeAfter, maxDeltas int
	changes               int  // changes to the corpus files and reindexes, for outdating a merge
	merging               bool // a merge is building
	merges                sync.WaitGroup
	closed                bool
}

// Default bounds of the parts added to a live index (SetMerging).
const (
	DefaultMergeAfter = 8
	DefaultMaxDeltas  = 32
)

// NewManager makes a manager; live returns the served index, swap replaces it
// and observe (optional) hears of every rebuild.
func NewManager(corpusDir, dataDir string, opt index.Options, live func() *index.Index, swap func(*index.Index), observe func(time.Duration, error)) *Manager {
	if observe == nil {
		observe = func(time.Duration, error) {}
	}
	return &Manager{corpusDir: corpusDir, dataDir: dataDir, opt: opt, live: live, swap: swap, observe: observe,
		mergeAfter: DefaultMergeAfter, maxDeltas: DefaultMaxDeltas}
}

// SetMerging sets after how many added parts the index is merged in the
// background (0: never), and at how many an ingestion rebuilds it instead
// (0: every ingestion rebuilds).
func (m *Manager) SetMerging(after, most int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mergeAfter, m.maxDeltas = max(after, 0), max(most, 0)
}

// add indexes a document just stored into the live index without rebuilding
// it; c is the live library. Where the live index has too many added parts,
// or adding fails, it rebuilds instead.
func (m *Manager) add(live *index.Index, c *index.Corpus, src index.Source, meta fileMeta) error {
	if live.Deltas() >= m.maxDeltas {
		return m.rebuild()
	}
	doc, err := parseSource(src, &meta)
	if err != nil {
		return err
	}
	docs := append(append([]*gongwen.Document(nil), c.Docs...), doc)
	table, err := departmentTable(docs)
	if err != nil {
		return err
	}
	// A full build orders the built-in documents first, then the added ones
	// by id (LoadWith).
	pos := len(c.Docs)
	for i, s := range c.Sources {
		if !s.BuiltIn && s.ID > src.ID {
			pos = i
			break
		}
	}
	ix, err := live.Add(index.Addition{
		Source: src, Doc: doc, Position: pos,
		UserWords:   addUserWords(c.UserWords, []*gongwen.Document{doc}, campaign.Extract([]*gongwen.Document{doc}), table),
		Departments: table,
	}, m.opt)
	if err != nil {
		return m.rebuild()
	}
	m.swap(ix)
	m.mergeLater()
	return nil
}

// mergeLater starts a full build in the background when the live index has
// mergeAfter added parts and none is building; m.mu is held. The build reads
// the corpus from its files, as a restart would, and is swapped in only if no
// change was made to the library meanwhile: a merge outdated by a later
// ingestion starts again, one outdated by a deletion or reindex is dropped
// (they rebuild).
func (m *Manager) mergeLater() {
	ix := m.live()
	if m.merging || m.closed || m.mergeAfter <= 0 || ix == nil || ix.Deltas() < m.mergeAfter {
		return
	}
	m.merging = true
	since := m.changes
	m.merges.Add(1)
	go func() {
		defer m.merges.Done()
		start := time.Now()
		var staged *index.Index
		c, err := Load(m.corpusDir, m.dataDir)
		if err == nil {
			// One builder: the other core serves searches and ingestions.
			opt := m.opt
			opt.Builders = 1
			staged, err = index.Stage(m.dataDir, c, opt)
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		m.merging = false
		if err != nil {
			m.observe(time.Since(start), err)
			return
		}
		if m.closed || m.changes != since {
			staged.Discard()
			m.mergeLater()
			return
		}
		if err := staged.Publish(); err != nil {
			staged.Discard()
			m.observe(time.Since(start), err)
			return
		}
		m.changes++
		m.observe(time.Since(start), nil)
		m.swap(staged)
	}()
}

// WaitMerged waits for a merge building in the background to end.
func (m *Manager) WaitMerged() { m.merges.Wait() }

var idRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Ingest parses and validates a document, writes it durably into the data
// folder's corpus and rebuilds the index with it. id may be empty: it is then
// derived from the 文号, or from the title. A document the library already
// holds (Duplicates) is a conflict naming it; with replace, it takes the place
// of that added document instead, under its id, and replaced is true.
func (m *Manager) Ingest(id string, text []byte, replace bool) (added index.Added, replaced bool, err error) {
	// A text is a file like any other (files.go): UTF-8 or GBK, stored as sent.
	return m.ingestFile(id, Original{Data: text, ContentType: "text/plain"}, "", replace)
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
	// The document is gone with its file; its series file goes after it.
	series := filepath.Join(m.dataDir, IngestedDir, seriesFile(id))
	if err := durable.Remove(series); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	m.changes++
	return m.rebuild()
}

// Reindex rebuilds the index from the built-in corpus and the ingested documents.
func (m *Manager) Reindex() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.changes++
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
