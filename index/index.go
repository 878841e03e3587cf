// Package index keeps clauses in bleve: analyzers, mapping, building, opening
// and swapping indexes on disk, and searching them. Callers see its own types,
// never bleve's, so the engine behind it can change.
package index

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/durable"
	"policysearch/internal/gongwen"
	"policysearch/internal/lru"
	"policysearch/internal/segment"
	"policysearch/internal/synonym"
)

// Clause is a clause as the index returns it.
type Clause = gongwen.Clause

// Document is a document's metadata and outline, without its clauses.
type Document = gongwen.Document

// Source is one document's text as it came from the corpus.
type Source struct {
	ID      string
	Text    []byte
	BuiltIn bool // from the embedded corpus or --corpus: read-only
}

// Corpus is what an index is built from.
type Corpus struct {
	Sources     []Source
	Docs        []*gongwen.Document
	UserWords   []string
	Departments *department.Table
	// Campaigns are the campaigns of Docs (campaign.Extract), when the
	// corpus was read with them (the user words need them): a build
	// extracts them otherwise.
	Campaigns []campaign.Campaign
}

// Added describes a document just added to the corpus.
type Added struct {
	ID      string `json:"id"`
	Number  string `json:"number,omitempty"`
	Title   string `json:"title"`
	Clauses int    `json:"clauses"`
	// Warnings say what the parser could not place; the document is indexed anyway.
	Warnings []gongwen.Warning `json:"warnings"`
}

// Manifest describes an index on disk: what it was built from.
type Manifest struct {
	// WeaviateClass, for an index on Weaviate, is the class holding its
	// clauses (it has no parts). It comes first: Retire reads it with the folders.
	WeaviateClass string `json:"weaviate_class,omitempty"`
	// PartDirs are the parts' folders under indexes/, oldest first. A
	// document added to a live index is a part of its own beside the parts
	// already built (Add), so a part may live in an older index's folder; a
	// clause in several parts is the newest one's. The folders come first in
	// the file: Retire reads only them (folderList).
	PartDirs []string `json:"part_dirs"`
	// ClauseFiles are the files under indexes/ that hold the documents with
	// their clauses (writeClauses), one per build or addition.
	ClauseFiles      []string                `json:"clause_files"`
	Fingerprint      string                  `json:"fingerprint"`
	Parser           string                  `json:"parser"`
	Analysis         string                  `json:"analysis"`
	Built            time.Time               `json:"built"`
	Clauses          int                     `json:"clauses"`
	Documents        []gongwen.Document      `json:"documents"` // metadata and outline; no clauses
	UserWords        []string                `json:"user_words"`
	BuiltIn          map[string]bool         `json:"built_in"`
	Sources          map[string]string       `json:"sources"`           // document id → sha256 of its text
	Departments      []DepartmentEntry       `json:"departments"`       // by name, over every region
	DepartmentPlaces []DepartmentEntry       `json:"department_places"` // by name and region
	Aliases          []department.Department `json:"aliases"`           // the department table
	Campaigns        []campaign.Campaign     `json:"campaigns"`
	Terms            []TermCount             `json:"terms"` // frequent words, for suggestions
	Parts            int                     `json:"parts"` // bleve indexes the clauses are split into
	// Deltas is how many parts were added since the last full build.
	Deltas int `json:"deltas"`
	// Parsed is each document's parsed form's sha256, and CorpusWords the
	// corpus's user words (Corpus.UserWords): with Sources, BuiltIn and
	// Aliases they give the fingerprint without parsing the corpus again.
	Parsed      map[string]string `json:"parsed"`
	CorpusWords []string          `json:"corpus_words"`
}

// layoutVersion names the fields of the mapping and the files beside the
// index: an index of another layout is rebuilt.
const layoutVersion = "layout/7"

const (
	manifestFile = "manifest.json"
	clausesFile  = "clauses.gob" // every document with its clauses, for opening without the corpus
	bleveDir     = "bleve"
	currentFile  = "CURRENT" // names the live index under indexes/
	indexesDir   = "indexes"
)

// ErrLocked means another process holds the index open.
var ErrLocked = errors.New("index is held by another process")

