// Package campaign finds the named campaigns, days, weeks, months, competitions,
// awards, programmes, events and brands that clauses mention (全国科普日,
// 科技活动周, 英才计划 …), by rules on how official documents name them:
// enumerations of names with a campaign's ending, quoted names, and the
// programmes a clause sets out to carry out (实施…行动).
package campaign

import (
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"policysearch/internal/gongwen"
)

// Campaign is a named campaign and the items that mention it.
type Campaign struct {
	Name      string   `json:"name"`
	Items     []int    `json:"items"`
	ClauseIDs []string `json:"clause_ids"`
}

// endings are how the names of campaigns end: days, weeks, months, festivals,
// competitions, awards, programmes, tours and events.
var endings = []string{
	"日", "周", "月", "节", "赛", "奖", "杯", "行动", "计划", "工程", "运动", "进万家", "行",
	"讲堂", "风采展", "大会", "夏令营",
}

var (
	quotedRe = regexp.MustCompile(`“([^“”]{2,20})”`)
	// “巴渝工匠”杯职业技能大赛, “智慧蓝领”行动: a quoted name with what it is.
	quotedKindRe = regexp.MustCompile(`“([^“”]{2,20})”([^，。；、“”（）《》等]{0,14}?(?:大赛|竞赛|行动|计划|工程|活动))`)
	// A run of two or more quoted names closed by 等: “最美职工”“最美青工”等活动.
	quotedRunRe = regexp.MustCompile(`(?:“[^“”]{2,20}”、?){2,}等`)
	// The programmes a clause carries out: 实施智慧助老行动, 办好中国创新方法大赛.
	programmeRe = regexp.MustCompile(`(?:深入实施|实施|深入开展|开展|办好|举办)([^，。；、“”《》（）等的]{2,24}?(?:行动计划|行动|计划|工程|大赛|竞赛|夏令营)(?:\d+(?:\.\d+)?)?)(?:[，。；、等（]|$)`)
	// 开展院士专家科普校园行活动: a tour named for where it goes.
	tourRe = regexp.MustCompile(`开展([^，。；、“”《》（）等的]{2,16}行)活动`)
	// 开展开学第一课等活动, 发挥好重庆英才大会等市内重大活动: one name before 等…活动.
	singleRe = regexp.MustCompile(`(?:开展|举办|办好|发挥好)([^，。；、“”《》（）等的]{3,12})等[^，。；、]{0,8}活动`)
	// 把智博会打造成…: a brand.
	brandRe = regexp.MustCompile(`把([^，。；、“”《》（）]{2,10})打造成`)
	// Verbs that open an enumeration: 开展好“三下乡”、… → “三下乡”.
	leadRe  = regexp.MustCompile(`^.*?(?:开展好|深入开展|积极开展|组织参加|开展|举办|参加|办好|深入实施|实施|打造|争做)`)
	parenRe = regexp.MustCompile(`[（(]([^（）()]{2,20})[）)]`)
)

// Names lists the campaign names a text mentions, in order of first mention.
func Names(text string) []string {
	var found []string
	add := func(n string) {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) >= 3 && utf8.RuneCountInString(n) <= 40 {
			found = append(found, n)
		}
	}
	for _, s := range strings.FieldsFunc(text, isSentenceEnd) {
		if strings.Contains(s, "“") {
			for _, m := range quotedRe.FindAllStringSubmatch(s, -1) {
				if hasEnding(m[1]) {
					add(m[1])
				}
			}
			for _, m := range quotedKindRe.FindAllStringSubmatch(s, -1) {
				// 科普活动 after a quoted theme names no campaign of its own.
				if hasEnding(m[1]) || (strings.HasSuffix(m[2], "活动") && utf8.RuneCountInString(m[2]) <= 4) {
					continue
				}
				add(m[0])
			}
			for _, run := range quotedRunRe.FindAllString(s, -1) {
				for _, m := range quotedRe.FindAllStringSubmatch(run, -1) {
					add(m[1])
				}
			}
		}
		for _, r := range verbRules {
			at := r.from(s)
			if at < 0 {
				continue
			}
			for _, m := range r.re.FindAllStringSubmatch(s[at:], -1) {
				add(m[1])
			}
		}
		if strings.Contains(s, "、") {
			enumeration(s, add)
		}
	}
	return dedupe(found)
}

// isSentenceEnd is where a sentence ends: a clause's rules never span two.
func isSentenceEnd(r rune) bool {
	return r == '。' || r == '；' || r == '！' || r == '？'
}

// verbRule is a rule that reads a name after a verb, with the words every
// match starts with and contains: the regular expressions have no literal
// prefix to skip ahead by, and trying them at every character of every
// sentence was most of the cost of extracting a large library's campaigns.
type verbRule struct {
	re     *regexp.Regexp
	starts []string // a match starts with one of these
	all    []string // every one is in a match
	ends   []string // at least one is in a match, when any are given
}

// from is where in s the rule's first match can start, or -1 when it has
// none: no match starts before the first of its verbs, so the expression
// is tried from there on and finds the same matches.
func (r verbRule) from(s string) int {
	for _, w := range r.all {
		if !strings.Contains(s, w) {
			return -1
		}
	}
	if len(r.ends) > 0 && firstIndex(s, r.ends) < 0 {
		return -1
	}
	return firstIndex(s, r.starts)
}

// firstIndex is where in s the first of words occurs, or -1 when none does.
func firstIndex(s string, words []string) int {
	at := -1
	for _, w := range words {
		if i := strings.Index(s, w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	return at
}

var verbRules = []verbRule{
	{re: programmeRe, starts: []string{"深入实施", "实施", "深入开展", "开展", "办好", "举办"},
		ends: []string{"行动", "计划", "工程", "大赛", "竞赛", "夏令营"}},
	{re: tourRe, starts: []string{"开展"}, all: []string{"活动"}},
	{re: singleRe, starts: []string{"开展", "举办", "办好", "发挥好"}, all: []string{"等", "活动"}},
	{re: brandRe, starts: []string{"把"}, all: []string{"打造成"}},
}

// leadWords are the verbs leadRe ends with.
var leadWords = []string{"开展好", "深入开展", "积极开展", "组织参加", "开展", "举办", "参加", "办好", "深入实施", "实施", "打造", "争做"}

// dropLead removes what leadRe matches: the text up to the first verb, when
// no line break comes before it (. stops at one). The expression runs from
// that verb on, not from every character before it.
func dropLead(p string) string {
	at := firstIndex(p, leadWords)
	if at < 0 || strings.Contains(p[:at], "\n") {
		return p
	}
	return leadRe.ReplaceAllString(p[at:], "")
}

// enumeration reads names listed with 、 and closed by 等: the segments that end
// like a campaign's name.
func enumeration(s string, add func(string)) {
	parts := splitTopLevel(s, '、')
	if len(parts) < 2 {
		return
	}
	for i, p := range parts {
		if i == 0 {
			if k := strings.LastIndex(p, "，"); k >= 0 {
				p = p[k+len("，"):]
			}
			p = dropLead(p)
		}
		if k := strings.Index(p, "等"); k > 0 {
			p = p[:k]
		} else if i == len(parts)-1 && !hasEnding(p) {
			continue
		}
		for _, m := range parenRe.FindAllStringSubmatch(p, -1) {
			if hasEnding(m[1]) {
				add(m[1])
			}
		}
		switch {
		case strings.HasPrefix(p, "“") && strings.HasSuffix(p, "”") && strings.Count(p, "“") == 1:
			add(strings.Trim(p, "“”")) // a quoted name standing alone: “三下乡”
		case strings.HasSuffix(p, "”") && strings.Count(p, "“") == 1:
			add(p[strings.LastIndex(p, "“")+len("“") : len(p)-len("”")]) // 争做“职业健康达人”
		case strings.ContainsAny(p, "，（）《》的") || strings.HasPrefix(p, "“"):
		case hasEnding(p) && utf8.RuneCountInString(p) >= 4:
			add(p)
		}
	}
}

func hasEnding(s string) bool {
	for _, e := range endings {
		if strings.HasSuffix(s, e) && s != e {
			return true
		}
	}
	return false
}

// dedupe keeps the first mention of each name and drops a name that another ends
// with (“互联网”大学生创新创业大赛 inside 中国国际“互联网”大学生创新创业大赛).
func dedupe(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		inside := false
		for _, m := range names {
			if m != n && strings.HasSuffix(m, n) && strings.HasPrefix(n, "“") {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, n)
		}
	}
	return out
}

// splitTopLevel splits s at sep outside brackets.
func splitTopLevel(s string, sep rune) []string {
	var parts []string
	depth := 0
	start := 0
	for i, r := range s {
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			if depth > 0 {
				depth--
			}
		case sep:
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	return append(parts, s[start:])
}

// Extract collects the campaigns of every item of the documents, sorted by name.
// The items' names are read on every core: a large library's items are read
// twice while it is gathered and built.
func Extract(docs []*gongwen.Document) []Campaign {
	names := make([][][]string, len(docs)) // by document, by clause
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(docs); i = int(next.Add(1)) - 1 {
				names[i] = make([][]string, len(docs[i].Clauses))
				for k, c := range docs[i].Clauses {
					if c.Kind == gongwen.KindItem {
						names[i][k] = Names(c.Text)
					}
				}
			}
		}()
	}
	wg.Wait()
	byName := map[string]*Campaign{}
	for i, d := range docs {
		for k, c := range d.Clauses {
			for _, n := range names[i][k] {
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
