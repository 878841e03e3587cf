package gongwen

import (
	"regexp"
	"strings"

	"policysearch/internal/script"
)

var (
	// dutyFieldRe names who answers for an item, on a line of its own after the
	// item or inside its last sentence.
	dutyFieldRe = regexp.MustCompile(`(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|完成时限|完成时间|时间节点|时限要求)\s*[:：]`)
	dutyLineRe  = regexp.MustCompile(`^(?:牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|完成时限|完成时间|时间节点|时限要求)\s*[:：]`)
	allUnitsRe  = regexp.MustCompile(`^各[^、，,；;（）()]{0,10}(单位|部门|区县|区县政府)$`)
)

// roleSuffixes are what follows the department names inside the parentheses.
var roleSuffixes = []string{"按职责分工负责", "按职责负责", "分工负责", "负责"}

func isDutyLine(k string) bool { return dutyLineRe.MatchString(k) }

// duties reads who is responsible for an item — every responsible unit, lead
// first; the leads (牵头) — and its deadline. Departments of a document in
// traditional script come out simplified, so that they facet with the others.
func duties(text string) (all, lead []string, deadline string) {
	key := script.Fold(text)
	// Every field is named before a colon: the expression, with no literal
	// prefix to skip ahead by, was a quarter of parsing a large library, and
	// most items have no colon at all.
	var fs [][]int
	if strings.Contains(key, ":") || strings.Contains(key, "：") {
		fs = dutyFieldRe.FindAllStringSubmatchIndex(key, -1)
	}
	if len(fs) > 0 {
		var others []string
		for i, f := range fs {
			end := len(key)
			if i+1 < len(fs) {
				end = fs[i+1][0]
			}
			value := fieldValue(key[f[1]:end])
			switch name := key[f[2]:f[3]]; {
			case strings.HasPrefix(name, "牵头"):
				lead = append(lead, names(value)...)
			case strings.HasPrefix(name, "完成") || strings.HasPrefix(name, "时"):
				if deadline == "" {
					deadline = strings.TrimSpace(runeCut(text, key, f[1], f[1]+len(value)))
				}
			default:
				others = append(others, names(value)...)
			}
		}
		if len(lead) > 0 || len(others) > 0 {
			return dedupe(append(append([]string(nil), lead...), others...)), lead, deadline
		}
	}
	all, lead = trailingDepartments(key)
	return all, lead, deadline
}

// fieldValue is a field's value: up to the end of its line or sentence, or the
// bracket that closes around it.
func fieldValue(v string) string {
	if k := strings.IndexAny(v, "\n。"); k >= 0 {
		v = v[:k]
	}
	rs := []rune(v)
	depth := 0
	for i, r := range rs {
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			if depth == 0 {
				return strings.TrimSpace(string(rs[:i]))
			}
			depth--
		}
	}
	return strings.TrimSpace(strings.TrimRight(v, "；;，, "))
}

// names splits a list of departments at 、 ， ； outside brackets. A short
// part that names no body belongs with the next: 各州、市人民政府 is one name.
func names(v string) []string {
	var out []string
	var pending string
	for _, n := range splitTopLevel(v, "、，,；;") {
		if pending != "" {
			n, pending = pending+"、"+n, ""
		}
		if len([]rune(n)) <= 3 && !organRe.MatchString(n) && strings.HasPrefix(n, "各") {
			pending = n
			continue
		}
		n = strings.TrimSpace(strings.TrimRight(n, "。.等"))
		for _, suf := range append([]string{"牵头"}, roleSuffixes...) {
			n = strings.TrimSuffix(n, suf)
		}
		for _, suf := range []string{"配合", "参与", "等"} {
			n = strings.TrimSuffix(n, suf)
		}
		if n != "" {
			out = append(out, n)
		}
	}
	if pending != "" {
		out = append(out, pending)
	}
	return out
}

func dedupe(ns []string) []string {
	seen := map[string]bool{}
	out := ns[:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// departments reads the responsible departments of an item's text.
func departments(text string) []string {
	all, _, _ := duties(text)
	return all
}

// trailingDepartments reads the parentheses that close an item:
// （市委宣传部、市科技局、市科协按职责分工负责）, （市发展改革委牵头，市财政局、市税务局
// 按职责分工负责）, （各成员单位）. Names keep their own parentheses
// (市委党校（重庆行政学院）).
func trailingDepartments(text string) (all, lead []string) {
	rs := []rune(strings.TrimSpace(text))
	n := len(rs)
	for n > 0 && (rs[n-1] == '。' || rs[n-1] == '.') {
		n--
	}
	if n == 0 || (rs[n-1] != '）' && rs[n-1] != ')') {
		return nil, nil
	}
	open := matching(rs, n-1)
	if open < 0 {
		return nil, nil
	}
	inner := strings.TrimSpace(string(rs[open+1 : n-1]))
	before := ' '
	if open > 0 {
		before = rs[open-1]
	}
	assigned := false
	for _, s := range roleSuffixes {
		if strings.HasSuffix(inner, s) {
			inner, assigned = strings.TrimSuffix(inner, s), true
			break
		}
	}
	if strings.Contains(inner, "牵头") {
		assigned = true
	}
	// Parentheses after a full stop, or naming who is responsible, hold departments;
	// others (示范区（县）) are part of the text.
	if !assigned && !allUnitsRe.MatchString(inner) && !strings.ContainsRune("。；！？ ", before) {
		return nil, nil
	}
	for _, part := range splitTopLevel(inner, "，,；;") {
		ns := names(part)
		if strings.HasSuffix(part, "牵头") {
			lead = append(lead, ns...)
		}
		all = append(all, ns...)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return dedupe(all), lead
}
