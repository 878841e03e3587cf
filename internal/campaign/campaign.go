// Package campaign finds the named campaigns, days, weeks, competitions, awards,
// programmes and brands that clauses mention (全国科普日, 科技活动周, 英才计划 …),
// by rules on the text: enumerations of names with a campaign's ending, and
// quoted names.
package campaign

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"policysearch/internal/gongwen"
)

// Campaign is a named campaign and the items that mention it.
type Campaign struct {
	Name      string   `json:"name"`
	Items     []int    `json:"items"`
	ClauseIDs []string `json:"clause_ids"`
}

// endings a campaign's name ends with.
var endings = []string{
	"日", "周", "月", "节", "赛", "奖", "行动", "计划", "工程", "活动", "大会", "讲堂", "营",
	"渝州行", "进万家", "校园行", "夏令营", "展",
}

// generic endings that name no campaign on their own (开展…等活动).
var generic = map[string]bool{
	"活动": true, "行动": true, "计划": true, "工程": true, "大赛": true, "竞赛": true,
	"等活动": true, "主题活动": true, "科普活动": true, "专项行动": true,
}

// leads are verbs that open an enumeration: 开展好“三下乡”、… → “三下乡”.
var leads = regexp.MustCompile(`^.*?(开展好|深入开展|积极开展|开展|举办|组织参加|参加|办好|深入实施|实施|打造|推广|落实|创建)`)

var (
	quoted    = regexp.MustCompile(`“([^“”]{2,16})”([^，。；、“”（）《》]{0,12}?(杯|行动|计划|大赛|竞赛|活动|工程|品牌))?`)
	sentences = regexp.MustCompile(`[。；！？]`)
)

// Names lists the campaign names in a text, in order of first mention.
func Names(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] || generic[n] || utf8.RuneCountInString(n) < 3 || utf8.RuneCountInString(n) > 30 {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	for _, s := range sentences.Split(text, -1) {
		for _, m := range quoted.FindAllStringSubmatch(s, -1) {
			if m[2] != "" || hasEnding(m[1]) {
				add(strings.Trim(m[0], "”"))
			}
		}
		parts := strings.Split(s, "、")
		if len(parts) < 2 {
			continue
		}
		for i, p := range parts {
			if i == 0 {
				p = leads.ReplaceAllString(p, "")
				if k := strings.LastIndex(p, "，"); k >= 0 {
					p = p[k+len("，"):]
				}
			}
			if i == len(parts)-1 {
				if k := strings.Index(p, "等"); k > 0 {
					p = p[:k]
				} else {
					continue
				}
			}
			if strings.ContainsAny(p, "，（）“”《》") || !hasEnding(p) {
				continue
			}
			add(p)
		}
	}
	return out
}

func hasEnding(s string) bool {
	for _, e := range endings {
		if strings.HasSuffix(s, e) && s != e {
			return true
		}
	}
	return false
}

// Extract collects the campaigns of every item of the documents, sorted by name.
func Extract(docs []*gongwen.Document) []Campaign {
	byName := map[string]*Campaign{}
	for _, d := range docs {
		for _, c := range d.Clauses {
			if c.Kind != gongwen.KindItem {
				continue
			}
			for _, n := range Names(c.Text) {
				cp := byName[n]
				if cp == nil {
					cp = &Campaign{Name: n}
					byName[n] = cp
				}
				cp.Items = append(cp.Items, c.Number)
				cp.ClauseIDs = append(cp.ClauseIDs, c.ID)
			}
		}
	}
	out := make([]Campaign, 0, len(byName))
	for _, c := range byName {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