// Index is an open index.
type Index struct {
	dir      string
	parts    []*part // the clauses: the parts of the last full build (see buildParts), then the added ones
	seg      *segment.Segmenter
	manifest Manifest
	docs     map[string]*gongwen.Document
	store    *clauseStore // every clause, in memory
	num      *numbering   // bleve's document numbers of the snapshot searched
	remote   *remote      // where the clauses are indexed when not in bleve parts
	cat      *catalog
	vocab    []entry // suggestion vocabulary, best first
	cache    *lru.Cache[string, *Result]
	reader   reader     // pinyin, synonyms and near spellings of queries (understand.go)
	every    everyFacet // the facets of every clause (facets.go)
	shown    shownTexts // the folded texts of the clauses shown last (highlight.go)
	closeMu  sync.Once
}

// Fingerprint names what an index is derived from: the corpus, the parser, the
// analyzers and the user dictionary. An index whose fingerprint differs is stale.
func Fingerprint(c *Corpus) string {
	sources, builtIn := sourceSums(c.Sources)
	return fingerprint(sources, builtIn, parsedSums(c.Docs), c.Departments.All(), c.UserWords)
}

func sourceSums(srcs []Source) (sums map[string]string, builtIn map[string]bool) {
	sums, builtIn = map[string]string{}, map[string]bool{}
	for _, s := range srcs {
		sum := sha256.Sum256(s.Text)
		sums[s.ID] = hex.EncodeToString(sum[:])
		builtIn[s.ID] = s.BuiltIn
	}
	return sums, builtIn
}

// parsedSums hashes each document as parsed, clauses included: a change to the
// parser or the analyzers rebuilds the index even where nobody remembered to
// bump a version.
func parsedSums(docs []*gongwen.Document) map[string]string {
	out := make(map[string]string, len(docs))
	for _, d := range docs {
		out[d.ID] = parsedSum(d)
	}
	return out
}

