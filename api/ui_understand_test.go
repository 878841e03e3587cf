package api_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Pinyin initials typed in the box are completed to the name they begin, and
// choosing it searches it.
func (env *browserEnv) pinyinInitialsSuggested(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/")
	tb.settled()
	tb.do(chromedp.SendKeys(chromedp.ID("q"), "kpdpc"))
	tb.waitFor("suggestions", `!document.querySelector('#suggestions').hidden && document.querySelector('#suggestions').dataset.query === 'kpdpc'`)
	options := eval[[]string](tb, `[...document.querySelectorAll('#suggestions [role=option] .text')].map(o => o.textContent)`)
	if len(options) == 0 || options[0] != "科普大篷车渝州行" {
		t.Fatalf("suggestions for kpdpc: %q", options)
	}
	tb.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	tb.waitFor("results for the suggestion", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('q=')`)
	if got := eval[string](tb, `new URL(location.href).searchParams.get('q') + '|' + document.querySelector('#main').dataset.total`); got != "科普大篷车渝州行|1" {
		t.Errorf("after choosing 科普大篷车渝州行: q|total = %q", got)
	}
}

// A query read otherwise says how: 已按…搜索 for pinyin and for traditional
// characters, and nothing for a query searched as typed.
func (env *browserEnv) pageSaysWhatWasSearched(t *testing.T) {
	tb := env.tab(t)
	for q, want := range map[string]string{
		"nongcunkepu":   "已按“农村 科普”搜索（拼音 nongcun kepu）",
		"quanguokepuri": "已按“全国科普日”搜索（拼音 quanguokepuri）",
		"全國科普日":         "已按“全国科普日”搜索",
		"全国科普日":         "",
		"te":            "",
	} {
		tb.open(env.service + "/?q=" + url.QueryEscape(q))
		if state := tb.settled(); state != "ready" {
			t.Fatalf("%s: %s", q, state)
		}
		if got := eval[string](tb, `(document.querySelector('#main .interpreted') || {}).textContent || ''`); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}

// The nearest query with hits is a link on the empty page; following it
// searches it.
func (env *browserEnv) didYouMeanLink(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/?q=" + url.QueryEscape("科普大棚车"))
	if state := tb.settled(); state != "empty" {
		t.Fatalf("科普大棚车: %s", state)
	}
	if got := eval[string](tb, `document.querySelector('.did-you-mean').textContent`); got != "您是不是要找：科普大篷车" {
		t.Errorf("did you mean: %q", got)
	}
	tb.follow(`.did-you-mean a.suggested-query`, "科普大篷车")
	if got := eval[string](tb, `document.querySelector('#main').dataset.total + '|' + document.querySelector('#q').value`); got != "2|科普大篷车" {
		t.Errorf("after the link: total|box = %q", got)
	}
}

// The searches of equivalent names are links with their totals; the hits of
// the query stay its own.
func (env *browserEnv) relatedLink(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.service + "/?q=" + url.QueryEscape("科普"))
	if state := tb.settled(); state != "ready" {
		t.Fatalf("科普: %s", state)
	}
	if got := eval[string](tb, `document.querySelector('.related').textContent + '|' + document.querySelector('#main').dataset.total`); got != "相关：科学普及（1条）|35" {
		t.Errorf("related: %q", got)
	}
	tb.follow(`.related a.related-query`, "科学普及")
	if got := eval[string](tb, `document.querySelector('#main').dataset.total + '|' + document.querySelector('.related').textContent`); got != "1|相关：科普（35条）" {
		t.Errorf("after the link: total|related = %q", got)
	}
}

// The widget says what it searched and offers the nearest query, which it
// searches when chosen.
func (env *browserEnv) widgetReadsQueries(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.portal + "/")
	tb.waitFor("the widget", `customElements.get('policy-search') && document.querySelector('policy-search').shadowRoot`)
	state := `document.querySelector('policy-search').shadowRoot.querySelector('.box').dataset.state`
	note := `document.querySelector('policy-search').shadowRoot.querySelector('.note').textContent`
	tb.do(chromedp.SendKeys(widgetInput, "科普大棚车"+kb.Enter))
	tb.waitFor("no hits", state+` === 'empty'`)
	if got := eval[string](tb, note); got != "您是不是要找：科普大篷车 " {
		t.Errorf("widget note: %q", got)
	}
	tb.do(chromedp.Click(chromedp.JSPath(`document.querySelector('policy-search').shadowRoot.querySelector('.note button.suggested-query')`)))
	tb.waitFor("hits of the suggestion", state+` === 'ready'`)
	if w := tb.widget(); w.Status != "共 2 条相关条款" || len(w.Links) != 2 {
		t.Errorf("after choosing 科普大篷车: %+v", w)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('policy-search').shadowRoot.querySelector('input').value = ''`),
		chromedp.SendKeys(widgetInput, "quanguokepuri"+kb.Enter))
	tb.waitFor("hits of the pinyin", state+` === 'ready' && `+note+`.includes('全国科普日')`)
	if got := eval[string](tb, note); got != "已按“全国科普日”搜索 " {
		t.Errorf("widget note for quanguokepuri: %q", got)
	}
}

// follow clicks a link to a query's search and waits for its results.
func (tb *tab) follow(link, q string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(link)))
	tb.waitFor("results of "+q, `document.querySelector('#main').dataset.state === 'ready' && new URL(location.href).searchParams.get('q') === '`+q+`'`)
}
