package gongwen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input gives a document or an *Error, never a panic, and a
// document's clauses have unique ids and valid UTF-8 text.
func FuzzParse(f *testing.F) {
	f.Add(string(readNotice(f)))
	f.Add("标题\n一、总体要求\n1.第一项。（市教委负责）\n")
	f.Add("1.\n2.\n（一）\n一、\n")
	f.Add("— 9—\n（（（）\n1.（）")
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := Parse("f", []byte(src))
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(doc.Clauses) == 0 && len(doc.Outline) == 0 {
			t.Fatal("a document with neither clauses nor outline")
		}
		seen := map[string]bool{}
		for _, c := range doc.Clauses {
			if c.ID == "" || seen[c.ID] || strings.ContainsAny(c.ID, "/?#% ") {
				t.Fatalf("bad or repeated clause id %q", c.ID)
			}
			seen[c.ID] = true
			if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Title) {
				t.Fatalf("invalid UTF-8 in clause %s", c.ID)
			}
		}
	})
}
