// Package extract turns the files offices hold — PDF, Word .docx, saved web
// pages, OFD and text in UTF-8 or GB18030/GBK — into the text the parser
// (internal/gongwen) reads: one paragraph or line per line, a PDF's pages
// joined by line breaks without their page numbers, Word's automatic
// numbering written out, a task table's rows as items with their 牵头单位,
// 责任单位 and 完成时限 lines, a web page's article without its site.
//
// The format is decided by the content (magic bytes); the file name and
// Content-Type only choose between text and a web page, and name the file in
// messages. A format it cannot read is a fault.Unsupported that lists those it
// reads; a file of a known format that holds no text is a fault.Unprocessable.
package extract

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"

	"policysearch/internal/fault"
)

// Version identifies the extractors' output. Change it whenever a change here
// changes the text of any file, so that documents are extracted again and
// their index rebuilt (it is part of every document's metadata, which the
// index fingerprint covers).
const Version = "extract/1"

// Format is a kind of file the extractor reads.
type Format string

// The formats read.
const (
	Text Format = "text" // plain text, UTF-8 or GB18030/GBK (UTF-16 with a BOM too)
	PDF  Format = "pdf"  // a PDF with a text layer
	DOCX Format = "docx" // Word 2007+ (Office Open XML)
	HTML Format = "html" // a saved web page
	OFD  Format = "ofd"  // the national electronic document format (GB/T 33190)
)

// Accepted names the formats read, for messages.
const Accepted = "PDF with a text layer (.pdf), Word (.docx), saved web pages (.html, .htm), OFD (.ofd) and plain text (.txt, UTF-8 or GB18030/GBK)"

// Ext is the file name extension an original of the format is stored under.
func (f Format) Ext() string {
	switch f {
	case PDF:
		return ".pdf"
	case DOCX:
		return ".docx"
	case HTML:
		return ".html"
	case OFD:
		return ".ofd"
	}
	return ".txt"
}

// MediaType is the Content-Type an original of the format is served with.
func (f Format) MediaType() string {
	switch f {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case HTML:
		return "text/html"
	case OFD:
		return "application/ofd"
	}
	return "text/plain"
}

// Zipped reports whether the format is a zip archive, whose unpacked size is
// bounded separately.
func (f Format) Zipped() bool { return f == DOCX || f == OFD }

// Readable reports whether a file name has the extension of a format read, so
// a folder of documents can be listed without opening every file.
func Readable(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".pdf", ".docx", ".html", ".htm", ".shtml", ".xhtml", ".ofd":
		return true
	}
	return false
}

// Hint is what the sender says about a file: its name and Content-Type.
type Hint struct {
	Name        string
	ContentType string
}

// Result is a file's text as the parser reads it.
type Result struct {
	Format   Format
	Text     string // UTF-8, \n line ends
	Pages    int    // a PDF's or OFD's pages; 0 for the other formats
	Encoding string // the charset a text or web page was in
}

// Options configure an extractor.
type Options struct {
	// CacheDir holds what makes a second start fast (pdfium's compiled
	// WebAssembly); "" keeps nothing, so every process compiles it again.
	CacheDir string
	// MaxUnpacked bounds the unpacked size of a zip-based file (.docx, .ofd),
	// so a small zip bomb cannot take the server's memory. 0 is 256 MiB.
	MaxUnpacked int64
}

// Extractor reads files. It is safe for concurrent use; pdfium is started on
// the first PDF and serves one PDF at a time.
type Extractor struct {
	opt     Options
	pdfMu   sync.Mutex
	pdfPool pdfium.Pool
	pdfErr  error
	// PDFStart is how long starting pdfium took (0 until a PDF came).
	PDFStart time.Duration
}

// New makes an extractor. It starts nothing: pdfium waits for the first PDF.
func New(opt Options) *Extractor {
	if opt.MaxUnpacked <= 0 {
		opt.MaxUnpacked = 256 << 20
	}
	return &Extractor{opt: opt}
}

// Close stops pdfium, if it was started.
func (e *Extractor) Close() error {
	e.pdfMu.Lock()
	defer e.pdfMu.Unlock()
	if e.pdfPool == nil {
		return nil
	}
	err := e.pdfPool.Close()
	e.pdfPool = nil
	return err
}

