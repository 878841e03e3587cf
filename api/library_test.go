package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/library"
)

// libraryCorpus holds documents of Chongqing (2023), Nanchang (2023 and 2024)
// and Guangling (2022, written in traditional characters), each listing its
// own 市科协.
var libraryCorpus = filepath.Join("..", "testdata", "library")

// startLibrary serves the library from a real server on loopback, with the
// admin endpoints open to token, and returns its base URL.
func startLibrary(t *testing.T, token string) string {
	t.Helper()
	dataDir := t.TempDir()
	ix, _, _, err := library.Open(libraryCorpus, dataDir, index.Options{SearchCacheBytes: index.DefaultSearchCacheBytes})
	if err != nil {
		t.Fatal(err)
	}
	var srv *api.Server
	opt := api.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), AdminToken: token}
	opt.Library = api.ManageForTest(t, libraryCorpus, dataDir, &srv)
	srv = api.New(opt)
	srv.SetIndex(ix)
	return api.ServeForTest(t, srv)
}

type facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type libraryResult struct {
	Total int `json:"total"`
	Hits  []struct {
		ID              string   `json:"id"`
		DocID           string   `json:"doc_id"`
		Departments     []string `json:"departments"`
		LeadDepartments []string `json:"lead_departments"`
		Highlights      []string `json:"highlights"`
	} `json:"hits"`
	Facets map[string][]facet `json:"facets"`
}

func getFrom(t *testing.T, u string) (int, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// params builds a query string from name=value pairs, repeating names as given.
func params(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v.Encode()
}

func facetString(fs []facet) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d", f.Value, f.Count))
	}
	return strings.Join(out, " ")
}

// Repeated doc, issuer and year values are alternatives; repeated dept and
// lead values must all hold; different parameters all apply. The department
// facet names a region only where two regions share a name.
func TestLibrarySearchHTTP(t *testing.T) {
	u := startLibrary(t, "")
	cases := []struct {
		query  string
		hits   string            // every hit, sorted, when given
		total  int               // -1: not checked
		facets map[string]string // facet → "value:count …"
	}{
		{params("doc", "nanchang-2023", "doc", "nanchang-2024"), "", 7,
			map[string]string{"documents": "nanchang-2023:4 nanchang-2024:3", "sections": ""}},
		{params("doc", "nanchang-2024"), "nanchang-2024:1 nanchang-2024:2 nanchang-2024:notice", 3,
			map[string]string{"sections": "一、加强科普阵地建设:2"}},
		{params("issuer", "廣陵市人民政府辦公室", "issuer", "南昌市人民政府办公厅"), "", 10,
			map[string]string{"issuers": "南昌市人民政府办公厅:7 廣陵市人民政府辦公室:3"}},
		{params("issuer", "广陵市人民政府办公室"), "guangling-2022:1 guangling-2022:2 guangling-2022:notice", 3, nil},
		{params("year", "2022", "year", "2024"), "", 6, map[string]string{"years": "2022:3 2024:3"}},
		{params("year", "2023", "issuer", "南昌市人民政府办公厅"), "nanchang-2023:1 nanchang-2023:2 nanchang-2023:3 nanchang-2023:notice", 4, nil},
		{params("q", "科技馆", "doc", "chongqing-2023", "doc", "nanchang-2024", "year", "2024"), "nanchang-2024:1", 1, nil},
		{params("dept", "市科协"), "", 11,
			map[string]string{"departments": "市科协（南昌）:5 市科协（重庆）:4 市教育局（南昌）:3 市教委:2 市教育局（广陵）:2 市科协（广陵）:2 市应急局:1 市民政局:1"}},
		{params("dept", "市科协（南昌）"), "nanchang-2023:1 nanchang-2023:2 nanchang-2023:3 nanchang-2024:1 nanchang-2024:2", 5,
			map[string]string{"departments": "市科协:5 市教育局:3 市民政局:1"}},
		{params("dept", "市科协(南昌)", "dept", "市民政局"), "nanchang-2023:3", 1, nil},
		{params("dept", "重庆市科学技术协会"), "chongqing-2023:1 chongqing-2023:2 chongqing-2023:3 chongqing-2023:4", 4, nil},
		{params("lead", "市科协"), "chongqing-2023:1 guangling-2022:1 nanchang-2023:1", 3,
			map[string]string{"lead_departments": "市科协（南昌）:1 市科协（广陵）:1 市科协（重庆）:1"}},
		{params("lead", "市科协", "lead", "市科协（广陵）"), "guangling-2022:1", 1, nil},
		{params("lead", "市教育局", "year", "2023", "year", "2024"), "nanchang-2024:2", 1, map[string]string{"lead_departments": "市教育局:1"}},
		{params("q", "审批", "issuer", "廣陵市人民政府辦公室"), "", 2, nil},
	}
	for _, tc := range cases {
		status, b := getFrom(t, u+"/api/v1/search?size=100&"+tc.query)
		if status != 200 {
			t.Errorf("%s: %d %s", tc.query, status, b)
			continue
		}
		var r libraryResult
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		sort.Strings(ids)
		if tc.hits != "" && strings.Join(ids, " ") != tc.hits {
			t.Errorf("%s: hits %v, want %s", tc.query, ids, tc.hits)
		}
		if tc.total >= 0 && r.Total != tc.total {
			t.Errorf("%s: total %d, want %d (%v)", tc.query, r.Total, tc.total, ids)
		}
		for name, want := range tc.facets {
			if got := facetString(r.Facets[name]); got != want {
				t.Errorf("%s: facet %s %q, want %q", tc.query, name, got, want)
			}
		}
	}
	// Traditional text is found by simplified queries and marked as written.
	_, b := getFrom(t, u+"/api/v1/search?"+params("q", "网上办"))
	var r libraryResult
	json.Unmarshal(b, &r)
	if r.Total != 1 || r.Hits[0].ID != "guangling-2022:1" || !strings.Contains(r.Hits[0].Highlights[0], "“<mark>網上辦</mark>”") {
		t.Errorf("网上办: %s", b)
	}
	// The departments of a traditional document are given in simplified form.
	if strings.Join(r.Hits[0].Departments, " ") != "市科协 市教育局" || strings.Join(r.Hits[0].LeadDepartments, " ") != "市科协" {
		t.Errorf("departments of guangling-2022:1: %v, leads %v", r.Hits[0].Departments, r.Hits[0].LeadDepartments)
	}
}

