package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"policysearch/internal/fault"
)

// pdfTimeout bounds one PDF's extraction: a file built to make pdfium spin
// costs its request this long, not the server.
const pdfTimeout = 60 * time.Second

// pdfEngine starts pdfium (WebAssembly, inside the binary) on the first PDF.
// Compiling the module costs ~4.5 s and ~330 MB; with wazero's compilation
// cache on disk (under the data folder) a later start is ~0.1 s. Neither is
// ever on the server's startup path: nothing starts it until a PDF comes.
func (e *Extractor) pdfEngine() (pdfium.Pool, error) {
	e.pdfMu.Lock()
	defer e.pdfMu.Unlock()
	if e.pdfPool != nil {
		return e.pdfPool, nil
	}
	if e.pdfErr != nil {
		return nil, e.pdfErr
	}
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// A cancelled context (the timeout) stops the module mid-call.
		WithCloseOnContextDone(true)
	if e.opt.CacheDir != "" {
		dir := filepath.Join(e.opt.CacheDir, "wazero")
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
	}
	start := time.Now()
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle: 0, MaxIdle: 1, MaxTotal: 1,
		// The sandbox sees no host folder: documents are handed over as bytes.
		FSConfig:      wazero.NewFSConfig(),
		RuntimeConfig: rc,
		ReuseWorkers:  true,
	})
	if err != nil {
		e.pdfErr = fmt.Errorf("starting pdfium: %w", err)
		return nil, e.pdfErr
	}
	e.PDFStart = time.Since(start)
	e.pdfPool = pool
	return pool, nil
}

// pdfText reads a PDF's text layer, page by page, and joins the pages with
// line breaks, without their page numbers and running headers or footers.
func (e *Extractor) pdfText(data []byte) (string, int, error) {
	pool, err := e.pdfEngine()
	if err != nil {
		return "", 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return "", 0, fmt.Errorf("pdfium: %w", err)
	}
	pages, err := readPages(ctx, inst, data)
	if ctx.Err() != nil {
		// The module was stopped mid-call: throw the instance away.
		inst.Kill()
		return "", 0, fault.New(fault.Unprocessable, "the PDF took longer than %s to read; it may be damaged", pdfTimeout)
	}
	inst.Close()
	if err != nil {
		return "", 0, err
	}
	empty := true
	for _, p := range pages {
		if strings.TrimSpace(p) != "" {
			empty = false
			break
		}
	}
	if empty {
		return "", len(pages), fault.New(fault.Unprocessable,
			"the PDF's %d page(s) have no text layer: it is a scan (images of pages). Run OCR on it, or send the document as text, .docx or a web page", len(pages))
	}
	return joinPages(pages), len(pages), nil
}

func readPages(ctx context.Context, inst pdfium.Pdfium, data []byte) ([]string, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "password"):
			return nil, fault.New(fault.Unprocessable, "the PDF is password-protected; send it without the password")
		default:
			// pdfium says "incorrect format" for a truncated or damaged file.
			return nil, fault.New(fault.Unprocessable, "the PDF cannot be opened (%s): it is damaged or truncated", msg)
		}
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, fault.New(fault.Unprocessable, "the PDF's pages cannot be read: %v", err)
	}
	pages := make([]string, 0, count.PageCount)
	for i := 0; i < count.PageCount; i++ {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return nil, fault.New(fault.Unprocessable, "page %d of the PDF cannot be read: %v", i+1, err)
		}
		pages = append(pages, t.Text)
	}
	return pages, nil
}

var (
	// Page numbers as offices print them: — 2 —, - 2 -, 2, 第2页, 第2页 共5页, 2/5.
	pageNumberRe = regexp.MustCompile(`^(?:[—–\-－─~～]*\s*(\d{1,4})\s*[—–\-－─~～]*|第\s*(\d{1,4})\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?|(\d{1,4})\s*[/／]\s*\d{1,4})$`)
	digitsRe     = regexp.MustCompile(`\d+`)
)

// joinPages drops each page's number (on one of its first or last two lines)
// and the lines that head or foot most pages, and joins the pages with line
// breaks: the parser joins a sentence a page break cut, as it does a line.
func joinPages(pages []string) string {
	split := make([][]string, len(pages))
	for i, p := range pages {
		p = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\ufffe", "", "\u0002", "").Replace(p)
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			l = strings.TrimRight(l, " \t\u3000")
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		split[i] = lines
	}
	// A running header or footer: the same line (digits aside) first or last on
	// at least three pages and half of them.
	edges := map[string]int{}
	for _, lines := range split {
		seen := map[string]bool{}
		for _, k := range edgeIndexes(len(lines)) {
			key := digitsRe.ReplaceAllString(strings.TrimSpace(lines[k]), "#")
			if !seen[key] {
				seen[key] = true
				edges[key]++
			}
		}
	}
	running := func(l string) bool {
		n := edges[digitsRe.ReplaceAllString(strings.TrimSpace(l), "#")]
		return n >= 3 && 2*n >= len(pages)
	}
	var b strings.Builder
	for _, lines := range split {
		drop := map[int]bool{}
		for _, k := range edgeIndexes(len(lines)) {
			if isPageNumber(lines[k], len(pages)) || running(lines[k]) {
				drop[k] = true
			}
		}
		for k, l := range lines {
			if !drop[k] {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// edgeIndexes are the first two and last two lines of a page of n lines.
func edgeIndexes(n int) []int {
	var out []int
	for _, k := range []int{0, 1, n - 2, n - 1} {
		if k >= 0 && k < n && (len(out) == 0 || out[len(out)-1] < k) {
			out = append(out, k)
		}
	}
	return out
}

func isPageNumber(l string, pages int) bool {
	m := pageNumberRe.FindStringSubmatch(strings.TrimSpace(l))
	if m == nil {
		return false
	}
	for _, s := range m[1:] {
		if s != "" {
			n, _ := strconv.Atoi(s)
			// A number a page can have (a cover may go unnumbered, so some slack).
			return n >= 1 && n <= pages+10
		}
	}
	return false
}

// errNotStarted is what Close reports when pdfium never ran.
var errNotStarted = errors.New("pdfium was not started")
