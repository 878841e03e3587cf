// Command policysearch searches Chinese policy documents: it parses them into
// clauses, indexes them and serves a JSON API.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap/zapcore"

	"policysearch/api"
	"policysearch/index"
	"policysearch/internal/eval"
	"policysearch/internal/extract"
	"policysearch/internal/gongwen"
	"policysearch/internal/library"
	"policysearch/internal/query"
	"policysearch/internal/synonym"
)

// corpusFlags choose the documents and where their index lives.
type corpusFlags struct {
	Data   string `default:"./data" env:"POLICYSEARCH_DATA" help:"Folder for the index and ingested documents."`
	Corpus string `env:"POLICYSEARCH_CORPUS" help:"Folder whose documents replace the embedded corpus: every .pdf, .docx, .html/.htm, .ofd and .txt (UTF-8 or GBK) file, its name the document's id; its synonyms.tsv, if any, replaces the table of synonyms (a table, never a document)."`
	backendFlags
}

type cli struct {
	Serve    serveCmd    `cmd:"" help:"Serve the JSON API (builds the index on first start)."`
	Index    indexCmd    `cmd:"" help:"Build the index if the corpus changed, and report it."`
	Search   searchCmd   `cmd:"" help:"Search the index from the terminal."`
	Parse    parseCmd    `cmd:"" help:"Parse a document and print its structure."`
	Eval     evalCmd     `cmd:"" help:"Run relevance checks and compare with baselines."`
	EvalDocs evalDocsCmd `cmd:"" name:"eval-docs" help:"Check how documents are read against DIR/expected.json; fails on any WRONG."`
	Gen      genCmd      `cmd:"" help:"Write a synthetic corpus in the notice's format, for benchmarks."`
	Compare  compareCmd  `cmd:"" help:"Compare a document with another year's: items paired, new and dropped, departments' and campaigns' changes."`

	Departments departmentsCmd `cmd:"" help:"List the responsible departments, or one department's items."`
	Campaigns   campaignsCmd   `cmd:"" help:"List the campaigns the items mention, or one campaign's items."`
}

func printJSON(w io.Writer, v interface{}) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type evalCmd struct {
	corpusFlags
	Files []string `arg:"" type:"existingfile" help:"Check files in the format of testdata/eval/dev-queries.json."`
}

