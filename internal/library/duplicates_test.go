package library

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/gongwen"
)

func readDoc(t *testing.T, dir, name string) index.Source {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", dir, name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return index.Source{ID: name, Text: b}
}

func parse(t *testing.T, s index.Source) *gongwen.Document {
	t.Helper()
	d, err := gongwen.Parse(s.ID, s.Text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNumberKey(t *testing.T) {
	same := [][2]string{
		{"陵府辦〔2022〕8號", "陵府办[2022]8号"},
		{"渝纲要办发〔2022〕2号", "渝纲要办发 （2022） 2 号"},
		{"国发〔2022〕第5号", "国发〔2022〕5号"},
		{"ＸＹ发〔2023〕7号", "xy发(2023)7号"},
	}
	for _, p := range same {
		if numberKey(p[0]) != numberKey(p[1]) {
			t.Errorf("%s and %s are one 文号: %q, %q", p[0], p[1], numberKey(p[0]), numberKey(p[1]))
		}
	}
	for _, p := range [][2]string{{"洪府办发〔2023〕12号", "洪府办发〔2024〕12号"}, {"洪府办发〔2023〕12号", "洪府办发〔2023〕1号"}} {
		if numberKey(p[0]) == numberKey(p[1]) {
			t.Errorf("%s and %s are two 文号", p[0], p[1])
		}
	}
}

// The duplicates of a document among a library: by 文号 where both have one,
// else by identical clauses, never across years.
func TestDuplicates(t *testing.T) {
	lib := func(srcs ...index.Source) *index.Corpus {
		c := &index.Corpus{Sources: srcs}
		for _, s := range srcs {
			c.Docs = append(c.Docs, parse(t, s))
		}
		return c
	}
	lishan := readDoc(t, "duplicates", "lishan-2023")
	shequ := readDoc(t, "duplicates", "shequ-2023")
	shequ.BuiltIn = true
	guangling := readDoc(t, "library", "guangling-2022")
	library := lib(lishan, shequ, guangling, readDoc(t, "library", "nanchang-2023"))

	// shequ-2023 with one of its six items rewritten.
	edited := readDoc(t, "duplicates", "shequ-2023")
	edited.ID = "edited"
	edited.Text = []byte(strings.Replace(string(edited.Text), "培训社区科普志愿者三百人次。", "每个教学点配备专职管理员一名，建立学员档案。", 1))
	// guangling-2022 in simplified characters, its 文号 with other brackets.
	simplified := readDoc(t, "library", "guangling-2022")
	simplified.ID = "simplified"
	simplified.Text = []byte(strings.NewReplacer("陵府辦〔2022〕8號", "陵府办[2022]8号", "廣陵", "广陵", "辦", "办").Replace(string(simplified.Text)))

	cases := []struct {
		doc  index.Source
		want string // id:built-in:why, or "" for none
	}{
		{readDoc(t, "duplicates", "lishan-2023-web"), "lishan-2023:false:the same 文号 鞍立政发〔2023〕2号"},
		{readDoc(t, "duplicates", "lishan-2024"), ""}, // the next year's of the series
		{readDoc(t, "duplicates", "shequ-2023-web"), "shequ-2023:true:100% of the text in identical clauses"},
		{readDoc(t, "duplicates", "shequ-2024"), ""}, // the same items, another year
		{edited, ""},
		{simplified, "guangling-2022:false:the same 文号 陵府辦〔2022〕8號"},
		{readDoc(t, "library", "nanchang-2024"), ""},
	}
	for _, tc := range cases {
		var got []string
		for _, d := range Duplicates(parse(t, tc.doc), library) {
			got = append(got, d.ID+":"+map[bool]string{true: "true", false: "false"}[d.BuiltIn]+":"+d.Why)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s duplicates %q, want %q", tc.doc.ID, got, tc.want)
		}
	}
}

func TestSameClauses(t *testing.T) {
	a := map[string]int{"甲乙丙丁": 2, "戊己": 1}
	cases := []struct {
		b    map[string]int
		want float64
	}{
		{map[string]int{"甲乙丙丁": 2, "戊己": 1}, 1},
		{map[string]int{"甲乙丙丁": 1, "戊己": 1}, 0.6}, // 6 of the longer one's 10
		{map[string]int{"甲乙丙丁": 2, "戊己": 1, "庚辛壬癸甲乙丙丁戊己": 1}, 0.5},
		{map[string]int{}, 0},
	}
	for _, tc := range cases {
		if got := sameClauses(a, tc.b); got != tc.want {
			t.Errorf("sameClauses(%v, %v) = %v, want %v", a, tc.b, got, tc.want)
		}
	}
}