func parsedSum(d *gongwen.Document) string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // only plain data is marshalled here
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fingerprint hashes per-document sums in the order of the ids, so that an
// index a document was added to (Add) has the fingerprint a full build of the
// same corpus has, computed from its manifest alone.
func fingerprint(sources map[string]string, builtIn map[string]bool, parsed map[string]string, depts []department.Department, words []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", gongwen.Version, analysisVersion, layoutVersion)
	ids := make([]string, 0, len(sources))
	for id := range sources {
		ids = append(ids, id)
	}
	for id := range parsed {
		if _, ok := sources[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(h, "doc %s %s %v %s\n", id, sources[id], builtIn[id], parsed[id])
	}
	h.Write(analyzerProbe())
	for _, d := range depts {
		fmt.Fprintf(h, "department %s %s %s %s\n", d.Name, d.Official, d.Kind, d.Region)
	}
	words = append([]string(nil), words...)
	sort.Strings(words)
	for _, w := range words {
		fmt.Fprintf(h, "word %s\n", w)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Options tune how an index is opened.
type Options struct {
	// LockTimeout bounds the wait for an index another process holds.
	LockTimeout time.Duration
	// ReadOnly opens without taking the writer's lock exclusively.
	ReadOnly bool
	// Progress, when set, is told how many clauses of the total are indexed.
	Progress func(done, total int)
	// Builders bounds the goroutines a build writes parts with; 0 is one per
	// core. A build in the background leaves cores to the searches.
	Builders int
	// SearchCacheBytes bounds the results cache of the opened index (about that
	// many bytes of clause text and highlights); 0 means no cache. An open
	// index never changes, so its cache never goes stale: every change to the
	// corpus builds a new index with an empty cache.
	SearchCacheBytes int
	// Synonyms give the related searches offered beside a search's hits; nil
	// offers none.
	Synonyms *synonym.Table
	// Weaviate, when set, indexes the clauses in a Weaviate cluster instead
	// of bleve parts on this machine (weaviate.go).
	Weaviate *Weaviate
}

// Ensure opens the live index under dataDir when it was built from exactly these
// documents and words, and otherwise builds a new one beside it and swaps it in.
// It reports whether it built.
func Ensure(dataDir string, c *Corpus, opt Options) (*Index, bool, error) {
	// The segmenter is loaded first so that its dictionaries can fall back to
	// the data folder.
	if _, err := segment.Shared(dataDir); err != nil {
		return nil, false, err
	}
	// Compare manifests before opening: opening adds the old index's user words
	// to the shared segmenter, and a rebuild must see only the new ones.
	if dir, err := currentDir(dataDir); err == nil {
		if m, err := readManifest(dir); err == nil && m.Fingerprint == Fingerprint(c) && (m.WeaviateClass != "") == (opt.Weaviate != nil) {
			// The fingerprint covers every parsed clause: the corpus's are
			// the index's.
			ix, err := open(dir, opt, c.Docs)
			if err == nil || errors.Is(err, ErrLocked) {
				return ix, false, err
			}
		}
	}
	ix, err := Build(dataDir, c, opt)
	return ix, err == nil, err
}

// OpenCurrent opens the live index under dataDir.
func OpenCurrent(dataDir string, opt Options) (*Index, error) {
	dir, err := currentDir(dataDir)
	if err != nil {
		return nil, err
	}
	return open(dir, opt, nil)
}

func currentDir(dataDir string) (string, error) {
	name, err := os.ReadFile(filepath.Join(dataDir, currentFile))
	if err != nil {
		return "", fmt.Errorf("index: no index in %s: %w", dataDir, err)
	}
	return filepath.Join(dataDir, indexesDir, strings.TrimSpace(string(name))), nil
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return m, fmt.Errorf("index: %s has no manifest: %w", dir, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("index: manifest of %s: %w", dir, err)
	}
	return m, nil
}

// folderList reads only the folders of the manifest in dir: the rest of it is
// tens of megabytes at 100,000 clauses, and the folders come first.
func folderList(dir string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(filepath.Join(dir, manifestFile))
	if err != nil {
		return m, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	if _, err := dec.Token(); err != nil { // {
		return m, err
	}
	for dec.More() && (m.PartDirs == nil || m.ClauseFiles == nil) {
		key, err := dec.Token()
		if err != nil {
			return m, err
		}
		var into interface{} = new(json.RawMessage)
		switch key {
		case "part_dirs":
			into = &m.PartDirs
		case "clause_files":
			into = &m.ClauseFiles
		case "weaviate_class":
			into = &m.WeaviateClass
		}
		if err := dec.Decode(into); err != nil {
			return m, err
		}
	}
	if m.PartDirs == nil {
		return m, fmt.Errorf("index: the manifest in %s lists no parts", dir)
	}
	return m, nil
}

// open opens the index in dir; docs are the documents it was built from, or
// nil to read them from the index's clause files.
func open(dir string, opt Options, docs []*gongwen.Document) (*Index, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	return openWith(dir, opt, docs, m)
}

// openWith opens the index in dir, whose manifest is m.
func openWith(dir string, opt Options, docs []*gongwen.Document, m Manifest) (*Index, error) {
	seg, err := segment.Shared(filepath.Dir(filepath.Dir(dir)))
	if err != nil {
		return nil, err
	}
	// The index must be queried with the words it was built with.
	if err := seg.AddWords(m.UserWords); err != nil {
		return nil, err
	}
	timeout := opt.LockTimeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	cfg := map[string]interface{}{"bolt_timeout": timeout.String()}
	if opt.ReadOnly {
		cfg["read_only"] = true
	}
	root := filepath.Dir(dir)
	var parts []*part
	closeAll := func() {
		for _, p := range parts {
			p.release()
		}
	}
	for _, rel := range m.PartDirs {
		bi, err := bleve.OpenUsing(filepath.Join(root, rel), cfg)
		if err != nil {
			closeAll()
			if strings.Contains(err.Error(), "timeout") {
				return nil, fmt.Errorf("%w: %s (is a server running on this data directory? query it over HTTP or stop it)", ErrLocked, dir)
			}
			return nil, fmt.Errorf("index: opening %s: %w", dir, err)
		}
		parts = append(parts, newPart(bi, rel))
	}
	if len(parts) == 0 && m.WeaviateClass == "" {
		return nil, fmt.Errorf("index: %s lists no parts", dir)
	}
	if docs == nil {
		if docs, err = readClauseFiles(root, m); err != nil {
			closeAll()
			return nil, err
		}
	}
	ix, err := newIndex(dir, seg, m, parts, docs, opt)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("index: opening %s: %w", dir, err)
	}
	return ix, nil
}

// newIndex makes an Index of open parts, which it takes over, and the
// documents they hold.
func newIndex(dir string, seg *segment.Segmenter, m Manifest, parts []*part, docs []*gongwen.Document, opt Options) (*Index, error) {
	ix := &Index{dir: dir, seg: seg, parts: parts}
	if err := ix.openRemote(m, opt); err != nil {
		return nil, err
	}
	if err := ix.load(docs, nil); err != nil {
		return nil, err
	}
	ix.describe(m, opt)
	return ix, nil
}

// load holds the documents' clauses in memory and numbers them in the parts'
// snapshot. prev, when set, is an open index's store over most of the same
// clauses, whose folded texts are taken instead of folding them again.
func (ix *Index) load(docs []*gongwen.Document, prev *clauseStore) error {
	var err error
	if ix.store, err = newClauseStore(docs); err != nil {
		return err
	}
	if ix.remote != nil {
		ix.num = ordinalNumbering(ix.store)
		ix.remote.index(ix.store)
	} else if ix.num, err = newNumbering(ix.bleveParts(), ix.store); err != nil {
		return err
	}
	ix.store.fold(ix.num.clauses(), prev)
	return nil
}

// describe sets what the index answers from its manifest.
func (ix *Index) describe(m Manifest, opt Options) {
	ix.manifest = m
	ix.docs = map[string]*gongwen.Document{}
	ix.cat = newCatalog(&ix.manifest)
	ix.vocab = newVocabulary(&ix.manifest)
	ix.cache = lru.New[string, *Result](opt.SearchCacheBytes)
	ix.reader.synonyms = opt.Synonyms
	for i := range ix.manifest.Documents {
		ix.docs[ix.manifest.Documents[i].ID] = &ix.manifest.Documents[i]
	}
}

func (ix *Index) bleveParts() []bleve.Index {
	out := make([]bleve.Index, len(ix.parts))
	for i, p := range ix.parts {
		out[i] = p.bi
	}
	return out
}

// part is one bleve index of clauses. Parts are never written once built, so
// every open Index whose manifest lists a part shares the one open copy: an
// Index made by Add holds the live one's parts, and the part is closed when
// the last Index holding it is.
type part struct {
	bi   bleve.Index
	rel  string // its folder under indexes/
	refs atomic.Int32
}

func newPart(bi bleve.Index, rel string) *part {
	p := &part{bi: bi, rel: rel}
	p.refs.Store(1)
	return p
}

func (p *part) hold() *part {
	p.refs.Add(1)
	return p
}

// release lets go of one holder's reference, closing the part after the last.
func (p *part) release() error {
	if p.refs.Add(-1) == 0 {
		return p.bi.Close()
	}
	return nil
}

// folder is the index folder under indexes/ that a part or clause file lives in.
func folder(rel string) string {
	top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	return top
}

// readClauseFiles reads the documents of an index from its clause files, in
// the manifest's document order.
func readClauseFiles(root string, m Manifest) ([]*gongwen.Document, error) {
	byID := map[string]*gongwen.Document{}
	for _, rel := range m.ClauseFiles {
		docs, err := readClauses(filepath.Join(root, rel))
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			byID[d.ID] = d
		}
	}
	out := make([]*gongwen.Document, 0, len(m.Documents))
	for _, meta := range m.Documents {
		d, ok := byID[meta.ID]
		if !ok {
			return nil, fmt.Errorf("index: no clauses of document %q in %s", meta.ID, strings.Join(m.ClauseFiles, ", "))
		}
		out = append(out, d)
	}
	return out, nil
}

// Build indexes the documents into a new directory beside the live index, then
// makes it the live one by replacing the CURRENT pointer atomically, and removes
// older indexes. A crash at any point leaves either the old or the new index live.
func Build(dataDir string, c *Corpus, opt Options) (*Index, error) {
	ix, err := Stage(dataDir, c, opt)
	if err != nil {
		return nil, err
	}
	if err := ix.Publish(); err != nil {
		ix.Discard()
		return nil, err
	}
	return ix, nil
}

// Stage builds an index of the corpus beside the live one and opens it, without
// making it the live one: Publish does, or Discard removes it. A change to the
// library made while it builds (Add) leaves it outdated, so the caller decides.
func Stage(dataDir string, c *Corpus, opt Options) (*Index, error) {
	defer collectForBuild()()
	seg, err := segment.Shared(dataDir)
	if err != nil {
		return nil, err
	}
	if err := checkAnalyzers(); err != nil {
		return nil, err
	}
	if err := seg.AddWords(c.UserWords); err != nil {
		return nil, err
	}
	root := filepath.Join(dataDir, indexesDir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	dir, done, err := newIndexDir(root)
	if err != nil {
		return nil, err
	}
	defer done()
	fail := func(err error) (*Index, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	m := Manifest{
		Parser:   gongwen.Version,
		Analysis: analysisVersion,
		Built:    time.Now().UTC(),
		// Every word the segmenter knows now, which may be more than this corpus
		// brings (a document deleted in this process leaves its words): the index
		// is reopened with exactly the words it was built with.
		UserWords:   seg.UserWords(),
		CorpusWords: append([]string(nil), c.UserWords...),
		Aliases:     c.Departments.All(),
		ClauseFiles: []string{filepath.Join(filepath.Base(dir), clausesFile)},
	}
	sort.Strings(m.UserWords)
	sort.Strings(m.CorpusWords)
	m.Departments, m.DepartmentPlaces = departmentEntries(c)
	docs := c.Docs
	m.Sources, m.BuiltIn = sourceSums(c.Sources)
	for _, d := range docs {
		meta := *d
		meta.Clauses = nil
		m.Documents = append(m.Documents, meta)
	}
	// What the manifest and the files beside the index need is worked out
	// while the parts are built, on a core the builders leave idle at times.
	var side sync.WaitGroup
	var sideErr error
	side.Add(1)
	go func() {
		defer side.Done()
		m.Parsed = parsedSums(docs)
		m.Fingerprint = fingerprint(m.Sources, m.BuiltIn, m.Parsed, m.Aliases, m.CorpusWords)
		if m.Campaigns = c.Campaigns; m.Campaigns == nil {
			m.Campaigns = campaign.Extract(c.Docs)
		}
		sideErr = writeClauses(dir, docs)
	}()
	var parts, clauses int
	var words map[string]int
	if opt.Weaviate != nil {
		m.WeaviateClass, clauses, err = opt.Weaviate.build(filepath.Base(dir), seg, docs, opt.Progress)
	} else {
		parts, clauses, words, err = buildParts(dir, docs, opt.Builders, opt.Progress)
	}
	side.Wait()
	if err == nil {
		err = sideErr
	}
	if err != nil {
		if m.WeaviateClass != "" {
			opt.Weaviate.Drop(context.Background(), m.WeaviateClass)
		}
		return fail(err)
	}
	fail = func(err error) (*Index, error) {
		os.RemoveAll(dir)
		if m.WeaviateClass != "" {
			opt.Weaviate.Drop(context.Background(), m.WeaviateClass)
		}
		return nil, err
	}
	m.Parts, m.Clauses, m.PartDirs = parts, clauses, []string{}
	for k := 0; k < parts; k++ {
		rel, _ := filepath.Rel(root, partDir(dir, k))
		m.PartDirs = append(m.PartDirs, rel)
	}
	// Frequent words for suggestions were counted as the analyzer cut the
	// text; a remote build cuts it again.
	if opt.Weaviate != nil {
		m.Terms = frequentWords(seg, docs, 2000)
	} else {
		m.Terms = topTerms(words, 2000)
	}
	// The manifest is written while the index opens from the one in memory:
	// at 100,000 items it is 40 MB of JSON, and writing it then reading it
	// back took a second and a half on one core.
	written := make(chan error, 1)
	go func() { written <- durable.WriteFile(filepath.Join(dir, manifestFile), mustJSON(m)) }()
	ix, err := openWith(dir, opt, docs, m)
	if werr := <-written; werr != nil {
		if err == nil {
			ix.Close()
		}
		return fail(werr)
	}
	if err != nil {
		return fail(err)
	}
	return ix, nil
}

// Publish makes the index the live one: CURRENT names it, replaced atomically,
// and the folders of older indexes it does not use are removed unless another
// process holds them.
func (ix *Index) Publish() error {
	root := filepath.Dir(ix.dir)
	if err := durable.WriteFile(filepath.Join(filepath.Dir(root), currentFile), []byte(filepath.Base(ix.dir)+"\n")); err != nil {
		return err
	}
	removeStale(root, ix.folders())
	return nil
}

// Discard closes an index that was never published and removes what it alone uses.
func (ix *Index) Discard() {
	ix.Retire()
}

// folders lists the folders under indexes/ the index uses: its own, its parts'
// and its clause files'.
func (ix *Index) folders() map[string]bool {
	return foldersOf(filepath.Base(ix.dir), ix.manifest)
}

func foldersOf(name string, m Manifest) map[string]bool {
	out := map[string]bool{name: true}
	for _, rel := range m.PartDirs {
		out[folder(rel)] = true
	}
	for _, rel := range m.ClauseFiles {
		out[folder(rel)] = true
	}
	return out
}

// writeClauses keeps the documents with their clauses beside the index: the
// search path holds every clause in memory, and an index opened without its
// corpus (OpenCurrent) reads them from here. Each document is a gob message
// of its own, written as it is encoded: one message of them all was a buffer
// of the whole library, whose growth was a twentieth of building 100,000
// items.
func writeClauses(dir string, docs []*gongwen.Document) error {
	return durable.Write(filepath.Join(dir, clausesFile), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		enc := gob.NewEncoder(bw)
		for _, d := range docs {
			if err := enc.Encode(d); err != nil {
				return fmt.Errorf("index: encoding clauses: %w", err)
			}
		}
		return bw.Flush()
	})
}

func readClauses(name string) ([]*gongwen.Document, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("index: no clauses: %w", err)
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReader(f))
	var docs []*gongwen.Document
	for {
		d := new(gongwen.Document)
		if err := dec.Decode(d); err == io.EOF {
			return docs, nil
		} else if err != nil {
			return nil, fmt.Errorf("index: clauses in %s: %w", name, err)
		}
		docs = append(docs, d)
	}
}

// removeStale deletes index folders left by earlier builds and crashes, except
// those the new index uses (keep) and those still open, here or in another
// process (Retire removes those once closed).
func removeStale(root string, keep map[string]bool) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if !keep[e.Name()] && !inUse(dir) && !building(dir) {
			os.RemoveAll(dir)
		}
	}
}

