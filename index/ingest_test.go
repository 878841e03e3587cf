package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/synth"
)

// A base document that names the added notices' campaign and tour without
// quotes, so that 星火燎原科普行动 and 渝州行 are no user words until the notices
// bring them: jieba then cuts these clauses differently (渝州/行等 becomes
// 渝州行/等), and the word 渝州行 scores them only if they are indexed again.
const unquotedXinghuo = `重庆市科学技术协会关于做好科普工作的通知
各区县科协：
一、工作任务
1.总结星火燎原科普行动经验，办好青少年航天知识竞赛。（市科协按职责分工负责）
2.推动社区科普大学建设。（市科协、市教委按职责分工负责）
3.开展科普大篷车渝州行等活动。（市科协按职责分工负责）
`

// ingestLibrary serves a library as the server does: a Manager over a corpus
// folder and a data folder, swapping in each new index and retiring the old.
type ingestLibrary struct {
	live *index.Index
	m    *library.Manager
	data string
}

func newIngestLibrary(t *testing.T, corpusDir string) *ingestLibrary {
	t.Helper()
	l := &ingestLibrary{data: t.TempDir()}
	ix, _, _, err := library.Open(corpusDir, l.data, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.live = ix
	l.m = library.NewManager(corpusDir, l.data, index.Options{},
		func() *index.Index { return l.live },
		func(nx *index.Index) {
			old := l.live
			l.live = nx
			old.Retire()
		}, nil)
	t.Cleanup(func() {
		l.m.Close()
		l.m.WaitMerged()
		l.live.Close()
	})
	return l
}

// notice is the added notice under another 文号 and with a line of its own.
func notice(t *testing.T, serial int, line string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "documents", "xinghuo-2023-7.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "〔2023〕7号", fmt.Sprintf("〔2023〕%d号", serial), 1)
	return []byte(strings.Replace(s, "推动社区科普大学建设。", "推动社区科普大学建设，办好“渝州行”，"+line+"。", 1))
}

// Documents added one by one to a live library without a rebuild answer every
// search as a full build of the same corpus does: the same totals and facets,
// the same clauses under each match label, the same highlights, the same
// document order; and they agree with the oracle. The added index has a full
// build's fingerprint, reopens without a rebuild, and a background merge
// replaces it with a full build that answers the same again.
func TestIngestMatchesFullBuild(t *testing.T) {
	docs, err := synth.Generate(synth.Options{Items: 1000, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	corpusDir := t.TempDir()
	for _, d := range docs {
		if err := os.WriteFile(filepath.Join(corpusDir, d.ID+".txt"), d.Text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"chongqing-2023.txt", "nanchang-2024.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "library", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(corpusDir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(corpusDir, "kepu-notes.txt"), []byte(unquotedXinghuo), 0o644)

	l := newIngestLibrary(t, corpusDir)
	l.m.SetMerging(0, 100)
	before := l.live.Manifest().UserWords
	// Ids out of order: an added document takes its place among the added ones.
	for i, id := range []string{"m-xinghuo", "a-xinghuo", "z-xinghuo"} {
		if _, _, err := l.m.Ingest(id, notice(t, 100+i, "第"+id+"项"), false); err != nil {
			t.Fatal(err)
		}
		if got := l.live.Deltas(); got != i+1 {
			t.Fatalf("after %s the index has %d added parts, want %d (rebuilt?)", id, got, i+1)
		}
	}
	if contains(before, "渝州行") || !contains(l.live.Manifest().UserWords, "渝州行") {
		t.Fatalf("the notices did not bring the new word 渝州行")
	}

	c, err := library.Load(corpusDir, l.data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.live.Manifest().Fingerprint, index.Fingerprint(c); got != want {
		t.Fatalf("the added index's fingerprint %s is not the corpus's %s", got, want)
	}
	full, err := index.Build(t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	reqs := ingestRequests(t, full, c)
	sameAnswers(t, l.live, full, reqs)
	sameLookups(t, l.live, full)
	checkOracle(t, l.live, c.Docs, 400, 12)

	// Reopened from disk, as after a restart: no rebuild, the same answers.
	l.live.Close()
	ix, built, err := index.Ensure(l.data, c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.live = ix
	if built || ix.Deltas() != 3 {
		t.Fatalf("reopening rebuilt (%v) or lost the added parts (%d)", built, ix.Deltas())
	}
	sameAnswers(t, l.live, full, reqs)

	// A merge in the background: a full build swapped in, the same answers.
	l.m.SetMerging(1, 100)
	if _, _, err := l.m.Ingest("q-xinghuo", notice(t, 200, "第q项"), false); err != nil {
		t.Fatal(err)
	}
	l.m.WaitMerged()
	if d := l.live.Deltas(); d != 0 {
		t.Fatalf("after the merge the index has %d added parts", d)
	}
	c, err = library.Load(corpusDir, l.data)
	if err != nil {
		t.Fatal(err)
	}
	full2, err := index.Build(t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer full2.Close()
	sameAnswers(t, l.live, full2, ingestRequests(t, full2, c))
	entries, _ := os.ReadDir(filepath.Join(l.data, "indexes"))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("index folders left after the merge: %v, want the merged one", names)
	}
}

// ingestRequests are the searches compared: the added notices' words, a
// campaign name, departments, filters, document order, and random queries as
// the oracle test makes them.
func ingestRequests(t *testing.T, ix *index.Index, c *index.Corpus) []index.Request {
	t.Helper()
	var reqs []index.Request
	add := func(raw string, f func(*index.Request)) {
		q, err := query.Parse(raw)
		if err != nil {
			return
		}
		for _, s := range []string{index.SortRelevance, index.SortOrder} {
			req := index.Request{Query: q, Size: 100, Sort: s, Explain: true}
			if f != nil {
				f(&req)
			}
			reqs = append(reqs, req)
		}
	}
	for _, raw := range []string{"星火燎原", "星火燎原科普行动", "燎原科普", "科普行动 星火燎原", "渝州行", "大篷车渝州行", "渝州", "行等", "渝州行 活动", "星火燎原 科普", "星火", "燎原行动", `"星火燎原"`, "青少年航天知识竞赛",
		"航天 竞赛", "社区科普大学", "第a-xinghuo项", "科普 -星火", "市科协", "科普", "科", "全国科普日"} {
		add(raw, nil)
	}
	for _, dept := range []string{"市科协", "市教委", "市科协（重庆）"} {
		name, err := ix.FindDepartment(dept)
		if err != nil {
			t.Fatal(err)
		}
		add("科普", func(r *index.Request) { r.Departments = []string{name} })
		add("", func(r *index.Request) { r.Departments = []string{name} })
	}
	add("科普", func(r *index.Request) { r.Years = []int{2023} })
	add("建设", func(r *index.Request) { r.Docs = []string{"a-xinghuo", "kepu-notes"} })
	o := newOracle(ix.Segmenter(), c.Docs)
	r := rand.New(rand.NewPCG(13, 13))
	for i := 0; i < 300; i++ {
		add(randomQuery(r, o), nil)
	}
	return reqs
}

// sameAnswers requires got to answer every request as want does: total,
// facets, and for every hit its match label, score and highlights; hits of
// one label may come in another order where their scores tie, but in
// document order every hit is at the same place. The scores are the term
// statistics of the jieba words: equal only where every clause is cut with
// the words a full build cuts it with.
func sameAnswers(t *testing.T, got, want *index.Index, reqs []index.Request) {
	t.Helper()
	type answer struct {
		total  int
		facets string
		hits   map[string]string // id → match, score and highlights
		order  []string
	}
	ask := func(ix *index.Index, req index.Request) answer {
		a := answer{hits: map[string]string{}}
		for from := 0; ; from += req.Size {
			req.From = from
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("%q: %v", req.Query.Raw, err)
			}
			a.total, a.facets = res.Total, fmt.Sprint(res.Facets)
			for _, h := range res.Hits {
				a.hits[h.ID] = fmt.Sprintf("%s %.6f %v", h.Match, h.Score, h.Highlights)
				a.order = append(a.order, h.ID)
			}
			if len(res.Hits) < req.Size || from+req.Size >= 400 {
				return a
			}
		}
	}
	failures := 0
	for _, req := range reqs {
		g, w := ask(got, req), ask(want, req)
		name := fmt.Sprintf("%q dept=%v doc=%v year=%v sort=%s", req.Query.Raw, req.Departments, req.Docs, req.Years, req.Sort)
		switch {
		case g.total != w.total:
			t.Errorf("%s: total %d, a full build %d", name, g.total, w.total)
		case g.facets != w.facets:
			t.Errorf("%s: facets\n got %s\nwant %s", name, g.facets, w.facets)
		case fmt.Sprint(sortedKeys(g.hits)) != fmt.Sprint(sortedKeys(w.hits)):
			t.Errorf("%s: hits\n got %v\nwant %v", name, sortedKeys(g.hits), sortedKeys(w.hits))
		case req.Sort == index.SortOrder && fmt.Sprint(g.order) != fmt.Sprint(w.order):
			t.Errorf("%s: document order\n got %v\nwant %v", name, g.order, w.order)
		default:
			for id, h := range w.hits {
				if g.hits[id] != h {
					t.Errorf("%s: hit %s\n got %s\nwant %s", name, id, g.hits[id], h)
				}
			}
		}
		if t.Failed() {
			if failures++; failures > 10 {
				t.FailNow()
			}
		}
	}
	t.Logf("%d searches answered as by a full build", len(reqs))
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sameLookups compares what the lookups answer: documents, departments,
// campaigns, issuers, years, and every clause.
func sameLookups(t *testing.T, got, want *index.Index) {
	t.Helper()
	docs := func(ix *index.Index) string {
		var b strings.Builder
		for _, d := range ix.Documents() {
			fmt.Fprintf(&b, "%+v\n", d)
		}
		return b.String()
	}
	for _, c := range []struct {
		what      string
		got, want string
	}{
		{"documents", docs(got), docs(want)},
		{"departments", fmt.Sprint(got.Departments()), fmt.Sprint(want.Departments())},
		{"campaigns", fmt.Sprint(got.Campaigns()), fmt.Sprint(want.Campaigns())},
		{"issuers", fmt.Sprint(got.Issuers()), fmt.Sprint(want.Issuers())},
		{"years", fmt.Sprint(got.Years()), fmt.Sprint(want.Years())},
		{"clauses", fmt.Sprint(got.Manifest().Clauses), fmt.Sprint(want.Manifest().Clauses)},
	} {
		if c.got != c.want {
			t.Errorf("%s differ:\n got %.600s\nwant %.600s", c.what, c.got, c.want)
		}
	}
	for _, d := range want.Corpus().Docs {
		for _, cl := range d.Clauses {
			g, err := got.Clause(context.Background(), cl.ID)
			if err != nil || fmt.Sprint(g) != fmt.Sprint(cl) {
				t.Fatalf("clause %s: %v\n got %+v\nwant %+v", cl.ID, err, g, cl)
			}
		}
	}
}
