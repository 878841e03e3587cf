package gongwen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"policysearch/internal/script"
)

// Recognisers of front-matter lines. Each works on a line's key (simplified
// script, spaces between Chinese characters gone).
var (
	// 文号: issuer code, 〔year〕, serial, 号. Brackets vary between documents.
	numberRe = regexp.MustCompile(`^[\p{Han}A-Za-z]{1,12}[〔［\[（(【]\d{4}[〕］\]）)】]第?\d{1,5}号`)
	// The number of an order (令): 中华人民共和国主席令(九届第37号), 国务院令第708号.
	orderNumberRe = regexp.MustCompile(`^[\p{Han}]{0,20}令(?:[（(][^（()）]{0,8}第[\d一二三四五六七八九十百零〇]+号[）)]|第[\d一二三四五六七八九十百零〇]+号)$`)
	numberFieldRe = regexp.MustCompile(`^(?:文号|发文字号|发文文号)[:：]\s*`)
	dateRe        = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	dateCNRe      = regexp.MustCompile(`^([〇○零OＯ０一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$`)
	dateISORe     = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$`)
	anyDateRe     = regexp.MustCompile(`(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})`)
	disclosureRe  = regexp.MustCompile(`^[（(](此件[^（()）]{1,12})[）)]$`)
	daizhangRe    = regexp.MustCompile(`^[（(][^（()）]{2,40}代章[）)]$`)
	mastheadRe    = regexp.MustCompile(`^[\p{Han}（）()]{2,40}(文件|公报)$`)
	// A title ends with the kind of document it is, maybe followed by its period.
	titleEndRe        = regexp.MustCompile(`(通知|通报|意见|决定|办法|方案|要点|规定|批复|函|报告|请示|公告|通告|规划|细则|纲要|计划|规则|条例|法|章程|准则|指引|指南|清单|决议|公报|任务|分工|措施|目录|令)》?$`)
	strongEndRe       = regexp.MustCompile(`(通知|通报|意见|决定|批复|函|报告|请示|公告|通告|令)》?$`)
	trailingPeriodRe  = regexp.MustCompile(`[（(][^（()）]*\d{4}[^（()）]*[）)]$`)
	quotedRe          = regexp.MustCompile(`《([^《》]+)》`)
	quotedAnyRe       = regexp.MustCompile(`[《〈]([^《》〈〉]+)[》〉]`)
	organRe           = regexp.MustCompile(`(人民政府|政府|办公厅|办公室|委员会|委|局|厅|部|院|署|会|办|协|联|团|处|中心|小组|党组|总队|银行|公司|集团|大学|学院|法院|检察院|办事处|街道|支队|管委会)$`)
	attachmentLabelRe = regexp.MustCompile(`^附件\s*\d*[:：]?$`)
	attachmentLineRe  = regexp.MustCompile(`^附件\s*(\d*)[:：]\s*(?:\d+[.．、]\s*)?(.+)$`)
	listedRe          = regexp.MustCompile(`^\d{1,2}[.．、]\s*(.+)$`)
	// Site chrome: breadcrumbs, page tools and the fields a government page
	// prints around a document.
	breadcrumbRe = regexp.MustCompile(`您的位置|当前位置|所在位置|[>»›＞].*[>»›＞]|^首页\s*[>»›＞]`)
	toolsRe      = regexp.MustCompile(`字体[:：]?\s*[【\[]?\s*大|【\s*大\s*中\s*小\s*】|打印本页|关闭窗口|【打印】|【关闭】|扫一扫|分享到|版权所有|网站标识码|ICP备|下载地址|点击此处下载|相关链接|返回顶部|^相关附件[:：]?$|^附件下载[:：]?$`)
	fieldRe      = regexp.MustCompile(`(发布日期|发布时间|发文日期|成文日期|发文时间|访问次数|浏览次数|阅读次数|点击数|点击量|信息来源|文章来源|来源|作者|字号|索引号|主题分类|主题词|发文机关|发文单位|发布机构|发文部门|发布单位|发布部门|制定机关|颁布单位|效力级别|时效性|实施日期|施行日期|发文字号|发文文号|发文标题|标题|时间|浏览|阅读|有效性|体裁分类|组配分类|公开方式)\s*[:：]`)
)

// dropChrome removes the lines a web page puts around a document, taking the
// metadata its fields carry.
func (p *parser) dropChrome(ls []line) []line {
	start := firstHeading(ls)
	out := ls[:0:0]
	for i, l := range ls {
		k := l.key
		// A page's chrome stands before the document or after it, and is short
		// and no sentence: test that first, the patterns are dearer.
		if (i < start || i >= len(ls)-15) && !strings.Contains(k, "。") && !strings.Contains(k, "；") && utf8.RuneCountInString(k) < 120 && (breadcrumbRe.MatchString(k) || toolsRe.MatchString(k)) {
			continue
		}
		if i < start {
			if fs := fieldRe.FindAllStringSubmatchIndex(k, -1); len(fs) > 0 && (fs[0][0] == 0 || len(fs) >= 2) && !strings.HasSuffix(k, "：") {
				p.readFields(l, fs)
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// readFields takes the values of a web page's metadata fields.
func (p *parser) readFields(l line, fs [][]int) {
	for i, f := range fs {
		end := len(l.key)
		if i+1 < len(fs) {
			end = fs[i+1][0]
		}
		name := l.key[f[2]:f[3]]
		value := strings.TrimSpace(runeCut(l.text, l.key, f[1], end))
		if value == "" {
			continue
		}
		switch name {
		case "发布日期", "发布时间":
			if d, ok := findDate(value); ok && p.doc.Published == "" {
				p.doc.Published = d
			}
		case "成文日期", "发文日期", "发文时间":
			if d, ok := findDate(value); ok && p.fieldDate == "" {
				p.fieldDate = d
			}
		case "发文字号", "发文文号":
			p.fieldNumber = strings.ReplaceAll(value, " ", "")
		case "发文机关", "发文单位", "发布机构", "发文部门", "发布单位", "发布部门", "制定机关", "颁布单位":
			p.fieldIssuer = value
		case "发文标题", "标题":
			p.fieldTitle = value
		}
	}
}

// dropContents removes a table of contents (目录): its entries look like the
// chapter headings that follow it.
func (p *parser) dropContents(ls []line) []line {
	for i, l := range ls {
		if l.key != "目录" {
			continue
		}
		j := i + 1
		var first string
		for j < len(ls) && utf8.RuneCountInString(ls[j].key) <= 40 && !strings.ContainsAny(ls[j].key, "。；") {
			if first == "" {
				first = bare(ls[j].key)
			} else if bare(ls[j].key) == first {
				break // the body begins with the first entry again
			}
			j++
		}
		if j == i+1 {
			return ls
		}
		return append(ls[:i:i], ls[j:]...)
	}
	return ls
}

// attachmentList takes the notice's list of attachments (附件：1.… 2.…) out of
// the way of the numbered body.
func (p *parser) attachmentList(ls []line) []line {
	start := firstHeading(ls)
	for i := 0; i < start && i < len(ls); i++ {
		m := attachmentLineRe.FindStringSubmatch(ls[i].key)
		if m == nil {
			continue
		}
		p.attachments = append(p.attachments, cleanTitle(m[2]))
		j := i + 1
		for j < len(ls) && j <= i+9 {
			if n := listedRe.FindStringSubmatch(ls[j].key); n != nil && isTitleish(n[1]) {
				p.attachments = append(p.attachments, cleanTitle(n[1]))
				j++
				continue
			}
			break
		}
		return append(ls[:i:i], ls[j:]...)
	}
	return ls
}

// firstHeading is the index of the line where the numbered body starts: the
// first 一、, （一）, 1., 第一章 or 第一条 that opens a numbering; len(ls) when
// there is none.
func firstHeading(ls []line) int {
	for i, l := range ls {
		if m := readMark(l.key); m.kind != markNone && m.number == 1 {
			return i
		}
	}
	return len(ls)
}

type role int

const (
	roleOther role = iota
	roleMasthead
	roleNumber
	roleDate
	roleDisclosure
	roleDaizhang
	roleRecipients
	roleAttachmentLabel
)

// classify recognises a front-matter line on its own.
func (p *parser) classify(l line) role {
	k := l.key
	switch {
	case mastheadRe.MatchString(k) && !strings.HasPrefix(k, "关于"):
		return roleMasthead
	case numberOf(k) != "":
		return roleNumber
	case disclosureRe.MatchString(k):
		return roleDisclosure
	case daizhangRe.MatchString(k):
		return roleDaizhang
	case attachmentLabelRe.MatchString(k):
		return roleAttachmentLabel
	}
	if _, _, ok := signedDate(k); ok {
		return roleDate
	}
	if (strings.HasSuffix(k, "：") || strings.HasSuffix(k, ":")) && !strings.ContainsAny(k, "。") && utf8.RuneCountInString(k) <= 200 {
		return roleRecipients
	}
	return roleOther
}

// numberOf returns the 文号 a line starts with: the whole line, a field, or the
// head of a line that goes on with the title.
func numberOf(k string) string {
	k = numberFieldRe.ReplaceAllString(k, "")
	if m := numberRe.FindString(k); m != "" {
		// Glued to a title (京政办发〔2016〕26号《…》), not quoted in a sentence.
		if rest := k[len(m):]; rest == "" || strings.HasPrefix(rest, "《") || strings.Contains(rest, "关于") || endsLikeTitle(rest) {
			return m
		}
	}
	if orderNumberRe.MatchString(k) {
		return k
	}
	return ""
}

func endsInDigit(k string) bool { return k != "" && k[len(k)-1] >= '0' && k[len(k)-1] <= '9' }

// datedAtEnd says whether a date ends k, after something else.
func datedAtEnd(k string) bool {
	m := anyDateRe.FindStringIndex(k)
	return m != nil && m[0] > 0 && m[1] == len(k)
}

// signedDate reads a date line, maybe with the signature in front of it
// (立山区人民政府 2023年3月28日).
func signedDate(k string) (date, signer string, ok bool) {
	if d, ok := readDate(k); ok {
		return d, "", true
	}
	// A date that ends the line ends in a digit: most lines end otherwise,
	// and are not searched for one.
	if strings.HasSuffix(k, "日") || endsInDigit(k) && datedAtEnd(k) {
		for i := range k {
			if i == 0 {
				continue
			}
			if d, ok := readDate(k[i:]); ok && organRe.MatchString(strings.TrimSpace(k[:i])) {
				return d, strings.TrimSpace(k[:i]), true
			}
		}
	}
	return "", "", false
}

func readDate(t string) (string, bool) {
	t = strings.ReplaceAll(t, " ", "")
	valid := func(y, mo, da int) (string, bool) {
		if y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, da), true
		}
		return "", false
	}
	for _, re := range []*regexp.Regexp{dateRe, dateISORe} {
		if m := re.FindStringSubmatch(t); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			da, _ := strconv.Atoi(m[3])
			return valid(y, mo, da)
		}
	}
	if m := dateCNRe.FindStringSubmatch(t); m != nil {
		y, _ := chineseNumber(m[1])
		mo, _ := chineseNumber(m[2])
		da, _ := chineseNumber(m[3])
		return valid(y, mo, da)
	}
	return "", false
}

// findDate finds a date anywhere in a field's value (2023-03-21 10:00).
func findDate(v string) (string, bool) {
	if m := anyDateRe.FindStringSubmatch(v); m != nil {
		return readDate(m[1] + "-" + m[2] + "-" + m[3])
	}
	return "", false
}

// isTitleish reports whether a line could be (part of) a title: short, and not
// a sentence.
func isTitleish(k string) bool {
	n := utf8.RuneCountInString(k)
	return n >= 2 && n <= 90 && !strings.ContainsAny(k, "。；;！？") && !strings.HasSuffix(k, "：") && !strings.HasSuffix(k, ":")
}

// endsLikeTitle reports whether text ends with a document's kind, maybe followed
// by the period it covers: …实施方案(2021—2025年).
func endsLikeTitle(k string) bool {
	k = strings.TrimSuffix(strings.TrimSuffix(k, "》"), "〉")
	k = trailingPeriodRe.ReplaceAllString(k, "")
	return titleEndRe.MatchString(k)
}

// cleanTitle removes the 《》 around a whole title and the spaces left inside it.
func cleanTitle(t string) string {
	t = strings.TrimSpace(t)
	if strings.HasPrefix(t, "《") && strings.HasSuffix(t, "》") && strings.Count(t, "《") == 1 {
		t = strings.TrimSuffix(strings.TrimPrefix(t, "《"), "》")
	}
	return t
}

// front reads what comes before the numbered body: 版头, 文号, title, recipients,
// the cover notice with its signature and date, disclosure, the attached plan's
// title and the preamble. Any of them may be missing, in many orders.
func (p *parser) front(ls []line, hasBody bool) {
	d := p.doc
	roles := make([]role, len(ls))
	used := make([]bool, len(ls))
	for i, l := range ls {
		roles[i] = p.classify(l)
		switch roles[i] {
		case roleMasthead, roleAttachmentLabel:
			used[i] = true
		case roleNumber:
			used[i] = true
			if d.Number == "" {
				d.Number = strings.ReplaceAll(numberOf(l.key), " ", "")
				d.Number = runeCut(l.text, l.key, strings.Index(l.key, d.Number), strings.Index(l.key, d.Number)+len(d.Number))
			}
		case roleDisclosure:
			used[i] = true
			if d.Disclosure == "" {
				d.Disclosure = disclosureRe.FindStringSubmatch(l.text)[1]
			}
		}
	}
	// The signature's date is the last date line before the body.
	dateAt := -1
	for i := len(ls) - 1; i >= 0; i-- {
		if roles[i] == roleDate {
			dateAt = i
			break
		}
	}
	// Recipients end with a colon, come before the date and after the title.
	recAt := -1
	limit := len(ls)
	if dateAt >= 0 {
		limit = dateAt
	}
	for i := 0; i < limit; i++ {
		if roles[i] == roleRecipients && !isFieldLine(ls[i].key) {
			recAt = i
			break
		}
	}
	// The title is looked for before the recipients, else before the date,
	// else anywhere in front of the body.
	titleLimit := limit
	if recAt >= 0 {
		titleLimit = recAt
	} else if dateAt < 0 && titleLimit > 8 {
		titleLimit = 8 // without a notice, a title is among the first lines
	}
	titleFrom, titleTo := p.findTitle(ls, roles, used, 0, titleLimit, hasBody || dateAt >= 0 || len(ls) > 1)
	if titleFrom >= 0 {
		for i := titleFrom; i < titleTo; i++ {
			if roles[i] == roleNumber {
				continue
			}
			used[i] = true
		}
		p.setTitle(ls[titleFrom:titleTo])
	}
	var noticeFrom, noticeTo int // the cover notice: lines [noticeFrom, noticeTo)
	var rec []line
	if recAt >= 0 {
		recFrom := recAt
		// A wrapped recipients line starts after the title.
		for recFrom > 0 && recFrom > titleTo && p.wrapped && !used[recFrom-1] && roles[recFrom-1] == roleOther && !strings.ContainsAny(ls[recFrom-1].key, "。") {
			recFrom--
		}
		r := strings.TrimRight(join(texts(ls[recFrom:recAt+1])), "：:")
		d.Recipients = splitTopLevel(r, "，,；;")
		for i := recFrom; i <= recAt; i++ {
			used[i] = true
		}
		rec = ls[recFrom : recAt+1]
		noticeFrom = recAt + 1
	} else if titleTo > 0 {
		noticeFrom = titleTo
	}
	var signature []line
	if dateAt < 0 && recAt >= 0 && !hasBody {
		// Recipients, no signature date, no numbered body: the text is the notice.
		noticeTo = len(ls)
	}
	if dateAt >= 0 {
		noticeTo = dateAt + 1
		date, signer, _ := signedDate(ls[dateAt].key)
		d.Date = date
		used[dateAt] = true
		// The signature is the short lines naming bodies right above the date;
		// a 代章 line among them names who sealed it, not who issued it.
		var names []string
		if signer != "" {
			names = append(names, splitOrgans(signer)...)
		}
		for i := dateAt - 1; i >= noticeFrom && i >= 0; i-- {
			if roles[i] == roleDaizhang {
				used[i] = true
				continue
			}
			k := ls[i].key
			if used[i] || roles[i] != roleOther || !isTitleish(k) || strings.ContainsAny(k, "，,") || utf8.RuneCountInString(k) > 40 {
				break
			}
			organs := lineOrgans(ls[i])
			if len(organs) == 0 {
				break
			}
			names = append(organs, names...)
			used[i] = true
			signature = append([]line{ls[i]}, signature...)
		}
		if len(names) > 0 {
			d.Issuers = names
		}
	}
	if d.Issuer == "" && len(d.Issuers) == 0 {
		if issuers := p.titleIssuers(); len(issuers) > 0 {
			d.Issuers = issuers
		}
	}
	if len(d.Issuers) == 0 {
		// A line that is nothing but a body's name, near the title.
		for i := 0; i < titleLimit; i++ {
			if !used[i] && roles[i] == roleOther && utf8.RuneCountInString(ls[i].key) <= 30 && !strings.HasPrefix(ls[i].key, "关于") {
				if organs := lineOrgans(ls[i]); len(organs) > 0 {
					d.Issuers = organs
					used[i] = true
					break
				}
			}
		}
	}
	if len(d.Issuers) == 0 && p.fieldIssuer != "" {
		d.Issuers = []string{p.fieldIssuer}
	}
	if len(d.Issuers) > 0 {
		d.Issuer = d.Issuers[0]
	}
	if d.Number == "" && p.fieldNumber != "" {
		d.Number = p.fieldNumber
	}
	if d.Date == "" && p.fieldDate != "" {
		d.Date = p.fieldDate
	}
	if d.Title == "" && p.fieldTitle != "" {
		d.Title = p.fieldTitle
	}
	if noticeTo > noticeFrom || len(rec) > 0 {
		var notice []line
		for i := noticeFrom; i < noticeTo; i++ {
			if bare(ls[i].key) == bare(d.Title) {
				continue // the title repeated above the notice
			}
			if !used[i] || roles[i] == roleDate || roles[i] == roleDaizhang || inLines(signature, ls[i]) {
				notice = append(notice, ls[i])
			}
		}
		p.addNotice(rec, notice)
	}
	// After the notice: the attached plan's title, then the preamble.
	rest := noticeTo
	if noticeTo == 0 {
		rest = titleTo
		if rest < 0 {
			rest = 0
		}
	}
	var tail []line
	for i := rest; i < len(ls); i++ {
		if !used[i] && roles[i] != roleDaizhang {
			tail = append(tail, ls[i])
		} else if !used[i] {
			used[i] = true
		}
	}
	tail = p.attachmentTitle(tail, dateAt >= 0 || recAt >= 0)
	if d.Title == "" && len(d.Attachments) > 0 {
		d.Title = d.Attachments[0]
	}
	if hasBody {
		p.addClause(KindPreamble, tail, "")
	} else {
		p.paragraphs(tail)
	}
	for i := 0; i < rest && i < len(ls); i++ {
		if used[i] || (i >= noticeFrom && i < noticeTo) {
			continue
		}
		if b, t := bare(cleanTitle(ls[i].key)), bare(d.Title); t != "" && (strings.Contains(b, t) || strings.Contains(t, b)) {
			continue // the title again, or a part of it, as a page repeats it
		}
		if organs := splitOrgans(ls[i].text); len(organs) > 0 && isTitleish(ls[i].key) {
			continue // the issuer's name over the title, as a page heads it
		}
		p.warn(ls[i].no, "front matter not understood, left out of the clauses: %q", ls[i].text)
	}
	if d.Title == "" {
		p.warn(ls0(ls), "no title was found")
	}
}

func inLines(ls []line, l line) bool {
	for _, x := range ls {
		if x.no == l.no {
			return true
		}
	}
	return false
}

func ls0(ls []line) int {
	if len(ls) > 0 {
		return ls[0].no
	}
	return 0
}

func isFieldLine(k string) bool {
	loc := fieldRe.FindStringIndex(k)
	return loc != nil && loc[0] == 0
}

// findTitle finds the title in ls[from:to]: the first run of up to four
// title-like lines that ends like a title (…的通知, …工作要点). A 文号 glued to
// the front of a title line is not part of it. Without such a run, a short first
// line stands as the title only when a notice or a numbered body follows it.
func (p *parser) findTitle(ls []line, roles []role, used []bool, from, to int, followed bool) (int, int) {
	for i := from; i < to; i++ {
		if used[i] && roles[i] != roleNumber {
			continue
		}
		k := titlePart(ls[i].key)
		if k == "" || !isTitleish(k) {
			continue
		}
		parts := k
		for j := i; j < to && j < i+4; j++ {
			if j > i {
				kj := ls[j].key
				if used[j] || roles[j] != roleOther || !isTitleish(kj) {
					break
				}
				parts += kj
			}
			if endsLikeTitle(parts) {
				// 规划, 方案 may be followed by more of the title on the next
				// line (…行动规划 / 纲要实施方案的通知); 通知 and 意见 end it.
				if j+1 < to && !used[j+1] && roles[j+1] == roleOther && !ls[j+1].gap && !strongEndRe.MatchString(parts) &&
					continuesTitle(parts, ls[j+1].key) {
					continue
				}
				return i, j + 1
			}
		}
	}
	if followed {
		for i := from; i < to; i++ {
			if used[i] {
				continue
			}
			k := ls[i].key
			if roles[i] == roleOther && isTitleish(k) && !strings.ContainsAny(k, "，,：:") && utf8.RuneCountInString(k) <= 50 {
				return i, i + 1
			}
			break
		}
	}
	return -1, -1
}

// continuesTitle reports whether next reads as the rest of a title that ended
// on a weak word: not the title again, not a new title, not a remark in brackets
// longer than a period (2021—2025年).
func continuesTitle(parts, next string) bool {
	if !isTitleish(next) || !endsLikeTitle(parts+next) || strings.HasPrefix(next, "关于") || strings.HasPrefix(parts, next) {
		return false
	}
	if strings.HasPrefix(next, "（") || strings.HasPrefix(next, "(") {
		return utf8.RuneCountInString(next) <= 14
	}
	return true
}

// titlePart is a line without a 文号 glued to its front.
func titlePart(k string) string {
	if n := numberOf(k); n != "" {
		return strings.TrimSpace(strings.TrimPrefix(numberFieldRe.ReplaceAllString(k, ""), n))
	}
	return k
}

// setTitle takes the title from its lines: joined, without a 文号 in front, without
// 《》 around it; a body named before 关于 is the issuer, not the title.
func (p *parser) setTitle(ls []line) {
	k0 := ls[0].key
	tp := titlePart(k0)
	texts, keys := []string{runeCut(ls[0].text, k0, len(k0)-len(tp), len(k0))}, []string{tp}
	for _, l := range ls[1:] {
		texts, keys = append(texts, l.text), append(keys, l.key)
	}
	text, key := cleanTitle(join(texts)), cleanTitle(join(keys))
	if k := strings.Index(key, "关于"); k > 0 {
		if organs := splitOrgans(runeCut(text, key, 0, k)); len(organs) > 0 {
			p.titleOrgans = organs
			// Joint issuers set apart by a space on the title's line.
			sp := ls[0].spaced
			if at := strings.Index(script.Fold(sp), "关于"); at > 0 {
				if more := splitOrgans(sp[:at]); len(more) > len(organs) {
					p.titleOrgans = more
				}
			}
			// A body's name on lines of its own heads the title (发文机关标志);
			// written on the title's line, it is part of the title.
			if k >= len(tp) || ownLines(ls, key[:k]) {
				text = runeCut(text, key, k, len(key))
			}
		}
	}
	p.doc.Title = text
}

// ownLines reports whether prefix is exactly the first lines of ls.
func ownLines(ls []line, prefix string) bool {
	got := titlePart(ls[0].key)
	for i := 1; i < len(ls) && len(got) < len(prefix); i++ {
		got += ls[i].key
	}
	return got == prefix
}

// titleIssuers are the bodies the title names before 关于.
func (p *parser) titleIssuers() []string { return p.titleOrgans }

// lineOrgans reads the bodies a line names, set apart by spaces where the
// page put them side by side (重庆市科学技术协会　重庆市教育委员会).
func lineOrgans(l line) []string {
	if os := splitOrgans(l.spaced); len(os) > 1 {
		return os
	}
	return splitOrgans(l.text)
}

// splitOrgans reads one or more bodies' names (joint issuers are separated by
// 、, spaces or 和); nil when any part is not a body's name.
func splitOrgans(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ' ' || r == '\u3000' || r == '，' || r == ',' }) {
		if !organRe.MatchString(script.Fold(part)) || utf8.RuneCountInString(part) < 3 {
			joined := tidySpaces(s)
			if organRe.MatchString(script.Fold(joined)) && !strings.ContainsAny(joined, "、，,") {
				return []string{joined}
			}
			return nil
		}
		out = append(out, part)
	}
	return out
}

// attachmentTitle consumes the attached plan's title from the lines after the
// notice: the name the title or the notice gives in 《》, maybe over several
// lines, or a short line that reads like a plan's title.
func (p *parser) attachmentTitle(ls []line, afterNotice bool) []line {
	d := p.doc
	want := map[string]bool{}
	for _, a := range p.attachments {
		want[bare(a)] = true
	}
	for _, src := range []string{d.Title} {
		for _, m := range quotedRe.FindAllStringSubmatch(src, -1) {
			want[bare(m[1])] = true
		}
	}
	for _, c := range d.Clauses {
		if c.Kind == KindNotice {
			for _, m := range quotedRe.FindAllStringSubmatch(c.Text, -1) {
				want[bare(m[1])] = true
			}
		}
	}
	add := p.addAttachment
	var out []line
	found := false
	for i := 0; i < len(ls) && !found; i++ {
		if !isTitleish(ls[i].key) {
			break
		}
		got := ""
		for n := 1; n <= 4 && i+n <= len(ls); n++ {
			if n > 1 && !isTitleish(ls[i+n-1].key) {
				break
			}
			got += ls[i+n-1].key
			if want[bare(got)] || (len(want) == 0 && afterNotice && n == 1 && endsLikeTitle(got) && utf8.RuneCountInString(got) <= 60) {
				add(cleanTitle(join(texts(ls[i : i+n]))))
				out = append(out, ls[:i]...)
				out = append(out, ls[i+n:]...)
				found = true
				break
			}
		}
		if i > 2 {
			break
		}
	}
	if !found {
		out = ls
	}
	for _, a := range p.attachments {
		add(a)
	}
	if len(d.Attachments) == 0 {
		// The plan the title issues, when the text does not repeat its name.
		if m := quotedAnyRe.FindStringSubmatch(d.Title); m != nil && strings.Contains(d.Title, "印发") {
			add(m[1])
		}
	}
	if len(d.Attachments) > 0 {
		d.Attachment = d.Attachments[0]
	}
	return out
}

var (
	// 版记: who printed the document and when, whom it was copied to.
	printedRe = regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日\s*印发$`)
	copiedRe  = regexp.MustCompile(`^(抄送|抄报|主送)[:：]`)
)

