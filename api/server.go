// Package api serves the index over HTTP: the JSON API of the contract, its
// error shape, and health checks. Handlers are thin: validate, call index, shape.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"policysearch/index"
	"policysearch/internal/lru"
	"policysearch/internal/query"
)

// Options configure a server.
type Options struct {
	MaxQueryLen    int           // characters; default 256
	MaxBodyBytes   int64         // default 1 MiB
	RequestTimeout time.Duration // default 10 s
	// MaxUploadBytes bounds a POSTed document's file that is not plain text
	// (PDF, .docx, a web page, OFD); default 32 MiB. Plain text keeps
	// MaxBodyBytes; a zip-based file's unpacked size is the extractor's limit.
	MaxUploadBytes int64
	// CORSOrigins may call the API from other origins (a portal embedding the
	// widget); none by default. Credentials are never allowed.
	CORSOrigins []string
	// RateLimit is requests per second per client address; 0 turns it off, as
	// a portal's users may all come from one proxy address.
	RateLimit float64
	RateBurst int
	// AdminToken enables the admin endpoints for clients that send it as a
	// bearer token; empty disables them.
	AdminToken string
	// Library changes the corpus for the admin endpoints.
	Library Library
	Logger  *slog.Logger
	// AccessLog gets one line per request; Logger when nil.
	AccessLog *slog.Logger
}

// Library is what the admin endpoints change: the corpus on disk and its index.
type Library interface {
	// IngestFile adds a document from its file (name and contentType are the
	// sender's hints of its format), in the yearly series named (when its
	// plan's title does not tell it); with replace, one that repeats an added
	// document takes its place, and replaced says so.
	IngestFile(id string, data []byte, name, contentType, series string, replace bool) (added index.Added, replaced bool, err error)
	// Original is a document's file as stored, with its name and type; Text
	// is the text the parser read from it.
	Original(id string) (data []byte, name, contentType string, err error)
	Text(id string) (string, error)
	Delete(id string) error
	Reindex() error
}

// Server is the HTTP service over one live index, which may be swapped.
type Server struct {
	echo    *echo.Echo
	cur     atomic.Pointer[handle]
	opt     Options
	log     *slog.Logger
	access  *slog.Logger
	metrics *metrics
}

// handle is a served index with the requests still using it: a swapped-out
// index is closed only when they are done.
type handle struct {
	ix        *index.Index
	responses *lru.Cache[string, encodedSearch] // encoded search responses (searchcache.go)
	clauses   *lru.Cache[string, []byte]        // … and clauses' own fields, encoded
	mu        sync.RWMutex                      // held shared by each request, exclusively to retire
	closed    bool
}

// New makes a server; it answers 503 until SetIndex is called.
func New(opt Options) *Server {
	if opt.MaxQueryLen <= 0 {
		opt.MaxQueryLen = 256
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 1 << 20
	}
	if opt.MaxUploadBytes <= 0 {
		opt.MaxUploadBytes = 32 << 20
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 10 * time.Second
	}
	if opt.RateBurst <= 0 {
		opt.RateBurst = int(opt.RateLimit) + 1
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.AccessLog == nil {
		opt.AccessLog = opt.Logger
	}
	s := &Server{echo: echo.New(), opt: opt, log: opt.Logger, access: opt.AccessLog}
	s.metrics = newMetrics(s)
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// The client's address is the connection's: X-Forwarded-For is not trusted,
	// or anyone could pick the address the rate limit counts.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(middleware.RequestID())
	e.Use(s.logRequests())
	e.Use(s.metrics.middleware)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "request_id", requestID(c), "error", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		ContentTypeNosniff: "nosniff",
		XFrameOptions:      "SAMEORIGIN",
		ReferrerPolicy:     "no-referrer",
	}))
	if len(opt.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:     opt.CORSOrigins,
			AllowMethods:     []string{http.MethodGet, http.MethodHead, http.MethodOptions},
			AllowCredentials: false,
			ExposeHeaders:    []string{echo.HeaderXRequestID},
			MaxAge:           600,
		}))
	}
	if opt.RateLimit > 0 {
		e.Use(s.rateLimit())
	}
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: strconv.FormatInt(opt.MaxBodyBytes, 10) + "B",
		// A document's file has its own limit, --max-upload (files.go).
		Skipper: func(c echo.Context) bool {
			return c.Request().Method == http.MethodPost && c.Path() == "/api/v1/documents"
		},
	}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1400}))
	e.Use(s.checkParams)
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: opt.RequestTimeout}))

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.Use(apiHeaders)
	v1 := e.Group("/api/v1")
	v1.GET("/search", s.search)
	v1.GET("/clauses/:id", s.clause)
	v1.GET("/documents", s.documents)
	v1.GET("/documents/:id", s.document)
	v1.GET("/documents/:id/source", s.source)
	v1.GET("/documents/:id/text", s.text)
	v1.POST("/documents", s.ingest, s.admin)
	v1.DELETE("/documents/:id", s.deleteDocument, s.admin)
	v1.POST("/reindex", s.reindex, s.admin)
	v1.GET("/departments", s.departments)
	v1.GET("/departments/:name", s.department)
	v1.GET("/campaigns", s.campaigns)
	v1.GET("/campaigns/:name", s.campaign)
	v1.GET("/suggest", s.suggest)
	v1.GET("/analyze", s.analyze)
	v1.GET("/compare", s.compareDocuments)
	v1.GET("/openapi.yaml", s.openapi)
	s.registerUI(e)
	s.registerAdminUI(e)
	return s
}

