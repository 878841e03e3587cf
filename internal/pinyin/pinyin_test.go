package pinyin

import (
	"reflect"
	"testing"
)

var words = []string{"全国科普日", "科普", "全国", "重庆", "农村", "实验", "试验", "科普大篷车", "绿色", "市科协", "STEAM", "银行"}

func TestLookup(t *testing.T) {
	ix := Build(words)
	for q, want := range map[string][][]string{
		"quanguokepuri":     {{"全国科普日"}},
		"quan guo ke pu ri": {{"全国科普日"}},
		"kēpǔ":              {{"科普"}},
		"ke1pu3":            {{"科普"}},
		"chongqing":         {{"重庆"}},
		"zhongqing":         {{"重庆"}},
		"nongcunkepu":       {{"农村"}, {"科普"}},
		"shiyan":            {{"实验", "试验"}},
		"lvse":              {{"绿色"}},
		"lǜsè":              {{"绿色"}},
		"yinhang":           {{"银行"}},
		"kepudapengche":     {{"科普大篷车"}},
	} {
		var got [][]string
		for _, s := range ix.Lookup(q) {
			got = append(got, s.Words)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Lookup(%q) = %q, want %q", q, got, want)
		}
	}
	// Letters that are no run of corpus words find nothing rather than
	// something wrong; text that is not pinyin is not read as pinyin.
	for _, q := range []string{"steam", "xyzzy", "kepux", "科普", "ke pu!", ""} {
		if got := ix.Lookup(q); got != nil {
			t.Errorf("Lookup(%q) = %v, want nothing", q, got)
		}
	}
}

func TestInitials(t *testing.T) {
	ix := Build(words)
	if got := ix.Initials("kpdpc", 5); !reflect.DeepEqual(got, []string{"科普大篷车"}) {
		t.Errorf("kpdpc: %q", got)
	}
	if got := ix.Initials("qgkpr", 5); !reflect.DeepEqual(got, []string{"全国科普日"}) {
		t.Errorf("qgkpr: %q", got)
	}
	if got := ix.Initials("kp", 5); !reflect.DeepEqual(got, []string{"科普", "科普大篷车"}) {
		t.Errorf("kp: %q", got)
	}
	if got := ix.Initials("cq", 5); !reflect.DeepEqual(got, []string{"重庆"}) {
		t.Errorf("cq (a polyphonic 重): %q", got)
	}
}

func TestOf(t *testing.T) {
	if Of("科普大棚车") != Of("科普大篷车") || Of("科普大篷车") != "kepudapengche" {
		t.Errorf("homophones: %q %q", Of("科普大棚车"), Of("科普大篷车"))
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"Kē Pǔ": "kepu", "xi'an": "xian", "lǜ": "lu"} {
		if got, ok := Normalize(in); !ok || got != want {
			t.Errorf("Normalize(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := Normalize("科普"); ok {
		t.Error("Chinese read as pinyin")
	}
}

func TestSoundsLike(t *testing.T) {
	ix := Build(words)
	if got := ix.SoundsLike("科普大棚车", 3); !reflect.DeepEqual(got, []string{"科普大篷车"}) {
		t.Errorf("科普大棚车: %q", got)
	}
	if got := ix.SoundsLike("科普大篷车", 3); got != nil {
		t.Errorf("a word sounds like itself only: %q", got)
	}
	if got := ix.SoundsLike("宇宙飞船", 3); got != nil {
		t.Errorf("no corpus word reads so: %q", got)
	}
}
