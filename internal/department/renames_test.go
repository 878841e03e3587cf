package department

import (
	"strings"
	"testing"

	"policysearch/corpus"
)

func TestRenamesCurrent(t *testing.T) {
	rs, err := ParseRenames(corpus.RenamesTSV())
	if err != nil {
		t.Fatal(err)
	}
	for former, want := range map[string]string{
		"市科委":    "市科技局",
		"市卫计委":   "市卫生健康委",
		"市科技局":   "市科技局",
		"市科协":    "市科协",
		"市旅游发展委": "市文化旅游委",
	} {
		if got := rs.Current(former); got != want {
			t.Errorf("Current(%s) = %s, want %s", former, got, want)
		}
	}
	for _, c := range []struct {
		name string
		year int
		want string
	}{{"市科技局", 2017, "市科委"}, {"市科技局", 2018, "市科技局"}, {"市乡村振兴局", 2020, "市扶贫办"}, {"市科协", 2000, "市科协"}} {
		if got := rs.NameIn(c.name, c.year); got != c.want {
			t.Errorf("NameIn(%s, %d) = %s, want %s", c.name, c.year, got, c.want)
		}
	}
	if got := strings.Join(rs.Formers("市文化旅游委"), " "); got != "市文化委 市旅游发展委" {
		t.Errorf("Formers(市文化旅游委) = %s", got)
	}
}

func TestRenamesChainAndErrors(t *testing.T) {
	rs, err := ParseRenames([]byte("甲\t乙\n乙\t丙\t重庆\t2020\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rs.Current("甲"); got != "丙" {
		t.Errorf("Current(甲) = %s, want 丙 (renamed twice)", got)
	}
	for _, bad := range []string{"甲\t甲\n", "甲\n", "甲\t乙\n乙\t甲\n", "甲\t乙\t重庆\t二〇一八\n", "甲\t乙\n甲\t丙\n"} {
		if _, err := ParseRenames([]byte(bad)); err == nil {
			t.Errorf("ParseRenames(%q) gave no error", bad)
		}
	}
}
