package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The document page and the compare page are the page with the right view, or
// the page with 404 for a document that is not there.
func TestComparePages(t *testing.T) {
	base := startLibrary(t, "t0ken")
	ingestPair(t, base, "t0ken")
	for _, c := range []struct {
		path, kind string
		status     int
	}{
		{"/documents/kepu-2022", "document", 200},
		{"/documents/nope", "document", 404},
		{"/compare?from=kepu-2021&to=kepu-2022", "compare", 200},
	} {
		status, b := checkOpenAPI(t, http.MethodGet, base+c.path, nil, nil)
		if status != c.status || !strings.Contains(string(b), `data-page="`+c.kind+`"`) {
			t.Errorf("%s: %d, want %d and the %s page", c.path, status, c.status, c.kind)
		}
	}
}

// The compare page: open it from the document page's “与上一年比较”, see the
// outlines side by side with new and dropped items marked, expand a pair's
// diff (text in <ins> and <del>), follow the pair to its counterpart and
// to the clause; a search hit new this year is marked 新增.
func (env *browserEnv) comparePage(t *testing.T) {
	base := startLibrary(t, "t0ken")
	ingestPair(t, base, "t0ken")
	tb := env.tab(t)

	tb.open(base + "/documents/kepu-2022")
	tb.waitFor("the document page", `document.querySelector('#main').dataset.state === 'ready'`)
	if got := eval[string](tb, `[...document.querySelectorAll('.series-years li')].map(li => li.textContent + (li.querySelector('[aria-current]') ? '*' : '')).join(' ')`); got != "2021年 2022年* 2023年" {
		t.Errorf("the series: %q, want 2021年 2022年* 2023年 (this year marked)", got)
	}
	if n := eval[int](tb, `document.querySelectorAll('.doc-outline .clause-link').length`); n != 6 {
		t.Errorf("the outline links %d items, want 6", n)
	}
	// A document the parser could not wholly place shows its warnings, each
	// with its line, as the API gives them.
	text, err := os.ReadFile(filepath.Join("..", "testdata", "docs", "no-numbering.txt"))
	if err != nil {
		t.Fatal(err)
	}
	auth := map[string]string{"Authorization": "Bearer t0ken", "Content-Type": "text/plain; charset=utf-8"}
	status, b := checkOpenAPI(t, http.MethodPost, base+"/api/v1/documents?id=no-numbering", text, auth)
	if status != 201 {
		t.Fatalf("ingest no-numbering: %d %s", status, b)
	}
	var added struct{ Warnings []struct{ Line int } }
	if err := json.Unmarshal(b, &added); err != nil || len(added.Warnings) == 0 {
		t.Fatalf("no-numbering was added without warnings (%v): %s", err, b)
	}
	var want []string
	for _, w := range added.Warnings {
		want = append(want, fmt.Sprintf("第 %d 行", w.Line))
	}
	tb.open(base + "/documents/no-numbering")
	tb.waitFor("the document page with warnings", `document.querySelector('#main').dataset.state === 'ready'`)
	shown := eval[string](tb, `[...document.querySelectorAll('.warnings li')].map(li => li.textContent.split('：')[0]).join('|')`)
	if shown != strings.Join(want, "|") {
		t.Errorf("the warnings shown: %q, want %q", shown, strings.Join(want, "|"))
	}
	if h := eval[string](tb, `(document.querySelector('.warnings h2') || {}).textContent || ''`); h != fmt.Sprintf("解析提示（%d）", len(want)) {
		t.Errorf("the warnings' heading: %q", h)
	}
	tb.open(base + "/documents/kepu-2022")
	tb.waitFor("the document page again", `document.querySelector('#main').dataset.state === 'ready'`)
	if n := eval[int](tb, `document.querySelectorAll('.warnings').length`); n != 0 {
		t.Errorf("a document without warnings shows %d warnings sections", n)
	}
	tb.do(chromedp.Click(chromedp.CSS(`a.compare-previous`)))
	tb.waitFor("the compare page", `document.querySelector('#main').dataset.state === 'ready' && document.querySelector('.compare')`)
	if got := eval[string](tb, `location.search`); got != "?from=kepu-2021&to=kepu-2022" {
		t.Errorf("与上一年比较 opened %q", got)
	}
	statuses := eval[string](tb, `[...document.querySelectorAll('.compare-to .item')].map(li => li.dataset.status).join(' ') + ' | ' + [...document.querySelectorAll('.compare-from .item')].map(li => li.dataset.status).join(' ')`)
	if statuses != "changed changed new changed moved changed | changed changed moved dropped changed changed" {
		t.Errorf("item statuses: %s", statuses)
	}
	if n := eval[int](tb, `document.querySelectorAll('.diff').length`); n != 0 {
		t.Errorf("%d diffs shown before any was asked for", n)
	}
	tb.do(chromedp.Click(chromedp.CSS(`#to-kepu-2022\:2 .show-diff`)))
	tb.waitFor("the diff", `document.querySelector('#to-kepu-2022\\:2 .diff')`)
	got := eval[string](tb, `(() => { const d = document.querySelector('#to-kepu-2022\\:2 .diff');
		return [...d.querySelectorAll('del')].map(x => '-' + x.textContent).join(' ') + ' | ' + [...d.querySelectorAll('ins')].map(x => '+' + x.textContent).join(' ') + ' | ' + d.querySelectorAll('*:not(del):not(ins):not(span)').length; })()`)
	if !strings.HasPrefix(got, "-开展 -科技活动周") || !strings.Contains(got, "+办好 +科普大篷车渝州行") || !strings.HasSuffix(got, "| 0") {
		t.Errorf("the diff of item 2: %s", got)
	}
	tb.do(chromedp.Click(chromedp.CSS(`#to-kepu-2022\:5 .pair-link`)))
	tb.waitFor("the counterpart", `location.hash === '#from-kepu-2021:3' && document.querySelector('.compare')`)
	tb.do(chromedp.Click(chromedp.CSS(`#from-kepu-2021\:3 .clause-link`)))
	tb.waitFor("the clause page", `document.querySelector('#main').dataset.state === 'ready' && document.querySelector('article.clause')`)
	if got := eval[string](tb, `document.querySelector('article.clause').dataset.id`); got != "kepu-2021:3" {
		t.Errorf("the pair led to clause %q, want kepu-2021:3", got)
	}

	tb.open(base + "/?q=" + url.QueryEscape("智慧助老"))
	tb.settled()
	marks := eval[string](tb, `[...document.querySelectorAll('.hit')].map(h => h.dataset.id + (h.querySelector('.new-item') ? '*' : '')).join(' ')`)
	if !strings.Contains(marks, "kepu-2022:3*") {
		t.Errorf("the new item 智慧助老 is not marked 新增 among the hits: %s", marks)
	}
	tb.open(base + "/?q=" + url.QueryEscape("科技馆展教资源"))
	tb.settled()
	marks = eval[string](tb, `[...document.querySelectorAll('.hit')].map(h => h.dataset.id + (h.querySelector('.new-item') ? '*' : '')).join(' ')`)
	if !strings.Contains(marks, "kepu-2022:4") || strings.Contains(marks, "*") {
		t.Errorf("an item kept from last year, or one of a first year, is marked 新增: %s", marks)
	}
}
