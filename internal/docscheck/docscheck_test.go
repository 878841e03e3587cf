package docscheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A notice written the way the built-in one is: every parser reads it.
const notice = `渝科协发〔2023〕7号
重庆市科学技术协会
关于开展“星火燎原”科普行动的通知
各区县科协，各有关单位：
现将有关事项通知如下。
重庆市科学技术协会
2023年3月1日
一、工作任务
1.组织开展“星火燎原”科普行动，举办青少年航天知识竞赛。（市科协按职责分工负责）
2.推动社区科普大学建设。（市科协、市教委按职责分工负责）
`

// Right and wrong expectations side by side: each wrong one must be reported
// WRONG, each right one ok.
const expected = `{
 "xinghuo 2023.txt": {
  "number": "渝科协发〔2023〕7号",
  "number_any": ["渝科协发〔2023〕8号", "渝科协发(2023)9号"],
  "date": "2023-03-01",
  "issuer": "重庆市科学技术协会（办公室）",
  "title_contains": "星火燎原",
  "title_not_contains": ["科普行动"],
  "recipients_first": "各区县科协",
  "not_in_metadata": ["渝科协发"],
  "clauses": [
   {"title": "推动社区科普大学建设", "departments": ["市科协", "市教委"]},
   {"title": "推动社区科普大学建设", "departments": ["市教委", "市科协"]},
   {"title_prefix": "组织开展", "departments": ["市科协"]},
   {"title": "不存在的条款"}
  ],
  "search_citation": [["社区 科普大学", "第2项"], ["航天知识竞赛", "第2项"]],
  "first_clause": {"phrase": "航天知识竞赛", "citation": "渝科协发〔2023〕7号 第1项"}
 },
 "missing.txt": {"number": ""}
}
`

func writeFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"xinghuo 2023.txt": notice,
		"no-entry.txt":     notice,
		"expected.json":    expected,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckReportsRightAndWrong(t *testing.T) {
	dir := writeFolder(t)
	rep, err := Check(dir, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ doc, check, expected string }
	got := map[key]Row{}
	for _, r := range rep.Rows {
		got[key{r.Doc, r.Check, r.Expected}] = r
	}
	want := []struct {
		doc, check, expected string
		ok                   bool
	}{
		{"xinghuo 2023.txt", "number", "渝科协发〔2023〕7号", true},
		{"xinghuo 2023.txt", "number_any", "one of 渝科协发〔2023〕8号 | 渝科协发(2023)9号", false},
		{"xinghuo 2023.txt", "date", "2023-03-01", true},
		{"xinghuo 2023.txt", "issuer", "重庆市科学技术协会（办公室）", false},
		{"xinghuo 2023.txt", "title_contains", "星火燎原", true},
		{"xinghuo 2023.txt", "title_not_contains", "none of 科普行动", false},
		{"xinghuo 2023.txt", "recipients_first", "各区县科协", true},
		{"xinghuo 2023.txt", "not_in_metadata", "none of 渝科协发", false},
		{"xinghuo 2023.txt", "clause", "推动社区科普大学建设 [市科协 | 市教委]", true},
		{"xinghuo 2023.txt", "clause", "推动社区科普大学建设 [市教委 | 市科协]", false},
		{"xinghuo 2023.txt", "clause", "组织开展… [市科协]", true},
		{"xinghuo 2023.txt", "clause", "不存在的条款", false},
		{"xinghuo 2023.txt", "search_citation", "社区 科普大学 → 第2项", true},
		{"xinghuo 2023.txt", "search_citation", "航天知识竞赛 → 第2项", false},
		{"xinghuo 2023.txt", "first_clause", "航天知识竞赛 → 渝科协发〔2023〕7号 第1项", true},
		{"no-entry.txt", "expectations", "an entry in expected.json", false},
		{"missing.txt", "file", "exists", false},
	}
	for _, w := range want {
		r, ok := got[key{w.doc, w.check, w.expected}]
		if !ok {
			t.Errorf("no row %s / %s / %s", w.doc, w.check, w.expected)
			continue
		}
		if r.OK != w.ok {
			t.Errorf("%s / %s / %s: got %s (%s), want ok=%v", w.doc, w.check, w.expected, r.Result(), r.Got, w.ok)
		}
	}
	if len(rep.Rows) != len(want) {
		t.Errorf("%d rows, want %d:\n%s", len(rep.Rows), len(want), rep)
	}
	wrong := 0
	for _, w := range want {
		if !w.ok {
			wrong++
		}
	}
	if rep.Failures() != wrong {
		t.Errorf("Failures() = %d, want %d", rep.Failures(), wrong)
	}
	// The WRONG row of a wrong citation says what came first instead.
	if r := got[key{"xinghuo 2023.txt", "search_citation", "航天知识竞赛 → 第2项"}]; !strings.Contains(r.Got, "第1项") {
		t.Errorf("wrong citation row: got %q", r.Got)
	}
	if t.Failed() {
		t.Log("\n" + rep.String())
	}
}

