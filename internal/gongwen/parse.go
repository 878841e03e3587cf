package gongwen

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Parse reads one document. id names it in clause ids and must be usable in a URL
// path (letters, digits, '-', '_', '.'). A text document is never refused: what
// the parser cannot place is listed in the document's Warnings. Only an empty
// text, or bytes that are not UTF-8 text, are errors.
func Parse(id string, src []byte) (*Document, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, &Error{Line: 1 + strings.Count(string(src[:off]), "\n"), Offset: off, Reason: "the text is not valid UTF-8"}
	}
	if i := strings.IndexByte(string(src), 0); i >= 0 {
		return nil, &Error{Line: 1 + strings.Count(string(src[:i]), "\n"), Offset: i, Reason: "the text holds a NUL byte"}
	}
	lines := splitLines(string(src))
	if len(lines) == 0 {
		return nil, &Error{Reason: "the document is empty"}
	}
	p := &parser{doc: &Document{ID: id}, full: fullWidth(lines), wrapped: wrapped(lines), extra: map[int]clauseExtra{}}
	all := lines
	lines = p.dropChrome(lines)
	lines = p.dropContents(lines)
	lines = p.attachmentList(lines)
	if len(lines) == 0 {
		// Nothing but what looks like a page's chrome: keep it rather than lose it.
		p.warn(all[0].no, "the text holds only what looks like a web page's navigation: it is indexed as one paragraph")
		p.addTextClause(KindParagraph, p.joinLines(all), all[0], nil, "", "", 0)
		p.finish()
		return p.doc, nil
	}
	start := firstHeading(lines)
	front, body := lines[:start], lines[start:]
	body, after := p.splitSignature(body)
	p.front(front, len(body) > 0)
	if len(body) == 0 {
		p.warn(lines[0].no, "no numbered heading or item (一、 （一） 1. 第一条) was found: the text is indexed as paragraphs")
	}
	p.body(body)
	p.appendix(after)
	if len(p.doc.Clauses) == 0 {
		// Nothing but front matter (a title alone): the text is still found.
		p.warn(lines[0].no, "the text holds only front matter: it is indexed as one paragraph")
		p.addTextClause(KindParagraph, p.joinLines(lines), lines[0], nil, "", "", 0)
	}
	p.finish()
	return p.doc, nil
}

func checkID(id string) error {
	if id == "" || len(id) > 100 {
		return &Error{Reason: fmt.Sprintf("document id %q must have 1 to 100 characters", id)}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return &Error{Reason: fmt.Sprintf("document id %q may hold only letters, digits, '-', '_' and '.'", id)}
		}
	}
	return nil
}

type parser struct {
	doc     *Document
	full    int  // width of a full line of the page
	wrapped bool // lines were broken at the page width, not at paragraph ends
	order   int
	// Metadata from a web page's fields, used where the document itself is silent.
	fieldTitle, fieldIssuer, fieldDate, fieldNumber string
	attachments                                     []string // named by the notice (附件：…)
	titleOrgans                                     []string // bodies the title names before 关于
	extra                                           map[int]clauseExtra
	volume                                          string // the 第一部分 heading the body is in
}

// clauseExtra is what finish needs to name a clause beyond its kind and number.
type clauseExtra struct {
	heading string // h2, h2-1: a numbered heading with its text
	article bool   // 第十二条
}

func (p *parser) warn(line int, format string, args ...interface{}) {
	p.doc.Warnings = append(p.doc.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

func texts(ls []line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return out
}

// joinLines reflows lines into one text. Lines a PDF broke at the page width
// run on; lines that are paragraphs of their own (a web page) keep a line break,
// as do responsibility lines (牵头单位：…) in either.
func (p *parser) joinLines(ls []line) string {
	if len(ls) == 0 {
		return ""
	}
	var parts []string
	var cur []string
	for i, l := range ls {
		if i > 0 && (!p.wrapped && endsSentence(ls[i-1].key) || isDutyLine(l.key) || isDutyLine(ls[i-1].key)) {
			parts = append(parts, join(cur))
			cur = nil
		}
		cur = append(cur, l.text)
	}
	parts = append(parts, join(cur))
	return strings.Join(parts, "\n")
}
