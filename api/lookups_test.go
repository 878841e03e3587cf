package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/internal/gongwen"
)

func getJSON(t *testing.T, path string, status int, v interface{}) {
	t.Helper()
	res, b := get(t, path)
	if res.StatusCode != status {
		t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type department struct {
	Name      string   `json:"name"`
	Official  string   `json:"official"`
	Items     []int    `json:"items"`
	ClauseIDs []string `json:"clause_ids"`
	AllUnits  *struct {
		Name  string `json:"name"`
		Items []int  `json:"items"`
	} `json:"all_units"`
}

// The departments endpoint lists exactly what the parser reads from every item.
func TestDepartments(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gongwen.Parse("yugangyaobanfa-2022-2", src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{}
	for _, c := range doc.Clauses {
		for _, d := range c.Departments {
			want[d] = append(want[d], c.Number)
		}
	}
	var body struct{ Departments []department }
	getJSON(t, "/api/v1/departments", 200, &body)
	if len(body.Departments) != 32 || len(want) != 32 {
		t.Fatalf("%d departments listed, %d parsed; want 32", len(body.Departments), len(want))
	}
	for i, d := range body.Departments {
		if fmt.Sprint(d.Items) != fmt.Sprint(want[d.Name]) || len(d.ClauseIDs) != len(d.Items) {
			t.Errorf("%s: items %v, parsed %v", d.Name, d.Items, want[d.Name])
		}
		if i > 0 && len(d.Items) > len(body.Departments[i-1].Items) {
			t.Errorf("not sorted by count at %s", d.Name)
		}
		if d.Name != gongwen.AllUnits && d.Official == "" {
			t.Errorf("%s has no official name", d.Name)
		}
	}
	var kx department
	getJSON(t, "/api/v1/departments/"+url.PathEscape("重庆市科学技术协会"), 200, &kx)
	if kx.Name != "市科协" || len(kx.Items) != 34 || kx.AllUnits == nil || fmt.Sprint(kx.AllUnits.Items) != "[1 2 3 5 43 44 45]" {
		t.Fatalf("市科协 by its official name: %+v", kx)
	}
	var e errBody
	getJSON(t, "/api/v1/departments/"+url.PathEscape("市科协会"), 404, &e)
	if !strings.Contains(e.Error.Message, "市科协") {
		t.Fatalf("unknown department: %s", e.Error.Message)
	}
}

func TestCampaigns(t *testing.T) {
	var body struct {
		Campaigns []struct {
			Name      string   `json:"name"`
			Items     []int    `json:"items"`
			ClauseIDs []string `json:"clause_ids"`
		}
	}
	getJSON(t, "/api/v1/campaigns", 200, &body)
	found := map[string]string{}
	for _, c := range body.Campaigns {
		found[c.Name] = fmt.Sprint(c.Items)
	}
	for name, items := range map[string]string{
		"全国科普日": "[5]", "科技活动周": "[5]", "世界地球日": "[5]", "科普大篷车渝州行": "[15]",
		"公民科学素质大赛": "[5]", "“巴渝工匠”杯职业技能大赛": "[17]", "英才计划": "[9]", "挑战杯": "[8]",
	} {
		if found[name] != items {
			t.Errorf("campaign %s: items %s, want %s", name, found[name], items)
		}
	}
	var one struct {
		Name      string   `json:"name"`
		ClauseIDs []string `json:"clause_ids"`
	}
	getJSON(t, "/api/v1/campaigns/"+url.PathEscape("巴渝工匠杯职业技能大赛"), 200, &one)
	if one.Name != "“巴渝工匠”杯职业技能大赛" || len(one.ClauseIDs) != 1 {
		t.Fatalf("campaign without its quotes: %+v", one)
	}
}

func TestDocument(t *testing.T) {
	var d gongwen.Document
	getJSON(t, "/api/v1/documents/yugangyaobanfa-2022-2", 200, &d)
	if d.Number != "渝纲要办发〔2022〕2号" || d.Date != "2022-04-19" || len(d.Recipients) != 4 || len(d.Outline) != 4 {
		t.Fatalf("document: %+v", d)
	}
	n := 0
	for _, s := range d.Outline {
		n += len(s.Items)
		for _, sub := range s.Subsections {
			n += len(sub.Items)
		}
	}
	if n != 45 {
		t.Fatalf("outline holds %d items", n)
	}
}

func TestSuggest(t *testing.T) {
	var body struct {
		Suggestions []struct{ Text, Kind string }
	}
	getJSON(t, "/api/v1/suggest?q="+url.QueryEscape("科普"), 200, &body)
	if len(body.Suggestions) != 10 {
		t.Fatalf("%d suggestions", len(body.Suggestions))
	}
	prefix := true
	for _, s := range body.Suggestions {
		has := strings.HasPrefix(s.Text, "科普")
		if has && !prefix {
			t.Fatalf("a prefix match after an infix match: %+v", body.Suggestions)
		}
		if !has {
			prefix = false
			if !strings.Contains(s.Text, "科普") {
				t.Fatalf("%q does not contain 科普", s.Text)
			}
		}
	}
	getJSON(t, "/api/v1/suggest?q="+url.QueryEscape("全国科"), 200, &body)
	var texts []string
	for _, s := range body.Suggestions {
		texts = append(texts, s.Text)
	}
	sort.Strings(texts)
	if !strings.Contains(strings.Join(texts, ","), "全国科普日") {
		t.Fatalf("全国科 does not suggest 全国科普日: %v", texts)
	}
}

func TestAnalyze(t *testing.T) {
	var body struct {
		Analyzers map[string][]struct {
			Term       string
			Start, End int
			CharStart  int `json:"char_start"`
		}
	}
	getJSON(t, "/api/v1/analyze?text="+url.QueryEscape("开展全国科普日"), 200, &body)
	if len(body.Analyzers["jieba"]) == 0 || len(body.Analyzers["gram"]) != 6 || len(body.Analyzers["char"]) != 7 {
		t.Fatalf("analyzers: %+v", body.Analyzers)
	}
}
