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
	"strings"
	"testing"
	"time"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/synonym"
)

var base string // http://127.0.0.1:port of the server under test

// TestMain serves the real index of the embedded notice, built on disk, from a
// real HTTP server on loopback.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "policysearch-api-test-")
	if err != nil {
		panic(err)
	}
	syn, err := synonym.Load("")
	if err != nil {
		panic(err)
	}
	ix, _, _, err := library.Open("", dir, index.Options{Synonyms: syn})
	if err != nil {
		panic(err)
	}
	srv := api.New(api.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	srv.SetIndex(ix)
	var stop func()
	base, stop = api.ServeLoopback(srv)
	code := m.Run()
	stop()
	ix.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

type hit struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Number     int      `json:"number"`
	Citation   string   `json:"citation"`
	Match      string   `json:"match"`
	Highlights []string `json:"highlights"`
}

type searchBody struct {
	Query  string `json:"query"`
	Total  int    `json:"total"`
	Hits   []hit  `json:"hits"`
	Facets map[string][]struct {
		Value string
		Count int
	} `json:"facets"`
}

type errBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

func get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	return do(t, http.MethodGet, path, nil)
}

func do(t *testing.T, method, path string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func search(t *testing.T, params string) searchBody {
	t.Helper()
	res, b := get(t, "/api/v1/search?"+params)
	if res.StatusCode != 200 {
		t.Fatalf("search %s: %d %s", params, res.StatusCode, b)
	}
	var s searchBody
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func items(s searchBody) []int {
	var out []int
	for _, h := range s.Hits {
		if h.Kind == "item" {
			out = append(out, h.Number)
		}
	}
	return out
}

func TestHealthz(t *testing.T) {
	res, b := get(t, "/healthz")
	if res.StatusCode != 200 || !strings.Contains(string(b), "ok") {
		t.Fatalf("healthz: %d %s", res.StatusCode, b)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id")
	}
	res, _ = get(t, "/readyz")
	if res.StatusCode != 200 {
		t.Fatalf("readyz: %d", res.StatusCode)
	}
}

func TestSearchContract(t *testing.T) {
	s := search(t, "q="+url.QueryEscape("全国科普日"))
	if len(s.Hits) == 0 || s.Hits[0].Number != 5 || s.Hits[0].Match != "exact" {
		t.Fatalf("全国科普日: %+v", s.Hits)
	}
	if !strings.Contains(strings.Join(s.Hits[0].Highlights, ""), "<mark>全国科普日</mark>") {
		t.Fatalf("highlights: %q", s.Hits[0].Highlights)
	}
	if s.Hits[0].Citation != "渝纲要办发〔2022〕2号 第5项" || s.Total != 3 || s.Query != "全国科普日" {
		t.Fatalf("citation %q total %d", s.Hits[0].Citation, s.Total)
	}
	for _, h := range s.Hits[1:] {
		if h.Match != "words" {
			t.Errorf("hit %s match %q, want words", h.ID, h.Match)
		}
	}
	if len(s.Facets["departments"]) == 0 || len(s.Facets["sections"]) == 0 {
		t.Errorf("facets: %+v", s.Facets)
	}
	got := items(search(t, "q="+url.QueryEscape("科普大篷车")))
	if len(got) < 2 || !(got[0] == 15 && got[1] == 34 || got[0] == 34 && got[1] == 15) {
		t.Fatalf("科普大篷车: items %v", got)
	}
	// Aliases filter alike.
	a := items(search(t, "size=100&dept="+url.QueryEscape("市科协")))
	b := items(search(t, "size=100&dept="+url.QueryEscape("重庆市科学技术协会")))
	if len(a) != 34 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("dept 市科协 %v vs official name %v", a, b)
	}
}

func TestClauseEndpoint(t *testing.T) {
	res, b := get(t, "/api/v1/clauses/yugangyaobanfa-2022-2:24")
	if res.StatusCode != 200 || !strings.Contains(string(b), "市委党校（重庆行政学院）") {
		t.Fatalf("clause 24: %d %s", res.StatusCode, b)
	}
}

// Every refusal has the contract's JSON error with the right status and code.
func TestErrors(t *testing.T) {
	long := strings.Repeat("科", 257)
	cases := []struct {
		method, path string
		status       int
		code, says   string
	}{
		{"GET", "/api/v1/search?q=" + url.QueryEscape(long), 400, "invalid_argument", "limit is 256"},
		{"GET", "/api/v1/search?q=", 400, "invalid_argument", "q is empty"},
		{"GET", "/api/v1/search", 400, "invalid_argument", "q is empty"},
		{"GET", "/api/v1/search?q=" + url.QueryEscape("，。！"), 400, "invalid_argument", "no letter"},
		{"GET", "/api/v1/search?q=" + url.QueryEscape("-科普"), 400, "invalid_argument", "only excludes"},
		{"GET", "/api/v1/search?q=a&size=0", 400, "invalid_argument", "size must be between 1 and 100"},
		{"GET", "/api/v1/search?q=a&size=101", 400, "invalid_argument", "size must be between 1 and 100"},
		{"GET", "/api/v1/search?q=a&size=ten", 400, "invalid_argument", "whole number"},
		{"GET", "/api/v1/search?q=a&from=-1", 400, "invalid_argument", "from must be 0 or more"},
		{"GET", "/api/v1/search?q=a&from=9950&size=100", 400, "invalid_argument", "10000"},
		{"GET", "/api/v1/search?q=a&from=x", 400, "invalid_argument", "whole number"},
		{"GET", "/api/v1/search?q=%ff", 400, "invalid_argument", "UTF-8"},
		{"GET", "/api/v1/search?q=a%00b", 400, "invalid_argument", "NUL"},
		{"GET", "/api/v1/search?q=a&sort=date", 400, "invalid_argument", "sort must be"},
		{"GET", "/api/v1/search?q=a&dept=" + url.QueryEscape("市科协会"), 400, "invalid_argument", "市科协"},
		{"GET", "/api/v1/search?q=a&section=" + url.QueryEscape("九"), 400, "invalid_argument", "unknown section"},
		{"GET", "/api/v1/search?q=a&doc=nope", 400, "invalid_argument", "unknown document"},
		{"GET", "/api/v1/search?dept=%ff%fe", 400, "invalid_argument", "UTF-8"},
		{"GET", "/api/v1/search?q=a&section=%00", 400, "invalid_argument", "NUL"},
		{"GET", "/api/v1/suggest?q=%c3%28", 400, "invalid_argument", "UTF-8"},
		{"GET", "/api/v1/departments/%ff", 400, "invalid_argument", "UTF-8"},
		{"GET", "/api/v1/clauses/nope:1", 404, "not_found", "no clause"},
		{"GET", "/api/v1/departments/" + url.PathEscape("市不存在局"), 404, "not_found", "no department"},
		{"GET", "/api/v1/campaigns/" + url.PathEscape("不存在日"), 404, "not_found", "no campaign"},
		{"GET", "/api/v1/documents/nope", 404, "not_found", "no document"},
		{"GET", "/api/v1/nothing", 404, "not_found", "no such endpoint"},
		{"POST", "/api/v1/search?q=a", 405, "method_not_allowed", "not allowed"},
		{"DELETE", "/healthz", 405, "method_not_allowed", "not allowed"},
	}
	for _, tc := range cases {
		res, b := do(t, tc.method, tc.path, nil)
		var e errBody
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("%s %s: not JSON: %s", tc.method, tc.path, b)
			continue
		}
		if res.StatusCode != tc.status || e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.says) {
			t.Errorf("%s %s: %d %s, want %d %s containing %q", tc.method, tc.path, res.StatusCode, b, tc.status, tc.code, tc.says)
		}
		if e.Error.RequestID == "" || e.Error.RequestID != res.Header.Get("X-Request-Id") {
			t.Errorf("%s %s: request id %q vs header %q", tc.method, tc.path, e.Error.RequestID, res.Header.Get("X-Request-Id"))
		}
	}
}

