package script

import "testing"

func TestSimplified(t *testing.T) {
	for in, want := range map[string]string{
		"全國科普日":       "全国科普日",
		"審批":          "审批",
		"寶雞市":         "宝鸡市",
		"科普大篷車":       "科普大篷车",
		"責任單位:市發展改革委": "责任单位:市发展改革委",
		"already 简体":  "already 简体",
	} {
		if got := Simplified(in); got != want {
			t.Errorf("Simplified(%q) = %q, want %q", in, got, want)
		}
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRuneKeepsOthers(t *testing.T) {
	for _, r := range []rune{'a', '1', '，', '（', '国'} {
		if got := Rune(r); got != r {
			t.Errorf("Rune(%q) = %q", r, got)
		}
	}
	if got := Rune('條'); got != '条' {
		t.Errorf("Rune(條) = %q, want 条", got)
	}
}

func BenchmarkRune(b *testing.B) {
	text := []rune("深入實施基層科普行動計劃，開展全國科普示範區（縣）創建活動。ＡＢＣ２０２２年")
	for _, r := range text {
		Rune(r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range text {
			Rune(r)
		}
	}
}
