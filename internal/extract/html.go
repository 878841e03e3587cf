package extract

import (
	"bytes"
	"mime"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"policysearch/internal/fault"
)

// htmlText reads a saved web page: the page's metadata table (索引号, 发文字号,
// 发布机构, 成文日期, 发布日期 …) as field lines the parser takes for the
// document's metadata, the title where the article leaves it out, and the
// article's text — not the site's navigation, scripts, styles or footer.
func htmlText(data []byte, contentType string) (string, string, error) {
	text, enc, err := decodeHTML(data, contentType)
	if err != nil {
		return "", "", err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return "", "", fault.New(fault.Unprocessable, "the web page cannot be read: %v", err)
	}
	p := &page{}
	p.meta(doc)
	fields := p.fieldTable(doc)
	prune(doc)
	body := findTag(doc, atom.Body)
	if body == nil {
		body = doc
	}
	article := dominant(body)
	lines := renderBlock(article)
	var out []string
	for _, f := range fields {
		out = append(out, f)
	}
	if t := p.title(doc); t != "" && !containsTitle(lines, t) {
		out = append(out, t)
	}
	out = append(out, lines...)
	return strings.Join(out, "\n") + "\n", enc, nil
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)`)

// decodeHTML finds the page's charset — a byte-order mark, the Content-Type's
// charset, <meta charset> or <meta http-equiv> anywhere in the first 16 KiB
// (government pages often put it after long comments) — and decodes the page.
// A page that declares none, or declares UTF-8 but is not, is read as UTF-8
// when valid and as GB18030 otherwise.
func decodeHTML(data []byte, contentType string) (string, string, error) {
	if s, enc, ok := utf16Text(data); ok {
		return s, enc, nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	if label == "" {
		if m := metaCharsetRe.FindSubmatch(data[:min(len(data), 16384)]); m != nil {
			label = string(m[1])
		}
	}
	enc, name := charset.Lookup(label)
	switch {
	case name == "gbk" || name == "gb18030" || strings.EqualFold(label, "gb2312"):
		// GB18030 is a superset of GBK and GB2312: a page labelled gb2312 often
		// holds characters only GBK has.
		if s, ok := gb18030(data); ok {
			return cleanHTML(s), "gb18030", nil
		}
	case enc != nil && name != "utf-8":
		if out, err := enc.NewDecoder().Bytes(data); err == nil {
			return cleanHTML(string(out)), name, nil
		}
	}
	if utf8.Valid(data) {
		return cleanHTML(string(data)), "utf-8", nil
	}
	if s, ok := gb18030(data); ok {
		return cleanHTML(s), "gb18030", nil
	}
	return "", "", fault.New(fault.Unsupported, "the web page's characters are neither in its declared charset %q nor UTF-8 or GB18030. Accepted: %s", label, Accepted)
}

func cleanHTML(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0 || r == '\uFEFF' {
			return -1
		}
		return r
	}, s)
}

type page struct {
	metaTitle  string
	fieldTitle string
}

// meta reads the <meta name="ArticleTitle"> that government sites carry.
func (p *page) meta(doc *html.Node) {
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta {
			name := strings.ToLower(getAttr(n, "name"))
			if name == "articletitle" && p.metaTitle == "" {
				p.metaTitle = clean(getAttr(n, "content"))
			}
		}
		return true
	})
}

// title is the document's title: the ArticleTitle meta, the metadata
// table's 标题, the page's <h1>, else its <title> without the site's name.
func (p *page) title(doc *html.Node) string {
	for _, t := range []string{p.metaTitle, p.fieldTitle} {
		if t != "" {
			return t
		}
	}
	if h := findTag(doc, atom.H1); h != nil {
		if t := clean(textOf(h)); t != "" {
			return t
		}
	}
	if h := findTag(doc, atom.Title); h != nil {
		t := clean(textOf(h))
		// 关于…的通知_重庆市人民政府网: the longest part is the page's own.
		best := ""
		for _, part := range regexp.MustCompile(`\s*[_|｜—–-]{1,2}\s*`).Split(t, -1) {
			if utf8.RuneCountInString(part) > utf8.RuneCountInString(best) {
				best = part
			}
		}
		return best
	}
	return ""
}

func containsTitle(lines []string, title string) bool {
	t := spacesRe.ReplaceAllString(title, "")
	var b strings.Builder
	for i, l := range lines {
		if i >= 12 {
			break
		}
		b.WriteString(spacesRe.ReplaceAllString(l, ""))
	}
	head := b.String()
	if strings.Contains(head, t) {
		return true
	}
	// The article may write the title over two lines or without its 关于.
	return utf8.RuneCountInString(t) > 8 && strings.Contains(head, string([]rune(t)[utf8.RuneCountInString(t)-8:]))
}

// The labels of a government page's metadata table.
var fieldLabelRe = regexp.MustCompile(`^(索引号|发文字号|文号|发文机关|发布机构|发文单位|成文日期|发文日期|发布日期|发布时间|主题分类|主题词|标题|名称|文件名称|有效性|效力状态|生效日期|实施日期|废止日期|信息来源|公开方式)\s*[:：]?\s*(.*)$`)

// fieldTable reads the metadata table (or list) of the page: a cell holding a
// label and the next cell its value, or "标签：值" in one cell. The table is
// then removed, so its cells are not read again as the article's text.
func (p *page) fieldTable(doc *html.Node) []string {
	type field struct{ label, value string }
	var fields []field
	seen := map[string]bool{}
	var holders []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode || !isFieldCell(n) {
			return true
		}
		t := clean(textOf(n))
		if utf8.RuneCountInString(t) > 80 {
			return true
		}
		// "发文字号：X" in one cell, or the label in one and X in the next.
		label, value, inline := strings.Cut(strings.Replace(t, "：", ":", 1), ":")
		m := fieldLabelRe.FindStringSubmatch(spacesRe.ReplaceAllString(label, ""))
		if m == nil || m[2] != "" {
			return true
		}
		value = clean(value)
		if !inline || value == "" {
			if next := nextElement(n); next != nil {
				value = clean(textOf(next))
			}
		}
		if value == "" || fieldLabelRe.MatchString(spacesRe.ReplaceAllString(value, "")) || seen[m[1]] {
			return false
		}
		seen[m[1]] = true
		fields = append(fields, field{m[1], value})
		holders = append(holders, n)
		return false
	})
	if len(fields) < 2 {
		return nil // one label alone is a sentence of the article, not a table
	}
	// The smallest element holding the labels is the table: removed.
	if box := commonAncestor(holders); box != nil && box.Parent != nil && box.DataAtom != atom.Body && box.DataAtom != atom.Html {
		box.Parent.RemoveChild(box)
	}
	var out []string
	for _, f := range fields {
		switch f.label {
		case "标题", "名称", "文件名称":
			p.fieldTitle = f.value
			continue
		case "文号":
			f.label = "发文字号"
		}
		out = append(out, f.label+"："+f.value)
	}
	return out
}

func isFieldCell(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Td, atom.Th, atom.Li, atom.Span, atom.Dt, atom.Dd, atom.Label, atom.B, atom.Strong, atom.P, atom.Em:
		return true
	case atom.Div:
		// a div of its own text, not a container of other blocks
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && isBlock(c) {
				return false
			}
		}
		return true
	}
	return false
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return &html.Node{Type: html.ElementNode, Data: "span", DataAtom: atom.Span, FirstChild: &html.Node{Type: html.TextNode, Data: s.Data}}
		}
	}
	return nil
}

// commonAncestor is the deepest element that holds every node.
func commonAncestor(nodes []*html.Node) *html.Node {
	if len(nodes) == 0 {
		return nil
	}
	for a := nodes[0]; a != nil; a = a.Parent {
		all := true
		for _, n := range nodes[1:] {
			if !isAncestor(a, n) {
				all = false
				break
			}
		}
		if all {
			return a
		}
	}
	return nil
}

func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

var (
	// id and class names of a site's chrome.
	chromeRe = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|breadcrumbs?|crumbs?|bread|share|bdshare|sharebox|copyright|sidebar|side-bar|friendlinks?|yqlj|qrcode|ewm|topbar|toolbar|tools?|login|search|searchbox|position|location|dqwz|banner|skip|wza|wzaccess|print|related|xgwz|xglj)(?:$|[\s_-]|\d)`)
	// the text of a site's footer or chrome block.
	footerRe = regexp.MustCompile(`版权所有|主办单位[:：]|承办单位[:：]|ICP备|网站标识码|公网安备|网站地图|联系我们|技术支持[:：]|当前位置|您现在的位置|【打印本页】|【关闭窗口】|扫一扫在手机`)
)

