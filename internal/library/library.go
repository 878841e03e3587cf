// Package library gathers the corpus: the built-in documents (embedded, or a
// --corpus folder), the documents ingested into the data folder, their parsed
// clauses, the department table and the words jieba must know.
package library

import (
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"policysearch/corpus"
	"policysearch/index"
	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/extract"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// IngestedDir is the folder under the data folder that holds ingested documents.
const IngestedDir = "corpus"

// Load reads the built-in documents from corpusDir ("" means the embedded
// corpus) and the ingested ones under dataDir — every file of a format read
// (extract.Accepted), its text extracted or taken from the cache — and
// parses them all. pdfium starts only for a PDF whose text is not cached.
func Load(corpusDir, dataDir string) (*index.Corpus, error) {
	x := extract.New(extract.Options{CacheDir: CacheDir(dataDir)})
	defer x.Close()
	return LoadWith(x, corpusDir, dataDir)
}

// Parse parses sources into a corpus, with its department table and user words.
func Parse(sources []index.Source) (*index.Corpus, error) {
	return parseWith(sources, nil)
}

// parseWith parses sources, each document's metadata saying the format and
// pages of its file (metas, by source) and the extractor version. Documents
// are parsed on every core: parsing is a seventh of building a large library.
func parseWith(sources []index.Source, metas []fileMeta) (*index.Corpus, error) {
	c := &index.Corpus{Sources: sources, Docs: make([]*gongwen.Document, len(sources))}
	seen := map[string]bool{}
	for _, s := range sources {
		if seen[s.ID] {
			return nil, fmt.Errorf("two documents have the id %q", s.ID)
		}
		seen[s.ID] = true
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, s := range sources {
		var meta *fileMeta
		if i < len(metas) {
			meta = &metas[i]
		}
		g.Go(func() error {
			d, err := parseSource(s, meta)
			c.Docs[i] = d
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	table, err := departmentTable(c.Docs)
	if err != nil {
		return nil, err
	}
	c.Departments = table
	c.Campaigns = campaign.Extract(c.Docs)
	c.UserWords = addUserWords(nil, c.Docs, c.Campaigns, table)
	return c, nil
}

// parseSource parses one document; meta, when known, is what its file says
// besides its text.
func parseSource(s index.Source, meta *fileMeta) (*gongwen.Document, error) {
	d, err := gongwen.Parse(s.ID, s.Text)
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", s.ID, err)
	}
	if meta != nil {
		// The extractor's version is in every document's metadata, which
		// the index fingerprint covers: a new extractor rebuilds the index.
		d.Format, d.Pages, d.Extractor = string(meta.format), meta.pages, extract.Version
		d.ClauseCount, d.BuiltIn = len(d.Clauses), s.BuiltIn
		d.SeriesName = meta.series
	}
	return d, nil
}

// departmentTable is the shipped department table with the names the
// documents use.
func departmentTable(docs []*gongwen.Document) (*department.Table, error) {
	table, err := department.ParseTable(corpus.DepartmentsTSV())
	if err != nil {
		return nil, err
	}
	table.AddFromDocuments(docs)
	return table, nil
}

var (
	quotedRe = regexp.MustCompile(`“([^“”]{2,16})”`)
	titledRe = regexp.MustCompile(`《([^《》]{2,30})》`)
)

// UserWords are the words jieba must cut whole: departments under every name,
// campaigns, and “quoted” and 《titled》 names.
func UserWords(docs []*gongwen.Document, table *department.Table) []string {
	return addUserWords(nil, docs, campaign.Extract(docs), table)
}

// addUserWords is words with the user words of docs, their campaigns and
// table: every rule of UserWords reads one name or one clause at a time, so
// the words of a corpus with a document added are its words before with the
// document's.
func addUserWords(words []string, docs []*gongwen.Document, campaigns []campaign.Campaign, table *department.Table) []string {
	set := map[string]bool{}
	for _, w := range words {
		set[w] = true
	}
	add := func(w string) {
		w = strings.TrimSpace(w)
		if utf8.RuneCountInString(w) >= 2 && segment.ValidWord(w) == nil {
			set[w] = true
		}
	}
	for _, n := range table.Names() {
		add(n)
	}
	for _, cp := range campaigns {
		add(strings.NewReplacer("“", "", "”", "").Replace(cp.Name))
	}
	for _, d := range docs {
		for _, c := range d.Clauses {
			for _, m := range quotedRe.FindAllStringSubmatch(c.Text, -1) {
				add(m[1])
			}
			for _, m := range titledRe.FindAllStringSubmatch(c.Text, -1) {
				add(m[1])
			}
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// Open loads the corpus and opens its index under dataDir, building it when the
// corpus, parser, analyzers or user words changed. It reports whether it built.
func Open(corpusDir, dataDir string, opt index.Options) (*index.Index, *index.Corpus, bool, error) {
	c, err := Load(corpusDir, dataDir)
	if err != nil {
		return nil, nil, false, err
	}
	ix, built, err := index.Ensure(dataDir, c, opt)
	if err != nil {
		return nil, nil, false, err
	}
	return ix, c, built, nil
}
