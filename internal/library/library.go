// Package library gathers the corpus: the built-in documents (embedded, or a
// --corpus folder), the documents ingested into the data folder, their parsed
// clauses, the department table and the words jieba must know.
package library

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"policysearch/corpus"
	"policysearch/index"
	"policysearch/internal/campaign"
	"policysearch/internal/department"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// IngestedDir is the folder under the data folder that holds ingested documents.
const IngestedDir = "corpus"

// Load reads the built-in documents from corpusDir ("" means the embedded
// corpus) and the ingested ones under dataDir, and parses them all.
func Load(corpusDir, dataDir string) (*index.Corpus, error) {
	var builtin fs.FS = corpus.Documents()
	if corpusDir != "" {
		st, err := os.Stat(corpusDir)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--corpus %s: not a readable folder", corpusDir)
		}
		builtin = os.DirFS(corpusDir)
	}
	var sources []index.Source
	add := func(fsys fs.FS, builtIn bool, where string) error {
		names, err := fs.Glob(fsys, "*.txt")
		if err != nil {
			return err
		}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(where, name), err)
			}
			sources = append(sources, index.Source{ID: strings.TrimSuffix(name, ".txt"), Text: b, BuiltIn: builtIn})
		}
		return nil
	}
	where := corpusDir
	if where == "" {
		where = "embedded corpus"
	}
	if err := add(builtin, true, where); err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("%s holds no *.txt document", where)
	}
	ingested := filepath.Join(dataDir, IngestedDir)
	if st, err := os.Stat(ingested); err == nil && st.IsDir() {
		if err := add(os.DirFS(ingested), false, ingested); err != nil {
			return nil, err
		}
	}
	return Parse(sources)
}

// Parse parses sources into a corpus, with its department table and user words.
func Parse(sources []index.Source) (*index.Corpus, error) {
	c := &index.Corpus{Sources: sources}
	seen := map[string]bool{}
	for _, s := range sources {
		if seen[s.ID] {
			return nil, fmt.Errorf("two documents have the id %q", s.ID)
		}
		seen[s.ID] = true
		d, err := gongwen.Parse(s.ID, s.Text)
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", s.ID, err)
		}
		c.Docs = append(c.Docs, d)
	}
	table, err := department.ParseTable(corpus.DepartmentsTSV())
	if err != nil {
		return nil, err
	}
	table.AddFromDocuments(c.Docs)
	c.Departments = table
	c.UserWords = UserWords(c.Docs, table)
	return c, nil
}

var (
	quotedRe = regexp.MustCompile(`“([^“”]{2,16})”`)
	titledRe = regexp.MustCompile(`《([^《》]{2,30})》`)
)

// UserWords are the words jieba must cut whole: departments under every name,
// campaigns, and “quoted” and 《titled》 names.
func UserWords(docs []*gongwen.Document, table *department.Table) []string {
	set := map[string]bool{}
	add := func(w string) {
		w = strings.TrimSpace(w)
		if utf8.RuneCountInString(w) >= 2 && segment.ValidWord(w) == nil {
			set[w] = true
		}
	}
	for _, n := range table.Names() {
		add(n)
	}
	for _, cp := range campaign.Extract(docs) {
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
