package segment

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func instance(t *testing.T) *Segmenter {
	t.Helper()
	s, err := Shared("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func cut(s *Segmenter, text string) string {
	var ts []string
	for _, t := range s.Tokens(text) {
		ts = append(ts, t.Term)
	}
	return strings.Join(ts, "/")
}

// Expected cuts are written as jieba's own tests write them: words joined by /.
func TestTokens(t *testing.T) {
	s := instance(t)
	if err := s.AddWords([]string{"科普大篷车渝州行", "全国科普日"}); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"全国科普日": "全国/科普/全国科普日",
		"防灾减灾":  "防灾/减灾",
		"流动科技馆、科普大篷车渝州行等活动": "流动/科技/科技馆/科普/篷车/渝州/大篷车/科普大篷车渝州行/等/活动",
		"ＡＢＣ２０２２年":          "abc2022/年",
		"STEAM 科创":          "steam/科创",
		"，。 、":              "",
	} {
		if got := cut(s, in); got != want {
			t.Errorf("Tokens(%q) = %s, want %s", in, got, want)
		}
	}
}

// Terms are Tokens' terms: every rune folds to a valid one, so every byte of
// the folded text has offsets.
func TestTermsAreTokens(t *testing.T) {
	s := instance(t)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0x10000 && r%64 != 0 {
			continue // beyond the Basic Multilingual Plane, a sample
		}
		if f := Fold(r); utf8.ValidRune(r) && !utf8.ValidRune(f) {
			t.Fatalf("Fold(%U) = %U", r, f)
		}
	}
	for _, text := range []string{"全国科普日", "流动科技馆、科普大篷车渝州行等活动", "ＡＢＣ２０２２年", "科普\xff日\x00全国", "（全國科普日）𠀀 STEAM", ""} {
		if got, want := strings.Join(s.Terms(text), "/"), cut(s, text); got != want {
			t.Errorf("Terms(%q) = %s, Tokens' %s", text, got, want)
		}
	}
}

// Offsets point into the original text, full-width forms included.
func TestTokenOffsets(t *testing.T) {
	s := instance(t)
	text := "（ＡＢＣ２０２２年）科普"
	for _, tok := range s.Tokens(text) {
		if FoldString(text[tok.Start:tok.End]) != tok.Term {
			t.Errorf("token %q at %d:%d covers %q", tok.Term, tok.Start, tok.End, text[tok.Start:tok.End])
		}
	}
	if got := s.Tokens("科普\xff日\x00全国"); len(got) == 0 {
		t.Error("invalid UTF-8 or NUL made the text vanish")
	}
}

