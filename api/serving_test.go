package api

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"policysearch/index"
	"policysearch/internal/library"
)

// syncBuffer is a log sink tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer serves the real index of the notice on loopback with opt, and
// returns its base URL and log.
func startServer(t *testing.T, opt Options, extra func(e *echo.Echo)) (string, *Server, *syncBuffer) {
	t.Helper()
	dir := t.TempDir()
	ix, _, _, err := library.Open("", dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	opt.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	var srv *Server
	if opt.AdminToken != "" {
		opt.Library = ManageForTest(t, "", dir, &srv)
	}
	srv = New(opt)
	srv.SetIndex(ix)
	if extra != nil {
		extra(srv.echo)
	}
	return ServeForTest(t, srv), srv, logs
}

func send(t *testing.T, method, u string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// A panic in a handler is a 500 with a request id, its stack goes to the log,
// and the server keeps serving.
func TestPanicIsAnInternalError(t *testing.T) {
	base, _, logs := startServer(t, Options{}, func(e *echo.Echo) {
		e.GET("/boom", func(echo.Context) error { panic("boom in a handler") })
	})
	res, body := send(t, "GET", base+"/boom", nil, nil)
	rid := res.Header.Get("X-Request-Id")
	if res.StatusCode != 500 || !strings.Contains(body, `"code":"internal"`) || rid == "" || !strings.Contains(body, rid) {
		t.Fatalf("panic: %d %s", res.StatusCode, body)
	}
	if strings.Contains(body, "boom") {
		t.Fatalf("internal detail leaked: %s", body)
	}
	if l := logs.String(); !strings.Contains(l, "boom in a handler") || !strings.Contains(l, "goroutine") || !strings.Contains(l, rid) {
		t.Fatalf("log lacks the panic, its stack or the request id:\n%s", l)
	}
	if res, _ := send(t, "GET", base+"/healthz", nil, nil); res.StatusCode != 200 {
		t.Fatalf("server stopped serving after a panic: %d", res.StatusCode)
	}
}

func TestBodyLimit(t *testing.T) {
	base, _, _ := startServer(t, Options{MaxBodyBytes: 1024, AdminToken: "secret"}, nil)
	res, body := send(t, "POST", base+"/api/v1/documents", strings.NewReader(strings.Repeat("科", 1000)),
		map[string]string{"Authorization": "Bearer secret", "Content-Type": "text/plain; charset=utf-8"})
	if res.StatusCode != 413 || !strings.Contains(body, `"code":"payload_too_large"`) {
		t.Fatalf("oversized body: %d %s", res.StatusCode, body)
	}
}

func TestRateLimit(t *testing.T) {
	base, _, _ := startServer(t, Options{RateLimit: 1, RateBurst: 3}, nil)
	var last *http.Response
	var body string
	for i := 0; i < 6; i++ {
		last, body = send(t, "GET", base+"/api/v1/documents", nil, nil)
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") != "1" || !strings.Contains(body, `"code":"rate_limited"`) {
		t.Fatalf("after a burst: %d Retry-After=%q %s", last.StatusCode, last.Header.Get("Retry-After"), body)
	}
	// Health checks are never throttled.
	if res, _ := send(t, "GET", base+"/healthz", nil, nil); res.StatusCode != 200 {
		t.Fatalf("healthz throttled: %d", res.StatusCode)
	}
	// Off by default.
	base2, _, _ := startServer(t, Options{}, nil)
	for i := 0; i < 20; i++ {
		if res, _ := send(t, "GET", base2+"/api/v1/documents", nil, nil); res.StatusCode != 200 {
			t.Fatalf("request %d: %d without a rate limit", i, res.StatusCode)
		}
	}
}

func TestHeadersAndCompression(t *testing.T) {
	base, _, _ := startServer(t, Options{CORSOrigins: []string{"http://portal.example"}}, nil)
	res, _ := send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("科普")+"&size=50", nil, map[string]string{"Accept-Encoding": "gzip"})
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("security headers: %v", res.Header)
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("a large response is not compressed: %v", res.Header)
	}
	// CORS: the allowed origin is echoed, never *, never with credentials.
	res, _ = send(t, "OPTIONS", base+"/api/v1/search", nil, map[string]string{"Origin": "http://portal.example", "Access-Control-Request-Method": "GET"})
	if res.Header.Get("Access-Control-Allow-Origin") != "http://portal.example" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("preflight from the allowed origin: %d %v", res.StatusCode, res.Header)
	}
	res, _ = send(t, "OPTIONS", base+"/api/v1/search", nil, map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"})
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin allowed: %v", res.Header)
	}
}

func TestMetrics(t *testing.T) {
	base, _, _ := startServer(t, Options{}, nil)
	send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("科普"), nil, nil)
	send(t, "GET", base+"/api/v1/search?q=", nil, nil)
	_, body := send(t, "GET", base+"/metrics", nil, nil)
	for _, want := range []string{
		`policysearch_http_requests_total{method="GET",route="/api/v1/search",status="200"} 1`,
		`policysearch_http_requests_total{method="GET",route="/api/v1/search",status="400"} 1`,
		`policysearch_http_request_duration_seconds_bucket{route="/api/v1/search"`,
		"policysearch_index_clauses 47",
		"policysearch_index_size_bytes",
		"policysearch_reindex_duration_seconds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestReadyzBeforeIndex(t *testing.T) {
	srv := New(Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	req, _ := http.NewRequest("GET", "/readyz", nil)
	rec := &recorder{header: http.Header{}}
	srv.Handler().ServeHTTP(rec, req)
	if rec.status != 503 || !strings.Contains(rec.body.String(), "not open") {
		t.Fatalf("readyz without an index: %d %s", rec.status, rec.body.String())
	}
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }
