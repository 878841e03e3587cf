package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// gridCell is a table cell as a reader sees it: its lines, how many columns
// it spans, and whether it continues the cell above (a vertical merge).
type gridCell struct {
	lines     []string
	span      int
	fromAbove bool
}

// A column's role in a task table, from its header.
type role int

const (
	roleOther role = iota
	roleNumber
	roleCategory
	roleTask
	roleLead
	roleResp
	roleDeadline
)

var (
	numberHeadRe   = regexp.MustCompile(`^(?:序号|编号|序|No\.?|NO\.?)$`)
	leadHeadRe     = regexp.MustCompile(`牵头|主责单位|主责部门|主办单位|主办部门`)
	respHeadRe     = regexp.MustCompile(`责任单位|责任部门|配合单位|配合部门|协办单位|协办部门|参与单位|协同单位|责任主体|实施单位|承办单位|责任处室`)
	deadlineHeadRe = regexp.MustCompile(`时限|时间|期限|进度|节点`)
	categoryHeadRe = regexp.MustCompile(`^(?:类别|领域|分类|板块|方面|类型)$`)
	taskHeadRe     = regexp.MustCompile(`任务|措施|内容|事项|目标|工作|举措|要点|项目|要求`)
	itemNumberRe   = regexp.MustCompile(`^\s*(?:\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）])`)
	headingRe      = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])`)
	spacesRe       = regexp.MustCompile(`[\s\x{3000}]+`)
)

func headerRole(text string) role {
	t := spacesRe.ReplaceAllString(text, "")
	switch {
	case t == "":
		return roleOther
	case numberHeadRe.MatchString(t):
		return roleNumber
	case leadHeadRe.MatchString(t):
		return roleLead
	case respHeadRe.MatchString(t):
		return roleResp
	case deadlineHeadRe.MatchString(t) && utf8.RuneCountInString(t) <= 8:
		return roleDeadline
	case categoryHeadRe.MatchString(t):
		return roleCategory
	case taskHeadRe.MatchString(t) && utf8.RuneCountInString(t) <= 10:
		return roleTask
	}
	return roleOther
}

// grid lays rows out on columns: a cell spanning columns fills the first of
// them, a merged cell repeats the one above it.
func grid(rows [][]gridCell) [][]gridCell {
	var out [][]gridCell
	for r, row := range rows {
		var cols []gridCell
		for _, c := range row {
			span := max(c.span, 1)
			if c.fromAbove && r > 0 && len(out) > 0 {
				if above := out[len(out)-1]; len(cols) < len(above) {
					c.lines = above[len(cols)].lines
				}
			}
			cols = append(cols, gridCell{lines: c.lines, span: span, fromAbove: c.fromAbove})
			for k := 1; k < span; k++ {
				cols = append(cols, gridCell{span: 0})
			}
		}
		out = append(out, cols)
	}
	return out
}

// tableText is a table as the parser reads it: a task table's rows as items
// (N.任务 then 牵头单位：, 责任单位：, 完成时限： lines), any other table one row
// a line.
func tableText(rows [][]gridCell) []string {
	g := grid(rows)
	head, roles := -1, []role(nil)
	for r := 0; r < len(g) && r < 4 && head < 0; r++ {
		rs := make([]role, len(g[r]))
		has := map[role]bool{}
		for i, c := range g[r] {
			if c.span == 0 {
				continue
			}
			rs[i] = headerRole(strings.Join(c.lines, ""))
			has[rs[i]] = true
		}
		if has[roleTask] && (has[roleLead] || has[roleResp] || has[roleDeadline]) {
			head, roles = r, rs
		}
	}
	var out []string
	if head < 0 {
		for _, row := range g {
			if l := plainRow(row); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	for _, row := range g[:head] {
		if l := plainRow(row); l != "" {
			out = append(out, l)
		}
	}
	headerLine := plainRow(g[head])
	n, category := 0, ""
	for _, row := range g[head+1:] {
		if plainRow(row) == headerLine {
			continue // the header repeated on a later page
		}
		if t := spanningText(row); t != "" {
			out = append(out, t) // a heading row across the table: 一、扩大有效投资
			continue
		}
		var number, cat string
		var task, lead, resp, deadline []string
		for i, c := range row {
			if i >= len(roles) || c.span == 0 {
				continue
			}
			v := cellText(c.lines, "")
			if v == "" {
				continue
			}
			switch roles[i] {
			case roleNumber:
				number = v
			case roleCategory:
				cat = v
			case roleTask:
				task = append(task, v)
			case roleLead:
				lead = append(lead, cellText(c.lines, "、"))
			case roleResp:
				resp = append(resp, cellText(c.lines, "、"))
			case roleDeadline:
				deadline = append(deadline, v)
			}
		}
		if len(task) == 0 {
			if l := plainRow(row); l != "" {
				out = append(out, l)
			}
			continue
		}
		if cat != "" && cat != category {
			category = cat
			out = append(out, cat)
		}
		text := joinSentences(task)
		if !itemNumberRe.MatchString(text) {
			if v, err := strconv.Atoi(strings.TrimRight(number, ".．、")); err == nil && v > 0 {
				n = v
			} else {
				n++
			}
			text = fmt.Sprintf("%d.%s", n, text)
		}
		out = append(out, text)
		if len(lead) > 0 {
			out = append(out, "牵头单位："+strings.Join(lead, "、"))
		}
		if len(resp) > 0 {
			out = append(out, "责任单位："+strings.Join(resp, "、"))
		}
		if len(deadline) > 0 {
			out = append(out, "完成时限："+strings.Join(deadline, "；"))
		}
	}
	return out
}

// spanningText is the text of a row whose only text is one cell of its own
// (not continued from above) that spans the row: a heading inside a table.
func spanningText(row []gridCell) string {
	var texts []string
	cells := 0
	for _, c := range row {
		if c.span == 0 {
			continue
		}
		cells++
		if t := cellText(c.lines, ""); t != "" && !c.fromAbove {
			texts = append(texts, t)
		}
	}
	if len(texts) == 1 && (cells == 1 || headingRe.MatchString(texts[0])) {
		for _, c := range row {
			if c.span > 1 || cells == 1 {
				return texts[0]
			}
		}
	}
	return ""
}

// plainRow is a row of a table that is not a task table: its cells in one
// line, a cell merged from above not repeated.
func plainRow(row []gridCell) string {
	var parts []string
	for _, c := range row {
		if c.span == 0 || c.fromAbove {
			continue
		}
		if t := cellText(c.lines, ""); t != "" {
			parts = append(parts, t)
		}
	}
	return joinCells(parts)
}

func joinCells(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && !endsWithPunct(parts[i-1]) {
			b.WriteString("；")
		}
		b.WriteString(p)
	}
	return b.String()
}

// cellText joins a cell's lines with sep, or without a separator when sep is
// "" (a sentence run over paragraphs).
func cellText(lines []string, sep string) string {
	var parts []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	if sep == "" {
		return joinSentences(parts)
	}
	return strings.Join(parts, sep)
}

func joinSentences(parts []string) string {
	return strings.Join(parts, "")
}

func endsWithPunct(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。；;，,：:、！？", r)
}
