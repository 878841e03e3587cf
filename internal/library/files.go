package library

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"policysearch/corpus"
	"policysearch/index"
	"policysearch/internal/durable"
	"policysearch/internal/extract"
	"policysearch/internal/fault"
	"policysearch/internal/gongwen"
)

// The original files are the truth: a document is stored as it was given
// (<id>.pdf, <id>.docx, <id>.html, <id>.ofd, <id>.txt in UTF-8 or GBK), and
// its text is derived from it. A file's text is kept under the cache folder,
// by the file's hash and the extractor's version, so that neither a restart
// nor a rebuild reads a PDF again; a new extractor version reads every file
// again (and, the documents' metadata naming it, rebuilds the index).

// CacheDir is the folder under the data folder for what can be made again:
// pdfium's compiled WebAssembly and the text extracted from files.
func CacheDir(dataDir string) string { return filepath.Join(dataDir, "cache") }

const extractedDir = "extracted" // under CacheDir: <sha256 of the file>.json

// Original is a document's file as it was given.
type Original struct {
	Data []byte
	// Name and ContentType are what the sender called it: hints of its format.
	Name        string
	ContentType string
}

// files is the manager's extractor, started when first needed.
type files struct {
	mu sync.Mutex
	x  *extract.Extractor
}

// SetExtractor makes the manager read files with x (its limits, its cache);
// by default it makes one with the cache under the data folder.
func (m *Manager) SetExtractor(x *extract.Extractor) {
	m.files.mu.Lock()
	defer m.files.mu.Unlock()
	m.files.x = x
}

func (m *Manager) extractor() *extract.Extractor {
	m.files.mu.Lock()
	defer m.files.mu.Unlock()
	if m.files.x == nil {
		m.files.x = extract.New(extract.Options{CacheDir: CacheDir(m.dataDir)})
	}
	return m.files.x
}

// Close stops what the manager started (pdfium); a merge still building is
// dropped when it ends.
func (m *Manager) Close() error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.files.mu.Lock()
	defer m.files.mu.Unlock()
	if m.files.x == nil {
		return nil
	}
	return m.files.x.Close()
}

// IngestFile reads a document's file, parses its text, stores the file
// durably as the document's original and rebuilds the index with it. A file
// that cannot be read is refused before anything is written: a format not
// read (fault.Unsupported), no text (fault.Unprocessable), too large unpacked
// (fault.TooLarge). id and replace are as for Ingest.
func (m *Manager) IngestFile(id string, data []byte, name, contentType, series string, replace bool) (added index.Added, replaced bool, err error) {
	return m.ingestFile(id, Original{Data: data, Name: name, ContentType: contentType}, series, replace)
}