func TestReportText(t *testing.T) {
	rep := Report{Rows: []Row{
		{Doc: "a.txt", Check: "number", Expected: "渝科协发〔2023〕7号", Got: "渝科协发〔2023〕7号", OK: true},
		{Doc: "a.txt", Check: "title_contains", Expected: "x", Got: `""`, OK: false},
		{Doc: "b.txt", Check: "date", Expected: "2023-03-01", Got: "2023-03-01", OK: true},
	}}
	text := rep.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	// The result column starts at the same display column on every row.
	col := -1
	for _, l := range lines {
		if strings.Contains(l, "checks on") {
			continue // the summary
		}
		for _, res := range []string{"ok", "WRONG", "result"} {
			if !strings.HasSuffix(l, " "+res) {
				continue
			}
			c := displayWidth(strings.TrimSuffix(l, res))
			if col >= 0 && c != col {
				t.Errorf("misaligned row %q: result at column %d, not %d", l, c, col)
			}
			col = c
		}
	}
	if col < 0 {
		t.Fatalf("no result column in\n%s", text)
	}
	if !strings.Contains(text, "3 checks on 2 documents: 2 ok, 1 WRONG") {
		t.Errorf("no summary in\n%s", text)
	}
	var md strings.Builder
	rep.WriteMarkdown(&md, true)
	if strings.Contains(md.String(), "2023-03-01 |") || !strings.Contains(md.String(), "| a.txt | title_contains | x | \"\" | **WRONG** |") {
		t.Errorf("markdown of the WRONG rows:\n%s", md.String())
	}
}

func TestFoldAndIDs(t *testing.T) {
	for in, want := range map[string]string{
		"国发 〔 2021〕9 号": "国发〔2021〕9号",
		"各县（市、区）人民政府":   "各县(市、区)人民政府",
		"⼀ 、 总体要求":      "一、总体要求",
		"全　民　科　学":       "全民科学",
		"ＳＴＥＡＭ教育 ,(一)":  "STEAM教育,(一)",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"national-2018.txt": "national-2018",
		"xinghuo 2023.txt":  "xinghuo-2023",
		"重庆2022.txt":        "2022",
		"政策.txt":            "doc",
	} {
		if got := DocID(in); got != want {
			t.Errorf("DocID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnknownKeyIsAnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "expected.json")
	os.WriteFile(path, []byte(`{"a.txt": {"numbr": "x"}}`), 0o644)
	if _, err := LoadExpected(path); err == nil || !strings.Contains(err.Error(), "numbr") {
		t.Fatalf("a misspelt key: %v", err)
	}
	os.WriteFile(path, []byte(`{"a.txt": {"clauses": [{"departments": ["x"]}]}}`), 0o644)
	if _, err := LoadExpected(path); err == nil {
		t.Fatal("a clause without title or title_prefix was accepted")
	}
}
