package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/extract/extracttest"
	"policysearch/internal/library"
	"policysearch/internal/synonym"
)

// The browser tests drive Debian's Chromium. Where it is missing they are
// skipped, unless this variable is 1 (as in .ci/run): then a missing browser
// fails them, so CI cannot pass without having run them.
const browserTestsEnv = "POLICYSEARCH_BROWSER_TESTS"

var writeScreenshots = flag.Bool("screenshots", false, "write the browser tests' screenshots to ../docs (needs CJK fonts, e.g. apt-get install fonts-noto-cjk)")

func getWithHeaders(t *testing.T, method, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// The page, its files and the widget are served from the binary, as the page
// expects: no inline script, nothing from another host, a CSP that says so.
func TestUIFiles(t *testing.T) {
	res, page := get(t, "/")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "default-src 'none'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("/ CSP %q lacks %q", csp, want)
		}
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).Match(page) || bytes.Contains(page, []byte("style=")) {
		t.Errorf("/ has an inline script or style:\n%s", page)
	}
	for _, name := range []string{"/", "/ui/app.js", "/ui/app.css"} {
		_, b := get(t, name)
		if m := regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`).Find(b); m != nil {
			t.Errorf("%s refers to another host: %s", name, m)
		}
	}

	res, js := get(t, "/widget.js")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/javascript; charset=utf-8" {
		t.Fatalf("/widget.js: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !bytes.Contains(js, []byte("customElements.define('policy-search'")) {
		t.Error("/widget.js does not define <policy-search>")
	}
	res, _ = getWithHeaders(t, http.MethodGet, base+"/widget.js", map[string]string{"If-None-Match": res.Header.Get("ETag")})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("/widget.js with its ETag: %d, want 304", res.StatusCode)
	}
	res, css := get(t, "/ui/app.css")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || len(css) == 0 {
		t.Errorf("/ui/app.css: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// A permalink is the page, or the page with 404 for a clause that is not there.
	res, b := get(t, "/clauses/yugangyaobanfa-2022-2:20")
	if res.StatusCode != 200 || !bytes.Contains(b, []byte(`data-page="clause"`)) || !bytes.Contains(b, []byte(`<base href="../">`)) {
		t.Errorf("/clauses/…:20: %d\n%.300s", res.StatusCode, b)
	}
	res, b = get(t, "/clauses/yugangyaobanfa-2022-2:99")
	if res.StatusCode != 404 || !bytes.Contains(b, []byte(`data-page="clause"`)) {
		t.Errorf("/clauses/…:99: %d, want the page with 404", res.StatusCode)
	}
	// The JSON API keeps its own paths and error shape.
	res, b = get(t, "/ui/nothing.js")
	if res.StatusCode != 404 || !bytes.Contains(b, []byte(`"not_found"`)) {
		t.Errorf("/ui/nothing.js: %d %s", res.StatusCode, b)
	}
	res, b = get(t, "/api/v1/clauses/yugangyaobanfa-2022-2:20")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !bytes.Contains(b, []byte("实施智慧助老行动")) {
		t.Errorf("/api/v1/clauses/…:20 is no longer the JSON API: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// A CORS preflight from an allowed origin is answered with that origin; from
// any other origin, or from a server with the default (empty) allowlist, it is not.
func TestCORSPreflight(t *testing.T) {
	const portal = "http://portal.example:8000"
	srv := api.New(api.Options{CORSOrigins: []string{portal}})
	allowing := api.ServeForTest(t, srv)

	preflight := func(server, origin string) *http.Response {
		res, _ := getWithHeaders(t, http.MethodOptions, server+"/api/v1/search?q=x", map[string]string{
			"Origin":                        origin,
			"Access-Control-Request-Method": "GET",
		})
		return res
	}
	res := preflight(allowing, portal)
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != portal {
		t.Errorf("preflight from %s: Access-Control-Allow-Origin %q, want it echoed", portal, got)
	}
	if !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "GET") || res.StatusCode >= 300 {
		t.Errorf("preflight from %s: %d, methods %q", portal, res.StatusCode, res.Header.Get("Access-Control-Allow-Methods"))
	}
	if res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Error("credentials must never be allowed")
	}
	for _, origin := range []string{"http://evil.example", "http://portal.example:8001", "https://portal.example:8000", "null"} {
		if got := preflight(allowing, origin).Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("preflight from %s: Access-Control-Allow-Origin %q, want none", origin, got)
		}
	}
	if got := preflight(base, portal).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("default server, preflight from %s: Access-Control-Allow-Origin %q, want none", portal, got)
	}
	// The simple GET the widget sends carries the header too, and only for the portal.
	res, _ = getWithHeaders(t, http.MethodGet, allowing+"/healthz", map[string]string{"Origin": portal})
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != portal {
		t.Errorf("GET from %s: Access-Control-Allow-Origin %q", portal, got)
	}
	res, _ = getWithHeaders(t, http.MethodGet, allowing+"/healthz", map[string]string{"Origin": "http://evil.example"})
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("GET from another origin: Access-Control-Allow-Origin %q", got)
	}
}

// chromium finds the browser or skips (fails, when browserTestsEnv is 1).
func chromium(t *testing.T) string {
	t.Helper()
	path, err := extracttest.ChromiumPath()
	if err != nil {
		msg := fmt.Sprintf("no Chromium at %s (%v): install Debian's (apt-get install chromium) and run "+
			"%s=1 go test ./api -run Browser, as .ci/run does; POLICYSEARCH_CHROMIUM names another binary", path, err, browserTestsEnv)
		if os.Getenv(browserTestsEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// browserEnv is what the browser tests run against: the service with a CORS
// allowlist of one portal, that portal and a second one on other loopback
// ports (so other origins), and one headless Chromium.
type browserEnv struct {
	service     string // http://127.0.0.1:port, the policysearch server
	portal      string // an origin in the allowlist, serving a page with the widget
	otherPortal string // an origin outside it, serving the same page
	browser     context.Context
	server      *api.Server
	// library serves the notice with four more documents ingested through
	// the API; libraryPortal is allowed to call it, with the widget limited
	// to one issuer.
	library, libraryPortal string
}

func TestBrowser(t *testing.T) {
	chrome := chromium(t)

	dir := t.TempDir()
	syn, err := synonym.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ix, _, _, err := library.Open("", dir, index.Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })

	env := &browserEnv{}
	portalLn := listenLoopback(t)
	otherLn := listenLoopback(t)
	env.portal = "http://" + portalLn.Addr().String()
	env.otherPortal = "http://" + otherLn.Addr().String()

	srv := api.New(api.Options{CORSOrigins: []string{env.portal}})
	srv.SetIndex(ix)
	env.server = srv
	env.service = api.ServeForTest(t, srv)
	servePortal(t, portalLn, env.service)
	servePortal(t, otherLn, env.service)
	env.startLibrary(t)

	profile, err := os.MkdirTemp("", "policysearch-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) }) // best effort: Chromium may still be writing as it exits
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 860),
	)
	// Everything in the browser is bounded: a hang ends the test, not the run.
	bounded, cancelAll := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancelAll)
	alloc, cancelAlloc := chromedp.NewExecAllocator(bounded, opts...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil { // starts Chromium
		t.Fatalf("starting %s: %v", chrome, err)
	}
	env.browser = browser

	t.Run("SearchShowsHighlightedHits", env.searchShowsHighlightedHits)
	t.Run("SuggestionsByKeyboard", env.suggestionsByKeyboard)
	t.Run("PinyinInitialsSuggested", env.pinyinInitialsSuggested)
	t.Run("PageSaysWhatWasSearched", env.pageSaysWhatWasSearched)
	t.Run("DidYouMeanLink", env.didYouMeanLink)
	t.Run("RelatedLink", env.relatedLink)
	t.Run("WidgetReadsQueries", env.widgetReadsQueries)
	t.Run("FacetNarrowsHits", env.facetNarrowsHits)
	t.Run("Paging", env.paging)
	t.Run("ClausePermalink", env.clausePermalink)
	t.Run("EmptyAndErrorStates", env.emptyAndErrorStates)
	t.Run("PhoneWidth", env.phoneWidth)
	t.Run("WidgetOnAllowedPortal", env.widgetOnAllowedPortal)
	t.Run("WidgetOnOtherOrigin", env.widgetOnOtherOrigin)
	t.Run("HostileAnswersStayText", env.hostileAnswersStayText)
	t.Run("LibraryHitsNameTheirDocument", env.libraryHitsNameTheirDocument)
	t.Run("LibraryFacetsAndOutline", env.libraryFacetsAndOutline)
	t.Run("LibraryDepartmentInItsRegion", env.libraryDepartmentInItsRegion)
	t.Run("LibraryWidgetByIssuer", env.libraryWidgetByIssuer)
	t.Run("LibraryScreenshots", env.libraryScreenshots)
	t.Run("ComparePage", env.comparePage)
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// portalPage is an intranet portal's page with the widget added as the README
// says. Its own styles are ones that would show if they reached the widget
// (inherited font, colour and line height; rules for .hit and mark), and its own
// .hit and mark would change if the widget's styles leaked out.
const portalPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>区政务内网门户</title>
<style>
body { margin: 0; font-family: serif; color: rgb(60, 30, 10); line-height: 2.2; background: #eef2f6; }
header { background: #1d4f91; color: #fff; padding: 14px 32px; font-size: 22px; }
.cols { display: grid; grid-template-columns: 1fr 1.4fr; gap: 24px; padding: 24px 32px; }
section { background: #fff; padding: 8px 20px 16px; }
h2 { font-size: 18px; border-bottom: 2px solid #1d4f91; }
.hit { border-left: 4px solid rgb(0, 128, 0); padding-left: 8px; margin: 6px 0; }
mark { background: rgb(173, 216, 230); }
</style>
<script src="{{SERVICE}}/widget.js" defer></script>
</head><body>
<header>区政务内网门户</header>
<div class="cols">
<section><h2>通知公告</h2>
<p class="hit" id="portal-hit">关于做好2022年全国科普日活动的通知</p>
<p class="hit">全民科学素质行动工作推进会召开</p>
<p class="hit">本周<mark id="portal-mark">值班</mark>安排</p>
</section>
<section><h2>政策条款检索</h2>
<policy-search service="{{SERVICE}}"></policy-search>
</section>
</div>
</body></html>`

func servePortal(t *testing.T, ln net.Listener, service string) {
	t.Helper()
	body := strings.ReplaceAll(portalPage, "{{SERVICE}}", service)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// tab is one browser tab for one subtest. It records the page's console, and
// fails the test on an uncaught exception or a Content-Security-Policy refusal.
type tab struct {
	t   *testing.T
	ctx context.Context
	mu  sync.Mutex
	log []chromedp.ConsoleMessage
	// cspReportsExpected: the page is fed markup on purpose, and the browser
	// reports what its policy refused.
	cspReportsExpected bool
}

func (env *browserEnv) tab(t *testing.T) *tab {
	t.Helper()
	bounded, cancel := context.WithTimeout(env.browser, time.Minute)
	ctx, closeTab := chromedp.NewContext(bounded)
	tb := &tab{t: t, ctx: ctx}
	t.Cleanup(cancel)
	t.Cleanup(closeTab)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.log = append(tb.log, m)
			tb.mu.Unlock()
		}
	}()
	// The same picture size wherever the tests run, whatever the window.
	tb.do(chromedp.EmulateViewport(1280, 860))
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, m := range tb.log {
			if m.IsException() || !tb.cspReportsExpected && strings.Contains(m.Text, "Content Security Policy") {
				t.Errorf("browser console: %s (%s:%d)", m.Text, m.URL, m.Line+1)
			}
		}
	})
	return tb
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) open(u string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(u))
}

