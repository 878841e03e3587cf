package eval_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/eval"
	"policysearch/internal/library"
	"policysearch/internal/query"
)

var update = flag.Bool("update", false, "regenerate testdata/eval/own-queries.json from the corpus and substring search")

var (
	ix    *index.Index
	corp  *index.Corpus
	items []eval.Item
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "policysearch-eval-test-")
	if err != nil {
		panic(err)
	}
	ix, corp, _, err = library.Open("", dir, index.Options{})
	if err != nil {
		panic(err)
	}
	items = eval.Items(corp.Docs)
	code := m.Run()
	ix.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

var evalDir = filepath.Join("..", "..", "testdata", "eval")

// ownQueries derives checks from the corpus: every campaign and quoted name as a
// literal, every department as a dept check, and random substrings of the items,
// each expecting what plain substring search finds.
func ownQueries() []eval.Check {
	truth := eval.SubstringEngine(items, ix.ResolveDepartment)
	var out []eval.Check
	literal := func(q, note string) {
		got, err := truth(q, "", 1000)
		if err != nil || len(got) == 0 {
			return
		}
		out = append(out, eval.Check{Q: q, Kind: "literal", Expect: got, Note: note})
	}
	for _, c := range ix.Campaigns() {
		literal(c.Name, "campaign")
	}
	for _, d := range ix.Departments() {
		got, _ := truth("", d.Name, 1000)
		out = append(out, eval.Check{Dept: d.Name, Kind: "dept", Expect: got, Note: "department"})
		if d.Official != "" {
			out = append(out, eval.Check{Dept: d.Official, Kind: "dept", Expect: got, Note: "official name"})
		}
	}
	r := rand.New(rand.NewSource(2022))
	for n := 0; n < 300; n++ {
		it := items[r.Intn(len(items))]
		rs := []rune(it.Text)
		l := 2 + r.Intn(7)
		if l > len(rs) {
			continue
		}
		k := r.Intn(len(rs) - l + 1)
		q := strings.TrimSpace(string(rs[k : k+l]))
		if _, err := query.Parse(q); err != nil || strings.ContainsAny(q, "\"“”-+") {
			continue
		}
		literal(q, "random substring")
	}
	for _, p := range []string{"全国科普日", "科普大篷车渝州行", "巴渝工匠", "科技志愿服务", "青少年", "碳达峰碳中和", "科普基地"} {
		got, _ := truth(p, "", 1000)
		out = append(out, eval.Check{Q: `"` + p + `"`, Kind: "phrase", Expect: got, Note: "phrase"})
	}
	return out
}

func TestOwnQueriesFile(t *testing.T) {
	name := filepath.Join(evalDir, "own-queries.json")
	if *update {
		writeChecks(t, name, ownQueries())
	}
	got, err := eval.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	// The file's expectations must still be what substring search finds.
	truth := eval.SubstringEngine(items, ix.ResolveDepartment)
	for _, c := range got {
		if c.Kind == "rank" {
			continue
		}
		q := strings.Trim(c.Q, `"`)
		found, err := truth(q, c.Dept, 1000)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if fmt.Sprint(sortedCopy(found)) != fmt.Sprint(sortedCopy(c.Expect)) {
			t.Errorf("%s %q%s: file expects %v, substring search finds %v; rerun with -update", c.Kind, c.Q, c.Dept, c.Expect, found)
		}
	}
	if len(got) < 100 {
		t.Fatalf("only %d own checks", len(got))
	}
}