// builds in this process, by folder: a folder being written holds no locked
// index yet (inUse), and an ingestion published meanwhile must not remove a
// background merge's folder from under its builder.
var staging = struct {
	sync.Mutex
	dirs map[string]bool
}{dirs: map[string]bool{}}

// newIndexDir makes a new folder under root for an index or an addition,
// left alone by removeStale until done is called: by then the index is open
// and holds its lock, or the build has failed and removed it.
func newIndexDir(root string) (dir string, done func(), err error) {
	staging.Lock()
	defer staging.Unlock()
	dir, err = os.MkdirTemp(root, time.Now().UTC().Format("20060102T150405")+"-")
	if err != nil {
		return "", nil, err
	}
	staging.dirs[dir] = true
	return dir, func() {
		staging.Lock()
		defer staging.Unlock()
		delete(staging.dirs, dir)
	}, nil
}

// building reports whether a build of this process is writing dir.
func building(dir string) bool {
	staging.Lock()
	defer staging.Unlock()
	return staging.dirs[dir]
}

// inUse reports whether another process (a server, while `policysearch index`
// rebuilds) holds the index in dir open: scorch locks its root file.
func inUse(dir string) bool {
	f, err := os.Open(filepath.Join(dir, bleveDir, "store", "root.bolt"))
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// Dir is the index's folder.
func (ix *Index) Dir() string { return ix.dir }

// Retire closes an index that is no longer served and removes the folders it
// uses that the live index does not, once no open index holds them: a part an
// index made by Add shares stays until the last index holding it is retired.
func (ix *Index) Retire() error {
	err := ix.Close()
	root := filepath.Dir(ix.dir)
	cur, cerr := currentDir(filepath.Dir(root))
	if cerr != nil {
		return err
	}
	live := map[string]bool{filepath.Base(cur): true}
	if m, merr := folderList(cur); merr == nil {
		live = foldersOf(filepath.Base(cur), m)
		ix.dropUnlessLive(m)
	}
	for name := range ix.folders() {
		if dir := filepath.Join(root, name); !live[name] && !inUse(dir) {
			os.RemoveAll(dir)
		}
	}
	return err
}

// mustJSON encodes a manifest. Not indented: at 100,000 clauses the manifest
// is tens of megabytes (every department's clause ids), written on every
// ingestion.
func mustJSON(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data is marshalled here
	}
	return b
}