// A value the library does not hold is a 400 naming what it does hold.
func TestLibraryRefusals(t *testing.T) {
	u := startLibrary(t, "")
	cases := []struct{ query, says string }{
		{params("year", "abc"), `year must be a year such as 2022, not "abc"`},
		{params("year", "2023", "year", "二〇二三"), `year must be a year such as 2022, not "二〇二三"`},
		{params("year", "2019"), "no document of 2019; the documents are of 2022, 2023, 2024"},
		{params("doc", "nanchang-2023", "doc", "nanchang"), `unknown document "nanchang"; documents closest to it: nanchang-2023, nanchang-2024`},
		{params("issuer", "南昌市政府"), `unknown issuer "南昌市政府"; issuers closest to it: 南昌市人民政府办公厅`},
		{params("dept", "市科协（北京）"), "no document of 北京 lists 市科协; it is listed by documents of 重庆, 广陵, 南昌"},
		{params("dept", "市科协会"), `no department "市科协会" in the library; did you mean 市科协`},
		{params("dept", "市卫生健康委"), `no department "市卫生健康委" in the library`},
		{params("lead", "市应急局"), "no clause names 市应急局 as a lead unit (牵头); lead units closest to it: 市教育局, 市科协"},
		{params("lead", "市不存在局"), `no department "市不存在局" in the library`},
	}
	for _, tc := range cases {
		status, b := getFrom(t, u+"/api/v1/search?"+tc.query)
		var e errBody
		json.Unmarshal(b, &e)
		if status != 400 || e.Error.Code != "invalid_argument" || !strings.Contains(e.Error.Message, tc.says) {
			t.Errorf("%s: %d %s; want 400 saying %q", tc.query, status, b, tc.says)
		}
	}
	// Filters of every kind, valid or not, combined at random: never a 5xx.
	r := rand.New(rand.NewSource(10))
	values := map[string][]string{
		"doc":    {"nanchang-2023", "guangling-2022", "nope", ""},
		"issuer": {"重庆市人民政府办公厅", "广陵市人民政府办公室", "廣陵市人民政府辦公室", "x", " "},
		"year":   {"2022", "2023", "2024", "1999", "-1", "99999999999999999999", "2023.0"},
		"dept":   {"市科协", "市科协（南昌）", "市科协(", "（南昌）", "市科协（）", "市科协（南昌）（重庆）", "重庆市科学技术协会"},
		"lead":   {"市科协", "市教育局（南昌）", "市教委"},
		"q":      {"科普", "審批", "-科普", "\"网上办\"", ""},
	}
	names := []string{"doc", "issuer", "year", "dept", "lead", "q"}
	for n := 0; n < 300; n++ {
		var pairs []string
		for k := 1 + r.Intn(5); k > 0; k-- {
			name := names[r.Intn(len(names))]
			pairs = append(pairs, name, values[name][r.Intn(len(values[name]))])
		}
		status, b := getFrom(t, u+"/api/v1/search?"+params(pairs...))
		if status != 200 && status != 400 {
			t.Fatalf("%v: %d %s", pairs, status, b)
		}
	}
}