// apiHeaders forbids API responses from being rendered or framed as a page.
// (Group middleware would turn echo's 405s into 404s, so it checks the path.)
func apiHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		return next(c)
	}
}

// Handler is the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// SetIndex serves ix. The index it replaces is retired (closed, its folder
// removed) once the requests using it are done.
func (s *Server) SetIndex(ix *index.Index) {
	old := s.cur.Swap(newHandle(ix))
	if old == nil {
		return
	}
	go func() {
		old.mu.Lock()
		defer old.mu.Unlock()
		old.closed = true
		if err := old.ix.Retire(); err != nil {
			s.log.Warn("retiring an index", "dir", old.ix.Dir(), "error", err)
		}
	}()
}

// Index is the live index, or nil before one is set.
func (s *Server) Index() *index.Index {
	if h := s.cur.Load(); h != nil {
		return h.ix
	}
	return nil
}

// Close retires the live index.
func (s *Server) Close() error {
	h := s.cur.Swap(nil)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	return h.ix.Close()
}

// acquire returns the live index for one request; release must be called when
// the request is done with it.
func (s *Server) acquire() (*index.Index, func(), error) {
	h, release, err := s.acquireHandle()
	if err != nil {
		return nil, nil, err
	}
	return h.ix, release, nil
}

// Serve answers on addr until ctx ends, then lets requests in flight finish.
func (s *Server) Serve(ctx context.Context, addr string, ready func(addr string)) error {
	srv := s.httpServer()
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(heldListener{ln}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// httpServer is the HTTP server of s, for a listener of heldConns (onewrite.go).
func (s *Server) httpServer() *http.Server {
	return &http.Server{Handler: s.echo, ReadHeaderTimeout: 10 * time.Second, ConnContext: withHeldConn}
}

// checkParams refuses parameters that are not valid UTF-8 or hold NUL bytes,
// before any handler sees them.
func (s *Server) checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.Contains(c.Request().URL.RawQuery, "%00") {
			return invalid("parameters may not contain NUL bytes")
		}
		for name, vals := range c.QueryParams() {
			if !utf8.ValidString(name) {
				return invalid("a parameter name is not valid UTF-8")
			}
			for _, v := range vals {
				if !utf8.ValidString(v) {
					return invalid("parameter %s is not valid UTF-8", name)
				}
				if strings.ContainsRune(v, 0) {
					return invalid("parameter %s contains a NUL byte", name)
				}
			}
		}
		if p := c.Request().URL.Path; !utf8.ValidString(p) || strings.ContainsRune(p, 0) {
			return invalid("the path is not valid UTF-8")
		}
		return next(c)
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	n, err := ix.Count()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]interface{}{"status": "ready", "clauses": n})
}

// searchResponse is the contract's search response.
type searchResponse struct {
	Query  string                   `json:"query"`
	Total  int                      `json:"total"`
	TookMS float64                  `json:"took_ms"`
	Hits   []index.Hit              `json:"hits"`
	Facets map[string][]index.Facet `json:"facets"`
	// What the index read the query as (index.Result): encodeSearch writes
	// the same fields.
	Interpreted *index.Interpretation `json:"interpreted,omitempty"`
	Related     []index.Related       `json:"related,omitempty"`
	Suggestions []string              `json:"suggestions,omitempty"`
}

