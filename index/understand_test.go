package index_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/synonym"
)

// experimentsDoc holds 实验 and 试验 (both read shiyan) in different items, and
// a word of Latin letters.
const experimentsDoc = `某市人民政府办公室关于印发《2023年某市科普工作要点》的通知
某府办〔2023〕1号
各区人民政府：
现将《2023年某市科普工作要点》印发给你们，请认真贯彻执行。
某市人民政府办公室
2023年3月1日
2023年某市科普工作要点
一、加强科学教育
1.开展中小学科学实验活动。（市教育局负责）
2.推进新技术应用试验示范。（市科技局负责）
3.推广政务服务App。（市大数据局负责）
`

// A corpus folder with its own synonyms.tsv: the table replaces the embedded
// one and is no document.
func experimentsIndex(t *testing.T) *index.Index {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "experiments-2023.txt"), []byte(experimentsDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, synonym.FileName), []byte("# the folder's own table\n实验\t试验\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	syn, err := synonym.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := syn.Related("科普"); got != nil {
		t.Errorf("the embedded table is still read: 科普 → %q", got)
	}
	ix, _, _, err := library.Open(dir, t.TempDir(), index.Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if n := len(ix.Documents()); n != 1 {
		t.Fatalf("%d documents, want 1: synonyms.tsv is a table, not a document", n)
	}
	return ix
}

func search(t *testing.T, ix *index.Index, q string, explain bool) *index.Result {
	t.Helper()
	pq, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), index.Request{Query: pq, Size: 10, Explain: explain})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestAmbiguousPinyinFindsEveryWord(t *testing.T) {
	ix := experimentsIndex(t)
	res := search(t, ix, "shiyan", true)
	if res.Interpreted == nil || res.Interpreted.Query != "实验/试验" {
		t.Fatalf("interpreted %+v, want 实验/试验", res.Interpreted)
	}
	// Each hit's explanation names the word it holds, and what was searched.
	terms := map[string]string{}
	for _, h := range res.Hits {
		if h.Explain == nil || h.Explain.Interpreted == nil || h.Explain.Interpreted.Query != "实验/试验" {
			t.Fatalf("hit %s: explanation %+v", h.ID, h.Explain)
		}
		terms[h.ID] = h.Explain.Terms[0].Term
	}
	want := map[string]string{"experiments-2023:1": "实验", "experiments-2023:2": "试验"}
	if !reflect.DeepEqual(terms, want) {
		t.Errorf("hits and the words they hold: %v, want %v", terms, want)
	}
	for _, h := range res.Hits {
		if !strings.Contains(strings.Join(h.Highlights, ""), "<mark>"+want[h.ID]+"</mark>") {
			t.Errorf("hit %s highlights %q", h.ID, h.Highlights)
		}
	}
}

func TestLatinTextIsNotPinyin(t *testing.T) {
	ix := experimentsIndex(t)
	for _, q := range []string{"App", "app", "APP"} {
		res := search(t, ix, q, false)
		if res.Total != 1 || res.Hits[0].ID != "experiments-2023:3" || res.Interpreted != nil {
			t.Errorf("%s: total %d, interpreted %+v; want item 3 as text", q, res.Total, res.Interpreted)
		}
	}
}

func TestRelatedFromTheCorpusFolderTable(t *testing.T) {
	ix := experimentsIndex(t)
	res := search(t, ix, "实验", false)
	if res.Total != 1 || res.Hits[0].ID != "experiments-2023:1" {
		t.Fatalf("实验: total %d; the related search must not change the hits", res.Total)
	}
	if len(res.Related) != 1 || res.Related[0].Query != "试验" || res.Related[0].Total != 1 ||
		res.Related[0].Hits[0].ID != "experiments-2023:2" {
		t.Errorf("related %+v, want 试验 with item 2", res.Related)
	}
}

// Initials typed for a name complete it in the suggestions.
func TestSuggestInitials(t *testing.T) {
	for prefix, want := range map[string]string{
		"qgkpr": "全国科普日",
		"kpdpc": "科普大篷车渝州行",
		"KPDPC": "科普大篷车渝州行",
		"sjjxx": "市经济信息委",
	} {
		var got []string
		for _, s := range testIndex.Suggest(prefix, 10) {
			got = append(got, s.Text)
		}
		if len(got) == 0 || got[0] != want {
			t.Errorf("Suggest(%q) = %q, want %s first", prefix, got, want)
		}
	}
	// Text first: letters in the text complete as text.
	if got := testIndex.Suggest("STE", 10); len(got) == 0 || !strings.Contains(got[0].Text, "STEAM") {
		t.Errorf("Suggest(STE) = %v", got)
	}
	for _, prefix := range []string{"xqzv", "k'", "科普kp", "１２"} {
		for _, s := range testIndex.Suggest(prefix, 10) {
			if strings.ContainsAny(s.Text, "xqzv") {
				t.Errorf("Suggest(%q) = %v", prefix, s)
			}
		}
	}
}
