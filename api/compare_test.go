package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The hand-made pair of package compare, ingested through the admin API.
var comparePair = filepath.Join("..", "internal", "compare", "testdata")

type comparison struct {
	From struct {
		ID string `json:"id"`
	} `json:"from"`
	To struct {
		ID      string `json:"id"`
		Outline []struct {
			Items []struct{ ID string } `json:"items"`
		} `json:"outline"`
	} `json:"to"`
	Pairs []struct {
		From, To       string
		Similarity     float64
		Changed, Moved bool
		Diff           []struct{ Op, Text string }
	} `json:"pairs"`
	New         []string `json:"new"`
	Dropped     []string `json:"dropped"`
	Departments []struct {
		Name               string
		Gained, Lost, Kept []string
	} `json:"departments"`
	Campaigns struct{ New, Dropped []string } `json:"campaigns"`
}

func ingestPair(t *testing.T, base, token string) {
	t.Helper()
	auth := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "text/plain; charset=utf-8"}
	for _, id := range []string{"kepu-2022", "kepu-2021"} {
		text, err := os.ReadFile(filepath.Join(comparePair, id+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id="+id, text, auth); status != 201 {
			t.Fatalf("ingest %s: %d %s", id, status, b)
		}
	}
}

// A pair ingested over HTTP compares over HTTP: the answer fits the OpenAPI
// document, pairs the items, marks the new and dropped ones, keeps a renamed
// department one unit, and gives diffs that rebuild both texts.
func TestCompareHTTP(t *testing.T) {
	base := startLibrary(t, "t0ken")
	ingestPair(t, base, "t0ken")
	status, b := checkOpenAPI(t, http.MethodGet, base+"/api/v1/compare?from=kepu-2021&to=kepu-2022", nil, nil)
	if status != 200 {
		t.Fatalf("compare: %d %s", status, b)
	}
	var res comparison
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.From.ID != "kepu-2021" || res.To.ID != "kepu-2022" || len(res.To.Outline) != 2 {
		t.Errorf("documents: from %q to %q with %d sections", res.From.ID, res.To.ID, len(res.To.Outline))
	}
	pairs := map[string]string{}
	for _, p := range res.Pairs {
		pairs[p.From] = p.To
		if p.From == "kepu-2021:3" && !p.Moved {
			t.Errorf("item 3, moved to section 二, is not marked moved")
		}
	}
	if pairs["kepu-2021:3"] != "kepu-2022:5" || pairs["kepu-2021:5"] != "kepu-2022:4" || pairs["kepu-2021:2"] != "kepu-2022:2" || len(pairs) != 5 {
		t.Errorf("pairs %v", pairs)
	}
	if strings.Join(res.New, ",") != "kepu-2022:3" || strings.Join(res.Dropped, ",") != "kepu-2021:4" {
		t.Errorf("new %v dropped %v", res.New, res.Dropped)
	}
	for _, d := range res.Departments {
		if d.Name == "市科委" {
			t.Errorf("the former name 市科委 is a department of its own")
		}
		if d.Name == "市科技局" && (len(d.Gained) != 0 || len(d.Lost) != 0) {
			t.Errorf("市科技局 gained %v lost %v: a rename read as a change", d.Gained, d.Lost)
		}
	}
	if strings.Join(res.Campaigns.Dropped, ",") != "科技活动周" {
		t.Errorf("campaigns dropped %v, want 科技活动周", res.Campaigns.Dropped)
	}
	// Each diff's runs give back the texts the clause endpoint serves.
	text := func(id string) string {
		var c struct{ Text string }
		_, b := checkOpenAPI(t, http.MethodGet, base+"/api/v1/clauses/"+id, nil, nil)
		json.Unmarshal(b, &c)
		return c.Text
	}
	for _, p := range res.Pairs {
		var before, after strings.Builder
		for _, r := range p.Diff {
			if r.Op != "insert" {
				before.WriteString(r.Text)
			}
			if r.Op != "delete" {
				after.WriteString(r.Text)
			}
		}
		if before.String() != text(p.From) || after.String() != text(p.To) {
			t.Errorf("%s → %s: the diff does not rebuild the texts", p.From, p.To)
		}
	}
}

