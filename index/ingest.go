package index

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
	"unicode/utf8"

	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/durable"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Adding a document to a live index: its clauses are written into a small
// part of their own, and the new Index shares the live one's open parts
// beside it, with its in-memory structures extended rather than derived from
// the parsed corpus again. The new part and a manifest listing every part are
// written into a new folder, and CURRENT is switched to it, so a restart opens
// it as it opens a full build.
//
// A new document may bring user words (a campaign, a department, a quoted
// name) that jieba would now cut differently in clauses already indexed: the
// jieba field drives the "as jieba words" tier and the term statistics. Those
// clauses (the ones whose text or title holds a new word) are indexed again
// into the new part, with the words, and the newest part's copy of a clause
// is the one searched (numbering), so the answers are a full build's.

// Addition is a document to add to a live index.
type Addition struct {
	Source Source
	Doc    *gongwen.Document
	// Position is the document's place among the library's documents, as a
	// full build of the corpus orders them: document order follows it.
	Position int
	// UserWords and Departments are the corpus's with the document
	// (Corpus.UserWords, Corpus.Departments).
	UserWords   []string
	Departments *department.Table
}

// Deltas is how many parts were added to the index since its last full build.
func (ix *Index) Deltas() int { return ix.manifest.Deltas }

// Corpus is the library the index holds, as Load would give it but without
// the documents' text: each source's id and whether it is built in, and the
// parsed documents, in document order.
func (ix *Index) Corpus() *Corpus {
	c := &Corpus{Docs: ix.store.docs}
	for _, d := range ix.store.docs {
		c.Sources = append(c.Sources, Source{ID: d.ID, BuiltIn: ix.manifest.BuiltIn[d.ID]})
	}
	c.Departments = department.NewTable(ix.manifest.Aliases)
	c.UserWords = append([]string(nil), ix.manifest.CorpusWords...)
	return c
}

