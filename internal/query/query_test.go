package query

import (
	"errors"
	"fmt"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"全国科普日":         "[{全国科普日 false}] []",
		"农村 电商 培训":      "[{农村 false} {电商 false} {培训 false}] []",
		"科普 -农村":        "[{科普 false}] [{农村 false}]",
		`"全国科普日"`:       "[{全国科普日 true}] []",
		"“碳达峰碳中和” 科普":   "[{碳达峰碳中和 true} {科普 false}] []",
		`"科技 志愿`:        "[{科技 志愿 true}] []",
		"科普+产业":         "[{科普+产业 false}] []",
		"+科普":           "[{科普 false}] []",
		"科普 - 农村":       "[{科普 false} {农村 false}] []",
		"全国科普日。":        "[{全国科普日 false}] []",
		"-\"科普 产业\" 服务": "[{服务 false}] [{科普 产业 true}]",
		"　全角空格　分隔":      "[{全角空格 false} {分隔 false}] []",
		"科普“三下乡”":       "[{科普 false} {三下乡 true}] []",
	} {
		q, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got := fmt.Sprintf("%v %v", plain(q.Terms), plain(q.Exclude)); got != want {
			t.Errorf("Parse(%q) = %v %v, want %s", in, q.Terms, q.Exclude, want)
		}
	}
}

// plain gives terms as {text phrase}, the form the table above is written in.
func plain(ts []Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("{%s %v}", t.Text, t.Phrase)
	}
	return out
}

func TestWholes(t *testing.T) {
	q := Query{Terms: []Term{{Text: "实验", Alternatives: []string{"实验", "试验"}}, {Text: "科普"}}}
	if got := fmt.Sprint(q.Wholes(8)); got != "[实验 科普 试验 科普]" {
		t.Errorf("Wholes = %s", got)
	}
	if got := q.Wholes(1); len(got) != 1 {
		t.Errorf("Wholes(1) = %q", got)
	}
}

func TestReplace(t *testing.T) {
	q, err := Parse(`科普大棚车 "科技 志愿" -农村`)
	if err != nil {
		t.Fatal(err)
	}
	r := q.Replace(0, "科普大篷车")
	if r.Raw != `科普大篷车 "科技 志愿" -农村` {
		t.Errorf("Raw = %s", r.Raw)
	}
	again, err := Parse(r.Raw)
	if err != nil || fmt.Sprint(plain(again.Terms), plain(again.Exclude)) != fmt.Sprint(plain(r.Terms), plain(r.Exclude)) {
		t.Errorf("Raw %q parses as %v %v, want %v %v", r.Raw, again.Terms, again.Exclude, r.Terms, r.Exclude)
	}
	if q.Terms[0].Text != "科普大棚车" {
		t.Error("Replace changed the query it was given")
	}
}

func TestParseRefuses(t *testing.T) {
	for in, want := range map[string]error{
		"，。！":   ErrNothingToSearch,
		"\"\"":  ErrNothingToSearch,
		"-科普":   ErrOnlyExclusions,
		"-科 -普": ErrOnlyExclusions,
	} {
		if _, err := Parse(in); !errors.Is(err, want) {
			t.Errorf("Parse(%q) error %v, want %v", in, err, want)
		}
	}
	if q, err := Parse("   "); err != nil || !q.Empty() {
		t.Errorf("blank query: %v %v", q, err)
	}
}
