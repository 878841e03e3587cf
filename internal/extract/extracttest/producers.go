// Package extracttest makes the files the extraction tests read with the
// programs offices make them with: PDFs printed by headless Chromium
// (page.printToPDF through chromedp, with Noto CJK fonts), .docx and .doc
// files written by LibreOffice. Nothing is hand-written bytes: the inputs are
// our own HTML and FODT texts (testdata/files).
//
// Where a producer is missing the tests skip, saying how to install it —
// unless POLICYSEARCH_FILE_TESTS=1 (as in .ci/run), which turns a missing
// producer into a failure. What a producer made is kept in the system's temp
// folder under the hash of its input, so the packages that test with the same
// files make them once.
package extracttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Env is the variable that makes a missing producer a failure.
const Env = "POLICYSEARCH_FILE_TESTS"

// Root is the project's root folder, found from the working directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Fixture reads testdata/files/name.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(t), "testdata", "files", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func missing(t testing.TB, what, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s is missing: %s; then run %s=1 go test ./..., as .ci/run does", what, how, Env)
	if os.Getenv(Env) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// cached returns what make made for the input key, making it at most once on
// this machine.
func cached(t testing.TB, kind string, key []byte, ext string, make func(dir string) ([]byte, error)) []byte {
	t.Helper()
	sum := sha256.Sum256(append([]byte(kind+"\x00"), key...))
	dir := filepath.Join(os.TempDir(), "policysearch-fixtures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, kind+"-"+hex.EncodeToString(sum[:8])+ext)
	if b, err := os.ReadFile(name); err == nil && len(b) > 0 {
		return b
	}
	work, err := os.MkdirTemp(dir, "work-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(work)
	b, err := make(work)
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	tmp := filepath.Join(work, "made"+ext)
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
	return b
}

// Chromium finds the browser, or skips (fails under Env=1).
func Chromium(t testing.TB) string {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		missing(t, "Chromium ("+path+")", "apt-get install chromium fonts-noto-cjk")
	}
	return path
}

// ChromiumPath is the browser the tests drive: POLICYSEARCH_CHROMIUM, else
// Debian's chromium on the PATH or in /usr/bin; err says when it is not there.
func ChromiumPath() (path string, err error) {
	path = os.Getenv("POLICYSEARCH_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		}
	}
	_, err = os.Stat(path)
	return path, err
}

// cjkFonts checks that a Chinese font is installed: without one Chromium
// prints boxes, and the PDF's text layer is not the text.
func cjkFonts(t testing.TB) {
	t.Helper()
	out, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err != nil || !bytes.Contains(out, []byte("Noto")) {
		missing(t, "a Chinese font (Noto CJK)", "apt-get install fonts-noto-cjk")
	}
}

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
)

// browser is one headless Chromium for the test process, started on first use.
func browser(t testing.TB) context.Context {
	t.Helper()
	chrome := Chromium(t)
	browserOnce.Do(func() {
		profile, err := os.MkdirTemp("", "policysearch-print-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chrome),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.UserDataDir(profile),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
		)
		// The browser lives as long as the test process; the OS ends it.
		alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
		browserCtx, _ = chromedp.NewContext(alloc)
		browserErr = chromedp.Do(browserCtx)
	})
	if browserErr != nil {
		t.Fatalf("starting %s: %v", chrome, browserErr)
	}
	return browserCtx
}

// PrintOptions are how a page is printed.
type PrintOptions struct {
	// PageNumbers prints "— N —" centred in each page's footer, as offices do.
	PageNumbers bool
}

// PrintPDF prints an HTML page to PDF with headless Chromium, on A4.
func PrintPDF(t testing.TB, page string, opt PrintOptions) []byte {
	t.Helper()
	cjkFonts(t)
	ctx := browser(t)
	key := []byte(fmt.Sprintf("%v\x00%s", opt.PageNumbers, page))
	return cached(t, "chromium-pdf", key, ".pdf", func(dir string) ([]byte, error) {
		file := filepath.Join(dir, "page.html")
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			return nil, err
		}
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		tab, cancelTime := context.WithTimeout(tab, 60*time.Second)
		defer cancelTime()
		if err := chromedp.Do(tab, chromedp.Navigate("file://"+file)); err != nil {
			return nil, err
		}
		opts := []chromedp.PDFOption{chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFMargins(1.0, 1.0, 1.0, 1.0)}
		if opt.PageNumbers {
			opts = append(opts,
				chromedp.PDFHeaderTemplate(`<span></span>`),
				chromedp.PDFFooterTemplate(`<div style="width:100%;text-align:center;font-size:14px;font-family:'Noto Serif CJK SC'">— <span class="pageNumber"></span> —</div>`))
		}
		return chromedp.Run(tab, chromedp.PrintToPDF(opts...))
	})
}

// LibreOffice finds soffice, or skips (fails under Env=1).
func LibreOffice(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "LibreOffice", "apt-get install libreoffice-writer-nogui")
	return ""
}

var officeMu sync.Mutex // one LibreOffice at a time: it shares its profile

// Convert has LibreOffice convert a file (named name, so its extension says
// what it is: .html, .fodt) with a filter such as `docx:"MS Word 2007 XML"` or
// `doc:"MS Word 97"`. LibreOffice exits 0 when it fails, so the output is checked.
func Convert(t testing.TB, name string, input []byte, filter string) []byte {
	t.Helper()
	office := LibreOffice(t)
	cjkFonts(t)
	// Quotes are the shell's; exec passes the filter name as it is.
	filter = strings.ReplaceAll(filter, `"`, "")
	ext := "." + strings.SplitN(filter, ":", 2)[0]
	key := []byte(name + "\x00" + filter + "\x00" + string(input))
	return cached(t, "libreoffice", key, ext, func(dir string) ([]byte, error) {
		officeMu.Lock()
		defer officeMu.Unlock()
		in := filepath.Join(dir, name)
		if err := os.WriteFile(in, input, 0o644); err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, office, "--headless", "--norestore",
			"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", filter, "--outdir", filepath.Join(dir, "out"), in)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("%v: %s", err, out)
		}
		res := filepath.Join(dir, "out", strings.TrimSuffix(name, filepath.Ext(name))+ext)
		b, err := os.ReadFile(res)
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("LibreOffice wrote no %s (%v): %s", ext, err, out)
		}
		return b, nil
	})
}