func (m *Manager) ingestFile(id string, f Original, series string, replace bool) (added index.Added, replaced bool, err error) {
	if id != "" && !idRe.MatchString(id) {
		return index.Added{}, false, fault.New(fault.Invalid, "id %q: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit", id)
	}
	if series, err = checkSeries(series); err != nil {
		return index.Added{}, false, err
	}
	x := m.extractor()
	// Read before taking the lock: a long PDF does not hold up other changes.
	res, err := x.Extract(f.Data, extract.Hint{Name: f.Name, ContentType: f.ContentType})
	if err != nil {
		return index.Added{}, false, err
	}
	text := []byte(res.Text)
	m.mu.Lock()
	defer m.mu.Unlock()
	parseID := id
	if parseID == "" {
		parseID = "new"
	}
	doc, err := gongwen.Parse(parseID, text)
	if err != nil {
		return index.Added{}, false, fault.Wrap(fault.Invalid, fmt.Errorf("the document cannot be read: %w", err))
	}
	// The library as the live index holds it: parsing every document again
	// to check for a duplicate is what a large library cannot afford.
	live := m.live()
	var c *index.Corpus
	if live != nil {
		c = live.Corpus()
	} else if c, err = LoadWith(x, m.corpusDir, m.dataDir); err != nil {
		return index.Added{}, false, err
	}
	id, replaced, err = place(doc, id, DeriveID(doc, text), c, replace)
	if err != nil {
		return index.Added{}, false, err
	}
	dir := filepath.Join(m.dataDir, IngestedDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return index.Added{}, false, err
	}
	// The derived text first, so the rebuild finds it without reading the file again.
	if err := storeExtracted(m.dataDir, f.Data, res); err != nil {
		return index.Added{}, false, err
	}
	name := filepath.Join(dir, id+res.Format.Ext())
	others := originalsOf(dir, id) // a replaced document's file, maybe of another format
	var before []byte
	if replaced {
		if b, err := os.ReadFile(name); err == nil {
			before = b
		}
	}
	// The series goes first: the document's file is what makes it part of
	// the library, and a series file without one is never read.
	restoreSeries, err := writeSeries(dir, id, series)
	if err != nil {
		return index.Added{}, false, err
	}
	// One rename puts the file in place. A replaced file of another format
	// stays until the index is rebuilt: a crash between leaves both, and the
	// newer one is the document (see ingestedFiles).
	if err := durable.WriteFile(name, f.Data); err != nil {
		restoreSeries()
		return index.Added{}, false, fmt.Errorf("writing %s: %w", name, err)
	}
	m.changes++
	if !replaced && live != nil {
		err = m.add(live, c, index.Source{ID: id, Text: text}, fileMeta{format: res.Format, pages: res.Pages, series: series})
	} else {
		// A replaced document's clauses are in the index's parts: the index
		// is built again without them.
		err = m.rebuild()
	}
	if err != nil {
		// Not acknowledged: put the corpus back as it was.
		if before != nil {
			durable.WriteFile(name, before)
		} else {
			durable.Remove(name)
		}
		restoreSeries()
		return index.Added{}, false, err
	}
	for _, o := range others {
		if o != name {
			durable.Remove(o)
		}
	}
	warnings := doc.Warnings
	if warnings == nil {
		warnings = []gongwen.Warning{}
	}
	return index.Added{ID: id, Number: doc.Number, Title: doc.Title, Clauses: len(doc.Clauses), Warnings: warnings}, replaced, nil
}

// Original returns a document's file as stored (ingested, in --corpus or
// embedded): its bytes, its file name and its Content-Type.
func (m *Manager) Original(id string) (data []byte, name, contentType string, err error) {
	o, f, err := OriginalOf(m.corpusDir, m.dataDir, id)
	if err != nil {
		return nil, "", "", err
	}
	contentType = o.ContentType
	if f == extract.Text || f == extract.HTML {
		// The charset the file is in, as stored: a GBK text stays GBK.
		if res, err := readFile(m.extractor(), m.dataDir, o.Data, extract.Hint{Name: o.Name}); err == nil && res.Encoding != "" {
			contentType += "; charset=" + res.Encoding
		}
	}
	return o.Data, o.Name, contentType, nil
}

// Text returns the text a document's file gave the parser: the text its
// warnings' line numbers count in.
func (m *Manager) Text(id string) (string, error) {
	o, _, err := OriginalOf(m.corpusDir, m.dataDir, id)
	if err != nil {
		return "", err
	}
	res, err := readFile(m.extractor(), m.dataDir, o.Data, extract.Hint{Name: o.Name})
	if err != nil {
		return "", err
	}
	return res.Text, nil
}

// OriginalOf finds a document's file: ingested under dataDir, else in the
// built-in corpus (corpusDir, or the embedded one when it is "").
func OriginalOf(corpusDir, dataDir, id string) (Original, extract.Format, error) {
	if !idRe.MatchString(id) {
		return Original{}, "", fault.New(fault.NotFound, "no document %q", id)
	}
	if names := originalsOf(filepath.Join(dataDir, IngestedDir), id); len(names) > 0 {
		name := names[len(names)-1] // the newest
		b, err := os.ReadFile(name)
		if err != nil {
			return Original{}, "", err
		}
		return original(b, filepath.Base(name))
	}
	fsys := builtinFS(corpusDir)
	if fsys != nil {
		entries, _ := fs.ReadDir(fsys, ".")
		for _, e := range entries {
			if !e.IsDir() && extract.Readable(e.Name()) && idOf(e.Name()) == id {
				b, err := fs.ReadFile(fsys, e.Name())
				if err != nil {
					return Original{}, "", err
				}
				return original(b, e.Name())
			}
		}
	}
	return Original{}, "", fault.New(fault.NotFound, "no document %q", id)
}

