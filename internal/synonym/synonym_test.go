package synonym

import (
	"reflect"
	"strings"
	"testing"

	"policysearch/corpus"
)

func TestEmbeddedTable(t *testing.T) {
	tab, err := Parse(corpus.SynonymsTSV())
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string][]string{
		"科普":     {"科学普及"},
		"科普基地":   {"科学普及基地"},
		"科学普及":   {"科普"},
		"市科协":    {"市科学技术协会"},
		"科学技术协会": {"科协"},
		"双创活动周":  {"大众创业万众创新活动周"},
		"全国科普日":  {"全国科学普及日"},
		"农村电商":   nil,
	} {
		if got := tab.Related(word); !reflect.DeepEqual(got, want) {
			t.Errorf("Related(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"科协\n", "科协\t\n", "a\tb\n\xff\tc\n"} {
		if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("Parse(%q) = %v, want an error with its line", bad, err)
		}
	}
}
