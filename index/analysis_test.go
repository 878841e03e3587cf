package index

import (
	"fmt"
	"strings"
	"testing"
)

// The pair and single-character analyzers fold width, case and traditional
// characters, and keep the byte offsets of the text as written.
func TestGramTokenizer(t *testing.T) {
	cases := []struct {
		n    int
		text string
		want string // term start end position, |-separated
	}{
		{2, "審批服務", "审批 0 6 1|批服 3 9 2|服务 6 12 3"},
		{2, "审批服务", "审批 0 6 1|批服 3 9 2|服务 6 12 3"},
		{2, "（縣）ＡＢ", "(县 0 6 1|县) 3 9 2|)a 6 12 3|ab 9 15 4"},
		{2, "全國\n科普", "全国 0 6 1|科普 7 13 3"},
		{1, "條例 A", "条 0 3 1|例 3 6 2|a 7 8 3"},
	}
	for _, tc := range cases {
		var got []string
		for _, tok := range (gramTokenizer{n: tc.n}).Tokenize([]byte(tc.text)) {
			got = append(got, fmt.Sprintf("%s %d %d %d", tok.Term, tok.Start, tok.End, tok.Position))
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%d-grams of %q:\n got %s\nwant %s", tc.n, tc.text, strings.Join(got, "|"), tc.want)
		}
	}
	if fmt.Sprint(grams("審批 服務", 2)) != "[审批 批服 服务]" || fmt.Sprint(grams("條", 1)) != "[条]" {
		t.Errorf("query grams: %v %v", grams("審批 服務", 2), grams("條", 1))
	}
}