// Extract reads a file's text.
func (e *Extractor) Extract(data []byte, hint Hint) (Result, error) {
	f, err := Detect(data, hint)
	if err != nil {
		return Result{}, err
	}
	r := Result{Format: f}
	switch f {
	case PDF:
		r.Text, r.Pages, err = e.pdfText(data)
	case DOCX:
		r.Text, err = docxText(data, e.opt.MaxUnpacked)
	case OFD:
		r.Text, r.Pages, err = ofdText(data, e.opt.MaxUnpacked)
	case HTML:
		r.Text, r.Encoding, err = htmlText(data, hint.ContentType)
	default:
		r.Text, r.Encoding, err = decodeText(data)
	}
	if err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(r.Text) == "" {
		return Result{}, fault.New(fault.Unprocessable, "the %s holds no text", describe(f))
	}
	return r, nil
}

func describe(f Format) string {
	switch f {
	case PDF:
		return "PDF"
	case DOCX:
		return "Word document"
	case OFD:
		return "OFD document"
	case HTML:
		return "web page"
	}
	return "text"
}

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// Detect decides a file's format from its content; the hint's name and
// Content-Type only tell a web page from text where the content could be
// either. A format it does not read is a fault.Unsupported naming those it does.
func Detect(data []byte, hint Hint) (Format, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0 {
		return "", fault.New(fault.Invalid, "the file%s is empty", named(hint))
	}
	head := data[:min(len(data), 1024)]
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return zipFormat(data, hint)
	case bytes.HasPrefix(data, oleMagic):
		return "", unsupported(hint, "a legacy binary Word (.doc), WPS (.wps) or other pre-2007 Office file; open it in Word or WPS and save it as .docx or PDF")
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return "", unsupported(hint, "an RTF file; save it as .docx or PDF")
	}
	if kind := image(data); kind != "" {
		return "", unsupported(hint, "a "+kind+" image; a scanned page needs OCR first, then send its text")
	}
	if looksMHTML(head) {
		return "", unsupported(hint, "a web archive (.mht/.mhtml); save the page as a web page, HTML only")
	}
	if looksXMLDocument(head) {
		return "", unsupported(hint, "an XML document (Word 2003 XML, flat OpenDocument or the like); save it as .docx or PDF")
	}
	if binary(data) {
		return "", unsupported(hint, "not a format it reads")
	}
	if hintsHTML(hint) || looksHTML(data) {
		return HTML, nil
	}
	return Text, nil
}

func named(h Hint) string {
	if h.Name != "" {
		return " " + filepath.Base(h.Name)
	}
	return ""
}

func unsupported(h Hint, what string) error {
	name := "the file"
	if h.Name != "" {
		name = filepath.Base(h.Name)
	}
	return fault.New(fault.Unsupported, "%s is %s. Accepted: %s", name, what, Accepted)
}

func hintsHTML(h Hint) bool {
	if mt, _, err := mime.ParseMediaType(h.ContentType); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	switch strings.ToLower(filepath.Ext(h.Name)) {
	case ".html", ".htm", ".shtml", ".xhtml":
		return true
	}
	return false
}

func looksHTML(data []byte) bool {
	sniff := data
	if d, _, ok := utf16Text(data); ok {
		sniff = []byte(d)
	}
	if strings.HasPrefix(http.DetectContentType(sniff), "text/html") {
		return true
	}
	head := bytes.ToLower(sniff[:min(len(sniff), 2048)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<body"))
}

func looksMHTML(head []byte) bool {
	h := bytes.ToLower(head)
	return bytes.Contains(h, []byte("mime-version:")) && bytes.Contains(h, []byte("multipart/related"))
}

func looksXMLDocument(head []byte) bool {
	h := bytes.TrimSpace(bytes.TrimPrefix(head, utf8BOM))
	if !bytes.HasPrefix(h, []byte("<?xml")) {
		return false
	}
	return bytes.Contains(h, []byte("<w:wordDocument")) || bytes.Contains(h, []byte("<office:document")) ||
		bytes.Contains(h, []byte("<pkg:package"))
}

func image(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "JPEG"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF"
	case len(data) > 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return "WebP"
	}
	return ""
}

// binary reports bytes no text holds: NUL (outside UTF-16) or other control
// characters in the first 8 KiB.
func binary(data []byte) bool {
	if _, _, ok := utf16Text(data); ok {
		return false
	}
	head := data[:min(len(data), 8192)]
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b:
			ctl++
		}
	}
	return ctl*100 > len(head)
}

// errorf is a plain error for failures that are the server's, not the file's.
func errorf(format string, args ...interface{}) error { return fmt.Errorf(format, args...) }
