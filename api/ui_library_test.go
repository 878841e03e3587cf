package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/library"
)

// libraryDocuments are ingested through the API beside the built-in notice for
// the library's browser tests: two years of Nanchang's plan (one issuer), the
// Guangling plan in traditional characters and a district task list. Four
// issuers and three years in all, and 市科协 in three regions.
var libraryDocuments = []struct{ id, file string }{
	{"nanchang-2023", "library/nanchang-2023.txt"},
	{"nanchang-2024", "library/nanchang-2024.txt"},
	{"guangling-2022", "library/guangling-2022.txt"},
	{"lishan-2023", "duplicates/lishan-2023.txt"},
}

// libraryIssuer is the issuer the widget of the library portal is limited to.
const libraryIssuer = "南昌市人民政府办公厅"

// startLibraryService serves the built-in notice with libraryDocuments
// ingested through POST /api/v1/documents, allowing portal to call it.
func startLibraryService(t *testing.T, portal string) string {
	t.Helper()
	dir := t.TempDir()
	ix, _, _, err := library.Open("", dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var srv *api.Server
	opt := api.Options{
		CORSOrigins: []string{portal},
		AdminToken:  "ui-library",
		Logger:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}
	opt.Library = api.ManageForTest(t, "", dir, &srv)
	srv = api.New(opt)
	srv.SetIndex(ix)
	service := api.ServeForTest(t, srv)
	for _, d := range libraryDocuments {
		text, err := os.ReadFile(filepath.Join("..", "testdata", d.file))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, service+"/api/v1/documents?id="+d.id, strings.NewReader(string(text)))
		req.Header.Set("Authorization", "Bearer ui-library")
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("ingesting %s: %d %s", d.id, res.StatusCode, b)
		}
	}
	return service
}

