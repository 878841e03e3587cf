// Command prep prepares and supports the HTTP benchmarks of bench/http.sh: the
// fixed query mix as request paths for policysearch and for Groonga, Groonga's
// schema and data, the typical response body the static-JSON server returns,
// and waiting for a server to become ready.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"policysearch/index"
	"policysearch/internal/eval"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/synth"
)

type cli struct {
	Corpus corpusCmd `cmd:"" help:"Write the query mix and Groonga's data for a corpus."`
	Body   bodyCmd   `cmd:"" help:"Fetch every path once and write the response of median size."`
	Ready  readyCmd  `cmd:"" help:"Wait until a URL answers 200 and print the Unix time in ns."`
	Report reportCmd `cmd:"" help:"Summarise wrk runs: medians per server and connections, and ratios."`
}

type corpusCmd struct {
	Corpus   string   `help:"Folder of *.txt documents; empty is the embedded notice."`
	Out      string   `required:"" help:"Folder for the mixes' paths (paths*.txt for policysearch, groonga-paths*.txt, flex-paths*.txt), groonga-load.grn and clauses.json."`
	Checks   []string `default:"testdata/eval/dev-queries.json,testdata/eval/own-queries.json" help:"Relevance check files whose queries join the mixes."`
	Mix      int      `default:"400" help:"Searches in the repeated mix (paths.txt): popular searches asked over and over."`
	LongTail int      `default:"20000" help:"Searches in the long-tail mix (paths-longtail.txt): every one distinct."`
	Seed     uint64   `default:"1" help:"Seed of the random substrings."`
}

