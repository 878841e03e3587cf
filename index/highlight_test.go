package index

import (
	"html"
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

// writeEscaped escapes as html.EscapeString does: every ASCII byte, alone and
// among Chinese.
func TestWriteEscapedAsHTML(t *testing.T) {
	var texts []string
	for c := 0; c < 0x80; c++ {
		texts = append(texts, string(rune(c)), "科"+string(rune(c))+"普"+string(rune(c)))
	}
	texts = append(texts, "", `<a href="x">'全国'&amp;</a>`, "\xff<")
	for _, s := range texts {
		var b strings.Builder
		newShownText(s).writeEscaped(&b, s)
		if want := html.EscapeString(s); b.String() != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, b.String(), want)
		}
	}
}

// A slot of the shown texts answers only for the text it was made from:
// another clause in the same slot, or the same ordinal with another text
// (another index), is folded anew.
func TestShownTextsAnswerForTheirText(t *testing.T) {
	var c shownTexts
	opt := Fragments{Before: 4, Length: 12, Max: 2}
	texts := []struct {
		ord  int32
		text string
	}{{1, "开展全国科普日活动"}, {1 + shownSlots, "（全國）科普日"}, {1, "推行審批服務"}, {1, "开展全国科普日活动"}}
	for i, tc := range texts {
		for round := 0; round < 2; round++ {
			st := c.get(tc.ord, tc.text)
			if st.src != tc.text {
				t.Fatalf("case %d: slot answered for %q, asked %q", i, st.src, tc.text)
			}
			got := strings.Join(st.highlight([]string{"科普", "审批"}, opt), "|")
			if want := strings.Join(Highlight(tc.text, []string{"科普", "审批"}, opt), "|"); got != want {
				t.Errorf("case %d round %d: %q, want %q", i, round, got, want)
			}
		}
	}
	if a, b := c.get(7, "科普"), c.get(7, "科普"); a != b {
		t.Errorf("the same clause asked again was folded again")
	}
}