// prune removes what is never the article: scripts, styles, forms' controls,
// frames, the page's navigation, header, footer and asides, hidden elements
// and elements named as chrome.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode || c.Type == html.ElementNode && isJunk(c) {
			n.RemoveChild(c)
		} else {
			prune(c)
		}
		c = next
	}
}

func isJunk(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Frame, atom.Frameset,
		atom.Object, atom.Embed, atom.Svg, atom.Canvas, atom.Select, atom.Option, atom.Button, atom.Input,
		atom.Textarea, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Head, atom.Map, atom.Audio, atom.Video:
		return true
	}
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	if st := strings.ToLower(strings.ReplaceAll(getAttr(n, "style"), " ", "")); strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
		return true
	}
	if strings.EqualFold(getAttr(n, "aria-hidden"), "true") || strings.EqualFold(getAttr(n, "role"), "navigation") {
		return true
	}
	if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return false
	}
	name := getAttr(n, "id") + " " + getAttr(n, "class")
	if chromeRe.MatchString(name) {
		// A container named as chrome that holds the article's text (a site
		// whose main column is class="main-nav-content") is kept.
		t, _ := textLengths(n)
		return t < 400
	}
	return false
}

// textLengths counts a subtree's characters outside and inside links.
func textLengths(n *html.Node) (text, link int) {
	var count func(n *html.Node, inLink bool)
	count = func(n *html.Node, inLink bool) {
		if n.Type == html.TextNode {
			k := 0
			for _, r := range n.Data {
				if !unicode.IsSpace(r) {
					k++
				}
			}
			if inLink {
				link += k
			} else {
				text += k
			}
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			inLink = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			count(c, inLink)
		}
	}
	count(n, false)
	return
}