// writeChecks writes a check file, one check a line.
func writeChecks(t *testing.T, name string, checks []eval.Check) {
	t.Helper()
	var b strings.Builder
	b.WriteString("[\n")
	for i, c := range checks {
		line, _ := json.Marshal(c)
		b.WriteString(" " + string(line))
		if i < len(checks)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readingQueries are queries typed otherwise than the text writes them: in
// traditional characters, and in pinyin (with the Latin queries that are text,
// and pinyin of no corpus word, which must stay what they are).
var readingQueries = []struct{ kind, q, means, note string }{
	{"script", "全國科普日", "全国科普日", "traditional"},
	{"script", "科學辟謠", "科学辟谣", "traditional"},
	{"script", "科普大篷車", "科普大篷车", "mixed"},
	{"script", "碳達峰", "碳达峰", "traditional"},
	{"script", "科技特派員", "科技特派员", "mixed"},
	{"script", "流動科技館", "流动科技馆", "traditional"},
	{"script", "一帶一路", "一带一路", "traditional"},
	{"script", "雙減", "双减", "traditional"},
	{"script", "智博會", "智博会", "mixed"},
	{"script", "挑戰杯", "挑战杯", "mixed"},
	{"script", "科技志願服務", "科技志愿服务", "mixed"},
	{"script", "科普場館", "科普场馆", "mixed"},
	{"script", "青少年 科學", "青少年 科学", "two words, one traditional"},
	{"pinyin", "quanguokepuri", "全国科普日", "full pinyin"},
	{"pinyin", "quan guo ke pu ri", "全国科普日", "with spaces"},
	{"pinyin", "kēpǔ", "科普", "tone marks"},
	{"pinyin", "ke1pu3", "科普", "tone numbers"},
	{"pinyin", "kepudapengche", "科普大篷车", "a campaign"},
	{"pinyin", "nongcunkepu", "农村 科普", "a run of two words"},
	{"pinyin", "chongqing", "重庆", "a polyphonic character's other reading"},
	{"pinyin", "zhongqing", "重庆", "its first reading"},
	{"pinyin", "kexuepiyao", "科学辟谣", "full pinyin"},
	{"pinyin", "liudongkejiguan", "流动科技馆", "full pinyin"},
	{"pinyin", "shuangjian", "双减", "full pinyin"},
	{"pinyin", "laonianren", "老年人", "full pinyin"},
	{"pinyin", "zhihuizhulao", "智慧助老", "full pinyin"},
	{"pinyin", "kepu -nongcun", "科普 -农村", "an exclusion in pinyin"},
	{"pinyin", "te", "te", "Latin letters in the text are text (STEAM)"},
	{"pinyin", "STEAM", "STEAM", "Latin text"},
	{"pinyin", "kepux", "", "pinyin of no corpus word finds nothing"},
	{"pinyin", "xyzzy", "", "not pinyin at all"},
}

// The reading checks' expectations are what substring search finds for the
// query each stands for.
func TestReadingQueriesFile(t *testing.T) {
	name := filepath.Join(evalDir, "reading-queries.json")
	truth := eval.SubstringEngine(items, ix.ResolveDepartment)
	var want []eval.Check
	for _, r := range readingQueries {
		c := eval.Check{Q: r.q, Kind: r.kind, Means: r.means, Expect: []int{}, Note: r.note}
		if r.means != "" {
			found, err := truth(r.means, "", 1000)
			if err != nil {
				t.Fatal(err)
			}
			c.Expect = append(c.Expect, found...)
		}
		want = append(want, c)
	}
	if *update {
		writeChecks(t, name, want)
	}
	got, err := eval.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s is not what substring search finds for each query's meaning; rerun with -update", name)
	}
}

func sortedCopy(xs []int) []int {
	out := append([]int(nil), xs...)
	sort.Ints(out)
	return out
}

// The relevance bar: every literal, and, phrase and dept check passes, and at
// least 90% of rank checks, on the shared sample and the project's own set.
func TestRelevance(t *testing.T) {
	var checks []eval.Check
	for _, f := range []string{"dev-queries.json", "own-queries.json", "reading-queries.json"} {
		cs, err := eval.Load(filepath.Join(evalDir, f))
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, cs...)
	}
	r, err := eval.Run(eval.IndexEngine(ix, ""), checks)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Failures {
		if f.Check.Kind != "rank" {
			t.Errorf("%s q=%q dept=%q: %s; got %v", f.Check.Kind, f.Check.Q, f.Check.Dept, f.Why, f.Got)
		}
	}
	if rate := r.Rate("rank"); rate < 0.9 {
		t.Errorf("rank checks passed %.0f%%, want ≥ 90%%", rate*100)
	}
	var b strings.Builder
	eval.Print(&b, []string{"policysearch"}, []*eval.Report{r})
	t.Log("\n" + b.String())
}

// Any substring of any item finds that item, and the items holding it come first.
func TestRandomSubstrings(t *testing.T) {
	ours := eval.IndexEngine(ix, "")
	r := rand.New(rand.NewSource(20220419))
	tried := 0
	for n := 0; n < 3000; n++ {
		it := items[r.Intn(len(items))]
		rs := []rune(it.Text)
		l := 1 + r.Intn(16)
		if l > len(rs) {
			l = len(rs)
		}
		k := r.Intn(len(rs) - l + 1)
		q := string(rs[k : k+l])
		if _, err := query.Parse(q); err != nil {
			continue // punctuation only: refused by design
		}
		if strings.HasPrefix(strings.TrimSpace(q), "-") {
			continue
		}
		tried++
		want := []int{}
		for _, x := range items {
			if eval.Contains(x.Text, q) {
				want = append(want, x.Number)
			}
		}
		got, err := ours(q, "", 100)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if why := eval.Judge(eval.Check{Q: q, Kind: "literal", Expect: want}, got); why != "" {
			t.Errorf("substring %q of item %d: %s (want %v, got %v)", q, it.Number, why, want, got)
		}
	}
	if tried < 2500 {
		t.Fatalf("only %d substrings tried", tried)
	}
	t.Logf("%d random substrings found their items first", tried)
}
