// Package gongwen reads Chinese official documents (公文) as extracted from PDF
// into their metadata and clauses. It is pure: text in, structure out.
package gongwen

import "fmt"

// Version identifies the parser's output. Change it whenever a change to the
// parser changes any clause, so that indexes built by an older parser are rebuilt.
const Version = "gongwen/4"

// Kind is what part of a document a clause is.
type Kind string

// The kinds of clause.
const (
	KindNotice    Kind = "notice"    // the cover notice that issues the document
	KindPreamble  Kind = "preamble"  // text before the first section
	KindItem      Kind = "item"      // a numbered work item
	KindParagraph Kind = "paragraph" // unnumbered text under a heading
)

// AllUnits is the department value for items assigned to every responsible unit.
const AllUnits = "各责任单位"

// Document is one official document: its metadata, outline and clauses.
type Document struct {
	ID          string    `json:"id"`
	Number      string    `json:"number,omitempty"`    // 文号, e.g. 渝纲要办发〔2022〕2号
	Issuer      string    `json:"issuer,omitempty"`    // 发文机关; the first of Issuers
	Issuers     []string  `json:"issuers,omitempty"`   // every issuing body of a joint document
	Region      string    `json:"region,omitempty"`    // where the issuer governs: 重庆, 南昌, 全国
	Date        string    `json:"date,omitempty"`      // 成文日期 (the signature's date), YYYY-MM-DD
	Published   string    `json:"published,omitempty"` // 发布日期 of a web page, YYYY-MM-DD; never the date
	Year        int       `json:"year,omitempty"`      // the plan title's year, else the date's
	Title       string    `json:"title"`               // the document's own title
	Recipients  []string  `json:"recipients,omitempty"`
	Disclosure  string    `json:"disclosure,omitempty"`  // 此件主动公开 and the like
	Attachment  string    `json:"attachment,omitempty"`  // the first of Attachments
	Attachments []string  `json:"attachments,omitempty"` // titles of the plans the notice issues
	Warnings    []Warning `json:"warnings,omitempty"`    // what the parser could not place
	Outline     []Section `json:"outline,omitempty"`
	Clauses     []Clause  `json:"clauses,omitempty"`

	// Set by the library (Parse leaves them empty): the format of the file the
	// text was read from (text, pdf, docx, html, ofd), a PDF's or OFD's pages,
	// the version of the extractor that read it, the number of clauses, and
	// whether the document is of the read-only built-in corpus.
	Format      string `json:"format,omitempty"`
	Pages       int    `json:"pages,omitempty"`
	Extractor   string `json:"extractor,omitempty"`
	ClauseCount int    `json:"clause_count,omitempty"`
	BuiltIn     bool   `json:"built_in,omitempty"`
	// SeriesName is the yearly series an admin named when adding the
	// document (series=), for a plan whose title does not tell it.
	SeriesName string `json:"series_name,omitempty"`
}

// Warning is a part of the text the parser could not understand, and where.
type Warning struct {
	Line    int    `json:"line"` // 1-based line of the source text
	Message string `json:"message"`
}

// Section is a heading of the outline (一、 or （一）) with what it holds.
type Section struct {
	Number      string    `json:"number"` // 一, or 一/三 for a subsection
	Heading     string    `json:"heading"`
	Subsections []Section `json:"subsections,omitempty"`
	Items       []ItemRef `json:"items,omitempty"`
}

// ItemRef names an item in the outline.
type ItemRef struct {
	Number int    `json:"number"`
	ID     string `json:"id"`
	Title  string `json:"title"`
}

// Clause is the unit of search: the cover notice, the preamble, an item or a paragraph.
type Clause struct {
	ID          string   `json:"id"`
	DocID       string   `json:"doc_id"`
	Kind        Kind     `json:"kind"`
	Number      int      `json:"number,omitempty"`
	Path        []string `json:"path,omitempty"`
	Section     string   `json:"section,omitempty"` // section numbers: 一 or 一/三
	Title       string   `json:"title,omitempty"`
	Text        string   `json:"text"`
	Departments []string `json:"departments,omitempty"` // everyone responsible, lead first
	// LeadDepartments are the units that lead (牵头), where the document names them.
	LeadDepartments []string `json:"lead_departments,omitempty"`
	Deadline        string   `json:"deadline,omitempty"` // 完成时限, as written
	Citation        string   `json:"citation"`
	Order           int      `json:"order"` // position in the document, from 0
	Line            int      `json:"line"`  // first source line, from 1
}

// Error is a document the parser cannot read, with where and why.
type Error struct {
	Line   int // 1-based source line, 0 when the whole input is at fault
	Offset int // byte offset in the input
	Reason string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d (byte %d): %s", e.Line, e.Offset, e.Reason)
	}
	return fmt.Sprintf("byte %d: %s", e.Offset, e.Reason)
}
