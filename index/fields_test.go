package index_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/util"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/segment"
)

// TestClauseDocumentsAsMapped builds the same clauses as a build does and as
// bleve's builder maps and analyses them: every field must hold the same
// terms, each in the same clauses with the same frequencies and norms, and the
// index keep the same mapping. (The segments' bytes differ between any two
// builds: the builder numbers a batch's documents in a map's order.)
func TestClauseDocumentsAsMapped(t *testing.T) {
	corpora := map[string][]*gongwen.Document{
		"notice":    testCorpus.Docs,
		"library":   libraryDocs(t),
		"synthetic": syntheticCorpus(t, 3000, 7).Docs,
		"odd":       {oddDocument()},
	}
	for name, docs := range corpora {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			ours, mapped := filepath.Join(dir, "ours"), filepath.Join(dir, "mapped")
			if err := index.WritePart(ours, docs, false); err != nil {
				t.Fatal(err)
			}
			if err := index.WritePart(mapped, docs, true); err != nil {
				t.Fatal(err)
			}
			a, b := readPart(t, ours), readPart(t, mapped)
			if a.meta != b.meta || !bytes.Equal(a.mapping, b.mapping) {
				t.Errorf("meta %s and mapping\n%s\nbleve's: meta %s and mapping\n%s", a.meta, a.mapping, b.meta, b.mapping)
			}
			if strings.Join(a.fields, " ") != strings.Join(b.fields, " ") || a.docs != b.docs {
				t.Errorf("%d clauses in fields %v, bleve's %d in %v", a.docs, a.fields, b.docs, b.fields)
			}
			if len(a.postings) != len(b.postings) {
				t.Errorf("%d terms, bleve's %d", len(a.postings), len(b.postings))
			}
			wrong := 0
			for key, want := range b.postings {
				if got := a.postings[key]; got != want && wrong < 10 {
					wrong++
					t.Errorf("%q: %s, bleve's %s", key, got, want)
				}
			}
		})
	}
}

// partContent is what a part holds: its meta file, the mapping it keeps, its
// fields, and every field's terms with their postings (clause, frequency,
// norm).
type partContent struct {
	meta     string
	mapping  []byte
	fields   []string
	docs     uint64
	postings map[string]string // field and term → the postings, by clause id
}

func readPart(t *testing.T, path string) partContent {
	t.Helper()
	meta, err := os.ReadFile(filepath.Join(path, "index_meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	bi, err := bleve.OpenUsing(path, map[string]interface{}{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := partContent{meta: string(meta), postings: map[string]string{}}
	if out.mapping, err = r.GetInternal(util.MappingInternalKey); err != nil {
		t.Fatal(err)
	}
	if out.docs, err = r.DocCount(); err != nil {
		t.Fatal(err)
	}
	if out.fields, err = r.Fields(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out.fields)
	for _, field := range out.fields {
		dict, err := r.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			var list []string
			for {
				d, err := tfr.Next(nil)
				if err != nil {
					t.Fatal(err)
				}
				if d == nil {
					break
				}
				id, err := r.ExternalID(d.ID)
				if err != nil {
					t.Fatal(err)
				}
				list = append(list, fmt.Sprintf("%s:%d:%g:%d", id, d.Freq, d.Norm, len(d.Vectors)))
			}
			tfr.Close()
			sort.Strings(list)
			out.postings[field+" "+e.Term] = fmt.Sprintf("%d %s", e.Count, strings.Join(list, " "))
		}
		dict.Close()
	}
	return out
}

func libraryDocs(t *testing.T) []*gongwen.Document {
	c, err := library.Load(filepath.Join("..", "testdata", "library"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	seg, err := segment.Shared("")
	if err != nil {
		t.Fatal(err)
	}
	if err := seg.AddWords(c.UserWords); err != nil {
		t.Fatal(err)
	}
	return c.Docs
}

// oddDocument has clauses with what the analyzers skip or split on: empty
// fields, spaces, newlines, NUL, invalid bytes, characters beyond the Basic
// Multilingual Plane, full-width and traditional forms, repeated keywords.
func oddDocument() *gongwen.Document {
	texts := []string{
		"", " ", "\n", "a", "ＡＢＣ abc\tＡbc", "全國科普日\n\n全国科普日", "𠀀𠀁𠀀𠀁 𠀀",
		"x\x00y\xffz", "（測試）。，、；", strings.Repeat("科普", 300),
	}
	d := &gongwen.Document{ID: "odd", Title: "奇怪的文件", Region: "重庆市", Year: 2024}
	for i, text := range texts {
		c := gongwen.Clause{
			ID: "odd-" + string(rune('a'+i)), DocID: "odd", Text: text, Title: texts[(i+3)%len(texts)],
			Path:        []string{texts[(i+5)%len(texts)], "一、总体要求", ""},
			Departments: []string{"市科协", "", "市科协"}, LeadDepartments: []string{"市科协"},
			Section: "一/三",
		}
		if i%3 == 0 {
			c.Path, c.Departments, c.LeadDepartments, c.Section = nil, nil, nil, ""
		}
		d.Clauses = append(d.Clauses, c)
	}
	return d
}
