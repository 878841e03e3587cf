package synonym

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"policysearch/corpus"
)

func TestEmbeddedTable(t *testing.T) {
	tab, err := Parse(corpus.SynonymsTSV())
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string][]string{
		"科普":     {"科学普及"},
		"科普基地":   {"科学普及基地"},
		"科学普及":   {"科普"},
		"市科协":    {"市科学技术协会"},
		"科学技术协会": {"科协"},
		"双创活动周":  {"大众创业万众创新活动周"},
		"全国科普日":  {"全国科学普及日"},
		"农村电商":   nil,
	} {
		if got := tab.Related(word); !reflect.DeepEqual(got, want) {
			t.Errorf("Related(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"科协\n", "科协\t\n", "a\tb\n\xff\tc\n"} {
		if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("Parse(%q) = %v, want an error with its line", bad, err)
		}
	}
}

// A corpus folder's synonyms.tsv replaces the embedded table; a folder without
// one keeps it; a malformed one is an error that names the file.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	emb, err := Load(dir)
	if err != nil || !reflect.DeepEqual(emb.Related("科普"), []string{"科学普及"}) {
		t.Fatalf("a folder without synonyms.tsv: %v, %v", emb, err)
	}
	name := filepath.Join(dir, FileName)
	if err := os.WriteFile(name, []byte("实验\t试验\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	own, err := Load(dir)
	if err != nil || own.Related("科普") != nil || !reflect.DeepEqual(own.Related("实验"), []string{"试验"}) {
		t.Fatalf("the folder's table: %v", err)
	}
	if err := os.WriteFile(name, []byte("实验\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("a malformed table: %v", err)
	}
}