func original(b []byte, name string) (Original, extract.Format, error) {
	f, err := extract.Detect(b, extract.Hint{Name: name})
	if err != nil {
		return Original{}, "", err
	}
	return Original{Data: b, Name: name, ContentType: f.MediaType()}, f, nil
}

func builtinFS(corpusDir string) fs.FS {
	if corpusDir == "" {
		return corpus.Documents()
	}
	return os.DirFS(corpusDir)
}

// idOf is a document's id from its file name: the name without its extension.
func idOf(name string) string {
	return strings.TrimSuffix(name, path.Ext(name))
}

// originalsOf lists the files stored for an id in dir, oldest first.
func originalsOf(dir, id string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type named struct {
		name string
		mod  time.Time
	}
	var out []named
	for _, e := range entries {
		if e.IsDir() || !extract.Readable(e.Name()) || idOf(e.Name()) != id {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, named{filepath.Join(dir, e.Name()), info.ModTime()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].mod.Before(out[j].mod) })
	names := make([]string, len(out))
	for i, n := range out {
		names[i] = n.name
	}
	return names
}

// documentFiles lists the documents' files of a folder: every file of a
// format read (not .tsv tables, notes or hidden files). With newest, two
// files of one id (a replacement by a file of another format that a crash
// interrupted) give the newer; otherwise they are an error.
func documentFiles(fsys fs.FS, where string, newest bool) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	type file struct {
		name string
		mod  time.Time
	}
	byID := map[string]file{}
	var ids []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !extract.Readable(name) {
			continue
		}
		var mod time.Time
		if info, err := e.Info(); err == nil {
			mod = info.ModTime()
		}
		id := idOf(name)
		if prev, ok := byID[id]; ok {
			if !newest {
				return nil, fmt.Errorf("%s: %s and %s are both document %q; keep one", where, prev.name, name, id)
			}
			if !mod.After(prev.mod) {
				continue
			}
		} else {
			ids = append(ids, id)
		}
		byID[id] = file{name, mod}
	}
	sort.Strings(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id].name
	}
	return out, nil
}

// extracted is a file's text as kept in the cache.
type extracted struct {
	Extractor string         `json:"extractor"`
	Format    extract.Format `json:"format"`
	Pages     int            `json:"pages,omitempty"`
	Encoding  string         `json:"encoding,omitempty"`
	Text      string         `json:"text"`
}

func extractedPath(dataDir string, data []byte) string {
	sum := sha256.Sum256(data)
	return filepath.Join(CacheDir(dataDir), extractedDir, hex.EncodeToString(sum[:])+".json")
}

// readFile is a file's text: plain text decoded at once, any other format
// from the cache when this extractor version read it before.
func readFile(x *extract.Extractor, dataDir string, data []byte, hint extract.Hint) (extract.Result, error) {
	f, err := extract.Detect(data, hint)
	if err != nil {
		return extract.Result{}, err
	}
	if f == extract.Text || dataDir == "" {
		return x.Extract(data, hint)
	}
	if b, err := os.ReadFile(extractedPath(dataDir, data)); err == nil {
		var e extracted
		if json.Unmarshal(b, &e) == nil && e.Extractor == extract.Version && e.Format == f {
			return extract.Result{Format: e.Format, Text: e.Text, Pages: e.Pages, Encoding: e.Encoding}, nil
		}
	}
	res, err := x.Extract(data, hint)
	if err != nil {
		return res, err
	}
	// The cache is derived: failing to write it costs a later read, nothing more.
	storeExtracted(dataDir, data, res)
	return res, nil
}