// The departments endpoints count clauses as responsible and as lead and give
// the regions; a name with a region is that region's department.
func TestLibraryDepartmentsHTTP(t *testing.T) {
	u := startLibrary(t, "")
	type entry struct {
		Name          string   `json:"name"`
		Official      string   `json:"official"`
		Region        string   `json:"region"`
		Regions       []string `json:"regions"`
		Clauses       int      `json:"clauses"`
		LeadClauses   int      `json:"lead_clauses"`
		ClauseIDs     []string `json:"clause_ids"`
		LeadClauseIDs []string `json:"lead_clause_ids"`
		Places        []struct {
			Region      string `json:"region"`
			Clauses     int    `json:"clauses"`
			LeadClauses int    `json:"lead_clauses"`
		} `json:"places"`
	}
	var list struct{ Departments []entry }
	_, b := getFrom(t, u+"/api/v1/departments")
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range list.Departments {
		got = append(got, fmt.Sprintf("%s %v %d/%d", d.Name, d.Regions, d.Clauses, d.LeadClauses))
	}
	want := "市科协 [重庆 广陵 南昌] 11/3|市教育局 [广陵 南昌] 5/1|市教委 [重庆] 2/0|市应急局 [重庆] 1/0|市民政局 [南昌] 1/0"
	if strings.Join(got, "|") != want {
		t.Errorf("departments:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	for name, want := range map[string]string{
		"市科协":       "市科协  [重庆 广陵 南昌] 11/3 places 重庆:4/1 广陵:2/1 南昌:5/1",
		"市科协（南昌）":   "市科协 南昌 [南昌] 5/1 places 南昌:5/1",
		"市科协(广陵)":   "市科协 广陵 [广陵] 2/1 places 广陵:2/1",
		"重庆市科学技术协会": "市科协 重庆 [重庆] 4/1 places 重庆:4/1",
		"市教育局":      "市教育局  [广陵 南昌] 5/1 places 广陵:2/0 南昌:3/1",
	} {
		var d entry
		status, b := getFrom(t, u+"/api/v1/departments/"+url.PathEscape(name))
		if status != 200 {
			t.Errorf("%s: %d %s", name, status, b)
			continue
		}
		json.Unmarshal(b, &d)
		s := fmt.Sprintf("%s %s %v %d/%d places", d.Name, d.Region, d.Regions, d.Clauses, d.LeadClauses)
		for _, p := range d.Places {
			s += fmt.Sprintf(" %s:%d/%d", p.Region, p.Clauses, p.LeadClauses)
		}
		if s != want {
			t.Errorf("%s:\n got %s\nwant %s", name, s, want)
		}
		if len(d.ClauseIDs) != d.Clauses || len(d.LeadClauseIDs) != d.LeadClauses {
			t.Errorf("%s: %d clause ids for %d clauses, %d lead ids for %d", name, len(d.ClauseIDs), d.Clauses, len(d.LeadClauseIDs), d.LeadClauses)
		}
	}
	for name, says := range map[string]string{
		"市科协（北京）": "no document of 北京 lists 市科协",
		"市科协会":    `no department "市科协会" in the library; did you mean 市科协`,
	} {
		status, b := getFrom(t, u+"/api/v1/departments/"+url.PathEscape(name))
		var e errBody
		json.Unmarshal(b, &e)
		if status != 404 || e.Error.Code != "not_found" || !strings.Contains(e.Error.Message, says) {
			t.Errorf("%s: %d %s, want 404 saying %q", name, status, b, says)
		}
	}
}

// The library's answers, the admin endpoints' included, fit api/openapi.yaml;
// a text the parser cannot place is added with warnings, shown on the document.
func TestLibraryOpenAPI(t *testing.T) {
	u := startLibrary(t, "t0ken")
	esc := url.QueryEscape
	for _, p := range []string{
		"/api/v1/search?q=" + esc("科普") + "&size=100",
		"/api/v1/search?" + params("doc", "nanchang-2023", "doc", "guangling-2022", "year", "2022", "lead", "市科协"),
		"/api/v1/search?" + params("dept", "市科协（南昌）", "issuer", "南昌市人民政府办公厅"),
		"/api/v1/search?" + params("year", "x"),
		"/api/v1/documents",
		"/api/v1/documents/guangling-2022",
		"/api/v1/departments",
		"/api/v1/departments/" + url.PathEscape("市科协（南昌）"),
		"/api/v1/departments/" + url.PathEscape("市科协"),
		"/api/v1/clauses/guangling-2022:1",
	} {
		checkOpenAPI(t, http.MethodGet, u+p, nil, nil)
	}
	auth := map[string]string{"Authorization": "Bearer t0ken", "Content-Type": "text/plain; charset=utf-8"}
	status, b := checkOpenAPI(t, http.MethodPost, u+"/api/v1/documents?id=notes", []byte("会议记录\n\n只有几行没有编号的文字。\n"), auth)
	var added struct {
		ID       string
		Warnings []struct {
			Line    int
			Message string
		}
	}
	json.Unmarshal(b, &added)
	if status != 201 || added.ID != "notes" || len(added.Warnings) == 0 || added.Warnings[0].Line < 1 {
		t.Fatalf("ingest: %d %s", status, b)
	}
	_, b = checkOpenAPI(t, http.MethodGet, u+"/api/v1/documents/notes", nil, nil)
	if !strings.Contains(string(b), `"warnings":[{"line":`) {
		t.Errorf("the document does not show its warnings: %s", b)
	}
	checkOpenAPI(t, http.MethodPost, u+"/api/v1/documents?id=notes", []byte("再来一次"), auth) // 409
	// A replacement is a 200; a built-in document again is a 409 naming it.
	if status, b := checkOpenAPI(t, http.MethodPost, u+"/api/v1/documents?id=notes&replace=true", []byte("会议记录\n\n改过的几行文字。\n"), auth); status != 200 || !strings.Contains(string(b), `"replaced":true`) {
		t.Errorf("replace: %d %s", status, b)
	}
	nanchang, err := os.ReadFile(filepath.Join(libraryCorpus, "nanchang-2023.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if status, b := checkOpenAPI(t, http.MethodPost, u+"/api/v1/documents", nanchang, auth); status != 409 || !strings.Contains(string(b), `\"nanchang-2023\"`) {
		t.Errorf("a built-in document again: %d %s", status, b)
	}
	if _, b := checkOpenAPI(t, http.MethodGet, u+"/api/v1/documents?"+params("id", "nanchang-2024", "id", "gone", "outline", "false"), nil, nil); !strings.Contains(string(b), `"plan":"2024年南昌市科普工作要点"`) || strings.Contains(string(b), "outline") || strings.Count(string(b), `"plan":`) != 1 {
		t.Errorf("documents by id without outlines: %s", b)
	}
	checkOpenAPI(t, http.MethodPost, u+"/api/v1/documents", []byte("x"), nil) // 401
	checkOpenAPI(t, http.MethodPost, u+"/api/v1/reindex", nil, auth)
	if status, b := checkOpenAPI(t, http.MethodDelete, u+"/api/v1/documents/notes", nil, auth); status != 204 {
		t.Errorf("delete: %d %s", status, b)
	}
	checkOpenAPI(t, http.MethodDelete, u+"/api/v1/documents/guangling-2022", nil, auth) // built in: 409
}
