package api_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/extract"
	"policysearch/internal/extract/extracttest"
	"policysearch/internal/library"
)

// The admin page in a browser: a wrong token is refused; the right one lists
// the documents; a PDF and a .docx picked together upload with a progress bar
// each and are listed and found by the search page; a text dropped on the page
// uploads too; a document is deleted; the token stays in sessionStorage and
// out of every URL.
func TestBrowserAdmin(t *testing.T) {
	chrome := chromium(t)
	const token = "adm1n-t0ken"
	plain := string(extracttest.Fixture(t, "plain-notice.txt"))
	pdf := extracttest.PrintPDF(t, extracttest.TextPage(plain), extracttest.PrintOptions{PageNumbers: true})
	docx := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `docx:"MS Word 2007 XML"`)
	files := t.TempDir()
	pdfPath, docxPath := filepath.Join(files, "北碚科技活动周.pdf"), filepath.Join(files, "东湖任务分工.docx")
	os.WriteFile(pdfPath, pdf, 0o644)
	os.WriteFile(docxPath, docx, 0o644)

	dir := t.TempDir()
	ix, _, _, err := library.Open("", dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var srv *api.Server
	lib := api.ManageForTest(t, "", dir, &srv)
	lib.SetExtractor(extract.New(extract.Options{CacheDir: filepath.Join(os.TempDir(), "policysearch-test-cache")}))
	srv = api.New(api.Options{AdminToken: token, Library: lib})
	srv.SetIndex(ix)
	service := api.ServeForTest(t, srv)

	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(profile), chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "zh-CN"))
	bounded, cancelAll := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancelAll)
	alloc, cancelAlloc := chromedp.NewExecAllocator(bounded, opts...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	env := &browserEnv{service: service, browser: browser, server: srv}
	tb := env.tab(t)
	tb.open(service + "/admin")

	// A wrong token: refused, nothing shown, nothing kept.
	tb.waitFor("the login form", `!document.querySelector('#login').hidden`)
	tb.do(chromedp.SendKeys(chromedp.ID("token"), "wrong-token"), chromedp.Click(chromedp.CSS(`#login-form button`)))
	tb.waitFor("the refusal", `!document.querySelector('#login-error').hidden`)
	if msg := eval[string](tb, `document.querySelector('#login-error').textContent`); !strings.Contains(msg, "令牌不正确") {
		t.Errorf("wrong token message: %q", msg)
	}
	if eval[bool](tb, `!document.querySelector('#manage').hidden || sessionStorage.getItem('policysearch-admin-token') !== null`) {
		t.Fatal("a wrong token opened the page or was kept")
	}

	// The right token: the list, with the built-in notice read-only.
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#token').value = ''`),
		chromedp.SendKeys(chromedp.ID("token"), token), chromedp.Click(chromedp.CSS(`#login-form button`)))
	tb.waitFor("the document list", `document.querySelector('#docs tr[data-id="yugangyaobanfa-2022-2"] .builtin') !== null`)
	if !eval[bool](tb, `sessionStorage.getItem('policysearch-admin-token') === '`+token+`' && !location.href.includes('`+token+`')`) {
		t.Error("the token is not in sessionStorage, or is in the URL")
	}

	// Two files picked at once: each its own progress and answer.
	tb.do(chromedp.SetUploadFiles(chromedp.ID("files"), []string{pdfPath, docxPath}))
	tb.waitFor("both uploads", `document.querySelectorAll('#uploads .upload').length === 2 &&
		[...document.querySelectorAll('#uploads .upload')].every(u => u.dataset.state === 'done' || u.dataset.state === 'failed')`)
	results := eval[[]string](tb, `[...document.querySelectorAll('#uploads .upload')].map(u => u.dataset.state + ' ' + u.querySelector('progress').value + ' ' + u.querySelector('.result').textContent)`)
	for _, r := range results {
		if !strings.HasPrefix(r, "done 100 已入库") {
			t.Errorf("upload: %s", r)
		}
	}
	tb.waitFor("the new rows", `document.querySelectorAll('#docs tbody tr').length === 3`)
	rows := eval[[]string](tb, `[...document.querySelectorAll('#docs tbody tr')].map(r => r.textContent)`)
	var pdfID, docxID string
	for _, r := range rows {
		switch {
		case strings.Contains(r, "北碚科协发〔2023〕5号"):
			if !strings.Contains(r, "PDF · ") {
				t.Errorf("the PDF's row lacks its format and pages: %s", r)
			}
		case strings.Contains(r, "东科协发〔2024〕3号"):
			if !strings.Contains(r, "Word") {
				t.Errorf("the .docx's row lacks its format: %s", r)
			}
		}
	}
	ids := eval[[]string](tb, `[...document.querySelectorAll('#docs tbody tr')].map(r => r.dataset.id)`)
	for _, id := range ids {
		if id == "yugangyaobanfa-2022-2" {
			continue
		}
		if strings.HasPrefix(id, "2023-5-") {
			pdfID = id
		} else {
			docxID = id
		}
	}
	if pdfID == "" || docxID == "" {
		t.Fatalf("rows: %q", ids)
	}

	// Found by the search page, from the row's link.
	tb.open(service + "/?q=" + "科学实验展演")
	tb.waitFor("the docx's item found", `document.querySelector('.hit[data-doc="`+docxID+`"]') !== null || [...document.querySelectorAll('.hit')].some(h => h.textContent.includes('科学实验展演'))`)
	tb.open(service + "/?q=" + "科技活动周启动仪式")
	tb.waitFor("the PDF's item found", `[...document.querySelectorAll('.hit')].some(h => h.textContent.includes('科技活动周启动仪式'))`)

	// A text dropped on the page uploads too (a GBK file, as Notepad saves it).
	tb.open(service + "/admin")
	tb.waitFor("the list again", `document.querySelectorAll('#docs tbody tr').length === 3`)
	gbk := extracttest.GB18030(t, strings.Replace(plain, "〔2023〕5号", "〔2023〕9号", 1))
	var bytesJS strings.Builder
	for i, c := range gbk {
		if i > 0 {
			bytesJS.WriteByte(',')
		}
		bytesJS.WriteString(strconv.Itoa(int(c)))
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array([` + bytesJS.String() + `])], '通知.txt', { type: 'text/plain' }));
		document.querySelector('#drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
	})()`))
	tb.waitFor("the dropped file", `[...document.querySelectorAll('#uploads .upload')].some(u => u.dataset.state === 'done')`)
	tb.waitFor("its row", `document.querySelectorAll('#docs tbody tr').length === 4`)

	// Delete the PDF: gone from the list and from the API.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`#docs tr[data-id="`+pdfID+`"] button.danger`)))
	tb.waitFor("the row to go", `document.querySelector('#docs tr[data-id="`+pdfID+`"]') === null && document.querySelector('#status').textContent.includes('已删除')`)
	res, err := http.Get(service + "/api/v1/documents/" + pdfID)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("the deleted document: %d", res.StatusCode)
	}
}
