package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The compare command reports the hand-made pair of package compare: the
// summary, a diff, the new and dropped items, a renamed department kept.
func TestCompareCommand(t *testing.T) {
	corpus := t.TempDir()
	for _, name := range []string{"kepu-2021.txt", "kepu-2022.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "internal", "compare", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(corpus, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flags := corpusFlags{Corpus: corpus, Data: t.TempDir()}
	var out strings.Builder
	if err := (&compareCmd{corpusFlags: flags, From: "kepu-2021", To: "kepu-2022"}).Run(&globals{out: &out}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"5 items are the same task (5 with changed text, 1 moved to another section), 1 new, 1 dropped",
		"  3 → 5  1.00  实施农民科学素质提升行动，每年培训高素质农民5000人次以上  移至其他部分",
		"[-开展-]{+办好+}全国科普日",
		"新增（1）\n  kepu-2022:3  实施智慧助老行动",
		"删除（1）\n  kepu-2021:4  建设一批社区科普e站",
		"  市科技局  保留 3（原市科委）",
		"不再提及：科技活动周",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	err := (&compareCmd{corpusFlags: flags, From: "kepu-2021", To: "kepu-2021"}).Run(&globals{out: &out})
	if err == nil || !strings.Contains(err.Error(), "the same document") {
		t.Errorf("a document compared with itself: %v", err)
	}
	err = (&compareCmd{corpusFlags: flags, From: "kepu-2020", To: "kepu-2022"}).Run(&globals{out: &out})
	if err == nil || !strings.Contains(err.Error(), "unknown document \"kepu-2020\"") {
		t.Errorf("an unknown document: %v", err)
	}
}