// startLibrary starts the library's service and a portal page, allowed to call
// it, with the widget limited to libraryIssuer.
func (env *browserEnv) startLibrary(t *testing.T) {
	t.Helper()
	ln := listenLoopback(t)
	env.libraryPortal = "http://" + ln.Addr().String()
	env.library = startLibraryService(t, env.libraryPortal)
	page := strings.Replace(portalPage, `<policy-search service="{{SERVICE}}"></policy-search>`,
		`<policy-search service="{{SERVICE}}" issuer="`+libraryIssuer+`" size="8"></policy-search>`, 1)
	if page == portalPage {
		t.Fatal("the portal page has no widget to limit")
	}
	body := strings.ReplaceAll(strings.Replace(page, "<h2>政策条款检索</h2>", "<h2>南昌市政策条款检索</h2>", 1), "{{SERVICE}}", env.library)
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

// libraryDoc is a document of the library as the API lists it.
type libraryDoc struct {
	ID, Number, Plan, Title, Issuer, Region string
	Year                                    int
}

func (env *browserEnv) libraryDocs(t *testing.T) map[string]libraryDoc {
	t.Helper()
	res, b := getWithHeaders(t, http.MethodGet, env.library+"/api/v1/documents?outline=false", nil)
	var list struct{ Documents []libraryDoc }
	if res.StatusCode != 200 || json.Unmarshal(b, &list) != nil || len(list.Documents) != 1+len(libraryDocuments) {
		t.Fatalf("the library's documents: %d %s", res.StatusCode, b)
	}
	out := map[string]libraryDoc{}
	for _, d := range list.Documents {
		out[d.ID] = d
	}
	return out
}

// librarySearch asks the library's API, as the page would.
func (env *browserEnv) librarySearch(t *testing.T, params url.Values) libraryResult {
	t.Helper()
	res, b := getWithHeaders(t, http.MethodGet, env.library+"/api/v1/search?"+params.Encode(), nil)
	var r libraryResult
	if res.StatusCode != 200 || json.Unmarshal(b, &r) != nil {
		t.Fatalf("search %s: %d %s", params.Encode(), res.StatusCode, b)
	}
	return r
}

// libraryPage is what the search page shows of a library's results.
type libraryPage struct {
	Total       int
	URL         string
	Cards       []libraryCard
	OutlineDoc  string   // the document the outline shows
	OutlineHead string   // its title, as shown
	Switcher    []string // the documents the outline can switch to
	Chips       []string // the filters shown, kind:value
	Facets      map[string][]string
}

type libraryCard struct {
	ID, Doc, Name, Year, Href string
}

func (tb *tab) libraryPage() libraryPage {
	tb.t.Helper()
	return eval[libraryPage](tb, `(() => {
		const facets = {};
		for (const a of document.querySelectorAll('#side a.facet[data-facet]')) {
			(facets[a.dataset.facet] ||= []).push(a.dataset.value);
		}
		return {
			Total: Number(document.querySelector('#main').dataset.total || 0),
			URL: location.search,
			Cards: [...document.querySelectorAll('.hits > .hit')].map(h => ({
				ID: h.dataset.id,
				Doc: h.dataset.doc,
				Name: (h.querySelector('.hit-doc .doc-name') || {}).textContent || '',
				Year: (h.querySelector('.hit-doc .doc-year') || {}).textContent || '',
				Href: (h.querySelector('.hit-doc a') || { getAttribute: () => '' }).getAttribute('href'),
			})),
			OutlineDoc: document.querySelector('#outline').dataset.doc || '',
			OutlineHead: (document.querySelector('#outline .doc-title') || {}).textContent || '',
			Switcher: [...document.querySelectorAll('#outline .outline-docs a')].map(a => a.dataset.doc),
			Chips: [...document.querySelectorAll('.filters .chip.filter')].map(c => c.dataset.filter + ':' + c.dataset.value),
			Facets: facets,
		};
	})()`)
}

// waitLibrary waits until the page shows the results of the URL with query,
// and its outline the document outline, when given.
func (tb *tab) waitLibrary(what, query, outline string) libraryPage {
	tb.t.Helper()
	cond := fmt.Sprintf(`document.querySelector('#main').dataset.state === 'ready' && location.search === %q`, query)
	if outline != "" {
		cond += fmt.Sprintf(` && document.querySelector('#outline').dataset.doc === %q`, outline)
	}
	tb.waitFor(what, cond)
	return tb.libraryPage()
}

func docsOf(cards []libraryCard) []string {
	var out []string
	for _, c := range cards {
		if !slices.Contains(out, c.Doc) {
			out = append(out, c.Doc)
		}
	}
	return out
}

// Each hit's card names its document — 文号, else the plan's name, and year —
// and links to that document's outline.
func (env *browserEnv) libraryHitsNameTheirDocument(t *testing.T) {
	docs := env.libraryDocs(t)
	tb := env.tab(t)
	tb.open(env.library + "/?q=" + url.QueryEscape("活动"))
	if st := tb.settled(); st != "ready" {
		t.Fatalf("活动: state %s", st)
	}
	page := tb.libraryPage()
	if len(page.Cards) != 10 || len(docsOf(page.Cards)) < 3 {
		t.Fatalf("活动: %d cards from %q, want ten from several documents", len(page.Cards), docsOf(page.Cards))
	}
	for _, c := range page.Cards {
		d, ok := docs[c.Doc]
		if !ok || !strings.HasPrefix(c.ID, c.Doc+":") {
			t.Errorf("card %s names document %q", c.ID, c.Doc)
			continue
		}
		name := d.Number
		if name == "" {
			name = d.Plan
		}
		if c.Name != name || c.Year != fmt.Sprintf("%d年", d.Year) {
			t.Errorf("card %s names its document %q %q, want %q %d年", c.ID, c.Name, c.Year, name, d.Year)
		}
		if link, err := url.Parse(c.Href); err != nil || link.Query().Get("outline") != c.Doc || link.Query().Get("q") != "活动" {
			t.Errorf("card %s links its document to %q", c.ID, c.Href)
		}
	}
	// The first hit's document is in the outline; its card's link shows another.
	if page.OutlineDoc != page.Cards[0].Doc || page.OutlineHead != docs[page.Cards[0].Doc].Title {
		t.Errorf("the outline shows %s %q, want the first hit's document %s", page.OutlineDoc, page.OutlineHead, page.Cards[0].Doc)
	}
	var other libraryCard
	for _, c := range page.Cards {
		if c.Doc != page.OutlineDoc {
			other = c
			break
		}
	}
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.hit[data-id=%q] .hit-doc a`, other.ID))))
	after := tb.waitLibrary("the card's document in the outline", "?q=%E6%B4%BB%E5%8A%A8&outline="+other.Doc, other.Doc)
	if after.OutlineHead != docs[other.Doc].Title || after.Total != page.Total {
		t.Errorf("after the card's link: outline %q, %d hits (were %d)", after.OutlineHead, after.Total, page.Total)
	}
	// The outline marks the hits of the page that are in it.
	marked := eval[[]string](tb, `[...document.querySelectorAll('#outline .items li.in-results a')].map(a => a.getAttribute('href').split('?')[0])`)
	for _, c := range page.Cards {
		if c.Doc == other.Doc && c.ID != other.Doc+":notice" && !slices.Contains(marked, "clauses/"+c.ID) {
			t.Errorf("the outline of %s does not mark hit %s: %q", other.Doc, c.ID, marked)
		}
	}
}

// The document, issuer and year facets narrow the results, show as chips and
// live in the URL; the outline follows the results and switches between the
// documents that have hits; back and forward restore each state.
func (env *browserEnv) libraryFacetsAndOutline(t *testing.T) {
	docs := env.libraryDocs(t)
	tb := env.tab(t)
	const q = "活动"
	base := "?q=%E6%B4%BB%E5%8A%A8"
	tb.open(env.library + "/" + base)
	tb.settled()
	all := tb.libraryPage()
	want := env.librarySearch(t, url.Values{"q": {q}})
	if all.Total != want.Total {
		t.Fatalf("活动: %d hits, the API says %d", all.Total, want.Total)
	}
	var facetDocs []string
	for _, f := range want.Facets["documents"] {
		facetDocs = append(facetDocs, f.Value)
	}
	if !slices.Equal(all.Facets["doc"], facetDocs) || len(facetDocs) != 5 || !slices.Equal(all.Switcher, facetDocs) {
		t.Fatalf("document facet %q, outline switcher %q, want the documents with hits %q", all.Facets["doc"], all.Switcher, facetDocs)
	}
	if len(all.Facets["issuer"]) != 4 || !slices.Equal(all.Facets["year"], []string{"2024", "2023", "2022"}) {
		t.Errorf("issuer facet %q, year facet %q", all.Facets["issuer"], all.Facets["year"])
	}
	labels := eval[[]string](tb, `[...document.querySelectorAll('#side a.facet[data-facet="doc"] .name')].map(e => e.textContent)`)
	for i, id := range facetDocs {
		if i < len(labels) && labels[i] != docs[id].Number {
			t.Errorf("document facet %s is labelled %q, want its 文号 %q", id, labels[i], docs[id].Number)
		}
	}

	// The document facet narrows to one document; the outline shows it.
	const chosen = "nanchang-2024"
	tb.do(chromedp.Click(chromedp.CSS(`#side a.facet[data-facet="doc"][data-value="` + chosen + `"]`)))
	byDoc := tb.waitLibrary("the document filter", base+"&doc="+chosen, chosen)
	if byDoc.Total != env.librarySearch(t, url.Values{"q": {q}, "doc": {chosen}}).Total || byDoc.Total == 0 {
		t.Errorf("doc=%s: %d hits", chosen, byDoc.Total)
	}
	if d := docsOf(byDoc.Cards); !slices.Equal(d, []string{chosen}) {
		t.Errorf("doc=%s shows hits of %q", chosen, d)
	}
	if byDoc.OutlineHead != docs[chosen].Title || len(byDoc.Switcher) != 0 || !slices.Equal(byDoc.Chips, []string{"doc:" + chosen}) {
		t.Errorf("doc=%s: outline %q, switcher %q, chips %q", chosen, byDoc.OutlineHead, byDoc.Switcher, byDoc.Chips)
	}
	if got := eval[string](tb, `document.querySelector('.filters .chip.filter').textContent`); !strings.Contains(got, docs[chosen].Number) {
		t.Errorf("the document's chip says %q", got)
	}

	// Back to every document, then the year facet: alternatives of years.
	tb.do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	back := tb.waitLibrary("back to every document", base, all.OutlineDoc)
	if back.Total != all.Total || !slices.Equal(back.Switcher, all.Switcher) {
		t.Errorf("back: %d hits, switcher %q; were %d, %q", back.Total, back.Switcher, all.Total, all.Switcher)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`history.forward()`))
	fwd := tb.waitLibrary("forward to the document", base+"&doc="+chosen, chosen)
	if fwd.Total != byDoc.Total || !slices.Equal(fwd.Chips, byDoc.Chips) {
		t.Errorf("forward: %d hits, chips %q", fwd.Total, fwd.Chips)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	tb.waitLibrary("back again", base, all.OutlineDoc)

	tb.do(chromedp.Click(chromedp.CSS(`#side a.facet[data-facet="year"][data-value="2023"]`)))
	by2023 := tb.waitLibrary("the year filter", base+"&year=2023", "")
	for _, c := range by2023.Cards {
		if docs[c.Doc].Year != 2023 {
			t.Errorf("year=2023 shows %s of %d", c.ID, docs[c.Doc].Year)
		}
	}
	if by2023.Total != env.librarySearch(t, url.Values{"q": {q}, "year": {"2023"}}).Total || by2023.OutlineDoc != by2023.Cards[0].Doc {
		t.Errorf("year=2023: %d hits, outline %s", by2023.Total, by2023.OutlineDoc)
	}
	// The issuer facet narrows further; both filters are chips.
	tb.do(chromedp.Click(chromedp.CSS(`#side a.facet[data-facet="issuer"][data-value="` + libraryIssuer + `"]`)))
	byIssuer := tb.waitLibrary("the issuer filter", base+"&issuer="+url.QueryEscape(libraryIssuer)+"&year=2023", "nanchang-2023")
	if d := docsOf(byIssuer.Cards); !slices.Equal(d, []string{"nanchang-2023"}) || !slices.Equal(byIssuer.Chips, []string{"issuer:" + libraryIssuer, "year:2023"}) {
		t.Errorf("issuer and year: documents %q, chips %q", d, byIssuer.Chips)
	}
	// Removing the year's chip keeps the issuer: both of its years.
	tb.do(chromedp.Click(chromedp.CSS(`.filters .chip.filter[data-filter="year"]`)))
	issuerOnly := tb.waitLibrary("the year removed", base+"&issuer="+url.QueryEscape(libraryIssuer), "")
	if d := docsOf(issuerOnly.Cards); len(d) != 2 || !strings.HasPrefix(d[0], "nanchang-") || !strings.HasPrefix(d[1], "nanchang-") {
		t.Errorf("the issuer alone shows documents %q", d)
	}

	// The outline's switcher shows another document with hits, in the URL too.
	tb.open(env.library + "/" + base)
	tb.settled()
	target := all.Switcher[len(all.Switcher)-1]
	tb.do(chromedp.Click(chromedp.CSS(`#outline .outline-docs a[data-doc="` + target + `"]`)))
	switched := tb.waitLibrary("the outline switched", base+"&outline="+target, target)
	if switched.OutlineHead != docs[target].Title || switched.Total != all.Total {
		t.Errorf("switched to %s: outline %q, %d hits", target, switched.OutlineHead, switched.Total)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	if got := tb.waitLibrary("back to the first hit's outline", base, all.OutlineDoc); got.OutlineHead != docs[all.OutlineDoc].Title {
		t.Errorf("back: the outline shows %q", got.OutlineHead)
	}
	// The heading of a section with hits searches that section of that document.
	tb.do(chromedp.Click(chromedp.CSS(`#outline li.sec:has(> ol > li.in-results) > a.sec-head`)))
	tb.waitFor("the section filter", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('section=')`)
	if got := tb.libraryPage(); !slices.Equal(docsOf(got.Cards), []string{all.OutlineDoc}) || got.OutlineDoc != all.OutlineDoc {
		t.Errorf("a section of %s shows %q, outline %s", all.OutlineDoc, docsOf(got.Cards), got.OutlineDoc)
	}
}

// A department on a hit filters by the value its facet has: 市科协 of a
// Nanchang document is 市科协（南昌）, as three regions' documents list 市科协.
func (env *browserEnv) libraryDepartmentInItsRegion(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.library + "/?q=" + url.QueryEscape("活动") + "&doc=nanchang-2023&doc=lishan-2023&doc=yugangyaobanfa-2022-2")
	tb.settled()
	facet := eval[[]string](tb, `[...document.querySelectorAll('#side a.facet[data-facet="dept"]')].map(a => a.dataset.value)`)
	if !slices.Contains(facet, "市科协（南昌）") || !slices.Contains(facet, "市科协（重庆）") {
		t.Fatalf("the department facet %q does not tell the regions' 市科协 apart", facet)
	}
	chip := `.hit[data-doc="nanchang-2023"] .chip.dept[data-value="市科协（南昌）"]`
	if got := eval[string](tb, `(document.querySelector('`+chip+`') || {}).textContent || ''`); got != "市科协" {
		t.Fatalf("no 市科协 chip with its region on a Nanchang hit (%q)", got)
	}
	tb.do(chromedp.Click(chromedp.CSS(chip)))
	tb.waitFor("the department filter", `document.querySelector('#main').dataset.state === 'ready' && location.search.includes('dept=')`)
	if got := eval[[]string](tb, `new URL(location.href).searchParams.getAll('dept')`); !slices.Equal(got, []string{"市科协（南昌）"}) {
		t.Errorf("the chip sent dept=%q", got)
	}
	page := tb.libraryPage()
	if d := docsOf(page.Cards); !slices.Equal(d, []string{"nanchang-2023"}) || page.Total == 0 {
		t.Errorf("dept=市科协（南昌） shows documents %q", d)
	}
	// The results are Nanchang's alone now: the facet and the chip say 市科协.
	for _, got := range eval[[]string](tb, `[...document.querySelectorAll('.hits > .hit')].map(h => [...h.querySelectorAll('.chip.dept[aria-current="true"]')].map(c => c.dataset.value).join(','))`) {
		if got != "市科协" {
			t.Errorf("the chosen department is marked on a hit as %q", got)
		}
	}
}

// The widget with issuer= shows only that issuer's clauses, and its link to
// the search page keeps the filter.
func (env *browserEnv) libraryWidgetByIssuer(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.libraryPortal + "/")
	tb.waitFor("the widget", `customElements.get('policy-search') && document.querySelector('policy-search').shadowRoot`)
	tb.do(chromedp.SendKeys(widgetInput, "科普"+kb.Enter))
	tb.waitFor("widget results", `['ready','empty','error'].includes(document.querySelector('policy-search').shadowRoot.querySelector('.box').dataset.state)`)
	w := tb.widget()
	want := env.librarySearch(t, url.Values{"q": {"科普"}, "issuer": {libraryIssuer}})
	all := env.librarySearch(t, url.Values{"q": {"科普"}})
	if w.State != "ready" || len(w.Links) != want.Total || want.Total == 0 || want.Total >= all.Total || w.Status != fmt.Sprintf("共 %d 条相关条款", want.Total) {
		t.Fatalf("widget with issuer=%s: %+v; the API has %d of %d", libraryIssuer, w, want.Total, all.Total)
	}
	for _, link := range w.Links {
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/clauses/nanchang-202") {
			t.Errorf("widget hit %q is not a Nanchang clause", link)
		}
	}
	tb.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	tb.screenshot("screenshot-widget.png")

	// Two issuers, comma-separated, are alternatives; the page link keeps them.
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('policy-search').setAttribute('issuer', '南昌市人民政府办公厅，立山区人民政府'); document.querySelector('policy-search').setAttribute('size', '3')`))
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('policy-search').shadowRoot.querySelector('input').value = ''`))
	tb.do(chromedp.SendKeys(widgetInput, "科普"+kb.Enter))
	both := env.librarySearch(t, url.Values{"q": {"科普"}, "issuer": {libraryIssuer, "立山区人民政府"}})
	tb.waitFor("widget results for two issuers", fmt.Sprintf(`document.querySelector('policy-search').shadowRoot.querySelector('.status').textContent === '共 %d 条相关条款'`, both.Total))
	more := eval[string](tb, `document.querySelector('policy-search').shadowRoot.querySelector('.more a').href`)
	u, err := url.Parse(more)
	if err != nil || !slices.Equal(u.Query()["issuer"], []string{libraryIssuer, "立山区人民政府"}) || u.Query().Get("q") != "科普" {
		t.Errorf("the widget's link to the search page: %q", more)
	}
}

// The search page over the library, for the README: the outline of the first
// hit's document beside the results, the facets of documents, issuers and years.
func (env *browserEnv) libraryScreenshots(t *testing.T) {
	tb := env.tab(t)
	tb.open(env.library + "/?q=" + url.QueryEscape("活动"))
	if st := tb.settled(); st != "ready" {
		t.Fatalf("活动: state %s", st)
	}
	tb.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	tb.screenshot("screenshot-search.png")

	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateScale(2)))
	tb.open(env.library + "/?q=" + url.QueryEscape("活动") + "&year=2023")
	tb.waitFor("the page", `document.querySelector('#main').dataset.state === 'ready'`)
	got := eval[string](tb, `document.documentElement.scrollWidth + '|' + window.innerWidth`)
	var scroll, width int
	fmt.Sscanf(got, "%d|%d", &scroll, &width)
	if width != 390 || scroll > width {
		t.Errorf("the library's results at 390 px: page width %d in a %d px window", scroll, width)
	}
	tb.screenshot("screenshot-phone.png")
}