func (s *Server) search(c echo.Context) error {
	start := time.Now()
	h, release, err := s.acquireHandle()
	if err != nil {
		return err
	}
	defer release()
	ix := h.ix
	req, raw, err := s.searchRequest(c, ix)
	if err != nil {
		return err
	}
	// A search asked before is answered with its encoded response.
	_, pretty := c.QueryParams()["pretty"]
	var key string // none when no response is kept
	if !pretty && h.responses.Max() > 0 {
		key = req.CacheKey()
		if e, ok := h.responses.Get(key); ok {
			return e.write(c, time.Since(start))
		}
	}
	res, err := ix.Search(c.Request().Context(), req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errorf(http.StatusServiceUnavailable, "the search took too long; narrow the query")
		}
		return err
	}
	if pretty {
		return c.JSON(http.StatusOK, searchResponse{
			Query:  raw,
			Total:  res.Total,
			TookMS: float64(res.Took.Microseconds()) / 1000,
			Hits:   res.Hits,
			Facets: res.Facets,

			Interpreted: res.Interpreted,
			Related:     res.Related,
			Suggestions: res.Suggestions,
		})
	}
	var room *[]byte // where a response no cache keeps is written
	if key == "" {
		room = spareRoom.Get().(*[]byte)
		defer func() {
			if cap(*room) <= maxSpareRoom {
				spareRoom.Put(room)
			}
		}()
	}
	e, err := encodeSearch(raw, res, h.clauses, room)
	if err != nil {
		return err
	}
	if key != "" {
		h.responses.Put(key, e, e.size()+len(key)+128)
	}
	return e.write(c, res.Took)
}

// searchRequest validates the search parameters.
func (s *Server) searchRequest(c echo.Context, ix *index.Index) (index.Request, string, error) {
	params := c.QueryParams()
	raw := params.Get("q")
	req := index.Request{Size: 10, Sort: index.SortRelevance}
	if n := utf8.RuneCountInString(raw); n > s.opt.MaxQueryLen {
		return req, raw, invalid("q has %d characters; the limit is %d", n, s.opt.MaxQueryLen)
	}
	q, err := query.Parse(raw)
	if err != nil {
		return req, raw, invalid("q: %v", err)
	}
	req.Query = q
	for _, d := range params["dept"] {
		name, err := ix.FindDepartment(d)
		if err != nil {
			return req, raw, invalid("dept: %v", err)
		}
		req.Departments = append(req.Departments, name)
	}
	for _, d := range params["lead"] {
		name, err := ix.FindLead(d)
		if err != nil {
			return req, raw, invalid("lead: %v", err)
		}
		req.Leads = append(req.Leads, name)
	}
	if sec := strings.TrimSpace(params.Get("section")); sec != "" {
		if !ix.KnownSection(sec) {
			return req, raw, invalid("unknown section %q; give a heading or a number such as %s", sec, strings.Join(ix.Sections(), ", "))
		}
		req.Section = sec
	}
	for _, doc := range params["doc"] {
		if err := ix.FindDocument(doc); err != nil {
			return req, raw, invalid("doc: %v", err)
		}
		req.Docs = append(req.Docs, doc)
	}
	for _, is := range params["issuer"] {
		if _, err := ix.FindIssuer(is); err != nil {
			return req, raw, invalid("issuer: %v", err)
		}
		req.Issuers = append(req.Issuers, strings.TrimSpace(is))
	}
	for _, y := range params["year"] {
		year, err := strconv.Atoi(strings.TrimSpace(y))
		if err != nil {
			return req, raw, invalid("year must be a year such as 2022, not %q", y)
		}
		if err := ix.FindYear(year); err != nil {
			return req, raw, invalid("year: %v", err)
		}
		req.Years = append(req.Years, year)
	}
	if q.Empty() && len(req.Departments) == 0 && len(req.Leads) == 0 && req.Section == "" &&
		len(req.Docs) == 0 && len(req.Issuers) == 0 && len(req.Years) == 0 {
		return req, raw, invalid("q is empty; give a query or a filter (dept, lead, section, doc, issuer, year)")
	}
	if req.From, err = intParam(params.Get("from"), "from", 0); err != nil {
		return req, raw, err
	}
	if req.Size, err = intParam(params.Get("size"), "size", 10); err != nil {
		return req, raw, err
	}
	switch {
	case req.From < 0:
		return req, raw, invalid("from must be 0 or more")
	case req.Size < 1 || req.Size > 100:
		return req, raw, invalid("size must be between 1 and 100")
	case req.From+req.Size > 10000:
		return req, raw, invalid("from+size must be at most 10000")
	}
	switch sort := params.Get("sort"); sort {
	case "", index.SortRelevance:
	case index.SortOrder:
		req.Sort = sort
	default:
		return req, raw, invalid("sort must be relevance or order, not %q", sort)
	}
	switch ex := params.Get("explain"); ex {
	case "", "false", "0":
	case "true", "1":
		req.Explain = true
	default:
		return req, raw, invalid("explain must be true or false")
	}
	return req, raw, nil
}

func intParam(v, name string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, invalid("%s must be a whole number, not %q", name, v)
	}
	return n, nil
}

func (s *Server) clause(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	cl, err := ix.Clause(c.Request().Context(), id)
	if errors.Is(err, index.ErrNotFound) {
		return notFound("no clause %q", id)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cl)
}

func (s *Server) documents(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	return s.documentList(c, ix)
}

func (s *Server) document(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	d, ok := ix.Document(id)
	if !ok {
		return notFound("no document %q", id)
	}
	return c.JSON(http.StatusOK, newDocumentView(d, true))
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
