package extract

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"policysearch/internal/fault"
)

// docxText reads a Word document's body: its paragraphs one a line, with the
// numbers Word's automatic numbering shows written out (一、 （一） 1. are
// often not in the text but in numbering.xml), and its tables — a task table
// (任务 / 牵头单位 / 责任单位 / 完成时限) as one item per row with the lines the
// parser reads for departments and deadlines, any other table one row a line.
func docxText(data []byte, limit int64) (string, error) {
	z, err := openZip(data, limit, "Word document")
	if err != nil {
		return "", err
	}
	if !z.has("word/document.xml") {
		return "", fault.New(fault.Unprocessable, "the Word document lacks word/document.xml")
	}
	st := &styles{byID: map[string]*style{}}
	if z.has("word/styles.xml") {
		if err := st.read(z); err != nil {
			return "", err
		}
	}
	num := newNumbering(st)
	if z.has("word/numbering.xml") {
		if err := num.read(z); err != nil {
			return "", err
		}
	}
	rc, err := z.open("word/document.xml")
	if err != nil {
		return "", err
	}
	defer rc.Close()
	w := &docxWalker{num: num, styles: st}
	if err := w.walk(xml.NewDecoder(rc)); err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) {
			return "", err
		}
		return "", fault.New(fault.Unprocessable, "the Word document is damaged: word/document.xml: %v", err)
	}
	return w.out.String(), nil
}

// The WordprocessingML namespace; elements are matched by local name within it.
const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local && (a.Name.Space == wNS || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

func attrInt(e xml.StartElement, local string) (int, bool) {
	v, ok := attr(e, local)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// onOff reads a toggle such as <w:vanish/> or <w:vanish w:val="0"/>.
func onOff(e xml.StartElement) bool {
	v, ok := attr(e, "val")
	return !ok || !(v == "0" || v == "false" || v == "off")
}

// para is a paragraph being read.
type para struct {
	text   strings.Builder
	style  string
	numID  int
	ilvl   int
	hasNum bool
	hasLvl bool
}

// cell is a table cell being read: its paragraphs, and how it spans.
type cell struct {
	lines  []string
	span   int
	merged bool // a vertical merge's continuation: holds the cell above
}

type table struct {
	rows [][]*cell
}

// docxWalker reads document.xml as a stream: paragraphs (also those of text
// boxes, nested in a run) and tables (also nested), in document order.
type docxWalker struct {
	num    *numbering
	styles *styles
	out    strings.Builder

	paras  []*para  // open paragraphs: more than one inside a text box
	tables []*table // open tables
	cells  []*cell  // open cells, one per open table at most
	stack  []string // open element names

	inText, hidden bool
	skip           int // depth inside an element whose text is not the document's
	fieldDepth     int // inside a field's instructions (between begin and separate)
}

func (w *docxWalker) parent(n int) string {
	if len(w.stack) > n {
		return w.stack[len(w.stack)-1-n]
	}
	return ""
}

func (w *docxWalker) walk(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t)
			w.stack = append(w.stack, t.Name.Local)
		case xml.EndElement:
			if len(w.stack) > 0 {
				w.stack = w.stack[:len(w.stack)-1]
			}
			w.end(t)
		case xml.CharData:
			if w.inText && !w.hidden && w.skip == 0 && w.fieldDepth == 0 && len(w.paras) > 0 {
				w.paras[len(w.paras)-1].text.Write(t)
			}
		}
	}
}

