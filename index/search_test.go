package index_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/synonym"
)

var (
	testIndex  *index.Index
	testCorpus *index.Corpus

	// The library of several small documents under ../testdata/library, built
	// on first use.
	libraryOnce  sync.Once
	libraryIndex *index.Index
	libraryErr   error
	libraryDir   string
)

// TestMain builds the real index of the embedded notice on disk once.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "policysearch-index-test-")
	if err != nil {
		panic(err)
	}
	syn, err := synonym.Load("")
	if err != nil {
		panic(err)
	}
	testIndex, testCorpus, _, err = library.Open("", dir, index.Options{Synonyms: syn})
	if err != nil {
		panic(err)
	}
	code := m.Run()
	testIndex.Close()
	os.RemoveAll(dir)
	if libraryIndex != nil {
		libraryIndex.Close()
	}
	if libraryDir != "" {
		os.RemoveAll(libraryDir)
	}
	os.Exit(code)
}

// libraryIdx is the index of ../testdata/library: documents of Chongqing,
// Nanchang (two years) and Guangling (written in traditional characters),
// read by the parser and indexed as the server does it.
func libraryIdx(t *testing.T) *index.Index {
	t.Helper()
	libraryOnce.Do(func() {
		libraryDir, libraryErr = os.MkdirTemp("", "policysearch-library-test-")
		if libraryErr == nil {
			libraryIndex, _, _, libraryErr = library.Open(filepath.Join("..", "testdata", "library"), libraryDir, index.Options{})
		}
	})
	if libraryErr != nil {
		t.Fatal(libraryErr)
	}
	return libraryIndex
}

const docID = "yugangyaobanfa-2022-2"

// searchCase is one line of a searches.json: a request and what its hits must
// be. Ids are clause ids; in the notice's file without the document prefix.
type searchCase struct {
	Q       string            `json:"q"`
	Dept    []string          `json:"dept"`
	Lead    []string          `json:"lead"`
	Doc     []string          `json:"doc"`
	Issuer  []string          `json:"issuer"`
	Year    []int             `json:"year"`
	Section string            `json:"section"`
	Sort    string            `json:"sort"`
	From    int               `json:"from"`
	Size    int               `json:"size"`
	First   []string          `json:"first"`   // the first hits, as a set unless ordered
	Ordered bool              `json:"ordered"` // First is in rank order
	Hits    []string          `json:"hits"`    // every hit of the page, as a set
	Total   *int              `json:"total"`
	Count   *int              `json:"count"` // hits on the page
	Match   map[string]string `json:"match"`
	Absent  []string          `json:"absent"`
	Mark    string            `json:"mark"` // a highlight of the first hit contains this
	// Highlights are the exact highlights of some hits.
	Highlights map[string][]string `json:"highlights"`
	// Facets are exact facets: every value with its count, in order.
	Facets map[string][]index.Facet `json:"facets"`
	// Interpreted is what the response says was searched ("": nothing else
	// than typed); Pinyin the runs of letters read as pinyin.
	Interpreted *string  `json:"interpreted"`
	Pinyin      []string `json:"pinyin"`
	// Related are the related searches with their totals, exactly; Suggestions
	// the nearest queries with hits, in order.
	Related     map[string]int `json:"related"`
	Suggestions []string       `json:"suggestions"`
	Note        string         `json:"note"`
}

func TestSearches(t *testing.T) {
	runSearches(t, testIndex, filepath.Join("testdata", "searches.json"), docID+":")
}

// The library: filters by document, issuer, year and lead unit, departments in
// their regions, facets, and traditional characters found by simplified
// queries and the other way round.
func TestLibrarySearches(t *testing.T) {
	runSearches(t, libraryIdx(t), filepath.Join("..", "testdata", "library", "searches.json"), "")
}

