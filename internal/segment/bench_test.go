package segment

// Benchmarks of segmentation: jieba's search-mode cut with folding (Tokens), the
// query-side cut (Words) and the width folding the character analyzers use, in
// MB/s of text. Figures only; see docs/PERFORMANCE.md.

import (
	"os"
	"path/filepath"
	"testing"
)

// noticeText is the embedded notice, read from the corpus folder: this package
// may not import the corpus package's embedding for its tests' sake alone.
func noticeText(b *testing.B) string {
	b.Helper()
	text, err := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		b.Fatal(err)
	}
	return string(text)
}

func BenchmarkTokens(b *testing.B) {
	s, err := Shared("")
	if err != nil {
		b.Fatal(err)
	}
	text := noticeText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Tokens(text)
	}
}

// BenchmarkWords cuts typical query words, as every search does.
func BenchmarkWords(b *testing.B) {
	s, err := Shared("")
	if err != nil {
		b.Fatal(err)
	}
	words := []string{"全国科普日", "科普大篷车", "老年人", "科技人文交流", "碳达峰碳中和", "STEAM 科创大赛"}
	n := 0
	for _, w := range words {
		n += len(w)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, w := range words {
			s.Words(w)
		}
	}
}

func BenchmarkFoldWithOffsets(b *testing.B) {
	text := noticeText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		FoldWithOffsets(text)
	}
}