// splitSignature finds the signature block in the body of a document signed
// after its text (意见, 决定, a notice with numbered points): the bodies'
// names and a date on lines of their own, maybe after the list of attachments.
// It returns the numbered body before it and what follows it (the attachments'
// texts); the 版记 at the very end is dropped.
func (p *parser) splitSignature(body []line) (main, after []line) {
	d := p.doc
	end := len(body)
	for end > 0 {
		k := body[end-1].key
		switch {
		case printedRe.MatchString(k) || copiedRe.MatchString(k):
			end--
			if printedRe.MatchString(k) && end > 0 && len(splitOrgans(body[end-1].text)) > 0 && isTitleish(body[end-1].key) {
				end--
			}
			continue
		case disclosureRe.MatchString(k):
			if d.Disclosure == "" {
				d.Disclosure = disclosureRe.FindStringSubmatch(body[end-1].text)[1]
			}
			end--
			continue
		}
		break
	}
	body = body[:end]
	for i, l := range body {
		date, signer, ok := signedDate(l.key)
		if !ok {
			continue
		}
		var names []string
		if signer != "" {
			names = splitOrgans(signer)
		}
		top := i
		for top > 0 && i-top < 4 {
			k := body[top-1].key
			if daizhangRe.MatchString(k) {
				top--
				continue
			}
			organs := lineOrgans(body[top-1])
			if len(organs) == 0 || !isTitleish(k) || utf8.RuneCountInString(k) > 40 {
				break
			}
			names = append(organs, names...)
			top--
		}
		if len(names) == 0 && i != len(body)-1 {
			continue // a date alone ends a paragraph as often as a document
		}
		// The list of attachments comes right above the signature.
		for j := top - 1; j >= 0 && j >= top-10; j-- {
			if m := attachmentLineRe.FindStringSubmatch(body[j].key); m != nil {
				list := []string{cleanTitle(m[2])}
				for _, l := range body[j+1 : top] {
					if n := listedRe.FindStringSubmatch(l.key); n != nil {
						list = append(list, cleanTitle(n[1]))
					}
				}
				p.attachments = append(p.attachments, list...)
				top = j
				break
			}
			if listedRe.FindStringSubmatch(body[j].key) == nil {
				break
			}
		}
		if d.Date == "" {
			d.Date = date
		}
		if len(d.Issuers) == 0 {
			d.Issuers = names
		}
		return body[:top], body[i+1:]
	}
	return body, nil
}

// appendix reads what follows the signature: each attachment's label (附件1),
// title and text, the text as paragraphs.
func (p *parser) appendix(ls []line) {
	var text []line
	for i := 0; i < len(ls); i++ {
		if attachmentLabelRe.MatchString(ls[i].key) && i+1 < len(ls) && isTitleish(ls[i+1].key) {
			p.paragraphs(text)
			text = nil
			p.addAttachment(cleanTitle(ls[i+1].text))
			i++
			continue
		}
		text = append(text, ls[i])
	}
	p.paragraphs(text)
}

func (p *parser) addAttachment(t string) {
	d := p.doc
	for _, a := range d.Attachments {
		if bare(a) == bare(t) {
			return
		}
	}
	d.Attachments = append(d.Attachments, t)
	d.Attachment = d.Attachments[0]
}