// No query string, however malformed, gets a 5xx.
func TestNoServerErrors(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	pieces := []string{"科普", "全国", "日", "\"", "“", "”", "-", "+", "--", "++", "-\"", "STEAM", "ａｂｃ", " ", "　", "（", "）", "*", "?", ":", "~", "^", "\\", "/", "AND", "OR", "NOT", "%", "&", "=", "<script>", "1.", "二、", "\t", "\u00a0", "\u200b", "kepu", "quan", "kē", "ǜ", "'", "chongqing", "科學"}
	client := &http.Client{Timeout: 10 * time.Second}
	for n := 0; n < 2000; n++ {
		var q strings.Builder
		for k := 1 + r.Intn(8); k > 0; k-- {
			if r.Intn(10) == 0 {
				b := make([]byte, 1+r.Intn(4))
				r.Read(b)
				q.Write(b)
			} else {
				q.WriteString(pieces[r.Intn(len(pieces))])
			}
		}
		res, err := client.Get(base + "/api/v1/search?q=" + url.QueryEscape(q.String()))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("q=%q: %d %s", q.String(), res.StatusCode, body)
		}
		if res.StatusCode != 200 && res.StatusCode != 400 {
			t.Fatalf("q=%q: unexpected %d %s", q.String(), res.StatusCode, body)
		}
	}
}