// Close releases the index.
func (ix *Index) Close() error {
	var err error
	ix.closeMu.Do(func() {
		err = ix.num.close()
		for _, p := range ix.parts {
			if cerr := p.release(); err == nil {
				err = cerr
			}
		}
	})
	return err
}

// Manifest describes what the index was built from.
func (ix *Index) Manifest() Manifest { return ix.manifest }

// Documents lists the indexed documents' metadata and outlines.
func (ix *Index) Documents() []Document {
	return append(make([]Document, 0, len(ix.manifest.Documents)), ix.manifest.Documents...)
}

// Document returns one document's metadata and outline.
func (ix *Index) Document(id string) (Document, bool) {
	d, ok := ix.docs[id]
	if !ok {
		return Document{}, false
	}
	return *d, true
}

// Segmenter is the jieba instance the index analyses with.
func (ix *Index) Segmenter() *segment.Segmenter { return ix.seg }

// newMapping describes a clause to bleve: what the search path reads as
// posting lists (see match.go), nothing else. Each text is indexed as single
// characters and character pairs (substrings: a longer substring is the
// intersection of its pairs, checked against the clause in memory, so no
// positions are kept); the text and title also as jieba words (term
// statistics). Keywords serve filters. Clauses, their order and their facet
// values are read from memory (clauses.go), so nothing is stored and there are
// no doc values.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = analyzerJieba
	dm := bleve.NewDocumentStaticMapping()
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	keyword := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	for _, name := range []string{"text", "title", "path"} {
		if name != "path" {
			dm.AddFieldMappingsAt(name, text(analyzerJieba))
		}
		dm.AddFieldMappingsAt(gramField(name), text(analyzerGram))
		dm.AddFieldMappingsAt(charField(name), text(analyzerChar))
	}
	for _, name := range []string{"departments", "department_places", "leads", "lead_places",
		"sections", "doc_id", "issuers", "year"} {
		dm.AddFieldMappingsAt(name, keyword())
	}
	// No _all field: nothing searches it, and composing it costs the build.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// record is the bleve document of a clause.