func runSearches(t *testing.T, ix *index.Index, file, prefix string) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cases []searchCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		name := fmt.Sprintf("q=%s", tc.Q)
		for _, f := range []struct {
			key  string
			vals interface{}
			n    int
		}{{"dept", tc.Dept, len(tc.Dept)}, {"lead", tc.Lead, len(tc.Lead)}, {"doc", tc.Doc, len(tc.Doc)},
			{"issuer", tc.Issuer, len(tc.Issuer)}, {"year", tc.Year, len(tc.Year)}} {
			if f.n > 0 {
				name += fmt.Sprintf(" %s=%v", f.key, f.vals)
			}
		}
		name += fmt.Sprintf(" section=%s sort=%s", tc.Section, tc.Sort)
		t.Run(name, func(t *testing.T) {
			q, err := query.Parse(tc.Q)
			if err != nil {
				t.Fatal(err)
			}
			req := index.Request{Query: q, Section: tc.Section, Sort: tc.Sort, From: tc.From, Size: tc.Size,
				Docs: tc.Doc, Years: tc.Year}
			if req.Size == 0 {
				req.Size = 100
			}
			for _, d := range tc.Dept {
				name, err := ix.FindDepartment(d)
				if err != nil {
					t.Fatalf("department %q: %v", d, err)
				}
				req.Departments = append(req.Departments, name)
			}
			for _, d := range tc.Lead {
				name, err := ix.FindLead(d)
				if err != nil {
					t.Fatalf("lead %q: %v", d, err)
				}
				req.Leads = append(req.Leads, name)
			}
			for _, is := range tc.Issuer {
				if _, err := ix.FindIssuer(is); err != nil {
					t.Fatalf("issuer %q: %v", is, err)
				}
				req.Issuers = append(req.Issuers, is)
			}
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			match := map[string]string{}
			highlights := map[string][]string{}
			for _, h := range res.Hits {
				id := strings.TrimPrefix(h.ID, prefix)
				ids = append(ids, id)
				match[id] = h.Match
				highlights[id] = h.Highlights
			}
			if tc.Total != nil && res.Total != *tc.Total {
				t.Errorf("total %d, want %d (hits %v)", res.Total, *tc.Total, ids)
			}
			if tc.Count != nil && len(ids) != *tc.Count {
				t.Errorf("%d hits on the page, want %d", len(ids), *tc.Count)
			}
			if tc.Hits != nil && !sameSet(ids, tc.Hits) {
				t.Errorf("hits %v, want %v in any order", ids, tc.Hits)
			}
			if len(ids) < len(tc.First) {
				t.Fatalf("hits %v, want first %v", ids, tc.First)
			}
			head := ids[:len(tc.First)]
			if tc.Ordered {
				if strings.Join(head, ",") != strings.Join(tc.First, ",") {
					t.Errorf("first hits %v, want %v", head, tc.First)
				}
			} else if !sameSet(head, tc.First) {
				t.Errorf("first hits %v, want %v in any order", head, tc.First)
			}
			for id, m := range tc.Match {
				if match[id] != m {
					t.Errorf("hit %s match %q, want %q", id, match[id], m)
				}
			}
			for _, id := range tc.Absent {
				if _, ok := match[id]; ok {
					t.Errorf("hit %s should be excluded", id)
				}
			}
			if tc.Mark != "" && (len(res.Hits) == 0 || !strings.Contains(strings.Join(res.Hits[0].Highlights, ""), tc.Mark)) {
				t.Errorf("first hit's highlights lack %q", tc.Mark)
			}
			for id, want := range tc.Highlights {
				if got, ok := highlights[id]; !ok || strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("highlights of %s:\n got %q\nwant %q", id, got, want)
				}
			}
			if tc.Interpreted != nil {
				got := ""
				if res.Interpreted != nil {
					got = res.Interpreted.Query
				}
				if got != *tc.Interpreted {
					t.Errorf("interpreted %q, want %q", got, *tc.Interpreted)
				}
			}
			if tc.Pinyin != nil {
				var got []string
				if res.Interpreted != nil {
					for _, s := range res.Interpreted.Pinyin {
						got = append(got, s.Pinyin+"="+strings.Join(s.Words, "/"))
					}
				}
				if strings.Join(got, " ") != strings.Join(tc.Pinyin, " ") {
					t.Errorf("pinyin read as %q, want %q", got, tc.Pinyin)
				}
			}
			if tc.Related != nil {
				got := map[string]int{}
				for _, r := range res.Related {
					got[r.Query] = r.Total
					if len(r.Hits) == 0 || len(r.Hits) > 3 {
						t.Errorf("related %s has %d hits, want 1 to 3", r.Query, len(r.Hits))
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.Related) {
					t.Errorf("related %v, want %v", got, tc.Related)
				}
			}
			if tc.Suggestions != nil && strings.Join(res.Suggestions, "|") != strings.Join(tc.Suggestions, "|") {
				t.Errorf("suggestions %q, want %q", res.Suggestions, tc.Suggestions)
			}
			for name, want := range tc.Facets {
				got, ok := res.Facets[name]
				if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("facet %s: %v, want %v", name, got, want)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// Highlights are the same on every call, even where jieba's search mode gives
// overlapping words.
func TestHighlightsDeterministic(t *testing.T) {
	q, _ := query.Parse("科普 活动 全国科普日")
	var first string
	for i := 0; i < 50; i++ {
		res, err := testIndex.Search(context.Background(), index.Request{Query: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res.Hits)
		if i == 0 {
			first = string(b)
		} else if string(b) != first {
			t.Fatalf("run %d gave different hits or highlights", i)
		}
	}
}

func TestExplain(t *testing.T) {
	q, _ := query.Parse("全国科普日")
	res, err := testIndex.Search(context.Background(), index.Request{Query: q, Size: 3, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Hits[0].Explain
	if e == nil || e.Tier != 2 || len(e.Terms) != 1 || strings.Join(e.Terms[0].Fields, ",") != "text" {
		t.Fatalf("explain of item 5: %+v", e)
	}
	e = res.Hits[1].Explain
	if e == nil || e.Tier != 3 || len(e.Terms[0].Words) != 3 {
		t.Fatalf("explain of a words hit: %+v", e)
	}
}

func TestClause(t *testing.T) {
	c, err := testIndex.Clause(context.Background(), docID+":24")
	if err != nil || c.Number != 24 || len(c.Departments) != 10 {
		t.Fatalf("clause 24: %+v, %v", c, err)
	}
	if _, err := testIndex.Clause(context.Background(), docID+":99"); err == nil {
		t.Fatal("clause 99 found")
	}
}
