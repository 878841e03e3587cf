package index_test

import "testing"

// Suggestions are meant for every keystroke: go test -bench Suggest ./index
// reports the time per call (well under a millisecond on the notice).
func BenchmarkSuggest(b *testing.B) {
	for _, q := range []string{"科", "科普", "市委", "全国科", "steam"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				testIndex.Suggest(q, 10)
			}
		})
	}
}

func TestSuggestOrder(t *testing.T) {
	got := testIndex.Suggest("市科", 10)
	if len(got) == 0 || got[0].Text != "市科协" && got[0].Text != "市科技局" {
		t.Fatalf("市科: %+v", got)
	}
	if len(testIndex.Suggest("，", 10)) != 0 || len(testIndex.Suggest("", 10)) != 0 {
		t.Fatal("punctuation or nothing got suggestions")
	}
}
