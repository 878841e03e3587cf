package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalDocsCommand(t *testing.T) {
	dir := t.TempDir()
	doc := "渝科协发〔2023〕7号\n重庆市科学技术协会\n关于开展“星火燎原”科普行动的通知\n各区县科协：\n现将有关事项通知如下。\n" +
		"重庆市科学技术协会\n2023年3月1日\n一、工作任务\n1.组织开展“星火燎原”科普行动。（市科协负责）\n2.推动社区科普大学建设。（市科协、市教委按职责分工负责）\n"
	os.WriteFile(filepath.Join(dir, "xinghuo.txt"), []byte(doc), 0o644)
	run := func(expected string) (string, error) {
		os.WriteFile(filepath.Join(dir, "expected.json"), []byte(expected), 0o644)
		var out strings.Builder
		err := (&evalDocsCmd{Dir: dir}).Run(&globals{out: &out})
		return out.String(), err
	}
	out, err := run(`{"xinghuo.txt": {"number": "渝科协发〔2023〕7号", "search_citation": [["社区科普大学", "第2项"]]}}`)
	if err != nil || !strings.Contains(out, "2 checks on 1 documents: 2 ok, 0 WRONG") {
		t.Fatalf("right expectations: %v\n%s", err, out)
	}
	out, err = run(`{"xinghuo.txt": {"number": "渝科协发〔2023〕8号"}}`)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 checks WRONG") || !strings.Contains(out, "WRONG") {
		t.Fatalf("a wrong expectation: %v\n%s", err, out)
	}
}

func TestParseCommandPrintsWarnings(t *testing.T) {
	var out strings.Builder
	err := (&parseCmd{File: filepath.Join("..", "..", "testdata", "docs", "no-numbering.txt")}).Run(&globals{out: &out})
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(out.String(), "\nwarnings:\n  line ")
	if i < 0 {
		t.Fatalf("no warnings section with line numbers:\n%s", out.String())
	}
}
