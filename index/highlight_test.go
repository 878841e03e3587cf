package index

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHighlight(t *testing.T) {
	opt := Fragments{Before: 4, Length: 12, Max: 2}
	cases := []struct {
		text  string
		terms []string
		want  []string
	}{
		{"开展全国科普日活动", []string{"全国科普日"}, []string{"开展<mark>全国科普日</mark>活动"}},
		{"开展全国科普日活动", []string{"科普", "普日"}, []string{"开展全国<mark>科普日</mark>活动"}},
		{"<b>科普</b>", []string{"科普"}, []string{"&lt;b&gt;<mark>科普</mark>&lt;/b&gt;"}},
		{"STEAM 科创大赛", []string{"steam科创"}, []string{"<mark>STEAM 科创</mark>大赛"}},
		{"ＡＢＣ２０２２年", []string{"abc2022"}, []string{"<mark>ＡＢＣ２０２２</mark>年"}},
		{"一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯", []string{"甲", "卯"}, []string{"…七八九十<mark>甲</mark>乙丙丁戊己庚辛…", "…癸子丑寅<mark>卯</mark>"}},
		{"没有命中的文本", []string{"科普"}, []string{"没有命中的文本"}},
		// Traditional characters are matched as their simplified forms and
		// marked as written, either way round.
		{"推行審批服務", []string{"审批服务"}, []string{"推行<mark>審批服務</mark>"}},
		{"推行审批服务", []string{"審批"}, []string{"推行<mark>审批</mark>服务"}},
		{"（全國）科普日", []string{"(全国)"}, []string{"<mark>（全國）</mark>科普日"}},
	}
	for _, tc := range cases {
		got := Highlight(tc.text, tc.terms, opt)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Highlight(%q, %q) = %q, want %q", tc.text, tc.terms, got, tc.want)
		}
	}
}

// FuzzHighlight: output is valid UTF-8 and every < outside <mark> is escaped.
func FuzzHighlight(f *testing.F) {
	f.Add("开展全国科普日活动<script>", "科普")
	f.Add("ＡＢＣ\xff２０２２年", "abc")
	f.Add("a<mark>b", "<mark>")
	f.Fuzz(func(t *testing.T, text, term string) {
		for _, frag := range Highlight(text, []string{term}, DefaultFragments) {
			if !utf8.ValidString(frag) {
				t.Fatalf("invalid UTF-8: %q", frag)
			}
			rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag)
			if strings.ContainsAny(rest, "<>") {
				t.Fatalf("unescaped markup in %q", frag)
			}
		}
	})
}