// Add makes a new index of the live one's clauses and the document's, without
// rebuilding: see above. It writes the new index and makes it the live one
// (CURRENT); the receiver stays open and unchanged, for the searches in
// flight, until it is retired. A crash at any point leaves this index or the
// new one live.
func (ix *Index) Add(a Addition, opt Options) (*Index, error) {
	// An addition makes a new clause store beside the live one and encodes
	// the whole manifest (40 MB at 100,000 items): under a limit set for
	// serving, the collector ran through it without pause, most of an
	// ingestion's time.
	defer collectForBuild()()
	d := a.Doc
	if d == nil || a.Source.ID != d.ID {
		return nil, fmt.Errorf("index: an addition without its document")
	}
	if _, dup := ix.docs[d.ID]; dup {
		return nil, fmt.Errorf("index: the library already holds document %q", d.ID)
	}
	if a.Position < 0 || a.Position > len(ix.store.docs) {
		return nil, fmt.Errorf("index: position %d among %d documents", a.Position, len(ix.store.docs))
	}
	for _, c := range d.Clauses {
		if _, dup := ix.store.byID[c.ID]; dup {
			return nil, fmt.Errorf("index: the library already holds clause %q", c.ID)
		}
	}
	if err := ix.seg.AddWords(a.UserWords); err != nil {
		return nil, err
	}
	words := ix.seg.UserWords()
	refs := make([]clauseRef, 0, len(d.Clauses))
	for i := range d.Clauses {
		refs = append(refs, clauseRef{d, &d.Clauses[i], i})
	}
	recut, err := ix.cutDifferently(newWords(ix.manifest.UserWords, words))
	if err != nil {
		return nil, err
	}
	refs = append(refs, recut...)

	root := filepath.Dir(ix.dir)
	dir, done, err := newIndexDir(root)
	if err != nil {
		return nil, err
	}
	defer done()
	name := filepath.Base(dir)
	fail := func(err error) (*Index, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := ix.writeAdded(dir, refs); err != nil {
		return fail(err)
	}
	if err := writeClauses(dir, []*gongwen.Document{d}); err != nil {
		return fail(err)
	}
	docs := make([]*gongwen.Document, 0, len(ix.store.docs)+1)
	docs = append(append(append(docs, ix.store.docs[:a.Position]...), d), ix.store.docs[a.Position:]...)
	// The manifest is worked out and written while the clauses are loaded and
	// numbered: each takes a while at 100,000 clauses, and CURRENT waits for both.
	var m Manifest
	described, written := make(chan struct{}), make(chan error, 1)
	go func() {
		m = ix.addedManifest(a, docs, words, d.Clauses)
		m.PartDirs = append(append([]string{}, ix.manifest.PartDirs...), ix.addedParts(name)...)
		m.ClauseFiles = append(append([]string(nil), ix.manifest.ClauseFiles...), filepath.Join(name, clausesFile))
		m.Parts, m.Deltas = len(m.PartDirs), ix.manifest.Deltas+1
		close(described)
		written <- durable.WriteFile(filepath.Join(dir, manifestFile), mustJSON(m))
	}()
	fail = func(err error) (*Index, error) {
		<-written
		os.RemoveAll(dir)
		return nil, err
	}
	added, err := ix.openAdded(dir)
	if err != nil {
		return fail(err)
	}
	nx := &Index{dir: dir, seg: ix.seg, remote: ix.remote.again()}
	for _, p := range ix.parts {
		nx.parts = append(nx.parts, p.hold())
	}
	nx.parts = append(nx.parts, added...)
	if err := nx.load(docs, ix.store); err != nil {
		for _, p := range nx.parts {
			p.release()
		}
		return fail(err)
	}
	<-described
	nx.describe(m, opt)
	if err := <-written; err != nil {
		nx.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	if err := durable.WriteFile(filepath.Join(filepath.Dir(root), currentFile), []byte(name+"\n")); err != nil {
		nx.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return nx, nil
}

// newWords are the words of now that before does not hold.
func newWords(before, now []string) []string {
	had := make(map[string]bool, len(before))
	for _, w := range before {
		had[w] = true
	}
	var out []string
	for _, w := range now {
		if !had[w] {
			out = append(out, w)
		}
	}
	return out
}

// cutDifferently lists the clauses whose jieba field a new user word may cut
// differently: jieba's cut of a text changes only where the word occurs in it.
// The pair field finds them, as a search for the word would.
func (ix *Index) cutDifferently(words []string) ([]clauseRef, error) {
	if len(words) == 0 {
		return nil, nil
	}
	m := newMatcher(ix)
	var conds []cond
	for _, w := range words {
		if utf8.RuneCountInString(segment.Compact(w)) < 2 {
			continue
		}
		conds = append(conds, m.substring("text", w), m.substring("title", w))
	}
	held := m.resolve(or(conds...), ix.num.live)
	if m.err != nil {
		return nil, m.err
	}
	var out []clauseRef
	held.each(func(n int) bool {
		o := ix.num.ordinal[n]
		d, c := ix.store.docs[ix.store.doc[o]], ix.store.clauses[o]
		out = append(out, clauseRef{d, c, clauseIndex(d, c)})
		return true
	})
	return out, nil
}

// addedManifest is the live manifest with the document added: what a full
// build of the same corpus would write, except the frequent words (see
// addTerms), which the next full build makes exact.
func (ix *Index) addedManifest(a Addition, docs []*gongwen.Document, words []string, clauses []gongwen.Clause) Manifest {
	old := ix.manifest
	m := old
	m.Built = time.Now().UTC()
	m.UserWords = words
	m.CorpusWords = append([]string(nil), a.UserWords...)
	sort.Strings(m.CorpusWords)
	m.Aliases = a.Departments.All()
	m.Clauses = old.Clauses + len(clauses)
	meta := *a.Doc
	meta.Clauses = nil
	m.Documents = make([]gongwen.Document, 0, len(old.Documents)+1)
	m.Documents = append(append(append(m.Documents, old.Documents[:a.Position]...), meta), old.Documents[a.Position:]...)
	m.Sources, m.BuiltIn, m.Parsed = copyMap(old.Sources), copyMap(old.BuiltIn), copyMap(old.Parsed)
	sum, _ := sourceSums([]Source{a.Source})
	m.Sources[a.Doc.ID], m.BuiltIn[a.Doc.ID] = sum[a.Doc.ID], a.Source.BuiltIn
	m.Parsed[a.Doc.ID] = parsedSum(a.Doc)
	m.Fingerprint = fingerprint(m.Sources, m.BuiltIn, m.Parsed, m.Aliases, m.CorpusWords)
	m.Departments, m.DepartmentPlaces = departmentEntries(&Corpus{Docs: docs, Departments: a.Departments})
	m.Campaigns = addCampaigns(old.Campaigns, campaign.Extract([]*gongwen.Document{a.Doc}), docs)
	m.Terms = addTerms(old.Terms, ix.seg, clauses, 2000)
	return m
}

func copyMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// addCampaigns merges the campaigns of an added document into the library's,
// each campaign's items in document order, as campaign.Extract lists them.
func addCampaigns(old, added []Campaign, docs []*gongwen.Document) []Campaign {
	if len(added) == 0 {
		return old
	}
	pos := make(map[string]int, len(docs))
	for i, d := range docs {
		pos[d.ID] = i
	}
	docOf := func(clauseID string) int {
		for i := 0; i < len(clauseID); i++ {
			if clauseID[i] == ':' {
				return pos[clauseID[:i]]
			}
		}
		return pos[clauseID]
	}
	byName := map[string]int{}
	out := make([]Campaign, len(old))
	for i, c := range old {
		out[i] = c
		byName[c.Name] = i
	}
	for _, c := range added {
		i, ok := byName[c.Name]
		if !ok {
			out = append(out, c)
			continue
		}
		// The added document's items go before the first item of a later document.
		e := out[i]
		at := len(e.ClauseIDs)
		if len(c.ClauseIDs) > 0 {
			p := docOf(c.ClauseIDs[0])
			for k, id := range e.ClauseIDs {
				if docOf(id) > p {
					at = k
					break
				}
			}
		}
		e.ClauseIDs = append(append(append([]string(nil), e.ClauseIDs[:at]...), c.ClauseIDs...), e.ClauseIDs[at:]...)
		e.Items = append(append(append([]int(nil), e.Items[:at]...), c.Items...), e.Items[at:]...)
		out[i] = e
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// addTerms counts the added clauses' jieba words into the library's frequent
// words. The list keeps only the most frequent, so a word just below the cut
// may be missing until the next full build counts every clause again; the
// suggestions are the only ones to read it.
func addTerms(old []TermCount, seg *segment.Segmenter, clauses []gongwen.Clause, limit int) []TermCount {
	counts := make(map[string]int, len(old))
	for _, t := range old {
		counts[t.Term] = t.Count
	}
	for _, c := range clauses {
		seen := map[string]bool{}
		for _, t := range seg.Tokens(c.Text) {
			if !seen[t.Term] {
				seen[t.Term] = true
				counts[t.Term]++
			}
		}
	}
	return topTerms(counts, limit)
}
