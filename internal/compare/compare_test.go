package compare

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysearch/corpus"
	"policysearch/internal/department"
	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// ForTest is a Comparer with the process's segmenter and the corpus's renames,
// with the segmenter, for this package's tests and its external ones (which
// generate series: synth reaches this package through eval and index).
func ForTest(t testing.TB) (*Comparer, *segment.Segmenter) {
	t.Helper()
	seg, err := segment.Shared("")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := department.ParseRenames(corpus.RenamesTSV())
	if err != nil {
		t.Fatal(err)
	}
	return New(seg, rs), seg
}

func comparer(t testing.TB) *Comparer {
	c, _ := ForTest(t)
	return c
}

func parseFile(t testing.TB, name string) *gongwen.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := gongwen.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The hand-made pair has every kind of change: an item kept under a renamed
// department, one reworded with a department and a campaign swapped, one moved
// to the other section, one dropped, one new, one renumbered, one whose phrases
// were reordered.
func TestCompareGolden(t *testing.T) {
	from, to := parseFile(t, "kepu-2021"), parseFile(t, "kepu-2022")
	res, err := comparer(t).Compare(from, to)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "kepu.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("compare output differs from %s (run with -update to rewrite, then read the diff):\n%s", golden, got)
	}
}

// What the golden file holds, said in the domain's terms, so that a rewrite of
// the golden file cannot quietly accept a wrong alignment.
func TestCompareKinds(t *testing.T) {
	from, to := parseFile(t, "kepu-2021"), parseFile(t, "kepu-2022")
	res, err := comparer(t).Compare(from, to)
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]Pair{}
	for _, p := range res.Pairs {
		pairs[p.From] = p
	}
	want := map[string]struct {
		to             string
		changed, moved bool
	}{
		"kepu-2021:1": {"kepu-2022:1", true, false}, // 市科委 → 市科技局 only
		"kepu-2021:2": {"kepu-2022:2", true, false}, // reworded
		"kepu-2021:3": {"kepu-2022:5", true, true},  // moved to 二, 市农委 → 市农业农村委
		"kepu-2021:5": {"kepu-2022:4", true, false}, // renumbered
		"kepu-2021:6": {"kepu-2022:6", true, false}, // phrases reordered
	}
	for from, w := range want {
		p, ok := pairs[from]
		if !ok {
			t.Errorf("%s is not paired", from)
			continue
		}
		if p.To != w.to || p.Changed != w.changed || p.Moved != w.moved {
			t.Errorf("%s: paired with %s changed=%v moved=%v, want %s changed=%v moved=%v",
				from, p.To, p.Changed, p.Moved, w.to, w.changed, w.moved)
		}
	}
	if len(res.Pairs) != len(want) {
		t.Errorf("%d pairs, want %d", len(res.Pairs), len(want))
	}
	if strings.Join(res.New, " ") != "kepu-2022:3" || strings.Join(res.Dropped, " ") != "kepu-2021:4" {
		t.Errorf("new %v dropped %v, want [kepu-2022:3] [kepu-2021:4]", res.New, res.Dropped)
	}
	depts := map[string]DepartmentChange{}
	for _, d := range res.Departments {
		depts[d.Name] = d
	}
	if _, ok := depts["市科委"]; ok {
		t.Errorf("the former name 市科委 is a department of its own: %+v", depts["市科委"])
	}
	if d := depts["市科技局"]; len(d.Lost) != 0 || len(d.Gained) != 0 || len(d.Kept) != 3 || strings.Join(d.Formerly, "") != "市科委" {
		t.Errorf("市科技局 (renamed from 市科委) = %+v, want 3 kept, nothing gained or lost", d)
	}
	if d := depts["市教委"]; strings.Join(d.Lost, " ") != "kepu-2021:2" || len(d.Gained)+len(d.Kept) != 0 {
		t.Errorf("市教委 = %+v, want item 2 lost", d)
	}
	if d := depts["市卫生健康委"]; strings.Join(d.Gained, " ") != "kepu-2022:2 kepu-2022:3" {
		t.Errorf("市卫生健康委 = %+v, want items 2 and 3 gained", d)
	}
	if d := depts["市科协"]; strings.Join(d.Lost, " ") != "kepu-2021:4" || strings.Join(d.Gained, " ") != "kepu-2022:3" {
		t.Errorf("市科协 = %+v, want the dropped item lost and the new one gained", d)
	}
	if d := depts["市农业农村委"]; strings.Join(d.Kept, " ") != "kepu-2022:5" || len(d.Lost) != 0 {
		t.Errorf("市农业农村委 = %+v, want the moved item kept", d)
	}
	if !contains(res.Campaigns.New, "科普大篷车渝州行") || !contains(res.Campaigns.Dropped, "科技活动周") ||
		contains(res.Campaigns.New, "全国科普日") || contains(res.Campaigns.Dropped, "全国科普日") {
		t.Errorf("campaigns %+v, want 科普大篷车渝州行 new, 科技活动周 dropped, 全国科普日 in neither", res.Campaigns)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The runs of a diff give back both texts.
func TestDiffRunsRebuildBothTexts(t *testing.T) {
	c := comparer(t)
	for _, tc := range [][2]string{
		{"开展全国科普日活动，组织科学家进校园。", "办好全国科普日活动，组织院士专家进社区和校园。"},
		{"", "新增一项任务。"},
		{"删去一项任务。", ""},
		{"ＡＢＣ２０２２年 <b>不变</b>", "ＡＢＣ２０２２年 <b>不变</b>"},
	} {
		runs := diff(c.seg.Pieces(tc[0]), c.seg.Pieces(tc[1]))
		var before, after strings.Builder
		for _, r := range runs {
			if r.Op != OpInsert {
				before.WriteString(r.Text)
			}
			if r.Op != OpDelete {
				after.WriteString(r.Text)
			}
		}
		if before.String() != tc[0] || after.String() != tc[1] {
			t.Errorf("runs %+v give %q → %q, want %q → %q", runs, before.String(), after.String(), tc[0], tc[1])
		}
	}
}

func TestCompareRefusesOneDocument(t *testing.T) {
	d := parseFile(t, "kepu-2021")
	if _, err := comparer(t).Compare(d, d); err == nil {
		t.Error("a document compared with itself gave no error")
	}
}