func storeExtracted(dataDir string, data []byte, res extract.Result) error {
	if res.Format == extract.Text {
		return nil
	}
	p := extractedPath(dataDir, data)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(extracted{Extractor: extract.Version, Format: res.Format, Pages: res.Pages, Encoding: res.Encoding, Text: res.Text})
	if err != nil {
		return err
	}
	return durable.WriteFile(p, b)
}

// pruneExtracted removes the cached texts of files no longer in the corpus
// (deleted or replaced documents, older extractor versions).
func pruneExtracted(dataDir string, keep map[string]bool) {
	dir := filepath.Join(CacheDir(dataDir), extractedDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !keep[p] {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) < time.Minute {
				continue // maybe a file being ingested right now
			}
			os.Remove(p)
		}
	}
}

// LoadWith is Load reading files with x.
func LoadWith(x *extract.Extractor, corpusDir, dataDir string) (*index.Corpus, error) {
	builtin := builtinFS(corpusDir)
	where := corpusDir
	if corpusDir == "" {
		where = "embedded corpus"
	} else if st, err := os.Stat(corpusDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--corpus %s: not a readable folder", corpusDir)
	}
	var sources []index.Source
	var metas []fileMeta
	keep := map[string]bool{}
	add := func(fsys fs.FS, builtIn bool, where string, newest bool) error {
		names, err := documentFiles(fsys, where, newest)
		if err != nil {
			return err
		}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(where, name), err)
			}
			res, err := readFile(x, dataDir, b, extract.Hint{Name: name})
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(where, name), err)
			}
			if res.Format != extract.Text {
				keep[extractedPath(dataDir, b)] = true
			}
			meta := fileMeta{format: res.Format, pages: res.Pages}
			if !builtIn {
				if meta.series, err = readSeries(fsys, idOf(name)); err != nil {
					return fmt.Errorf("%s: %w", filepath.Join(where, name), err)
				}
			}
			sources = append(sources, index.Source{ID: idOf(name), Text: []byte(res.Text), BuiltIn: builtIn})
			metas = append(metas, meta)
		}
		return nil
	}
	if err := add(builtin, true, where, false); err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("%s holds no document (%s)", where, extract.Accepted)
	}
	ingested := filepath.Join(dataDir, IngestedDir)
	if st, err := os.Stat(ingested); err == nil && st.IsDir() {
		if err := add(os.DirFS(ingested), false, ingested, true); err != nil {
			return nil, err
		}
	}
	c, err := parseWith(sources, metas)
	if err != nil {
		return nil, err
	}
	c.Sources = sources
	if dataDir != "" {
		pruneExtracted(dataDir, keep)
	}
	return c, nil
}

// fileMeta is what a document's file says besides its text.
type fileMeta struct {
	format extract.Format
	pages  int
	series string // the series named on ingest (seriesFile)
}

// seriesFile is where the series an admin named for an added document is
// kept, beside its file: the name, as given.
func seriesFile(id string) string { return id + ".series" }

// checkSeries validates a series name given on ingest: "" is none.
func checkSeries(s string) (string, error) {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > 100 {
		return "", fault.New(fault.Invalid, "series has %d characters; the limit is 100", n)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", fault.New(fault.Invalid, "series may not hold control characters or line breaks")
		}
	}
	return s, nil
}

// readSeries is the series named for an added document, "" when none was.
func readSeries(fsys fs.FS, id string) (string, error) {
	b, err := fs.ReadFile(fsys, seriesFile(id))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return checkSeries(string(b))
}

// writeSeries keeps the series named for a document in dir, or removes the
// one a former document of the id had; restore puts back what was there.
func writeSeries(dir, id, series string) (restore func(), err error) {
	name := filepath.Join(dir, seriesFile(id))
	before, readErr := os.ReadFile(name)
	restore = func() {
		if readErr == nil {
			durable.WriteFile(name, before)
		} else {
			durable.Remove(name)
		}
	}
	if series == "" {
		if readErr == nil {
			err = durable.Remove(name)
		}
	} else {
		err = durable.WriteFile(name, []byte(series))
	}
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", name, err)
	}
	return restore, nil
}