// Bad requests are 4xx in the contract's shape, saying what is wrong.
func TestCompareHTTPRefusals(t *testing.T) {
	base := startLibrary(t, "t0ken")
	ingestPair(t, base, "t0ken")
	for _, c := range []struct {
		query  string
		status int
		says   string
	}{
		{"", 400, "from and to are both needed"},
		{"from=kepu-2021", 400, "from and to are both needed"},
		{"to=kepu-2022", 400, "from and to are both needed"},
		{"from=kepu-2021&to=kepu-2021", 400, "the same document"},
		{"from=kepu-2021&to=kepu-2023", 404, "kepu-2022"}, // the closest id
		{"from=nope&to=kepu-2022", 404, "unknown document"},
		{"from=kepu-2021&from=nanchang-2023&to=kepu-2022", 400, "given 2 times"},
		{"from=" + url.QueryEscape("科普\x01") + "&to=kepu-2022", 404, "unknown document"},
	} {
		status, b := checkOpenAPI(t, http.MethodGet, base+"/api/v1/compare?"+c.query, nil, nil)
		if status != c.status || !strings.Contains(string(b), c.says) {
			t.Errorf("compare?%s: %d %s, want %d saying %q", c.query, status, b, c.status, c.says)
		}
	}
}

// The document list shows each document's series with the previous and next
// years: the built-in 南昌 pair, and the ingested pair, which the built-in
// 2023年重庆市科普工作要点 continues.
func TestDocumentsShowSeries(t *testing.T) {
	base := startLibrary(t, "t0ken")
	ingestPair(t, base, "t0ken")
	_, b := checkOpenAPI(t, http.MethodGet, base+"/api/v1/documents?outline=false", nil, nil)
	var list struct {
		Documents []struct {
			ID     string
			Series *struct {
				Name           string
				Previous, Next string
				Members        []struct {
					ID   string
					Year int
				}
			}
		}
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range list.Documents {
		if d.Series != nil {
			got[d.ID] = d.Series.Name + "|" + d.Series.Previous + "|" + d.Series.Next
		}
	}
	for id, want := range map[string]string{
		"kepu-2021":      "重庆市科普工作要点||kepu-2022",
		"kepu-2022":      "重庆市科普工作要点|kepu-2021|chongqing-2023",
		"chongqing-2023": "重庆市科普工作要点|kepu-2022|",
		"nanchang-2024":  "南昌市科普工作要点|nanchang-2023|",
	} {
		if got[id] != want {
			t.Errorf("%s: series %q, want %q", id, got[id], want)
		}
	}
}

// A plan renamed without its year is put in its series by the admin
// (series=): the list shows it after the earlier year, the form field does the
// same as the parameter, and the series is kept with the document's file, so a
// rebuild (reindex) still knows it. A series name with a line break is refused.
func TestIngestNamedSeries(t *testing.T) {
	base := startLibrary(t, "t0ken")
	auth := map[string]string{"Authorization": "Bearer t0ken", "Content-Type": "text/plain; charset=utf-8"}
	text, err := os.ReadFile(filepath.Join(comparePair, "kepu-2021.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id=kepu-2021", text, auth); status != 201 {
		t.Fatalf("ingest kepu-2021: %d %s", status, b)
	}
	renamed, err := os.ReadFile(filepath.Join(comparePair, "kepu-2022.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// The 2022 plan, renamed and with no year in its titles.
	r := strings.NewReplacer("2022年重庆市科普工作要点", "重庆市科学素质提升工作安排")
	renamed = []byte(r.Replace(string(renamed)))
	series := url.QueryEscape("重庆市科普工作要点")
	if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id=renamed-2022&series="+series, renamed, auth); status != 201 {
		t.Fatalf("ingest renamed-2022: %d %s", status, b)
	}
	if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id=bad&series="+url.QueryEscape("科普\n要点"), renamed, auth); status != 400 {
		t.Errorf("a series with a line break: %d %s, want 400", status, b)
	}
	place := func() map[string]string {
		_, b := checkOpenAPI(t, http.MethodGet, base+"/api/v1/documents?outline=false", nil, nil)
		var list struct {
			Documents []struct {
				ID         string
				SeriesName string `json:"series_name"`
				Series     *struct{ Name, Previous, Next string }
			}
		}
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, d := range list.Documents {
			if d.Series != nil {
				got[d.ID] = d.SeriesName + "|" + d.Series.Name + "|" + d.Series.Previous + "|" + d.Series.Next
			}
		}
		return got
	}
	want := map[string]string{
		"kepu-2021":    "|重庆市科普工作要点||renamed-2022",
		"renamed-2022": "重庆市科普工作要点|重庆市科普工作要点|kepu-2021|chongqing-2023", // the library's 2023
	}
	check := func(when string) {
		got := place()
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: %s: %q, want %q", when, id, got[id], w)
			}
		}
	}
	check("after ingesting")
	if status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/reindex", nil, map[string]string{"Authorization": "Bearer t0ken"}); status != 200 {
		t.Fatalf("reindex: %d %s", status, b)
	}
	check("after a rebuild from the files")
}