// Run checks policysearch's ranking, the single-field baselines built with the
// same index, and plain substring search (the ground truth for recall).
func (c *evalCmd) Run(g *globals) error {
	var checks []eval.Check
	for _, f := range c.Files {
		cs, err := eval.Load(f)
		if err != nil {
			return err
		}
		checks = append(checks, cs...)
	}
	ix, corp, _, err := openIndex(c.corpusFlags, index.Options{LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer ix.Close()
	names := []string{"policysearch", "jieba-only", "bigram-only", "substring"}
	engines := []eval.Engine{
		eval.IndexEngine(ix, ""),
		eval.IndexEngine(ix, index.EngineJieba),
		eval.IndexEngine(ix, index.EngineBigram),
		eval.SubstringEngine(eval.Items(corp.Docs), ix.ResolveDepartment),
	}
	var reports []*eval.Report
	for _, e := range engines {
		r, err := eval.Run(e, checks)
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	eval.Print(g.out, names, reports)
	ours := reports[0]
	for _, k := range []string{"literal", "and", "phrase", "dept", "script", "pinyin"} {
		if ours.Rate(k) < 1 {
			return fmt.Errorf("%s checks failed", k)
		}
	}
	if ours.Rate("rank") < 0.9 {
		return fmt.Errorf("only %.0f%% of rank checks passed; 90%% are required", 100*ours.Rate("rank"))
	}
	return nil
}

type serveCmd struct {
	corpusFlags
	memoryFlags
	Addr        string        `default:"127.0.0.1:8080" env:"POLICYSEARCH_ADDR" help:"Address to listen on."`
	MaxQueryLen int           `default:"256" env:"POLICYSEARCH_MAX_QUERY_LEN" help:"Longest query, in characters."`
	MaxBody     int64         `default:"4194304" env:"POLICYSEARCH_MAX_BODY" help:"Largest request body, in bytes: a plain-text document, and every request but a document's file."`
	MaxUpload   int64         `default:"33554432" env:"POLICYSEARCH_MAX_UPLOAD" help:"Largest document file (PDF, .docx, web page, OFD) that may be POSTed, in bytes."`
	MaxUnpacked int64         `default:"268435456" env:"POLICYSEARCH_MAX_UNPACKED" help:"Largest size a zip-based file (.docx, .ofd) may unpack to, in bytes; a zip bomb is refused unread."`
	Timeout     time.Duration `default:"10s" env:"POLICYSEARCH_TIMEOUT" help:"Per-request time limit."`
	CORSOrigins []string      `name:"cors-origins" env:"POLICYSEARCH_CORS_ORIGINS" help:"Origins (scheme://host:port) allowed to call the API from a browser, e.g. an intranet portal embedding the widget. None by default."`
	RateLimit   float64       `default:"0" env:"POLICYSEARCH_RATE_LIMIT" help:"Requests per second per client address; 0 is no limit."`
	RateBurst   int           `default:"0" env:"POLICYSEARCH_RATE_BURST" help:"Requests a client may burst above the rate; 0 means rate+1."`
	AdminToken  string        `env:"POLICYSEARCH_ADMIN_TOKEN" help:"Bearer token for the admin endpoints (ingest, delete, reindex); without it they are disabled."`
	CacheMB     int           `name:"search-cache-mb" default:"16" env:"POLICYSEARCH_SEARCH_CACHE_MB" help:"Results cache per index, in MB of clause text; 0 turns it off."`
	MergeAfter  int           `default:"8" env:"POLICYSEARCH_MERGE_AFTER" help:"Documents ingested into the live index, each a small part of its own, after which a full build runs in the background and replaces it; 0 never merges in the background."`
	MaxDeltas   int           `default:"32" env:"POLICYSEARCH_MAX_DELTAS" help:"Documents ingested without a full build at most: the next ingestion rebuilds within the request."`
	AccessFlush time.Duration `name:"access-log-flush" default:"1s" env:"POLICYSEARCH_ACCESS_LOG_FLUSH" help:"How often the request log lines are written out, together; 0 writes each as it comes. A process killed outright loses the lines of the last interval."`
}

func (c *serveCmd) Run(g *globals) error {
	c.memoryFlags.apply()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var srv *api.Server
	opt := index.Options{SearchCacheBytes: c.CacheMB << 20}
	var err error
	if opt.Weaviate, err = c.weaviate(); err != nil {
		return err
	}
	if opt.Synonyms, err = synonym.Load(c.Corpus); err != nil {
		return err
	}
	lib := library.NewManager(c.Corpus, c.Data, opt,
		func() *index.Index { return srv.Index() },
		func(ix *index.Index) { srv.SetIndex(ix) },
		func(d time.Duration, err error) { srv.ObserveReindex(d, err) })
	// Files are read by one extractor; pdfium starts on the first PDF, with
	// its compiled code cached under the data folder, never at startup.
	lib.SetExtractor(extract.New(extract.Options{CacheDir: library.CacheDir(c.Data), MaxUnpacked: c.MaxUnpacked}))
	if c.MergeAfter < 0 || c.MaxDeltas < 0 {
		return fmt.Errorf("--merge-after and --max-deltas must be 0 or more")
	}
	lib.SetMerging(c.MergeAfter, c.MaxDeltas)
	defer lib.Close()
	access, flushed := g.log, func() {}
	if c.AccessFlush > 0 {
		// A line per request written as it comes was a write(2) per search,
		// a twentieth of the server's time on the notice: the lines go out
		// in blocks instead, and every one at a clean shutdown.
		ws := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(g.logOut), Size: 64 << 10, FlushInterval: c.AccessFlush}
		access, flushed = slog.New(slog.NewJSONHandler(ws, nil)), func() { ws.Stop() }
	}
	defer flushed()
	srv = api.New(api.Options{
		MaxQueryLen: c.MaxQueryLen, MaxBodyBytes: c.MaxBody, MaxUploadBytes: c.MaxUpload, RequestTimeout: c.Timeout,
		CORSOrigins: c.CORSOrigins, RateLimit: c.RateLimit, RateBurst: c.RateBurst,
		AdminToken: c.AdminToken, Library: lib, Logger: g.log, AccessLog: access,
	})
	defer srv.Close()
	errc := make(chan error, 1)
	go func() {
		start := time.Now()
		ix, _, built, err := openIndex(c.corpusFlags, opt)
		if err != nil {
			errc <- err
			stop()
			return
		}
		srv.SetIndex(ix)
		g.log.Info("index ready", "built", built, "clauses", ix.Manifest().Clauses, "documents", len(ix.Documents()),
			"ms", time.Since(start).Milliseconds())
	}()
	err = srv.Serve(ctx, c.Addr, func(addr string) {
		g.log.Info("listening", "addr", "http://"+addr)
	})
	select {
	case ierr := <-errc:
		return ierr
	default:
	}
	return err
}

type indexCmd struct {
	corpusFlags
}

func (c *indexCmd) Run(g *globals) error {
	start := time.Now()
	ix, _, built, err := openIndex(c.corpusFlags, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	m := ix.Manifest()
	verb := "up to date"
	if built {
		verb = "built"
	}
	fmt.Fprintf(g.out, "index %s: %d documents, %d clauses in %s (%s)\n", verb, len(m.Documents), m.Clauses, c.Data, time.Since(start).Round(time.Millisecond))
	return nil
}

type searchCmd struct {
	corpusFlags
	JSON  bool     `help:"Print the hits as JSON."`
	Size  int      `default:"10" help:"Hits to show."`
	Dept  []string `help:"Only clauses that list this department."`
	Query []string `arg:"" help:"The query."`
}

func (c *searchCmd) Run(g *globals) error {
	ix, _, _, err := openIndex(c.corpusFlags, index.Options{LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer ix.Close()
	raw := strings.Join(c.Query, " ")
	q, err := query.Parse(raw)
	if err != nil {
		return err
	}
	req := index.Request{Query: q, Size: c.Size, Sort: index.SortRelevance}
	for _, d := range c.Dept {
		name, ok := ix.ResolveDepartment(d)
		if !ok {
			return fmt.Errorf("unknown department %q; did you mean %s?", d, strings.Join(ix.SuggestDepartments(d, 3), ", "))
		}
		req.Departments = append(req.Departments, name)
	}
	if q.Empty() && len(req.Departments) == 0 {
		return errors.New("give a query or --dept")
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(g.out, res)
	}
	printHits(g.out, raw, res, isTerminal(g.out))
	return nil
}

// printHits writes hits for a person: citation, match, and highlights with the
// matches in reverse video on a terminal, in 【】 elsewhere.
func printHits(w io.Writer, raw string, res *index.Result, tty bool) {
	open, shut := "【", "】"
	if tty {
		open, shut = "\x1b[1;7m", "\x1b[0m"
	}
	fmt.Fprintf(w, "%d clauses match %q (%.2f ms)\n", res.Total, raw, float64(res.Took.Microseconds())/1000)
	if res.Interpreted != nil {
		fmt.Fprintf(w, "已按“%s”搜索\n", res.Interpreted.Query)
	}
	if len(res.Suggestions) > 0 {
		fmt.Fprintf(w, "您是不是要找：%s\n", strings.Join(res.Suggestions, "、"))
	}
	if len(res.Related) > 0 {
		var rel []string
		for _, r := range res.Related {
			rel = append(rel, fmt.Sprintf("%s（%d条）", r.Query, r.Total))
		}
		fmt.Fprintf(w, "相关：%s\n", strings.Join(rel, "、"))
	}
	for _, h := range res.Hits {
		head := h.Citation
		if h.Title != "" {
			head += " " + h.Title
		}
		fmt.Fprintf(w, "\n%s  [%s]\n", head, h.Match)
		for _, f := range h.Highlights {
			f = strings.NewReplacer("<mark>", open, "</mark>", shut, "\n", " ").Replace(f)
			fmt.Fprintf(w, "  %s\n", html.UnescapeString(f))
		}
		if len(h.Departments) > 0 {
			fmt.Fprintf(w, "  责任单位: %s\n", strings.Join(h.Departments, "、"))
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type parseCmd struct {
	JSON bool   `help:"Print the parsed document as JSON."`
	Text bool   `help:"Print the text read from the file, as the parser reads it (its warnings' lines count in it)."`
	File string `arg:"" type:"existingfile" help:"The document: .pdf, .docx, .html, .ofd or .txt (UTF-8 or GBK)."`
}

func (c *parseCmd) Run(g *globals) error {
	b, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	// pdfium's compiled code is kept in the user's cache folder, so a second
	// PDF starts in a fraction of a second.
	cache := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cache = filepath.Join(dir, "policysearch")
	}
	x := extract.New(extract.Options{CacheDir: cache})
	defer x.Close()
	res, err := x.Extract(b, extract.Hint{Name: c.File})
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	if c.Text {
		_, err := io.WriteString(g.out, res.Text)
		return err
	}
	doc, err := gongwen.Parse(fileID(c.File), []byte(res.Text))
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	doc.Format, doc.Pages, doc.Extractor, doc.ClauseCount = string(res.Format), res.Pages, extract.Version, len(doc.Clauses)
	if c.JSON {
		return printJSON(g.out, doc)
	}
	from := string(res.Format)
	if res.Pages > 0 {
		from += fmt.Sprintf(", %d pages", res.Pages)
	}
	if res.Encoding != "" && res.Encoding != "utf-8" {
		from += ", " + res.Encoding
	}
	fmt.Fprintf(g.out, "文件 %s (%s)\n", filepath.Base(c.File), from)
	fmt.Fprintf(g.out, "文号 %s\n发文机关 %s\n成文日期 %s\n标题 %s\n主送 %s\n\n", doc.Number, doc.Issuer, doc.Date, doc.Title, strings.Join(doc.Recipients, "；"))
	for _, cl := range doc.Clauses {
		label := string(cl.Kind)
		if cl.Kind == gongwen.KindItem {
			label = fmt.Sprintf("%d.", cl.Number)
			if cl.Number == 0 { // a heading clause or an article: h2-1, a12
				label = cl.ID[strings.LastIndex(cl.ID, ":")+1:]
			}
		}
		fmt.Fprintf(g.out, "%-9s %s", label, cl.Title)
		if len(cl.Departments) > 0 {
			fmt.Fprintf(g.out, "  (%s)", strings.Join(cl.Departments, "、"))
		}
		fmt.Fprintln(g.out)
	}
	printWarnings(g.out, doc.Warnings)
	return nil
}

// fileID names a parsed file's document: its name without the extension, with
// what a document id may not hold left out.
func fileID(name string) string {
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return -1
	}, strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	if id == "" || len(id) > 100 {
		return "doc"
	}
	return id
}

// printWarnings lists what the parser could not place, with its source lines.
func printWarnings(w io.Writer, ws []gongwen.Warning) {
	if len(ws) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarnings:\n")
	for _, x := range ws {
		fmt.Fprintf(w, "  line %d: %s\n", x.Line, x.Message)
	}
}

// openIndex loads the corpus and opens its index, building it when the corpus,
// parser or dictionary changed. On a terminal, building shows progress.
func openIndex(f corpusFlags, opt index.Options) (*index.Index, *index.Corpus, bool, error) {
	if isTerminal(os.Stderr) && opt.Progress == nil {
		// The bar is made on the first report, when the total is known; index
		// reports once per committed batch.
		var bar *progressbar.ProgressBar
		opt.Progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(os.Stderr),
					progressbar.OptionSetDescription("indexing"),
					progressbar.OptionSetItsString("clauses"),
					progressbar.OptionShowCount(),
					progressbar.OptionShowIts(),
					progressbar.OptionSetWidth(30),
					progressbar.OptionOnCompletion(func() { fmt.Fprintln(os.Stderr) }),
				)
			}
			bar.Set(done)
		}
	}
	if opt.Weaviate == nil {
		w, err := f.weaviate()
		if err != nil {
			return nil, nil, false, err
		}
		opt.Weaviate = w
	}
	if opt.Synonyms == nil {
		syn, err := synonym.Load(f.Corpus)
		if err != nil {
			return nil, nil, false, err
		}
		opt.Synonyms = syn
	}
	return library.Open(f.Corpus, f.Data, opt)
}

type globals struct {
	out    io.Writer
	log    *slog.Logger
	logOut io.Writer // where log writes
}

func main() {
	withHugePages()
	var c cli
	ctx := kong.Parse(&c,
		kong.Name("policysearch"),
		kong.Description("Full-text search over Chinese policy documents."),
		kong.UsageOnError(),
	)
	g := &globals{out: os.Stdout, logOut: os.Stderr, log: slog.New(slog.NewJSONHandler(os.Stderr, nil))}
	if err := ctx.Run(g); err != nil {
		fmt.Fprintln(os.Stderr, "policysearch:", err)
		os.Exit(1)
	}
}
