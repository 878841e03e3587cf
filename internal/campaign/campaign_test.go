package campaign

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"policysearch/internal/gongwen"
)

// checked reads the hand-checked list: name → items.
func checked(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "campaigns.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, items, _ := strings.Cut(line, "\t")
		out[name] = items
	}
	return out
}

// The extractor against the hand-checked list of the notice's campaigns:
// precision and recall of names, and the items of every name found.
func TestPrecisionRecall(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gongwen.Parse("n", src)
	if err != nil {
		t.Fatal(err)
	}
	want := checked(t)
	got := Extract([]*gongwen.Document{doc})
	hits := 0
	var extra, missed []string
	seen := map[string]bool{}
	for _, c := range got {
		seen[c.Name] = true
		items, ok := want[c.Name]
		if !ok {
			extra = append(extra, c.Name)
			continue
		}
		hits++
		var nums []string
		for _, n := range c.Items {
			nums = append(nums, strconv.Itoa(n))
		}
		if strings.Join(nums, ",") != items {
			t.Errorf("%s: items %v, want %s", c.Name, nums, items)
		}
	}
	for n := range want {
		if !seen[n] {
			missed = append(missed, n)
		}
	}
	sort.Strings(extra)
	sort.Strings(missed)
	precision := float64(hits) / float64(len(got))
	recall := float64(hits) / float64(len(want))
	t.Logf("precision %.3f (%d/%d), recall %.3f (%d/%d)", precision, hits, len(got), recall, hits, len(want))
	t.Logf("found but not on the list: %q", extra)
	t.Logf("on the list but not found: %q", missed)
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f and recall %.3f must both be ≥ 0.95", precision, recall)
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"开展好“三下乡”、双创活动周、全国科普日等活动。":         "三下乡|双创活动周|全国科普日",
		"打造“巴渝工匠”杯职业技能大赛品牌。":               "“巴渝工匠”杯职业技能大赛",
		"实施中学生“英才计划”，开展测评。":                "英才计划",
		"实施智慧助老行动。开展老年人智能设备应用培训。":          "智慧助老行动",
		"以评奖、作品征集等方式加大扶持。":                 "",
		"深入开展流动科技馆、科普大篷车渝州行等活动。":           "科普大篷车渝州行",
		"在技工院校开展开学第一课等活动。":                 "开学第一课",
		"不断提高推动工作跨越发展、加快建设具有全国影响力的科技创新中心。": "",
	} {
		if got := strings.Join(Names(in), "|"); got != want {
			t.Errorf("Names(%q) = %q, want %q", in, got, want)
		}
	}
}

// A verb rule runs only on sentences holding its words, from the first of its
// verbs on: every match of its expression must start with a verb and hold its
// words, and the rules and the lead of an enumeration must find from there
// what they find over the whole sentence. Checked on every sentence of the
// notice and on texts made to match each rule at its shortest and with every
// verb, after other text.
func TestVerbRulesFromTheirFirstVerb(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.FieldsFunc(string(src), isSentenceEnd)
	for _, verb := range []string{"深入实施", "实施", "深入开展", "开展", "办好", "举办", "发挥好", "积极开展", "组织参加", "打造", "争做"} {
		for _, before := range []string{"", "各区县要", "推动实施和开展、"} {
			texts = append(texts,
				before+verb+"科普行动，", before+verb+"科普大赛1.0", before+verb+"院士行活动", before+verb+"开学第一课等活动",
				before+verb+"重庆英才大会等市内重大活动", before+"把智博会打造成品牌", before+verb+"科技活动周、全国科普日等")
		}
	}
	matches := 0
	for _, text := range texts {
		for i, r := range verbRules {
			for _, m := range r.re.FindAllString(text, -1) {
				matches++
				if r.from(m) != 0 {
					t.Errorf("rule %d matches %q, which does not start with its verbs or lacks its words", i, m)
				}
			}
			whole := r.re.FindAllStringSubmatch(text, -1)
			var from [][]string
			if at := r.from(text); at >= 0 {
				from = r.re.FindAllStringSubmatch(text[at:], -1)
			}
			if !reflect.DeepEqual(whole, from) {
				t.Errorf("rule %d on %q: %q over the sentence, %q from its first verb", i, text, whole, from)
			}
		}
		for _, p := range strings.Split(text, "、") {
			if got, want := dropLead(p), leadRe.ReplaceAllString(p, ""); got != want {
				t.Errorf("lead of %q: %q from its first verb, %q over the whole", p, got, want)
			}
		}
	}
	if matches < 20 {
		t.Fatalf("only %d matches: the check reads too little", matches)
	}
}