// dominant descends from n into the child that holds most of its text (not
// counting links), as long as one child holds nearly all of it: the
// article's container, below the page's layout.
func dominant(n *html.Node) *html.Node {
	for {
		total, _ := textLengths(n)
		if total == 0 {
			return n
		}
		var best *html.Node
		bestLen := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if t, _ := textLengths(c); t > bestLen {
				best, bestLen = c, t
			}
		}
		if best == nil || bestLen*10 < total*8 || isTableRowish(best) {
			return n
		}
		n = best
	}
}

// isTableRowish stops the descent at a table: its rows are read together.
func isTableRowish(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Tr, atom.Tbody, atom.Thead:
		return isDataTable(tableOf(n))
	case atom.Table:
		return isDataTable(n)
	}
	return false
}

func tableOf(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.DataAtom == atom.Table {
			return n
		}
	}
	return nil
}

func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Br, atom.Tr, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Table, atom.Section, atom.Article, atom.Blockquote, atom.Pre, atom.Dd, atom.Dt, atom.Dl,
		atom.Center, atom.Hr, atom.Form, atom.Ul, atom.Ol, atom.Main, atom.Td, atom.Th, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Caption, atom.Figure, atom.Figcaption, atom.Address:
		return true
	}
	return false
}

// isDataTable tells a table of data (a task table, a list of figures) from a
// page-layout table: it holds no table, has rows of two cells or more and a
// header row or more than one such row.
func isDataTable(t *html.Node) bool {
	if t == nil {
		return false
	}
	nested := false
	rows, wide := 0, 0
	walk(t, func(n *html.Node) bool {
		if n != t && n.DataAtom == atom.Table {
			nested = true
			return false
		}
		if n.DataAtom == atom.Tr {
			rows++
			cells := 0
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
					cells++
				}
			}
			if cells >= 2 {
				wide++
			}
		}
		return true
	})
	return !nested && rows >= 2 && wide >= 2
}