func (c *corpusCmd) Run() error {
	tmp, err := os.MkdirTemp("", "policysearch-prep-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	corp, err := library.Load(c.Corpus, tmp)
	if err != nil {
		return err
	}
	named := map[string]bool{}
	var texts []string
	for _, d := range corp.Docs {
		for _, cl := range d.Clauses {
			texts = append(texts, cl.Text)
			for _, dep := range cl.Departments {
				named[dep] = true
			}
		}
	}
	var given []synth.Query
	for _, f := range c.Checks {
		checks, err := eval.Load(f)
		if err != nil {
			return err
		}
		for _, ch := range checks {
			// Both servers are asked by the name clauses list; a department the
			// corpus never names would be an error, not a search.
			if ch.Dept != "" && !named[ch.Dept] {
				continue
			}
			given = append(given, synth.Query{Q: ch.Q, Dept: ch.Dept})
		}
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	for _, mix := range []struct {
		suffix  string
		queries []synth.Query
	}{
		{"", synth.Mix(given, texts, c.Mix, c.Seed)},
		{"-longtail", synth.LongTail(given, texts, c.LongTail, c.Seed)},
	} {
		var ours, groonga, flex strings.Builder
		for _, m := range mix.queries {
			ours.WriteString(oursPath(m) + "\n")
			groonga.WriteString(groongaPath(m) + "\n")
			flex.WriteString(flexPath(m) + "\n")
		}
		for name, b := range map[string]*strings.Builder{"paths": &ours, "groonga-paths": &groonga, "flex-paths": &flex} {
			if err := os.WriteFile(filepath.Join(c.Out, name+mix.suffix+".txt"), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	if err := writeClauses(filepath.Join(c.Out, "clauses.json"), corp); err != nil {
		return err
	}
	return writeGroongaLoad(filepath.Join(c.Out, "groonga-load.grn"), corp)
}

// flexPath asks the FlexSearch peer: it has no department filter, so a
// department is searched as words.
func flexPath(m synth.Query) string {
	q := m.Q
	if q == "" {
		q = m.Dept
	}
	return "/search?" + url.Values{"q": {q}}.Encode()
}

// writeClauses writes every clause's id and text for the FlexSearch peer.
func writeClauses(name string, corp *index.Corpus) error {
	type clause struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	var all []clause
	for _, d := range corp.Docs {
		for _, c := range d.Clauses {
			all = append(all, clause{c.ID, c.Text})
		}
	}
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

func oursPath(m synth.Query) string {
	v := url.Values{}
	if m.Q != "" {
		v.Set("q", m.Q)
	}
	if m.Dept != "" {
		v.Set("dept", m.Dept)
	}
	v.Set("size", "10")
	return "/api/v1/search?" + v.Encode()
}

// groongaPath asks Groonga what policysearch is asked: the clauses holding every
// word (title weighted over text), the first 10 by score then document order,
// with highlighted snippets, the total and department and section counts.
func groongaPath(m synth.Query) string {
	v := url.Values{}
	v.Set("table", "Clauses")
	if m.Q != "" {
		v.Set("match_columns", "title * 2 || text")
		v.Set("query", groongaQuery(m.Q))
	}
	if m.Dept != "" {
		v.Set("filter", fmt.Sprintf("departments @ %q", m.Dept))
	}
	v.Set("output_columns", "_key,doc_id,kind,number,path,title,citation,text,departments,_score,snippet_html(text)")
	v.Set("sort_keys", "-_score,order")
	v.Set("limit", "10")
	v.Set("drilldown", "departments,section_top")
	v.Set("drilldown_limit", "100")
	return "/d/select?" + v.Encode()
}

// groongaQuery escapes what Groonga's query syntax reads as grouping; quotes,
// spaces and a leading - keep their meaning, as in policysearch's language.
func groongaQuery(q string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(q)
}

// writeGroongaLoad writes the schema and data: clause text indexed by
// TokenBigram with NormalizerAuto (width and case folded), departments and
// sections as keys for filters and drilldowns.
func writeGroongaLoad(name string, corp *index.Corpus) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, `table_create Clauses TABLE_HASH_KEY ShortText
table_create Departments TABLE_HASH_KEY ShortText
table_create Sections TABLE_HASH_KEY ShortText
column_create Clauses doc_id COLUMN_SCALAR ShortText
column_create Clauses kind COLUMN_SCALAR ShortText
column_create Clauses number COLUMN_SCALAR Int32
column_create Clauses order COLUMN_SCALAR Int64
column_create Clauses path COLUMN_VECTOR ShortText
column_create Clauses title COLUMN_SCALAR ShortText
column_create Clauses citation COLUMN_SCALAR ShortText
column_create Clauses text COLUMN_SCALAR LongText
column_create Clauses departments COLUMN_VECTOR Departments
column_create Clauses section_top COLUMN_SCALAR Sections
table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
column_create Terms clauses_text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Clauses title,text
column_create Departments clauses COLUMN_INDEX Clauses departments
`)
	fmt.Fprintln(w, "load --table Clauses")
	fmt.Fprintln(w, "[")
	first := true
	for di, d := range corp.Docs {
		for _, c := range d.Clauses {
			rec := groongaRecord(c, di)
			b, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			if !first {
				w.WriteString(",\n")
			}
			first = false
			w.Write(b)
		}
	}
	fmt.Fprintln(w, "\n]")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func groongaRecord(c gongwen.Clause, docIndex int) map[string]interface{} {
	top := ""
	if len(c.Path) > 0 {
		top = c.Path[0]
	}
	deps := c.Departments
	if deps == nil {
		deps = []string{}
	}
	path := c.Path
	if path == nil {
		path = []string{}
	}
	return map[string]interface{}{
		"_key": c.ID, "doc_id": c.DocID, "kind": string(c.Kind), "number": c.Number,
		"order": docIndex*1_000_000 + c.Order, "path": path, "title": c.Title,
		"citation": c.Citation, "text": c.Text, "departments": deps, "section_top": top,
	}
}

type bodyCmd struct {
	Server string `required:"" help:"Base URL of the server, e.g. http://127.0.0.1:18080."`
	Paths  string `required:"" type:"existingfile" help:"One request path per line."`
	Out    string `required:"" help:"Where to write the body of median size."`
}

func (c *bodyCmd) Run() error {
	b, err := os.ReadFile(c.Paths)
	if err != nil {
		return err
	}
	var got [][]byte
	client := &http.Client{Timeout: 10 * time.Second}
	for _, p := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		r, err := client.Get(c.Server + p)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		if r.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: status %d: %s", p, r.StatusCode, body)
		}
		got = append(got, body)
	}
	sort.Slice(got, func(i, j int) bool { return len(got[i]) < len(got[j]) })
	median := got[len(got)/2]
	fmt.Printf("%d responses: median %d bytes, smallest %d, largest %d\n", len(got), len(median), len(got[0]), len(got[len(got)-1]))
	return os.WriteFile(c.Out, median, 0o644)
}

type readyCmd struct {
	URL     string        `arg:"" help:"The URL to poll, e.g. http://127.0.0.1:18080/readyz."`
	Timeout time.Duration `default:"600s" help:"Give up after this long."`
}

// Run polls every 2 ms, so the time it prints is within a few ms of readiness.
func (c *readyCmd) Run() error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(c.Timeout)
	for time.Now().Before(deadline) {
		r, err := client.Get(c.URL)
		if err == nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				fmt.Println(time.Now().UnixNano())
				return nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after %s", c.URL, c.Timeout)
}

type reportCmd struct {
	Results string `arg:"" type:"existingfile" help:"JSON lines: target, conns, round and wrk's figures."`
}

// run is one wrk run against one server.
type run struct {
	Target       string  `json:"target"`
	Mix          string  `json:"mix"`
	Conns        int     `json:"conns"`
	Round        int     `json:"round"`
	Requests     int     `json:"requests"`
	DurationUS   int     `json:"duration_us"`
	Errors       int     `json:"errors"`
	StatusErrors int     `json:"status_errors"`
	P50US        int     `json:"p50_us"`
	P99US        int     `json:"p99_us"`
	MeanUS       float64 `json:"mean_us"`
}

// figures are the medians over rounds of one server at one connection count.
type figures struct {
	rps, p50, p99 float64
	errors, runs  int
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// Run prints, per mix, a table per connection count (medians over rounds,
// with the range of requests/s), then policysearch's throughput as ratios of
// the static-JSON limit and of each peer, and the peers' p99 over ours.
func (c *reportCmd) Run() error {
	b, err := os.ReadFile(c.Results)
	if err != nil {
		return err
	}
	type key struct {
		mix, target string
		conns       int
	}
	rps, p50, p99 := map[key][]float64{}, map[key][]float64{}, map[key][]float64{}
	errs := map[key]int{}
	// Each round drives every server in turn, so a round's ratio compares
	// runs a few seconds apart: the machine's slower minutes count in both.
	type roundKey struct {
		key
		round int
	}
	roundRPS := map[roundKey]float64{}
	var rounds []int
	var conns []int
	var targets, mixes []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r run
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("%q: %w", line, err)
		}
		if r.Mix == "" {
			r.Mix = "repeat"
		}
		k := key{r.Mix, r.Target, r.Conns}
		if !slices.Contains(conns, r.Conns) {
			conns = append(conns, r.Conns)
		}
		if !slices.Contains(targets, r.Target) {
			targets = append(targets, r.Target)
		}
		if !slices.Contains(mixes, r.Mix) {
			mixes = append(mixes, r.Mix)
		}
		rate := float64(r.Requests) / (float64(r.DurationUS) / 1e6)
		rps[k] = append(rps[k], rate)
		roundRPS[roundKey{k, r.Round}] = rate
		if !slices.Contains(rounds, r.Round) {
			rounds = append(rounds, r.Round)
		}
		p50[k] = append(p50[k], float64(r.P50US)/1000)
		p99[k] = append(p99[k], float64(r.P99US)/1000)
		errs[k] += r.Errors + r.StatusErrors
	}
	fig := func(m, t string, n int) figures {
		k := key{m, t, n}
		return figures{median(append([]float64(nil), rps[k]...)), median(append([]float64(nil), p50[k]...)),
			median(append([]float64(nil), p99[k]...)), errs[k], len(rps[k])}
	}
	span := func(m, t string, n int) string {
		xs := append([]float64(nil), rps[key{m, t, n}]...)
		if len(xs) < 2 {
			return ""
		}
		sort.Float64s(xs)
		return fmt.Sprintf("%.0f–%.0f", xs[0], xs[len(xs)-1])
	}
	ratio := func(a, b float64) string {
		if b == 0 || a == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f", a/b)
	}
	sort.Ints(conns)
	sort.Ints(rounds)
	for _, m := range mixes {
		fmt.Printf("\n### mix: %s\n\n", m)
		fmt.Println("| connections | server | requests/s | range | p50 ms | p99 ms | runs | errors |")
		fmt.Println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
		for _, n := range conns {
			for _, t := range targets {
				f := fig(m, t, n)
				if f.runs == 0 {
					continue
				}
				fmt.Printf("| %d | %s | %.0f | %s | %.2f | %.2f | %d | %d |\n", n, t, f.rps, span(m, t, n), f.p50, f.p99, f.runs, f.errors)
			}
		}
		fmt.Println()
		fmt.Println("| connections | cached: ours ÷ static | ÷ groonga | ÷ flexsearch | uncached: ours ÷ static | ÷ groonga-uncached | ÷ flexsearch | p99 uncached: groonga ÷ ours | flexsearch ÷ ours |")
		fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
		for _, n := range conns {
			s, o, g, fl := fig(m, "static", n), fig(m, "ours", n), fig(m, "groonga", n), fig(m, "flexsearch", n)
			ou, gu := fig(m, "ours-uncached", n), fig(m, "groonga-uncached", n)
			fmt.Printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", n,
				ratio(o.rps, s.rps), ratio(o.rps, g.rps), ratio(o.rps, fl.rps),
				ratio(ou.rps, s.rps), ratio(ou.rps, gu.rps), ratio(ou.rps, fl.rps),
				ratio(gu.p99, ou.p99), ratio(fl.p99, ou.p99))
		}
		for _, n := range conns {
			for _, t := range []string{"ours", "ours-uncached"} {
				var each []string
				var rs []float64
				for _, r := range rounds {
					o, s := roundRPS[roundKey{key{m, t, n}, r}], roundRPS[roundKey{key{m, "static", n}, r}]
					if o > 0 && s > 0 {
						each = append(each, ratio(o, s))
						rs = append(rs, o/s)
					}
				}
				if len(rs) > 1 {
					fmt.Printf("\n%d connections, %s ÷ static, round by round: %s (median %.2f)\n", n, t, strings.Join(each, " "), median(rs))
				}
			}
		}
	}
	return nil
}

func main() {
	var c cli
	ctx := kong.Parse(&c, kong.Name("prep"), kong.Description("Prepares the HTTP benchmarks of bench/http.sh."))
	ctx.FatalIfErrorf(ctx.Run())
}