// waitConsole waits for a console message that contains substr; the browser
// reports it on its own schedule, after the page has moved on.
func (tb *tab) waitConsole(substr string) {
	tb.t.Helper()
	for {
		tb.mu.Lock()
		found := slices.ContainsFunc(tb.log, func(m chromedp.ConsoleMessage) bool { return strings.Contains(m.Text, substr) })
		tb.mu.Unlock()
		if found {
			return
		}
		select {
		case <-tb.ctx.Done():
			tb.t.Fatalf("no console message with %q: %v", substr, tb.ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition. chromedp's Poll compiles its predicate
// with new Function, which the page's CSP (rightly) refuses, so the condition
// is evaluated from here; only the tab's deadline bounds the wait.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool]("Boolean("+js+")"))
		if err == nil && ok {
			return
		}
		if tb.ctx.Err() != nil {
			tb.t.Fatalf("waiting for %s (%s): %v", what, js, tb.ctx.Err())
		}
		select {
		case <-tb.ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// settled waits until the search page has drawn an answer to the URL it shows.
func (tb *tab) settled() string {
	tb.t.Helper()
	tb.waitFor("the page to settle", `['ready','empty','error','idle'].includes(document.querySelector('#main').dataset.state)`)
	return eval[string](tb, `document.querySelector('#main').dataset.state`)
}

func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		tb.t.Fatalf("screenshot %s is not a PNG", name)
	}
	if *writeScreenshots {
		if err := os.WriteFile(filepath.Join("..", "docs", name), png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
}

func (env *browserEnv) searchShowsHighlightedHits(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/")
	tb.do(chromedp.WaitVisible(chromedp.ID("q")))
	tb.settled()
	tb.do(chromedp.SendKeys(chromedp.ID("q"), "科普大篷车"+kb.Enter))
	tb.waitFor("results", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('q=')`)

	if got := eval[string](tb, `new URL(location.href).searchParams.get('q')`); got != "科普大篷车" {
		t.Errorf("URL q = %q", got)
	}
	type hitView struct {
		ID, Title, Citation string
		Marks, Depts, Crumb []string
		OnlyMarks           bool
	}
	hits := eval[[]hitView](tb, `[...document.querySelectorAll('.hits > .hit')].map(h => ({
		ID: h.dataset.id,
		Title: h.querySelector('.hit-title').textContent,
		Citation: h.querySelector('.chip.cite').textContent,
		Marks: [...h.querySelectorAll('.hl mark')].map(m => m.textContent),
		Depts: [...h.querySelectorAll('.chip.dept')].map(d => d.textContent),
		Crumb: [...h.querySelectorAll('.crumbs li')].map(c => c.textContent),
		OnlyMarks: [...h.querySelectorAll('.hl *')].every(e => e.tagName === 'MARK'),
	}))`)
	if len(hits) != 2 {
		t.Fatalf("科普大篷车: %d hits, want 2: %+v", len(hits), hits)
	}
	for _, h := range hits {
		if !strings.HasSuffix(h.ID, ":15") && !strings.HasSuffix(h.ID, ":34") {
			t.Errorf("hit %s, want items 15 and 34", h.ID)
		}
		if len(h.Marks) == 0 || h.Marks[0] != "科普大篷车" || !h.OnlyMarks {
			t.Errorf("hit %s highlights: marks %q, only <mark> inside: %v", h.ID, h.Marks, h.OnlyMarks)
		}
		if !strings.HasPrefix(h.Citation, "渝纲要办发〔2022〕2号 第") || len(h.Depts) == 0 || len(h.Crumb) != 2 {
			t.Errorf("hit %s: citation %q, departments %q, breadcrumbs %q", h.ID, h.Citation, h.Depts, h.Crumb)
		}
	}
	// The outline beside the results marks the items on the page.
	marked := eval[[]string](tb, `[...document.querySelectorAll('#outline .items li.in-results a')].map(a => a.getAttribute('href'))`)
	if len(marked) != 2 {
		t.Errorf("outline marks %q, want the two hits", marked)
	}
}

func (env *browserEnv) suggestionsByKeyboard(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/")
	tb.settled()
	tb.do(chromedp.SendKeys(chromedp.ID("q"), "科普"))
	tb.waitFor("suggestions", `!document.querySelector('#suggestions').hidden && document.querySelector('#suggestions').dataset.query === '科普' && document.querySelectorAll('#suggestions [role=option]').length > 1`)
	options := eval[[]string](tb, `[...document.querySelectorAll('#suggestions [role=option] .text')].map(o => o.textContent)`)
	if eval[string](tb, `document.querySelector('#q').getAttribute('aria-expanded')`) != "true" {
		t.Error("the combobox does not say it is expanded")
	}
	active := func() string {
		return eval[string](tb, `(document.querySelector('#q').getAttribute('aria-activedescendant') || '') + '|' +
			[...document.querySelectorAll('#suggestions [aria-selected=true]')].map(o => o.id).join(',')`)
	}
	tb.do(chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "suggestion-0|suggestion-0" {
		t.Errorf("after ↓: %q", got)
	}
	tb.do(chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "suggestion-1|suggestion-1" {
		t.Errorf("after ↓↓: %q", got)
	}
	tb.do(chromedp.KeyEvent(kb.ArrowUp))
	if got := active(); got != "suggestion-0|suggestion-0" {
		t.Errorf("after ↓↓↑: %q", got)
	}
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.waitFor("results for the suggestion", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('q=')`)
	if got := eval[string](tb, `new URL(location.href).searchParams.get('q') + '|' + document.querySelector('#q').value`); got != options[0]+"|"+options[0] {
		t.Errorf("Enter on %q searched %q", options[0], got)
	}
	if !eval[bool](tb, `document.querySelector('#suggestions').hidden`) {
		t.Error("the suggestions stay open after Enter")
	}

	// Esc closes the list, and a second Esc empties the box.
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#q').value = ''`), chromedp.SendKeys(chromedp.ID("q"), "全国"))
	tb.waitFor("suggestions", `!document.querySelector('#suggestions').hidden && document.querySelector('#suggestions').dataset.query === '全国'`)
	tb.do(chromedp.KeyEvent(kb.Escape))
	if got := eval[string](tb, `document.querySelector('#suggestions').hidden + '|' + document.querySelector('#q').getAttribute('aria-expanded') + '|' + document.querySelector('#q').value`); got != "true|false|全国" {
		t.Errorf("after Esc: hidden|expanded|value = %q", got)
	}
	tb.do(chromedp.KeyEvent(kb.Escape))
	if got := eval[string](tb, `document.querySelector('#q').value`); got != "" {
		t.Errorf("after a second Esc the box holds %q", got)
	}
}

type pageResult struct {
	Total int
	IDs   []string
	Depts [][]string
	Crumb []string // each hit's first breadcrumb
}

func (tb *tab) results() pageResult {
	tb.t.Helper()
	return eval[pageResult](tb, `({
		Total: Number(document.querySelector('#main').dataset.total || 0),
		IDs: [...document.querySelectorAll('.hits > .hit')].map(h => h.dataset.id),
		Depts: [...document.querySelectorAll('.hits > .hit')].map(h => [...h.querySelectorAll('.chip.dept')].map(d => d.textContent)),
		Crumb: [...document.querySelectorAll('.hits > .hit')].map(h => (h.querySelector('.crumbs li') || {}).textContent || ''),
	})`)
}

func (env *browserEnv) facetNarrowsHits(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/?q=" + url.QueryEscape("科普"))
	if st := tb.settled(); st != "ready" {
		t.Fatalf("科普: state %s", st)
	}
	all := tb.results()
	const dept = "市卫生健康委"
	facet := fmt.Sprintf(`#side a.facet[data-facet="dept"][data-value="%s"]`, dept)
	count := eval[int](tb, `Number(document.querySelector('`+facet+` .count').textContent)`)
	if count == 0 || count >= all.Total {
		t.Fatalf("facet %s counts %d of %d", dept, count, all.Total)
	}
	tb.do(chromedp.Click(chromedp.CSS(facet)))
	tb.waitFor("the department filter", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('dept=')`)
	byDept := tb.results()
	if byDept.Total != count || len(byDept.IDs) == 0 {
		t.Fatalf("after clicking %s: %d hits, the facet said %d", dept, byDept.Total, count)
	}
	for i, ds := range byDept.Depts {
		if !slices.Contains(ds, dept) {
			t.Errorf("hit %s is not %s's: %q", byDept.IDs[i], dept, ds)
		}
	}
	if !eval[bool](tb, `document.querySelector('`+facet+`').getAttribute('aria-current') === 'true' && !!document.querySelector('.filters .chip.filter')`) {
		t.Error("the chosen department is not shown as a filter")
	}

	// A section narrows further.
	section := eval[string](tb, `document.querySelector('#side a.facet[data-facet="section"]').dataset.value`)
	tb.do(chromedp.Click(chromedp.CSS(`#side a.facet[data-facet="section"]`)))
	tb.waitFor("the section filter", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('section=')`)
	bySection := tb.results()
	if bySection.Total == 0 || bySection.Total > byDept.Total {
		t.Fatalf("section %s: %d hits, department alone %d", section, bySection.Total, byDept.Total)
	}
	for i, c := range bySection.Crumb {
		if c != section {
			t.Errorf("hit %s is in %q, not %q", bySection.IDs[i], c, section)
		}
	}

	// Back goes to the department filter alone; removing its chip widens again.
	tb.do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	tb.waitFor("history back", `document.querySelector('#main').dataset.state === 'ready' && !location.search.includes('section=')`)
	if got := tb.results(); got.Total != byDept.Total {
		t.Errorf("back: %d hits, want %d", got.Total, byDept.Total)
	}
	tb.do(chromedp.Click(chromedp.CSS(`.filters .chip.filter`)))
	tb.waitFor("the filter removed", `document.querySelector('#main').dataset.state === 'ready' && !location.search.includes('dept=')`)
	if got := tb.results(); got.Total != all.Total {
		t.Errorf("without filters: %d hits, want %d", got.Total, all.Total)
	}
}

func (env *browserEnv) paging(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/?q=" + url.QueryEscape("科普"))
	tb.settled()
	first := tb.results()
	if first.Total <= 10 || len(first.IDs) != 10 {
		t.Fatalf("科普: %d hits, %d on the page", first.Total, len(first.IDs))
	}
	tb.do(chromedp.Click(chromedp.CSS(`.pager a[rel=next]`)))
	tb.waitFor("page 2", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('from=10')`)
	second := tb.results()
	if second.Total != first.Total || len(second.IDs) == 0 || slices.Contains(first.IDs, second.IDs[0]) {
		t.Errorf("page 2: %+v after %+v", second, first)
	}
	if got := eval[string](tb, `document.querySelector('.pager [aria-current=page]').textContent + '|' + document.querySelector('.hits').getAttribute('start')`); got != "2|11" {
		t.Errorf("page 2: current page|first number = %q", got)
	}
}

func (env *browserEnv) clausePermalink(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/?q=" + url.QueryEscape("智慧助老"))
	tb.settled()
	tb.do(chromedp.Click(chromedp.CSS(`.hits > .hit .hit-title a`)))
	tb.waitFor("the clause page", `document.body.dataset.page === 'clause' && document.querySelector('#main').dataset.state === 'ready'`)
	if got := eval[string](tb, `location.pathname`); got != "/clauses/yugangyaobanfa-2022-2:20" {
		t.Errorf("permalink path %q", got)
	}

	var want struct {
		Text, Title, Citation string
		Path                  []string
	}
	res, b := getWithHeaders(t, http.MethodGet, env.service+"/api/v1/clauses/yugangyaobanfa-2022-2:20", nil)
	if res.StatusCode != 200 || json.Unmarshal(b, &want) != nil {
		t.Fatalf("clause 20: %d %s", res.StatusCode, b)
	}
	type view struct {
		H1, Text, Cite, Back, Current, Prev, Next, Permalink string
		Crumbs, Depts                                        []string
	}
	got := eval[view](tb, `({
		H1: document.querySelector('.clause h1').textContent,
		Text: [...document.querySelectorAll('.clause-text p')].map(p => p.textContent).join('\n'),
		Cite: document.querySelector('.clause .chip.cite').textContent,
		Back: document.querySelector('.clause .back a').getAttribute('href'),
		Current: document.querySelector('#outline a[aria-current=page]').getAttribute('href'),
		Prev: document.querySelector('.prevnext .prev').getAttribute('href'),
		Next: document.querySelector('.prevnext .next').getAttribute('href'),
		Permalink: document.querySelector('.permalink a').href,
		Crumbs: [...document.querySelectorAll('.clause .crumbs li')].map(c => c.textContent),
		Depts: [...document.querySelectorAll('.clause .chip.dept')].map(d => d.textContent),
	})`)
	if got.Text != want.Text {
		t.Errorf("the page shows\n%q\nthe clause is\n%q", got.Text, want.Text)
	}
	if got.H1 != "第20项 "+want.Title || got.Cite != want.Citation {
		t.Errorf("heading %q citation %q", got.H1, got.Cite)
	}
	if len(got.Crumbs) != 1+len(want.Path) || !slices.Equal(got.Crumbs[1:], want.Path) {
		t.Errorf("breadcrumbs %q, want the document and %q", got.Crumbs, want.Path)
	}
	if !strings.HasPrefix(got.Current, "clauses/yugangyaobanfa-2022-2:20") || !strings.HasPrefix(got.Prev, "clauses/yugangyaobanfa-2022-2:19") || !strings.HasPrefix(got.Next, "clauses/yugangyaobanfa-2022-2:21") {
		t.Errorf("context: outline current %q, previous %q, next %q", got.Current, got.Prev, got.Next)
	}
	if got.Permalink != env.service+"/clauses/yugangyaobanfa-2022-2:20" || !strings.Contains(got.Back, "q=") || len(got.Depts) != 8 {
		t.Errorf("permalink %q, back %q, departments %q", got.Permalink, got.Back, got.Depts)
	}
	tb.screenshot("screenshot-clause.png")

	// Opened directly, and for a clause that is not there.
	tb.open(env.service + "/clauses/yugangyaobanfa-2022-2:notice")
	tb.waitFor("the notice", `document.querySelector('#main').dataset.state === 'ready'`)
	if h1 := eval[string](tb, `document.querySelector('.clause h1').textContent`); h1 != "印发通知" {
		t.Errorf("notice heading %q", h1)
	}
	tb.open(env.service + "/clauses/yugangyaobanfa-2022-2:99")
	tb.waitFor("the missing clause", `document.querySelector('#main').dataset.state === 'empty'`)
	if msg := eval[string](tb, `document.querySelector('#main [role=alert]').textContent`); !strings.Contains(msg, "没有找到这一条款") || !strings.Contains(msg, "yugangyaobanfa-2022-2:99") {
		t.Errorf("missing clause: %q", msg)
	}
}

func (env *browserEnv) emptyAndErrorStates(t *testing.T) {
	tb := env.tab(t)
	const nothing = "火星殖民"
	var s searchBody
	_, b := getWithHeaders(t, http.MethodGet, env.service+"/api/v1/search?q="+url.QueryEscape(nothing), nil)
	if err := json.Unmarshal(b, &s); err != nil || s.Total != 0 {
		t.Fatalf("%s should find nothing: %s", nothing, b)
	}
	tb.open(env.service + "/?q=" + url.QueryEscape(nothing))
	if st := tb.settled(); st != "empty" {
		t.Fatalf("%s: state %s", nothing, st)
	}
	if msg := eval[string](tb, `document.querySelector('#main .state.empty h2').textContent + '|' + document.querySelector('#summary strong').textContent`); msg != "没有找到匹配的条款|"+nothing {
		t.Errorf("empty state: %q", msg)
	}

	// A query the API refuses: the page says so, with the request id.
	tb.open(env.service + "/?q=" + url.QueryEscape("-科普"))
	if st := tb.settled(); st != "error" {
		t.Fatalf("-科普: state %s", st)
	}
	msg := eval[string](tb, `document.querySelector('#main [role=alert]').textContent`)
	if !strings.Contains(msg, "检索条件有误") || !strings.Contains(msg, "请求编号") {
		t.Errorf("error state: %q", msg)
	}

	// What the user typed is shown as text, never as markup.
	const attack = `<img src=x onerror="window.pwned=1"><b>科普</b>`
	tb.open(env.service + "/?q=" + url.QueryEscape(attack))
	state := tb.settled()
	got := eval[string](tb, `document.querySelectorAll('#main img, #main b').length + '|' + String(window.pwned) + '|' + document.querySelector('#q').value`)
	if got != "0|undefined|"+attack {
		t.Errorf("query %q rendered as markup: %q", attack, got)
	}
	if state != "error" {
		if shown := eval[string](tb, `document.querySelector('#summary strong').textContent`); shown != attack {
			t.Errorf("the summary shows the query as %q", shown)
		}
	}
}

// hostileAPI wraps the service: its search, suggestions and clause answers
// hold markup everywhere, as a compromised or buggy API would send. Highlights
// keep to the contract's form (escaped text, <mark>) plus an element that must
// be dropped. It also serves the portal page, so the widget is same-origin here.
func hostileAPI(t *testing.T, service http.Handler) string {
	t.Helper()
	const img = `<img src=x onerror="window.pwned=1">`
	hit := map[string]any{
		"id": "yugangyaobanfa-2022-2:5", "doc_id": "yugangyaobanfa-2022-2", "kind": "item", "number": 5,
		"path":        []string{"<u>一、章</u>", "（三）" + img},
		"title":       img + "<b>标题</b>",
		"citation":    "<i>引用</i>",
		"text":        "<script>window.pwned=2</script>正文",
		"departments": []string{"<em>单位</em>"},
		"order":       1, "line": 1, "match": "exact", "score": 1,
		"highlights": []string{`前&lt;b&gt;文<mark>命中</mark>` + img + `后`},
	}
	search, _ := json.Marshal(map[string]any{
		"query": "x", "total": 1, "took_ms": 1, "hits": []any{hit},
		"facets": map[string]any{
			"departments": []any{map[string]any{"value": img + "单位", "count": 1}},
			"sections":    []any{map[string]any{"value": "<s>章节</s>", "count": 1}},
			"documents":   []any{map[string]any{"value": "yugangyaobanfa-2022-2", "count": 1}, map[string]any{"value": "<b>doc</b>", "count": 1}},
			"issuers":     []any{map[string]any{"value": "<i>机关</i>", "count": 1}, map[string]any{"value": img, "count": 1}},
			"years":       []any{map[string]any{"value": "<u>2022</u>", "count": 1}, map[string]any{"value": "2023", "count": 1}},
		},
	})
	// The documents' names, which the page shows on each card and facet.
	docs, _ := json.Marshal(map[string]any{"documents": []any{map[string]any{
		"id": "yugangyaobanfa-2022-2", "number": img + "<b>文号</b>", "title": "<em>标题</em>", "plan": "<u>计划</u>", "year": 2022,
	}}})
	suggest, _ := json.Marshal(map[string]any{"query": "x", "suggestions": []any{
		map[string]any{"text": img + "建议", "kind": "term"},
		map[string]any{"text": "<b>建议二</b>", "kind": "<i>kind</i>"},
	}})
	clause, _ := json.Marshal(hit)
	portal := ""
	mux := http.NewServeMux()
	reply := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}
	}
	mux.HandleFunc("/api/v1/search", reply(search))
	mux.HandleFunc("/api/v1/suggest", reply(suggest))
	mux.HandleFunc("/api/v1/documents", reply(docs))
	mux.HandleFunc("/api/v1/clauses/", reply(clause))
	mux.HandleFunc("/portal", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, portal)
	})
	mux.Handle("/", service)
	ln := listenLoopback(t)
	addr := "http://" + ln.Addr().String()
	portal = strings.ReplaceAll(portalPage, "{{SERVICE}}", addr)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return addr
}

// markupCheck is JavaScript that reports, for a root, any element that came
// from the answers' markup, and what the highlights hold.
const markupCheck = `((root) => ({
	Elements: [...root.querySelectorAll('img, script, b, i, u, s, em')].map(e => e.outerHTML),
	Marks: [...root.querySelectorAll('.hl mark')].map(m => m.textContent),
	Highlight: (root.querySelector('.hl') || {}).textContent || '',
	Title: ((root.querySelector('.hit-title, .hit a.title, .clause h1')) || {}).textContent || '',
	Pwned: String(window.pwned),
}))`

type markupView struct {
	Elements, Marks         []string
	Highlight, Title, Pwned string
}

func (env *browserEnv) hostileAnswersStayText(t *testing.T) {
	hostile := hostileAPI(t, env.server.Handler())
	const title = `第5项 <img src=x onerror="window.pwned=1"><b>标题</b>`
	check := func(tb *tab, where, root string, highlighted bool) markupView {
		t.Helper()
		v := eval[markupView](tb, markupCheck+"("+root+")")
		if len(v.Elements) > 0 || v.Pwned != "undefined" {
			t.Errorf("%s: markup from the answer became elements %q (pwned: %s)", where, v.Elements, v.Pwned)
		}
		if v.Title != title {
			t.Errorf("%s: title shown as %q", where, v.Title)
		}
		if highlighted && (!slices.Equal(v.Marks, []string{"命中"}) || v.Highlight != "前<b>文命中后") {
			t.Errorf("%s: highlight %q with marks %q, want 前<b>文命中后 with 命中 marked", where, v.Highlight, v.Marks)
		}
		return v
	}

	tb := env.tab(t)
	// Chromium reports the img's onerror attribute to the page's CSP as soon as
	// the highlight is parsed in the inert <template>, though it never runs it
	// there; what must not happen is that it runs, or that any element but
	// <mark> reaches the page.
	tb.cspReportsExpected = true
	tb.open(hostile + "/?q=x")
	tb.waitFor("results", `document.querySelector('#main').dataset.state === 'ready'`)
	check(tb, "search page", "document.querySelector('#main')", true)
	if v := eval[markupView](tb, markupCheck+"(document.querySelector('#side'))"); len(v.Elements) > 0 {
		t.Errorf("facets: markup became elements %q", v.Elements)
	}
	if v := eval[markupView](tb, markupCheck+"(document.querySelector('#outline'))"); len(v.Elements) > 0 {
		t.Errorf("outline: markup became elements %q", v.Elements)
	}
	if got := eval[[]string](tb, `[...document.querySelectorAll('#outline .outline-docs .name')].map(e => e.textContent)`); !slices.Equal(got, []string{`<img src=x onerror="window.pwned=1"><b>文号</b>`, "<b>doc</b>"}) {
		t.Errorf("the outline's documents shown as %q", got)
	}
	if got := eval[[]string](tb, `[...document.querySelectorAll('#side a.facet[data-facet]')].map(a => a.querySelector('.name').textContent)`); !slices.Equal(got, []string{
		`<img src=x onerror="window.pwned=1"><b>文号</b>`, "<b>doc</b>", "<i>机关</i>", `<img src=x onerror="window.pwned=1">`,
		"2023年", "<u>2022</u>年", `<img src=x onerror="window.pwned=1">单位`, "<s>章节</s>",
	}) {
		t.Errorf("facets shown as %q", got)
	}
	if got := eval[string](tb, `document.querySelector('.hit .hit-doc').textContent`); got != `<img src=x onerror="window.pwned=1"><b>文号</b>2022年` {
		t.Errorf("the hit's document shown as %q", got)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#q').value = ''`), chromedp.SendKeys(chromedp.ID("q"), "建议"))
	tb.waitFor("suggestions", `!document.querySelector('#suggestions').hidden && document.querySelector('#suggestions').dataset.query === '建议'`)
	if got := eval[[]string](tb, `[...document.querySelectorAll('#suggestions .text')].map(e => e.textContent).concat([...document.querySelectorAll('#suggestions *')].filter(e => !['LI','SPAN'].includes(e.tagName)).map(e => e.tagName))`); !slices.Equal(got, []string{`<img src=x onerror="window.pwned=1">建议`, "<b>建议二</b>"}) {
		t.Errorf("suggestions: %q", got)
	}

	tb.open(hostile + "/clauses/yugangyaobanfa-2022-2:5")
	tb.waitFor("the clause", `document.querySelector('#main').dataset.state === 'ready'`)
	check(tb, "clause page", "document.querySelector('#main')", false)
	if got := eval[string](tb, `document.querySelector('.clause-text').textContent`); got != "<script>window.pwned=2</script>正文" {
		t.Errorf("clause text shown as %q", got)
	}

	// The widget, on a portal page without any CSP of its own to fall back on.
	tb.open(hostile + "/portal")
	tb.waitFor("the widget", `customElements.get('policy-search') && document.querySelector('policy-search').shadowRoot`)
	tb.do(chromedp.SendKeys(widgetInput, "x"+kb.Enter))
	tb.waitFor("widget results", `document.querySelector('policy-search').shadowRoot.querySelector('.box').dataset.state === 'ready'`)
	check(tb, "widget", "document.querySelector('policy-search').shadowRoot", true)
}

func (env *browserEnv) phoneWidth(t *testing.T) {
	tb := env.tab(t)
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateScale(2)))
	for _, page := range []string{"/?q=" + url.QueryEscape("老年人"), "/clauses/yugangyaobanfa-2022-2:21"} {
		tb.open(env.service + page)
		tb.waitFor("the page", `document.querySelector('#main').dataset.state === 'ready'`)
		got := eval[string](tb, `document.documentElement.scrollWidth + '|' + window.innerWidth`)
		var scroll, width int
		fmt.Sscanf(got, "%d|%d", &scroll, &width)
		if width != 390 || scroll > width {
			t.Errorf("%s at 390 px: page width %d in a %d px window (sideways scrolling)", page, scroll, width)
		}
		if page[1] == '?' {
			// Results come first: the filters are folded away above them.
			if eval[bool](tb, `document.querySelector('#side details').open`) {
				t.Error("the filters are open on a phone")
			}
		}
	}
}

type widgetView struct {
	State, Status string
	Links         []string
	Marks         int
	OnlyMarks     bool
}

func (tb *tab) widget() widgetView {
	tb.t.Helper()
	return eval[widgetView](tb, `(() => {
		const root = document.querySelector('policy-search').shadowRoot;
		return {
			State: root.querySelector('.box').dataset.state,
			Status: root.querySelector('.status').textContent,
			Links: [...root.querySelectorAll('.hit a.title')].map(a => a.href),
			Marks: root.querySelectorAll('.hl mark').length,
			OnlyMarks: [...root.querySelectorAll('.hl *')].every(e => e.tagName === 'MARK'),
		};
	})()`)
}

const widgetInput = chromedp.JSPath(`document.querySelector('policy-search').shadowRoot.querySelector('input')`)

func (env *browserEnv) widgetOnAllowedPortal(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.portal + "/")
	tb.waitFor("the widget", `customElements.get('policy-search') && document.querySelector('policy-search').shadowRoot`)
	tb.do(chromedp.SendKeys(widgetInput, "全国科普日"+kb.Enter))
	tb.waitFor("widget results", `['ready','empty','error'].includes(document.querySelector('policy-search').shadowRoot.querySelector('.box').dataset.state)`)
	w := tb.widget()
	if w.State != "ready" || len(w.Links) != 3 || w.Marks == 0 || !w.OnlyMarks || w.Status != "共 3 条相关条款" {
		t.Fatalf("widget on %s: %+v", env.portal, w)
	}
	if !strings.HasPrefix(w.Links[0], env.service+"/clauses/yugangyaobanfa-2022-2:5?") {
		t.Errorf("first link %q, want the clause page of item 5 on %s", w.Links[0], env.service)
	}

	// The portal's styles do not reach into the widget, nor the widget's out.
	styles := eval[[]string](tb, `(() => {
		const root = document.querySelector('policy-search').shadowRoot;
		const cs = (e, p) => getComputedStyle(e).getPropertyValue(p);
		return [
			cs(root.querySelector('.hl'), 'color'),
			cs(root.querySelector('.hl'), 'font-family'),
			cs(root.querySelector('.hit'), 'border-left-width'),
			cs(root.querySelector('.hl mark'), 'background-color'),
			cs(document.querySelector('#portal-hit'), 'border-left-width'),
			cs(document.querySelector('#portal-mark'), 'background-color'),
		];
	})()`)
	if styles[0] == "rgb(60, 30, 10)" || styles[1] == "serif" || styles[2] == "4px" || styles[3] == "rgb(173, 216, 230)" {
		t.Errorf("the portal's CSS reaches into the widget: color %s, font %s, .hit border %s, mark %s", styles[0], styles[1], styles[2], styles[3])
	}
	if styles[4] != "4px" || styles[5] != "rgb(173, 216, 230)" {
		t.Errorf("the widget's CSS reaches the portal: .hit border %s, mark %s", styles[4], styles[5])
	}

	// Its links open the clause page on the service.
	tb.open(w.Links[0])
	tb.waitFor("the clause page", `document.body.dataset.page === 'clause' && document.querySelector('#main').dataset.state === 'ready'`)
	if h1 := eval[string](tb, `document.querySelector('.clause h1').textContent`); h1 != "第5项 深入实施基层科普行动计划" {
		t.Errorf("clause page from the widget: %q", h1)
	}
}

func (env *browserEnv) widgetOnOtherOrigin(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.otherPortal + "/")
	tb.waitFor("the widget", `customElements.get('policy-search') && document.querySelector('policy-search').shadowRoot`)
	tb.do(chromedp.SendKeys(widgetInput, "全国科普日"+kb.Enter))
	tb.waitFor("the widget's answer", `['ready','empty','error'].includes(document.querySelector('policy-search').shadowRoot.querySelector('.box').dataset.state)`)
	w := tb.widget()
	if w.State != "error" || len(w.Links) != 0 || w.Marks != 0 || !strings.Contains(w.Status, "无法连接检索服务") {
		t.Fatalf("widget on %s, outside the allowlist: %+v", env.otherPortal, w)
	}
	// It is the browser's CORS check that refused, not a server that was down.
	tb.waitConsole("CORS")
}