type record struct {
	Text        string   `json:"text"`
	TextGram    string   `json:"text_gram"`
	TextChar    string   `json:"text_char"`
	Title       string   `json:"title"`
	TitleGram   string   `json:"title_gram"`
	TitleChar   string   `json:"title_char"`
	PathGram    string   `json:"path_gram"`
	PathChar    string   `json:"path_char"`
	Departments []string `json:"departments"` // everyone responsible, leads included
	// DepartmentPlaces are the departments with the document's region
	// (placeKey): a department is a name in a place.
	DepartmentPlaces []string `json:"department_places"`
	Leads            []string `json:"leads"`
	LeadPlaces       []string `json:"lead_places"`
	Sections         []string `json:"sections"`
	DocID            string   `json:"doc_id"`
	Issuers          []string `json:"issuers"`
	Year             []string `json:"year"` // empty when the document has none
}

func newRecord(d *gongwen.Document, c gongwen.Clause) record {
	path := strings.Join(c.Path, "\n")
	r := record{
		Text: c.Text, TextGram: c.Text, TextChar: c.Text,
		Title: c.Title, TitleGram: c.Title, TitleChar: c.Title,
		PathGram: path, PathChar: path,
		Departments: responsible(c),
		Leads:       c.LeadDepartments,
		DocID:       c.DocID,
		Issuers:     issuersOf(d),
	}
	for _, name := range r.Departments {
		r.DepartmentPlaces = append(r.DepartmentPlaces, placeKey(name, d.Region))
	}
	for _, name := range r.Leads {
		r.LeadPlaces = append(r.LeadPlaces, placeKey(name, d.Region))
	}
	if d.Year != 0 {
		r.Year = []string{strconv.Itoa(d.Year)}
	}
	// A section filter names a section by number (一, 一/三) or by heading.
	if c.Section != "" {
		r.Sections = append(r.Sections, c.Section)
		if k := strings.Index(c.Section, "/"); k > 0 {
			r.Sections = append(r.Sections, c.Section[:k])
		}
	}
	r.Sections = append(r.Sections, c.Path...)
	return r
}
