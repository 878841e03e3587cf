package gongwen

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output")

const noticeID = "yugangyaobanfa-2022-2"

func readNotice(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "corpus", noticeID+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenNotice(t *testing.T) {
	doc, err := Parse(noticeID, readNotice(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", noticeID+".golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Fatalf("parsed notice differs from %s; run go test ./internal/gongwen -update and review the diff", golden)
	}
}

func TestNoticeFacts(t *testing.T) {
	doc, err := Parse(noticeID, readNotice(t))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Number != "渝纲要办发〔2022〕2号" || doc.Date != "2022-04-19" ||
		doc.Title != "关于印发《2022年重庆市全民科学素质行动工作要点》的通知" ||
		doc.Issuer != "重庆市全民科学素质纲要实施工作办公室" {
		t.Fatalf("metadata: %+v", doc)
	}
	if len(doc.Recipients) != 4 || doc.Recipients[3] != "各有关单位" {
		t.Fatalf("recipients: %q", doc.Recipients)
	}
	items := map[int]Clause{}
	for _, c := range doc.Clauses {
		if c.Kind == KindItem {
			items[c.Number] = c
		}
	}
	if len(items) != 45 || doc.Clauses[0].Kind != KindNotice || doc.Clauses[1].Kind != KindPreamble || len(doc.Clauses) != 47 {
		t.Fatalf("want notice, preamble and 45 items, got %d clauses, %d items", len(doc.Clauses), len(items))
	}
	for n := 1; n <= 45; n++ {
		c := items[n]
		if len(c.Departments) == 0 || len(c.Path) == 0 || c.Title == "" || !strings.HasSuffix(c.Text, "）") {
			t.Errorf("item %d incomplete: %+v", n, c)
		}
	}
	cases := []struct {
		n     int
		title string
		depts []string
		holds []string
	}{
		{5, "深入实施基层科普行动计划", []string{AllUnits}, []string{"全国科普日、科技活动周", "中国航天日"}},
		{20, "实施智慧助老行动", nil, []string{"老年人智能设备"}},
		{23, "深入贯彻落实新发展理念", []string{"市委组织部", "市委宣传部", "市委党校（重庆行政学院）", "重庆社科院"}, nil},
		{17, "实施技能中国创新行动", []string{"市人力社保局", "市总工会"}, []string{"《劳动和技能竞赛规划（2021—2025年)》"}},
		{38, "健全基层科普服务体系", []string{"市委宣传部", "市科协"}, []string{"“智惠行动”"}},
		{9, "实施科技创新后备人才培育计划", nil, []string{"STEAM 科创大赛", "计划2.0"}},
		{22, "实施银龄科普行动", nil, []string{"高教老协等组织。创建"}},
		{45, "加强条件保障", []string{AllUnits}, nil},
	}
	for _, tc := range cases {
		c := items[tc.n]
		if c.Title != tc.title {
			t.Errorf("item %d title %q, want %q", tc.n, c.Title, tc.title)
		}
		if tc.depts != nil && !reflect.DeepEqual(c.Departments, tc.depts) {
			t.Errorf("item %d departments %q, want %q", tc.n, c.Departments, tc.depts)
		}
		for _, s := range tc.holds {
			if !strings.Contains(c.Text, s) {
				t.Errorf("item %d text lacks %q", tc.n, s)
			}
		}
	}
	if got := len(items[24].Departments); got != 10 {
		t.Errorf("item 24 lists %d departments, want 10: %q", got, items[24].Departments)
	}
	if items[5].Citation != "渝纲要办发〔2022〕2号 第5项" || items[5].ID != noticeID+":5" {
		t.Errorf("item 5 id %q citation %q", items[5].ID, items[5].Citation)
	}
	if got := items[25].Path; len(got) != 2 || got[1] != "（五）实施领导干部和公务员科学素质提升行动" {
		t.Errorf("item 25 path %q", got)
	}
	if got := items[43].Path; len(got) != 1 || got[0] != "四、强化组织实施保障，完善长效工作机制" {
		t.Errorf("item 43 path %q", got)
	}
}

func TestTidySpaces(t *testing.T) {
	for in, want := range map[string]string{
		"2022 年 4 月 19 日": "2022年4月19日",
		"〔2022〕2 号":       "〔2022〕2号",
		"STEAM 科创大赛":      "STEAM 科创大赛",
		"计划 2.0":          "计划2.0",
		"a  b":            "a  b",
		"第 3 项":           "第3项",
	} {
		if got := tidySpaces(in); got != want {
			t.Errorf("tidySpaces(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinAndFooters(t *testing.T) {
	src := "1.开展科技\n\n— 9—\n活动周。\n 2.中国航\n天日。\n"
	ls := splitLines(src)
	if len(ls) != 4 {
		t.Fatalf("footer or blank kept: %+v", ls)
	}
	if got := join(texts(ls)); got != "1.开展科技活动周。2.中国航天日。" {
		t.Fatalf("join = %q", got)
	}
	if got := join([]string{"the STE", "AM"}); got != "the STE AM" {
		t.Fatalf("English words keep a space: %q", got)
	}
}

func TestDepartments(t *testing.T) {
	for in, want := range map[string][]string{
		"做好工作。（市委宣传部、市科技局、市科协按职责分工负责）":     {"市委宣传部", "市科技局", "市科协"},
		"做好工作。（市委党校（重庆行政学院）、重庆社科院按职责分工负责）": {"市委党校（重庆行政学院）", "重庆社科院"},
		"做好工作。（各责任单位）":                     {AllUnits},
		"开展全国科普示范区（县）":                     nil,
		"贯彻《规划（2021—2025年)》":               nil,
		"做好工作。（市科协牵头，市教委配合）":               {"市科协", "市教委"},
		"": nil,
	} {
		if got := departments(in); !reflect.DeepEqual(got, want) {
			t.Errorf("departments(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestItemTitle(t *testing.T) {
	for in, want := range map[string]string{
		"实施智慧助老行动。开展老年人智能设备应用培训。": "实施智慧助老行动",
		"深入实施基层科普行动计划，开展全国科普示范区（县）、安全发展示范城市、科普示范街镇（社区）、农村科普示范基地等创建活动。": "深入实施基层科普行动计划",
		"没有句号的标题": "没有句号的标题",
	} {
		if got := itemTitle(in); got != want {
			t.Errorf("itemTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for in, want := range map[string]int{"一": 1, "十": 10, "十二": 12, "二十": 20, "二十三": 23, "九十九": 99, "二〇二二": 2022,
		"一百": 100, "一百零五": 105, "一百一十": 110, "三百二十一": 321, "九百九十九": 999} {
		if got, ok := chineseNumber(in); !ok || got != want {
			t.Errorf("chineseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "甲", "十十", "十百", "百百", "零百", "一百五六"} {
		if _, ok := chineseNumber(in); ok {
			t.Errorf("chineseNumber(%q) accepted", in)
		}
	}
}

// Numbering follows the general scheme, not this file's positions: a marker that
// does not continue its sequence is text, items may restart in each section, and
// unnumbered text under a heading is kept as a paragraph.
func TestNumbering(t *testing.T) {
	src := strings.Join([]string{
		"某某办公室关于印发某某方案的通知",
		"各单位：",
		"现将方案印发你们。",
		"某某办公室",
		"二〇二三年五月六日",
		"一、总体要求",
		"坚持问题导向。",
		"1.第一项工作。（市教委负责）",
		"2.第二项工作，升级到",
		"3.0 版本。（各责任单位）",
		"二、重点任务",
		"（一）专项行动。",
		"1.第三项工作。（市科协按职责分工负责）",
	}, "\n")
	doc, err := Parse("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Date != "2023-05-06" || doc.Issuer != "某某办公室" || doc.Title != "某某办公室关于印发某某方案的通知" {
		t.Fatalf("metadata %+v", doc)
	}
	var got []string
	for _, c := range doc.Clauses {
		got = append(got, c.ID+"|"+string(c.Kind)+"|"+c.Text)
	}
	want := []string{
		"t:notice|notice|各单位：\n现将方案印发你们。\n某某办公室\n二〇二三年五月六日",
		"t:p1|paragraph|坚持问题导向。",
		"t:1-1|item|第一项工作。（市教委负责）",
		"t:1-2|item|第二项工作，升级到3.0版本。（各责任单位）",
		"t:2-1-1|item|第三项工作。（市科协按职责分工负责）",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("clauses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		line int
		why  string
	}{
		"empty":       {"\n \n", 0, "empty"},
		"invalid":     {"标题\n1.正文\xff。\n", 2, "UTF-8"},
		"nul":         {"标题\n\n1.正\x00文。\n", 3, "NUL"},
		"only footer": {"— 9—\n", 0, "empty"},
	} {
		_, err := Parse("t", []byte(tc.src))
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: want *Error, got %v", name, err)
			continue
		}
		if pe.Line != tc.line || !strings.Contains(pe.Error(), tc.why) {
			t.Errorf("%s: got %q (line %d), want line %d and %q", name, pe.Error(), pe.Line, tc.line, tc.why)
		}
	}
	// A text without numbering is read, not refused: its paragraphs are
	// clauses and a warning says what was missing.
	doc, err := Parse("t", []byte("某某工作说明\n正文没有编号。\n第二段也没有。\n"))
	if err != nil || len(doc.Warnings) == 0 || len(doc.Clauses) != 2 || doc.Title != "某某工作说明" {
		t.Errorf("unnumbered text: %v %+v", err, doc)
	}
	if _, err := Parse("bad id/", []byte("1.x")); err == nil {
		t.Error("an id with a slash was accepted")
	}
}