func (w *docxWalker) top() *para {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *docxWalker) start(e xml.StartElement) {
	name := e.Name.Local
	if w.skip > 0 {
		w.skip++
		return
	}
	switch name {
	case "del", "moveFrom", "instrText", "delInstrText", "Fallback", "pPrChange", "rPrChange", "numberingChange":
		// Deleted revisions, field codes and a drawing's second rendering are
		// not what the page shows.
		w.skip = 1
	case "p":
		w.paras = append(w.paras, &para{})
	case "pStyle":
		if p := w.top(); p != nil && w.parent(0) == "pPr" {
			p.style, _ = attr(e, "val")
		}
	case "numId":
		if p := w.top(); p != nil && w.parent(1) == "pPr" {
			p.numID, p.hasNum = attrIntOr(e, 0), true
		}
	case "ilvl":
		if p := w.top(); p != nil && w.parent(1) == "pPr" {
			p.ilvl, p.hasLvl = attrIntOr(e, 0), true
		}
	case "r":
		w.hidden = false
	case "vanish":
		if w.parent(0) == "rPr" && w.parent(1) == "r" {
			w.hidden = onOff(e)
		}
	case "t":
		w.inText = true
	case "tab":
		if w.parent(0) == "r" {
			w.write(" ")
		}
	case "br", "cr":
		if w.parent(0) == "r" {
			w.write("\n")
		}
	case "noBreakHyphen":
		w.write("-")
	case "fldChar":
		switch v, _ := attr(e, "fldCharType"); v {
		case "begin":
			w.fieldDepth++
		case "separate", "end":
			if w.fieldDepth > 0 {
				w.fieldDepth--
			}
		}
	case "tbl":
		w.tables = append(w.tables, &table{})
	case "tr":
		if t := w.curTable(); t != nil {
			t.rows = append(t.rows, nil)
		}
	case "tc":
		c := &cell{span: 1}
		if t := w.curTable(); t != nil && len(t.rows) > 0 {
			t.rows[len(t.rows)-1] = append(t.rows[len(t.rows)-1], c)
		}
		w.cells = append(w.cells, c)
	case "gridSpan":
		if c := w.curCell(); c != nil && w.parent(0) == "tcPr" {
			if n := attrIntOr(e, 1); n > 1 && n < 64 {
				c.span = n
			}
		}
	case "vMerge":
		if c := w.curCell(); c != nil && w.parent(0) == "tcPr" {
			v, _ := attr(e, "val")
			c.merged = v != "restart"
		}
	}
}

func attrIntOr(e xml.StartElement, def int) int {
	if n, ok := attrInt(e, "val"); ok {
		return n
	}
	return def
}

func (w *docxWalker) end(e xml.EndElement) {
	if w.skip > 0 {
		w.skip--
		return
	}
	switch e.Name.Local {
	case "t":
		w.inText = false
	case "r":
		w.hidden = false
	case "p":
		if len(w.paras) == 0 {
			return
		}
		p := w.paras[len(w.paras)-1]
		w.paras = w.paras[:len(w.paras)-1]
		w.emit(w.paragraph(p)...)
	case "tc":
		if len(w.cells) > 0 {
			w.cells = w.cells[:len(w.cells)-1]
		}
	case "tbl":
		if len(w.tables) == 0 {
			return
		}
		t := w.tables[len(w.tables)-1]
		w.tables = w.tables[:len(w.tables)-1]
		w.emit(tableLines(t)...)
	}
}

func (w *docxWalker) curTable() *table {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

func (w *docxWalker) curCell() *cell {
	if len(w.cells) == 0 || len(w.cells) != len(w.tables) {
		return nil
	}
	return w.cells[len(w.cells)-1]
}

func (w *docxWalker) write(s string) {
	if p := w.top(); p != nil && !w.hidden && w.fieldDepth == 0 {
		p.text.WriteString(s)
	}
}

// paragraph is a paragraph's lines, its automatic number in front.
func (w *docxWalker) paragraph(p *para) []string {
	text := p.text.String()
	label := w.num.next(p, w.styles)
	if strings.TrimSpace(text) == "" {
		return nil
	}
	text = label + text
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " \t\u3000"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// emit adds lines to the open cell (in a table) or to the text.
func (w *docxWalker) emit(lines ...string) {
	if len(lines) == 0 {
		return
	}
	if len(w.tables) > 0 {
		if len(w.cells) > 0 {
			c := w.cells[len(w.cells)-1]
			c.lines = append(c.lines, lines...)
		}
		return
	}
	for _, l := range lines {
		w.out.WriteString(l)
		w.out.WriteByte('\n')
	}
}

// tableLines is a Word table as the parser reads it.
func tableLines(t *table) []string {
	rows := make([][]gridCell, 0, len(t.rows))
	for _, r := range t.rows {
		row := make([]gridCell, 0, len(r))
		for _, c := range r {
			row = append(row, gridCell{lines: c.lines, span: c.span, fromAbove: c.merged})
		}
		rows = append(rows, row)
	}
	return tableText(rows)
}
