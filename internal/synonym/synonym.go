// Package synonym knows the names people use for the same thing (科协 / 科学技术协会,
// 双创 / 大众创业万众创新). A search still finds exactly what was typed; these give
// the related searches offered beside its hits.
package synonym

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"policysearch/corpus"
	"policysearch/internal/tsv"
)

// FileName is the table's name in a corpus folder, where it replaces the
// embedded one.
const FileName = "synonyms.tsv"

// Load reads the table of a corpus folder: its synonyms.tsv, else the embedded
// table (also for corpusDir "", the embedded corpus).
func Load(corpusDir string) (*Table, error) {
	if corpusDir != "" {
		name := filepath.Join(corpusDir, FileName)
		b, err := os.ReadFile(name)
		switch {
		case err == nil:
			t, err := Parse(b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return t, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	return Parse(corpus.SynonymsTSV())
}

// Table holds groups of equivalent names.
type Table struct {
	groups [][]string
	// longest holds each group's names, longest first: the order Related
	// looks for them in, sorted once.
	longest [][]string
}

// Parse reads one group a line, names separated by tabs; # starts a comment.
func Parse(table []byte) (*Table, error) {
	t := &Table{}
	err := tsv.Read(table, func(n int, fields []string) error {
		var group []string
		for _, name := range fields {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if !utf8.ValidString(name) {
				return fmt.Errorf("synonyms line %d: not UTF-8 text", n)
			}
			group = append(group, name)
		}
		if len(group) < 2 {
			return fmt.Errorf("synonyms line %d: want two or more names separated by tabs, got %q", n, strings.Join(fields, "\t"))
		}
		t.groups = append(t.groups, group)
		names := slices.Clone(group)
		slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		t.longest = append(t.longest, names)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Related rewrites a query word with each equivalent of a name it holds:
// 科普基地 → 科学普及基地. The longest name a group finds in it is replaced,
// so 科学技术协会 is not read as 科学 + 技术协会. Never the word itself.
func (t *Table) Related(word string) []string {
	if t == nil {
		return nil
	}
	var out []string
	for k, g := range t.groups {
		for _, name := range t.longest[k] {
			if !strings.Contains(word, name) {
				continue
			}
			for _, other := range g {
				if other != name && !strings.Contains(word, other) {
					out = appendNew(out, strings.ReplaceAll(word, name, other))
				}
			}
			break
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
