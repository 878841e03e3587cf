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
		if got := fmt.Sprintf("%v %v", q.Terms, q.Exclude); got != want {
			t.Errorf("Parse(%q) = %v %v, want %s", in, q.Terms, q.Exclude, want)
		}
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
