package docscheck

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/text/width"
)

// Row is one check of one document.
type Row struct {
	Doc      string `json:"doc"` // the file name
	Check    string `json:"check"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
	OK       bool   `json:"ok"`
}

// Result is the row's verdict as printed: ok or WRONG.
func (r Row) Result() string {
	if r.OK {
		return "ok"
	}
	return "WRONG"
}

// Report is every check of every document, grouped by document.
type Report struct {
	Rows []Row `json:"rows"`
}

func (r *Report) add(doc, check, expected, got string, ok bool) {
	r.Rows = append(r.Rows, Row{Doc: doc, Check: check, Expected: expected, Got: got, OK: ok})
}

func (r *Report) sort() {
	sort.SliceStable(r.Rows, func(i, j int) bool { return r.Rows[i].Doc < r.Rows[j].Doc })
}

// Failures is the number of WRONG rows.
func (r Report) Failures() int {
	n := 0
	for _, row := range r.Rows {
		if !row.OK {
			n++
		}
	}
	return n
}

// Documents is the number of documents the report covers.
func (r Report) Documents() int {
	seen := map[string]bool{}
	for _, row := range r.Rows {
		seen[row.Doc] = true
	}
	return len(seen)
}

// Summary is one line: checks, failures, documents.
func (r Report) Summary() string {
	return fmt.Sprintf("%d checks on %d documents: %d ok, %d WRONG", len(r.Rows), r.Documents(), len(r.Rows)-r.Failures(), r.Failures())
}

var header = [5]string{"document", "check", "expected", "got", "result"}

func (r Report) cells() [][5]string {
	out := make([][5]string, 0, len(r.Rows))
	prev := ""
	for _, row := range r.Rows {
		doc := row.Doc
		if doc == prev {
			doc = "" // the document is named on its first row only
		}
		prev = row.Doc
		out = append(out, [5]string{doc, row.Check, row.Expected, row.Got, row.Result()})
	}
	return out
}

// WriteText prints the report as a table aligned for a monospace terminal (wide
// CJK characters count two columns), then the summary. With onlyWrong, only
// the WRONG rows are printed.
func (r Report) WriteText(w io.Writer, onlyWrong bool) error {
	rows := r
	if onlyWrong {
		rows = r.wrong()
	}
	cells := rows.cells()
	var widths [5]int
	for i, h := range header {
		widths[i] = displayWidth(h)
	}
	for _, c := range cells {
		for i := range c {
			widths[i] = max(widths[i], displayWidth(c[i]))
		}
	}
	var b strings.Builder
	line := func(c [5]string) {
		for i, s := range c {
			b.WriteString(s)
			if i < len(c)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(s)+2))
			}
		}
		b.WriteByte('\n')
	}
	line(header)
	var rule [5]string
	for i := range rule {
		rule[i] = strings.Repeat("-", widths[i])
	}
	line(rule)
	prev := ""
	for i, c := range cells {
		if i > 0 && rows.Rows[i].Doc != prev {
			b.WriteByte('\n')
		}
		prev = rows.Rows[i].Doc
		line(c)
	}
	b.WriteString("\n" + r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown prints the report as a Markdown table, then the summary.
func (r Report) WriteMarkdown(w io.Writer, onlyWrong bool) error {
	rows := r
	if onlyWrong {
		rows = r.wrong()
	}
	var b strings.Builder
	esc := strings.NewReplacer("|", `\|`, "\n", " ")
	b.WriteString("| " + strings.Join(header[:], " | ") + " |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, c := range rows.cells() {
		for i := range c {
			c[i] = esc.Replace(c[i])
		}
		if c[4] == "WRONG" {
			c[4] = "**WRONG**"
		}
		b.WriteString("| " + strings.Join(c[:], " | ") + " |\n")
	}
	b.WriteString("\n" + r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// String is the aligned table.
func (r Report) String() string {
	var b strings.Builder
	r.WriteText(&b, false)
	return b.String()
}

func (r Report) wrong() Report {
	var out Report
	for _, row := range r.Rows {
		if !row.OK {
			out.Rows = append(out.Rows, row)
		}
	}
	return out
}

// displayWidth is the columns s takes in a monospace terminal: East Asian wide
// and full-width characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
