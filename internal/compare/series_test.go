package compare

import (
	"testing"

	"policysearch/internal/gongwen"
)

func TestSeries(t *testing.T) {
	doc := func(id, attachment, region string, year int) *gongwen.Document {
		return &gongwen.Document{ID: id, Title: "关于印发《" + attachment + "》的通知", Attachment: attachment, Region: region, Year: year}
	}
	docs := []*gongwen.Document{
		doc("cq2022", "2022年重庆市全民科学素质行动工作要点", "重庆", 2022),
		doc("cq2019", "2019年重庆市全民科学素质行动工作要点", "重庆", 2019),
		doc("cq2021", "2021年重庆市全民科学素质行动工作要点", "重庆", 2021),
		doc("cq2021b", "2021年重庆市全民科学素质行动工作要点", "重庆", 2021),
		doc("nc2022", "2022年全民科学素质行动工作要点", "南昌", 2022),
		doc("nc2023", "2023年全民科学素质行动工作要点", "南昌", 2023),
		doc("gz2023", "2023年全民科学素质行动工作要点", "广州", 2023),
		doc("plan", "重庆市全民科学素质行动规划纲要实施方案", "重庆", 2021),
	}
	got := Series(docs)
	checkPlaces(t, got, map[string]wantPlace{
		"cq2019":  {"重庆市全民科学素质行动工作要点", "", "cq2021"},
		"cq2021":  {"重庆市全民科学素质行动工作要点", "cq2019", "cq2022"},
		"cq2021b": {"重庆市全民科学素质行动工作要点", "cq2019", "cq2022"},
		"cq2022":  {"重庆市全民科学素质行动工作要点", "cq2021b", ""}, // 2020 missing: the latest earlier one
		"nc2023":  {"全民科学素质行动工作要点", "nc2022", ""},
		"gz2023":  {"全民科学素质行动工作要点", "", ""}, // same title, another city
	})
	if _, ok := got["plan"]; ok {
		t.Error("a plan with no year in its title is placed in a series")
	}
	if n := len(got["cq2019"].Members); n != 4 {
		t.Errorf("the 重庆 series has %d members, want 4", n)
	}
}

// A series named when a document was added (series=) places it whatever its
// title says: in the series of that name of its region, or in a new one.
func TestNamedSeries(t *testing.T) {
	doc := func(id, attachment, series string, year int) *gongwen.Document {
		return &gongwen.Document{ID: id, Title: "关于印发《" + attachment + "》的通知", Attachment: attachment,
			Region: "重庆", Year: year, SeriesName: series}
	}
	docs := []*gongwen.Document{
		doc("cq2021", "2021年重庆市全民科学素质行动工作要点", "", 2021),
		doc("cq2022", "2022年重庆市全民科学素质行动工作要点", "", 2022),
		// Renamed the next year, and named into the series by the admin.
		doc("cq2023", "重庆市科学素质提升工作安排", "重庆市全民科学素质行动工作要点", 2023),
		// Two plans without a year in their titles, named into a series of their own.
		doc("kp2020", "科普专项行动方案", "科普专项", 2020),
		doc("kp2021", "科普专项行动方案（修订）", "科普专项", 2021),
	}
	got := Series(docs)
	checkPlaces(t, got, map[string]wantPlace{
		"cq2022": {"重庆市全民科学素质行动工作要点", "cq2021", "cq2023"},
		"cq2023": {"重庆市全民科学素质行动工作要点", "cq2022", ""},
		"kp2020": {"科普专项", "", "kp2021"},
		"kp2021": {"科普专项", "kp2020", ""},
	})
}

// wantPlace is where a document should be: its series and its neighbours.
type wantPlace struct{ series, prev, next string }

func checkPlaces(t *testing.T, got map[string]Place, want map[string]wantPlace) {
	t.Helper()
	for id, w := range want {
		p := got[id]
		if p.Name != w.series || p.Previous != w.prev || p.Next != w.next {
			t.Errorf("%s: series %q previous %q next %q, want %q %q %q", id, p.Name, p.Previous, p.Next, w.series, w.prev, w.next)
		}
	}
}