func TestWords(t *testing.T) {
	s := instance(t)
	for in, want := range map[string]string{
		"全国科普日":    "全国/科普/日",
		"工作者":      "工作/作者",
		"科普基地":     "科普/基地",
		"老年人 智能设备": "老年/人/智能/设备",
	} {
		if got := strings.Join(s.Words(in), "/"); got != want {
			t.Errorf("Words(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAddWordsRefusesMalformed(t *testing.T) {
	s := instance(t)
	for _, w := range []string{"", "两 个", "换\n行", "\xff"} {
		if err := s.AddWords([]string{"好词", w}); err == nil {
			t.Errorf("AddWords accepted %q", w)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"ＡＢＣ２０２２": "abc2022", "STEAM": "steam", "（）": "()", "科普": "科普"} {
		if got := FoldString(in); got != want {
			t.Errorf("FoldString(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Compact(" Ｓ T\u3000E 科\n普 "); got != "ste科普" {
		t.Errorf("Compact = %q", got)
	}
}

// Traditional text is cut as its simplified form is, with offsets into the text
// as written.
func TestTokensTraditional(t *testing.T) {
	s := instance(t)
	if err := s.AddWords([]string{"全国科普日", "審批服務"}); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"開展全國科普日活動": "开展/全国/科普/全国科普日/活动",
		"優化審批服務":    "优化/审批/服务/审批服务",
		"优化审批服务":    "优化/审批/服务/审批服务",
	} {
		if got := cut(s, in); got != want {
			t.Errorf("Tokens(%q) = %s, want %s", in, got, want)
		}
	}
	text := "（全國）科普日"
	var spans []string
	for _, tok := range s.Tokens(text) {
		spans = append(spans, text[tok.Start:tok.End])
		if FoldString(text[tok.Start:tok.End]) != tok.Term {
			t.Errorf("token %q at %d:%d covers %q", tok.Term, tok.Start, tok.End, text[tok.Start:tok.End])
		}
	}
	if got := strings.Join(spans, "/"); got != "全國/科普/日" {
		t.Errorf("spans %s", got)
	}
}

func TestFoldTraditional(t *testing.T) {
	for in, want := range map[string]string{
		"ＡＢＣ２０２２": "abc2022",
		"審批":      "审批",
		"全國科普日":   "全国科普日",
		"（縣）":     "(县)",
		"STEAM教育": "steam教育",
	} {
		if got := FoldString(in); got != want {
			t.Errorf("FoldString(%q) = %q, want %q", in, got, want)
		}
		if got := Compact(in); got != want {
			t.Errorf("Compact(%q) = %q, want %q", in, got, want)
		}
	}
}

// Pieces are the whole text, punctuation included, cut without overlaps. The
// texts hold no word other tests add to the shared instance.
func TestPieces(t *testing.T) {
	s := instance(t)
	for in, want := range map[string]string{
		"组织开展科技活动周。":        "组织/开展/科技/活动/周/。",
		"ＡＢＣ２０２２年，推进":       "ＡＢＣ２０２２/年/，/推进",
		"（市科协、市科技局按职责分工负责）": "（/市/科协/、/市/科技局/按/职责/分工负责/）",
		"": "",
	} {
		var got []string
		var joined strings.Builder
		for _, p := range s.Pieces(in) {
			got = append(got, p.Text)
			joined.WriteString(p.Text)
		}
		if joined.String() != in {
			t.Errorf("Pieces(%q) joined = %q, want the text", in, joined.String())
		}
		if g := strings.Join(got, "/"); g != want {
			t.Errorf("Pieces(%q) = %s, want %s", in, g, want)
		}
	}
}

// The dictionaries' directory is named by their content: a changed dictionary
// needs its sum written anew, or servers would load a stale copy.
func TestDictsSum(t *testing.T) {
	sum := sha256.New()
	sum.Write(mainDict)
	sum.Write(hmmModel)
	if got := hex.EncodeToString(sum.Sum(nil)); got != dictsSum {
		t.Fatalf("dictsSum is %s; the dictionaries' SHA-256 is %s", dictsSum, got)
	}
}

// dropped answers above U+3000 without unicode.IsSpace: it must agree with it
// everywhere.
func TestDroppedAsIsSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.IsSpace(r) || r == unicode.ReplacementChar || r == 0
		if dropped(r) != want {
			t.Fatalf("dropped(%U) = %v, want %v", r, !want, want)
		}
	}
}

// A text of one character is not cut by jieba: it must come out as jieba
// cuts it, for every character of the notice, ASCII, and punctuation.
func TestOneCharacterAsJieba(t *testing.T) {
	s := instance(t)
	chars := map[rune]bool{}
	for r := rune(0); r < 0x80; r++ {
		chars[r] = true
	}
	for _, r := range "科普日全國ＡＢ２，。、；（）《》“”…—·①\u3000\uFFFD" {
		chars[r] = true
	}
	text, err := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range string(text) {
		chars[r] = true
	}
	for r := range chars {
		folded, _, _ := foldForCut(string(r), false)
		got, want := s.searchWords(folded), s.jiebaWords(folded)
		if len(got) != len(want) || (len(got) == 1 && got[0] != want[0]) {
			t.Errorf("%q: %+v, jieba %+v", r, got, want)
		}
	}
	if len(chars) < 500 {
		t.Fatalf("only %d characters checked", len(chars))
	}
}

// lower skips the case tables only where no character has a case: it must
// agree with strings.ToLower on every character, alone and among others.
func TestLowerAsToLower(t *testing.T) {
	for r := rune(1); r < 0x30000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		for _, w := range []string{string(r), "科普" + string(r), string(r) + "a日"} {
			if got, want := lower(w), strings.ToLower(w); got != want {
				t.Fatalf("lower(%q) = %q, strings.ToLower gives %q", w, got, want)
			}
		}
	}
}
