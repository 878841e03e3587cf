package compare

import (
	"regexp"
	"sort"
	"strings"

	"policysearch/internal/gongwen"
)

// Place is where a document stands in its yearly series.
type Place struct {
	Name     string `json:"name"`               // the plan's title without its year
	Previous string `json:"previous,omitempty"` // the latest earlier year's document
	Next     string `json:"next,omitempty"`     // the earliest later year's document
	// Members are the series' documents, oldest first.
	Members []Member `json:"members"`
}

// Member is one year of a series.
type Member struct {
	ID   string `json:"id"`
	Year int    `json:"year"`
}

// yearInTitleRe is the year a yearly plan's title carries: 2022年, 2022 年度.
var yearInTitleRe = regexp.MustCompile(`\d{4}\s*年度?`)

// SeriesName is the series a document belongs to: its plan's title without
// the year (2022年重庆市全民科学素质行动工作要点 → 重庆市全民科学素质行动工作要点),
// matched on the plan's title rather than the notice's, because the plan's
// survives a renamed issuer or a 代章 signature. A title with no year, or a
// document with no year, is no yearly series: "". A series an admin named when
// adding the document (SeriesName) is its series, whatever its title says.
func SeriesName(d *gongwen.Document) string {
	if d.SeriesName != "" {
		return d.SeriesName
	}
	plan := gongwen.PlanName(d)
	if d.Year == 0 || !yearInTitleRe.MatchString(plan) {
		return ""
	}
	return strings.TrimSpace(yearInTitleRe.ReplaceAllString(plan, ""))
}

// seriesKey tells apart two offices that title their plans alike: the series
// of 南昌 and that of 重庆 are not one, even when neither title names the city.
func seriesKey(d *gongwen.Document) string {
	name := SeriesName(d)
	if name == "" {
		return ""
	}
	return d.Region + "\x00" + name
}

// Series places every document of a yearly series: the documents of the same
// region whose plan titles differ only in the year. Documents of no series are
// left out.
func Series(docs []*gongwen.Document) map[string]Place {
	groups := map[string][]*gongwen.Document{}
	for _, d := range docs {
		if k := seriesKey(d); k != "" {
			groups[k] = append(groups[k], d)
		}
	}
	out := map[string]Place{}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool {
			if g[i].Year != g[j].Year {
				return g[i].Year < g[j].Year
			}
			return g[i].ID < g[j].ID
		})
		members := make([]Member, len(g))
		for i, d := range g {
			members[i] = Member{ID: d.ID, Year: d.Year}
		}
		for i, d := range g {
			p := Place{Name: SeriesName(d), Members: members}
			// The previous year is the latest earlier one present: a missing year
			// is skipped, and a second document of the same year is no predecessor.
			for k := i - 1; k >= 0; k-- {
				if g[k].Year < d.Year {
					p.Previous = g[k].ID
					break
				}
			}
			for k := i + 1; k < len(g); k++ {
				if g[k].Year > d.Year {
					p.Next = g[k].ID
					break
				}
			}
			out[d.ID] = p
		}
	}
	return out
}