// renderBlock writes an element's text as lines: a line per block (p, div,
// li, br …), a data table through tableText, link lists left out.
func renderBlock(root *html.Node) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if l := clean(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode, html.DocumentNode:
		default:
			return
		}
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Table && isDataTable(n) {
				flush()
				lines = append(lines, tableText(htmlTable(n))...)
				return
			}
			if isLinkList(n) {
				return
			}
			if n.DataAtom == atom.Br {
				flush()
				return
			}
		}
		block := n.Type == html.ElementNode && isBlock(n)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			flush()
		}
	}
	visit(root)
	flush()
	// A footer line left inside the article's container ends it.
	var out []string
	for _, l := range lines {
		if footerRe.MatchString(l) && utf8.RuneCountInString(l) < 120 {
			continue
		}
		out = append(out, l)
	}
	return out
}

// isLinkList is a block of links and little else: a menu, a list of related
// articles, "上一篇/下一篇".
func isLinkList(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Ul, atom.Ol, atom.Div, atom.Dl, atom.Table, atom.Td, atom.P:
	default:
		return false
	}
	links := 0
	walk(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			links++
			return false
		}
		return true
	})
	if links < 2 {
		return false
	}
	text, link := textLengths(n)
	return link > 2*text
}

// htmlTable lays an HTML table's rows out as grid cells, a cell spanning rows
// (rowspan) repeated in the rows below it as continuing.
func htmlTable(t *html.Node) [][]gridCell {
	var rows [][]gridCell
	type pending struct {
		left  int
		lines []string
		span  int
	}
	down := map[int]*pending{} // column → a cell still spanning down
	walk(t, func(n *html.Node) bool {
		if n != t && n.DataAtom == atom.Table {
			return false
		}
		if n.DataAtom != atom.Tr {
			return true
		}
		var row []gridCell
		col := 0
		take := func() {
			for {
				p := down[col]
				if p == nil || p.left <= 0 {
					return
				}
				row = append(row, gridCell{lines: p.lines, span: p.span, fromAbove: true})
				p.left--
				col += p.span
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Td && c.DataAtom != atom.Th {
				continue
			}
			take()
			span := intAttr(c, "colspan", 1)
			lines := renderBlock(c)
			row = append(row, gridCell{lines: lines, span: span})
			if rs := intAttr(c, "rowspan", 1); rs > 1 {
				down[col] = &pending{left: rs - 1, lines: lines, span: span}
			}
			col += span
		}
		take()
		rows = append(rows, row)
		return false
	})
	return rows
}

func intAttr(n *html.Node, key string, def int) int {
	v, err := strconv.Atoi(strings.TrimSpace(getAttr(n, key)))
	if err != nil || v < 1 || v > 100 {
		return def
	}
	return v
}

// walk visits n and its descendants in document order; f returning false
// skips a node's children.
func walk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func findTag(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) bool {
		if found != nil {
			return false
		}
		if c.Type == html.ElementNode && c.DataAtom == a {
			found = c
			return false
		}
		return true
	})
	return found
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		if c.Type == html.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style) {
			return false
		}
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			b.WriteString(" ")
		}
		return true
	})
	return b.String()
}

func getAttr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// clean folds a line's runs of white space (\u00a0 and the ideographic space
// included) to one space and trims it.
func clean(s string) string {
	return strings.TrimSpace(spacesRe.ReplaceAllString(strings.ReplaceAll(s, "\u00a0", " "), " "))
}
